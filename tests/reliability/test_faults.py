"""Fault injection at every AWS call of a full apply and of an opt-out clean-up.

The fault-free reconcile is recorded call by call (``localaws.faults.record_calls``); then, for each call position and
each fault kind (ThrottlingException, ConcurrentUpdateException, an HTTP 500, a read timeout after the request was
processed), a fresh endpoint is reconciled with exactly that call failing. The failing reconcile must raise
TemporaryError (the queue retries the message) or, when only the outcome event was lost, have applied everything; the
next reconcile must reach the fault-free end state exactly (targets, policies, scheduled actions, alarms), and the one
after it must write nothing. Nothing is left anywhere else in the account.

The library's clients make one attempt per call here (``max_attempts=1``, the world's), so every fault surfaces;
``test_a_single_throttle_is_absorbed_by_standard_retries`` shows the deployed retry configuration absorbing one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from autoscaler.aws import Aws
from autoscaler.errors import TemporaryError
from autoscaler.reconciler import Deps, Outcome, Status, reconcile_endpoint
from autoscaler.settings import Settings
from localaws.faults import FAULT_KINDS, fail_call, record_calls, throttle_sends
from localaws.seed import create_endpoint
from localaws.server import LocalAws
from tests.functional.conftest import World

from .conftest import EMPTY, RICH, RICH_TAGS, VARIANTS, deps, fresh_aws, owners, snapshot

WRITE_SERVICES = ("application-autoscaling", "cloudwatch", "sagemaker")


@dataclass(frozen=True)
class Reference:
    calls: tuple[tuple[str, str], ...]
    state: dict[str, Any]


def _apply(world: World, name: str) -> None:
    world.endpoint(name, RICH_TAGS, VARIANTS)
    assert reconcile_endpoint(name, deps(world)).status is Status.APPLIED


def _opt_out(world: World, name: str) -> None:
    _apply(world, name)
    world.tag(name, enabled="false")


@pytest.fixture
def rich_world(world: World) -> World:
    world.profile("rich", RICH)
    return world


def _reference(world: World, name: str, prepare: Callable[[World, str], None], status: Status) -> Reference:
    prepare(world, name)
    aws = fresh_aws(world)
    with record_calls(*aws.clients) as calls:
        outcome = reconcile_endpoint(name, deps(world, aws))
    assert outcome.status is status
    return Reference(tuple(calls), snapshot(world.aws, name))


def _converges_after_each_fault(
    world: World, kind: str, prefix: str, prepare: Callable[[World, str], None], reference: Reference, done: Status
) -> int:
    """Each call position of ``reference`` failing with ``kind`` on a fresh endpoint; returns how many were tried."""
    tried = 0
    for position, call in enumerate(reference.calls, 1):
        name = f"{prefix}-{position:03d}"
        prepare(world, name)
        aws = fresh_aws(world)
        failed: Outcome | TemporaryError
        with fail_call(aws.clients, position, kind) as seen:
            try:
                failed = reconcile_endpoint(name, deps(world, aws))
            except TemporaryError as exc:
                failed = exc
        where = f"{kind} at call {position} {call}"
        assert seen[: position - 1] == list(reference.calls[: position - 1]), where
        assert seen[position - 1] == call, f"{where}: the fault hit {seen[position - 1]}"
        if isinstance(failed, Outcome):
            # No error surfaced: only the report (the outcome event) may have failed, after everything was applied.
            assert call == ("events", "PutEvents"), f"{where}: reconcile reported {failed.status} after a fault"
            assert failed.status is done, where
            assert snapshot(world.aws, name) == reference.state, where

        follow = reconcile_endpoint(name, deps(world))
        assert follow.status in (Status.APPLIED, Status.UNCHANGED, done), where
        assert snapshot(world.aws, name) == reference.state, where
        world.counter.reset()
        settled = reconcile_endpoint(name, deps(world))
        assert settled.writes == 0, where
        assert not [k for k in world.counter.writes if k[0] in WRITE_SERVICES], where
        tried += 1
    return tried


def _no_orphans(world: World, prefix: str, expected: dict[str, Any], count: int) -> None:
    """Account-wide: the endpoints of this test hold exactly the reference, and nothing else carries their names."""
    found = {name: n for name, n in owners(world.aws).items() if name.startswith(f"{prefix}-")}
    per_endpoint = sum(len(v) for v in expected.values())
    assert found == ({f"{prefix}-{p:03d}": per_endpoint for p in range(1, count + 1)} if per_endpoint else {})


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_every_call_of_a_full_apply_failing_in_turn_converges_to_the_fault_free_state(
    rich_world: World, kind: str
) -> None:
    reference = _reference(rich_world, "apply-ref", _apply_fresh, Status.APPLIED)
    assert [len(reference.state[k]) for k in ("targets", "policies", "schedules", "alarms")] == [2, 6, 6, 2]
    prefix = f"apply-{kind[:4].lower()}"

    tried = _converges_after_each_fault(rich_world, kind, prefix, _apply_fresh, reference, Status.APPLIED)

    assert tried == len(reference.calls)
    _no_orphans(rich_world, prefix, reference.state, tried)
    print(f"\nRELIABILITY faults apply {kind}: {tried} injection points, all converged")


@pytest.mark.parametrize("kind", FAULT_KINDS)
def test_every_call_of_an_opt_out_failing_in_turn_converges_to_nothing_owned(rich_world: World, kind: str) -> None:
    reference = _reference(rich_world, "optout-ref", _opt_out, Status.DISABLED)
    assert reference.state == EMPTY
    prefix = f"optout-{kind[:4].lower()}"

    tried = _converges_after_each_fault(rich_world, kind, prefix, _opt_out, reference, Status.DISABLED)

    assert tried == len(reference.calls)
    _no_orphans(rich_world, prefix, EMPTY, tried)
    print(f"\nRELIABILITY faults opt-out {kind}: {tried} injection points, all converged")


def _apply_fresh(world: World, name: str) -> None:
    world.endpoint(name, RICH_TAGS, VARIANTS)


def test_the_enumeration_covers_every_kind_of_write(rich_world: World) -> None:
    apply = _reference(rich_world, "calls-apply", _apply_fresh, Status.APPLIED)
    out = _reference(rich_world, "calls-optout", _opt_out, Status.DISABLED)
    writes = {c for c in apply.calls + out.calls if not c[1].startswith(("Describe", "List", "Get"))}
    assert writes == {
        ("application-autoscaling", "RegisterScalableTarget"),
        ("application-autoscaling", "PutScalingPolicy"),
        ("application-autoscaling", "PutScheduledAction"),
        ("application-autoscaling", "DeregisterScalableTarget"),
        ("cloudwatch", "PutMetricAlarm"),
        ("cloudwatch", "DeleteAlarms"),
        ("events", "PutEvents"),
    }
    print(
        f"\nRELIABILITY faults: apply makes {len(apply.calls)} calls, opt-out {len(out.calls)}; "
        f"{len(FAULT_KINDS)} fault kinds -> {(len(apply.calls) + len(out.calls)) * len(FAULT_KINDS)} injection points"
    )


@pytest.mark.e2e
def test_a_single_throttle_is_absorbed_by_standard_retries() -> None:
    """Over HTTP (moto_server), with the deployed retry mode and three attempts: one throttled send of a write is
    retried by botocore, and the reconcile applies without an error."""
    with LocalAws() as local:
        aws = Aws.create(endpoint_url=local.endpoint_url, max_attempts=3)
        local.client("ssm").put_parameter(
            Name="/sagemaker-autoscaler/profiles/default",
            Value='{"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]}',
            Type="String",
        )
        create_endpoint(local.client("sagemaker"), "ep", tags={"autoscaling:enabled": "true"})
        with throttle_sends(aws.autoscaling, "RegisterScalableTarget") as throttled:
            outcome = reconcile_endpoint("ep", Deps(Settings(), aws))
        targets = local.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")
        local.reset()

    assert len(throttled) == 1
    assert outcome.status is Status.APPLIED
    assert [(t["MinCapacity"], t["MaxCapacity"]) for t in targets["ScalableTargets"]] == [(1, 4)]


def test_without_retries_the_same_throttle_surfaces_as_a_temporary_error(rich_world: World) -> None:
    """The control for the test above: the injected throttle is real, and one attempt lets it through."""
    rich_world.endpoint("no-retry", RICH_TAGS, VARIANTS)
    aws = fresh_aws(rich_world)
    calls = _reference(rich_world, "no-retry-ref", _apply_fresh, Status.APPLIED).calls
    position = calls.index(("application-autoscaling", "RegisterScalableTarget")) + 1
    with fail_call(aws.clients, position, "ThrottlingException"), pytest.raises(TemporaryError, match="Throttling"):
        reconcile_endpoint("no-retry", deps(rich_world, aws))
