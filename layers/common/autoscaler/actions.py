"""What a plan is made of: commands to AWS, each with the reason it is needed, and ``request``: the one rendering of a
command into the AWS request that carries it out (``aws.Aws.apply`` sends it, ``constraints`` checks it)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autoscaler.constants import POLICY_STEP, POLICY_TARGET_TRACKING
from autoscaler.spec import (
    AlarmSpec,
    ScheduledAction,
    StepScalingPolicy,
    SuspendedState,
    TargetKey,
    TargetTrackingPolicy,
)


@dataclass(frozen=True)
class Action:
    reason: str

    @property
    def verb(self) -> str:
        return type(self).__name__

    @property
    def subject(self) -> str:
        raise NotImplementedError

    def describe(self) -> str:
        return f"{self.verb} {self.subject}: {self.reason}"


@dataclass(frozen=True)
class RegisterTarget(Action):
    target: TargetKey
    min_capacity: int
    max_capacity: int
    suspended: SuspendedState

    @property
    def subject(self) -> str:
        return f"{self.target.resource_id} [{self.min_capacity}..{self.max_capacity}]"


@dataclass(frozen=True)
class DeregisterTarget(Action):
    target: TargetKey

    @property
    def subject(self) -> str:
        return self.target.resource_id


@dataclass(frozen=True)
class PutTargetTrackingPolicy(Action):
    target: TargetKey
    policy: TargetTrackingPolicy

    @property
    def subject(self) -> str:
        return f"{self.target.resource_id} {self.policy.name}"


@dataclass(frozen=True)
class PutStepScalingPolicy(Action):
    target: TargetKey
    policy: StepScalingPolicy

    @property
    def subject(self) -> str:
        return f"{self.target.resource_id} {self.policy.name}"


@dataclass(frozen=True)
class PutAlarm(Action):
    """Create or update a step policy's alarm; its action is the policy's ARN (known, or from the put before it)."""

    target: TargetKey
    alarm: AlarmSpec
    policy_arn: str | None

    @property
    def subject(self) -> str:
        return self.alarm.name


@dataclass(frozen=True)
class DeletePolicy(Action):
    target: TargetKey
    name: str

    @property
    def subject(self) -> str:
        return f"{self.target.resource_id} {self.name}"


@dataclass(frozen=True)
class PutScheduledAction(Action):
    target: TargetKey
    action: ScheduledAction

    @property
    def subject(self) -> str:
        return f"{self.target.resource_id} {self.action.name}"


@dataclass(frozen=True)
class DeleteScheduledAction(Action):
    target: TargetKey
    name: str

    @property
    def subject(self) -> str:
        return f"{self.target.resource_id} {self.name}"


@dataclass(frozen=True)
class DeleteAlarms(Action):
    names: tuple[str, ...]

    @property
    def subject(self) -> str:
        return ", ".join(self.names)


AUTOSCALING = "application-autoscaling"
CLOUDWATCH = "cloudwatch"


@dataclass(frozen=True)
class Request:
    """One AWS call as botocore takes it: the service (botocore's name), the operation (as the API names it) and its
    parameters."""

    service: str
    operation: str
    params: Mapping[str, Any]

    @property
    def method(self) -> str:
        """The boto3 client method of the operation (``PutMetricAlarm`` -> ``put_metric_alarm``)."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.operation).lower()


def request(action: Action, policy_arn: str | None = None) -> Request:
    """The AWS request that carries out ``action``. ``policy_arn``: the step policy ARN a PutAlarm without one of its
    own names as the alarm's action. DeleteAlarms is batched by its sender (``Aws.delete_alarms``), not rendered."""
    match action:
        case RegisterTarget():
            params: dict[str, Any] = {
                **action.target.api(),
                "MinCapacity": action.min_capacity,
                "MaxCapacity": action.max_capacity,
                "SuspendedState": action.suspended.api(),
            }
            return Request(AUTOSCALING, "RegisterScalableTarget", params)
        case DeregisterTarget():
            return Request(AUTOSCALING, "DeregisterScalableTarget", action.target.api())
        case PutTargetTrackingPolicy() | PutStepScalingPolicy():
            tracking = isinstance(action, PutTargetTrackingPolicy)
            configuration = "TargetTrackingScalingPolicyConfiguration" if tracking else "StepScalingPolicyConfiguration"
            params = {
                **action.target.api(),
                "PolicyName": action.policy.name,
                "PolicyType": POLICY_TARGET_TRACKING if tracking else POLICY_STEP,
                configuration: action.policy.configuration(),
            }
            return Request(AUTOSCALING, "PutScalingPolicy", params)
        case DeletePolicy():
            return Request(AUTOSCALING, "DeleteScalingPolicy", {**action.target.api(), "PolicyName": action.name})
        case PutScheduledAction():
            return Request(
                AUTOSCALING, "PutScheduledAction", {**action.target.api(), **_scheduled_action(action.action)}
            )
        case DeleteScheduledAction():
            params = {**action.target.api(), "ScheduledActionName": action.name}
            return Request(AUTOSCALING, "DeleteScheduledAction", params)
        case PutAlarm():
            arn = action.policy_arn or policy_arn
            if arn is None:
                raise TypeError(f"{action.describe()}: no ARN for policy {action.alarm.policy_name}")
            return Request(CLOUDWATCH, "PutMetricAlarm", action.alarm.api(arn))
    raise TypeError(f"no request for {action.verb}")


def _scheduled_action(scheduled: ScheduledAction) -> dict[str, Any]:
    bounds = {
        key: value
        for key, value in (("MinCapacity", scheduled.min_capacity), ("MaxCapacity", scheduled.max_capacity))
        if value is not None
    }
    api: dict[str, Any] = {
        "ScheduledActionName": scheduled.name,
        "Schedule": scheduled.schedule,
        "Timezone": scheduled.timezone,
        "ScalableTargetAction": bounds,
    }
    if scheduled.start is not None:
        api["StartTime"] = scheduled.start
    if scheduled.end is not None:
        api["EndTime"] = scheduled.end
    return api
