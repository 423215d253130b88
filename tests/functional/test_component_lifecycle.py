"""An inference component through its lifecycle, on moto with the fidelity layer and a clock that moves only
when told to, so a component stays Creating or Updating for as long as a test needs.

A component that is not InService is left exactly as it is: Application Auto Scaling puts it in Updating whenever it
changes the copy count (UpdateInferenceComponentRuntimeConfig), so a reconcile then must neither write its
configuration (it cannot be registered) nor remove it. A Failed or deleted one loses what the controller owns for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws
from moto.sagemaker.models import sagemaker_backends

from autoscaler.aws import Aws
from autoscaler.reconciler import Outcome, Status
from autoscaler.settings import Settings
from localaws import fidelity
from localaws.calls import CallCounter
from localaws.fidelity import FidelityConfig, sagemaker
from localaws.seed import VariantSeed, create_endpoint, create_inference_component, set_tags

from .conftest import COMPONENT_TAGS, DEFAULT_PROFILE, FakeClock, World

TRANSITION_SECONDS = 60.0
ACCOUNT, REGION = "123456789012", "us-east-1"
ALARM_PREFIX = "autoscaler/llm-host/llm/"


@dataclass
class Host:
    """The endpoint llm-host (one instance variant, opted in with `inference-components=true`) and its clock."""

    world: World
    clock: FakeClock

    @property
    def sagemaker(self) -> Any:
        return self.world.aws.sagemaker

    def settle(self) -> None:
        self.clock.now += TRANSITION_SECONDS

    def status(self, component: str = "llm") -> str:
        return str(
            self.sagemaker.describe_inference_component(InferenceComponentName=component)["InferenceComponentStatus"]
        )

    def add_component(self, name: str = "llm", **tags: str) -> str:
        return create_inference_component(self.sagemaker, name, "llm-host", tags={**COMPONENT_TAGS, **tags})

    def reconcile(self) -> Outcome:
        self.world.counter.reset()
        return self.world.reconcile("llm-host")

    def scale(self, copies: int, component: str = "llm") -> None:
        """What Application Auto Scaling does to change the copy count; the component goes Updating."""
        self.sagemaker.update_inference_component_runtime_config(
            InferenceComponentName=component, DesiredRuntimeConfig={"CopyCount": copies}
        )

    def configuration(self, component: str = "llm") -> dict[str, Any]:
        """Everything Application Auto Scaling and CloudWatch hold for the component."""
        aws = self.world.aws
        scope = {"ServiceNamespace": "sagemaker", "ResourceIds": [f"inference-component/{component}"]}
        targets = aws.autoscaling.describe_scalable_targets(**scope)["ScalableTargets"]
        policies = aws.autoscaling.describe_scaling_policies(
            ServiceNamespace="sagemaker", ResourceId=f"inference-component/{component}"
        )["ScalingPolicies"]
        alarms = aws.cloudwatch.describe_alarms(AlarmNamePrefix=f"autoscaler/llm-host/{component}/")["MetricAlarms"]
        return {
            "targets": [(t["MinCapacity"], t["MaxCapacity"]) for t in targets],
            "policies": sorted((p["PolicyName"], p["PolicyType"], p["PolicyARN"]) for p in policies),
            "alarms": [(a["AlarmName"], a["MetricName"], a["AlarmActions"]) for a in alarms],
        }

    def component_writes(self, outcome: Outcome, component: str = "llm") -> list[str]:
        return [
            a.describe()
            for a in outcome.actions
            if f"inference-component/{component}" in a.subject or f"llm-host/{component}/" in a.subject
        ]


@pytest.fixture
def host(library_aws: Aws) -> Iterator[Host]:
    clock = FakeClock()
    with mock_aws(), fidelity.fidelity(FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=clock)):
        counter = CallCounter(*library_aws.clients)
        world = World(library_aws, Settings(max_capacity_ceiling=20), counter, "", None)
        world.profile("default", DEFAULT_PROFILE)
        world.arns["llm-host"] = create_endpoint(
            library_aws.sagemaker,
            "llm-host",
            (VariantSeed("AllTraffic", "ml.g4dn.12xlarge"),),
            {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"},
        )
        found = Host(world, clock)
        found.settle()
        try:
            yield found
        finally:
            for client in library_aws.clients:
                client.meta.events.unregister("before-call", counter._count)


@pytest.fixture
def configured(host: Host) -> dict[str, Any]:
    """llm InService and configured: its target [0..4], a target-tracking and a step policy, the alarm."""
    host.add_component()
    host.settle()
    assert host.reconcile().status is Status.APPLIED
    configuration = host.configuration()
    assert configuration["targets"] == [(0, 4)]
    assert [(name, kind) for name, kind, _ in configuration["policies"]] == [
        ("autoscaler-llm-concurrency", "TargetTrackingScaling"),
        ("autoscaler-llm-step-scale-from-zero", "StepScaling"),
    ]
    step_arn = configuration["policies"][1][2]
    assert configuration["alarms"] == [(f"{ALARM_PREFIX}scale-from-zero", "NoCapacityInvocationFailures", [step_arn])]
    return configuration


def test_reconcile_during_a_scaling_activity_keeps_the_components_autoscaling(
    host: Host, configured: dict[str, Any]
) -> None:
    # Given llm configured; when Application Auto Scaling changes its copy count, it is Updating
    host.scale(2)
    assert host.status() == "Updating"

    # When the endpoint is reconciled meanwhile
    outcome = host.reconcile()

    # Then nothing is written, the target, both policies and the alarm stay, and the outcome says why
    assert (outcome.status, outcome.actions, host.world.writes()) == (Status.UNCHANGED, (), {})
    assert host.configuration() == configured
    (warning,) = [w for w in outcome.warnings if w.source == "inference component llm" and "InService" in w.message]
    assert warning.message.startswith("is Updating, not InService: left as it is")
    assert outcome.notes == (
        "inference-component/llm is Updating, not InService: left as it is, nothing written (target kept with 2 "
        "owned policies and 0 owned scheduled actions, 1 owned alarm(s) kept)",
    )

    # And once it is InService again, a reconcile has nothing to do
    host.settle()
    assert host.status() == "InService"
    outcome = host.reconcile()
    assert (outcome.status, outcome.actions, host.world.writes()) == (Status.UNCHANGED, (), {})
    assert host.configuration() == configured


def test_a_change_made_while_the_component_is_updating_waits_for_in_service_and_the_rest_goes_ahead(
    host: Host, configured: dict[str, Any]
) -> None:
    # Given llm Updating, a second component InService and unconfigured, and a new max for llm and for the endpoint
    host.add_component("chat", **{"autoscaling:min": "1"})
    host.settle()
    host.scale(3)
    arn = host.sagemaker.describe_inference_component(InferenceComponentName="llm")["InferenceComponentArn"]
    set_tags(host.sagemaker, arn, {"autoscaling:max": "6"})
    set_tags(host.sagemaker, host.world.arns["llm-host"], {"autoscaling:max": "5"})

    # When reconciled while llm is Updating
    outcome = host.reconcile()

    # Then the variant and the other component are reconciled, and nothing is written for llm
    assert outcome.status is Status.APPLIED
    assert host.component_writes(outcome) == []
    assert host.configuration() == configured
    assert host.world.targets("llm-host") == {"AllTraffic": (1, 5)}
    assert host.configuration("chat")["targets"] == [(1, 4)]

    # And llm gets its new max once it is InService
    host.settle()
    outcome = host.reconcile()
    assert [a.describe() for a in outcome.actions] == [
        "RegisterTarget inference-component/llm [0..6]: max 4 -> 6",
    ]
    assert host.configuration()["targets"] == [(0, 6)]


def test_creating_component_gets_nothing_until_it_is_in_service(host: Host) -> None:
    host.add_component()
    assert host.status() == "Creating"

    outcome = host.reconcile()

    assert outcome.status is Status.APPLIED  # the variant
    assert host.component_writes(outcome) == []
    assert host.configuration() == {"targets": [], "policies": [], "alarms": []}
    assert outcome.notes == (
        "inference-component/llm is Creating, not InService: left as it is, nothing written (target not registered, "
        "0 owned alarm(s) kept)",
    )

    host.settle()
    outcome = host.reconcile()
    assert [a.verb for a in outcome.actions] == [
        "RegisterTarget",
        "PutTargetTrackingPolicy",
        "PutStepScalingPolicy",
        "PutAlarm",
    ]
    assert host.configuration()["targets"] == [(0, 4)]
    assert host.reconcile().status is Status.UNCHANGED


def test_failed_component_loses_what_the_controller_owns_for_it(host: Host, configured: dict[str, Any]) -> None:
    # The fidelity layer does not model failures: set the status DescribeInferenceComponent would report.
    sagemaker._components(sagemaker_backends[ACCOUNT][REGION])["llm"].status = "Failed"

    outcome = host.reconcile()

    assert host.component_writes(outcome) == [
        "DeregisterTarget inference-component/llm: no longer managed; deregistering deletes its policies and schedules",
        f"DeleteAlarms {ALARM_PREFIX}scale-from-zero: owned alarm without a desired step policy",
    ]
    assert host.configuration() == {"targets": [], "policies": [], "alarms": []}
    (warning,) = [w for w in outcome.warnings if w.source == "inference component llm"]
    assert warning.message == "is Failed: no longer managed, what the controller owns for it is removed"


def test_deleted_component_loses_its_alarm(host: Host, configured: dict[str, Any]) -> None:
    # DeleteInferenceComponent: AAS deregisters the target (fidelity layer), the step-scaling alarm is left behind
    host.sagemaker.delete_inference_component(InferenceComponentName="llm")
    assert host.configuration()["alarms"] == configured["alarms"]

    outcome = host.reconcile()

    assert [a.describe() for a in outcome.actions] == [
        f"DeleteAlarms {ALARM_PREFIX}scale-from-zero: owned alarm without a desired step policy"
    ]
    assert host.configuration() == {"targets": [], "policies": [], "alarms": []}
