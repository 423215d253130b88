"""Security: the capacity ceiling, the profile prefix, the opt-in, ownership, no reconcile loop, no secret in logs."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from autoscaler.aws import Aws
from autoscaler.events import route
from autoscaler.observability import logger
from autoscaler.reconciler import Deps, Status, reconcile_endpoint
from localaws.seed import set_tags
from tests.conftest import load_event
from tests.functional.conftest import BASE_TAGS, World

from .conftest import PROFILE_PREFIX, RICH, RICH_TAGS, VARIANTS, deps, snapshot

MODIFYING = ("application-autoscaling", "cloudwatch", "sagemaker")


def _modifications(world: World) -> dict[tuple[str, str], int]:
    return {k: n for k, n in world.counter.writes.items() if k[0] in MODIFYING}


@pytest.mark.parametrize(
    ("tags", "profile"),
    [
        ({"autoscaling:max": "21"}, None),
        ({"autoscaling:Primary:max": "1000000"}, None),
        ({"autoscaling:min": "25", "autoscaling:max": "30"}, None),
        ({}, {"version": 1, "min": 1, "max": 21}),
        ({}, {"version": 1, "min": 1, "max": 4, "limits": {"max": 40}}),
        ({"autoscaling:max": "30"}, {"version": 1, "min": 1, "max": 4, "limits": {"max": 40}}),
        ({}, {"version": 1, "min": 1, "max": 4, "variants": {"Canary": {"max": 99}}}),
        ({}, {"version": 1, "min": 1, "max": 4, "schedules": [{"name": "s", "schedule": "rate(1 day)", "max": 50}]}),
    ],
)
def test_the_capacity_ceiling_holds_against_tags_and_profiles(
    world: World, tags: dict[str, str], profile: dict[str, Any] | None
) -> None:
    if profile is not None:
        world.profile("p", profile)
        tags = {**tags, "autoscaling:profile": "p"}
    world.endpoint("ep", {"autoscaling:enabled": "true", **tags}, VARIANTS)
    outcome = world.reconcile("ep")
    assert outcome.status is Status.REJECTED
    assert any("above" in str(error) for error in outcome.errors), outcome.errors
    assert world.targets("ep") == {}
    assert _modifications(world) == {}


def test_a_capacity_hold_above_the_ceiling_is_clamped_to_max(world: World) -> None:
    world.endpoint(
        "ep",
        {**BASE_TAGS, "autoscaling:max": "20", "autoscaling:Primary:hold": "500@2099-01-01T00:00:00Z"},
        VARIANTS,
    )
    outcome = world.reconcile("ep")
    assert outcome.status is Status.APPLIED, outcome.errors
    # The hold names Primary: its floor is clamped to max (20, the ceiling); Canary keeps the tags' bounds.
    assert world.targets("ep") == {"Primary": (20, 20), "Canary": (1, 20)}


@contextmanager
def parameter_reads(aws: Aws) -> Iterator[list[dict[str, Any]]]:
    """The GetParameter requests the controller makes (name and WithDecryption), at the botocore layer."""
    requests: list[dict[str, Any]] = []

    def hook(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in ("GetParameter", "GetParameters", "GetParametersByPath"):
            requests.append(dict(params["body"]) if isinstance(params["body"], dict) else json.loads(params["body"]))

    aws.ssm.meta.events.register("before-call", hook)
    try:
        yield requests
    finally:
        aws.ssm.meta.events.unregister("before-call", hook)


@pytest.mark.parametrize(
    "ref",
    [
        "/elsewhere/db-password",
        "/sagemaker-autoscaler/profilesX/p",
        "/sagemaker-autoscaler/p",
        "/aws/reference/secretsmanager/prod-db",
        "../../secrets/db",
        "a/../../../secrets:1",
        "default:prod",
        "fleet:3",
    ],
)
def test_the_profile_prefix_confines_what_a_tag_can_make_the_controller_read(world: World, ref: str) -> None:
    world.aws.ssm.put_parameter(Name="/elsewhere/db-password", Value="hunter2", Type="SecureString")
    world.endpoint("ep", {**BASE_TAGS, "autoscaling:profile": ref})
    with parameter_reads(world.aws) as requests:
        outcome = world.reconcile("ep")
    assert outcome.status is Status.REJECTED
    for request in requests:  # only under the prefix, never decrypted
        assert request["Name"].startswith(f"{PROFILE_PREFIX}/"), request
        assert request.get("WithDecryption") is False
    if ref.startswith("/"):
        assert requests == []  # refused before any read
    assert "hunter2" not in json.dumps(outcome.to_dict())


@pytest.mark.parametrize(
    "tags",
    [
        {},
        {"autoscaling:enabled": "false", "autoscaling:max": "8"},
        {"team": "search", "autoscaling-other:enabled": "true", "Autoscaling:enabled": "true"},
        {"autoscaling:max": "8", "autoscaling:profile": "default"},  # settings without the opt-in
    ],
)
def test_an_endpoint_without_the_opt_in_is_never_modified(world: World, tags: dict[str, str]) -> None:
    world.endpoint("ep", tags, VARIANTS)
    for write_status_tags in (False, True):
        outcome = world.reconcile("ep", write_status_tags=write_status_tags)
        assert outcome.status is Status.DISABLED
        assert outcome.writes == 0
    assert _modifications(world) == {}  # no target, no alarm, not even a status tag
    assert world.targets("ep") == {}


def _foreign(world: World, endpoint: str) -> dict[str, Any]:
    """Hand-made configuration on ``endpoint``'s Primary variant, and a hand-made alarm: what the controller must not
    touch."""
    aas, scope = world.aws.autoscaling, {"ServiceNamespace": "sagemaker"}
    resource = {**scope, "ResourceId": f"endpoint/{endpoint}/variant/Primary"}
    target = {**resource, "ScalableDimension": "sagemaker:variant:DesiredInstanceCount"}
    aas.put_scaling_policy(
        PolicyName="team-tt",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 5.0,
            # a metric the controller's profiles never track: AWS takes one target-tracking policy per metric
            "CustomizedMetricSpecification": {
                "Namespace": "/aws/sagemaker/Endpoints",
                "MetricName": "DiskUtilization",
                "Dimensions": [
                    {"Name": "EndpointName", "Value": endpoint},
                    {"Name": "VariantName", "Value": "Primary"},
                ],
                "Statistic": "Average",
            },
        },
        **target,
    )
    aas.put_scheduled_action(
        ScheduledActionName="team-nightly",
        Schedule="cron(0 0 * * ? *)",
        ScalableTargetAction={"MinCapacity": 2},
        **target,
    )
    world.aws.cloudwatch.put_metric_alarm(
        AlarmName=f"team/{endpoint}/latency",
        MetricName="ModelLatency",
        Namespace="AWS/SageMaker",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    return _foreign_state(world, endpoint)


def _foreign_state(world: World, endpoint: str) -> dict[str, Any]:
    aas, scope = world.aws.autoscaling, {"ServiceNamespace": "sagemaker"}
    policies = [p for p in aas.describe_scaling_policies(**scope)["ScalingPolicies"] if p["PolicyName"] == "team-tt"]
    actions = aas.describe_scheduled_actions(**scope)["ScheduledActions"]
    alarms = world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="team/")["MetricAlarms"]
    return json.loads(
        json.dumps(
            {
                "policies": policies,
                "schedules": [a for a in actions if a["ScheduledActionName"] == "team-nightly"],
                "alarms": [{k: v for k, v in a.items() if not k.startswith("State")} for a in alarms],
            },
            default=str,
        )
    )


def test_resources_the_controller_does_not_own_are_never_touched(world: World) -> None:
    world.profile("rich", RICH)
    world.endpoint("ep", {"autoscaling:enabled": "true"}, VARIANTS)
    assert world.reconcile("ep").status is Status.APPLIED
    foreign = _foreign(world, "ep")
    foreign_writes = ("team-tt", "team-nightly", "team/")

    def untouched() -> None:
        assert _foreign_state(world, "ep") == foreign

    steps = [
        {"autoscaling:max": "6"},  # a change
        {"autoscaling:profile": "rich"},  # a profile with step scaling and schedules
        {"autoscaling:adopt": "coexist"},
        {"autoscaling:Primary:enabled": "false"},  # release one variant: its target stays for team-tt
        {"autoscaling:enabled": "false"},  # opt-out
    ]
    writes: list[str] = []

    def hook(params: dict[str, Any], model: Any, **_: Any) -> None:
        if not model.name.startswith("Describe"):
            writes.append(f"{model.name} {params['body']!r}")

    for client in (world.aws.autoscaling, world.aws.cloudwatch):
        client.meta.events.register("before-call", hook)
    try:
        notes = []
        for tags in steps:
            set_tags(world.aws.sagemaker, world.arns["ep"], tags)
            outcome = world.reconcile("ep")
            notes += outcome.notes
            assert outcome.status in (Status.APPLIED, Status.UNCHANGED, Status.DISABLED)
            untouched()
    finally:
        for client in (world.aws.autoscaling, world.aws.cloudwatch):
            client.meta.events.unregister("before-call", hook)
    assert writes  # the hook saw the controller's writes ...
    assert not [w for w in writes if any(name in w for name in foreign_writes)]  # ... and none named a foreign one
    assert set(world.targets("ep")) == {"Primary"}  # kept for the hand-made policy, never deregistered
    assert "target kept for hand-made team-tt, team-nightly" in " ".join(notes)


def test_a_target_made_by_hand_on_an_endpoint_never_opted_in_is_left_alone(world: World) -> None:
    world.endpoint("ep", {}, VARIANTS)
    world.aws.autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ep/variant/Canary",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=2,
        MaxCapacity=3,
    )
    world.counter.reset()
    assert world.reconcile("ep").writes == 0
    assert _modifications(world) == {}
    assert world.targets("ep") == {"Canary": (2, 3)}


def test_the_controllers_own_status_tags_trigger_no_reconcile(world: World) -> None:
    """The status tags the controller writes, as the CloudTrail AddTags and Tag Change events AWS would send for that
    very call, route to no endpoint."""
    world.endpoint("MyEndpoint", BASE_TAGS)
    written: list[dict[str, Any]] = []

    def hook(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name == "AddTags":
            written.append(params["body"] if isinstance(params["body"], dict) else json.loads(params["body"]))

    @contextmanager
    def recording() -> Iterator[None]:
        world.aws.sagemaker.meta.events.register("before-call", hook)
        try:
            yield
        finally:
            world.aws.sagemaker.meta.events.unregister("before-call", hook)

    with recording():
        first = world.reconcile("MyEndpoint", write_status_tags=True)
    world.tag("MyEndpoint", max="lots")
    with recording():
        second = world.reconcile("MyEndpoint", write_status_tags=True)  # the status changes to rejected
    assert (first.status, second.status) == (Status.APPLIED, Status.REJECTED)
    assert len(written) == 2

    template = load_event("cloudtrail-addtags.json")
    tag_change = load_event("tag-change-on-resource-endpoint.json")
    for request in written:
        keys = [t["Key"] for t in request["Tags"]]
        assert set(keys) <= {"autoscaling:status", "autoscaling:status-reason"}
        cloudtrail = copy.deepcopy(template)
        cloudtrail["detail"]["requestParameters"] = {
            "resourceArn": request["ResourceArn"].replace("MyEndpoint", "myendpoint"),
            "tags": [{"key": t["Key"], "value": t["Value"]} for t in request["Tags"]],
        }
        changed = copy.deepcopy(tag_change)
        changed["resources"] = [request["ResourceArn"]]
        changed["detail"]["changed-tag-keys"] = keys
        for event in (cloudtrail, changed):
            routing = route(event, world.settings, world.aws)
            assert routing.endpoints == ()
            assert "status tags" in routing.reason

    # The control: the same event with a real configuration key does wake the endpoint.
    cloudtrail["detail"]["requestParameters"]["tags"].append({"key": "autoscaling:max", "value": "4"})
    assert route(cloudtrail, world.settings, world.aws).endpoints == ("MyEndpoint",)


MARKER = "zq-marker-5c1e"


def test_no_secret_credential_or_profile_body_appears_in_logs(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Powertools' handler holds the stdout it found at import (pytest's capture): the test reads that stream."""
    captured = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", captured)
    access_key, secret_key, token = "AKIAZQ5C1EMARKERKEY1", "zq/secret+5c1e/MARKER/credential", "zq-session-5c1e"
    session = boto3.session.Session(
        aws_access_key_id=access_key, aws_secret_access_key=secret_key, aws_session_token=token, region_name="us-east-1"
    )
    aws = Aws.create(session, max_attempts=1)
    profile = {**RICH, "step_scaling": [{**RICH["step_scaling"][0], "name": MARKER}]}
    body = json.dumps(profile)
    world.aws.ssm.put_parameter(Name=f"{PROFILE_PREFIX}/rich", Value=body, Type="String")
    world.aws.ssm.put_parameter(Name=f"{PROFILE_PREFIX}/vault", Value=f"secret {MARKER}-secure", Type="SecureString")
    world.aws.ssm.put_parameter(
        Name=f"{PROFILE_PREFIX}/broken", Value=body.replace('"min": 1', '"min": "x"', 1), Type="String"
    )
    world.endpoint("ep", RICH_TAGS, VARIANTS)

    settings = deps(world).settings
    for tags in ({}, {"autoscaling:profile": "vault"}, {"autoscaling:profile": "broken"}, {"autoscaling:max": "x"}):
        set_tags(world.aws.sagemaker, world.arns["ep"], tags)
        reconcile_endpoint("ep", Deps(settings, aws))
    logs = captured.getvalue()

    assert '"message":"applied"' in logs.replace(" ", "")  # the capture sees the Powertools JSON lines
    assert '"configuration rejected"' in logs
    for secret in (access_key, secret_key, token, f"{MARKER}-secure", body, json.dumps(profile, indent=2)):
        assert secret not in logs
    assert snapshot(world.aws, "ep")["alarms"]  # and the marker profile was applied, not refused
