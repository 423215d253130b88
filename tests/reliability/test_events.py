"""Bad events, poison messages, concurrent reconciles and a burst: the whole path from an event to the AAS state.

The handlers run in-process as Lambda would run them (their module's ``deps`` pointed at the test's AWS); the SQS
event source mapping is played by ``localaws.pipeline.EventSourceMapping`` (batches of at most 10, partial batch
failures honoured), the FIFO queue and its dead-letter queue are SQS's own (moto).
"""

from __future__ import annotations

import copy
import importlib
import io
import json
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoscaler.aws import Aws
from autoscaler.messages import is_endpoint_name
from autoscaler.reconciler import Deps, Status, reconcile_endpoint
from autoscaler.settings import Settings
from localaws.faults import inject
from localaws.pipeline import EventSourceMapping, LambdaContext
from localaws.seed import VariantSeed, create_endpoint
from localaws.server import LocalAws
from tests.conftest import EVENTS, load_event
from tests.functional.conftest import BASE_TAGS, World, emitted, log_lines
from tests.mutations import ANY_JSON, DEPTH_BOMB, SIZE_BOMB, nested, nested_text, nodes, parent

from .conftest import RICH, RICH_TAGS, VARIANTS, snapshot
from .test_races import MAX_RECEIVES, depth, fifo_with_dlq, send

EVENTS_IN_BURST, ENDPOINTS_IN_BURST = 1000, 100
# A reconcile that raised added no metrics before the handler flushed them: Powertools says so.
pytestmark = pytest.mark.filterwarnings("ignore:No application metrics to publish")


@pytest.fixture
def handlers(world: World, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    queue, _ = fifo_with_dlq(world)
    modules = {
        name: importlib.import_module(f"functions.{name}.app")
        for name in ("router", "reconciler", "sweeper", "capacity")
    }
    deps = Deps(world.settings, world.aws)
    monkeypatch.setattr(modules["router"], "deps", lambda: (world.settings, world.aws, queue))
    monkeypatch.setattr(modules["reconciler"], "deps", lambda: deps)
    monkeypatch.setattr(modules["sweeper"], "deps", lambda: (deps, queue))
    monkeypatch.setattr(modules["capacity"], "deps", lambda: (world.settings, world.aws))
    return {
        name: (lambda event, module=module, name=name: module.handler(event, LambdaContext(name)))
        for name, module in modules.items()
    } | {"queue": queue}


ADDTAGS = load_event("cloudtrail-addtags.json")
ADDTAGS_REQUEST = ADDTAGS["detail"]["requestParameters"]
BAD_ROUTER_EVENTS = [
    {},
    {"source": "aws.sagemaker"},
    {"source": "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", "detail": "not an object"},
    {"source": "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", "detail": {}},
    {"source": "aws.sagemaker", "detail-type": "SageMaker Endpoint State Change", "detail": {"EndpointStatus": 7}},
    {"source": "aws.sagemaker", "detail-type": "AWS API Call via CloudTrail", "detail": {"eventName": "AddTags"}},
    {"source": "aws.tag", "detail-type": "Tag Change on Resource", "detail": {}, "resources": ["not-an-arn"]},
    {"source": "aws.ssm", "detail-type": "Parameter Store Change", "detail": {"name": ["/x"]}},
    {"source": "evil.corp", "detail-type": "Anything", "detail": {"EndpointName": "ep"}},
    {"Records": [{"body": "{}"}]},
    {"endpoint": "ep", "variant": "AllTraffic", "count": 3},
    {
        "source": "aws.sagemaker",
        "detail-type": "SageMaker Endpoint State Change",
        "time": "yesterday",
        "id": ["x"],
        "detail": {"EndpointName": "../../etc", "EndpointStatus": "IN_SERVICE"},
    },
    {**ADDTAGS, "detail": {**ADDTAGS["detail"], "requestParameters": {**ADDTAGS_REQUEST, "tags": 5}}},
    {**ADDTAGS, "detail": {**ADDTAGS["detail"], "requestParameters": {**ADDTAGS_REQUEST, "tags": [True]}}},
    {**ADDTAGS, "detail": {**ADDTAGS["detail"], "requestParameters": {**ADDTAGS_REQUEST, "tags": nested(DEPTH_BOMB)}}},
    {**ADDTAGS, "detail": {**ADDTAGS["detail"], "errorCode": nested(DEPTH_BOMB)}},
    {**ADDTAGS, "detail": {**ADDTAGS["detail"], "eventName": "x" * SIZE_BOMB}},
    {**ADDTAGS, "source": nested(DEPTH_BOMB)},
]


def test_malformed_and_unknown_events_to_every_handler_are_logged_with_a_reason_and_dropped(
    world: World, handlers: dict[str, Any], logs: io.StringIO
) -> None:
    world.endpoint("ep", BASE_TAGS)
    for number, event in enumerate(BAD_ROUTER_EVENTS):  # the router changes no event (some are too deep to copy)
        answer = handlers["router"](event)
        assert answer["endpoints"] == [], number
        assert answer["reason"], number
    routed = log_lines(logs, "routed")
    assert len(routed) == len(BAD_ROUTER_EVENTS)
    assert all(line["reason"] and line["sent"] == 0 for line in routed)
    assert depth(world, handlers["queue"]) == 0  # nothing reached the reconcile queue

    batch = load_event("sqs-reconcile-batch.json")
    bodies = [
        "not json",
        "[]",
        json.dumps({"endpoint": "../etc"}),
        json.dumps({"endpoint": 7}),
        "{}",
        "\u0000",
        json.dumps({"endpoint": "e" + "-" * 70 + "p"}),  # SageMaker's pattern, but longer than its 63 characters
        nested_text(3_000),
        json.dumps({"endpoint": "ep", "trigger": "x" * SIZE_BOMB}),
    ]
    records = [{**batch["Records"][0], "messageId": f"m{n}", "body": body} for n, body in enumerate(bodies)]
    for n, record in enumerate(records):
        record["attributes"] = {**record["attributes"], "MessageGroupId": f"g{n}"}
    assert handlers["reconciler"]({"Records": records}) == {"batchItemFailures": []}  # dropped, not retried
    dropped = log_lines(logs, "message dropped")
    assert len(dropped) == len(bodies)
    assert all(line["reason"] for line in dropped)

    for request in (
        {},
        {"endpoint": "ep"},
        {"endpoint": "ep", "variant": "AllTraffic", "count": -1},
        {"endpoint": "ep", "variant": "AllTraffic", "count": "3"},
        {"endpoint": ["ep"], "count": 1},
    ):
        answer = handlers["capacity"](request)
        assert (answer["ok"], answer["status"]) == (False, "refused"), request
        assert answer["message"]
    refused = log_lines(logs, "capacity request refused")
    assert len(refused) == 5

    for event in ({}, {"id": 7}, {"source": "evil.corp"}):  # the sweeper's input is only a wake-up
        assert handlers["sweeper"](event)["endpoints"] == 1
    assert not [k for k in world.counter.writes if k[0] in ("application-autoscaling", "cloudwatch", "sagemaker")]
    print(
        f"\nRELIABILITY bad events: {len(BAD_ROUTER_EVENTS)} to the router, {len(bodies)} bodies to the reconciler, "
        "5 requests to the capacity function, 3 to the sweeper: all logged with a reason and dropped"
    )


SAMPLES = {path.name: json.loads(path.read_text()) for path in sorted(EVENTS.glob("*.json"))}
MUTABLE = [(name, path) for name, sample in SAMPLES.items() for path, _ in nodes(sample)]
TRIED: dict[str, int] = {}


@st.composite
def mutated_events(draw: st.DrawFn) -> Any:
    """A sample event of events/ with one field (at any depth) replaced by any JSON value or removed, or the whole
    event replaced."""
    name, path = draw(st.sampled_from([*MUTABLE, ("", ())]))
    if not path:
        return draw(ANY_JSON)
    event = json.loads(json.dumps(SAMPLES[name]))  # a copy
    container = parent(event, path)
    if draw(st.booleans()) and isinstance(container, dict):
        del container[path[-1]]
    else:
        container[path[-1]] = draw(ANY_JSON)
    return event


@given(event=mutated_events())
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
def test_any_json_value_at_any_field_of_any_sample_event_is_routed_or_dropped_never_raised(
    world: World, handlers: dict[str, Any], capsys: pytest.CaptureFixture[str], event: Any
) -> None:
    """The router returns normally for every mutation: it routes, or drops with a reason; a dropped malformed event
    is counted. (TemporaryError is the only exception it may raise, and no AWS call fails here.)"""
    TRIED["events"] = TRIED.get("events", 0) + 1
    answer = handlers["router"](event)

    assert answer["endpoints"] or answer["reason"]
    assert all(is_endpoint_name(e) for e in answer["endpoints"])
    assert len(json.dumps(answer)) < 20_000  # nothing of a bomb is copied into the answer or the log
    assert sum(emitted(capsys.readouterr().out, "DroppedEvents")) <= 1


def test_a_poison_message_ends_in_the_dead_letter_queue_after_the_configured_receives(
    world: World, handlers: dict[str, Any], logs: io.StringIO
) -> None:
    """A reconcile that fails in a way no retry fixes (AccessDenied on DescribeEndpoint): the message is reported
    failed MaxReceiveCount times, then SQS moves it to the DLQ, whole; the healthy endpoint's message is not held."""
    queue = handlers["queue"]
    dlq = queue.replace("reconcile.fifo", "dlq.fifo")
    world.endpoint("poison", BASE_TAGS)
    world.endpoint("healthy", BASE_TAGS)
    send(world, queue, "poison", "e1")
    send(world, queue, "healthy", "e1")
    mapping = EventSourceMapping(world.sqs, queue, handlers["reconciler"])
    with inject(world.aws.sagemaker, "DescribeEndpoint", "AccessDeniedException", when="poison") as hit:
        for _ in range(MAX_RECEIVES + 2):
            mapping.poll_once()
    assert len(hit) == MAX_RECEIVES
    assert (depth(world, queue), depth(world, dlq)) == (0, 1)
    (parked,) = world.sqs.receive_message(QueueUrl=dlq)["Messages"]
    assert json.loads(parked["Body"]) == {"endpoint": "poison", "trigger": "test"}
    assert world.targets("healthy") == {"AllTraffic": (1, 4)}


def test_concurrent_reconciles_of_one_endpoint_over_http_converge_without_duplicates_or_orphans() -> None:
    """Eight threads, each with its own clients (as eight Lambda environments would have), reconcile the same
    endpoint at once against the moto_server launcher, twice over; then the endpoint holds exactly what one
    reconcile alone gives another endpoint, and a further reconcile writes nothing."""
    with LocalAws() as local:
        try:
            local.client("ssm").put_parameter(
                Name="/sagemaker-autoscaler/profiles/rich", Value=json.dumps(RICH), Type="String"
            )
            sagemaker = local.client("sagemaker")
            for name in ("alone", "crowded"):
                create_endpoint(sagemaker, name, tuple(VariantSeed(v) for v in VARIANTS), RICH_TAGS)
            settings = Settings()
            assert (
                reconcile_endpoint("alone", Deps(settings, Aws.create(endpoint_url=local.endpoint_url))).status
                is Status.APPLIED
            )

            workers = [Aws.create(endpoint_url=local.endpoint_url, max_attempts=1) for _ in range(8)]
            start = threading.Barrier(len(workers))
            results: list[str] = []

            def work(aws: Aws) -> None:
                for _ in range(2):
                    start.wait()
                    try:
                        results.append(str(reconcile_endpoint("crowded", Deps(settings, aws)).status))
                    except Exception as exc:
                        results.append(type(exc).__name__)

            threads = [threading.Thread(target=work, args=(aws,)) for aws in workers]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

            check = Aws.create(endpoint_url=local.endpoint_url, max_attempts=1)
            final = reconcile_endpoint("crowded", Deps(settings, check))
            crowded, alone = snapshot(check, "crowded"), snapshot(check, "alone")
            alarms = check.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/")["MetricAlarms"]
        finally:
            local.reset()
    assert set(results) <= {"applied", "unchanged", "TemporaryError"}, results
    assert (final.status, final.writes) == (Status.UNCHANGED, 0)
    assert crowded == alone
    assert len(alarms) == 4  # two per endpoint: no duplicate, no orphan
    print(f"\nRELIABILITY concurrency: 8 threads x 2 rounds on one endpoint -> {sorted(set(results))}, converged")


def test_a_burst_of_1000_events_over_100_endpoints_ends_with_every_endpoint_as_configured(
    world: World, handlers: dict[str, Any]
) -> None:
    """Events arrive while the event source mapping polls (batches of 10), as on AWS; every event is a reconcile
    request (distinct event ids, so FIFO deduplication drops none)."""
    endpoints = [f"burst-{n:03d}" for n in range(ENDPOINTS_IN_BURST)]
    for n, name in enumerate(endpoints):
        create_endpoint(world.aws.sagemaker, name, tags={**BASE_TAGS, "autoscaling:max": str(2 + n % 7)})
    template = load_event("sagemaker-endpoint-state-change-in-service.json")
    mapping = EventSourceMapping(world.sqs, handlers["queue"], handlers["reconciler"])
    routed = delivered = 0
    for number in range(EVENTS_IN_BURST):
        event = copy.deepcopy(template)
        event["id"] = f"burst-event-{number:04d}"
        event["detail"]["EndpointName"] = endpoints[number % ENDPOINTS_IN_BURST]
        routed += len(handlers["router"](event)["endpoints"])
        if number % 10 == 9:  # the event source mapping polls while events keep arriving
            delivered += mapping.poll_once()
    delivered += mapping.drain(max_batches=200)

    assert (routed, delivered, mapping.failed) == (EVENTS_IN_BURST, EVENTS_IN_BURST, [])
    assert depth(world, handlers["queue"]) == 0
    pages = world.aws.autoscaling.get_paginator("describe_scalable_targets").paginate(ServiceNamespace="sagemaker")
    found = [t for page in pages for t in page["ScalableTargets"]]
    assert sorted((t["ResourceId"], t["MinCapacity"], t["MaxCapacity"]) for t in found) == sorted(
        (f"endpoint/{name}/variant/AllTraffic", 1, 2 + n % 7) for n, name in enumerate(endpoints)
    )
    print(f"\nRELIABILITY burst: 1000 events over 100 endpoints -> {delivered} reconciles, 0 failed, 100 configured")
