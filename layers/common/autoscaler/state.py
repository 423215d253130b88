"""The actual state, read back from AWS and normalised into the value objects of ``spec``.

The ``normalise_*`` functions are pure (AWS response dicts in, value objects out); ``aws`` does the reading. Each
value object's decoder sits next to its encoder in ``autoscaler.scaling``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from autoscaler.constants import (
    ENDPOINT_IN_SERVICE,
    MANAGED_INSTANCE_SCALING_ENABLED,
    POLICY_STEP,
    POLICY_TARGET_TRACKING,
)
from autoscaler.spec import (
    AlarmSpec,
    ScheduledAction,
    StepScalingPolicy,
    SuspendedState,
    TargetKey,
    TargetTrackingPolicy,
    VariantKind,
)


@dataclass(frozen=True)
class Hardware:
    """What an instance type has, for normalising CPU and GPU metrics to percent of one instance."""

    vcpus: int
    gpus: int


@dataclass(frozen=True)
class ManagedInstanceScaling:
    """A variant's ManagedInstanceScaling (SageMaker API Reference, ProductionVariantManagedInstanceScaling: "Settings
    that control the range in the number of instances that the endpoint provisions as it scales up or down to
    accommodate traffic"; Status "ENABLED | DISABLED", MinInstanceCount "Minimum value of 0", MaxInstanceCount
    "Minimum value of 1", all optional)."""

    status: str = ""
    min_instances: int | None = None
    max_instances: int | None = None

    @property
    def enabled(self) -> bool:
        return self.status == MANAGED_INSTANCE_SCALING_ENABLED

    @property
    def reaches_zero(self) -> bool:
        """Whether the endpoint may scale the variant in to zero instances: managed instance scaling on, with
        MinInstanceCount 0 (SageMaker Developer Guide, Scale an endpoint to zero instances). A MinInstanceCount left
        out is not taken to be 0: AWS documents no default."""
        return self.enabled and self.min_instances == 0

    def describe(self) -> str:
        if not self.enabled:
            return "off"
        bounds = f"{_or_unset(self.min_instances)}..{_or_unset(self.max_instances)}"
        return f"on, {bounds} instances"


def _or_unset(value: int | None) -> str:
    return "?" if value is None else str(value)


@dataclass(frozen=True)
class VariantInfo:
    name: str
    kind: VariantKind
    instance_type: str | None = None
    current_count: int | None = None
    max_concurrency: int | None = None  # serverless variants: the ceiling of provisioned concurrency
    # None: the variant has none (an instance variant without it, or a serverless one); see ``ManagedInstanceScaling``
    managed_instance_scaling: ManagedInstanceScaling | None = None


@dataclass(frozen=True)
class ComponentInfo:
    """An inference component hosted on the endpoint (ListInferenceComponents), with its own tags."""

    name: str
    arn: str
    variant: str
    status: str
    tags: tuple[tuple[str, str], ...] = ()
    endpoint: str = ""  # the endpoint hosting it (ListInferenceComponents says)

    @property
    def in_service(self) -> bool:
        return self.status == ENDPOINT_IN_SERVICE


@dataclass(frozen=True)
class EndpointInfo:
    """What DescribeEndpoint (and the endpoint config) say about an endpoint."""

    name: str
    arn: str
    status: str
    config_name: str
    variants: tuple[VariantInfo, ...]
    version: str = ""  # CreationTime and LastModifiedTime (autoscaler.aws.endpoint_version)
    # Reads the variants' instance types when the description was made without the endpoint config (the variants'
    # instance_type is None then): see Aws.read_endpoint(instance_types=False).
    resolve_instance_types: Callable[[], Mapping[str, str]] | None = field(default=None, compare=False, repr=False)
    components: tuple[ComponentInfo, ...] = ()  # inference components (read only for endpoints that host them)
    # False for a description made from a SageMaker Search record, which does not say whether the endpoint is
    # asynchronous: its non-serverless variants are INSTANCE there, and may be ASYNC (see ``as_asynchronous``).
    kinds_known: bool = True

    @property
    def in_service(self) -> bool:
        return self.status == ENDPOINT_IN_SERVICE

    def variant(self, name: str) -> VariantInfo | None:
        return next((v for v in self.variants if v.name == name), None)

    def as_asynchronous(self) -> EndpointInfo:
        """The same endpoint if it were an asynchronous-inference one: its instance variants ASYNC."""
        variants = tuple(
            replace(v, kind=VariantKind.ASYNC) if v.kind is VariantKind.INSTANCE else v for v in self.variants
        )
        return replace(self, variants=variants)

    def instance_type(self, variant: str) -> str | None:
        """The variant's instance type, read on first need when the description did not carry it."""
        found = self.variant(variant)
        if found is None or found.instance_type is not None or self.resolve_instance_types is None:
            return None if found is None else found.instance_type
        return self.resolve_instance_types().get(variant)


@dataclass(frozen=True)
class PolicyState:
    name: str
    policy_type: str
    arn: str
    owned: bool
    target_tracking: TargetTrackingPolicy | None = None  # normalised, for target-tracking policies we can read
    step_scaling: StepScalingPolicy | None = None  # normalised, for step-scaling policies


@dataclass(frozen=True)
class AlarmState:
    """An alarm the controller owns (by name), normalised; `alarm` is None when it has a shape we never write."""

    name: str
    alarm: AlarmSpec | None
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScheduleState:
    action: ScheduledAction
    owned: bool


@dataclass(frozen=True)
class TargetState:
    key: TargetKey
    min_capacity: int
    max_capacity: int
    suspended: SuspendedState
    policies: tuple[PolicyState, ...] = ()
    schedules: tuple[ScheduleState, ...] = ()

    @property
    def foreign_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.policies if not p.owned) + tuple(
            s.action.name for s in self.schedules if not s.owned
        )

    @property
    def owns_anything(self) -> bool:
        return any(p.owned for p in self.policies) or any(s.owned for s in self.schedules)


@dataclass(frozen=True)
class ScalingState:
    """Everything AAS and CloudWatch hold for one endpoint that concerns the controller."""

    endpoint: str
    targets: tuple[TargetState, ...] = ()
    alarms: tuple[AlarmState, ...] = ()

    def target(self, key: TargetKey) -> TargetState | None:
        return next((t for t in self.targets if t.key == key), None)


def normalise_target(
    raw: Mapping[str, Any],
    policies: Iterable[Mapping[str, Any]] = (),
    schedules: Iterable[Mapping[str, Any]] = (),
    owned_prefix: str = "",
) -> TargetState:
    """A scalable target with its raw policies and scheduled actions (ownership by ``owned_prefix``)."""
    suspended = raw.get("SuspendedState") or {}
    return TargetState(
        key=TargetKey(raw["ResourceId"], raw["ScalableDimension"]),
        min_capacity=int(raw["MinCapacity"]),
        max_capacity=int(raw["MaxCapacity"]),
        suspended=SuspendedState(
            scale_in=bool(suspended.get("DynamicScalingInSuspended", False)),
            scale_out=bool(suspended.get("DynamicScalingOutSuspended", False)),
            scheduled=bool(suspended.get("ScheduledScalingSuspended", False)),
        ),
        policies=tuple(normalise_policy(p, owned_prefix) for p in policies),
        schedules=tuple(normalise_schedule(s, owned_prefix) for s in schedules),
    )


def normalise_policy(raw: Mapping[str, Any], owned_prefix: str) -> PolicyState:
    name = raw["PolicyName"]
    tracking = step = None
    if raw.get("PolicyType") == POLICY_TARGET_TRACKING:
        tracking = TargetTrackingPolicy.from_api(name, raw.get("TargetTrackingScalingPolicyConfiguration") or {})
    if raw.get("PolicyType") == POLICY_STEP:
        step = StepScalingPolicy.from_api(name, raw.get("StepScalingPolicyConfiguration") or {})
    return PolicyState(
        name=name,
        policy_type=raw.get("PolicyType", ""),
        arn=raw.get("PolicyARN", ""),
        owned=name.startswith(owned_prefix),
        target_tracking=tracking,
        step_scaling=step,
    )


def normalise_alarm(raw: Mapping[str, Any]) -> AlarmState:
    return AlarmState(raw["AlarmName"], AlarmSpec.from_api(raw), tuple(raw.get("AlarmActions") or ()))


def normalise_schedule(raw: Mapping[str, Any], owned_prefix: str) -> ScheduleState:
    return ScheduleState(
        action=ScheduledAction.from_api(raw), owned=raw["ScheduledActionName"].startswith(owned_prefix)
    )
