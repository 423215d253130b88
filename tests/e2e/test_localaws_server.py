"""The launcher serves moto over real HTTP with the fidelity rules in force, and stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from localaws import fidelity
from localaws.fidelity import FidelityConfig
from localaws.seed import create_endpoint
from localaws.server import LocalAws

pytestmark = pytest.mark.e2e

TRANSITION_SECONDS = 60.0
RESOURCE_ID = "endpoint/ep/variant/AllTraffic"
INSTANCES = "sagemaker:variant:DesiredInstanceCount"
SRC = Path(__file__).resolve().parents[2] / "src"


class FakeClock:
    """A clock that only moves when told to; the server thread reads it in this process."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Aws:
    sagemaker: Any
    autoscaling: Any
    clock: FakeClock


def port_is_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


# --- the launcher ---------------------------------------------------------------------------------------------------


def test_launcher_serves_on_a_free_port_and_closes_it_on_exit() -> None:
    installed_before = fidelity.installed()

    with LocalAws() as aws:
        assert aws.endpoint_url == f"http://127.0.0.1:{aws.port}"
        assert port_is_open(aws.port)
        assert fidelity.installed()
        assert aws.client("sagemaker").list_endpoints()["Endpoints"] == []

    assert not port_is_open(aws.port)
    assert fidelity.installed() == installed_before


@pytest.mark.parametrize("interruption", [RuntimeError, KeyboardInterrupt])
def test_launcher_stops_cleanly_when_the_block_is_interrupted(interruption: type[BaseException]) -> None:
    installed_before = fidelity.installed()
    launcher = LocalAws()

    with pytest.raises(interruption), launcher:
        raise interruption

    assert not port_is_open(launcher.port)
    assert fidelity.installed() == installed_before


def test_launcher_refuses_a_port_in_use() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        installed_before = fidelity.installed()

        with pytest.raises(OSError, match="in use"), LocalAws(port=busy.getsockname()[1]):
            pass

    assert fidelity.installed() == installed_before


def test_command_line_serves_until_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        [sys.executable, "-m", "localaws.server", "--transition-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        port = int(url.rsplit(":", 1)[1])
        assert port_is_open(port)

        process.send_signal(signal.SIGTERM)

        assert process.wait(timeout=10) == 0
        assert not port_is_open(port)
    finally:
        process.kill()
        process.wait()


# --- the rules over HTTP --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[LocalAws, Aws]]:
    clock = FakeClock()
    with LocalAws(config=FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=clock)) as local:
        yield local, Aws(local.client("sagemaker"), local.client("application-autoscaling"), clock)


@pytest.fixture
def aws(server: tuple[LocalAws, Aws]) -> Aws:
    """A clean server: moto's reset rebuilds the backends, and the rules (class-level patches) stay."""
    local, clients = server
    local.reset()
    return clients


def error_code(call: Any, **kwargs: Any) -> tuple[str, int]:
    with pytest.raises(ClientError) as raised:
        call(**kwargs)
    return raised.value.response["Error"]["Code"], raised.value.response["ResponseMetadata"]["HTTPStatusCode"]


def register(resource_id: str = RESOURCE_ID) -> dict[str, Any]:
    return {**target(resource_id), "MinCapacity": 1, "MaxCapacity": 4}


def target(resource_id: str = RESOURCE_ID) -> dict[str, str]:
    return {"ServiceNamespace": "sagemaker", "ResourceId": resource_id, "ScalableDimension": INSTANCES}


POLICY = {
    "PolicyName": "invocations",
    "PolicyType": "TargetTrackingScaling",
    "TargetTrackingScalingPolicyConfiguration": {
        "TargetValue": 70.0,
        "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
    },
}
SCHEDULE = {
    "ScheduledActionName": "nightly",
    "Schedule": "cron(0 22 * * ? *)",
    "ScalableTargetAction": {"MinCapacity": 1, "MaxCapacity": 1},
}


def in_service_endpoint(aws: Aws) -> None:
    create_endpoint(aws.sagemaker, "ep")
    aws.clock.now += TRANSITION_SECONDS


def test_register_over_http_waits_for_the_endpoint_to_be_in_service(aws: Aws) -> None:
    create_endpoint(aws.sagemaker, "ep")

    assert error_code(aws.autoscaling.register_scalable_target, **register()) == ("ValidationException", 400)
    aws.clock.now += TRANSITION_SECONDS
    aws.autoscaling.register_scalable_target(**register())

    assert len(aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]) == 1


def test_register_over_http_rejects_an_endpoint_that_does_not_exist(aws: Aws) -> None:
    call = aws.autoscaling.register_scalable_target
    assert error_code(call, **register("endpoint/missing/variant/AllTraffic")) == ("ValidationException", 400)


def test_policies_and_schedules_over_http_require_a_registered_target(aws: Aws) -> None:
    assert error_code(aws.autoscaling.put_scaling_policy, **target(), **POLICY) == ("ObjectNotFoundException", 400)
    assert error_code(aws.autoscaling.put_scheduled_action, **target(), **SCHEDULE) == ("ObjectNotFoundException", 400)


def test_deregister_over_http_deletes_the_targets_policies_and_schedules(aws: Aws) -> None:
    in_service_endpoint(aws)
    aws.autoscaling.register_scalable_target(**register())
    aws.autoscaling.put_scaling_policy(**target(), **POLICY)
    aws.autoscaling.put_scheduled_action(**target(), **SCHEDULE)

    aws.autoscaling.deregister_scalable_target(**target())

    assert aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"] == []
    assert aws.autoscaling.describe_scheduled_actions(ServiceNamespace="sagemaker")["ScheduledActions"] == []
    assert error_code(aws.autoscaling.deregister_scalable_target, **target()) == ("ObjectNotFoundException", 400)


def test_update_endpoint_is_served_over_http(aws: Aws) -> None:
    in_service_endpoint(aws)

    aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep")

    assert aws.sagemaker.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Updating"


def test_inference_components_are_served_over_http(aws: Aws) -> None:
    in_service_endpoint(aws)
    copies = {
        "ServiceNamespace": "sagemaker",
        "ResourceId": "inference-component/ic",
        "ScalableDimension": "sagemaker:inference-component:DesiredCopyCount",
    }
    arn = aws.sagemaker.create_inference_component(
        InferenceComponentName="ic",
        EndpointName="ep",
        VariantName="AllTraffic",
        Specification={"ModelName": "ep-AllTraffic", "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
        RuntimeConfig={"CopyCount": 2},
        Tags=[{"Key": "autoscaling:enabled", "Value": "true"}],
    )["InferenceComponentArn"]

    assert aws.sagemaker.describe_inference_component(InferenceComponentName="ic")["InferenceComponentStatus"] == (
        "Creating"
    )
    assert error_code(aws.autoscaling.register_scalable_target, **copies, MinCapacity=0, MaxCapacity=4) == (
        "ValidationException",
        400,
    )
    aws.clock.now += TRANSITION_SECONDS
    aws.autoscaling.register_scalable_target(**copies, MinCapacity=0, MaxCapacity=4)
    aws.sagemaker.update_inference_component_runtime_config(
        InferenceComponentName="ic", DesiredRuntimeConfig={"CopyCount": 3}
    )
    aws.clock.now += TRANSITION_SECONDS
    pages = aws.sagemaker.get_paginator("list_inference_components").paginate(EndpointNameEquals="ep")

    assert [c["InferenceComponentArn"] for page in pages for c in page["InferenceComponents"]] == [arn]
    assert aws.sagemaker.describe_inference_component(InferenceComponentName="ic")["RuntimeConfig"] == {
        "DesiredCopyCount": 3,
        "CurrentCopyCount": 3,
    }
    assert aws.sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "autoscaling:enabled", "Value": "true"}]
    aws.sagemaker.delete_inference_component(InferenceComponentName="ic")
    assert aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"] == []
    assert error_code(aws.sagemaker.describe_inference_component, InferenceComponentName="ic") == (
        "ValidationException",
        400,
    )
