"""Policy assembly for one scalable thing: its target-tracking and step-scaling policies (with their alarms), its
scheduled actions, and the step policy that brings a kind back from zero, each refused where AWS would refuse it.

Which entries apply, and from where, is ``autoscaler.precedence``; the metric each uses is ``autoscaler.resolve``;
the names are ``autoscaler.names``.
"""

from __future__ import annotations

from dataclasses import dataclass

from autoscaler.constants import (
    DIMENSION_COMPONENT_NAME,
    DIMENSION_ENDPOINT_NAME,
    METRIC_HAS_BACKLOG_WITHOUT_CAPACITY,
    METRIC_NO_CAPACITY_FAILURES,
    SAGEMAKER_NAMESPACE,
)
from autoscaler.metrics import compatible
from autoscaler.names import alarm_name, policy_name
from autoscaler.precedence import Layers
from autoscaler.profiles import ScheduleEntry, StepEntry
from autoscaler.resolve import Findings, MetricResolver
from autoscaler.scaling import TRACKING_SETTINGS
from autoscaler.schedules import is_rate
from autoscaler.spec import (
    AlarmSpec,
    CustomMetric,
    Metric,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    TargetTrackingPolicy,
    VariantKind,
)
from autoscaler.state import VariantInfo

SCALE_FROM_ZERO = "scale-from-zero"


@dataclass(frozen=True)
class ZeroWaker:
    """The documented step policy and alarm that bring a kind back from zero (ChangeInCapacity +1 from 0)."""

    metric: str
    statistic: str
    comparison: str
    periods: int  # evaluation periods of 60 s, all of which must breach
    aggregation: str
    cooldown: int


ZERO_WAKERS = {
    # SageMaker Developer Guide, "Autoscale an asynchronous endpoint", "Define a scaling policy that scales up from zero
    # for new requests": Average of HasBacklogWithoutCapacity >= 1 in 2 of 2 minutes; Average aggregation, cooldown 300.
    VariantKind.ASYNC: ZeroWaker(
        METRIC_HAS_BACKLOG_WITHOUT_CAPACITY, "Average", "GreaterThanOrEqualToThreshold", 2, "Average", 300
    ),
    # SageMaker Developer Guide, "Scale an endpoint to zero instances": Sum of NoCapacityInvocationFailures > 1 in a
    # minute, dimension InferenceComponentName; Maximum aggregation, cooldown 60.
    VariantKind.INFERENCE_COMPONENT: ZeroWaker(
        METRIC_NO_CAPACITY_FAILURES, "Sum", "GreaterThanThreshold", 1, "Maximum", 60
    ),
}


@dataclass
class PolicyAssembler:
    endpoint: str
    info: VariantInfo
    name_prefix: str
    layers: Layers
    resolver: MetricResolver
    findings: Findings
    misfits: int = 0  # inherited metric settings skipped because they do not fit this variant's kind

    def fits(self, key: str, source: str, specific: bool) -> bool:
        """Whether a metric key fits this variant's kind. Set for this variant, a misfit is an error; inherited from
        the endpoint or the profile's top level, it is skipped for this variant with a warning."""
        kind = self.info.kind
        takes = compatible(kind)
        if key in takes:
            return True
        message = f"{key} does not apply to a {kind} variant (it takes {', '.join(takes)} or a custom metric)"
        if specific:
            self.findings.error(source, message)
        else:
            self.misfits += 1
            self.findings.warn(source, f"{message}: skipped for {self.info.name}")
        return False

    def target_tracking(self) -> tuple[TargetTrackingPolicy, ...]:
        policies = []
        for key, tracked in self.layers.tracking().items():
            entry, source = tracked.entry, tracked.source
            if isinstance(entry.metric, str) and not self.fits(entry.metric, source, tracked.specific):
                continue
            metric = self.resolver.metric(entry.metric, entry.default_dimensions, source)
            if metric is None:
                continue
            policies.append(
                TargetTrackingPolicy(
                    name=policy_name(self.name_prefix, self.info.name, key),
                    metric_key=key,
                    metric=metric,
                    target=entry.target,
                    **{setting: getattr(entry, setting) for setting in TRACKING_SETTINGS},
                )
            )
        return tuple(policies)

    def step_scaling(self) -> tuple[tuple[StepScalingPolicy, AlarmSpec], ...]:
        entries: dict[str, tuple[StepEntry, str]] = self.layers.named("step_scaling", "name")
        result = []
        prefix = self.name_prefix
        for step_name, (entry, source) in entries.items():
            metric = self.resolver.metric(entry.metric, entry.default_dimensions, f"{source}.metric")
            if not isinstance(metric, CustomMetric):
                continue
            policy = StepScalingPolicy(
                name=policy_name(prefix, self.info.name, f"step-{step_name}"),
                adjustment_type=entry.adjustment_type,
                steps=entry.steps,
                cooldown=entry.cooldown,
                metric_aggregation=entry.metric_aggregation,
                min_adjustment_magnitude=entry.min_adjustment_magnitude,
                step_key=step_name,
            )
            alarm = AlarmSpec(
                name=alarm_name(prefix, self.endpoint, self.info.name, step_name),
                metric=metric,
                comparison=entry.comparison,
                threshold=entry.threshold,
                period=entry.period,
                evaluation_periods=entry.evaluation_periods,
                datapoints_to_alarm=entry.datapoints_to_alarm,
                treat_missing_data=entry.treat_missing_data,
                policy_name=policy.name,
            )
            result.append((policy, alarm))
        return tuple(result)

    def one_policy_per_metric(self, policies: tuple[TargetTrackingPolicy, ...]) -> None:
        """AWS allows several target-tracking policies on one target "provided that each of them uses a different
        metric" (Application Auto Scaling User Guide, "Target tracking scaling policies")."""
        seen: dict[Metric, str] = {}
        for policy in policies:
            first = seen.setdefault(policy.metric, policy.metric_key)
            if first != policy.metric_key:
                self.findings.error(
                    self.layers.profile.source,
                    f"variant {self.info.name}: target tracking {policy.metric_key!r} tracks the same metric as "
                    f"{first!r}; AWS allows one target-tracking policy per metric",
                )

    def schedules(self, lo: int, hi: int, limit: int) -> tuple[ScheduledAction, ...]:
        """The variant's scheduled actions, refused where AWS would refuse the bounds one leaves in effect.

        "In some cases, however, you must include both sizes to ensure that the new minimum capacity is not greater
        than the maximum capacity, or the new maximum capacity is not less than the minimum capacity" (Application
        Auto Scaling User Guide, "Scheduled scaling"). Which bound is in effect when an action runs depends on which
        ran before it (``schedules.desired_bounds``), so an action that sets only min must fit under every max that
        could be in effect then (the variant's, and every other action's), and one that sets only max above every
        min. A rate action without a start time has no anchor AWS documents, so its order against other actions is
        unknowable: it must have ``start`` when it is not alone.
        """
        entries: dict[str, tuple[ScheduleEntry, str]] = self.layers.named("schedules", "name")
        actions = []
        what = "the profile's limits.max" if self.layers.profile.limits_max else "MaxCapacityCeiling"
        for entry, source in entries.values():
            for bound, value in (("min", entry.min_capacity), ("max", entry.max_capacity)):
                if value is not None and value > limit:
                    self.findings.error(f"{source}.{bound}", f"{value} is above {what} {limit}")
            others = [other for other, _ in entries.values() if other.name != entry.name]
            if lo > hi:
                pass  # the variant's own bounds are refused already; what fits under them is not yet known
            elif entry.min_capacity is not None and entry.max_capacity is None:
                ceilings = [(hi, "the variant's max")] + [
                    (o.max_capacity, f"the max of schedule {o.name!r}") for o in others if o.max_capacity is not None
                ]
                low_cap, which = min(ceilings, key=lambda item: item[0])
                if entry.min_capacity > low_cap:
                    self.findings.error(
                        f"{source}.min",
                        f"{entry.min_capacity} is above {which} {low_cap}, which can be in effect when it runs: "
                        "set max too",
                    )
            elif entry.max_capacity is not None and entry.min_capacity is None:
                floors = [(lo, "the variant's min")] + [
                    (o.min_capacity, f"the min of schedule {o.name!r}") for o in others if o.min_capacity is not None
                ]
                high_floor, which = max(floors, key=lambda item: item[0])
                if entry.max_capacity < high_floor:
                    self.findings.error(
                        f"{source}.max",
                        f"{entry.max_capacity} is below {which} {high_floor}, which can be in effect when it runs: "
                        "set min too",
                    )
            if is_rate(entry.schedule) and entry.start is None and others:
                self.findings.error(
                    f"{source}.start",
                    "a rate() action beside other scheduled actions needs a start time: AWS does not say when one "
                    "without it first runs, so which action ran last could not be known",
                )
            floor = self.info.kind.min_floor
            if entry.min_capacity is not None and entry.min_capacity < floor:
                self.findings.error(
                    f"{source}.min",
                    f"{entry.min_capacity}: {article(self.info.kind)} {self.info.kind} variant needs at least {floor}",
                )
            actions.append(
                ScheduledAction(
                    name=policy_name(self.name_prefix, self.info.name, entry.name),
                    schedule=entry.schedule,
                    timezone=entry.timezone,
                    start=entry.start,
                    end=entry.end,
                    min_capacity=entry.min_capacity,
                    max_capacity=entry.max_capacity,
                    key=entry.name,
                )
            )
        return tuple(actions)

    def scale_from_zero(self) -> tuple[StepScalingPolicy, AlarmSpec]:
        """At zero there is no per-instance (or per-copy) metric to track, so a step policy on an alarm brings the
        first one back, exactly as AWS documents it for the kind (``ZERO_WAKERS``)."""
        waker = ZERO_WAKERS[self.info.kind]
        prefix = self.name_prefix
        policy = StepScalingPolicy(
            name=policy_name(prefix, self.info.name, f"step-{SCALE_FROM_ZERO}"),
            adjustment_type="ChangeInCapacity",
            steps=(StepAdjustment(1, 0.0),),
            cooldown=waker.cooldown,
            metric_aggregation=waker.aggregation,
            step_key=SCALE_FROM_ZERO,
        )
        dimension = (
            (DIMENSION_COMPONENT_NAME, self.info.name)
            if self.info.kind is VariantKind.INFERENCE_COMPONENT
            else (DIMENSION_ENDPOINT_NAME, self.endpoint)
        )
        alarm = AlarmSpec(
            name=alarm_name(prefix, self.endpoint, self.info.name, SCALE_FROM_ZERO),
            metric=CustomMetric(SAGEMAKER_NAMESPACE, waker.metric, waker.statistic, (dimension,)),
            comparison=waker.comparison,
            threshold=1.0,
            period=60,
            evaluation_periods=waker.periods,
            datapoints_to_alarm=waker.periods,
            treat_missing_data="missing",
            policy_name=policy.name,
        )
        return policy, alarm


def article(kind: VariantKind) -> str:
    return "an" if str(kind)[0] in "aeiou" else "a"
