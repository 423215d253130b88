"""AWS refusing a write of a plan is a permanent configuration error, remembered so the sweep stops re-enqueueing it.

AWS's refusals are injected at the botocore layer (``localaws.faults.inject``): moto accepts requests AWS refuses
(min above max, values out of range), and what matters here is what the controller does with AWS's answer.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import boto3
import pytest

from autoscaler import refusals
from autoscaler.actions import PutAlarm, PutStepScalingPolicy, PutTargetTrackingPolicy, RegisterTarget
from autoscaler.errors import AwsError, TemporaryError
from autoscaler.reconciler import Status
from autoscaler.sweep import sweep
from localaws.faults import inject
from localaws.fidelity import FidelityConfig, install, settle
from localaws.pipeline import LambdaContext, Template, create_table
from tests.conftest import load_event

from .conftest import BASE_TAGS, NOW, World, log_lines, queued

TABLE = "refusals"
TABLE_PROPERTIES = Template.load().resources["RefusalsTable"]["Properties"]
# AWS documents no text for these refusals: each message below is the test's own, and is checked to come back whole.
BOUNDS_REFUSED = "injected: maximum capacity must not be below minimum capacity"
POLICY_REFUSED = "injected: the target value of the policy is out of range"
ALARM_REFUSED = "injected: the alarm's period is not supported for this metric"
STEP_PROFILE = {
    "version": 1,
    "min": 1,
    "max": 4,
    "step_scaling": [
        {
            "name": "latency",
            "metric": {"namespace": "AWS/SageMaker", "name": "OverheadLatency", "statistic": "Average"},
            "comparison": ">=",
            "threshold": 100000,
            "adjustment_type": "change",
            "steps": [{"lower": 0, "upper": 50000, "adjustment": 1}, {"lower": 50000, "adjustment": 3}],
        }
    ],
}


@pytest.fixture
def remembering(world: World) -> World:
    """The world with the stack's refusals table (as template.yaml declares it) configured."""
    create_table(world.aws.client("dynamodb"), TABLE, TABLE_PROPERTIES)
    world.settings = replace(world.settings, refusals_table=TABLE)
    return world


def records(world: World) -> dict[str, refusals.Refusal]:
    items = world.aws.client("dynamodb").scan(TableName=TABLE)["Items"]
    return {r.endpoint: r for r in map(refusals.Refusal.from_item, items)}


@contextmanager
def refusing(world: World, operation: str, message: str, code: str = "ValidationException") -> Iterator[list[str]]:
    client = world.aws.cloudwatch if operation == "PutMetricAlarm" else world.aws.autoscaling
    with inject(client, operation, code, message=message) as hit:
        yield hit
    assert hit, f"no {operation} was refused"


def test_register_refused_is_rejected_with_awss_message_and_nothing_after_it_is_attempted(remembering: World) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)

    with refusing(world, "RegisterScalableTarget", BOUNDS_REFUSED):
        outcome = world.reconcile("fraud-detector")

    assert outcome.status is Status.REJECTED
    assert BOUNDS_REFUSED in outcome.reason
    assert [str(e) for e in outcome.errors] == [
        "RegisterTarget endpoint/fraud-detector/variant/AllTraffic [1..4]: AWS refused RegisterScalableTarget: "
        f"ValidationException: {BOUNDS_REFUSED}"
    ]
    assert (outcome.writes, outcome.actions) == (0, ())
    assert [type(a) for a in outcome.not_attempted] == [PutTargetTrackingPolicy]
    assert world.targets("fraud-detector") == {}
    recorded = records(world)["fraud-detector"]
    assert (recorded.operation, recorded.code, recorded.message, recorded.refused_at) == (
        "RegisterScalableTarget",
        "ValidationException",
        BOUNDS_REFUSED,
        NOW,
    )


def test_policy_refused_keeps_the_target_registered_before_it(remembering: World) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)

    with refusing(world, "PutScalingPolicy", POLICY_REFUSED):
        outcome = world.reconcile("fraud-detector")

    assert outcome.status is Status.REJECTED
    assert [type(a) for a in outcome.actions] == [RegisterTarget]  # written, and it stands
    assert outcome.writes == 1
    assert outcome.not_attempted == ()
    assert "1 earlier write(s) of the plan kept, 0 later action(s) not attempted" in outcome.reason
    assert world.targets("fraud-detector") == {"AllTraffic": (1, 4)}
    assert world.policies("fraud-detector") == {}
    detail = outcome.to_dict()["refused"]
    assert (detail["operation"], detail["message"], detail["written_before"]) == ("PutScalingPolicy", POLICY_REFUSED, 1)
    assert (
        detail["action"]
        == "PutTargetTrackingPolicy endpoint/fraud-detector/variant/AllTraffic autoscaler-AllTraffic-invocations"
    )


def test_alarm_refused_by_cloudwatch_keeps_its_step_policy_and_the_sweep_then_leaves_it(
    remembering: World, reconcile_queue: str
) -> None:
    world = remembering
    world.profile("latency", STEP_PROFILE)
    world.endpoint("fraud-detector", {"autoscaling:enabled": "true", "autoscaling:profile": "latency"})

    with refusing(world, "PutMetricAlarm", ALARM_REFUSED, code="ValidationError"):
        outcome = world.reconcile("fraud-detector")

    assert outcome.status is Status.REJECTED
    assert outcome.refusal is not None
    assert outcome.refusal.operation == "PutMetricAlarm"
    assert [type(a) for a in outcome.actions] == [RegisterTarget, PutStepScalingPolicy]
    assert list(world.policies("fraud-detector")) == ["autoscaler-AllTraffic-step-latency"]
    assert world.aws.cloudwatch.describe_alarms()["MetricAlarms"] == []
    # The next plan holds the same alarm request, now with the policy's ARN known: the same refused requests.
    result = sweep(world.deps(), reconcile_queue, "sweep-1")
    assert (result.rejected, result.drifted) == (("fraud-detector",), ())
    assert [type(a) for a in outcome.not_attempted] == []
    assert isinstance(records(world)["fraud-detector"], refusals.Refusal)
    assert PutAlarm.__name__ in records(world)["fraud-detector"].action


def test_sweep_counts_a_refused_plan_until_its_desired_state_changes_and_success_clears_it(
    remembering: World, reconcile_queue: str, logs: io.StringIO
) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("recommender", BASE_TAGS)
    with refusing(world, "PutScalingPolicy", POLICY_REFUSED, code="ValidationException"):
        assert world.reconcile("fraud-detector").status is Status.REJECTED

    # Given the refusal recorded, when the sweep runs: counted and logged with AWS's message, not enqueued.
    first = sweep(world.deps(), reconcile_queue, "sweep-1")
    assert first.rejected == ("fraud-detector",)
    assert first.drifted == ("recommender",)
    assert [q.endpoint for q in queued(world, reconcile_queue)] == ["recommender"]
    [rejected] = log_lines(logs, "sweep: configuration rejected")
    assert rejected["endpoint"] == "fraud-detector"
    assert "AWS refused PutScalingPolicy" in rejected["reason"]
    assert POLICY_REFUSED in rejected["reason"]
    assert sweep(world.deps(), reconcile_queue, "sweep-2").rejected == ("fraud-detector",)  # every pass alike

    # When a tag makes a new desired state: enqueued again.
    world.tag("fraud-detector", target_invocations="90")
    again = sweep(world.deps(), reconcile_queue, "sweep-3")
    assert "fraud-detector" in again.drifted
    assert again.rejected == ()

    # When that reconcile succeeds: the record is gone, and the endpoint is converged.
    assert world.reconcile("fraud-detector").status is Status.APPLIED
    assert "fraud-detector" not in records(world)
    assert "fraud-detector" not in sweep(world.deps(), reconcile_queue, "sweep-4").drifted


def test_a_hand_made_change_to_what_was_written_is_a_new_plan_and_is_enqueued(
    remembering: World, reconcile_queue: str
) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)
    with refusing(world, "PutScalingPolicy", POLICY_REFUSED):
        world.reconcile("fraud-detector")
    world.aws.autoscaling.deregister_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/fraud-detector/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
    )

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ("fraud-detector",)


def test_an_expired_refusal_is_tried_again(remembering: World, reconcile_queue: str) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)
    with refusing(world, "PutScalingPolicy", POLICY_REFUSED):
        world.reconcile("fraud-detector")

    later = world.deps(clock=NOW + refusals.REFUSAL_TTL)
    assert sweep(later, reconcile_queue, "sweep-1").drifted == ("fraud-detector",)


def test_without_a_table_nothing_is_remembered_and_the_sweep_enqueues_it(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    with refusing(world, "PutScalingPolicy", POLICY_REFUSED):
        assert world.reconcile("fraud-detector").status is Status.REJECTED

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ("fraud-detector",)


def test_an_unchanged_reconcile_makes_no_call_to_the_table(remembering: World) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    dynamodb = world.aws.client("dynamodb")
    calls: list[str] = []

    def count(model: Any, **_: Any) -> None:
        calls.append(model.name)

    dynamodb.meta.events.register("before-call", count)
    try:
        assert world.reconcile("fraud-detector").status is Status.UNCHANGED
    finally:
        dynamodb.meta.events.unregister("before-call", count)
    assert calls == []


def test_a_quota_is_not_a_refusal_of_the_configuration(remembering: World) -> None:
    """AAS LimitExceededException ("A per-account resource limit is exceeded") clears without the configuration
    changing: retried like any unexpected AWS error, never remembered."""
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)

    quota = inject(world.aws.autoscaling, "RegisterScalableTarget", "LimitExceededException", message="quota")
    with quota as hit, pytest.raises(AwsError, match="LimitExceededException"):  # not a RefusedError
        world.reconcile("fraud-detector")

    assert hit
    assert records(world) == {}


# --- the races keep their meaning -----------------------------------------------------------------------------------


@contextmanager
def before_refusal(world: World, operation: str, act: Any) -> Iterator[None]:
    """``act()`` runs as the refused call is made (the endpoint changes while AWS answers)."""

    def hook(**_: Any) -> None:
        act()

    event = f"before-call.application-auto-scaling.{operation}"
    world.aws.autoscaling.meta.events.register(event, hook)
    try:
        with refusing(world, operation, "injected: refused"):
            yield
    finally:
        world.aws.autoscaling.meta.events.unregister(event, hook)


def test_refused_because_the_endpoint_was_deleted_meanwhile_is_temporary(remembering: World) -> None:
    world = remembering
    world.endpoint("fraud-detector", BASE_TAGS)
    operator = boto3.client("sagemaker")

    delete = before_refusal(world, "PutScalingPolicy", lambda: operator.delete_endpoint(EndpointName="fraud-detector"))
    with delete, pytest.raises(TemporaryError, match="deleted mid-apply"):
        world.reconcile("fraud-detector")
    assert records(world) == {}


def test_refused_because_the_endpoint_stopped_being_in_service_is_skipped(remembering: World) -> None:
    world = remembering
    install(FidelityConfig(endpoint_transition_seconds=3600))
    world.endpoint("fraud-detector", BASE_TAGS)
    settle()
    operator = boto3.client("sagemaker")

    def update() -> None:
        operator.update_endpoint_weights_and_capacities(
            EndpointName="fraud-detector",
            DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 2}],
        )

    with before_refusal(world, "PutScalingPolicy", update):
        outcome = world.reconcile("fraud-detector")

    assert outcome.status is Status.SKIPPED
    assert "stopped being InService mid-apply (Updating)" in outcome.reason
    assert records(world) == {}


# --- the reconciler's handler ---------------------------------------------------------------------------------------

BATCH = load_event("sqs-reconcile-batch.json")  # fraud-detector, then recommender


def test_handler_acknowledges_a_refused_plan_and_the_other_endpoint_is_applied(
    remembering: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = remembering
    app = importlib.import_module("functions.reconciler.app")
    monkeypatch.setattr(app, "deps", world.deps)
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("recommender", BASE_TAGS)

    with inject(
        world.aws.autoscaling,
        "RegisterScalableTarget",
        "ValidationException",
        when="fraud-detector",
        message=BOUNDS_REFUSED,
    ) as hit:
        response = app.handler(BATCH, LambdaContext("ReconcilerFunction"))

    assert hit
    assert response == {"batchItemFailures": []}  # acknowledged: retrying cannot change AWS's answer
    assert set(records(world)) == {"fraud-detector"}
    assert world.targets("fraud-detector") == {}
    assert world.targets("recommender") == {"AllTraffic": (1, 4)}
