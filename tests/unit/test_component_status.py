"""What a reconcile does with a managed inference component in each InferenceComponentStatus AWS defines: desire()
then plan(), on plain data, against the configuration the controller made for it while it was InService."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import botocore.session
import pytest

from autoscaler.planner import plan
from autoscaler.profiles import Profile, parse_profile
from autoscaler.settings import Settings
from autoscaler.sources import COMPONENT_GONE, desire
from autoscaler.spec import EndpointSpec, TargetKey, VariantKind
from autoscaler.state import (
    AlarmState,
    ComponentInfo,
    EndpointInfo,
    PolicyState,
    ScalingState,
    TargetState,
    VariantInfo,
)
from autoscaler.tags import ProfileRef

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = Settings(max_capacity_ceiling=20)
PROFILE = {
    "version": 1,
    "min": 1,
    "max": 4,
    "target_tracking": [{"metric": "invocations", "target": 70}],
    "inference_components": {
        "llm": {"min": 0, "max": 4, "target_tracking": [{"metric": "concurrency", "target": 3}]}  # scales to zero
    },
}
TAGS = {"autoscaling:enabled": "true", "autoscaling:profile": "p"}
COMPONENT = TargetKey.for_variant("ep", "llm", VariantKind.INFERENCE_COMPONENT)


def profiles(_: ProfileRef) -> Profile:
    return parse_profile(json.dumps(PROFILE), "profile p")


def host(status: str) -> EndpointInfo:
    arn = "arn:aws:sagemaker:us-east-1:123456789012:inference-component/llm"
    return EndpointInfo(
        "ep",
        "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep",
        "InService",
        "cfg",
        (VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.g5.12xlarge"),),
        components=(ComponentInfo("llm", arn, "AllTraffic", status),),
    )


def configured() -> ScalingState:
    """What AWS holds after the reconcile that configured the endpoint while the component was InService."""
    spec = desire(host("InService"), TAGS, SETTINGS, profiles=profiles, hardware=lambda _: None).spec
    targets, alarms = [], []
    for v in spec.variants:
        tracking = [PolicyState(p.name, "TargetTrackingScaling", f"arn:{p.name}", True, p) for p in v.policies]
        steps = [PolicyState(p.name, "StepScaling", f"arn:{p.name}", True, None, p) for p, _ in v.step_policies]
        targets.append(TargetState(v.target, v.min_capacity, v.max_capacity, v.suspended, (*tracking, *steps)))
        alarms += [AlarmState(a.name, a, (f"arn:{p.name}",)) for p, a in v.step_policies]
    state = ScalingState("ep", tuple(targets), tuple(alarms))
    assert plan(spec, state, NOW).actions == ()  # converged
    assert state.target(COMPONENT) is not None
    assert "autoscaler/ep/llm/scale-from-zero" in {a.name for a in state.alarms}
    return state


def decide(status: str) -> tuple[EndpointSpec, list[str]]:
    desired = desire(host(status), TAGS, SETTINGS, profiles=profiles, hardware=lambda _: None)
    return desired.spec, [a.describe() for a in plan(desired.spec, configured(), NOW).actions]


def test_every_status_aws_defines_has_a_decision() -> None:
    # A status AWS adds later is held (the safe default), but should get a decision of its own: this fails then.
    model = botocore.session.get_session().get_service_model("sagemaker")
    assert set(model.shape_for("InferenceComponentStatus").enum) == {"InService", "Creating", "Updating"} | set(
        COMPONENT_GONE
    )


def test_in_service_component_is_configured() -> None:
    spec, actions = decide("InService")
    assert (COMPONENT in {v.target for v in spec.variants}, actions) == (True, [])


@pytest.mark.parametrize("status", ["Creating", "Updating", "SomethingNew"])
def test_component_in_transition_keeps_everything(status: str) -> None:
    spec, actions = decide(status)
    assert [h.target for h in spec.held] == [COMPONENT]
    assert actions == []


@pytest.mark.parametrize("status", sorted(COMPONENT_GONE))
def test_deleting_or_failed_component_loses_what_the_controller_owns_for_it(status: str) -> None:
    spec, actions = decide(status)
    assert spec.held == ()
    assert actions == [
        "DeregisterTarget inference-component/llm: no longer managed; deregistering deletes its policies and schedules",
        "DeleteAlarms autoscaler/ep/llm/scale-from-zero: owned alarm without a desired step policy",
    ]


def test_component_gone_from_the_listing_loses_its_alarms() -> None:
    # Deleted: ListInferenceComponents no longer shows it, AAS deregistered its target, its alarm is left behind.
    state = configured()
    state = replace(state, targets=tuple(t for t in state.targets if t.key != COMPONENT))
    desired = desire(
        replace(host("InService"), components=()), TAGS, SETTINGS, profiles=profiles, hardware=lambda _: None
    )
    assert [a.describe() for a in plan(desired.spec, state, NOW).actions] == [
        "DeleteAlarms autoscaler/ep/llm/scale-from-zero: owned alarm without a desired step policy"
    ]
