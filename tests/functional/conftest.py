"""Functional fixtures: the library and handlers against moto in-process, with the AWS fidelity layer."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from autoscaler.aws import Aws
from autoscaler.observability import logger
from autoscaler.reconciler import Deps, Outcome, reconcile_endpoint
from autoscaler.settings import Settings
from localaws.calls import CallCounter
from localaws.fidelity import fidelity
from localaws.seed import VariantSeed, create_endpoint, remove_tags, set_tags

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
DEFAULT_PROFILE = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]}
PROFILE_PREFIX = "/sagemaker-autoscaler/profiles"
BASE_TAGS = {
    "autoscaling:enabled": "true",
    "autoscaling:min": "1",
    "autoscaling:max": "4",
    "autoscaling:target-invocations": "70",
}
# An inference component's own tags: min 0, so it gets the scale-from-zero step policy and its alarm too.
COMPONENT_TAGS = {
    "autoscaling:enabled": "true",
    "autoscaling:min": "0",
    "autoscaling:max": "4",
    "autoscaling:target-concurrency": "3",
}


class FakeClock:
    """The fidelity layer's clock (``FidelityConfig.clock``): it only moves when a test moves it."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture(scope="session")
def library_aws() -> Aws:
    """One set of clients for the session: moto intercepts them whenever a mock is active."""
    return Aws.create(max_attempts=1)


@dataclass
class World:
    """A moto account with the fidelity layer, the controller's deps, a call counter and an outcome-event tap."""

    aws: Aws
    settings: Settings
    counter: CallCounter
    outcome_queue: str
    sqs: Any
    arns: dict[str, str] = field(default_factory=dict)

    def deps(self, clock: datetime = NOW, **settings: Any) -> Deps:
        merged = Settings(**{**self.settings.__dict__, **settings})
        return Deps(merged, self.aws, clock=lambda: clock)

    def endpoint(
        self, name: str, tags: dict[str, str] | None = None, variants: tuple[str, ...] = ("AllTraffic",)
    ) -> str:
        arn = create_endpoint(self.aws.sagemaker, name, tuple(VariantSeed(v) for v in variants), tags)
        self.arns[name] = arn
        self.counter.reset()  # count only what the controller does from here on
        return arn

    def tag(self, name: str, **tags: str) -> None:
        set_tags(
            self.aws.sagemaker, self.arns[name], {f"autoscaling:{k.replace('_', '-')}": v for k, v in tags.items()}
        )
        self.counter.reset()

    def untag(self, name: str, *keys: str) -> None:
        remove_tags(self.aws.sagemaker, self.arns[name], [f"autoscaling:{k}" for k in keys])
        self.counter.reset()

    def profile(self, name: str, body: dict[str, Any] | str, kind: str = "String") -> None:
        """Store a profile (a dict is stored as JSON, a string as it is) under the profile prefix."""
        text = body if isinstance(body, str) else json.dumps(body)
        self.aws.ssm.put_parameter(Name=f"{PROFILE_PREFIX}/{name}", Value=text, Type=kind, Overwrite=True)
        self.counter.reset()

    def reconcile(self, name: str, clock: datetime = NOW, **settings: Any) -> Outcome:
        return reconcile_endpoint(name, self.deps(clock, **settings))

    def targets(self, name: str) -> dict[str, tuple[int, int]]:
        found = self.aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
        return {
            t["ResourceId"].split("/")[-1]: (t["MinCapacity"], t["MaxCapacity"])
            for t in found
            if t["ResourceId"].startswith(f"endpoint/{name}/")
        }

    def policies(self, name: str) -> dict[str, dict[str, Any]]:
        found = self.aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
        return {p["PolicyName"]: p for p in found if p["ResourceId"].startswith(f"endpoint/{name}/")}

    def outcome_events(self) -> list[dict[str, Any]]:
        messages = self.sqs.receive_message(QueueUrl=self.outcome_queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"])["detail"] for m in messages]

    def writes(self) -> dict[tuple[str, str], int]:
        """Writes to what the controller manages (the outcome event is reporting, counted separately)."""
        return {k: n for k, n in self.counter.writes.items() if k[0] != "events"}


@pytest.fixture
def world(library_aws: Aws) -> Iterator[World]:
    with mock_aws(), fidelity():
        sqs = boto3.client("sqs")
        events = boto3.client("events")
        queue = sqs.create_queue(QueueName="outcomes")["QueueUrl"]
        queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        events.put_rule(Name="outcomes", EventPattern=json.dumps({"source": ["sagemaker-autoscaler"]}))
        events.put_targets(Rule="outcomes", Targets=[{"Id": "q", "Arn": queue_arn}])
        counter = CallCounter(*library_aws.clients)
        world = World(library_aws, Settings(max_capacity_ceiling=20), counter, queue, sqs)
        world.profile("default", DEFAULT_PROFILE)  # the stack creates it (template.yaml)
        try:
            yield world
        finally:
            for client in library_aws.clients:
                client.meta.events.unregister("before-call", counter._count)


# --- the router and the sweep: the FIFO reconcile queue -------------------------------------------------------------


@dataclass(frozen=True)
class Queued:
    """One reconcile request on the FIFO queue, with the ids SQS keeps."""

    endpoint: str
    trigger: str
    group: str
    deduplication_id: str


@pytest.fixture
def reconcile_queue(world: World) -> str:
    """The FIFO reconcile queue as template.yaml declares it: no content-based deduplication (the sender gives ids)."""
    return str(
        world.sqs.create_queue(
            QueueName="reconcile.fifo", Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "false"}
        )["QueueUrl"]
    )


def queued(world: World, queue_url: str) -> list[Queued]:
    """Every request on the queue (received once each, left in flight), in receive order."""
    found: list[Queued] = []
    while True:
        messages = world.sqs.receive_message(
            QueueUrl=queue_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"]
        ).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            body = json.loads(message["Body"])
            attributes = message["Attributes"]
            found.append(
                Queued(
                    body["endpoint"],
                    body["trigger"],
                    attributes["MessageGroupId"],
                    attributes["MessageDeduplicationId"],
                )
            )


# --- what the handlers emit --------------------------------------------------------------------------------------


@pytest.fixture
def logs(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """The Powertools JSON lines (its handler holds the stdout it found at import)."""
    captured = io.StringIO()
    monkeypatch.setattr(logger.registered_handler, "stream", captured)
    return captured


def log_lines(logs: io.StringIO, message: str) -> list[dict[str, Any]]:
    """The structured log lines with that message."""
    lines = [json.loads(line) for line in logs.getvalue().splitlines() if line.startswith("{")]
    return [line for line in lines if line["message"] == message]


def emitted(stdout: str, metric: str) -> list[float]:
    """The values of one EMF metric in what a handler printed (Powertools flushes one JSON line per invocation)."""
    lines = [json.loads(line) for line in stdout.splitlines() if '"_aws"' in line]
    values = [line[metric] for line in lines if metric in line]
    return [float(v) for value in values for v in (value if isinstance(value, list) else [value])]
