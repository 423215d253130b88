"""One endpoint's bad data never stops another's work; AWS failures still propagate (the boundary of
``autoscaler.reconciler.rejecting_crashes``).

A crash of pure code on one endpoint's data is played by making the real ``desire`` or ``plan`` raise for that
endpoint only, with the exceptions such code raises (a parser's KeyError, a date out of range).
"""

from __future__ import annotations

import importlib
import io
from typing import Any

import pytest

import autoscaler.reconciler
import autoscaler.sweep
from autoscaler.errors import AwsError, TemporaryError
from autoscaler.reconciler import Status
from autoscaler.sweep import sweep
from localaws.faults import inject
from localaws.pipeline import LambdaContext
from tests.conftest import load_event

from .conftest import BASE_TAGS, DEFAULT_PROFILE, World, log_lines, queued

CRASHES = [
    ("desire", KeyError("schedules")),
    ("desire", OverflowError("date value out of range")),
    ("plan", TypeError("'<' not supported between instances of 'NoneType' and 'int'")),
]
BATCH = load_event("sqs-reconcile-batch.json")  # fraud-detector, then recommender


def crash_for(monkeypatch: pytest.MonkeyPatch, module: Any, function: str, endpoint: str, error: Exception) -> None:
    """``module.function`` raises ``error`` when it evaluates ``endpoint``, and works for every other endpoint."""
    real = getattr(module, function)

    def crashing(first: Any, *args: Any, **kwargs: Any) -> Any:
        name = getattr(first, "name", None) or getattr(first, "endpoint", None)
        if name == endpoint:
            raise error
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, function, crashing)


@pytest.mark.parametrize(("function", "error"), CRASHES)
def test_a_crash_planning_one_endpoint_is_its_reject_and_the_sweep_enqueues_the_others(
    world: World,
    reconcile_queue: str,
    monkeypatch: pytest.MonkeyPatch,
    logs: io.StringIO,
    function: str,
    error: Exception,
) -> None:
    for name in ("alpha", "broken", "omega"):
        world.endpoint(name, BASE_TAGS)
    crash_for(monkeypatch, autoscaler.sweep, function, "broken", error)

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.rejected == ("broken",)
    assert result.drifted == ("alpha", "omega")
    assert [q.endpoint for q in queued(world, reconcile_queue)] == ["alpha", "omega"]
    crashes = log_lines(logs, "evaluating the configuration crashed")
    crashed = {(line["endpoint"], line["exception"]) for line in crashes}
    assert crashed == {("broken", type(error).__name__)}
    [rejected] = log_lines(logs, "sweep: configuration rejected")
    assert f"{type(error).__name__}: {error}" in rejected["reason"]


@pytest.mark.parametrize(("function", "error"), CRASHES)
def test_a_crash_evaluating_one_endpoint_is_its_rejected_outcome_and_the_message_is_acknowledged(
    world: World, monkeypatch: pytest.MonkeyPatch, function: str, error: Exception
) -> None:
    app = importlib.import_module("functions.reconciler.app")
    monkeypatch.setattr(app, "deps", world.deps)
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("recommender", BASE_TAGS)
    crash_for(monkeypatch, autoscaler.reconciler, function, "fraud-detector", error)

    outcome = world.reconcile("fraud-detector")
    response = app.handler(BATCH, LambdaContext("ReconcilerFunction"))

    assert outcome.status is Status.REJECTED
    assert outcome.reason == "evaluating the configuration failed: nothing written"
    assert [str(e) for e in outcome.errors] == [
        f"endpoint fraud-detector: evaluating its configuration failed: {type(error).__name__}: {error}"
    ]
    assert response == {"batchItemFailures": []}
    assert world.targets("fraud-detector") == {}
    assert world.targets("recommender") == {"AllTraffic": (1, 4)}


def test_an_aws_failure_while_desiring_is_not_a_reject_it_is_retried(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading the profile is AWS I/O inside ``desire``: its failures pass the boundary, so the queue retries."""
    app = importlib.import_module("functions.reconciler.app")
    monkeypatch.setattr(app, "deps", world.deps)
    world.profile("fraud", DEFAULT_PROFILE)
    world.endpoint("fraud-detector", {**BASE_TAGS, "autoscaling:profile": "fraud"})
    world.endpoint("recommender", BASE_TAGS)

    with inject(world.aws.ssm, "GetParameter", "ThrottlingException", when="profiles/fraud") as hit:
        with pytest.raises(TemporaryError):
            world.reconcile("fraud-detector")
        response = app.handler(BATCH, LambdaContext("ReconcilerFunction"))

    assert hit
    assert response == {"batchItemFailures": [{"itemIdentifier": BATCH["Records"][0]["messageId"]}]}
    assert world.targets("recommender") == {"AllTraffic": (1, 4)}


def test_an_unclassified_aws_error_while_desiring_still_propagates(world: World) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)

    denied = inject(world.aws.ssm, "GetParameter", "AccessDeniedException", message="not authorized")
    with denied as hit, pytest.raises(AwsError, match="AccessDeniedException"):
        world.reconcile("fraud-detector")

    assert hit


def test_an_aws_failure_while_sweeping_still_fails_the_sweep(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)

    with inject(world.aws.ssm, "GetParameter", "ThrottlingException") as hit, pytest.raises(TemporaryError):
        sweep(world.deps(), reconcile_queue, "sweep-1")

    assert hit
