"""The queueing model, the traffic sources and the recommender of autoscaler_sim."""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autoscaler.profiles import parse_profile
from autoscaler.settings import Settings
from autoscaler_sim.config import variant_from_profile
from autoscaler_sim.engine import Parameters, SimulationError
from autoscaler_sim.queueing import erlang_c, latency
from autoscaler_sim.recommend import recommend, with_invocations_target
from autoscaler_sim.traffic import Synthetic, from_csv


def test_erlang_c_known_values() -> None:
    assert erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: the probability of waiting is rho
    assert erlang_c(2, 1.0) == pytest.approx(1 / 3)
    assert erlang_c(3, 0.0) == 0.0


def test_mm1_latency() -> None:
    # mu = 600/min (100 ms), lambda = 300/min: mean response 1 / (mu - lambda) = 200 ms.
    found = latency(300, 1, 600, 1, 0.99, 0.0, 60)
    assert found.mean_ms == pytest.approx(200.0)
    # The wait's 99th percentile: ln(0.5 / 0.01) / 300 minutes, plus the 100 ms service.
    assert found.quantile_ms == pytest.approx(100 + math.log(50) / 300 * 60_000)


def test_overload_builds_a_backlog() -> None:
    found = latency(900, 1, 600, 1, 0.99, 0.0, 60)
    assert found.backlog == pytest.approx(300)
    drained = latency(300, 1, 600, 1, 0.99, found.backlog, 60)
    assert drained.backlog == 0.0
    assert drained.mean_ms > 100


def test_csv_with_timestamps_fills_gaps(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("timestamp,invocations\n2026-03-02T00:00:00Z,5\n2026-03-02T00:03:30Z,7\n")
    traffic = from_csv(path)
    assert traffic.start == datetime(2026, 3, 2, tzinfo=UTC)
    assert traffic.per_minute == (5.0, 0.0, 0.0, 7.0)


def test_csv_of_numbers(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("1\n2\n3\n")
    assert from_csv(path).per_minute == (1.0, 2.0, 3.0)
    path.write_text("1\n-2\n")
    with pytest.raises(SimulationError, match="row 2"):
        from_csv(path)


def test_synthetic_is_seeded_and_shaped() -> None:
    one = Synthetic("diurnal", days=1, base=10, peak=100, noise=0.1, seed=3).traffic()
    assert one == Synthetic("diurnal", days=1, base=10, peak=100, noise=0.1, seed=3).traffic()
    assert one != Synthetic("diurnal", days=1, base=10, peak=100, noise=0.1, seed=4).traffic()
    smooth = Synthetic("diurnal", days=1, base=10, peak=100, noise=0).traffic().per_minute
    assert smooth[14 * 60] == pytest.approx(100)
    assert smooth[2 * 60] == pytest.approx(10)
    weekly = Synthetic("weekly", days=7, base=10, peak=100, noise=0, weekend=0.5).traffic().per_minute
    assert weekly[5 * 1440 + 14 * 60] == pytest.approx(50)  # Saturday 7 March 2026, 14:00
    ramp = Synthetic("ramp", days=1, base=0, peak=1439, noise=0).traffic().per_minute
    assert ramp[0] == 0
    assert ramp[-1] == pytest.approx(1439)
    spikes = Synthetic("spikes", days=1, base=10, peak=10, noise=0, spikes=1, spike_factor=3).traffic().per_minute
    assert sum(1 for v in spikes if v == pytest.approx(30)) == 10


def test_recommend_meets_the_slo_at_fewer_instance_hours_than_the_aws_post() -> None:
    traffic = Synthetic("diurnal", days=1, base=40, peak=250, noise=0.1, seed=7).traffic()
    params = Parameters(capacity_per_instance=600, workers_per_instance=2, latency_slo_ms=500, price_per_hour=0.23)
    found = recommend(traffic, params, Settings(), budget=0.001)
    assert found.best is not None
    assert found.best.meets(0.001)
    assert found.best.result.instance_hours < found.aws_post.result.instance_hours
    assert found.aws_formula.target == 300  # 600 invocations per minute x 0.5
    profile = parse_profile(found.best.text, "profile recommended")
    assert profile.top.target_tracking is not None
    assert profile.top.target_tracking[0].target == found.best.target


def test_recommend_keeps_the_rest_of_the_profile() -> None:
    base = {"version": 1, "min": 2, "max": 6, "target_tracking": [{"metric": "cpu", "target": 50}]}
    changed = with_invocations_target(base, 120, (60, 600))
    assert changed["min"] == 2
    assert changed["target_tracking"][0] == {"metric": "cpu", "target": 50}
    assert changed["target_tracking"][1] == {
        "metric": "invocations",
        "target": 120,
        "scale_out_cooldown": 60,
        "scale_in_cooldown": 600,
    }
    assert base["target_tracking"] == [{"metric": "cpu", "target": 50}]
    parse_profile(json.dumps(changed), "profile changed")


# YAML 1.1 (yaml.safe_load) reads max as 8 (octal) and the name as true; the controller's YAML 1.2 parser reads
# them as 10 and "on".
YAML_1_1_TRAPS = """\
version: 1
min: 1
max: 010
target_tracking:
  - name: on
    metric: invocations
    target: 70
"""


def test_recommend_simulates_the_base_profile_as_validation_read_it() -> None:
    settings = Settings()
    validated = variant_from_profile(YAML_1_1_TRAPS, "base", settings)
    assert validated.max_capacity == 10
    assert [p.name for p in validated.policies] == ["autoscaler-AllTraffic-on"]
    # Demand that needs more than eight instances of 600 invocations per minute.
    traffic = Synthetic("diurnal", days=1, base=5400, peak=5700, noise=0).traffic()
    params = Parameters(capacity_per_instance=600, workers_per_instance=2)
    found = recommend(traffic, params, settings, base_text=YAML_1_1_TRAPS, targets=[300])
    for candidate in (*found.tried, found.aws_formula):
        assert candidate.profile["max"] == 10
        assert candidate.profile["target_tracking"][0]["name"] == "on"
        assert {m.max_capacity for m in candidate.result.minutes} == {10}
    assert max(m.instances for m in found.tried[0].result.minutes) > 8
    same = json.dumps(
        {"version": 1, "min": 1, "max": 10, "target_tracking": [{"name": "on", "metric": "invocations", "target": 70}]}
    )
    as_json = recommend(traffic, params, settings, base_text=same, targets=[300])
    assert [c.result for c in as_json.tried] == [c.result for c in found.tried]
