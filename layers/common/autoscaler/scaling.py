"""The scaling configuration's value objects (metrics, policies, alarms, scheduled actions), each with its AWS
encoding (``api``/``configuration``, the members of its request) and, next to it, its decoding from what AWS's
describe operations return (``from_api``). ``tests/unit/test_round_trip.py`` checks that each round trip gives back
the object it started from. ``autoscaler.spec`` re-exports them; ``autoscaler.state`` builds the actual state with
the decoders."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import KW_ONLY, MISSING, dataclass, field, fields, replace
from datetime import datetime
from typing import Any, Literal, NamedTuple

from autoscaler.constants import DEFAULT_COOLDOWN_SECONDS, STANDARD_STATISTICS


@dataclass(frozen=True)
class PredefinedMetric:
    metric_type: str

    def api(self) -> dict[str, Any]:
        return {"PredefinedMetricSpecification": {"PredefinedMetricType": self.metric_type}}

    @classmethod
    def from_api(cls, spec: Mapping[str, Any]) -> PredefinedMetric | None:
        if spec.get("ResourceLabel"):
            return None  # not a shape the controller writes: compare unequal, so it is re-put
        return cls(spec["PredefinedMetricType"])


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

    @classmethod
    def from_api(cls, spec: Mapping[str, Any], statistic: str | None = None) -> CustomMetric:
        """From a CustomizedMetricSpecification, an alarm (``statistic`` given: Statistic or ExtendedStatistic) or a
        MetricStat's Metric (``statistic`` its Stat)."""
        return cls(
            namespace=spec["Namespace"],
            name=spec["MetricName"],
            statistic=spec.get("Statistic", "") if statistic is None else statistic,
            dimensions=tuple((d["Name"], d["Value"]) for d in spec.get("Dimensions") or ()),
            unit=spec.get("Unit"),
        )


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

    @classmethod
    def from_api(cls, raw: Mapping[str, Any]) -> MetricQuery:
        stat = raw.get("MetricStat")
        metric = None
        if stat:
            metric = replace(CustomMetric.from_api(stat["Metric"], stat["Stat"]), unit=stat.get("Unit"))
        return cls(
            id=raw["Id"],
            metric=metric,
            expression=raw.get("Expression"),
            label=raw.get("Label"),
            return_data=bool(raw.get("ReturnData", True)),
        )


@dataclass(frozen=True)
class MetricMath:
    """A metric-math metric (AAS CustomizedMetricSpecification.Metrics): exactly one query returns data."""

    queries: tuple[MetricQuery, ...]

    def api(self) -> dict[str, Any]:
        return {"CustomizedMetricSpecification": {"Metrics": [q.api() for q in self.queries]}}

    @classmethod
    def from_api(cls, queries: Sequence[Mapping[str, Any]]) -> MetricMath:
        return cls(tuple(MetricQuery.from_api(q) for q in queries))


Metric = PredefinedMetric | CustomMetric | MetricMath


def metric_from_api(config: Mapping[str, Any]) -> Metric | None:
    """The metric of a TargetTrackingScalingPolicyConfiguration; None for a shape the controller does not write."""
    predefined = config.get("PredefinedMetricSpecification")
    if predefined:
        return PredefinedMetric.from_api(predefined)
    custom = config.get("CustomizedMetricSpecification")
    if custom and "MetricName" in custom:
        return CustomMetric.from_api(custom)
    if custom and custom.get("Metrics"):
        return MetricMath.from_api(custom["Metrics"])
    return None


TrackingKind = Literal["cooldown", "bool"]


class TrackingSetting(NamedTuple):
    """A setting of every target-tracking policy: its member of TargetTrackingScalingPolicyConfiguration, its kind
    (which reads it from a tag, a profile and AWS's answer) and its tag key (``autoscaling:<tag>``)."""

    aws: str
    kind: TrackingKind
    tag: str


# Every target-tracking setting, by its field of TrackingSettings (also its profile field,
# ``target_tracking[i].<field>``), in the order of the request's members. The tag grammar (``autoscaler.tags``), the
# profile schema (``autoscaler.profile_schema``), the policy assembly (``autoscaler.policies``) and the AWS encoding
# below read it.
TRACKING_SETTINGS: dict[str, TrackingSetting] = {
    "scale_in_cooldown": TrackingSetting("ScaleInCooldown", "cooldown", "scale-in-cooldown"),
    "scale_out_cooldown": TrackingSetting("ScaleOutCooldown", "cooldown", "scale-out-cooldown"),
    "disable_scale_in": TrackingSetting("DisableScaleIn", "bool", "disable-scale-in"),
}
_DECODE: dict[TrackingKind, Callable[[Any], Any]] = {"cooldown": int, "bool": bool}


@dataclass(frozen=True)
class TrackingSettings:
    """The fields of ``TRACKING_SETTINGS``, shared by ``TargetTrackingPolicy`` and the profile's ``TrackingEntry``.
    Each class puts its own leading fields in a base listed after this one, so these follow them in ``__init__``.

    A new setting goes below ``_``: keyword-only, so the callers that pass the three above by position still can."""

    scale_in_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    scale_out_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    disable_scale_in: bool = False
    _: KW_ONLY


def check_tracking_table(table: Mapping[str, TrackingSetting]) -> dict[str, Any]:
    """Each row names a field of TrackingSettings and each field has a row, with a known kind, and no AWS member or
    tag key is named twice; run when the module loads. Returns the settings' defaults, by field."""
    defaults = {f.name: f.default for f in fields(TrackingSettings)}
    no_default = [name for name, default in defaults.items() if default is MISSING]
    if no_default:
        raise TypeError(
            f"target-tracking setting {no_default[0]!r}: needs a default (AWS's, when the member is absent)"
        )
    no_row = [name for name in defaults if name not in table]
    if no_row:
        raise TypeError(
            f"target-tracking setting {no_row[0]!r} (a field of TrackingSettings) has no row in TRACKING_SETTINGS"
        )
    for name, row in table.items():
        if name not in defaults:
            raise TypeError(f"target-tracking setting {name!r}: not a field of TrackingSettings")
        if row.kind not in _DECODE:
            raise TypeError(f"target-tracking setting {name!r}: kind {row.kind!r} is not {' or '.join(_DECODE)}")
    for what, named in (("aws", "AWS member"), ("tag", "tag key")):
        values = [getattr(row, what) for row in table.values()]
        if len(set(values)) != len(values):
            raise TypeError(f"TRACKING_SETTINGS: two settings have the same {named}")
    return defaults


TRACKING_DEFAULTS = check_tracking_table(TRACKING_SETTINGS)


@dataclass(frozen=True)
class _TrackingTarget:
    name: str
    # invocations | concurrency | memory | ...: part of the name, shown to operators; AWS does not store it
    metric_key: str = field(compare=False)
    metric: Metric
    target: float


@dataclass(frozen=True)
class TargetTrackingPolicy(TrackingSettings, _TrackingTarget):
    """A target-tracking policy, with every setting explicit so that a read-back compares equal."""

    def configuration(self) -> dict[str, Any]:
        settings = {row.aws: getattr(self, name) for name, row in TRACKING_SETTINGS.items()}
        return {"TargetValue": self.target, **self.metric.api(), **settings}

    @classmethod
    def from_api(cls, name: str, config: Mapping[str, Any]) -> TargetTrackingPolicy | None:
        metric = metric_from_api(config)
        if metric is None or "TargetValue" not in config:
            return None
        settings = {
            setting: _DECODE[row.kind](config.get(row.aws, TRACKING_DEFAULTS[setting]))
            for setting, row in TRACKING_SETTINGS.items()
        }
        return cls(name=name, metric_key="", metric=metric, target=float(config["TargetValue"]), **settings)

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

    @classmethod
    def from_api(cls, step: Mapping[str, Any]) -> StepAdjustment:
        return cls(
            int(step["ScalingAdjustment"]),
            _float_or_none(step.get("MetricIntervalLowerBound")),
            _float_or_none(step.get("MetricIntervalUpperBound")),
        )


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

    @classmethod
    def from_api(cls, name: str, config: Mapping[str, Any]) -> StepScalingPolicy | None:
        if "AdjustmentType" not in config:
            return None
        steps = (StepAdjustment.from_api(s) for s in config.get("StepAdjustments") or ())
        magnitude = config.get("MinAdjustmentMagnitude")
        return cls(
            name=name,
            adjustment_type=config["AdjustmentType"],
            steps=tuple(sorted(steps, key=lambda s: float("-inf") if s.lower is None else s.lower)),
            cooldown=int(config.get("Cooldown", DEFAULT_COOLDOWN_SECONDS)),
            metric_aggregation=config.get("MetricAggregationType", "Average"),
            min_adjustment_magnitude=None if magnitude is None else int(magnitude),
        )


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

    @classmethod
    def from_api(cls, raw: Mapping[str, Any]) -> AlarmSpec | None:
        """A MetricAlarm as DescribeAlarms returns it; None when it is not on a single metric."""
        statistic = raw.get("Statistic") or raw.get("ExtendedStatistic")
        if "MetricName" not in raw or statistic is None:
            return None
        return cls(
            name=raw["AlarmName"],
            metric=CustomMetric.from_api(raw, statistic),
            comparison=raw["ComparisonOperator"],
            threshold=float(raw["Threshold"]),
            period=int(raw["Period"]),
            evaluation_periods=int(raw["EvaluationPeriods"]),
            datapoints_to_alarm=int(raw.get("DatapointsToAlarm") or raw["EvaluationPeriods"]),
            treat_missing_data=raw.get("TreatMissingData") or "missing",
            policy_name="",
        )


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

    @classmethod
    def from_api(cls, raw: Mapping[str, Any]) -> ScheduledAction:
        """A ScheduledAction as DescribeScheduledActions returns it (``actions.request`` encodes one)."""
        bounds = raw.get("ScalableTargetAction") or {}
        return cls(
            name=raw["ScheduledActionName"],
            schedule=raw["Schedule"],
            timezone=raw.get("Timezone") or "UTC",
            start=raw.get("StartTime"),
            end=raw.get("EndTime"),
            min_capacity=bounds.get("MinCapacity"),
            max_capacity=bounds.get("MaxCapacity"),
        )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)
