"""Configurations AWS refuses are refused by validation first, naming their source: each case here passed
validation before and was refused at apply time (so retried, dead-lettered and re-enqueued by every sweep).
Each cites the AWS document whose rule it encodes; the reverse cases (AWS accepts, the controller must too) are here
as well."""

from __future__ import annotations

import json
from typing import Any

import pytest

from autoscaler.errors import ConfigError
from autoscaler.profiles import parse_profile
from autoscaler.settings import Settings
from autoscaler.sources import Desired, desire
from autoscaler.spec import VariantKind
from autoscaler.state import EndpointInfo, Hardware, VariantInfo
from autoscaler.statistics import statistic_problem
from autoscaler.tags import ProfileRef, parse_target

SETTINGS = Settings(max_capacity_ceiling=20)
ON = {"autoscaling:enabled": "true", "autoscaling:profile": "p"}
SOURCE = "profile p"


def endpoint(kind: VariantKind = VariantKind.INSTANCE) -> EndpointInfo:
    return EndpointInfo(
        "ep",
        "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep",
        "InService",
        "cfg",
        (VariantInfo("AllTraffic", kind, "ml.m5.xlarge"),),
    )


def desired(profile: dict[str, Any], tags: dict[str, str] | None = None) -> Desired:
    def load(ref: ProfileRef) -> Any:
        return parse_profile(json.dumps(profile), f"profile {ref.name}")

    return desire(
        endpoint(), {**ON, **(tags or {})}, SETTINGS, profiles=load, hardware={"ml.m5.xlarge": Hardware(4, 0)}.get
    )


def problems(profile: dict[str, Any], tags: dict[str, str] | None = None) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        desired(profile, tags)
    return [(p.source, p.message) for p in caught.value.problems]


def base(**fields: Any) -> dict[str, Any]:
    return {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}], **fields}


def at(name: str, when: str, **bounds: int) -> dict[str, Any]:
    return {"name": name, "schedule": f"at({when})", **bounds}


# ------------------------------------------------------------------ schedules whose bounds AWS would refuse


def test_a_schedule_min_above_the_variant_max_is_refused() -> None:
    # Was registered as [10..4]. AAS User Guide, "Scheduled scaling": "you must include both sizes to ensure that the
    # new minimum capacity is not greater than the maximum capacity".
    assert problems(base(schedules=[at("peak", "2026-06-01T08:00:00", min=10)])) == [
        (
            "profile p: schedules[0].min",
            "10 is above the variant's max 4, which can be in effect when it runs: set max too",
        )
    ]


def test_a_schedule_min_above_the_ceiling_is_refused() -> None:
    # Was registered as [25..20] (MaxCapacityCeiling 20).
    found = problems(base(max=20, schedules=[at("peak", "2026-06-01T08:00:00", min=25, max=30)]))
    assert ("profile p: schedules[0].min", "25 is above MaxCapacityCeiling 20") in found
    assert ("profile p: schedules[0].max", "30 is above MaxCapacityCeiling 20") in found


def test_a_schedule_max_above_the_profile_limit_is_refused() -> None:
    found = problems(base(limits={"max": 6}, schedules=[at("peak", "2026-06-01T08:00:00", min=2, max=8)]))
    assert found == [("profile p: schedules[0].max", "8 is above the profile's limits.max 6")]


def test_a_min_only_action_must_fit_under_every_max_another_action_can_leave() -> None:
    night = at("night", "2026-06-01T00:00:00", min=1, max=2)
    morning = at("morning", "2026-06-02T08:00:00", min=3)
    assert problems(base(max=8, schedules=[night, morning])) == [
        (
            "profile p: schedules[1].min",
            "3 is above the max of schedule 'night' 2, which can be in effect when it runs: set max too",
        )
    ]


def test_a_max_only_action_must_stay_above_every_min_another_action_can_leave() -> None:
    peak = at("peak", "2026-06-01T08:00:00", min=5, max=10)
    cap = at("cap", "2026-06-02T08:00:00", max=3)
    assert problems(base(max=8, schedules=[peak, cap])) == [
        (
            "profile p: schedules[1].max",
            "3 is below the min of schedule 'peak' 5, which can be in effect when it runs: set min too",
        )
    ]


def test_partial_actions_that_fit_every_order_are_accepted() -> None:
    # A (min 3, max 10), then B (min 1): AWS holds (1, 10), so B's min fits under A's max.
    first = at("a", "2026-06-01T08:00:00", min=3, max=10)
    second = at("b", "2026-06-01T19:00:00", min=1)
    (variant,) = desired(base(max=8, schedules=[first, second])).spec.variants
    assert [s.min_capacity for s in variant.schedules] == [3, 1]


def test_a_rate_action_without_start_beside_another_action_is_refused() -> None:
    rate = {"name": "tick", "schedule": "rate(1 hour)", "min": 2}
    cron = {"name": "night", "schedule": "cron(0 22 * * ? *)", "min": 1}
    assert problems(base(schedules=[rate, cron])) == [
        (
            "profile p: schedules[0].start",
            "a rate() action beside other scheduled actions needs a start time: AWS does not say when one without it "
            "first runs, so which action ran last could not be known",
        )
    ]


def test_a_rate_action_alone_or_with_a_start_is_accepted() -> None:
    desired(base(schedules=[{"name": "tick", "schedule": "rate(1 hour)", "min": 2}]))
    rate = {"name": "tick", "schedule": "rate(1 hour)", "min": 2, "start": "2026-01-01T00:00:00Z"}
    desired(base(schedules=[rate, {"name": "night", "schedule": "cron(0 22 * * ? *)", "min": 1}]))


@pytest.mark.parametrize(
    ("field", "value"),
    [("start", "0001-01-01T00:00:00Z"), ("end", "9999-12-31T23:59:59Z"), ("start", "1969-12-31T23:59:59Z")],
)
def test_a_start_or_end_outside_the_years_aws_takes_is_refused(field: str, value: str) -> None:
    entry = {"name": "peak", "schedule": "cron(0 8 * * ? *)", "min": 2, field: value}
    assert problems(base(schedules=[entry])) == [
        (f"profile p: schedules[0].{field}", f"{value!r} is outside 1970-2199, the years AWS schedules take")
    ]


def test_an_at_at_the_end_of_time_in_new_york_is_refused_not_an_overflow() -> None:
    # Was an OverflowError (9999-12-31T23:59:59 New York is past the last datetime in UTC) that crashed the sweep.
    entry = {"name": "x", "schedule": "at(9999-12-31T23:59:59)", "timezone": "America/New_York", "min": 2}
    assert problems(base(schedules=[entry])) == [
        ("profile p: schedules[0].schedule", "'at(9999-12-31T23:59:59)': year 9999 is outside 1970-2199")
    ]


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ("US/Pacific", "'US/Pacific' is an alias of 'America/Los_Angeles': AWS takes canonical IANA time zone names"),
        ("Factory", "'Factory' is not an IANA time zone"),
        ("localtime", "'localtime' is not an IANA time zone"),
    ],
)
def test_a_time_zone_that_is_not_canonical_is_refused(zone: str, message: str) -> None:
    # PutScheduledAction, Timezone: "Valid values are the canonical names of the IANA time zones supported by
    # Joda-Time (such as Etc/GMT+9 or Pacific/Tahiti)".
    entry = {"name": "peak", "schedule": "cron(0 8 * * ? *)", "timezone": zone, "min": 2}
    assert problems(base(schedules=[entry])) == [("profile p: schedules[0].timezone", message)]


# ------------------------------------------------------------------ policies and alarms AWS would refuse


def test_a_step_with_neither_bound_is_refused() -> None:
    step = {
        "name": "s",
        "metric": {"namespace": "AWS/SageMaker", "name": "ModelLatency"},
        "comparison": ">",
        "threshold": 1,
        "adjustment_type": "change",
        "steps": [{"adjustment": 1}],
    }
    assert problems(base(step_scaling=[step])) == [
        ("profile p: step_scaling[0].steps[0]", "give lower, upper or both: AWS refuses a step with neither bound")
    ]


def test_a_percentile_on_a_single_target_tracking_metric_is_refused() -> None:
    # CustomizedMetricSpecification.Statistic is the MetricStatistic enum (Average, Minimum, Maximum, SampleCount,
    # Sum): the percentile belongs in a metric-math query's Stat.
    policy = {"metric": {"namespace": "Acme", "name": "Latency", "statistic": "p99"}, "target": 200}
    assert problems(base(target_tracking=[policy])) == [
        (
            "profile p: target_tracking[0].metric.statistic",
            "'p99' is not one of Average, Maximum, Minimum, SampleCount, Sum",
        )
    ]


def test_a_percentile_in_a_metric_math_query_is_accepted() -> None:
    # TargetTrackingMetricStat.Stat: "It can include any CloudWatch statistic or extended statistic".
    policy = {
        "name": "latency",
        "metric": {
            "metrics": [
                {"id": "m1", "metric": {"namespace": "Acme", "name": "Latency"}, "stat": "p99", "return_data": True}
            ]
        },
        "target": 200,
    }
    desired(base(target_tracking=[policy]))


def step_alarm(**fields: Any) -> dict[str, Any]:
    return {
        "name": "s",
        "metric": {"namespace": "AWS/SageMaker", "name": "ModelLatency"},
        "comparison": ">",
        "threshold": 1,
        "adjustment_type": "change",
        "steps": [{"lower": 0, "adjustment": 1}],
        **fields,
    }


def test_an_alarm_statistic_cloudwatch_does_not_know_is_refused() -> None:
    found = problems(base(step_scaling=[step_alarm(metric={"namespace": "A", "name": "M", "statistic": "banana"})]))
    assert [source for source, _ in found] == ["profile p: step_scaling[0].metric.statistic"]
    assert found[0][1].startswith("'banana' is not a CloudWatch statistic")


@pytest.mark.parametrize(
    "statistic", ["p99", "p99.9", "tm90", "wm98", "tc90", "ts90", "IQM", "PR(:300)", "TM(10%:90%)"]
)
def test_alarm_extended_statistics_aws_lists_are_accepted(statistic: str) -> None:
    desired(base(step_scaling=[step_alarm(metric={"namespace": "A", "name": "M", "statistic": statistic})]))


@pytest.mark.parametrize(
    ("statistic", "extended", "alarm", "valid"),
    [
        ("Average", False, False, True),
        ("p99", False, False, False),
        ("p100", True, False, True),
        ("p101", True, False, False),
        ("TM(2%:98%)", True, False, True),  # the statistics definitions' own example
        ("TM(2%:98%)", True, True, False),  # PutMetricAlarm: "X is between 10 and 90 inclusive"
        ("TM(150:1000)", True, False, True),
        ("TS(80%:)", True, False, True),
        ("PR(100:2000)", True, False, True),
        ("PR(:)", True, False, False),
        ("average", True, False, False),
    ],
)
def test_statistic_forms(statistic: str, extended: bool, alarm: bool, valid: bool) -> None:
    assert (statistic_problem(statistic, extended=extended, alarm=alarm) is None) == valid


@pytest.mark.parametrize(
    ("period", "evaluations", "limit"),
    [(900, 97, 86_400), (7200, 85, 604_800), (86_400, 8, 604_800)],
)
def test_an_alarm_window_over_cloudwatchs_limit_is_refused(period: int, evaluations: int, limit: int) -> None:
    # PutMetricAlarm, Period: "Period multiplied by EvaluationPeriods can't be more than 604,800 seconds. For alarms
    # with a period of less than one hour (3,600 seconds), the total evaluation period can't be longer than one day".
    found = problems(
        base(step_scaling=[step_alarm(period=period, evaluation_periods=evaluations, datapoints_to_alarm=1)])
    )
    assert [(s, m.split(":")[0]) for s, m in found] == [
        (
            "profile p: step_scaling[0].evaluation_periods",
            f"period {period} s x {evaluations} = {period * evaluations} s",
        )
    ]
    assert f"at most {limit} s" in found[0][1]


def test_an_alarm_window_of_exactly_one_day_is_accepted() -> None:
    desired(base(step_scaling=[step_alarm(period=1440, evaluation_periods=60, datapoints_to_alarm=1)]))


@pytest.mark.parametrize("target", [1e120, 1e300])
def test_a_target_value_above_two_to_the_360_is_refused(target: float) -> None:
    # TargetValue: "Values must be in the range of -2^360 to 2^360."
    policy = {"metric": {"namespace": "Acme", "name": "Queue"}, "target": target}
    assert problems(base(target_tracking=[policy])) == [
        ("profile p: target_tracking[0].target", f"{target:g} is above 2^360, the largest target value AWS accepts")
    ]


def test_a_target_tag_above_two_to_the_360_is_refused() -> None:
    with pytest.raises(ValueError, match=r"above 2\^360"):
        parse_target("1" + "0" * 120)
    assert parse_target(str(2**300)) == float(2**300)


def test_two_target_tracking_policies_on_one_metric_are_refused() -> None:
    # AAS User Guide, target tracking: several policies are allowed "provided that each of them uses a different
    # metric". `invocations` under a second name is the same AWS metric.
    policies = [{"metric": "invocations", "target": 70}, {"metric": "invocations", "target": 50, "name": "second"}]
    assert problems(base(target_tracking=policies)) == [
        (
            SOURCE,
            "variant AllTraffic: target tracking 'second' tracks the same metric as 'invocations'; AWS allows one "
            "target-tracking policy per metric",
        )
    ]


def test_a_unit_cloudwatch_does_not_have_is_refused_naming_the_profile_path() -> None:
    policy = {"metric": {"namespace": "Acme", "name": "Latency", "unit": "Furlongs"}, "target": 200}
    assert problems(base(target_tracking=[policy])) == [
        (
            "profile p: target_tracking[0].metric.unit",
            "'Furlongs' is not a CloudWatch unit (Seconds, Milliseconds, Bytes, Percent, Count, Count/Second, None, "
            "...)",
        )
    ]


def test_a_unit_in_the_wrong_case_gets_a_did_you_mean() -> None:
    found = problems(base(step_scaling=[step_alarm(metric={"namespace": "A", "name": "M", "unit": "milliseconds"})]))
    assert found[0][0] == "profile p: step_scaling[0].metric.unit"
    assert "did you mean 'Milliseconds'?" in found[0][1]
