"""Traffic for the simulator: invocations per minute from a CSV, from seeded synthetic generators, or from an
endpoint's own CloudWatch history (AWS/SageMaker Invocations, Sum, per variant)."""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from autoscaler_sim.engine import SimulationError, Traffic
from autoscaler_sim.invocations import read_invocations

DEFAULT_START = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
SYNTHETIC_KINDS = ("diurnal", "weekly", "ramp", "spikes", "flat")
CLOUDWATCH_ONE_MINUTE_DAYS = 15  # CloudWatch keeps 1-minute datapoints 15 days, then 5-minute ones (63 days)


def parse_time(text: str) -> datetime:
    """ISO-8601; a time without a zone is UTC."""
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def from_csv(path: Path) -> Traffic:
    """`timestamp,invocations` rows (ISO-8601, one minute apart; missing minutes are 0) or one number per line.

    A header row is skipped. Timestamps are rounded down to the minute; several rows in one minute add up.
    """
    rows = [row for row in csv.reader(path.read_text().splitlines()) if row and any(cell.strip() for cell in row)]
    if rows and not _is_number(rows[0][-1]):
        rows = rows[1:]
    if not rows:
        raise SimulationError(f"{path}: no rows")
    if len(rows[0]) == 1:
        return Traffic(DEFAULT_START, tuple(_number(row[0], path, i) for i, row in enumerate(rows)), str(path))
    stamped = []
    for i, row in enumerate(rows):
        try:
            moment = parse_time(row[0]).astimezone(UTC).replace(second=0, microsecond=0)
        except ValueError:
            raise SimulationError(f"{path}: row {i + 1}: {row[0]!r} is not an ISO-8601 time") from None
        stamped.append((moment, _number(row[1], path, i)))
    return series(stamped, str(path))


def series(points: Iterable[tuple[datetime, float]], source: str, minutes_per_point: int = 1) -> Traffic:
    """Timestamped counts -> per-minute traffic from the first to the last; a point spanning several minutes is spread
    evenly over them; minutes without a point are 0."""
    ordered = sorted(points)
    if not ordered:
        raise SimulationError(f"{source}: no datapoints")
    start = ordered[0][0]
    length = int((ordered[-1][0] - start).total_seconds() // 60) + minutes_per_point
    values = [0.0] * length
    for moment, value in ordered:
        offset = int((moment - start).total_seconds() // 60)
        for k in range(minutes_per_point):
            values[offset + k] += value / minutes_per_point
    return Traffic(start, tuple(values), source)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(text: str, path: Path, row: int) -> float:
    try:
        value = float(text)
    except ValueError:
        raise SimulationError(f"{path}: row {row + 1}: {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise SimulationError(f"{path}: row {row + 1}: {text!r} is not a count")
    return value


@dataclass(frozen=True)
class Synthetic:
    """A seeded synthetic trace. Shapes, all in invocations per minute:

    - flat: `base` throughout;
    - diurnal: `base` at night rising to `peak` at `peak_hour` (UTC) on a raised-cosine curve, every day;
    - weekly: diurnal, with Saturdays and Sundays at `weekend` x the weekday curve;
    - ramp: linear from `base` to `peak` over the whole trace;
    - spikes: diurnal plus `spikes` bursts a day of `spike_factor` x the curve for `spike_minutes` at random times.

    `noise` is the standard deviation of a multiplicative Gaussian factor (0.1 = 10%), drawn from `seed`.
    """

    kind: str = "diurnal"
    days: float = 2.0
    base: float = 50.0
    peak: float = 250.0
    peak_hour: float = 14.0
    weekend: float = 0.4
    noise: float = 0.05
    spikes: int = 2
    spike_factor: float = 3.0
    spike_minutes: int = 10
    seed: int = 0
    start: datetime = DEFAULT_START

    def traffic(self) -> Traffic:
        if self.kind not in SYNTHETIC_KINDS:
            raise SimulationError(f"{self.kind!r} is not one of {', '.join(SYNTHETIC_KINDS)}")
        if self.days <= 0 or self.base < 0 or self.peak < 0 or self.noise < 0:
            raise SimulationError("days must be positive; base, peak and noise not negative")
        length = round(self.days * 1440)
        rng = random.Random(self.seed)
        values = [self._shape(i, length) for i in range(length)]
        if self.kind == "spikes":
            for day in range(math.ceil(self.days)):
                for _ in range(self.spikes):
                    at = day * 1440 + rng.randrange(1440)
                    for i in range(at, min(at + self.spike_minutes, length)):
                        values[i] *= self.spike_factor
        noisy = tuple(max(0.0, v * (1.0 + rng.gauss(0.0, self.noise))) if self.noise else v for v in values)
        return Traffic(self.start, noisy, f"synthetic {self.kind} seed {self.seed}")

    def _shape(self, minute: int, length: int) -> float:
        if self.kind == "flat":
            return self.base
        if self.kind == "ramp":
            return self.base + (self.peak - self.base) * minute / max(1, length - 1)
        moment = self.start + timedelta(minutes=minute)
        hours = moment.hour + moment.minute / 60.0
        curve = 0.5 * (1.0 + math.cos(2.0 * math.pi * (hours - self.peak_hour) / 24.0))
        value = self.base + (self.peak - self.base) * curve
        if self.kind == "weekly" and moment.weekday() >= 5:
            value *= self.weekend
        return value


class InvocationsReader(Protocol):
    cloudwatch: Any  # autoscaler.aws.Aws's CloudWatch client


def from_cloudwatch(aws: InvocationsReader, endpoint: str, variant: str, days: float, now: datetime) -> Traffic:
    """The variant's own Invocations over the last `days` (whole minutes, ending at the last full minute).

    CloudWatch keeps one-minute datapoints for 15 days: a longer look-back reads 5-minute datapoints, spread evenly
    over their minutes. Minutes without a datapoint (SageMaker publishes none while nothing is invoked) are 0.
    """
    if days <= 0:
        raise SimulationError("days must be positive")
    end = now.astimezone(UTC).replace(second=0, microsecond=0)
    period = 60 if days <= CLOUDWATCH_ONE_MINUTE_DAYS else 300
    start = end - timedelta(days=days)
    start -= timedelta(seconds=(start - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds() % period)
    points = read_invocations(aws.cloudwatch, endpoint, variant, start, end, period)
    source = f"CloudWatch {endpoint}/{variant} Invocations, {days:g} days"
    if not points:
        raise SimulationError(f"{source}: no datapoints (is the endpoint invoked? the name right?)")
    padded = [(start, 0.0), *points, (end - timedelta(seconds=period), 0.0)]
    return series([(t.astimezone(UTC), v) for t, v in padded], source, period // 60)
