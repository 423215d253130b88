"""Profiles against moto with the fidelity layer: everything the profile says, exactly, and nothing lost on errors."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from autoscaler.reconciler import Status

from .conftest import World

RICH = {
    "version": 1,
    "min": 1,
    "max": 8,
    "limits": {"max": 12},
    "target_tracking": [
        {"metric": "invocations", "target": 70, "scale_in_cooldown": 600, "scale_out_cooldown": 120},
    ],
    "step_scaling": [
        {
            "name": "overhead-latency",
            "metric": {"namespace": "AWS/SageMaker", "name": "OverheadLatency", "statistic": "Average"},
            "comparison": ">=",
            "threshold": 100000,
            "period": 60,
            "evaluation_periods": 3,
            "datapoints_to_alarm": 2,
            "treat_missing_data": "notBreaching",
            "adjustment_type": "change",
            "metric_aggregation": "Maximum",
            "steps": [{"lower": 0, "upper": 50000, "adjustment": 1}, {"lower": 50000, "adjustment": 3}],
            "cooldown": 120,
        }
    ],
    "schedules": [
        {
            "name": "weekday-peak",
            "schedule": "cron(0 8 ? * MON-FRI *)",
            "timezone": "Europe/Berlin",
            "start": "2026-01-01T00:00:00Z",
            "end": "2027-12-31T00:00:00Z",
            "min": 3,
        },
        {"name": "weekday-evening", "schedule": "cron(0 19 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 1},
    ],
}
TAGS = {"autoscaling:enabled": "true", "autoscaling:profile": "rich"}
AT_10_BERLIN = datetime(2026, 11, 25, 9, tzinfo=UTC)  # a Wednesday
AT_20_BERLIN = datetime(2026, 11, 25, 19, tzinfo=UTC)


def schedules(world: World) -> dict[str, dict[str, Any]]:
    found = world.aws.autoscaling.describe_scheduled_actions(ServiceNamespace="sagemaker")["ScheduledActions"]
    return {a["ScheduledActionName"]: a for a in found}


def alarms(world: World) -> dict[str, dict[str, Any]]:
    found = world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/")["MetricAlarms"]
    return {a["AlarmName"]: a for a in found}


@pytest.fixture
def rich(world: World) -> World:
    world.profile("rich", RICH)
    world.endpoint("ep", TAGS)
    assert world.reconcile("ep", clock=AT_10_BERLIN).status is Status.APPLIED
    world.counter.reset()
    return world


def test_rich_profile_is_applied_exactly(rich: World) -> None:
    assert rich.targets("ep") == {"AllTraffic": (3, 8)}  # 10:00 Berlin: the morning action fired last
    policies = rich.policies("ep")
    tracking = policies["autoscaler-AllTraffic-invocations"]["TargetTrackingScalingPolicyConfiguration"]
    assert (tracking["TargetValue"], tracking["ScaleInCooldown"], tracking["ScaleOutCooldown"]) == (70.0, 600, 120)
    step = policies["autoscaler-AllTraffic-step-overhead-latency"]
    config = step["StepScalingPolicyConfiguration"]
    assert config["AdjustmentType"] == "ChangeInCapacity"
    assert config["MetricAggregationType"] == "Maximum"
    assert config["Cooldown"] == 120
    assert [
        (s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound"), s["ScalingAdjustment"])
        for s in config["StepAdjustments"]
    ] == [(0.0, 50000.0, 1), (50000.0, None, 3)]

    alarm = alarms(rich)["autoscaler/ep/AllTraffic/overhead-latency"]
    assert alarm["AlarmActions"] == [step["PolicyARN"]]
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "AWS/SageMaker",
        "OverheadLatency",
        "Average",
    )
    assert {d["Name"]: d["Value"] for d in alarm["Dimensions"]} == {"EndpointName": "ep", "VariantName": "AllTraffic"}
    assert (alarm["ComparisonOperator"], alarm["Threshold"]) == ("GreaterThanOrEqualToThreshold", 100000.0)
    assert (alarm["Period"], alarm["EvaluationPeriods"], alarm["DatapointsToAlarm"]) == (60, 3, 2)
    assert alarm["TreatMissingData"] == "notBreaching"

    peak = schedules(rich)["autoscaler-AllTraffic-weekday-peak"]
    assert (peak["Schedule"], peak["Timezone"]) == ("cron(0 8 ? * MON-FRI *)", "Europe/Berlin")
    assert peak["StartTime"] == datetime(2026, 1, 1, tzinfo=UTC)
    assert peak["EndTime"] == datetime(2027, 12, 31, tzinfo=UTC)
    assert peak["ScalableTargetAction"] == {"MinCapacity": 3}
    assert set(schedules(rich)) == {"autoscaler-AllTraffic-weekday-peak", "autoscaler-AllTraffic-weekday-evening"}


def test_rich_profile_second_reconcile_writes_nothing(rich: World) -> None:
    outcome = rich.reconcile("ep", clock=AT_10_BERLIN)
    assert outcome.status is Status.UNCHANGED
    assert rich.writes() == {}


def test_evening_reconcile_expects_the_evening_bounds(rich: World) -> None:
    outcome = rich.reconcile("ep", clock=AT_20_BERLIN)
    assert [a.verb for a in outcome.actions] == ["RegisterTarget"]
    assert rich.targets("ep") == {"AllTraffic": (1, 8)}


def test_removing_one_schedule_deletes_only_that_action(rich: World) -> None:
    rich.profile("rich", {**RICH, "schedules": RICH["schedules"][:1]})
    outcome = rich.reconcile("ep", clock=AT_10_BERLIN)
    assert [a.verb for a in outcome.actions] == ["DeleteScheduledAction"]
    assert set(schedules(rich)) == {"autoscaler-AllTraffic-weekday-peak"}


def test_removing_the_step_policy_deletes_it_and_its_alarm(rich: World) -> None:
    rich.profile("rich", {k: v for k, v in RICH.items() if k != "step_scaling"})
    rich.reconcile("ep", clock=AT_10_BERLIN)
    assert "autoscaler-AllTraffic-step-overhead-latency" not in rich.policies("ep")
    assert alarms(rich) == {}


def test_changing_the_step_threshold_updates_only_the_alarm(rich: World) -> None:
    changed = {**RICH["step_scaling"][0], "threshold": 80000}
    rich.profile("rich", {**RICH, "step_scaling": [changed]})
    outcome = rich.reconcile("ep", clock=AT_10_BERLIN)
    assert [a.verb for a in outcome.actions] == ["PutAlarm"]
    assert rich.writes() == {("cloudwatch", "PutMetricAlarm"): 1}


def test_opt_out_removes_policies_schedules_and_the_step_alarm(rich: World) -> None:
    rich.tag("ep", enabled="false")
    rich.reconcile("ep", clock=AT_10_BERLIN)
    assert rich.targets("ep") == {}
    assert rich.policies("ep") == {}
    assert schedules(rich) == {}
    assert alarms(rich) == {}


def test_tag_target_replaces_only_that_target_and_limits_hold(world: World) -> None:
    world.profile("rich", RICH)
    world.endpoint("ep", {**TAGS, "autoscaling:target-invocations": "95"})
    world.reconcile("ep", clock=AT_10_BERLIN)
    tracking = world.policies("ep")["autoscaler-AllTraffic-invocations"]["TargetTrackingScalingPolicyConfiguration"]
    assert (tracking["TargetValue"], tracking["ScaleInCooldown"]) == (95.0, 600)
    world.tag("ep", max="13")
    outcome = world.reconcile("ep", clock=AT_10_BERLIN)
    assert outcome.status is Status.REJECTED
    assert str(outcome.errors[0]) == "autoscaling:max: max 13 is above the profile's limits.max 12"
    assert world.writes() == {}


def test_cpu_target_on_a_four_vcpu_instance_divides_by_four(world: World) -> None:
    from localaws.seed import VariantSeed, create_endpoint

    create_endpoint(
        world.aws.sagemaker,
        "ep",
        (VariantSeed("AllTraffic", "ml.m5.xlarge"),),
        {"autoscaling:enabled": "true", "autoscaling:target-cpu": "70"},
    )
    world.reconcile("ep")
    config = world.policies("ep")["autoscaler-AllTraffic-cpu"]["TargetTrackingScalingPolicyConfiguration"]
    queries = config["CustomizedMetricSpecification"]["Metrics"]
    assert [q["Expression"] for q in queries if q.get("ReturnData")] == ["cpu / 4"]
    assert config["TargetValue"] == 70.0
    assert world.reconcile("ep").status is Status.UNCHANGED  # the metric-math policy reads back equal


@pytest.mark.parametrize(
    ("body", "kind", "fragment"),
    [
        ("version: 1\nmin: 1\nmax: lots\n", "String", "profile bad: max: 'lots' is not a whole number"),
        ('{"version": 1, "min": 1, "min": 2, "max": 3}', "String", "profile bad: duplicate key 'min'"),
        ("version: 1\nmin: &m 1\nmax: *m\n", "String", "profile bad: anchors are not allowed"),
        ('{"version": 1, "min": 1, "max": 4}', "SecureString", "profiles are String parameters"),
        (
            "version: 1\nmin: 1\nmax: 4\nschedules: [{name: x, schedule: 'cron(0 8 1 * MON *)', min: 2}]\n",
            "String",
            "profile bad: schedules[0].schedule",
        ),
    ],
)
def test_invalid_profile_writes_nothing_and_keeps_the_applied_state(
    world: World, body: str, kind: str, fragment: str
) -> None:
    world.profile(
        "bad", {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 50}]}
    )
    world.endpoint("ep", {"autoscaling:enabled": "true", "autoscaling:profile": "bad"})
    world.reconcile("ep")
    before = (world.targets("ep"), world.policies("ep"))
    world.aws.ssm.delete_parameter(Name="/sagemaker-autoscaler/profiles/bad")
    world.profile("bad", body, kind)
    outcome = world.reconcile("ep")
    assert outcome.status is Status.REJECTED
    assert fragment in str(outcome.errors[0])
    assert world.writes() == {}
    assert (world.targets("ep"), world.policies("ep")) == before


def test_missing_profile_and_profile_outside_the_prefix_are_rejected(world: World) -> None:
    world.endpoint("ep", {"autoscaling:enabled": "true", "autoscaling:profile": "nowhere"})
    outcome = world.reconcile("ep")
    assert str(outcome.errors[0]) == "profile nowhere: parameter /sagemaker-autoscaler/profiles/nowhere does not exist"
    world.tag("ep", profile="/elsewhere/p")
    assert "outside the profile prefix" in str(world.reconcile("ep").errors[0])


def test_profile_label_selects_a_version(world: World) -> None:
    tracking = [{"metric": "invocations", "target": 70}]
    world.profile("fleet", {"version": 1, "min": 1, "max": 3, "target_tracking": tracking})
    world.aws.ssm.label_parameter_version(
        Name="/sagemaker-autoscaler/profiles/fleet", ParameterVersion=1, Labels=["prod"]
    )
    world.profile("fleet", {"version": 1, "min": 1, "max": 9, "target_tracking": tracking})
    world.endpoint("ep", {"autoscaling:enabled": "true", "autoscaling:profile": "fleet:prod"})
    world.reconcile("ep")
    assert world.targets("ep") == {"AllTraffic": (1, 3)}


def test_adopt_replace_deletes_hand_made_policies_and_reports_them(world: World) -> None:
    world.endpoint("ep", {"autoscaling:enabled": "true"})
    world.reconcile("ep")
    world.aws.autoscaling.put_scheduled_action(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ep/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        ScheduledActionName="nightly",
        Schedule="cron(0 0 * * ? *)",
        ScalableTargetAction={"MinCapacity": 1},
    )
    world.tag("ep", adopt="replace")
    outcome = world.reconcile("ep")
    assert [(a.verb, a.reason) for a in outcome.actions] == [
        ("DeleteScheduledAction", "adopt=replace: hand-made scheduled action")
    ]
    assert schedules(world) == {}
