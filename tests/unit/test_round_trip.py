"""Encoders and decoders agree: what the renderer (autoscaler/actions.py, ``request``) sends, read back as AWS answers
it (the members of the describe operation's output shape in botocore's service model that the request set), decodes
(autoscaler/state.py, ``normalise_*``) into the object it was encoded from. No emulator: the model alone."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import botocore.session
import pytest
from botocore.model import StructureShape

from autoscaler.actions import (
    PutAlarm,
    PutScheduledAction,
    PutStepScalingPolicy,
    PutTargetTrackingPolicy,
    RegisterTarget,
    request,
)
from autoscaler.spec import (
    AlarmSpec,
    CustomMetric,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    SuspendedState,
    TargetKey,
    TargetTrackingPolicy,
    VariantKind,
)
from autoscaler.state import normalise_alarm, normalise_policy, normalise_schedule, normalise_target

TARGET = TargetKey.for_variant("e", "AllTraffic", VariantKind.INSTANCE)
LATENCY = CustomMetric(
    "AWS/SageMaker", "ModelLatency", "Average", (("EndpointName", "e"), ("VariantName", "AllTraffic"))
)
STEP = StepScalingPolicy(
    "autoscaler-AllTraffic-step-latency", "ChangeInCapacity", (StepAdjustment(1, 0.0, 50.0), StepAdjustment(3, 50.0))
)
ALARM = AlarmSpec(
    "autoscaler/e/AllTraffic/latency", LATENCY, "GreaterThanThreshold", 500.0, 60, 2, 2, "missing", STEP.name
)


@cache
def _member_shape(service: str, operation: str, list_member: str) -> StructureShape:
    """The shape of one item of a describe operation's answer (``ScalingPolicies`` -> ScalingPolicy)."""
    model = botocore.session.get_session().get_service_model(service)
    output = model.operation_model(operation).output_shape
    listed = output.members[list_member]
    return listed.member  # type: ignore[attr-defined, no-any-return]


def answered(service: str, operation: str, list_member: str, params: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """What the describe operation answers for a resource the request made: the request's members the item's shape
    has (botocore's model), plus what AWS adds."""
    shape = _member_shape(service, operation, list_member)
    assert set(extra) <= set(shape.members)
    return {**{k: v for k, v in params.items() if k in shape.members}, **extra}


def test_a_registered_target_reads_back_as_its_bounds_and_suspended_state() -> None:
    # given a target registered with bounds and a suspension
    action = RegisterTarget("r", TARGET, 2, 7, SuspendedState(scale_in=True, scheduled=True))
    params = request(action).params

    # when DescribeScalableTargets answers it
    raw = answered(
        "application-autoscaling", "DescribeScalableTargets", "ScalableTargets", params, ServiceNamespace="sagemaker"
    )

    # then it decodes into what was registered
    state = normalise_target(raw)
    assert (state.key, state.min_capacity, state.max_capacity, state.suspended) == (
        action.target,
        action.min_capacity,
        action.max_capacity,
        action.suspended,
    )


@pytest.mark.parametrize(
    "action",
    [
        PutTargetTrackingPolicy(
            "r", TARGET, TargetTrackingPolicy("autoscaler-AllTraffic-latency", "latency", LATENCY, 100.0)
        ),
        PutStepScalingPolicy("r", TARGET, replace(STEP, step_key="latency")),
    ],
)
def test_a_put_policy_reads_back_as_the_policy_put(action: PutTargetTrackingPolicy | PutStepScalingPolicy) -> None:
    params = request(action).params

    raw = answered(
        "application-autoscaling", "DescribeScalingPolicies", "ScalingPolicies", params, PolicyARN="arn:policy"
    )

    state = normalise_policy(raw, "autoscaler-")
    decoded = state.target_tracking if isinstance(action, PutTargetTrackingPolicy) else state.step_scaling
    assert state.owned
    assert decoded == action.policy


def test_a_put_scheduled_action_reads_back_as_the_schedule_put() -> None:
    schedule = ScheduledAction(
        "autoscaler-AllTraffic-peak", "cron(0 8 * * ? *)", "Europe/Berlin", min_capacity=2, key="peak"
    )
    params = request(PutScheduledAction("r", TARGET, schedule)).params

    raw = answered("application-autoscaling", "DescribeScheduledActions", "ScheduledActions", params)

    state = normalise_schedule(raw, "autoscaler-")
    assert state.owned
    assert state.action == schedule


def test_a_put_alarm_reads_back_as_the_alarm_put_with_the_policy_as_its_action() -> None:
    params = request(PutAlarm("r", TARGET, ALARM, "arn:policy")).params

    raw = answered("cloudwatch", "DescribeAlarms", "MetricAlarms", params)

    state = normalise_alarm(raw)
    assert state.alarm == ALARM
    assert state.actions == ("arn:policy",)
