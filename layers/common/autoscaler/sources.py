"""Tags (and, later, the profile) of one endpoint -> its EndpointSpec.

Precedence, lowest first: the stack's defaults < endpoint tags < variant tags. Every problem names its source; any
error rejects the whole endpoint (nothing is written, the applied state stays as it is).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from autoscaler.constants import (
    DEFAULT_COOLDOWN_SECONDS,
    DIMENSION_ENDPOINT_NAME,
    DIMENSION_VARIANT_NAME,
    ENDPOINT_INSTANCE_NAMESPACE,
    METRIC_CONCURRENT_REQUESTS_HIGH_RES,
    METRIC_INVOCATIONS_PER_INSTANCE,
    METRIC_MEMORY_UTILIZATION,
)
from autoscaler.errors import ConfigError, Problem
from autoscaler.names import policy_name
from autoscaler.settings import Settings
from autoscaler.spec import (
    AdoptMode,
    CustomMetric,
    EndpointSpec,
    Metric,
    PredefinedMetric,
    SuspendedState,
    TargetTrackingPolicy,
    VariantKind,
    VariantSpec,
)
from autoscaler.state import EndpointInfo, VariantInfo
from autoscaler.tags import TARGET_TAGS, ScopeTags, TagConfig, parse_tags

DEFAULTS_SOURCE = "stack defaults"
# Kinds the controller acts on today; the others are recognised and reported, never touched.
ACTED_ON = frozenset({VariantKind.INSTANCE, VariantKind.ASYNC})


@dataclass(frozen=True)
class Desired:
    spec: EndpointSpec
    warnings: tuple[Problem, ...] = ()


def desire(endpoint: EndpointInfo, tags: Mapping[str, str], settings: Settings, now: datetime) -> Desired:
    """The endpoint's raw tags -> its desired state. Raises ConfigError (with the warnings too) when invalid."""
    return build_spec(endpoint, parse_tags(tags, settings.tag_prefix), settings, now)


def build_spec(endpoint: EndpointInfo, tags: TagConfig, settings: Settings, now: datetime) -> Desired:
    """Raises ConfigError listing every problem when the configuration cannot be applied."""
    if tags.enabled_error:
        raise ConfigError(tags.errors, tags.warnings)
    if tags.endpoint.enabled is not True:
        return Desired(EndpointSpec(endpoint.name), tags.warnings)  # not opted in: other tags do not matter

    errors = list(tags.errors)
    warnings = list(tags.warnings)
    prefix = settings.tag_prefix
    if tags.profile is not None:
        errors.append(Problem(f"{prefix}:profile", "SSM profiles are not supported by this version of the controller"))
    for name, _ in tags.variants:
        if endpoint.variant(name) is None:
            warnings.append(Problem(f"{prefix}:{name}:*", f"endpoint {endpoint.name} has no variant {name!r}: ignored"))

    variants = []
    for info in endpoint.variants:
        scope = tags.variant(info.name)
        if scope.enabled is False:
            continue
        if info.kind not in ACTED_ON:
            warnings.append(Problem(f"variant {info.name}", f"{info.kind} variants are not managed yet: left alone"))
            continue
        try:
            variants.append(_variant_spec(endpoint.name, info, tags.endpoint, scope, settings, now))
        except ConfigError as exc:
            errors += exc.problems
    if errors:
        raise ConfigError(errors, warnings)
    return Desired(EndpointSpec(endpoint.name, tuple(variants), tags.adopt or AdoptMode.COEXIST), tuple(warnings))


def _variant_spec(
    endpoint: str, info: VariantInfo, top: ScopeTags, own: ScopeTags, settings: Settings, now: datetime
) -> VariantSpec:
    problems: list[Problem] = []

    def pick(field: str, default: Any) -> tuple[Any, str]:
        for scope in (own, top):
            value = getattr(scope, field)
            if value is not None:
                return value, scope.source(field) or DEFAULTS_SOURCE
        return default, DEFAULTS_SOURCE

    min_capacity, min_source = pick("min_capacity", settings.default_min)
    max_capacity, max_source = pick("max_capacity", settings.default_max)
    if min_capacity < info.kind.min_floor:
        problems.append(Problem(min_source, f"min {min_capacity}: a real-time instance variant needs at least 1"))
    if max_capacity > settings.max_capacity_ceiling:
        problems.append(
            Problem(max_source, f"max {max_capacity} is above MaxCapacityCeiling {settings.max_capacity_ceiling}")
        )
    if min_capacity > max_capacity:
        problems.append(
            Problem(f"{min_source} / {max_source}", f"min {min_capacity} is greater than max {max_capacity}")
        )

    hold = own.hold
    if hold is not None and hold.active(now):
        min_capacity = min(max(min_capacity, hold.count), max_capacity)

    targets = {"invocations": settings.default_target_invocations}
    targets.update(dict(top.targets))
    targets.update(dict(own.targets))
    cooldown_in, _ = pick("scale_in_cooldown", DEFAULT_COOLDOWN_SECONDS)
    cooldown_out, _ = pick("scale_out_cooldown", DEFAULT_COOLDOWN_SECONDS)
    disable_in, _ = pick("disable_scale_in", False)
    policies = []
    for metric_key, target in targets.items():
        metric = _metric(metric_key, endpoint, info.name)
        if metric is None:
            source = own.source(f"target:{metric_key}") or top.source(f"target:{metric_key}") or DEFAULTS_SOURCE
            problems.append(
                Problem(
                    source,
                    f"{TARGET_TAGS[metric_key]} needs normalising over the instance type's vCPU/GPU count, "
                    "which this version does not do yet",
                )
            )
            continue
        policies.append(
            TargetTrackingPolicy(
                name=policy_name(settings.name_prefix, info.name, metric_key),
                metric_key=metric_key,
                metric=metric,
                target=target,
                scale_in_cooldown=cooldown_in,
                scale_out_cooldown=cooldown_out,
                disable_scale_in=disable_in,
            )
        )
    if problems:
        raise ConfigError(problems)
    suspended, _ = pick("suspend", SuspendedState())
    return VariantSpec(endpoint, info.name, info.kind, min_capacity, max_capacity, suspended, tuple(policies))


def _metric(metric_key: str, endpoint: str, variant: str) -> Metric | None:
    if metric_key == "invocations":
        return PredefinedMetric(METRIC_INVOCATIONS_PER_INSTANCE)
    if metric_key == "concurrency":
        return PredefinedMetric(METRIC_CONCURRENT_REQUESTS_HIGH_RES)
    if metric_key == "memory":
        # MemoryUtilization is 0-100 per instance already (unlike CPU and GPU, summed over cores).
        return CustomMetric(
            namespace=ENDPOINT_INSTANCE_NAMESPACE,
            name=METRIC_MEMORY_UTILIZATION,
            statistic="Average",
            dimensions=((DIMENSION_ENDPOINT_NAME, endpoint), (DIMENSION_VARIANT_NAME, variant)),
        )
    return None
