"""The desired state as frozen value objects. They are also what the actual state is normalised into, so that
comparing desired with actual is plain equality (see ``state``). The policies, metrics, alarms and scheduled actions
live in ``autoscaler.scaling``, each next to its AWS encoding and decoding; they are re-exported here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from autoscaler.constants import (
    AAS_NAMESPACE,
    DIMENSION_COPY_COUNT,
    DIMENSION_INSTANCE_COUNT,
    DIMENSION_PROVISIONED_CONCURRENCY,
)
from autoscaler.scaling import (
    AlarmSpec,
    CustomMetric,
    Metric,
    MetricMath,
    MetricQuery,
    PredefinedMetric,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    TargetTrackingPolicy,
)

__all__ = [
    "AdoptMode",
    "AlarmSpec",
    "CustomMetric",
    "EndpointSpec",
    "Held",
    "Hold",
    "Metric",
    "MetricMath",
    "MetricQuery",
    "PredefinedMetric",
    "ScheduledAction",
    "StepAdjustment",
    "StepScalingPolicy",
    "SuspendedState",
    "TargetKey",
    "TargetTrackingPolicy",
    "VariantKind",
    "VariantSpec",
]


class VariantKind(StrEnum):
    """What a scalable thing on an endpoint is; decides the AAS dimension and which metrics make sense."""

    INSTANCE = "instance"  # real-time variant on instances
    SERVERLESS = "serverless"  # serverless variant (provisioned concurrency)
    INFERENCE_COMPONENT = "inference-component"
    ASYNC = "async"  # instance variant of an asynchronous-inference endpoint (may scale to zero)

    @property
    def dimension(self) -> str:
        return {
            VariantKind.INSTANCE: DIMENSION_INSTANCE_COUNT,
            VariantKind.ASYNC: DIMENSION_INSTANCE_COUNT,
            VariantKind.SERVERLESS: DIMENSION_PROVISIONED_CONCURRENCY,
            VariantKind.INFERENCE_COMPONENT: DIMENSION_COPY_COUNT,
        }[self]

    @property
    def min_floor(self) -> int:
        """The lowest min AWS allows for this kind. RegisterScalableTarget, MinCapacity: "For the following resources,
        the minimum value allowed is 0", listing "SageMaker endpoint variants", "SageMaker inference components" and
        "SageMaker serverless endpoint provisioned concurrency" (Application Auto Scaling API Reference). A real-time
        variant on instances keeps at least one: at zero instances it cannot serve, and only asynchronous endpoints
        and endpoints hosting inference components have a documented way back from zero (SageMaker Developer
        Guide, autoscaling of asynchronous endpoints and "Scale an endpoint to zero instances")."""
        return 1 if self is VariantKind.INSTANCE else 0


class AdoptMode(StrEnum):
    COEXIST = "coexist"
    REPLACE = "replace"


@dataclass(frozen=True, order=True)
class TargetKey:
    """A scalable target: AAS identifies it by namespace (always sagemaker here), resource id and dimension."""

    resource_id: str
    dimension: str

    @classmethod
    def for_variant(cls, endpoint: str, variant: str, kind: VariantKind) -> TargetKey:
        if kind is VariantKind.INFERENCE_COMPONENT:
            return cls(f"inference-component/{variant}", kind.dimension)
        return cls(f"endpoint/{endpoint}/variant/{variant}", kind.dimension)

    def api(self) -> dict[str, str]:
        return {"ServiceNamespace": AAS_NAMESPACE, "ResourceId": self.resource_id, "ScalableDimension": self.dimension}


@dataclass(frozen=True)
class SuspendedState:
    scale_in: bool = False
    scale_out: bool = False
    scheduled: bool = False

    def api(self) -> dict[str, bool]:
        return {
            "DynamicScalingInSuspended": self.scale_in,
            "DynamicScalingOutSuspended": self.scale_out,
            "ScheduledScalingSuspended": self.scheduled,
        }

    def describe(self) -> str:
        parts = [
            n
            for n, on in (("scale-in", self.scale_in), ("scale-out", self.scale_out), ("scheduled", self.scheduled))
            if on
        ]
        return "+".join(parts) or "none"


@dataclass(frozen=True)
class Hold:
    """An on-demand capacity hold: a floor on min until it expires."""

    count: int
    until: datetime

    def active(self, now: datetime) -> bool:
        return now < self.until

    def tag_value(self) -> str:
        return f"{self.count}@{self.until.strftime('%Y-%m-%dT%H:%M:%SZ')}"


@dataclass(frozen=True)
class VariantSpec:
    """What one managed variant (or inference component) should look like."""

    endpoint: str
    variant: str
    kind: VariantKind
    min_capacity: int
    max_capacity: int
    suspended: SuspendedState = field(default_factory=SuspendedState)
    policies: tuple[TargetTrackingPolicy, ...] = ()
    schedules: tuple[ScheduledAction, ...] = ()
    step_policies: tuple[tuple[StepScalingPolicy, AlarmSpec], ...] = ()
    hold: Hold | None = None  # an on-demand capacity hold: a floor on min until it expires

    @property
    def target(self) -> TargetKey:
        return TargetKey.for_variant(self.endpoint, self.variant, self.kind)


@dataclass(frozen=True)
class Held:
    """A managed scalable thing that a reconcile leaves exactly as it is: nothing registered, put or deleted under its
    target, nor any owned alarm whose name starts with ``alarm_prefix`` (an inference component in transition, whose
    configuration cannot be written until it is InService and must not be torn down meanwhile)."""

    target: TargetKey
    alarm_prefix: str  # every step-scaling alarm the controller makes for it is named under this
    reason: str


@dataclass(frozen=True)
class EndpointSpec:
    """The desired state of one endpoint: the variants it manages, and those it manages but leaves as they are for
    now (``held``). An opted-out endpoint manages none."""

    endpoint: str
    variants: tuple[VariantSpec, ...] = ()
    adopt: AdoptMode = AdoptMode.COEXIST
    held: tuple[Held, ...] = ()

    @property
    def enabled(self) -> bool:
        return bool(self.variants or self.held)

    def variant(self, name: str) -> VariantSpec | None:
        return next((v for v in self.variants if v.variant == name), None)
