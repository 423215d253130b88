"""The variant configuration to simulate: a profile file, or an endpoint's effective configuration, as the controller
itself builds it (``autoscaler.sources.desire``), so that what is simulated is what would be applied."""

from __future__ import annotations

from autoscaler.errors import ConfigError, Problem
from autoscaler.profiles import Profile, parse_profile
from autoscaler.reconciler import Deps, evaluate
from autoscaler.settings import Settings
from autoscaler.spec import VariantKind, VariantSpec
from autoscaler.state import Hardware
from autoscaler.tags import tag_key
from autoscaler_cli.checks import desire_offline
from autoscaler_sim.engine import SimulationError

SIMULATED_ENDPOINT = "simulated"
# CPU and GPU targets are percent of one instance (metric math divides by the count): any count simulates the same.
ANY_HARDWARE = Hardware(vcpus=1, gpus=1)


def variant_from_profile(text: str, name: str, settings: Settings, variant: str = "AllTraffic") -> VariantSpec:
    """The spec the controller would build for an instance variant opted in with this profile and no other tags.

    Raises ConfigError (every problem with its source) when the profile is invalid.
    """
    profile = parse_profile(text, f"profile {name}")
    return _spec(profile, settings, variant)


def _spec(profile: Profile, settings: Settings, variant: str) -> VariantSpec:
    tags = {tag_key(settings.tag_prefix, "profile"): "simulated"}
    desired = desire_offline(
        profile, tags, settings, (variant,), "ml.m5.large", lambda _: ANY_HARDWARE, SIMULATED_ENDPOINT
    )
    spec = desired.spec.variant(variant)
    if spec is None:
        raise ConfigError([Problem(profile.source, f"configures no variant {variant}")])
    return spec


def variant_from_endpoint(name: str, variant: str, deps: Deps) -> VariantSpec:
    """The effective configuration of an endpoint's variant (its tags and profile), read through the library."""
    found = evaluate(name, deps)
    if found.endpoint is None:
        raise SimulationError(f"endpoint {name} does not exist")
    if found.error is not None:
        raise found.error
    assert found.desired is not None
    spec = found.desired.spec.variant(variant)
    if spec is None:
        raise SimulationError(f"endpoint {name} has no managed variant {variant} (is it opted in?)")
    if spec.kind is not VariantKind.INSTANCE:
        raise SimulationError(f"{name}/{variant} is a {spec.kind} variant: only instance variants are simulated")
    return spec
