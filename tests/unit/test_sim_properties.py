"""Properties of the simulator over generated traffic and configurations."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from autoscaler.constants import METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.spec import PredefinedMetric, TargetTrackingPolicy, VariantKind, VariantSpec
from autoscaler_sim.engine import Parameters, Result, Traffic, simulate

T0 = datetime(2026, 3, 2, tzinfo=UTC)
demands = st.lists(st.floats(0, 3000, allow_nan=False), min_size=30, max_size=90)


def spec(lo: int, span: int, target: float, cooldown_in: int, cooldown_out: int) -> VariantSpec:
    policy = TargetTrackingPolicy(
        "tt", "invocations", PredefinedMetric(METRIC_INVOCATIONS_PER_INSTANCE), target, cooldown_in, cooldown_out
    )
    return VariantSpec("ep", "v", VariantKind.INSTANCE, lo, lo + span, policies=(policy,))


def assert_within_bounds(result: Result, lo: int, hi: int) -> None:
    for minute in result.minutes:
        assert lo <= minute.instances <= hi
        assert lo <= minute.in_service <= hi


@settings(max_examples=40, deadline=None)
@given(
    demands,
    st.integers(1, 3),
    st.integers(0, 6),
    st.floats(10, 500),
    st.sampled_from([0, 60, 300, 900]),
    st.sampled_from([0, 60, 300]),
    st.integers(0, 600),
)
def test_capacity_stays_within_bounds(
    demand: list[float], lo: int, span: int, target: float, cooldown_in: int, cooldown_out: int, provisioning: int
) -> None:
    params = Parameters(capacity_per_instance=1000, provisioning_seconds=provisioning, scale_in_seconds=30)
    result = simulate(spec(lo, span, target, cooldown_in, cooldown_out), Traffic(T0, tuple(demand)), params)
    assert_within_bounds(result, lo, lo + span)


PEAK_MINUTES = 20


@dataclass(frozen=True)
class Staircase:
    """A variant's bounds and target, and its demand: a peak (one instance more than max serves at the target) for
    PEAK_MINUTES, then falling steps, each (instances' worth of demand at the target, minutes)."""

    lo: int
    span: int
    target: float
    steps: tuple[tuple[float, int], ...]

    def traffic(self) -> Traffic:
        blocks = ((self.lo + self.span + 1.0, PEAK_MINUTES), *self.steps)
        return Traffic(T0, tuple(level * self.target for level, minutes in blocks for _ in range(minutes)))


@st.composite
def staircases(draw: st.DrawFn) -> Staircase:
    """Demand that scales out to max, then falls in three to six steps, each asking for fewer instances (at 75-85 %
    of the target: below the low alarm's 90 %) for 5-30 minutes: most staircases scale in twice or more."""
    lo, span, target = draw(st.integers(1, 3)), draw(st.integers(2, 6)), draw(st.floats(10, 500))
    counts = draw(st.lists(st.integers(0, lo + span), min_size=3, max_size=6, unique=True))
    steps = tuple((n * draw(st.floats(0.75, 0.85)), draw(st.integers(5, 30))) for n in sorted(counts, reverse=True))
    return Staircase(lo, span, target, steps)


def simulate_staircase(
    staircase: Staircase,
    cooldown_in: int,
    cooldown_out: int,
    provisioning: int,
    low_alarm_datapoints: int,
) -> tuple[Parameters, Result]:
    params = Parameters(
        capacity_per_instance=1000,
        provisioning_seconds=provisioning,
        scale_in_seconds=30,
        low_alarm_datapoints=low_alarm_datapoints,
    )
    variant = spec(staircase.lo, staircase.span, staircase.target, cooldown_in, cooldown_out)
    return params, simulate(variant, staircase.traffic(), params)


# Two scale-ins 5 minutes apart without a cooldown (a one-datapoint low alarm): the cooldown holds the second back.
STAIRS = Staircase(lo=1, span=4, target=100.0, steps=((3.2, 5), (1.6, 5), (0.0, 30)))
COOLDOWN_EXAMPLES: list[dict[str, Any]] = [
    {"staircase": STAIRS, "cooldown_in": c, "cooldown_out": 0, "provisioning": 120, "low_alarm_datapoints": 1}
    for c in (300, 900)
]


@settings(max_examples=40, deadline=None)
@given(
    staircases(),
    st.sampled_from([0, 60, 300, 900]),
    st.sampled_from([0, 60, 300]),
    st.integers(0, 600),
    # The default low alarm (15 one-minute datapoints) alone spaces scale-ins by 15 minutes, the longest cooldown
    # drawn (900 s): with fewer datapoints it is the cooldown that holds a scale-in back.
    st.integers(1, 15),
)
@example(**COOLDOWN_EXAMPLES[0])
@example(**COOLDOWN_EXAMPLES[1])
def test_scale_in_waits_for_its_cooldown(
    staircase: Staircase, cooldown_in: int, cooldown_out: int, provisioning: int, low_alarm_datapoints: int
) -> None:
    params, result = simulate_staircase(staircase, cooldown_in, cooldown_out, provisioning, low_alarm_datapoints)
    assert_within_bounds(result, staircase.lo, staircase.lo + staircase.span)
    scale_ins = [a for a in result.activities if a.direction == "in"]
    for earlier, later in itertools.pairwise(scale_ins):
        completed = earlier.at + timedelta(seconds=params.scale_in_seconds)
        assert later.at >= completed + timedelta(seconds=cooldown_in)


@pytest.mark.parametrize("case", COOLDOWN_EXAMPLES, ids=lambda case: f"cooldown-{case['cooldown_in']}")
def test_the_explicit_examples_scale_in_more_than_once(case: dict[str, Any]) -> None:
    """The cooldown check above compares consecutive scale-ins: its explicit examples must have some to compare."""
    _, result = simulate_staircase(**case)
    assert sum(1 for a in result.activities if a.direction == "in") >= 2


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 2000), st.floats(0, 2000), st.floats(20, 400), st.integers(1, 3))
def test_more_demand_never_yields_less_steady_state_capacity(a: float, b: float, target: float, lo: int) -> None:
    low, high = sorted((a, b))
    params = Parameters(capacity_per_instance=1000, provisioning_seconds=120)
    variant = spec(lo, 30, target, 300, 300)
    less = simulate(variant, Traffic(T0, (low,) * 120), params)
    more = simulate(variant, Traffic(T0, (high,) * 120), params)
    assert less.minutes[-1].instances <= more.minutes[-1].instances
