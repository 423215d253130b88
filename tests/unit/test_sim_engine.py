"""The simulator's rules on small hand-computed traces (autoscaler_sim.engine docstring: each rule and its source)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from autoscaler.constants import METRIC_CONCURRENT_REQUESTS_HIGH_RES, METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.spec import (
    AlarmSpec,
    CustomMetric,
    PredefinedMetric,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    TargetTrackingPolicy,
    VariantKind,
    VariantSpec,
)
from autoscaler_sim.engine import Activity, Parameters, SimulationError, Step, Traffic, simulate

T0 = datetime(2026, 3, 2, tzinfo=UTC)
BIG = 1_000_000.0  # per-instance capacity: latency plays no part in these traces


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def tracking(target: float = 100, metric: str = METRIC_INVOCATIONS_PER_INSTANCE, **kw: object) -> TargetTrackingPolicy:
    return TargetTrackingPolicy("tt", "invocations", PredefinedMetric(metric), target, **kw)  # type: ignore[arg-type]


def variant(lo: int = 1, hi: int = 20, **kw: object) -> VariantSpec:
    return VariantSpec("ep", "AllTraffic", VariantKind.INSTANCE, lo, hi, **kw)  # type: ignore[arg-type]


def params(**kw: object) -> Parameters:
    values: dict[str, object] = {"capacity_per_instance": BIG, "provisioning_seconds": 120}
    values.update(kw)
    return Parameters(**values)  # type: ignore[arg-type]


def trace(*runs: tuple[int, float]) -> Traffic:
    return Traffic(T0, tuple(v for minutes, v in runs for _ in range(minutes)))


def moves(result: object) -> list[tuple[datetime, int, int]]:
    return [(a.at, a.from_capacity, a.to_capacity) for a in result.activities]  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------------------ target tracking


def test_a_step_scales_out_after_three_datapoints_to_the_proportional_capacity() -> None:
    result = simulate(variant(policies=(tracking(),)), trace((10, 60), (20, 300)), params())
    # Datapoints of minutes 10, 11, 12 are above 100: at 13:00, ceil(1 x 300 / 100) = 3.
    assert moves(result) == [(at(13), 1, 3)]
    # Billed from launch, in service 120 s later.
    assert (result.minutes[13].instances, result.minutes[13].in_service) == (3, 1)
    assert result.minutes[15].in_service == 3


def test_two_datapoints_above_target_are_not_enough() -> None:
    result = simulate(variant(policies=(tracking(),)), trace((10, 60), (2, 300), (10, 60)), params())
    assert result.activities == ()


def test_scale_in_needs_fifteen_datapoints_below_ninety_percent_of_the_target() -> None:
    start = params(initial_instances=20)
    below = simulate(variant(policies=(tracking(),)), trace((40, 20 * 85)), start)  # 85 per instance < 90
    assert moves(below) == [(at(15), 20, 17)]  # ceil(20 x 85 / 100)
    near = simulate(variant(policies=(tracking(),)), trace((40, 20 * 93)), start)  # 93: proportional says 19
    assert near.activities == ()


def test_a_ramp_scales_out_step_by_step() -> None:
    ramp = Traffic(T0, tuple(float(50 + 10 * m) for m in range(40)))  # 50, 60, ... 440 per minute
    result = simulate(variant(policies=(tracking(scale_out_cooldown=0),)), ramp, params(provisioning_seconds=60))
    # 3:00: datapoints 0-2 are 50-70 (< 100); first above: minute 6 (110); alarm at 9:00 with minute 8 = 130.
    assert moves(result)[0] == (at(9), 1, 2)
    assert [a.to_capacity for a in result.activities] == sorted(a.to_capacity for a in result.activities)
    assert result.minutes[-1].instances >= 4  # 440 per minute at target 100


def test_scale_in_waits_for_its_cooldown() -> None:
    demand = trace((17, 850), (60, 500))
    fast = simulate(variant(policies=(tracking(scale_in_cooldown=0),)), demand, params(initial_instances=10))
    slow = simulate(variant(policies=(tracking(scale_in_cooldown=1800),)), demand, params(initial_instances=10))
    # 15:00 -> 9 (85 < 90); it completes at 16:00; 500 from 17:00 breaches from the datapoint of minute 17.
    assert moves(fast) == [(at(15), 10, 9), (at(32), 9, 5)]
    assert moves(slow) == [(at(15), 10, 9), (at(46), 9, 5)]  # 16:00 + 30 minutes


def test_scale_out_cooldown_counts_the_capacity_just_added() -> None:
    demand = trace((5, 100), (30, 400))
    quick = params(provisioning_seconds=60)
    counted = simulate(variant(policies=(tracking(scale_out_cooldown=300),)), demand, quick)
    assert moves(counted) == [(at(8), 1, 4)]
    # Without a cooldown the datapoint of minute 8 (400 on one instance) is applied to 4 instances: 16.
    stale = simulate(variant(policies=(tracking(scale_out_cooldown=0),)), demand, quick)
    assert moves(stale)[:2] == [(at(8), 1, 4), (at(9), 4, 16)]


def test_scale_out_is_not_held_back_by_the_scale_in_cooldown() -> None:
    demand = trace((20, 200), (30, 1000))
    result = simulate(
        variant(policies=(tracking(scale_in_cooldown=3600),)), demand, params(initial_instances=8, scale_in_seconds=0)
    )
    assert moves(result)[0] == (at(15), 8, 2)
    assert moves(result)[1] == (at(23), 2, 10)  # minutes 20-22 above target: out at once


def test_disable_scale_in_never_removes_capacity_nor_blocks_another_policy() -> None:
    demand = trace((40, 100))
    alone = simulate(variant(policies=(tracking(disable_scale_in=True),)), demand, params(initial_instances=5))
    assert alone.activities == ()
    other = TargetTrackingPolicy("cc", "concurrency", PredefinedMetric(METRIC_CONCURRENT_REQUESTS_HIGH_RES), 1000.0)
    both = simulate(variant(policies=(tracking(disable_scale_in=True), other)), demand, params(initial_instances=5))
    assert [a.direction for a in both.activities] == ["in"]


def test_high_resolution_concurrency_scales_out_after_thirty_seconds() -> None:
    policy = tracking(0.5, METRIC_CONCURRENT_REQUESTS_HIGH_RES, scale_out_cooldown=60)
    # One worker serving 6000 a minute: at 3000 a minute M/M/1 holds rho / (1 - rho) = 1 request; 0.5 -> 2 instances.
    result = simulate(variant(policies=(policy,)), trace((5, 600), (5, 3000)), params(capacity_per_instance=6000))
    assert result.step_seconds == 10
    assert moves(result)[0] == (at(5.5), 1, 2)


def test_bounds_clamp_every_activity() -> None:
    result = simulate(variant(hi=4, policies=(tracking(),)), trace((20, 5000)), params())
    assert moves(result) == [(at(3), 1, 4)]
    assert max(m.instances for m in result.minutes) == 4


# ------------------------------------------------------------------------------------------ step scaling


def step_policy(
    steps: tuple[StepAdjustment, ...],
    kind: str = "ChangeInCapacity",
    threshold: float = 500,
    comparison: str = "GreaterThanThreshold",
    aggregation: str = "Average",
    evaluations: int = 2,
    cooldown: int = 300,
    magnitude: int | None = None,
) -> tuple[StepScalingPolicy, AlarmSpec]:
    policy = StepScalingPolicy("p", kind, steps, cooldown, aggregation, magnitude, "load")
    alarm = AlarmSpec(
        "a",
        CustomMetric("AWS/SageMaker", "Invocations", "Sum"),
        comparison,
        threshold,
        60,
        evaluations,
        evaluations,
        "notBreaching",
        "p",
    )
    return policy, alarm


STEPS = (StepAdjustment(1, 0.0, 300.0), StepAdjustment(3, 300.0, None))


def test_step_alarm_then_cooldown_counts_the_added_capacity() -> None:
    result = simulate(
        variant(step_policies=(step_policy(STEPS),)), trace((3, 100), (30, 600)), params(provisioning_seconds=60)
    )
    # Datapoints of minutes 3 and 4 breach: +1 at 5:00; still in ALARM, but during the cooldown (6:00-11:00) +1 from
    # the capacity before the scale-out (1) is not larger than 2; at 11:00 it goes on.
    assert moves(result)[:2] == [(at(5), 1, 2), (at(11), 2, 3)]


def test_the_step_is_chosen_by_the_breach_size() -> None:
    result = simulate(variant(step_policies=(step_policy(STEPS),)), trace((3, 100), (5, 900)), params())
    assert moves(result)[0] == (at(5), 1, 4)  # 900 - 500 = 400 >= 300: +3


def test_metric_aggregation_type_picks_the_datapoints_value() -> None:
    steps = (StepAdjustment(1, 0.0, 400.0), StepAdjustment(3, 400.0, None))
    demand = trace((3, 100), (1, 400), (1, 900), (3, 100))
    average = simulate(variant(step_policies=(step_policy(steps, threshold=300),)), demand, params())
    maximum = simulate(
        variant(step_policies=(step_policy(steps, threshold=300, aggregation="Maximum"),)), demand, params()
    )
    assert moves(average) == [(at(5), 1, 2)]  # mean 650 - 300 = 350: +1
    assert moves(maximum) == [(at(5), 1, 4)]  # 900 - 300 = 600: +3


def test_a_below_threshold_step_scales_in() -> None:
    policy = step_policy((StepAdjustment(-1, None, 0.0),), threshold=200, comparison="LessThanThreshold", evaluations=1)
    result = simulate(variant(step_policies=(policy,)), trace((10, 200), (10, 100)), params(initial_instances=3))
    # 200 is not below 200; 100 from minute 10: -1 at 11:00; the cooldown (300 s from 12:00) holds the next.
    assert moves(result)[:2] == [(at(11), 3, 2), (at(17), 2, 1)]


@pytest.mark.parametrize(
    ("kind", "adjustment", "magnitude", "base", "expected"),
    [
        ("ChangeInCapacity", 2, None, 3, 5),
        ("ExactCapacity", 7, None, 3, 7),
        ("PercentChangeInCapacity", 50, None, 3, 4),  # 1.5 rounds down
        ("PercentChangeInCapacity", 10, None, 3, 4),  # 0.3 rounds to 1
        ("PercentChangeInCapacity", -10, None, 3, 2),  # -0.3 rounds to -1
        ("PercentChangeInCapacity", -50, None, 5, 3),  # -2.5 rounds up to -2
        ("PercentChangeInCapacity", 50, 3, 3, 6),  # at least MinAdjustmentMagnitude
    ],
)
def test_adjustment_types_and_percent_rounding(
    kind: str, adjustment: int, magnitude: int | None, base: int, expected: int
) -> None:
    policy, alarm = step_policy((StepAdjustment(adjustment, 0.0, None),), kind, magnitude=magnitude)
    assert Step(policy, alarm, 60).apply(base, adjustment) == expected


# ------------------------------------------------------------------------------------------ several policies


def test_two_policies_the_larger_capacity_wins() -> None:
    exact = step_policy((StepAdjustment(6, 0.0, None),), "ExactCapacity", threshold=200, evaluations=1)
    demand = trace((1, 100), (20, 300))
    both = simulate(variant(policies=(tracking(),), step_policies=(exact,)), demand, params())
    only_tracking = simulate(variant(policies=(tracking(),)), demand, params())
    assert moves(only_tracking)[0] == (at(4), 1, 3)
    assert moves(both)[0] == (at(2), 1, 6)  # the step alarm fires first and asks for more
    assert both.activities[0].cause == "step load"
    # Target tracking wants 3 after that, but the step policy's alarm still holds 6: no scale-in below it.
    assert min(m.instances for m in both.minutes[3:]) == 6


# ------------------------------------------------------------------------------------------ schedules


def test_a_schedule_fires_at_local_time_across_the_dst_change() -> None:
    peak = ScheduledAction("peak", "cron(0 8 ? * MON-FRI *)", "Europe/Berlin", min_capacity=3)
    night = ScheduledAction("night", "cron(0 19 ? * MON-FRI *)", "Europe/Berlin", min_capacity=1)
    start = datetime(2026, 3, 26, tzinfo=UTC)  # Thursday; Berlin moves to CEST on Sunday 29 March
    demand = Traffic(start, (10.0,) * (5 * 1440))
    result = simulate(variant(policies=(tracking(),), schedules=(peak, night)), demand, params())
    rises = [a.at for a in result.activities if a.direction == "out"]
    assert rises == [
        datetime(2026, 3, 26, 7, tzinfo=UTC),  # 08:00 CET
        datetime(2026, 3, 27, 7, tzinfo=UTC),
        datetime(2026, 3, 30, 6, tzinfo=UTC),  # 08:00 CEST
    ]
    assert all(a.cause == "scheduled action" for a in result.activities if a.direction == "out")
    minute = {m.at: m for m in result.minutes}
    assert minute[datetime(2026, 3, 30, 5, 59, tzinfo=UTC)].min_capacity == 1
    assert minute[datetime(2026, 3, 30, 6, tzinfo=UTC)].min_capacity == 3


# ------------------------------------------------------------------------------------------ outputs and inputs


def test_cost_and_instance_hours() -> None:
    result = simulate(variant(lo=2, policies=(tracking(),)), trace((120, 100)), params(price_per_hour=1.5))
    assert result.instance_hours == 4.0
    assert result.cost == 6.0
    assert result.summary()["peak_instances"] == 2


def test_overload_is_over_the_slo() -> None:
    result = simulate(variant(hi=1, policies=(tracking(),)), trace((10, 900)), params(capacity_per_instance=600))
    assert result.minutes_over_slo == 10


def test_unsimulated_metrics_are_refused() -> None:
    policy = TargetTrackingPolicy("x", "x", CustomMetric("Custom", "QueueDepth", "Average"), 5.0)
    with pytest.raises(SimulationError, match="QueueDepth"):
        simulate(variant(policies=(policy,)), trace((5, 1)), params())


def test_activity_direction() -> None:
    assert Activity(T0, 1, 2, "").direction == "out"
    assert Activity(T0, 2, 1, "").direction == "in"
