"""What a plan is made of: commands to AWS, each with the reason it is needed."""

from __future__ import annotations

from dataclasses import dataclass

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
