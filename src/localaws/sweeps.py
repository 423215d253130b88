"""A whole sweep run locally through all its invocations, as Lambda would run it: the scheduled one, then every
message of the sweep queue delivered to the sweeper's handler logic one at a time (the SQS event source mapping's
role), each invocation's AWS calls counted and timed. For the tests and the scale benchmark (bench/)."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from autoscaler.aws import Aws
from autoscaler.reconciler import Deps
from autoscaler.sweep_shards import Place, run_sweep_step, time_budget
from localaws.calls import CallCounter

# The services a sweep's invocations call beyond Aws's own six clients (made by Aws.client).
EXTRA_SERVICES = ("resourcegroupstaggingapi", "sqs", "s3", "dynamodb", "service-quotas")


@dataclass(frozen=True)
class Invocation:
    """One invocation of the sweeper: what woke it (``start``, ``read``, ``shard``), its AWS calls by (service,
    operation), its wall time and its answer."""

    kind: str
    calls: Counter[tuple[str, str]]
    seconds: float
    answer: dict[str, Any] = field(repr=False)

    @property
    def call_count(self) -> int:
        return sum(self.calls.values())


def create_place(aws: Aws, name: str = "sweep", shards: int = 16) -> Place:
    """The stack's SweepBucket, SweepQueue and SweepTable (template.yaml), made on a local AWS."""
    aws.client("s3").create_bucket(Bucket=f"{name}-state")
    queue = aws.client("sqs").create_queue(QueueName=f"{name}-steps")["QueueUrl"]
    aws.client("dynamodb").create_table(
        TableName=f"{name}-table",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    return Place(f"{name}-state", str(queue), f"{name}-table", shards)


def pages_budget(checks: int) -> Callable[[], Callable[[], bool]]:
    """A budget that is spent after ``checks`` questions in an invocation (each stream reads at least one page, so
    every invocation makes progress): forces checkpoints and shards on a small fleet, whatever the machine's speed."""

    def make() -> Callable[[], bool]:
        left, lock = [checks], threading.Lock()

        def spent() -> bool:
            with lock:
                left[0] -= 1
                return left[0] < 0

        return spent

    return make


def seconds_budget(remaining_ms: int) -> Callable[[], Callable[[], bool]]:
    """The handler's own budget (half of ``remaining_ms``), as if each invocation had that much time left."""
    return lambda: time_budget(remaining_ms)


def run_sweep(
    deps: Deps | Callable[[], Deps],
    queue_url: str,
    place: Place,
    budget: Callable[[], Callable[[], bool]],
    sweep_id: str = "sweep",
    max_invocations: int = 100_000,
) -> list[Invocation]:
    """Runs one sweep to its end: the scheduled invocation, then each sweep-queue message as its own invocation
    (deleted once handled, as the event source mapping does on success) until the queue is empty. ``deps``: the
    execution environment of every invocation, or a function giving each invocation its own (a fresh one is a cold
    environment). Returns the invocations in the order they ran."""
    environment = deps if callable(deps) else (lambda: deps)
    # The event source mapping's polling is Lambda's, not the function's: its own client, outside every count.
    counted = environment().aws.client("sqs")
    sqs = boto3.session.Session().client(
        "sqs", endpoint_url=counted.meta.endpoint_url, region_name=counted.meta.region_name
    )
    invocations = [_invoke(environment(), queue_url, place, budget, sweep_id, {"id": sweep_id}, "start")]
    while len(invocations) < max_invocations:
        messages = sqs.receive_message(QueueUrl=place.queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return invocations
        for message in messages:
            record = {"eventSource": "aws:sqs", "messageId": message["MessageId"], "body": message["Body"]}
            kind = str(json.loads(message["Body"]).get("phase", "?"))
            event = {"Records": [record]}
            invocations.append(_invoke(environment(), queue_url, place, budget, sweep_id, event, kind))
            sqs.delete_message(QueueUrl=place.queue_url, ReceiptHandle=message["ReceiptHandle"])
    raise RuntimeError(f"sweep {sweep_id}: more than {max_invocations} invocations")


def _invoke(
    deps: Deps,
    queue_url: str,
    place: Place,
    budget: Callable[[], Callable[[], bool]],
    sweep_id: str,
    event: dict[str, Any],
    kind: str,
) -> Invocation:
    clients = [*deps.aws.clients, *(deps.aws.client(s) for s in EXTRA_SERVICES)]
    counter = CallCounter(*clients)
    started = time.perf_counter()
    try:
        answer = run_sweep_step(event, deps, queue_url, place, budget(), sweep_id)
    finally:
        counter.detach()
    return Invocation(kind, Counter(counter.calls), time.perf_counter() - started, answer)
