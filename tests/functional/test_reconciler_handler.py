"""The reconciler Lambda handler: SQS FIFO batches in, partial batch failures out."""

from __future__ import annotations

import copy
import importlib
import io
import json
from typing import Any

import pytest

from localaws.faults import inject
from localaws.pipeline import LambdaContext
from tests.conftest import load_event

from .conftest import BASE_TAGS, World, emitted, log_lines

EVENT = load_event("sqs-reconcile-batch.json")


CONTEXT = LambdaContext("ReconcilerFunction")


@pytest.fixture
def app(world: World, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = importlib.import_module("functions.reconciler.app")
    monkeypatch.setattr(module, "deps", world.deps)
    return module


def test_batch_reconciles_every_endpoint(world: World, app: Any) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("recommender", BASE_TAGS)
    assert app.handler(EVENT, CONTEXT) == {"batchItemFailures": []}
    assert world.targets("fraud-detector") == {"AllTraffic": (1, 4)}
    assert world.targets("recommender") == {"AllTraffic": (1, 4)}


def test_throttled_endpoint_fails_only_its_own_message(world: World, app: Any) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("recommender", BASE_TAGS)
    with inject(world.aws.autoscaling, "RegisterScalableTarget", "ThrottlingException", when="fraud-detector") as hit:
        response = app.handler(EVENT, CONTEXT)
    assert hit
    assert response == {"batchItemFailures": [{"itemIdentifier": EVENT["Records"][0]["messageId"]}]}
    assert world.targets("fraud-detector") == {}
    assert world.targets("recommender") == {"AllTraffic": (1, 4)}


def test_malformed_message_is_dropped_not_retried(world: World, app: Any) -> None:
    event = copy.deepcopy(EVENT)
    event["Records"][0]["body"] = "not json"
    event["Records"][1]["body"] = json.dumps({"endpoint": "../etc"})
    assert app.handler(event, CONTEXT) == {"batchItemFailures": []}


def test_invalid_configuration_is_acknowledged(world: World, app: Any) -> None:
    world.endpoint("fraud-detector", {**BASE_TAGS, "autoscaling:max": "lots"})
    world.endpoint("recommender", BASE_TAGS)
    assert app.handler(EVENT, CONTEXT) == {"batchItemFailures": []}
    assert world.targets("fraud-detector") == {}


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"endpoint": "a" + "-" * 70 + "b", "trigger": "test"}),  # SageMaker's pattern, but 72 characters
        json.dumps({"endpoint": "e" * 64}),
        "[" * 3000 + "]" * 3000,  # a depth bomb (json.loads raises RecursionError on it)
        '{"endpoint": ' + "[" * 2000 + "]" * 2000 + "}",
    ],
)
def test_a_message_that_is_no_valid_request_is_acknowledged_logged_and_counted_without_any_aws_call(
    world: World, app: Any, capsys: pytest.CaptureFixture[str], logs: io.StringIO, body: str
) -> None:
    app.metrics.clear_metrics()  # library calls of earlier tests ran outside a handler, which would flush them
    event = copy.deepcopy(EVENT)
    event["Records"] = [{**event["Records"][0], "body": body}]
    world.counter.reset()

    assert app.handler(event, CONTEXT) == {"batchItemFailures": []}  # acknowledged: no retry can fix it

    assert world.counter.reads == {}  # never reached DescribeEndpoint
    (dropped,) = log_lines(logs, "message dropped")
    assert dropped["reason"].startswith(("'endpoint'", "message body"))
    assert emitted(capsys.readouterr().out, "DroppedMessages") == [1.0]


def _burst(endpoint: str, count: int) -> dict[str, Any]:
    """``count`` messages of one endpoint in one batch, as SQS delivers a FIFO group (in order)."""
    first = EVENT["Records"][0]
    records = []
    for number in range(count):
        record = copy.deepcopy(first)
        record["messageId"] = f"burst-{number}"
        record["body"] = json.dumps(
            {"endpoint": endpoint, "trigger": "test", **({"components": True} if number else {})}
        )
        record["attributes"]["MessageGroupId"] = endpoint
        records.append(record)
    return {"Records": records}


def test_a_burst_of_one_endpoint_in_a_batch_is_one_reconcile_and_the_rest_counted_coalesced(
    world: World, app: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    app.metrics.clear_metrics()
    world.endpoint("fraud-detector", BASE_TAGS)

    assert app.handler(_burst("fraud-detector", 4), CONTEXT) == {"batchItemFailures": []}

    out = capsys.readouterr().out
    assert sum(emitted(out, "Reconciles")) == 1
    assert sum(emitted(out, "CoalescedMessages")) == 3
    assert world.targets("fraud-detector") == {"AllTraffic": (1, 4)}


def test_a_failed_coalesced_reconcile_returns_every_message_it_covered(world: World, app: Any) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    event = _burst("fraud-detector", 3)
    event["Records"].append(copy.deepcopy(EVENT["Records"][1]))  # another endpoint in the same batch
    world.endpoint("recommender", BASE_TAGS)

    with inject(world.aws.autoscaling, "RegisterScalableTarget", "ThrottlingException", when="fraud-detector") as hit:
        response = app.handler(event, CONTEXT)

    assert hit
    assert response == {"batchItemFailures": [{"itemIdentifier": f"burst-{n}"} for n in range(3)]}
    assert world.targets("recommender") == {"AllTraffic": (1, 4)}
