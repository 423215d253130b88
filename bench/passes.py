"""The measured passes, the controller's way and the naive way, each in its own (fresh or warm) environment.

An *environment* is what one Lambda execution environment holds: an ``autoscaler.aws.Aws`` (its clients and its
per-environment caches). A fresh one is a cold start; reusing one is a warm invocation. Every call any of its
clients makes is counted at the botocore layer (``localaws.calls.CallCounter``), by service and operation.

Wall time is measured without tracemalloc (it slows allocation-heavy code down); peak memory is measured in a
second, identical run under tracemalloc wherever a pass can be repeated without changing what it does. The two
passes that write ((a) the first apply and the reconciles of (c)) run once, under tracemalloc: their wall time is
marked as such.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypeVar

import boto3

from autoscaler.actions import Action
from autoscaler.aws import Aws
from autoscaler.planner import plan
from autoscaler.profiles import ProfileStore
from autoscaler.reconciler import Deps, Outcome, apply_actions, reconcile_endpoint
from autoscaler.settings import Settings
from autoscaler.sources import desire
from autoscaler.state import ScalingState
from autoscaler.sweep import SweepResult, sweep
from bench.world import REFUSALS_TABLE, REGION, SeededEndpoint
from localaws.calls import CallCounter, is_read

T = TypeVar("T")
# A fixed clock: the schedules' last-fired action (and so the planned bounds) does not depend on when this runs.
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = Settings(max_capacity_ceiling=20, refusals_table=REFUSALS_TABLE)  # as the stack configures it


@dataclass
class Measured:
    """One pass: calls by service and operation, wall time, peak memory."""

    name: str
    way: str  # controller | naive
    size: int
    calls: dict[str, int] = field(default_factory=dict)  # "service:Operation" -> count
    seconds: float = 0.0
    peak_bytes: int = 0
    timed_under_tracemalloc: bool = False
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    @property
    def reads(self) -> int:
        return sum(n for key, n in self.calls.items() if is_read(key.split(":", 1)[1]))

    @property
    def writes(self) -> int:
        return self.total - self.reads

    def to_dict(self) -> dict[str, Any]:
        return {
            "pass": self.name,
            "way": self.way,
            "endpoints": self.size,
            "calls": self.total,
            "reads": self.reads,
            "writes": self.writes,
            "calls_per_endpoint": round(self.total / self.size, 4) if self.size else None,
            "by_operation": dict(sorted(self.calls.items())),
            "seconds": round(self.seconds, 4),
            "peak_mib": round(self.peak_bytes / 2**20, 3),
            "timed_under_tracemalloc": self.timed_under_tracemalloc,
            **({"detail": self.detail} if self.detail else {}),
        }


class Environment:
    """One execution environment: an Aws whose every client (made now or later) is counted."""

    def __init__(self, endpoint_url: str, counter: CallCounter) -> None:
        self.counter = counter
        session = boto3.session.Session(region_name=REGION)
        counter.attach_session(session)  # clients made later
        self.aws = Aws.create(session, endpoint_url=endpoint_url, max_attempts=3)
        for client in self.clients():
            counter.attach(client)

    def clients(self) -> list[Any]:
        # The extra clients (Tagging API, SQS, DynamoDB) come from Aws.client(); make them now and count them too.
        extras = [self.aws.client(service) for service in ("resourcegroupstaggingapi", "sqs", "dynamodb")]
        return [*self.aws.clients, *extras]

    def deps(self) -> Deps:
        return Deps(SETTINGS, self.aws, clock=lambda: NOW)


def run(
    name: str,
    way: str,
    size: int,
    counter: CallCounter,
    action: Callable[[], T],
    again: Callable[[], object] | None = None,
) -> tuple[T, Measured]:
    """Runs ``action`` timed and counted; then ``again`` (the same pass, repeatable) under tracemalloc for the peak
    memory. Without ``again`` the one run is both timed and traced."""
    gc.collect()
    counter.reset()
    if again is None:
        tracemalloc.start()
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    calls = Counter({f"{s}:{op}": n for (s, op), n in counter.calls.items()})
    if again is not None:
        gc.collect()
        tracemalloc.start()
        again()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    counter.reset()
    return result, Measured(name, way, size, dict(calls), seconds, peak, timed_under_tracemalloc=again is None)


# ------------------------------------------------------------------------------------------------ the controller


def apply_all(env: Environment, names: Sequence[str]) -> list[Outcome]:
    return [reconcile_endpoint(name, env.deps()) for name in names]


def sweep_once(env: Environment, queue_url: str, sweep_id: str) -> SweepResult:
    return sweep(env.deps(), queue_url, sweep_id)


# ------------------------------------------------------------------------------------------------ the naive way


def naive_actions(aws: Aws, seeded: Sequence[SeededEndpoint]) -> dict[str, tuple[Action, ...]]:
    """What a naive script holds in its own configuration: every register and put, per endpoint. Computed here
    with the library (uncounted), as the full apply against nothing."""
    profiles = ProfileStore(aws.read_parameter, SETTINGS.profile_prefix)
    found: dict[str, tuple[Action, ...]] = {}
    for endpoint in seeded:
        info = aws.read_endpoint(endpoint.name)
        assert info is not None
        desired = desire(info, endpoint.tags, SETTINGS, profiles=profiles.load, hardware=aws.instance_hardware)
        found[endpoint.name] = plan(desired.spec, ScalingState(endpoint.name), NOW).actions
    return found


def naive_pass(aws: Aws, actions: dict[str, tuple[Action, ...]], names: Sequence[str]) -> int:
    """The AWS blog's snippets, for every endpoint on every pass: RegisterScalableTarget, PutScalingPolicy,
    PutScheduledAction (and PutMetricAlarm for a step policy), applied as the reconciler applies; no reads."""
    return sum(apply_actions(actions[name], aws) for name in names)
