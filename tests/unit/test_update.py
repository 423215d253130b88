"""plan_update: which autoscaled variants an endpoint update touches, and the release that must come first."""

from __future__ import annotations

from autoscaler.actions import DeleteAlarms, DeregisterTarget
from autoscaler.spec import SuspendedState, TargetKey, VariantKind
from autoscaler.state import AlarmState, PolicyState, ScalingState, TargetState
from autoscaler.update import plan_update


def config(name: str, **variants: str) -> dict[str, object]:
    return {
        "EndpointConfigName": name,
        "ProductionVariants": [{"VariantName": v, "InstanceType": t} for v, t in variants.items()],
    }


def target(variant: str, *policies: PolicyState) -> TargetState:
    return TargetState(TargetKey.for_variant("ep", variant, VariantKind.INSTANCE), 1, 4, SuspendedState(), policies)


def test_instance_type_change_and_removal_are_released_model_changes_are_not() -> None:
    actual = ScalingState(
        "ep",
        (target("A"), target("B"), target("C")),
        (AlarmState("autoscaler/ep/B/latency", None), AlarmState("autoscaler/ep/A/latency", None)),
    )
    planned = plan_update(
        "ep",
        config("old", A="ml.m5.large", B="ml.m5.large", C="ml.g5.xlarge"),
        config("new", A="ml.m5.large", C="ml.g5.2xlarge"),
        actual,
        "autoscaler",
    )
    assert planned.touched == (("B", "removed by the update"), ("C", "instance type ml.g5.xlarge -> ml.g5.2xlarge"))
    assert [type(a) for a in planned.release] == [DeregisterTarget, DeregisterTarget, DeleteAlarms]
    assert planned.release[-1].names == ("autoscaler/ep/B/latency",)
    assert planned.new_config == "new"


def test_nothing_to_release_when_only_models_change() -> None:
    actual = ScalingState("ep", (target("A"),))
    planned = plan_update("ep", config("old", A="ml.m5.large"), config("new", A="ml.m5.large"), actual, "autoscaler")
    assert not planned.needs_release


def test_hand_made_configuration_that_deregistration_deletes_is_named() -> None:
    hand = PolicyState("team-step", "StepScaling", "arn:x", owned=False)
    actual = ScalingState("ep", (target("A", hand),))
    planned = plan_update("ep", config("old", A="ml.m5.large"), config("new", A="ml.m5.xlarge"), actual, "autoscaler")
    assert planned.foreign == ("A/team-step",)
