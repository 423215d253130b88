"""Outputs of a simulation: JSON and a PNG chart (matplotlib, a development dependency: imported when drawing)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autoscaler_sim.engine import Result


def to_json(result: Result, label: str = "") -> dict[str, Any]:
    params = result.parameters
    return {
        "label": label,
        "traffic": {"source": result.traffic.source, "start": result.traffic.start.isoformat()},
        "parameters": {
            "capacity_per_instance": params.capacity_per_instance,
            "price_per_hour": params.price_per_hour,
            "provisioning_seconds": params.provisioning_seconds,
            "scale_in_seconds": params.scale_in_seconds,
            "high_alarm_datapoints": params.high_alarm_datapoints,
            "low_alarm_datapoints": params.low_alarm_datapoints,
            "low_alarm_ratio": params.low_alarm_ratio,
            "workers_per_instance": params.workers_per_instance,
            "latency_quantile": params.latency_quantile,
            "slo_ms": params.slo_ms,
            "step_seconds": result.step_seconds,
        },
        "summary": result.summary(),
        "activities": [
            {"at": a.at.isoformat(), "from": a.from_capacity, "to": a.to_capacity, "cause": a.cause}
            for a in result.activities
        ],
        "minutes": [
            {
                "at": m.at.isoformat(),
                "demand": round(m.demand, 3),
                "instances": round(m.instances, 3),
                "in_service": round(m.in_service, 3),
                "capacity": round(m.in_service * params.capacity_per_instance, 3),
                "min": m.min_capacity,
                "max": m.max_capacity,
                "utilisation": round(m.utilisation, 4),
                "latency_ms": round(m.latency_ms, 3) if math.isfinite(m.latency_ms) else None,
                "over_slo": m.over_slo,
            }
            for m in result.minutes
        ],
    }


def chart(results: Sequence[tuple[str, Result]], path: Path, title: str = "") -> None:
    """Demand vs capacity (top), instances with bounds and activities (middle), latency vs the SLO (bottom)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = results[0][1]
    times = [m.at for m in first.minutes]
    figure, (top, middle, bottom) = plt.subplots(3, 1, figsize=(12, 9), sharex=True, height_ratios=(3, 2, 2))
    top.plot(times, [m.demand for m in first.minutes], color="black", linewidth=0.8, label="demand (invocations/min)")
    colours = ("tab:blue", "tab:orange", "tab:green", "tab:red")
    for (label, result), colour in zip(results, colours, strict=False):
        capacity = [m.in_service * result.parameters.capacity_per_instance for m in result.minutes]
        top.step(times, capacity, where="post", color=colour, label=f"capacity: {label}")
        middle.step(times, [m.instances for m in result.minutes], where="post", color=colour, label=label)
        ups = [a for a in result.activities if a.direction == "out"]
        downs = [a for a in result.activities if a.direction == "in"]
        middle.scatter([a.at for a in ups], [a.to_capacity for a in ups], marker="^", color=colour, s=18, zorder=3)
        middle.scatter([a.at for a in downs], [a.to_capacity for a in downs], marker="v", color=colour, s=18, zorder=3)
        latencies = [min(m.latency_ms, 10 * result.parameters.slo_ms) for m in result.minutes]
        bottom.plot(times, latencies, color=colour, linewidth=0.8, label=label)
    middle.step(times, [m.min_capacity for m in first.minutes], where="post", color="grey", linestyle="--", label="min")
    middle.step(times, [m.max_capacity for m in first.minutes], where="post", color="grey", linestyle=":", label="max")
    bottom.axhline(first.parameters.slo_ms, color="red", linestyle="--", linewidth=0.8, label="SLO")
    top.set_ylabel("invocations / minute")
    middle.set_ylabel("instances (^ out, v in)")
    bottom.set_ylabel(f"p{first.parameters.latency_quantile * 100:g} latency (ms)")
    bottom.set_yscale("log")
    for axis in (top, middle, bottom):
        axis.grid(alpha=0.3)
        axis.legend(loc="upper left", fontsize=8)
    if title:
        top.set_title(title)
    figure.autofmt_xdate()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
