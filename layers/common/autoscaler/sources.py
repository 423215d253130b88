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
from dataclasses import dataclass
from functools import partial

from autoscaler.constants import MAX_POLICIES_PER_TARGET
from autoscaler.constraints import check_requests
from autoscaler.errors import ConfigError, Problem
from autoscaler.metrics import compatible
from autoscaler.names import alarm_name
from autoscaler.policies import SCALE_FROM_ZERO, ZERO_WAKERS, PolicyAssembler, article
from autoscaler.precedence import Layers
from autoscaler.profiles import Profile, ProfileScope
from autoscaler.resolve import Findings, HardwareLookup, MetricResolver
from autoscaler.settings import Settings
from autoscaler.spec import AdoptMode, EndpointSpec, Held, SuspendedState, VariantKind, VariantSpec
from autoscaler.state import ComponentInfo, EndpointInfo, VariantInfo
from autoscaler.tags import ProfileRef, ScopeTags, TagConfig, parse_tags, tag_key

# Kinds the controller acts on; the others are recognised and reported, never touched.
ACTED_ON = frozenset({VariantKind.INSTANCE, VariantKind.ASYNC, VariantKind.SERVERLESS})

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


ProfileLoader = Callable[[ProfileRef], Profile]  # raises ConfigError for a missing or invalid profile


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
            message = f"endpoint {endpoint.name} has no variant {name!r}: ignored"
            warnings.append(Problem(tag_key(prefix, "*", name), message))
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
    """One scalable thing's VariantSpec: its bounds, checked here; its policies and schedules from ``PolicyAssembler``,
    over the sources ``Layers`` ranks and the metrics ``MetricResolver`` resolves."""

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
        self.endpoint, self.info, self.profile = endpoint, info, profile
        self.findings = Findings()
        self.layers = Layers(
            profile,
            (own, top),
            profile_scopes or ((profile.variant(info.name), f"variants.{info.name}."), (profile.top, "")),
        )
        resolver = MetricResolver(endpoint, info, hardware, instance_type, self.findings)
        self.policies = PolicyAssembler(endpoint, info, settings.name_prefix, self.layers, resolver, self.findings)

    @property
    def problems(self) -> list[Problem]:
        return self.findings.problems

    @property
    def warnings(self) -> list[Problem]:
        return self.findings.warnings

    def build(self, limit: int) -> VariantSpec | None:
        name, error, layers, assemble = self.info.name, self.findings.error, self.layers, self.policies
        lo, lo_source = layers.pick("min_capacity", "min_capacity", "min")
        hi, hi_source = layers.pick("max_capacity", "max_capacity", "max")
        if lo is None or hi is None:
            missing = " and ".join(k for k, v in (("min", lo), ("max", hi)) if v is None)
            error(self.profile.source, f"sets no {missing} for variant {name} (and no tag does)")
            return None
        kind = self.info.kind
        if lo < kind.min_floor:
            error(str(lo_source), f"min {lo}: {article(kind)} {kind} variant needs at least {kind.min_floor}")
        ceiling = self.info.max_concurrency
        if kind is VariantKind.SERVERLESS and ceiling is not None and hi > ceiling:
            error(str(hi_source), f"max {hi} provisioned concurrency is above the variant's MaxConcurrency {ceiling}")
        if hi > limit:
            what = "the profile's limits.max" if self.profile.limits_max else "MaxCapacityCeiling"
            error(str(hi_source), f"max {hi} is above {what} {limit}")
        if lo > hi:
            error(f"{lo_source} / {hi_source}", f"min {lo} is greater than max {hi}")

        policies = assemble.target_tracking()
        assemble.one_policy_per_metric(policies)
        steps = assemble.step_scaling()
        if lo == 0 and kind in ZERO_WAKERS and not any(p.step_key == SCALE_FROM_ZERO for p, _ in steps):
            steps += (assemble.scale_from_zero(),)
        schedules = assemble.schedules(lo, hi, limit)
        if not (policies or steps or schedules):
            takes = ", ".join(compatible(kind))
            message = f"no scaling policy or schedule applies to {kind} variant {name} (it takes {takes})"
            if assemble.misfits and not layers.set_for_this_variant():
                # Only inherited settings, none of which fit this kind: leave the variant alone, and say why.
                self.findings.warn(f"variant {name}", f"{message}: not managed")
                return None
            error(self.profile.source, message)
        if len(policies) + len(steps) > MAX_POLICIES_PER_TARGET:
            error(self.profile.source, f"variant {name}: more than {MAX_POLICIES_PER_TARGET} policies")
        suspended, _ = layers.pick("suspend", "suspend", "suspend")
        if self.problems:
            return None
        return VariantSpec(
            self.endpoint,
            name,
            kind,
            lo,
            hi,
            suspended or SuspendedState(),
            policies,
            schedules,
            steps,
            layers.tags[0].hold,
        )


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
