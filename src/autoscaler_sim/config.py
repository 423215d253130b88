"""The variant configuration to simulate: a profile file, or an endpoint's effective configuration, as the controller
itself builds it (``autoscaler.sources.desire``), so that what is simulated is what would be applied.

The desired state of a made-up endpoint (``desire_offline``) and the stack's default profile are also what the CLI's
``validate`` checks tags and profiles with (``autoscaler_cli.checks``): the CLI builds on the simulator, never the
other way round. Neither is in the Lambda layer, whose functions read the default profile from SSM and only ever
desire real endpoints."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from autoscaler.errors import ConfigError, Problem
from autoscaler.profiles import Profile, parse_profile
from autoscaler.reconciler import Deps, evaluate
from autoscaler.settings import Settings
from autoscaler.sources import Desired, desire
from autoscaler.spec import VariantKind, VariantSpec
from autoscaler.state import EndpointInfo, Hardware, VariantInfo
from autoscaler.tags import OPT_IN, ProfileRef, tag_key
from autoscaler_sim.engine import SimulationError

# The profile the stack creates with its default parameters (template.yaml DefaultProfile), which are the AWS post's
# example values: target tracking on SageMakerVariantInvocationsPerInstance at 70, min 1, max 4. What tags are checked
# against offline when no profile file is given, what the simulator runs without one, the recommender's baseline.
STACK_DEFAULT_PROFILE = '{"version":1,"min":1,"max":4,"target_tracking":[{"metric":"invocations","target":70}]}'

SIMULATED_ENDPOINT = "simulated"
# CPU and GPU targets are percent of one instance (metric math divides by the count): any count simulates the same.
ANY_HARDWARE = Hardware(vcpus=1, gpus=1)


def desire_offline(
    profile: Profile | None,
    tags: Mapping[str, str],
    settings: Settings,
    variants: Sequence[str],
    instance_type: str,
    hardware: Callable[[str], Hardware | None],
    endpoint: str = "endpoint",
) -> Desired:
    """What the controller would desire for a made-up InService endpoint with these instance variants, opted in
    unless ``tags`` say otherwise, whose every profile reference is ``profile`` (None: a reference is an error).

    Raises ConfigError (every problem with its source) as ``desire`` does."""
    info = EndpointInfo(
        endpoint,
        f"arn:aws:sagemaker:::endpoint/{endpoint}",
        "InService",
        "config",
        tuple(VariantInfo(v, VariantKind.INSTANCE, instance_type) for v in variants),
    )

    def load(ref: ProfileRef) -> Profile:
        if profile is None:
            raise ConfigError([Problem(f"profile {ref.name}", "not given: pass --profile-file to check it")])
        return profile

    effective = {tag_key(settings.tag_prefix, OPT_IN): "true", **tags}
    return desire(info, effective, settings, profiles=load, hardware=hardware)


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
