"""The launcher serves moto over real HTTP with the fidelity rules in force, and stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from localaws import fidelity
from localaws.fidelity import FidelityConfig
from localaws.seed import create_endpoint
from localaws.server import LocalAws
from tests.functional.conftest import FakeClock
from tests.functional.test_fidelity import (
    TRANSITION_SECONDS,
    Aws,
    deregister,
    error_of,
    in_service_endpoint,
    put_policy,
    put_schedule,
    register,
)

pytestmark = pytest.mark.e2e

SRC = Path(__file__).resolve().parents[2] / "src"


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
    """The server thread reads the fake clock in this process."""
    clock = FakeClock()
    with LocalAws(config=FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=clock)) as local:
        yield local, Aws(local.client("sagemaker"), local.client("application-autoscaling"), clock)


@pytest.fixture
def aws(server: tuple[LocalAws, Aws]) -> Aws:
    """A clean server: moto's reset rebuilds the backends, and the rules (class-level patches) stay."""
    local, clients = server
    local.reset()
    return clients


def test_register_over_http_waits_for_the_endpoint_to_be_in_service(aws: Aws) -> None:
    create_endpoint(aws.sagemaker, "ep")

    creating = error_of(lambda: register(aws))
    aws.wait_transition()
    register(aws)

    assert (creating.code, creating.status) == ("ValidationException", 400)
    assert len(aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]) == 1


def test_register_over_http_rejects_an_endpoint_that_does_not_exist(aws: Aws) -> None:
    missing = error_of(lambda: register(aws, "endpoint/missing/variant/AllTraffic"))

    assert (missing.code, missing.status) == ("ValidationException", 400)


def test_policies_and_schedules_over_http_require_a_registered_target(aws: Aws) -> None:
    errors = [error_of(lambda: put_policy(aws)), error_of(lambda: put_schedule(aws))]

    assert [(error.code, error.status) for error in errors] == [("ObjectNotFoundException", 400)] * 2


def test_deregister_over_http_deletes_the_targets_policies_and_schedules(aws: Aws) -> None:
    in_service_endpoint(aws)
    register(aws)
    put_policy(aws)
    put_schedule(aws)

    deregister(aws)
    again = error_of(lambda: deregister(aws))

    assert aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"] == []
    assert aws.autoscaling.describe_scheduled_actions(ServiceNamespace="sagemaker")["ScheduledActions"] == []
    assert (again.code, again.status) == ("ObjectNotFoundException", 400)


def test_update_endpoint_is_served_over_http(aws: Aws) -> None:
    in_service_endpoint(aws)

    aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep")

    assert aws.sagemaker.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "Updating"


def test_inference_components_are_served_over_http(aws: Aws) -> None:
    in_service_endpoint(aws)
    arn = aws.sagemaker.create_inference_component(
        InferenceComponentName="ic",
        EndpointName="ep",
        VariantName="AllTraffic",
        Specification={"ModelName": "ep-AllTraffic", "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
        RuntimeConfig={"CopyCount": 2},
        Tags=[{"Key": "autoscaling:enabled", "Value": "true"}],
    )["InferenceComponentArn"]

    def register_copies() -> None:
        register(aws, "inference-component/ic", "sagemaker:inference-component:DesiredCopyCount", minimum=0)

    assert aws.sagemaker.describe_inference_component(InferenceComponentName="ic")["InferenceComponentStatus"] == (
        "Creating"
    )
    creating = error_of(register_copies)
    assert (creating.code, creating.status) == ("ValidationException", 400)
    aws.wait_transition()
    register_copies()
    aws.sagemaker.update_inference_component_runtime_config(
        InferenceComponentName="ic", DesiredRuntimeConfig={"CopyCount": 3}
    )
    aws.wait_transition()
    pages = aws.sagemaker.get_paginator("list_inference_components").paginate(EndpointNameEquals="ep")

    assert [c["InferenceComponentArn"] for page in pages for c in page["InferenceComponents"]] == [arn]
    assert aws.sagemaker.describe_inference_component(InferenceComponentName="ic")["RuntimeConfig"] == {
        "DesiredCopyCount": 3,
        "CurrentCopyCount": 3,
    }
    assert aws.sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "autoscaling:enabled", "Value": "true"}]
    aws.sagemaker.delete_inference_component(InferenceComponentName="ic")
    assert aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"] == []
    deleted = error_of(lambda: aws.sagemaker.describe_inference_component(InferenceComponentName="ic"))
    assert (deleted.code, deleted.status) == ("ValidationException", 400)
