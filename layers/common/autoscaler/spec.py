"""The desired state as frozen value objects. They are also what the actual state is normalised into, so that
comparing desired with actual is plain equality (see ``state``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from autoscaler.constants import (
    AAS_NAMESPACE,
    DEFAULT_COOLDOWN_SECONDS,
    DIMENSION_COPY_COUNT,
    DIMENSION_INSTANCE_COUNT,
    DIMENSION_PROVISIONED_CONCURRENCY,
    STANDARD_STATISTICS,
)


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
class PredefinedMetric:
    metric_type: str

    def api(self) -> dict[str, Any]:
        return {"PredefinedMetricSpecification": {"PredefinedMetricType": self.metric_type}}


@dataclass(frozen=True)
class CustomMetric:
    """A single CloudWatch metric; dimensions are kept sorted so that equality does not depend on order."""

    namespace: str
    name: str
    statistic: str
    dimensions: tuple[tuple[str, str], ...] = ()
    unit: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(sorted(self.dimensions)))

    def api(self) -> dict[str, Any]:
        spec: dict[str, Any] = {
            "MetricName": self.name,
            "Namespace": self.namespace,
            "Dimensions": [{"Name": n, "Value": v} for n, v in self.dimensions],
            "Statistic": self.statistic,
        }
        if self.unit is not None:
            spec["Unit"] = self.unit
        return {"CustomizedMetricSpecification": spec}


@dataclass(frozen=True)
class MetricQuery:
    """One query of a metric-math target-tracking metric: a metric with a statistic, or an expression."""

    id: str
    metric: CustomMetric | None = None  # its statistic is the query's Stat
    expression: str | None = None
    label: str | None = None
    return_data: bool = True

    def api(self) -> dict[str, Any]:
        query: dict[str, Any] = {"Id": self.id, "ReturnData": self.return_data}
        if self.metric is not None:
            stat: dict[str, Any] = {
                "Metric": {
                    "Namespace": self.metric.namespace,
                    "MetricName": self.metric.name,
                    "Dimensions": [{"Name": n, "Value": v} for n, v in self.metric.dimensions],
                },
                "Stat": self.metric.statistic,
            }
            if self.metric.unit is not None:
                stat["Unit"] = self.metric.unit
            query["MetricStat"] = stat
        if self.expression is not None:
            query["Expression"] = self.expression
        if self.label is not None:
            query["Label"] = self.label
        return query


@dataclass(frozen=True)
class MetricMath:
    """A metric-math metric (AAS CustomizedMetricSpecification.Metrics): exactly one query returns data."""

    queries: tuple[MetricQuery, ...]

    def api(self) -> dict[str, Any]:
        return {"CustomizedMetricSpecification": {"Metrics": [q.api() for q in self.queries]}}


Metric = PredefinedMetric | CustomMetric | MetricMath


@dataclass(frozen=True)
class TargetTrackingPolicy:
    """A target-tracking policy, with every setting explicit so that a read-back compares equal."""

    name: str
    # invocations | concurrency | memory | ...: part of the name, shown to operators; AWS does not store it
    metric_key: str = field(compare=False)
    metric: Metric
    target: float
    scale_in_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    scale_out_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    disable_scale_in: bool = False

    def configuration(self) -> dict[str, Any]:
        return {
            "TargetValue": self.target,
            **self.metric.api(),
            "ScaleInCooldown": self.scale_in_cooldown,
            "ScaleOutCooldown": self.scale_out_cooldown,
            "DisableScaleIn": self.disable_scale_in,
        }

    def describe(self) -> str:
        extra = " scale-in disabled" if self.disable_scale_in else ""
        return (
            f"{self.metric_key} target {self.target:g} cooldowns in {self.scale_in_cooldown}s "
            f"out {self.scale_out_cooldown}s{extra}"
        )


@dataclass(frozen=True)
class StepAdjustment:
    """Bounds are offsets from the alarm threshold; None is unbounded (AAS StepAdjustment)."""

    adjustment: int
    lower: float | None = None
    upper: float | None = None

    def api(self) -> dict[str, Any]:
        step: dict[str, Any] = {"ScalingAdjustment": self.adjustment}
        if self.lower is not None:
            step["MetricIntervalLowerBound"] = self.lower
        if self.upper is not None:
            step["MetricIntervalUpperBound"] = self.upper
        return step


@dataclass(frozen=True)
class StepScalingPolicy:
    name: str
    adjustment_type: str  # ChangeInCapacity | PercentChangeInCapacity | ExactCapacity
    steps: tuple[StepAdjustment, ...]
    cooldown: int = DEFAULT_COOLDOWN_SECONDS
    metric_aggregation: str = "Average"
    min_adjustment_magnitude: int | None = None
    step_key: str = field(default="", compare=False)  # the profile's name for it, shown to operators

    def configuration(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "AdjustmentType": self.adjustment_type,
            "StepAdjustments": [s.api() for s in self.steps],
            "Cooldown": self.cooldown,
            "MetricAggregationType": self.metric_aggregation,
        }
        if self.min_adjustment_magnitude is not None:
            config["MinAdjustmentMagnitude"] = self.min_adjustment_magnitude
        return config


@dataclass(frozen=True)
class AlarmSpec:
    """The CloudWatch alarm the controller creates for a step policy (AAS does not create it)."""

    name: str
    metric: CustomMetric
    comparison: str  # a CloudWatch ComparisonOperator
    threshold: float
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    policy_name: str = field(compare=False)  # the step policy whose ARN is the alarm action

    def api(self, policy_arn: str) -> dict[str, Any]:
        alarm: dict[str, Any] = {
            "AlarmName": self.name,
            "AlarmDescription": f"Step scaling {self.policy_name}; managed by sagemaker-autoscaler",
            "Namespace": self.metric.namespace,
            "MetricName": self.metric.name,
            "Dimensions": [{"Name": n, "Value": v} for n, v in self.metric.dimensions],
            "Period": self.period,
            "EvaluationPeriods": self.evaluation_periods,
            "DatapointsToAlarm": self.datapoints_to_alarm,
            "Threshold": self.threshold,
            "ComparisonOperator": self.comparison,
            "TreatMissingData": self.treat_missing_data,
            "AlarmActions": [policy_arn],
        }
        statistic_key = "Statistic" if self.metric.statistic in STANDARD_STATISTICS else "ExtendedStatistic"
        alarm[statistic_key] = self.metric.statistic
        if self.metric.unit is not None:
            alarm["Unit"] = self.metric.unit
        return alarm


@dataclass(frozen=True)
class ScheduledAction:
    """A scheduled action; an action put without start/end loses them, so the whole action is always sent."""

    name: str
    schedule: str
    timezone: str = "UTC"
    start: datetime | None = None
    end: datetime | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    key: str = field(default="", compare=False)  # the profile's name for it, shown to operators


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
