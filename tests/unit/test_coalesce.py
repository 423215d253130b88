"""Bursts (autoscaler/coalesce.py): a burst of messages for the same endpoints costs about one reconcile per endpoint,
and the last change made to an endpoint is always applied, whatever the batches, failures and environments.

The model: each endpoint has a configuration version; a change bumps it and, as the router does, sends a message of
the endpoint's group. The fake reconcile reads the version when it starts (a reconcile reads everything fresh) and
applies it when it completes, unless it fails (then nothing is applied and the processor returns the message). Batches
are delivered as Lambda delivers a FIFO queue: at most ten messages, each group's messages in order, no message of a
group while an earlier one of it is in flight (delivery is sequential here, so none is).
"""

from __future__ import annotations

import json
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random
from typing import Any

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from hypothesis import example, given, settings
from hypothesis import strategies as st

from autoscaler.coalesce import Batch, reconcile_record
from autoscaler.errors import TemporaryError
from autoscaler.observability import metrics
from autoscaler.reconciler import Deps, Outcome, Status
from autoscaler.settings import Settings

START = datetime(2026, 11, 25, 12, tzinfo=UTC)
ENDPOINTS = tuple(f"endpoint-{n:03d}" for n in range(100))


@dataclass
class Fleet:
    """The endpoints' configurations, the queue, the clock, and what the reconciles did."""

    now: datetime = START
    version: Counter[str] = field(default_factory=Counter)
    applied: dict[str, int] = field(default_factory=dict)
    queue: dict[str, deque[dict[str, Any]]] = field(default_factory=dict)  # per message group, in order
    reconciles: Counter[str] = field(default_factory=Counter)
    fail_next: int = 0  # reconciles still to fail
    components_asked: dict[str, datetime] = field(default_factory=dict)  # the last message asking for components
    components_read: dict[str, datetime] = field(default_factory=dict)  # the last completed reconcile that did
    sent: int = 0

    def clock(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def send(self, endpoint: str, *, change: bool = False, components: bool = False) -> None:
        if change:
            self.version[endpoint] += 1
        self.sent += 1
        body: dict[str, Any] = {"endpoint": endpoint, "trigger": "test"}
        if components:
            body["components"] = True
            self.components_asked[endpoint] = self.now
        self.queue.setdefault(endpoint, deque()).append(
            {
                "messageId": f"m-{self.sent}",
                "body": json.dumps(body),
                "attributes": {
                    "SentTimestamp": str(int(self.now.timestamp() * 1000)),
                    "MessageGroupId": endpoint,
                    "ApproximateReceiveCount": "1",
                },
                "eventSource": "aws:sqs",
            }
        )
        self.tick(0.001)

    def reconcile(self, name: str, deps: Deps, *, components: bool = False) -> Outcome:
        self.reconciles[name] += 1
        read, started = self.version[name], self.now  # read when it starts
        self.tick(0.2)
        if self.fail_next:
            self.fail_next -= 1
            raise TemporaryError(f"{name}: throttled")
        self.applied[name] = read
        if components:
            self.components_read[name] = started
        return Outcome(name, Status.APPLIED, "applied")

    def receive(self, groups: list[str], sizes: list[int]) -> list[dict[str, Any]]:
        """A batch of at most ten: ``sizes[i]`` messages (at least one) of ``groups[i]``, from the head of each."""
        batch: list[dict[str, Any]] = []
        for group, size in zip(groups, sizes, strict=False):
            waiting = self.queue.get(group)
            for _ in range(size):
                if not waiting or len(batch) == 10:
                    break
                batch.append(waiting.popleft())
        return batch

    def deliver(self, records: list[dict[str, Any]], deps: Deps) -> None:
        """One invocation of the reconciler's handler logic; failed records go back to the head of their group."""
        event = {"Records": records}
        batch = Batch.of(records)
        processor = SqsFifoPartialProcessor(skip_group_on_error=True)

        def handle(record: SQSRecord) -> None:
            reconcile_record(record, batch, deps, reconcile=self.reconcile)

        try:
            failures = process_partial_response(event=event, record_handler=handle, processor=processor)
        except BatchProcessingError:  # every record failed: the invocation fails, SQS returns them all
            failures = {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in records]}
        failed = {f["itemIdentifier"] for f in failures["batchItemFailures"]}
        for record in reversed(records):
            if record["messageId"] in failed:
                self.queue[record["attributes"]["MessageGroupId"]].appendleft(record)
        self.tick(0.05)

    def waiting(self) -> list[str]:
        return [group for group, messages in self.queue.items() if messages]


def environment(fleet: Fleet) -> Deps:
    return Deps(Settings(), None, clock=fleet.clock)  # type: ignore[arg-type]  # the fake reconcile calls no AWS


def burst(fleet: Fleet, order: list[int]) -> None:
    """1,000 messages over the 100 endpoints, ten each, sent in the order drawn (each group's in order)."""
    for number in order:
        fleet.send(ENDPOINTS[number % 100])


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_a_burst_with_nothing_changed_costs_at_most_one_and_a_half_reconciles_per_endpoint(seed: int) -> None:
    draw = Random(seed)
    # given 100 configured endpoints, then a burst of 1,000 messages, ten per endpoint, sent in a random order
    fleet = Fleet()
    for endpoint in ENDPOINTS:
        fleet.send(endpoint, change=True)
    order = list(range(1000))
    draw.shuffle(order)
    burst(fleet, order)
    fleet.tick(1.5)  # Lambda's poller receives the first batch
    deps = environment(fleet)

    # when it is delivered in batches of ten mixing the waiting groups at random (each group's order kept)
    while fleet.waiting():
        waiting = fleet.waiting()
        groups = [draw.choice(waiting) for _ in range(draw.randint(1, 10))]
        fleet.deliver(fleet.receive(groups, [draw.randint(1, 10) for _ in groups]), deps)
    metrics.clear_metrics()

    # then every endpoint holds its configuration, for at most 1.5 reconciles per endpoint
    assert fleet.applied == dict.fromkeys(ENDPOINTS, 1)
    assert sum(fleet.reconciles.values()) / len(ENDPOINTS) <= 1.5


@settings(max_examples=60, deadline=None)
@given(
    steps=st.lists(
        st.one_of(
            st.tuples(st.just("change"), st.integers(0, 9), st.booleans()),
            st.tuples(st.just("event"), st.integers(0, 9), st.booleans()),
            st.tuples(st.just("receive"), st.lists(st.integers(0, 9), min_size=1, max_size=10), st.integers(0, 2)),
            st.tuples(st.just("wait"), st.floats(0, 3), st.just(0)),
            st.tuples(st.just("fail"), st.integers(1, 3), st.just(0)),
        ),
        max_size=120,
    ),
    environments=st.integers(1, 5),
)
# A message asking for components behind one that does not, its reconcile completed before the second is received.
@example(steps=[("event", 0, False), ("event", 0, True), ("wait", 2.0, 0), ("receive", [0], 0)], environments=1)
# A change between two messages of one batch: the batch's one reconcile runs after both were sent.
@example(steps=[("event", 0, False), ("change", 0, False), ("receive", [0], 1)], environments=1)
def test_the_last_change_to_an_endpoint_is_always_applied(steps: list[tuple[str, Any, Any]], environments: int) -> None:
    fleet = Fleet()
    deps = [environment(fleet) for _ in range(environments)]
    for number, (step, what, other) in enumerate(steps):
        if step in ("change", "event"):
            fleet.send(ENDPOINTS[what], change=step == "change", components=other)
        elif step == "receive" and fleet.waiting():
            waiting = fleet.waiting()
            records = fleet.receive([waiting[g % len(waiting)] for g in what], [1 + other] * len(what))
            fleet.deliver(records, deps[number % environments])
        elif step == "wait":
            fleet.tick(what)
        elif step == "fail":
            fleet.fail_next = what
    fleet.fail_next = 0
    rounds = 0
    while fleet.waiting():  # the queue drains (retries included) into any environment
        rounds += 1
        fleet.deliver(fleet.receive(fleet.waiting(), [10] * 10), deps[rounds % environments])
    metrics.clear_metrics()

    changed = {e for e, version in fleet.version.items() if version}
    assert {e: fleet.applied.get(e) for e in changed} == {e: fleet.version[e] for e in changed}
    # and a message asking for inference components was answered by a reconcile that looked them up after it
    for endpoint, asked in fleet.components_asked.items():
        assert fleet.components_read[endpoint] > asked, endpoint
