"""The sweep and inference components: it plans them as a reconcile does (an endpoint in sync is not drift), finds
a change of a component's tags, and finds what the controller still owns on a component that its endpoint's
configuration no longer asks for, which it hands to the reconciler with the request to look components up."""

from __future__ import annotations

import json
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID as ACCOUNT
from moto.sagemaker.models import sagemaker_backends

from autoscaler.messages import ReconcileRequest
from autoscaler.reconciler import Status, reconcile_endpoint
from autoscaler.sweep import sweep
from localaws.fidelity import sagemaker
from localaws.seed import VariantSeed, create_endpoint, create_inference_component, set_tags

from .conftest import BASE_TAGS, COMPONENT_TAGS, World

SERVING = {
    "version": 1,
    "min": 1,
    "max": 2,
    "target_tracking": [{"metric": "invocations", "target": 100}],
    "inference_components": {
        "llm": {"min": 0, "max": 4, "target_tracking": [{"metric": "concurrency", "target": 3}]},
    },
}
COMPONENT = "inference-component/llm"
REGION = "us-east-1"


def host(world: World, tags: dict[str, str], component_tags: dict[str, str] | None = None) -> str:
    """The endpoint llm-host with the inference component llm on it; returns the component's ARN."""
    world.arns["llm-host"] = create_endpoint(
        world.aws.sagemaker, "llm-host", (VariantSeed("AllTraffic", "ml.g4dn.12xlarge"),), tags
    )
    arn = create_inference_component(world.aws.sagemaker, "llm", "llm-host", tags=component_tags)
    world.counter.reset()
    return arn


def requests(world: World, queue_url: str) -> list[ReconcileRequest]:
    found = []
    while messages := world.sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", []):
        found += [ReconcileRequest.parse(m["Body"]) for m in messages]
        for message in messages:
            world.sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
    return found


def component_state(world: World) -> tuple[list[str], list[str], list[str]]:
    """The component's target, its policies and the endpoint's alarms on it."""
    autoscaling = world.aws.autoscaling
    targets = autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker", ResourceIds=[COMPONENT])
    policies = autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker", ResourceId=COMPONENT)
    alarms = world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/llm-host/llm/")
    return (
        [t["ResourceId"] for t in targets["ScalableTargets"]],
        sorted(p["PolicyName"] for p in policies["ScalingPolicies"] if p["ResourceId"] == COMPONENT),
        [a["AlarmName"] for a in alarms["MetricAlarms"]],
    )


def test_an_endpoint_whose_component_is_in_sync_is_not_drift(world: World, reconcile_queue: str) -> None:
    host(world, {**BASE_TAGS, "autoscaling:inference-components": "true"}, COMPONENT_TAGS)
    assert world.reconcile("llm-host").status is Status.APPLIED
    assert component_state(world)[2] == ["autoscaler/llm-host/llm/scale-from-zero"]
    world.counter.reset()

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert (result.endpoints, result.drifted) == (("llm-host",), ())
    # One region-wide component listing, and the tags of the one component.
    assert world.counter.calls[("sagemaker", "ListInferenceComponents")] == 1
    assert world.counter.calls[("sagemaker", "ListTags")] == 1


def test_a_change_of_a_component_s_tags_is_drift(world: World, reconcile_queue: str) -> None:
    arn = host(world, {**BASE_TAGS, "autoscaling:inference-components": "true"}, COMPONENT_TAGS)
    world.reconcile("llm-host")
    set_tags(world.aws.sagemaker, arn, {"autoscaling:target-concurrency": "5"})

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ("llm-host",)
    assert requests(world, reconcile_queue) == [ReconcileRequest("llm-host", "sweep")]


def test_what_is_owned_on_a_component_the_profile_no_longer_names_is_found_and_removed(
    world: World, reconcile_queue: str
) -> None:
    world.profile("serving", SERVING)
    host(world, {"autoscaling:enabled": "true", "autoscaling:profile": "serving"})
    world.reconcile("llm-host")
    assert component_state(world) == (
        [COMPONENT],
        ["autoscaler-llm-concurrency", "autoscaler-llm-step-scale-from-zero"],
        ["autoscaler/llm-host/llm/scale-from-zero"],
    )
    # The profile loses its inference_components section: the endpoint's configuration no longer asks for its
    # components, so an event-driven reconcile does not look them up.
    world.profile("serving", {k: v for k, v in SERVING.items() if k != "inference_components"})
    world.reconcile("llm-host")

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.drifted == ("llm-host",)
    (request,) = requests(world, reconcile_queue)
    assert request == ReconcileRequest("llm-host", "sweep", components=True)
    assert json.loads(request.to_json())["components"] is True
    outcome = reconcile_endpoint(request.endpoint, world.deps(), components=request.components)
    assert outcome.status is Status.APPLIED, outcome.errors
    assert component_state(world) == ([], [], [])
    world.counter.reset()
    assert sweep(world.deps(), reconcile_queue, "sweep-2").drifted == ()
    assert world.counter.calls[("sagemaker", "ListInferenceComponents")] == 0  # nothing asks, nothing owned


def test_a_sweep_lists_no_component_when_no_endpoint_asks_and_none_is_owned(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    create_inference_component(world.aws.sagemaker, "other", "fraud-detector")
    world.counter.reset()

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ()
    calls: dict[tuple[str, str], Any] = dict(world.counter.calls)
    assert calls.get(("sagemaker", "ListInferenceComponents"), 0) == 0


def test_the_owned_target_of_a_component_that_is_gone_is_deregistered(world: World, reconcile_queue: str) -> None:
    # AWS documents that deleting an endpoint deregisters its targets, not that deleting a component does: the
    # component disappears here while its target, policies and alarm stay.
    host(world, {**BASE_TAGS, "autoscaling:inference-components": "true"}, COMPONENT_TAGS)
    world.reconcile("llm-host")
    del sagemaker._components(sagemaker_backends[ACCOUNT][REGION])["llm"]
    assert component_state(world)[0] == [COMPONENT]

    dry = sweep(world.deps(dry_run=True), reconcile_queue, "sweep-1")
    assert (dry.released_components, component_state(world)[0]) == (("llm",), [COMPONENT])

    result = sweep(world.deps(), reconcile_queue, "sweep-2")

    assert result.released_components == ("llm",)
    assert component_state(world)[:2] == ([], [])
    assert result.drifted == ("llm-host",)  # its reconcile deletes the alarm left behind
    reconcile_endpoint("llm-host", world.deps())
    assert component_state(world) == ([], [], [])


def test_an_owned_component_target_is_kept_while_its_component_exists(
    world: World, reconcile_queue: str, monkeypatch: Any
) -> None:
    host(world, {**BASE_TAGS, "autoscaling:inference-components": "true"}, COMPONENT_TAGS)
    world.reconcile("llm-host")
    deps = world.deps()
    monkeypatch.setattr(deps.aws, "list_components", lambda: ())  # a listing that lags behind the component

    assert sweep(deps, reconcile_queue, "sweep-1").released_components == ()
    assert component_state(world)[0] == [COMPONENT]


def test_a_component_s_own_tags_do_not_keep_it_managed_once_its_endpoint_stops_asking(
    world: World, reconcile_queue: str
) -> None:
    host(world, {**BASE_TAGS, "autoscaling:inference-components": "true"}, COMPONENT_TAGS)
    world.reconcile("llm-host")
    world.untag("llm-host", "inference-components")

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ("llm-host",)
    (request,) = requests(world, reconcile_queue)
    assert request.components is True
    reconcile_endpoint("llm-host", world.deps(), components=True)

    assert component_state(world) == ([], [], [])
    assert sweep(world.deps(), reconcile_queue, "sweep-2").drifted == ()  # and it stays so: no flapping
    assert world.reconcile("llm-host").status is Status.UNCHANGED
