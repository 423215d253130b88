"""`sagemaker-autoscaler demo`: the whole controller on an embedded local AWS, no account needed.

It starts the project's moto_server launcher (with the AWS fidelity layer) on a free loopback port, creates what
template.yaml defines (queues, the EventBridge rules with their real patterns, the default profile), creates five
sample endpoints (one serverless, one hosting an inference component that scales to zero), and drives real-shaped
events through EventBridge -> router -> FIFO queue -> reconciler, with the functions' own handlers run in-process
(moto cannot run Lambda). Then it edits a profile and shows the plan and the applied difference, opts one endpoint
out and shows the clean-up, and removes the inference component's configuration from its profile and shows that
clean-up too. Everything it started is stopped on the way out, Ctrl-C included.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import uuid
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from autoscaler.observability import logger as controller_logger
from autoscaler.reconciler import Deps, evaluate
from autoscaler.settings import Settings
from autoscaler_cli.render import Output
from autoscaler_cli.status import status_entry

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "events"
PROFILES = "/sagemaker-autoscaler/profiles"
ACCOUNT = "123456789012"
BUSINESS_HOURS: dict[str, Any] = {
    "version": 1,
    "min": 1,
    "max": 8,
    "limits": {"max": 12},
    "target_tracking": [{"metric": "invocations", "target": 70, "scale_in_cooldown": 600, "scale_out_cooldown": 120}],
    "step_scaling": [
        {
            "name": "overhead-latency",
            "metric": {"namespace": "AWS/SageMaker", "name": "OverheadLatency", "statistic": "Average"},
            "comparison": ">=",
            "threshold": 100000,
            "evaluation_periods": 2,
            "treat_missing_data": "notBreaching",
            "adjustment_type": "change",
            "steps": [{"lower": 0, "upper": 50000, "adjustment": 1}, {"lower": 50000, "adjustment": 3}],
            "cooldown": 120,
        }
    ],
    "schedules": [
        {"name": "weekday-peak", "schedule": "cron(0 8 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 3},
        {"name": "weekday-evening", "schedule": "cron(0 19 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 1},
    ],
}
# The inference component `llm` scales its copies on concurrent requests per copy, down to zero (the controller adds
# the documented scale-from-zero step policy and its alarm). Its host is set up as the SageMaker Developer Guide's
# "Scale an endpoint to zero instances" has it: the variant's ManagedInstanceScaling is ENABLED with MinInstanceCount
# 0, so SageMaker releases the instances once the copies are gone, and only the component is registered with
# Application Auto Scaling (the tag `autoscaling:AllTraffic:enabled=false` leaves the variant to SageMaker).
LLM_SERVING: dict[str, Any] = {
    "version": 1,
    "inference_components": {"llm": {"min": 0, "max": 4, "target_tracking": [{"metric": "concurrency", "target": 3}]}},
}
LLM_HOST_INSTANCES = (0, 2)  # managed instance scaling: MinInstanceCount, MaxInstanceCount


def run(out: Output, verbose: bool = False) -> None:
    from localaws.pipeline import EventSourceMapping, Function, Template, deploy, put_event
    from localaws.server import LocalAws

    if not verbose:  # the functions' structured logs and the emulator's access log; --verbose shows them
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        controller_logger.setLevel(logging.ERROR)
    with _local_credentials(), LocalAws() as local:
        os.environ["AWS_ENDPOINT_URL"] = local.endpoint_url
        out.line(f"Local AWS (moto_server + fidelity layer) at {local.endpoint_url}", style="bold")
        template = Template.load()
        deployed = deploy(template, local.endpoint_url)
        extra = {"AWS_ENDPOINT_URL": local.endpoint_url}
        if not verbose:
            extra["POWERTOOLS_METRICS_DISABLED"] = "true"  # EMF lines would go to stdout
        router = Function(template, "RouterFunction", extra)
        reconciler = Function(template, "ReconcilerFunction", extra)
        sqs, events, ssm, sagemaker = (local.client(s) for s in ("sqs", "events", "ssm", "sagemaker"))
        mapping = EventSourceMapping(sqs, deployed.queue_url, reconciler)
        out.line(
            f"Deployed from template.yaml: {len(deployed.queues)} queues, {len(deployed.rules)} rules, "
            f"parameters {', '.join(deployed.parameters.values())}"
        )

        def deliver(event: dict[str, Any]) -> None:
            """EventBridge -> the rules' real patterns -> router -> queue -> reconciler (as Lambda would)."""
            put_event(events, event)
            for rule, queue in deployed.captures.items():
                for message in sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", []):
                    routed = router(json.loads(message["Body"]))
                    out.line(f"  {rule} -> router -> {', '.join(routed.get('endpoints', [])) or 'nothing'}")
                    sqs.delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
            mapping.drain()

        deps = Deps(Settings.from_env({}), _library_aws(local.endpoint_url))
        story = _Story(out, deps, ssm, sagemaker, deliver, _status_printer(out, deps))
        _opt_in(story)
        _edit_profile(story)
        _opt_out(story)
        _drop_component(story)
        out.line("Done: the local AWS is stopped and nothing is left running.", style="bold green")


@dataclass(frozen=True)
class _Story:
    """What every step of the demo uses: the output, the controller's deps, clients of the local AWS, the event
    delivery (EventBridge -> router -> queue -> reconciler) and the status printer."""

    out: Output
    deps: Deps
    ssm: Any
    sagemaker: Any
    deliver: Callable[[dict[str, Any]], None]
    status: Callable[..., None]


def _opt_in(story: _Story) -> None:
    from localaws.seed import VariantSeed, create_endpoint, create_inference_component

    out = story.out
    _step(out, "1. Five endpoints opt in (one serverless, one hosting an inference component that scales to zero)")
    story.ssm.put_parameter(Name=f"{PROFILES}/business-hours", Value=json.dumps(BUSINESS_HOURS), Type="String")
    story.ssm.put_parameter(Name=f"{PROFILES}/llm-serving", Value=json.dumps(LLM_SERVING), Type="String")
    samples = {
        "fraud-detector": (
            (VariantSeed("AllTraffic"),),
            {"autoscaling:enabled": "true", "autoscaling:max": "6", "autoscaling:target-invocations": "100"},
        ),
        "recommender": (
            (VariantSeed("AllTraffic", "ml.m5.xlarge"),),
            {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"},
        ),
        "search-ranker": (
            (VariantSeed("Primary", "ml.c5.xlarge"), VariantSeed("Canary")),
            {
                "autoscaling:enabled": "true",
                "autoscaling:max": "8",
                "autoscaling:Canary:max": "2",
                "autoscaling:Canary:target-concurrency": "4",
            },
        ),
        "chat-assistant": (  # serverless: provisioned concurrency, on its utilisation
            (VariantSeed("AllTraffic", serverless=(2048, 20)),),
            {
                "autoscaling:enabled": "true",
                "autoscaling:min": "1",
                "autoscaling:max": "10",
                "autoscaling:target-provisioned-concurrency": "0.6",
            },
        ),
        "llm-host": (  # hosts the inference component llm, configured by the profile's inference_components.llm
            (VariantSeed("AllTraffic", "ml.g4dn.12xlarge", managed_instance_scaling=LLM_HOST_INSTANCES),),
            {
                "autoscaling:enabled": "true",
                "autoscaling:inference-components": "true",
                "autoscaling:profile": "llm-serving",
                "autoscaling:AllTraffic:enabled": "false",
            },
        ),
    }
    for name, (variants, tags) in samples.items():
        create_endpoint(story.sagemaker, name, variants, tags)
        out.line(f"{name}: tags {', '.join(f'{k}={v}' for k, v in tags.items())}")
        if name == "llm-host":
            create_inference_component(story.sagemaker, "llm", name)
            low, high = LLM_HOST_INSTANCES
            out.line(
                "  hosts inference component llm; profile llm-serving: inference_components.llm min 0, max 4, "
                f"concurrency 3 per copy; variant AllTraffic: managed instance scaling {low}..{high} instances"
            )
        story.deliver(_state_change(name))
    story.status(*samples)


def _edit_profile(story: _Story) -> None:
    out, deps = story.out, story.deps
    _step(out, "2. The profile changes: the plan, then the applied difference")
    edited = {
        **BUSINESS_HOURS,
        "target_tracking": [{**BUSINESS_HOURS["target_tracking"][0], "target": 90}],
        "schedules": BUSINESS_HOURS["schedules"][:1],
    }
    story.ssm.put_parameter(Name=f"{PROFILES}/business-hours", Value=json.dumps(edited), Type="String", Overwrite=True)
    found = evaluate("recommender", deps)
    out.actions("Plan for recommender", found.plan.actions)
    story.deliver(_parameter_change("business-hours"))
    after = evaluate("recommender", deps)
    out.line(f"recommender after the Parameter Store event: {len(after.plan.actions)} action(s) left", style="bold")


def _opt_out(story: _Story) -> None:
    from localaws.seed import set_tags

    _step(story.out, "3. fraud-detector opts out: what the controller owned is removed")
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/fraud-detector"
    set_tags(story.sagemaker, arn, {"autoscaling:enabled": "false"})
    story.deliver(_add_tags("fraud-detector", {"autoscaling:enabled": "false"}))
    story.status("fraud-detector")


def _drop_component(story: _Story) -> None:
    """The profile loses the component's section and the component has no tags of its own: it is no longer managed.
    The endpoint's `inference-components=true` tag keeps the controller looking at its components."""
    _step(
        story.out,
        "4. llm-serving drops inference_components.llm: the component's target, policies and alarm are removed",
    )
    unserved = {k: v for k, v in LLM_SERVING.items() if k != "inference_components"}
    story.ssm.put_parameter(Name=f"{PROFILES}/llm-serving", Value=json.dumps(unserved), Type="String", Overwrite=True)
    story.out.actions("Plan for llm-host", evaluate("llm-host", story.deps).plan.actions)
    story.deliver(_parameter_change("llm-serving"))
    story.status("llm-host")


def _step(out: Output, title: str) -> None:
    out.line("")
    out.line(title, style="bold cyan")


def _status_printer(out: Output, deps: Deps) -> Callable[..., None]:
    """`sagemaker-autoscaler status` for the named endpoints: variants, inference components, policies, alarms."""

    def show(*names: str) -> None:
        for name in names:
            out.status(status_entry(name, deps))

    return show


def _library_aws(endpoint_url: str) -> Any:
    import boto3

    from autoscaler.aws import Aws

    return Aws.create(boto3.session.Session(region_name="us-east-1"), endpoint_url=endpoint_url, max_attempts=1)


def _local_credentials() -> AbstractContextManager[None]:
    """Fake credentials and a region for this process only (restored on the way out): the demo never talks to AWS."""
    from localaws.pipeline import patched_environ

    fake = {
        "AWS_ACCESS_KEY_ID": "demo",
        "AWS_SECRET_ACCESS_KEY": "demo",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
    }
    return patched_environ(fake, remove=("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL"))


def _event(file: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / file).read_text())
    event = copy.deepcopy(event)
    event["id"] = str(uuid.uuid4())
    event["time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    event["region"] = "us-east-1"
    return event


def _state_change(name: str) -> dict[str, Any]:
    event = _event("sagemaker-endpoint-state-change-in-service.json")
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/{name.lower()}"
    event["resources"] = [arn]
    event["detail"].update({"EndpointName": name, "EndpointArn": arn, "EndpointConfigName": name, "Tags": {}})
    return event


def _parameter_change(profile: str) -> dict[str, Any]:
    event = _event("ssm-parameter-store-change-profile.json")
    event["resources"] = [f"arn:aws:ssm:us-east-1:{ACCOUNT}:parameter{PROFILES}/{profile}"]
    event["detail"]["name"] = f"{PROFILES}/{profile}"
    return event


def _add_tags(name: str, tags: dict[str, str]) -> dict[str, Any]:
    event = _event("cloudtrail-addtags.json")
    pairs = [{"key": k, "value": v} for k, v in tags.items()]
    arn = f"arn:aws:sagemaker:us-east-1:{ACCOUNT}:endpoint/{name.lower()}"
    event["detail"].update(
        {
            "eventID": str(uuid.uuid4()),
            "requestParameters": {"resourceArn": arn, "tags": pairs},
            "responseElements": {"tags": pairs},
        }
    )
    return event
