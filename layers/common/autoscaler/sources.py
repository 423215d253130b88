"""Tags + profile of one endpoint -> its EndpointSpec.

Precedence, lowest first: profile top level < profile ``variants.<V>`` < endpoint tags < variant tags. Tags set
scalars (bounds, cooldowns, disable-scale-in, suspend) and, per metric, the target of the target-tracking policy on
that metric (keeping the profile's other settings for it, adding a policy where the profile has none). Tags never
raise max above the profile's ``limits.max`` (default MaxCapacityCeiling). Step scaling and schedules come only from
the profile. What depends on the time (the scheduled action that fired last, an unexpired capacity hold) is left to
the planner, so a spec does not change with the clock.

Every problem names its source; any error rejects the whole endpoint (nothing is written, the applied state stays).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from autoscaler.constants import (
    DIMENSION_COMPONENT_NAME,
    DIMENSION_ENDPOINT_NAME,
    DIMENSION_VARIANT_NAME,
    ENDPOINT_INSTANCE_NAMESPACE,
    ENDPOINT_ONLY_METRICS,
    MAX_POLICIES_PER_TARGET,
    METRIC_BACKLOG_PER_INSTANCE,
    METRIC_COMPONENT_CONCURRENT_REQUESTS_HIGH_RES,
    METRIC_COMPONENT_INVOCATIONS_PER_COPY,
    METRIC_CONCURRENT_REQUESTS_HIGH_RES,
    METRIC_HAS_BACKLOG_WITHOUT_CAPACITY,
    METRIC_INVOCATIONS_PER_INSTANCE,
    METRIC_NO_CAPACITY_FAILURES,
    METRIC_PROVISIONED_CONCURRENCY_UTILIZATION,
    PERCENT_METRIC_NAMES,
    SAGEMAKER_NAMESPACE,
)
from autoscaler.constraints import check_requests
from autoscaler.errors import ConfigError, Problem
from autoscaler.names import alarm_name, policy_name
from autoscaler.profiles import Profile, ProfileScope, ScheduleEntry, StepEntry, TrackingEntry
from autoscaler.schedules import is_rate
from autoscaler.settings import Settings
from autoscaler.spec import (
    AdoptMode,
    AlarmSpec,
    CustomMetric,
    EndpointSpec,
    Held,
    Metric,
    MetricMath,
    MetricQuery,
    PredefinedMetric,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    SuspendedState,
    TargetTrackingPolicy,
    VariantKind,
    VariantSpec,
)
from autoscaler.state import ComponentInfo, EndpointInfo, Hardware, VariantInfo
from autoscaler.tags import TARGET_TAGS, ProfileRef, ScopeTags, TagConfig, parse_tags

# Kinds the controller acts on; the others are recognised and reported, never touched.
ACTED_ON = frozenset({VariantKind.INSTANCE, VariantKind.ASYNC, VariantKind.SERVERLESS})

# Which metric keys (tags `target-<key>`, profile `metric: <key>`) fit which kind of scalable thing; custom metrics and
# metric math fit every kind. Each key means the AWS metric of its row (README, "Metrics by endpoint kind").
COMPATIBLE: dict[VariantKind, tuple[str, ...]] = {
    VariantKind.INSTANCE: ("invocations", "concurrency", "cpu", "memory", "gpu", "gpu-memory"),
    VariantKind.ASYNC: ("backlog", "invocations", "cpu", "memory", "gpu", "gpu-memory"),
    VariantKind.SERVERLESS: ("provisioned-concurrency",),
    VariantKind.INFERENCE_COMPONENT: ("invocations", "concurrency"),
}
PREDEFINED: dict[tuple[VariantKind, str], str] = {
    (VariantKind.INSTANCE, "invocations"): METRIC_INVOCATIONS_PER_INSTANCE,
    (VariantKind.INSTANCE, "concurrency"): METRIC_CONCURRENT_REQUESTS_HIGH_RES,
    (VariantKind.ASYNC, "invocations"): METRIC_INVOCATIONS_PER_INSTANCE,
    (VariantKind.SERVERLESS, "provisioned-concurrency"): METRIC_PROVISIONED_CONCURRENCY_UTILIZATION,
    (VariantKind.INFERENCE_COMPONENT, "invocations"): METRIC_COMPONENT_INVOCATIONS_PER_COPY,
    (VariantKind.INFERENCE_COMPONENT, "concurrency"): METRIC_COMPONENT_CONCURRENT_REQUESTS_HIGH_RES,
}
SCALE_FROM_ZERO = "scale-from-zero"

# What a reconcile does with a managed inference component, by its InferenceComponentStatus (botocore's SageMaker
# model: InService | Creating | Updating | Failed | Deleting):
# - InService: configured.
# - Deleting, Failed (COMPONENT_GONE): not managed, so what the controller owns for it is removed: the target is
#   deregistered (which deletes its policies and schedules) and its step-scaling alarms deleted. A component being
#   deleted loses its target anyway (AWS deregisters it, as for a deleted endpoint), but AAS leaves the alarms
#   behind. A Failed one (DescribeInferenceComponent gives its FailureReason) is treated the same: AWS documents no
#   way back to InService for it short of an update, and until then scaling activities on it could only fail; should
#   it become InService again, the first reconcile that finds it so writes its configuration back.
# - Creating, Updating, and any status AWS may add: held (``Held``), left exactly as it is until it is InService.
#   Nothing can be registered for it before then (RegisterScalableTarget refuses a component that is not InService),
#   and Updating is what every scaling activity does to it (Application Auto Scaling sets the copy count with
#   UpdateInferenceComponentRuntimeConfig): removing its configuration then would remove autoscaling whenever it acts.
COMPONENT_GONE = frozenset({"Deleting", "Failed"})


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
    # SageMaker Developer Guide, async-inference-autoscale, "Define a scaling policy that scales up from zero for new
    # requests": Average of HasBacklogWithoutCapacity >= 1 in 2 of 2 minutes; Average aggregation, cooldown 300.
    VariantKind.ASYNC: ZeroWaker(
        METRIC_HAS_BACKLOG_WITHOUT_CAPACITY, "Average", "GreaterThanOrEqualToThreshold", 2, "Average", 300
    ),
    # SageMaker Developer Guide, endpoint-auto-scaling-zero-instances: Sum of NoCapacityInvocationFailures > 1 in a
    # minute, dimension InferenceComponentName; Maximum aggregation, cooldown 60.
    VariantKind.INFERENCE_COMPONENT: ZeroWaker(
        METRIC_NO_CAPACITY_FAILURES, "Sum", "GreaterThanThreshold", 1, "Maximum", 60
    ),
}


ProfileLoader = Callable[[ProfileRef], Profile]  # raises ConfigError for a missing or invalid profile
HardwareLookup = Callable[[str], Hardware | None]


@dataclass(frozen=True)
class Desired:
    spec: EndpointSpec
    warnings: tuple[Problem, ...] = ()


def desire(
    endpoint: EndpointInfo,
    tags: Mapping[str, str],
    settings: Settings,
    *,
    profiles: ProfileLoader,
    hardware: HardwareLookup,
) -> Desired:
    """The endpoint's raw tags (and the profile they name) -> its desired state.

    Raises ConfigError (carrying the warnings too) when the configuration cannot be applied.
    """
    config = parse_tags(tags, settings.tag_prefix)
    if config.enabled_error:
        raise ConfigError(config.errors, config.warnings)
    if config.endpoint.enabled is not True:
        return Desired(EndpointSpec(endpoint.name), config.warnings)  # not opted in: other tags do not matter
    if config.errors:
        raise ConfigError(config.errors, config.warnings)
    try:
        profile = profiles(config.profile or ProfileRef(settings.default_profile))
    except ConfigError as exc:
        raise ConfigError(exc.problems, config.warnings) from None
    return build_spec(endpoint, config, profile, settings, hardware)


def build_spec(
    endpoint: EndpointInfo,
    tags: TagConfig,
    profile: Profile,
    settings: Settings,
    hardware: HardwareLookup,
) -> Desired:
    errors: list[Problem] = list(tags.errors)
    warnings = [*tags.warnings, *profile.warnings]
    prefix = settings.tag_prefix
    for name, _ in tags.variants:
        if endpoint.variant(name) is None:
            warnings.append(Problem(f"{prefix}:{name}:*", f"endpoint {endpoint.name} has no variant {name!r}: ignored"))
    for name, _ in profile.variants:
        if endpoint.variant(name) is None:
            warnings.append(
                Problem(f"{profile.source}: variants.{name}", f"endpoint {endpoint.name} has no such variant: ignored")
            )
    limit = profile.limits_max or settings.max_capacity_ceiling
    if limit > settings.max_capacity_ceiling:
        errors.append(
            Problem(
                f"{profile.source}: limits.max", f"{limit} is above MaxCapacityCeiling {settings.max_capacity_ceiling}"
            )
        )

    variants = []
    for info in endpoint.variants:
        own = tags.variant(info.name)
        if own.enabled is False:
            continue
        if info.kind not in ACTED_ON:
            warnings.append(Problem(f"variant {info.name}", f"{info.kind} variants are not managed yet: left alone"))
            continue
        builder = _VariantBuilder(
            endpoint.name,
            info,
            tags.endpoint,
            own,
            profile,
            settings,
            hardware,
            partial(endpoint.instance_type, info.name),
        )
        spec = builder.build(limit)
        errors += builder.problems
        warnings += builder.warnings
        if spec is not None:
            variants.append(spec)
    held = []
    for component in endpoint.components:
        found = _component_spec(endpoint, component, profile, settings, hardware, limit, errors, warnings)
        if isinstance(found, Held):
            held.append(found)
        elif found is not None:
            variants.append(found)
    if errors:
        raise ConfigError(errors, warnings)
    adopt = tags.adopt or AdoptMode.COEXIST
    desired = EndpointSpec(endpoint.name, tuple(variants), adopt, tuple(held))
    # The safety net under the rules above: every request this spec can lead to, against AWS's service models.
    refused = check_requests(desired)
    if refused:
        raise ConfigError(refused, warnings)
    return Desired(desired, tuple(warnings))


class _VariantBuilder:
    def __init__(
        self,
        endpoint: str,
        info: VariantInfo,
        top: ScopeTags,
        own: ScopeTags,
        profile: Profile,
        settings: Settings,
        hardware: HardwareLookup,
        instance_type: Callable[[], str | None] | None = None,
        profile_scopes: tuple[tuple[ProfileScope, str], tuple[ProfileScope, str]] | None = None,
    ) -> None:
        self.endpoint, self.info, self.settings, self.hardware = endpoint, info, settings, hardware
        self.instance_type = instance_type  # for a description without instance types: read on first need
        self.tag_scopes = (own, top)
        self.profile = profile
        # (this variant's own profile scope, the inherited one)
        self.profile_scopes: tuple[tuple[ProfileScope, str], ...] = profile_scopes or (
            (profile.variant(info.name), f"variants.{info.name}."),
            (profile.top, ""),
        )
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.misfits = 0  # inherited metric settings skipped because they do not fit this variant's kind

    def error(self, source: str, message: str) -> None:
        self.problems.append(Problem(source, message))

    def set_for_this_variant(self) -> bool:
        own_tags, _ = self.tag_scopes
        (own_profile, _), _ = self.profile_scopes
        return bool(own_tags.sources) or own_profile != ProfileScope()

    def fits(self, key: str, source: str, specific: bool) -> bool:
        """Whether a metric key fits this variant's kind. Set for this variant, a misfit is an error; inherited from
        the endpoint or the profile's top level, it is skipped for this variant with a warning."""
        kind = self.info.kind
        if key in COMPATIBLE[kind]:
            return True
        message = (
            f"{key} does not apply to a {kind} variant (it takes {', '.join(COMPATIBLE[kind])} or a custom metric)"
        )
        if specific:
            self.error(source, message)
        else:
            self.misfits += 1
            self.warnings.append(Problem(source, f"{message}: skipped for {self.info.name}"))
        return False

    def pick(self, tag_field: str, profile_field: str, path: str) -> tuple[Any, str | None]:
        """The winning value of a scalar and its source (None when nothing sets it)."""
        for tags in self.tag_scopes:
            value = getattr(tags, tag_field)
            if value is not None:
                return value, tags.source(tag_field)
        for scope, where in self.profile_scopes:
            value = getattr(scope, profile_field)
            if value is not None:
                return value, f"{self.profile.source}: {where}{path}"
        return None, None

    def build(self, limit: int) -> VariantSpec | None:
        name = self.info.name
        lo, lo_source = self.pick("min_capacity", "min_capacity", "min")
        hi, hi_source = self.pick("max_capacity", "max_capacity", "max")
        if lo is None or hi is None:
            missing = " and ".join(k for k, v in (("min", lo), ("max", hi)) if v is None)
            self.error(self.profile.source, f"sets no {missing} for variant {name} (and no tag does)")
            return None
        kind = self.info.kind
        if lo < kind.min_floor:
            self.error(str(lo_source), f"min {lo}: {_article(kind)} {kind} variant needs at least {kind.min_floor}")
        ceiling = self.info.max_concurrency
        if kind is VariantKind.SERVERLESS and ceiling is not None and hi > ceiling:
            self.error(
                str(hi_source), f"max {hi} provisioned concurrency is above the variant's MaxConcurrency {ceiling}"
            )
        if hi > limit:
            what = "the profile's limits.max" if self.profile.limits_max else "MaxCapacityCeiling"
            self.error(str(hi_source), f"max {hi} is above {what} {limit}")
        if lo > hi:
            self.error(f"{lo_source} / {hi_source}", f"min {lo} is greater than max {hi}")

        policies = self.target_tracking()
        self.one_policy_per_metric(policies)
        steps = self.step_scaling()
        if lo == 0 and kind in ZERO_WAKERS and not any(p.step_key == SCALE_FROM_ZERO for p, _ in steps):
            steps += (self.scale_from_zero(),)
        schedules = self.schedules(lo, hi, limit)
        if not (policies or steps or schedules):
            takes = ", ".join(COMPATIBLE[kind])
            message = f"no scaling policy or schedule applies to {kind} variant {name} (it takes {takes})"
            if self.misfits and not self.set_for_this_variant():
                # Only inherited settings, none of which fit this kind: leave the variant alone, and say why.
                self.warnings.append(Problem(f"variant {name}", f"{message}: not managed"))
                return None
            self.error(self.profile.source, message)
        if len(policies) + len(steps) > MAX_POLICIES_PER_TARGET:
            self.error(self.profile.source, f"variant {name}: more than {MAX_POLICIES_PER_TARGET} policies")
        suspended, _ = self.pick("suspend", "suspend", "suspend")
        if self.problems:
            return None
        return VariantSpec(
            self.endpoint,
            name,
            self.info.kind,
            lo,
            hi,
            suspended or SuspendedState(),
            policies,
            schedules,
            steps,
            self.tag_scopes[0].hold,
        )

    # ------------------------------------------------------------ policies

    def target_tracking(self) -> tuple[TargetTrackingPolicy, ...]:
        entries: dict[str, tuple[TrackingEntry, str, bool]] = {}  # key -> (entry, source, set for this variant)
        for (scope, where), specific in zip(reversed(self.profile_scopes), (False, True), strict=True):
            for i, entry in enumerate(scope.target_tracking or ()):
                entries[entry.key] = (entry, f"{self.profile.source}: {where}target_tracking[{i}]", specific)
        for tags, specific in zip(reversed(self.tag_scopes), (False, True), strict=True):
            for metric_key, target in tags.targets:
                source = tags.source(f"target:{metric_key}") or TARGET_TAGS[metric_key]
                current = entries.get(metric_key)
                entry = replace(current[0], target=target) if current else TrackingEntry(metric_key, metric_key, target)
                entries[metric_key] = (entry, source, specific)
            for tag_field, entry_field in (
                ("scale_in_cooldown", "scale_in_cooldown"),
                ("scale_out_cooldown", "scale_out_cooldown"),
                ("disable_scale_in", "disable_scale_in"),
            ):
                value = getattr(tags, tag_field)
                if value is not None:
                    entries = {k: (replace(e, **{entry_field: value}), s, v) for k, (e, s, v) in entries.items()}
        policies = []
        for key, (entry, source, specific) in entries.items():
            if isinstance(entry.metric, str) and not self.fits(entry.metric, source, specific):
                continue
            metric = self.metric(entry.metric, entry.default_dimensions, source)
            if metric is None:
                continue
            policies.append(
                TargetTrackingPolicy(
                    name=policy_name(self.settings.name_prefix, self.info.name, key),
                    metric_key=key,
                    metric=metric,
                    target=entry.target,
                    scale_in_cooldown=entry.scale_in_cooldown,
                    scale_out_cooldown=entry.scale_out_cooldown,
                    disable_scale_in=entry.disable_scale_in,
                )
            )
        return tuple(policies)

    def step_scaling(self) -> tuple[tuple[StepScalingPolicy, AlarmSpec], ...]:
        entries: dict[str, tuple[StepEntry, str]] = {}
        for scope, where in reversed(self.profile_scopes):
            for i, entry in enumerate(scope.step_scaling or ()):
                entries[entry.name] = (entry, f"{self.profile.source}: {where}step_scaling[{i}]")
        result = []
        prefix = self.settings.name_prefix
        for step_name, (entry, source) in entries.items():
            metric = self.metric(entry.metric, entry.default_dimensions, f"{source}.metric")
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
                self.error(
                    self.profile.source,
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
        entries: dict[str, tuple[ScheduleEntry, str]] = {}
        for scope, where in reversed(self.profile_scopes):
            for i, entry in enumerate(scope.schedules or ()):
                entries[entry.name] = (entry, f"{self.profile.source}: {where}schedules[{i}]")
        actions = []
        what = "the profile's limits.max" if self.profile.limits_max else "MaxCapacityCeiling"
        for entry, source in entries.values():
            for bound, value in (("min", entry.min_capacity), ("max", entry.max_capacity)):
                if value is not None and value > limit:
                    self.error(f"{source}.{bound}", f"{value} is above {what} {limit}")
            others = [other for other, _ in entries.values() if other.name != entry.name]
            if lo > hi:
                pass  # the variant's own bounds are refused already; what fits under them is not yet known
            elif entry.min_capacity is not None and entry.max_capacity is None:
                ceilings = [(hi, "the variant's max")] + [
                    (o.max_capacity, f"the max of schedule {o.name!r}") for o in others if o.max_capacity is not None
                ]
                low_cap, which = min(ceilings, key=lambda item: item[0])
                if entry.min_capacity > low_cap:
                    self.error(
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
                    self.error(
                        f"{source}.max",
                        f"{entry.max_capacity} is below {which} {high_floor}, which can be in effect when it runs: "
                        "set min too",
                    )
            if is_rate(entry.schedule) and entry.start is None and others:
                self.error(
                    f"{source}.start",
                    "a rate() action beside other scheduled actions needs a start time: AWS does not say when one "
                    "without it first runs, so which action ran last could not be known",
                )
            floor = self.info.kind.min_floor
            if entry.min_capacity is not None and entry.min_capacity < floor:
                self.error(
                    f"{source}.min",
                    f"{entry.min_capacity}: {_article(self.info.kind)} {self.info.kind} variant needs at least {floor}",
                )
            actions.append(
                ScheduledAction(
                    name=policy_name(self.settings.name_prefix, self.info.name, entry.name),
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

    # ------------------------------------------------------------ metrics

    def metric(self, template: str | CustomMetric | MetricMath, default_dimensions: bool, source: str) -> Metric | None:
        if isinstance(template, CustomMetric):
            return self.custom(template, default_dimensions)
        if isinstance(template, MetricMath):
            return MetricMath(
                tuple(replace(q, metric=self.custom(q.metric, False) if q.metric else None) for q in template.queries)
            )
        predefined = PREDEFINED.get((self.info.kind, template))
        if predefined is not None:
            return PredefinedMetric(predefined)
        if template == "backlog":
            # Published per endpoint only (async-inference-monitor): the backlog per instance of the whole endpoint.
            return CustomMetric(
                SAGEMAKER_NAMESPACE, METRIC_BACKLOG_PER_INSTANCE, "Average", ((DIMENSION_ENDPOINT_NAME, self.endpoint),)
            )
        return self.instance_metric(template, source)

    def scale_from_zero(self) -> tuple[StepScalingPolicy, AlarmSpec]:
        """At zero there is no per-instance (or per-copy) metric to track, so a step policy on an alarm brings the
        first one back, exactly as AWS documents it for the kind (``ZERO_WAKERS``)."""
        waker = ZERO_WAKERS[self.info.kind]
        prefix = self.settings.name_prefix
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

    def custom(self, metric: CustomMetric, default_dimensions: bool) -> CustomMetric:
        if default_dimensions and self.info.kind is VariantKind.INFERENCE_COMPONENT:
            dimensions: tuple[tuple[str, str], ...] = ((DIMENSION_COMPONENT_NAME, self.info.name),)
        elif default_dimensions:
            dimensions = ((DIMENSION_ENDPOINT_NAME, self.endpoint),)
            if metric.name not in ENDPOINT_ONLY_METRICS:
                dimensions += ((DIMENSION_VARIANT_NAME, self.info.name),)
        else:
            dimensions = tuple(
                (n, v.replace("{endpoint}", self.endpoint).replace("{variant}", self.info.name))
                for n, v in metric.dimensions
            )
        return replace(metric, dimensions=dimensions)

    def instance_metric(self, key: str, source: str) -> Metric | None:
        """`/aws/sagemaker/Endpoints` metrics as percent of one instance.

        CloudWatch reports CPUUtilization summed over vCPUs and the GPU metrics summed over GPUs (0-400 on four), so
        those are divided by the instance type's count with metric math; MemoryUtilization is 0-100 already.
        """
        metric_name = PERCENT_METRIC_NAMES[key]
        base = CustomMetric(
            ENDPOINT_INSTANCE_NAMESPACE,
            metric_name,
            "Average",
            ((DIMENSION_ENDPOINT_NAME, self.endpoint), (DIMENSION_VARIANT_NAME, self.info.name)),
        )
        if key == "memory":
            return base
        instance_type = self.info.instance_type or (self.instance_type() if self.instance_type else None)
        found = self.hardware(instance_type) if instance_type else None
        if found is None:
            self.error(source, f"{key}: the vCPU/GPU count of instance type {instance_type!r} is unknown")
            return None
        count = found.vcpus if key == "cpu" else found.gpus
        if count < 1:
            self.error(source, f"{key}: instance type {instance_type} has no GPU")
            return None
        query_id = key.replace("-", "_")
        return MetricMath(
            (
                MetricQuery(query_id, base, return_data=False),
                MetricQuery(
                    "per_instance",
                    expression=f"{query_id} / {count}",
                    label=f"{metric_name} per instance",
                    return_data=True,
                ),
            )
        )


def _article(kind: VariantKind) -> str:
    return "an" if str(kind)[0] in "aeiou" else "a"


def _component_spec(
    endpoint: EndpointInfo,
    component: ComponentInfo,
    profile: Profile,
    settings: Settings,
    hardware: HardwareLookup,
    limit: int,
    errors: list[Problem],
    warnings: list[Problem],
) -> VariantSpec | Held | None:
    """An inference component is configured by its own tags (the endpoint's grammar, endpoint-level keys) over the
    profile's `inference_components.<name>`; it inherits nothing from the endpoint's variants (copies are not
    instances). It is managed when its `enabled` tag is true, or the profile has a section for it (and no tag says
    false). A managed one that is not InService is held, or not managed when Deleting or Failed (``COMPONENT_GONE``);
    its configuration is validated all the same (except when gone), so whether an endpoint is rejected never depends
    on a component's transient status."""
    where = f"inference component {component.name}"
    parsed = parse_tags(dict(component.tags), settings.tag_prefix)
    errors += [Problem(f"{where}: {p.source}", p.message) for p in parsed.errors]
    warnings += [Problem(f"{where}: {p.source}", p.message) for p in parsed.warnings]
    section = profile.component(component.name)
    enabled = parsed.endpoint.enabled
    if enabled is False or (enabled is None and section is None) or parsed.errors:
        return None
    if component.status in COMPONENT_GONE:
        warnings.append(
            Problem(where, f"is {component.status}: no longer managed, what the controller owns for it is removed")
        )
        return None
    builder = _VariantBuilder(
        endpoint.name,
        VariantInfo(component.name, VariantKind.INFERENCE_COMPONENT),
        ScopeTags(),
        parsed.endpoint,
        profile,
        settings,
        hardware,
        profile_scopes=((section or ProfileScope(), f"inference_components.{component.name}."), (ProfileScope(), "")),
    )
    spec = builder.build(limit)
    errors += builder.problems
    warnings += builder.warnings
    if spec is not None:
        warnings += _instances_outlast_copies(endpoint, component, spec)
    if spec is None or component.in_service:
        return spec
    reason = f"is {component.status or 'of unknown status'}, not InService"
    warnings.append(Problem(where, f"{reason}: left as it is until it is (nothing registered, put or deleted for it)"))
    # Every alarm name of the component starts with its alarm name for an empty policy name.
    return Held(spec.target, alarm_name(settings.name_prefix, endpoint.name, component.name, ""), reason)


def _instances_outlast_copies(endpoint: EndpointInfo, component: ComponentInfo, spec: VariantSpec) -> list[Problem]:
    """A warning when the component's copies can reach 0 (its min, or a scheduled action's) but the instances of the
    variant hosting it cannot: copies at 0 on running instances still cost money.

    SageMaker Developer Guide, Scale an endpoint to zero instances: "Before your endpoint can scale in to, and out
    from, zero instances, it must meet the following requirements: ... It hosts one or more inference components. An
    endpoint can scale to and from zero instances only if it hosts inference components." and, in the endpoint
    configuration, the production variant's ManagedInstanceScaling has MinInstanceCount 0
    (``ManagedInstanceScaling.reaches_zero``).

    The hosting variant stays whatever its own configuration makes it: AWS documents no rule against registering it on
    sagemaker:variant:DesiredInstanceCount while managed instance scaling is on (the procedure above registers only
    the inference components, and RegisterScalableTarget is not documented to refuse the variant), so a variant that
    tags or the profile configure is still managed."""
    reaches_zero = spec.min_capacity == 0 or any(s.min_capacity == 0 for s in spec.schedules)
    host = endpoint.variant(component.variant)
    if not reaches_zero or host is None:
        return []
    scaling = host.managed_instance_scaling
    if scaling is not None and scaling.reaches_zero:
        return []
    if scaling is None or not scaling.enabled:
        why = "managed instance scaling is off"
    elif scaling.min_instances is None:
        why = "managed instance scaling sets no MinInstanceCount"
    else:
        why = f"managed instance scaling keeps MinInstanceCount {scaling.min_instances}"
    return [
        Problem(
            f"inference component {component.name}",
            f"can scale to 0 copies, but the instances of variant {host.name} cannot ({why}): at 0 copies they keep "
            f"running and cost money; set ManagedInstanceScaling Status ENABLED and MinInstanceCount 0 on variant "
            f"{host.name} in the endpoint config of {endpoint.name}, or a min of at least 1 for the component",
        )
    ]
