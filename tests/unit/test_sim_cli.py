"""The CLI's `simulate` and `recommend` verbs (offline: synthetic traffic and profile files)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from autoscaler.profiles import parse_profile
from autoscaler_cli.main import cli

DIURNAL = ["--synthetic", "diurnal", "--days", "1", "--capacity", "600", "--workers", "2", "--slo-ms", "500"]


def test_simulate_prints_the_summary_and_writes_the_chart_and_json(tmp_path: Path) -> None:
    chart, out = tmp_path / "sim.png", tmp_path / "sim.json"
    result = CliRunner().invoke(
        cli, ["simulate", *DIURNAL, "--price", "0.23", "--chart", str(chart), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    for word in ("minutes_over_slo", "instance_hours", "cost", "scale_outs"):
        assert word in result.output
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    written = json.loads(out.read_text())
    assert len(written["minutes"]) == 1440
    assert written["summary"]["minutes"] == 1440
    assert written["activities"]
    assert {"at", "from", "to", "cause"} <= set(written["activities"][0])
    assert {"demand", "capacity", "instances", "min", "max", "utilisation", "latency_ms", "over_slo"} <= set(
        written["minutes"][0]
    )


def test_simulate_json_and_a_profile_file(tmp_path: Path) -> None:
    profile = tmp_path / "p.yaml"
    profile.write_text("version: 1\nmin: 2\nmax: 6\ntarget_tracking:\n  - {metric: invocations, target: 200}\n")
    result = CliRunner().invoke(cli, ["--json", "simulate", *DIURNAL, "--profile-file", str(profile)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["peak_instances"] <= 6
    assert summary["instance_hours"] >= 2 * 24


def test_an_invalid_profile_is_rejected_with_its_source(tmp_path: Path) -> None:
    profile = tmp_path / "bad.yaml"
    profile.write_text("version: 1\nmin: 1\nmxa: 4\n")
    result = CliRunner().invoke(cli, ["--json", "simulate", *DIURNAL, "--profile-file", str(profile)])
    assert result.exit_code == 1
    assert "did you mean 'max'" in result.output


def test_exactly_one_traffic_source() -> None:
    result = CliRunner().invoke(cli, ["simulate", "--capacity", "600"])
    assert result.exit_code == 2


def test_recommend_prints_a_profile_to_store(tmp_path: Path) -> None:
    chart = tmp_path / "rec.png"
    result = CliRunner().invoke(cli, ["--json", "recommend", *DIURNAL, "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    parse_profile(json.dumps(found["recommended"]), "profile recommended")
    recommended, post, formula = found["compared"]
    assert post["label"].startswith("AWS post")
    assert formula["label"].startswith("AWS formula")
    assert recommended["summary"]["instance_hours"] < post["summary"]["instance_hours"]
    assert chart.exists()
