"""`validate`: offline checks of tags and a profile, and the warnings for valid but risky configurations. The desired
state of the made-up endpoint they are checked on is the simulator's (``autoscaler_sim.config.desire_offline``), so
that what validate accepts is what the simulator runs."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from autoscaler.constants import METRIC_CONCURRENT_REQUESTS_HIGH_RES
from autoscaler.errors import ConfigError, Problem
from autoscaler.profiles import Profile, parse_profile
from autoscaler.settings import Settings
from autoscaler.spec import EndpointSpec, PredefinedMetric
from autoscaler.state import Hardware
from autoscaler.tags import tag_key
from autoscaler_sim.config import STACK_DEFAULT_PROFILE, desire_offline

HIGH_RESOLUTION_COOLDOWN = 60  # seconds: past this, a 10-second metric scales out no faster than a 1-minute one


@dataclass(frozen=True)
class Validation:
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    spec: EndpointSpec | None


def tag_arguments(pairs: Sequence[str], prefix: str) -> dict[str, str]:
    """`key=value` arguments; keys without the prefix get it (`max=4` is `autoscaling:max=4`)."""
    tags = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"{pair!r}: expected key=value")
        tags[key if key.startswith(tag_key(prefix, "")) else tag_key(prefix, key)] = value
    return tags


def validate(
    tags: Mapping[str, str],
    profile_text: str | None,
    profile_name: str,
    settings: Settings,
    variants: Sequence[str],
    instance_type: str,
    hardware: Callable[[str], Hardware | None],
    production: bool,
) -> Validation:
    """Tags (opted in unless they say otherwise) and/or a profile file, checked as the controller would."""
    names_profile = tag_key(settings.tag_prefix, "profile") in tags
    text = STACK_DEFAULT_PROFILE if profile_text is None and not names_profile else profile_text
    profile: Profile | None = None
    if text is not None:
        try:
            profile = parse_profile(text, f"profile {profile_name}")
        except ConfigError as exc:
            return Validation(exc.problems, (), None)
    try:
        desired = desire_offline(profile, tags, settings, variants, instance_type, hardware)
    except ConfigError as exc:
        return Validation(exc.problems, exc.warnings, None)
    return Validation((), (*desired.warnings, *risks(desired.spec, production)), desired.spec)


def risks(spec: EndpointSpec, production: bool) -> list[Problem]:
    """Valid but risky: each warning says why."""
    found = []
    for variant in spec.variants:
        where = f"variant {variant.variant}"
        if production and variant.min_capacity < 2:
            found.append(
                Problem(
                    where,
                    f"min {variant.min_capacity} on a production endpoint: AWS recommends at least two "
                    "instances so that SageMaker can spread them across Availability Zones",
                )
            )
        for policy in variant.policies:
            if policy.scale_in_cooldown < policy.scale_out_cooldown:
                found.append(
                    Problem(
                        f"{where} policy {policy.metric_key}",
                        f"scale-in cooldown {policy.scale_in_cooldown}s is "
                        f"shorter than scale-out {policy.scale_out_cooldown}s: capacity may flap",
                    )
                )
            high_res = policy.metric == PredefinedMetric(METRIC_CONCURRENT_REQUESTS_HIGH_RES)
            if high_res and policy.scale_out_cooldown > HIGH_RESOLUTION_COOLDOWN:
                found.append(
                    Problem(
                        f"{where} policy {policy.metric_key}",
                        f"a high-resolution metric with a "
                        f"{policy.scale_out_cooldown}s scale-out cooldown throws its 10-second speed away",
                    )
                )
        for action in variant.schedules:
            lo, hi = action.min_capacity, action.max_capacity
            if (lo is not None and lo > variant.max_capacity) or (hi is not None and hi < variant.min_capacity):
                found.append(
                    Problem(
                        f"{where} schedule {action.name}",
                        f"sets bounds {lo}..{hi} that contradict the target's "
                        f"{variant.min_capacity}..{variant.max_capacity}",
                    )
                )
    return found


def endpoint_quota(service_quotas: Any, instance_type: str) -> float | None:
    """The account's Service Quotas limit "<instance type> for endpoint usage" (applied value, else AWS's default)."""
    wanted = f"{instance_type} for endpoint usage"
    for operation in ("list_service_quotas", "list_aws_default_service_quotas"):
        for page in service_quotas.get_paginator(operation).paginate(ServiceCode="sagemaker"):
            for quota in page.get("Quotas", ()):
                if quota.get("QuotaName") == wanted:
                    return float(quota["Value"])
    return None


def quota_warnings(spec: EndpointSpec, instance_type: str, quota: float | None) -> list[Problem]:
    if quota is None:
        return [Problem("service quotas", f"no quota '{instance_type} for endpoint usage' found: max not checked")]
    return [
        Problem(
            f"variant {v.variant}",
            f"max {v.max_capacity} is above the account's quota of {quota:g} {instance_type} instances for endpoint "
            "usage: scale-out would stop there (request an increase in Service Quotas)",
        )
        for v in spec.variants
        if v.max_capacity > quota
    ]
