"""A sweep too large for its time budget: checkpoints, continuations and shards on the sweep queue, driven
in-process as the SQS event source mapping would, give the same result as the sweep in one go."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest

from autoscaler.sweep import SweepResult, sweep
from autoscaler.sweep_shards import LOCK, Place, run_sweep_step
from localaws.pipeline import LambdaContext
from localaws.sweeps import Invocation, create_place, pages_budget, run_sweep
from tests.conftest import load_event

from .conftest import BASE_TAGS, World, emitted, queued

FLEET = 30


@pytest.fixture
def fleet(world: World) -> World:
    """30 endpoints: converged, hand-changed, new, rejected, opted out by hand, two spellings of case; and an owned
    alarm of an endpoint that no longer exists."""
    for n in range(FLEET):
        name = f"Endpoint-{n:02}" if n % 7 == 0 else f"endpoint-{n:02}"
        tags = {**BASE_TAGS, "autoscaling:max": "lots"} if n % 9 == 4 else BASE_TAGS
        world.endpoint(name, tags)
        if n % 3 == 0:
            world.reconcile(name)
    for n in (3, 12):  # converged, then changed by hand
        world.aws.autoscaling.register_scalable_target(
            ServiceNamespace="sagemaker",
            ResourceId=f"endpoint/endpoint-{n:02}/variant/AllTraffic",
            ScalableDimension="sagemaker:variant:DesiredInstanceCount",
            MinCapacity=2,
            MaxCapacity=4,
        )
    world.untag("endpoint-06", "enabled")  # the opt-out event never arrived
    world.aws.cloudwatch.put_metric_alarm(
        AlarmName="autoscaler/gone-endpoint/AllTraffic/autoscaler-AllTraffic-step-latency",
        Namespace="AWS/SageMaker",
        MetricName="OverheadLatency",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=100000,
        ComparisonOperator="GreaterThanThreshold",
    )
    world.counter.reset()
    return world


def outcome(result: SweepResult) -> dict[str, Any]:
    return {
        "endpoints": set(result.endpoints),
        "drifted": set(result.drifted),
        "rejected": set(result.rejected),
        "skipped": set(result.skipped),
        "deleted_alarms": set(result.deleted_alarms),
    }


def outcome_of(invocations: list[Invocation]) -> dict[str, Any]:
    """The union of what the invocations that planned found (the one invocation's, or every shard's)."""
    found: dict[str, Any] = {"endpoints": set(), "drifted": set(), "rejected": set(), "skipped": set()}
    found["deleted_alarms"] = set()
    for invocation in invocations:
        answer = invocation.answer["messages"][0] if "messages" in invocation.answer else invocation.answer
        if "drifted" in answer:
            found["drifted"] |= set(answer["drifted"])
            found["rejected"] |= set(answer["rejected"])
            found["skipped"] |= {(s["endpoint"], s["reason"]) for s in answer["skipped"]}
            found["deleted_alarms"] |= set(answer["deleted_alarms"])
    return found


def place(world: World, shards: int) -> Place:
    made = create_place(world.aws, shards=shards)
    return Place(made.bucket, made.queue_url, made.table, shards)


@pytest.mark.parametrize(("checks", "shards"), [(0, 1), (0, 5), (2, 3), (1, 16), (10_000, 4)])
def test_the_same_endpoints_drift_whatever_the_budget_and_the_shards(
    fleet: World, reconcile_queue: str, checks: int, shards: int
) -> None:
    """A property of the split: budget and shard count change how the work is cut, never what it finds."""
    one_go = sweep(fleet.deps(dry_run=True), reconcile_queue, "one-go")
    fleet.sqs.purge_queue(QueueUrl=reconcile_queue)  # FIFO: its messages would hold back the same groups
    where = place(fleet, shards)

    runs = run_sweep(fleet.deps(dry_run=True), reconcile_queue, where, pages_budget(checks), "split")

    found = outcome_of(runs)
    expected = outcome(one_go)
    assert found["drifted"] == expected["drifted"]
    assert found["rejected"] == expected["rejected"]
    assert found["skipped"] == expected["skipped"]
    assert found["deleted_alarms"] == expected["deleted_alarms"]
    assert len(expected["drifted"]) > 10
    assert expected["rejected"]
    assert expected["deleted_alarms"]
    requests = queued(fleet, reconcile_queue)
    assert sorted(q.endpoint for q in requests if q.deduplication_id.startswith("split:")) == sorted(
        expected["drifted"]
    )
    kinds = [r.kind for r in runs]
    if checks == 0:  # the reads outgrew the first invocation: checkpoint, continuations, then shards
        assert "read" in kinds
        assert kinds.count("shard") == shards
    elif checks < 10_000:  # the reads fit, the planning did not (or the reads did not): shards
        assert kinds.count("shard") == shards
    else:  # fits: one invocation, as the sweep in one go
        assert kinds == ["start"]
    assert "Item" not in fleet.aws.client("dynamodb").get_item(TableName=where.table, Key=LOCK)  # released


def test_a_split_sweep_reports_once_with_the_totals_and_cleans_up(
    fleet: World, reconcile_queue: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sweeper = importlib.import_module("functions.sweeper.app")
    sweeper.metrics.clear_metrics()
    where = place(fleet, 4)

    runs = run_sweep(fleet.deps(), reconcile_queue, where, pages_budget(1), "split")
    sweeper.metrics.flush_metrics()

    assert emitted(capsys.readouterr().out, "SweepHeartbeat") == [1.0]
    alarms = fleet.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/gone-endpoint/")["MetricAlarms"]
    assert alarms == []  # deleted by the shard of the endpoint
    assert max(r.call_count for r in runs) < sum(r.call_count for r in runs)


def test_a_sweep_still_running_makes_the_next_one_skip(fleet: World, reconcile_queue: str) -> None:
    where = place(fleet, 2)
    deps = fleet.deps()
    first = run_sweep_step({"id": "first"}, deps, reconcile_queue, where, pages_budget(0)(), "first")
    assert "checkpoint" in first

    answer = run_sweep_step({"id": "second"}, deps, reconcile_queue, where, lambda: False, "second")

    assert answer == {"skipped": "second"}


def test_a_message_that_is_not_a_sweep_step_is_dropped_with_its_reason(fleet: World, reconcile_queue: str) -> None:
    event = {"Records": [{"eventSource": "aws:sqs", "messageId": "m", "body": "{not json"}]}
    answer = run_sweep_step(event, fleet.deps(), reconcile_queue, place(fleet, 2), lambda: False, "x")

    assert answer["messages"][0]["dropped"].startswith("sweep queue message is not a sweep step: JSONDecodeError")


class Hurried(LambdaContext):
    """An invocation with a millisecond left: its budget (half of it) is spent at once."""

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 1


def test_handler_continues_through_the_sweep_queue(
    fleet: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The deployed shape: SWEEP_BUCKET, SWEEP_QUEUE_URL, SWEEP_TABLE set; a context with little time left makes the
    scheduled invocation checkpoint, and the queue's messages finish the sweep."""
    where = place(fleet, 3)
    sweeper = importlib.import_module("functions.sweeper.app")
    settings = {"sweep_bucket": where.bucket, "sweep_queue_url": where.queue_url, "sweep_table": where.table}
    monkeypatch.setattr(sweeper, "deps", lambda: (fleet.deps(sweep_shards=3, **settings), reconcile_queue))
    sweeper.metrics.clear_metrics()
    hurried = Hurried("SweeperFunction", memory_limit_in_mb=1769)

    first = sweeper.handler(load_event("schedule-sweep.json"), hurried)

    assert "checkpoint" in first
    while messages := fleet.aws.client("sqs").receive_message(QueueUrl=where.queue_url).get("Messages", []):
        for message in messages:
            record = {"eventSource": "aws:sqs", "messageId": message["MessageId"], "body": message["Body"]}
            sweeper.handler({"Records": [record]}, hurried)
            fleet.aws.client("sqs").delete_message(QueueUrl=where.queue_url, ReceiptHandle=message["ReceiptHandle"])
    enqueued = {q.endpoint for q in queued(fleet, reconcile_queue)}
    fleet.sqs.purge_queue(QueueUrl=reconcile_queue)
    assert enqueued == set(sweep(fleet.deps(dry_run=True), reconcile_queue, "one-go").drifted)
    assert json.dumps(first)  # the answer is JSON, as Lambda returns it
