"""Endpoint races: the endpoint goes Updating, or is deleted, in the middle of an apply; and throttling storms.

The fidelity layer gives moto AWS's endpoint lifecycle: UpdateEndpointWeightsAndCapacities sets the endpoint Updating
(for an hour here, until ``settle()``), and while it is Updating RegisterScalableTarget fails with AWS's "The status
should be in 'InService'" ValidationException; DeleteEndpoint deregisters the endpoint's targets, and their policies
and scheduled actions with them. The race is played from a botocore ``after-call`` hook on the k-th write of a full
apply, for every k.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
import pytest

from autoscaler.errors import TemporaryError
from autoscaler.reconciler import Outcome, Status, reconcile_endpoint
from localaws.faults import inject, record_calls
from localaws.fidelity import FidelityConfig, install, settle
from localaws.pipeline import EventSourceMapping, LambdaContext
from tests.functional.conftest import BASE_TAGS, World

from .conftest import RICH, RICH_TAGS, VARIANTS, deps, fresh_aws, owners, snapshot

READS = ("Describe", "List", "Get")
# A reconcile that raised added no metrics before the handler flushed them: Powertools says so.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


@pytest.fixture
def slow_world(world: World) -> World:
    """Endpoints stay Creating / Updating until ``settle()``: a race window that does not close by itself."""
    install(FidelityConfig(endpoint_transition_seconds=3600))
    world.profile("rich", RICH)
    return world


def _endpoint(world: World, name: str) -> None:
    world.endpoint(name, RICH_TAGS, VARIANTS)
    settle()


def _writes(world: World) -> list[tuple[str, str]]:
    """The writes of a fault-free full apply, in order."""
    _endpoint(world, "race-ref")
    aws = fresh_aws(world)
    with record_calls(aws.autoscaling, aws.cloudwatch) as calls:
        assert reconcile_endpoint("race-ref", deps(world, aws)).status is Status.APPLIED
    return [c for c in calls if not c[1].startswith(READS)]


@contextmanager
def after_write(world: World, number: int, act: Any) -> Iterator[list[str]]:
    """Runs ``act()`` once, right after the ``number``-th write (AAS or CloudWatch) succeeded."""
    seen: list[str] = []

    def hook(model: Any, **_: Any) -> None:
        if model.name.startswith(READS):
            return
        seen.append(model.name)
        if len(seen) == number:
            act()

    clients = (world.aws.autoscaling, world.aws.cloudwatch)
    for client in clients:
        client.meta.events.register("after-call", hook)
    try:
        yield seen
    finally:
        for client in clients:
            client.meta.events.unregister("after-call", hook)


def _variant(state: dict[str, Any], variant: str) -> dict[str, Any]:
    """The part of a snapshot that belongs to one variant."""
    marker = f"/variant/{variant}"
    return {
        "targets": [t for t in state["targets"] if t["ResourceId"].endswith(marker)],
        "policies": [p for p in state["policies"] if p["ResourceId"].endswith(marker)],
        "schedules": [s for s in state["schedules"] if s["ResourceId"].endswith(marker)],
        "alarms": [a for a in state["alarms"] if f"/{variant}/" in a["AlarmName"]],
    }


def test_endpoint_updating_mid_apply_is_skipped_then_completed_after_in_service(slow_world: World) -> None:
    world = slow_world
    writes = _writes(world)
    reference = snapshot(world.aws, "race-ref")
    operator = boto3.client("sagemaker")
    outcomes: dict[str, int] = {}
    for number in range(1, len(writes) + 1):
        name = f"upd-{number:03d}"
        _endpoint(world, name)

        def update(name: str = name) -> None:
            operator.update_endpoint_weights_and_capacities(
                EndpointName=name, DesiredWeightsAndCapacities=[{"VariantName": "Primary", "DesiredInstanceCount": 2}]
            )

        with after_write(world, number, update) as seen:
            racing = reconcile_endpoint(name, deps(world))
        assert len(seen) >= number
        later_register = ("application-autoscaling", "RegisterScalableTarget") in writes[number:]
        if later_register:
            assert racing.status is Status.SKIPPED, number
            assert "stopped being InService mid-apply" in racing.reason
            assert "should be in 'InService'" in racing.reason
        else:
            assert racing.status is Status.APPLIED, number  # every write after the update was accepted by AWS
        # Nothing half-applied: each variant is either exactly configured or untouched (no target without its
        # policies, no step policy without its alarm, no alarm without its policy).
        state = snapshot(world.aws, name)
        for variant in VARIANTS:
            assert _variant(state, variant) in (_variant(reference, variant), _variant(_EMPTY, variant))
        outcomes[str(racing.status)] = outcomes.get(str(racing.status), 0) + 1

        world.counter.reset()
        while_updating = reconcile_endpoint(name, deps(world))
        assert (while_updating.status, while_updating.writes) == (Status.SKIPPED, 0)
        assert "endpoint is Updating, not InService" in while_updating.reason
        assert world.writes() == {}

        settle()  # the IN_SERVICE event (or the sweep) brings it back
        assert reconcile_endpoint(name, deps(world)).status in (Status.APPLIED, Status.UNCHANGED)
        assert snapshot(world.aws, name) == reference
    assert outcomes.get("skipped", 0) >= 1
    print(f"\nRELIABILITY races updating: {len(writes)} race points, outcomes {outcomes}")


_EMPTY: dict[str, Any] = {"targets": [], "policies": [], "schedules": [], "alarms": []}


def test_endpoint_deleted_mid_apply_leaves_nothing_and_reconciles_as_deleted(slow_world: World) -> None:
    world = slow_world
    writes = _writes(world)
    operator = boto3.client("sagemaker")
    raised: dict[str, int] = {}
    for number in range(1, len(writes) + 1):
        name = f"del-{number:03d}"
        _endpoint(world, name)

        def delete(name: str = name) -> None:
            operator.delete_endpoint(EndpointName=name)

        with after_write(world, number, delete):
            try:
                racing: Outcome | Exception = reconcile_endpoint(name, deps(world))
            except TemporaryError as exc:
                racing = exc
        kind = type(racing).__name__ if isinstance(racing, Exception) else str(racing.status)
        raised[kind] = raised.get(kind, 0) + 1

        after = reconcile_endpoint(name, deps(world))
        assert after.status is Status.DELETED, number
        assert name not in owners(world.aws), number  # AAS deregistered the targets; the controller its alarms
        world.counter.reset()
        again = reconcile_endpoint(name, deps(world))  # no crash loop: the same answer, nothing to do
        assert (again.status, again.writes) == (Status.DELETED, 0)
        assert world.writes() == {}
    print(f"\nRELIABILITY races deleted: {len(writes)} race points, failing reconcile {raised}")


# --- throttling storms through the reconciler handler and a FIFO queue with its dead-letter queue --------------------


CONTEXT = LambdaContext("ReconcilerFunction")


MAX_RECEIVES = 5  # template.yaml's MaxReceiveCount default


def fifo_with_dlq(world: World) -> tuple[str, str]:
    """The reconcile queue as template.yaml declares it (FIFO, a FIFO dead-letter queue after MAX_RECEIVES
    receives), with a visibility timeout of 0: the test plays the timeout's expiry between deliveries."""
    sqs = world.sqs
    dlq = sqs.create_queue(QueueName="dlq.fifo", Attributes={"FifoQueue": "true"})["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": MAX_RECEIVES})
    queue = sqs.create_queue(
        QueueName="reconcile.fifo",
        Attributes={"FifoQueue": "true", "VisibilityTimeout": "0", "RedrivePolicy": redrive},
    )["QueueUrl"]
    return queue, dlq


def send(world: World, queue: str, endpoint: str, event_id: str) -> None:
    world.sqs.send_message(
        QueueUrl=queue,
        MessageBody=json.dumps({"endpoint": endpoint, "trigger": "test"}),
        MessageGroupId=endpoint,
        MessageDeduplicationId=f"{event_id}:{endpoint}",
    )


def depth(world: World, queue: str) -> int:
    attributes = world.sqs.get_queue_attributes(
        QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


@pytest.fixture
def reconciler(world: World, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = importlib.import_module("functions.reconciler.app")
    monkeypatch.setattr(module, "deps", lambda: deps(world, world.aws))
    return lambda event: module.handler(event, CONTEXT)


def test_throttling_storm_fails_every_delivery_and_loses_no_message(world: World, reconciler: Any) -> None:
    queue, dlq = fifo_with_dlq(world)
    world.endpoint("stormy", BASE_TAGS)
    world.endpoint("calm", BASE_TAGS)
    send(world, queue, "stormy", "e1")
    send(world, queue, "calm", "e1")
    mapping = EventSourceMapping(world.sqs, queue, reconciler)

    with inject(world.aws.autoscaling, "RegisterScalableTarget", "ThrottlingException", when="stormy") as hit:
        for _ in range(MAX_RECEIVES - 1):  # a storm shorter than the receive budget
            mapping.poll_once()
    assert len(hit) == MAX_RECEIVES - 1  # every delivery of the stormy endpoint's message was throttled ...
    assert len(mapping.failed) == MAX_RECEIVES - 1  # ... and reported failed, so it returned to the queue
    assert world.targets("calm") == {"AllTraffic": (1, 4)}  # the other group was not held up
    assert depth(world, queue) == 1

    mapping.drain()  # the storm is over
    assert world.targets("stormy") == {"AllTraffic": (1, 4)}
    assert (depth(world, queue), depth(world, dlq)) == (0, 0)  # processed, never dead-lettered


def test_a_storm_outlasting_the_receive_budget_parks_the_message_in_the_dlq_not_lost(
    world: World, reconciler: Any
) -> None:
    queue, dlq = fifo_with_dlq(world)
    world.endpoint("stormy", BASE_TAGS)
    send(world, queue, "stormy", "e1")
    mapping = EventSourceMapping(world.sqs, queue, reconciler)

    with inject(world.aws.autoscaling, "RegisterScalableTarget", "ThrottlingException") as hit:
        for _ in range(MAX_RECEIVES + 2):
            mapping.poll_once()

    assert len(hit) == MAX_RECEIVES  # delivered exactly MaxReceiveCount times, each throttled
    assert (depth(world, queue), depth(world, dlq)) == (0, 1)  # then moved to the dead-letter queue, intact
    (parked,) = world.sqs.receive_message(QueueUrl=dlq)["Messages"]
    assert json.loads(parked["Body"])["endpoint"] == "stormy"
