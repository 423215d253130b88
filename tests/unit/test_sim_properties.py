"""Properties of the simulator over generated traffic and configurations."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from autoscaler.constants import METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.spec import PredefinedMetric, TargetTrackingPolicy, VariantKind, VariantSpec
from autoscaler_sim.engine import Parameters, Traffic, simulate

T0 = datetime(2026, 3, 2, tzinfo=UTC)
demands = st.lists(st.floats(0, 3000, allow_nan=False), min_size=30, max_size=90)


def spec(lo: int, span: int, target: float, cooldown_in: int, cooldown_out: int) -> VariantSpec:
    policy = TargetTrackingPolicy(
        "tt", "invocations", PredefinedMetric(METRIC_INVOCATIONS_PER_INSTANCE), target, cooldown_in, cooldown_out
    )
    return VariantSpec("ep", "v", VariantKind.INSTANCE, lo, lo + span, policies=(policy,))


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
def test_capacity_stays_within_bounds_and_scale_in_waits_for_its_cooldown(
    demand: list[float], lo: int, span: int, target: float, cooldown_in: int, cooldown_out: int, provisioning: int
) -> None:
    params = Parameters(capacity_per_instance=1000, provisioning_seconds=provisioning, scale_in_seconds=30)
    result = simulate(spec(lo, span, target, cooldown_in, cooldown_out), Traffic(T0, tuple(demand)), params)
    for minute in result.minutes:
        assert lo <= minute.instances <= lo + span
        assert lo <= minute.in_service <= lo + span
    scale_ins = [a for a in result.activities if a.direction == "in"]
    for earlier, later in itertools.pairwise(scale_ins):
        completed = earlier.at + timedelta(seconds=params.scale_in_seconds)
        assert later.at >= completed + timedelta(seconds=cooldown_in)


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 2000), st.floats(0, 2000), st.floats(20, 400), st.integers(1, 3))
def test_more_demand_never_yields_less_steady_state_capacity(a: float, b: float, target: float, lo: int) -> None:
    low, high = sorted((a, b))
    params = Parameters(capacity_per_instance=1000, provisioning_seconds=120)
    variant = spec(lo, 30, target, 300, 300)
    less = simulate(variant, Traffic(T0, (low,) * 120), params)
    more = simulate(variant, Traffic(T0, (high,) * 120), params)
    assert less.minutes[-1].instances <= more.minutes[-1].instances
