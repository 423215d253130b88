"""The real console script, in a subprocess, against the project's moto_server launcher over HTTP."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from localaws.seed import VariantSeed, create_endpoint, create_inference_component, remove_tags
from localaws.server import LocalAws

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "sagemaker-autoscaler"
PROFILES = "/sagemaker-autoscaler/profiles"
COPIES = "sagemaker:inference-component:DesiredCopyCount"
DEFAULT = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]}
BERLIN = {
    **DEFAULT,
    "schedules": [
        {"name": "peak", "schedule": "cron(0 8 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 2},
        {"name": "night", "schedule": "cron(0 20 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 1},
    ],
}


@pytest.fixture(scope="module")
def local() -> Iterator[LocalAws]:
    with LocalAws() as aws:
        yield aws
        aws.reset()  # moto's backends are process-wide: leave nothing for the next module


@pytest.fixture
def aws(local: LocalAws) -> LocalAws:
    local.reset()
    local.client("ssm").put_parameter(Name=f"{PROFILES}/default", Value=json.dumps(DEFAULT), Type="String")
    return local


def run(local: LocalAws | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT")}
    if local is not None:
        env["AWS_ENDPOINT_URL"] = local.endpoint_url
    env["AWS_MAX_ATTEMPTS"] = "1"
    env["COLUMNS"] = "200"
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )


def seed(aws: LocalAws, name: str, tags: dict[str, str], instance_type: str = "ml.m5.large") -> None:
    create_endpoint(aws.client("sagemaker"), name, (VariantSeed("AllTraffic", instance_type),), tags)


def test_plan_apply_plan_then_a_profile_edit_shows_exactly_the_difference(aws: LocalAws) -> None:
    ssm = aws.client("ssm")
    ssm.put_parameter(Name=f"{PROFILES}/berlin", Value=json.dumps(BERLIN), Type="String")
    seed(aws, "ep", {"autoscaling:enabled": "true", "autoscaling:profile": "berlin"})

    first = run(aws, "plan", "ep")
    assert first.returncode == 0, first.stderr
    assert "RegisterTarget" in first.stdout
    assert "PutScheduledAction" in first.stdout

    applied = run(aws, "apply", "ep")
    assert applied.returncode == 0, applied.stderr
    assert "applied" in applied.stdout
    again = run(aws, "--json", "plan", "ep")
    assert json.loads(again.stdout)[0]["actions"] == []

    ssm.put_parameter(
        Name=f"{PROFILES}/berlin",
        Value=json.dumps({**BERLIN, "target_tracking": [{"metric": "invocations", "target": 90}]}),
        Type="String",
        Overwrite=True,
    )
    edited = json.loads(run(aws, "--json", "plan", "ep").stdout)[0]
    assert [(a["action"], a["subject"]) for a in edited["actions"]] == [
        ("PutTargetTrackingPolicy", "endpoint/ep/variant/AllTraffic autoscaler-AllTraffic-invocations")
    ]


def test_status_shows_next_runs_in_their_own_time_zone_and_json_parses(aws: LocalAws) -> None:
    aws.client("ssm").put_parameter(Name=f"{PROFILES}/berlin", Value=json.dumps(BERLIN), Type="String")
    seed(aws, "ep", {"autoscaling:enabled": "true", "autoscaling:profile": "berlin"})
    assert run(aws, "apply", "ep").returncode == 0
    result = run(aws, "--json", "status", "ep")
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["state"] == "in sync"
    (variant,) = entry["variants"]
    runs = {s["name"]: s["next_run"] for s in variant["schedules"]}
    assert set(runs) == {"autoscaler-AllTraffic-peak", "autoscaler-AllTraffic-night"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT08:00:00\+0[12]:00", runs["autoscaler-AllTraffic-peak"])
    human = run(aws, "status")  # every opted-in endpoint
    assert "Scheduled actions" in human.stdout
    assert "Europe/Berlin" in human.stdout


def seed_component_host(aws: LocalAws, endpoint_tags: dict[str, str]) -> str:
    """Endpoint "host" with the inference component "llm" (min 0, max 4, 3 concurrent requests per copy) on its
    AllTraffic variant; returns the component's scalable-target resource id."""
    seed(aws, "host", endpoint_tags, "ml.g4dn.12xlarge")
    component_tags = {
        "autoscaling:enabled": "true",
        "autoscaling:min": "0",
        "autoscaling:max": "4",
        "autoscaling:target-concurrency": "3",
    }
    create_inference_component(aws.client("sagemaker"), "llm", "host", tags=component_tags)
    return "inference-component/llm"


def test_status_shows_an_inference_component_with_its_policies_schedules_and_alarm_as_json(aws: LocalAws) -> None:
    # given an endpoint whose component the controller scales down to zero, plus a hand-made policy and schedule on it
    resource = seed_component_host(aws, {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"})
    assert run(aws, "apply", "host").returncode == 0
    autoscaling = aws.client("application-autoscaling")
    scope = {"ServiceNamespace": "sagemaker", "ResourceId": resource, "ScalableDimension": COPIES}
    autoscaling.put_scaling_policy(
        PolicyName="team-invocations",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 50.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerInferenceComponentInvocationsPerCopy"},
        },
        **scope,
    )
    autoscaling.put_scheduled_action(
        ScheduledActionName="team-night",
        Schedule="cron(0 22 * * ? *)",
        Timezone="Europe/Berlin",
        ScalableTargetAction={"MinCapacity": 0, "MaxCapacity": 1},
        **scope,
    )

    # when
    result = run(aws, "--json", "status", "host")

    # then the component is listed with its target, every policy (and who owns it), its schedule and the alarm
    assert result.returncode == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["state"] == "in sync"
    assert [v["variant"] for v in entry["variants"]] == ["AllTraffic"]
    (component,) = entry["components"]
    assert {k: component[k] for k in ("component", "variant", "status", "managed")} == {
        "component": "llm",
        "variant": "AllTraffic",
        "status": "InService",
        "managed": True,
    }
    assert (component["scalable_target"], component["dimension"], component["bounds"]) == (resource, COPIES, [0, 4])
    assert sorted((p["name"], p["type"], p["metric"], p["target"], p["owner"]) for p in component["policies"]) == [
        (
            "autoscaler-llm-concurrency",
            "TargetTrackingScaling",
            "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution",
            3.0,
            "controller",
        ),
        ("autoscaler-llm-step-scale-from-zero", "StepScaling", "alarm -> step adjustments", None, "controller"),
        (
            "team-invocations",
            "TargetTrackingScaling",
            "SageMakerInferenceComponentInvocationsPerCopy",
            50.0,
            "hand-made",
        ),
    ]
    (schedule,) = component["schedules"]
    assert (schedule["name"], schedule["timezone"], schedule["owner"]) == ("team-night", "Europe/Berlin", "hand-made")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT22:00:00\+0[12]:00", schedule["next_run"])
    assert entry["alarms"] == [
        {
            "name": "autoscaler/host/llm/scale-from-zero",
            "for": "llm",
            "metric": "AWS/SageMaker NoCapacityInvocationFailures",
            "statistic": "Sum",
            "comparison": ">",
            "threshold": 1.0,
            "datapoints_to_alarm": 1,
            "evaluation_periods": 1,
            "period": 60,
            "policies": ["autoscaler-llm-step-scale-from-zero"],
        }
    ]


def test_status_shows_an_inference_component_in_tables_like_the_variants(aws: LocalAws) -> None:
    # given
    seed_component_host(aws, {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"})
    assert run(aws, "apply", "host").returncode == 0

    # when
    result = run(aws, "status")  # every opted-in endpoint

    # then
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "host (InService): in sync" in out
    assert re.search(
        r"llm +│ AllTraffic +│ InService +│ inference-component/llm +│ "
        r"sagemaker:inference-component:DesiredCopyCount +│ 0\.\.4 +│ none +│ yes",
        out,
    )
    assert re.search(
        r"llm +│ autoscaler-llm-concurrency +│ TargetTrackingScaling +│ "
        r"SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution +│ 3\.0 +│ controller",
        out,
    )
    assert re.search(r"llm +│ autoscaler-llm-step-scale-from-zero +│ StepScaling +│ .* +│ controller", out)
    assert re.search(
        r"autoscaler/host/llm/scale-from-zero +│ llm +│ Sum of AWS/SageMaker NoCapacityInvocationFailures +│ "
        r"> 1 in 1 of 1 periods of 60s +│ autoscaler-llm-step-scale-from-zero",
        out,
    )


def test_status_shows_components_a_reconcile_no_longer_looks_up_with_what_the_controller_still_owns(
    aws: LocalAws,
) -> None:
    # given a configured component, then the endpoint's tag that made reconciles look components up is removed
    seed_component_host(aws, {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"})
    assert run(aws, "apply", "host").returncode == 0
    host = aws.client("sagemaker").describe_endpoint(EndpointName="host")["EndpointArn"]
    remove_tags(aws.client("sagemaker"), host, ["autoscaling:inference-components"])

    # when
    (entry,) = json.loads(run(aws, "--json", "status", "host").stdout)

    # then status still looks the component up and shows what the controller owns on it, no longer managed
    (component,) = entry["components"]
    assert (component["component"], component["managed"], component["bounds"]) == ("llm", False, [0, 4])
    assert {p["owner"] for p in component["policies"]} == {"controller"}
    assert [a["name"] for a in entry["alarms"]] == ["autoscaler/host/llm/scale-from-zero"]


def test_status_of_an_endpoint_without_components_lists_none(aws: LocalAws) -> None:
    seed(aws, "ep", {"autoscaling:enabled": "true"})
    assert run(aws, "apply", "ep").returncode == 0
    (entry,) = json.loads(run(aws, "--json", "status", "ep").stdout)
    assert (entry["components"], entry["alarms"]) == ([], [])
    assert "Inference components" not in run(aws, "status", "ep").stdout


def test_rejected_configuration_exits_one_and_names_the_tag(aws: LocalAws) -> None:
    seed(aws, "ep", {"autoscaling:enabled": "true", "autoscaling:max": "lots"})
    result = run(aws, "apply", "ep")
    assert result.returncode == 1
    assert "autoscaling:max" in result.stdout


def test_set_capacity_and_release(aws: LocalAws) -> None:
    seed(aws, "ep", {"autoscaling:enabled": "true"})
    assert run(aws, "apply", "ep").returncode == 0
    capacity = run(aws, "--json", "set-capacity", "ep", "AllTraffic", "3", "--hold", "1h")
    answer = json.loads(capacity.stdout)
    assert (answer["status"], answer["count"]) == ("updated", 3)
    assert answer["hold"].startswith("3@")
    refused = run(aws, "set-capacity", "ep", "Nope", "3")
    assert refused.returncode == 1
    released = run(aws, "--json", "release")
    assert [a["action"] for a in json.loads(released.stdout)[0]["actions"]] == ["DeregisterTarget"]
    targets = aws.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")
    assert targets["ScalableTargets"] == []


LLM_SERVING = {
    **DEFAULT,
    "inference_components": {"llm": {"min": 0, "max": 4, "target_tracking": [{"metric": "concurrency", "target": 3}]}},
}


def seed_profile_component_host(aws: LocalAws, tags: dict[str, str] | None = None) -> None:
    """Endpoint "host" on profile llm-serving, whose inference_components.llm scales the untagged component "llm"
    down to zero copies (a target, two policies and the scale-from-zero alarm once applied)."""
    aws.client("ssm").put_parameter(Name=f"{PROFILES}/llm-serving", Value=json.dumps(LLM_SERVING), Type="String")
    seed(aws, "host", {"autoscaling:enabled": "true", "autoscaling:profile": "llm-serving", **(tags or {})})
    create_inference_component(aws.client("sagemaker"), "llm", "host")


def owned(aws: LocalAws) -> dict[str, list[str]]:
    """Everything on the account: scalable targets, scaling policies and the controller's alarms."""
    autoscaling = aws.client("application-autoscaling")
    return {
        "targets": sorted(
            t["ResourceId"]
            for t in autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
        ),
        "policies": sorted(
            p["PolicyName"]
            for p in autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
        ),
        "alarms": sorted(
            a["AlarmName"]
            for a in aws.client("cloudwatch").describe_alarms(AlarmNamePrefix="autoscaler/")["MetricAlarms"]
        ),
    }


@pytest.mark.parametrize("names", [("host",), ()], ids=["named", "every-owner"])
def test_release_removes_an_inference_components_target_policies_and_alarm(
    aws: LocalAws, names: tuple[str, ...]
) -> None:
    # given a host whose profile configures its component llm down to zero
    seed_profile_component_host(aws)
    assert run(aws, "apply", "host").returncode == 0
    assert owned(aws)["targets"] == ["endpoint/host/variant/AllTraffic", "inference-component/llm"]
    assert owned(aws)["alarms"] == ["autoscaler/host/llm/scale-from-zero"]

    # when
    result = run(aws, "--json", "release", *names)

    # then the component's target (with both its policies) and its alarm are gone with the variant's target
    assert result.returncode == 0, result.stderr
    (report,) = json.loads(result.stdout)
    assert sorted((a["action"], a["subject"]) for a in report["actions"]) == [
        ("DeleteAlarms", "autoscaler/host/llm/scale-from-zero"),
        ("DeregisterTarget", "endpoint/host/variant/AllTraffic"),
        ("DeregisterTarget", "inference-component/llm"),
    ]
    assert owned(aws) == {"targets": [], "policies": [], "alarms": []}


def test_release_by_default_deletes_the_owned_alarms_of_an_endpoint_deleted_since(aws: LocalAws) -> None:
    # given an alarm the controller made for an endpoint that no longer exists
    aws.client("cloudwatch").put_metric_alarm(
        AlarmName="autoscaler/gone/AllTraffic/step-overhead-latency",
        Namespace="AWS/SageMaker",
        MetricName="OverheadLatency",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanThreshold",
    )

    # when
    result = run(aws, "--json", "release")

    # then
    assert result.returncode == 0, result.stderr
    assert [(r["endpoint"], [a["action"] for a in r["actions"]]) for r in json.loads(result.stdout)] == [
        ("gone", ["DeleteAlarms"])
    ]
    assert owned(aws)["alarms"] == []


def test_aws_failure_exits_three_without_a_traceback() -> None:
    result = run(None, "--endpoint-url", "http://127.0.0.1:9", "plan", "ep")
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error:")


README = (ROOT / "README.md").read_text()
EXAMPLES = re.findall(r"```(?:yaml|json)\n# rejected: ([^\n]+)\n(.*?)```", README, flags=re.DOTALL)


@pytest.mark.parametrize(("expected", "body"), EXAMPLES[:3], ids=[e[0][:40] for e in EXAMPLES[:3]])
def test_validate_rejects_the_readme_examples_offline(tmp_path: Path, expected: str, body: str) -> None:
    profile = tmp_path / "bad.yaml"
    profile.write_text(body)
    result = run(None, "--json", "validate", "--profile-file", str(profile))
    assert result.returncode == 1
    errors: list[dict[str, Any]] = json.loads(result.stdout)["errors"]
    assert expected in [f"{e['source']}: {e['message']}" for e in errors]


def test_validate_tags_offline() -> None:
    bad = run(None, "validate", "mxa=3")
    assert bad.returncode == 1
    assert "did you mean 'max'" in bad.stdout
    good = run(None, "validate", "max=6", "target-cpu=70", "--instance-type", "ml.m5.xlarge", "--vcpus", "4")
    assert good.returncode == 0, good.stdout


def test_update_endpoint_releases_touched_variants_and_re_applies(aws: LocalAws) -> None:
    sagemaker = aws.client("sagemaker")
    seed(aws, "ep", {"autoscaling:enabled": "true"})
    assert run(aws, "apply", "ep").returncode == 0
    sagemaker.create_endpoint_config(
        EndpointConfigName="ep-bigger",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "ep-AllTraffic",
                "InstanceType": "ml.m5.xlarge",
                "InitialInstanceCount": 1,
                "InitialVariantWeight": 1.0,
            }
        ],
    )
    # SageMaker refuses this update while the variant is autoscaled (the fidelity layer encodes it):
    with pytest.raises(Exception, match="registered for auto scaling"):
        sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep-bigger")

    result = run(aws, "update-endpoint", "ep", "ep-bigger")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "AllTraffic: released for the update (instance type ml.m5.large -> ml.m5.xlarge)" in result.stdout
    assert "applied" in result.stdout
    endpoint = sagemaker.describe_endpoint(EndpointName="ep")
    assert (endpoint["EndpointStatus"], endpoint["EndpointConfigName"]) == ("InService", "ep-bigger")
    targets = aws.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")
    assert [t["ResourceId"] for t in targets["ScalableTargets"]] == ["endpoint/ep/variant/AllTraffic"]
    assert json.loads(run(aws, "--json", "plan", "ep").stdout)[0]["actions"] == []


@pytest.fixture(scope="module")
def demo() -> tuple[subprocess.Popen[str], str]:
    """`sagemaker-autoscaler demo`, run once for the module: the finished process and its output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}  # no account, no credentials
    env["COLUMNS"] = "200"
    process = subprocess.Popen(
        [str(SCRIPT), "demo"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=env,
        start_new_session=True,
    )
    stdout, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr
    return process, stdout


def test_demo_runs_the_main_job_and_leaves_no_process_behind(demo: tuple[subprocess.Popen[str], str]) -> None:
    process, stdout = demo
    assert "autoscaler-AllTraffic-step-overhead-latency" in stdout
    assert "autoscaler-AllTraffic-weekday-peak" in stdout
    assert "DeleteScheduledAction" in stdout  # the profile edit's plan
    assert "fraud-detector (InService): not managed" in stdout
    assert "SageMakerVariantProvisionedConcurrencyUtilization" in stdout  # the serverless endpoint
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)  # nothing of the demo's process group is left


def test_demo_configures_an_inference_component_down_to_zero_copies_and_then_removes_it(
    demo: tuple[subprocess.Popen[str], str],
) -> None:
    configured, _, dropped = demo[1].partition("4. llm-serving drops inference_components.llm")
    # The host is set up as AWS documents scale to zero: its variant's instances are left to SageMaker's managed
    # instance scaling (MinInstanceCount 0), only the component is registered, so nothing warns about idle instances.
    assert re.search(
        r"AllTraffic +│ instance +│ ml\.g4dn\.12xlarge +│ 1 +│ on, 0\.\.2 instances +│ not registered", configured
    )
    assert "can scale to 0 copies" not in demo[1]
    assert re.search(
        r"llm +│ AllTraffic +│ InService +│ inference-component/llm +│ "
        r"sagemaker:inference-component:DesiredCopyCount +│ 0\.\.4 +│ none +│ yes",
        configured,
    )
    assert re.search(
        r"autoscaler-llm-concurrency +│ TargetTrackingScaling +│ "
        r"SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution +│ 3\.0 +│ controller",
        configured,
    )
    assert re.search(r"autoscaler-llm-step-scale-from-zero +│ StepScaling", configured)
    assert re.search(
        r"autoscaler/llm-host/llm/scale-from-zero +│ llm +│ Sum of AWS/SageMaker NoCapacityInvocationFailures +│ "
        r"> 1 in 1 of 1 periods of 60s +│ autoscaler-llm-step-scale-from-zero",
        configured,
    )
    plan, _, after = dropped.partition("RouterFunctionProfileChange -> router -> llm-host")
    assert re.search(r"DeregisterTarget +│ inference-component/llm", plan)
    assert re.search(r"DeleteAlarms +│ autoscaler/llm-host/llm/scale-from-zero", plan)
    assert re.search(r"llm +│ AllTraffic +│ InService +│ not registered +│ +│ +│ +│ no", after)
    for gone in ("DesiredCopyCount", "autoscaler-llm-", "autoscaler/llm-host/llm/", "NoCapacityInvocationFailures"):
        assert gone not in after


def test_sweep_reconciles_every_opted_in_endpoint_with_a_summary(aws: LocalAws) -> None:
    seed(aws, "alpha", {"autoscaling:enabled": "true"})
    seed(aws, "beta", {"autoscaling:enabled": "true", "autoscaling:max": "lots"})
    seed(aws, "gamma", {})
    result = run(aws, "--json", "sweep")
    assert result.returncode == 1  # beta's configuration is rejected
    summary = json.loads(result.stdout)
    assert summary["outcomes"] == {"applied": 1, "rejected": 1}
    assert [r["endpoint"] for r in summary["results"]] == ["alpha", "beta"]


def test_sweep_and_status_take_the_enabled_tag_in_any_case(aws: LocalAws) -> None:
    # given an endpoint opted in as the controller reads the tag (true or false in any case)
    seed(aws, "alpha", {"autoscaling:enabled": "True"})
    seed(aws, "beta", {"autoscaling:enabled": "FALSE"})

    # when
    result = run(aws, "--json", "sweep")

    # then it is reconciled and listed by status; the opted-out one is neither
    assert result.returncode == 0, result.stderr
    assert [(r["endpoint"], r["status"]) for r in json.loads(result.stdout)["results"]] == [("alpha", "applied")]
    assert [e["endpoint"] for e in json.loads(run(aws, "--json", "status").stdout)] == ["alpha"]


def test_sweep_removes_a_component_section_the_profile_dropped(aws: LocalAws) -> None:
    # given a host whose profile configured its component, then dropped inference_components
    seed_profile_component_host(aws)
    assert run(aws, "apply", "host").returncode == 0
    aws.client("ssm").put_parameter(
        Name=f"{PROFILES}/llm-serving", Value=json.dumps(DEFAULT), Type="String", Overwrite=True
    )

    # when
    result = run(aws, "--json", "sweep")

    # then the component's target, its policies and its alarm are removed; the variant's configuration stays
    assert result.returncode == 0, result.stderr
    assert owned(aws) == {
        "targets": ["endpoint/host/variant/AllTraffic"],
        "policies": ["autoscaler-AllTraffic-invocations"],
        "alarms": [],
    }


def test_sweep_finds_an_endpoint_the_controller_owns_something_on_only_through_a_component(aws: LocalAws) -> None:
    # given a host managing only its component (its variant opted out), then its opt-in tag removed
    seed_component_host(
        aws,
        {
            "autoscaling:enabled": "true",
            "autoscaling:inference-components": "true",
            "autoscaling:AllTraffic:enabled": "false",
        },
    )
    assert run(aws, "apply", "host").returncode == 0
    assert owned(aws)["targets"] == ["inference-component/llm"]
    host = aws.client("sagemaker").describe_endpoint(EndpointName="host")["EndpointArn"]
    remove_tags(aws.client("sagemaker"), host, ["autoscaling:enabled", "autoscaling:inference-components"])

    # when
    result = run(aws, "--json", "sweep")

    # then the sweep reconciles it, and what the controller owned on the component is removed
    assert result.returncode == 0, result.stderr
    assert [r["endpoint"] for r in json.loads(result.stdout)["results"]] == ["host"]
    assert owned(aws) == {"targets": [], "policies": [], "alarms": []}


def test_redrive_moves_dead_letters_back_keeping_their_group(aws: LocalAws) -> None:
    sqs = aws.client("sqs")
    fifo = {"FifoQueue": "true"}
    dlq = sqs.create_queue(QueueName="reconcile-dlq.fifo", Attributes=fifo)["QueueUrl"]
    queue = sqs.create_queue(QueueName="reconcile.fifo", Attributes=fifo)["QueueUrl"]
    for number in range(3):
        sqs.send_message(
            QueueUrl=dlq,
            MessageBody=json.dumps({"endpoint": f"ep{number}"}),
            MessageGroupId=f"ep{number}",
            MessageDeduplicationId=f"d{number}",
        )
    result = run(aws, "--json", "redrive", "--queue-url", queue, "--dlq-url", dlq)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["moved"] == 3
    moved = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"])["Messages"]
    assert sorted(m["Attributes"]["MessageGroupId"] for m in moved) == ["ep0", "ep1", "ep2"]
    assert sqs.receive_message(QueueUrl=dlq, MaxNumberOfMessages=10).get("Messages", []) == []


def test_invoke_runs_a_function_handler_on_an_event_file(aws: LocalAws) -> None:
    seed(aws, "MyEndpoint", {"autoscaling:enabled": "true"})
    event = ROOT / "events" / "sagemaker-endpoint-state-change-in-service.json"
    result = run(aws, "invoke", "RouterFunction", str(event))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["endpoints"] == ["MyEndpoint"]


@pytest.mark.parametrize("option", ["--param", "--env"])
def test_invoke_refuses_an_option_without_a_value_as_a_usage_error(option: str) -> None:
    event = str(ROOT / "events" / "sagemaker-endpoint-state-change-in-service.json")
    for command in ([str(SCRIPT), "invoke"], [sys.executable, "-m", "localaws.invoke"]):
        result = subprocess.run(
            [*command, "RouterFunction", event, option, "Foo"], capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 2, result.stderr
        assert f"{option} 'Foo': expected NAME=VALUE" in result.stderr
        assert "Traceback" not in result.stderr
