"""The CLI in-process (click's runner) on moto with the fidelity layer: `status` with a clock that moves only when told
to, so an inference component stays Updating (as every scaling activity leaves it) for as long as a test needs; and
`update-endpoint` when a reconcile races it, with botocore hooks. The CLI over HTTP is in tests/e2e/test_cli.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner
from moto import mock_aws

from autoscaler.aws import Aws
from autoscaler.errors import AwsError
from autoscaler.reconciler import Deps, Status, reconcile_endpoint
from autoscaler.settings import Settings
from autoscaler_cli.app import App
from autoscaler_cli.main import cli, update_endpoint
from autoscaler_cli.render import Output
from localaws import fidelity
from localaws.fidelity import FidelityConfig
from localaws.seed import VariantSeed, create_endpoint, create_inference_component

from .conftest import BASE_TAGS, DEFAULT_PROFILE, PROFILE_PREFIX, FakeClock, World

TRANSITION_SECONDS = 60.0
COMPONENT_TAGS = {
    "autoscaling:enabled": "true",
    "autoscaling:min": "0",
    "autoscaling:max": "4",
    "autoscaling:target-concurrency": "3",
}


@pytest.fixture
def updating(library_aws: Aws) -> Iterator[None]:
    """llm-host's component llm, configured (target 0..4, two policies, the scale-from-zero alarm), then Updating
    because its copy count is being changed (what Application Auto Scaling does)."""
    clock = FakeClock()
    with mock_aws(), fidelity.fidelity(FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=clock)):
        library_aws.ssm.put_parameter(
            Name=f"{PROFILE_PREFIX}/default", Value=json.dumps(DEFAULT_PROFILE), Type="String"
        )
        sagemaker = library_aws.sagemaker
        create_endpoint(
            sagemaker,
            "llm-host",
            (VariantSeed("AllTraffic", "ml.g4dn.12xlarge"),),
            {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"},
        )
        clock.now += TRANSITION_SECONDS
        create_inference_component(sagemaker, "llm", "llm-host", tags=COMPONENT_TAGS)
        clock.now += TRANSITION_SECONDS
        assert reconcile_endpoint("llm-host", Deps(Settings(), library_aws)).status is Status.APPLIED
        sagemaker.update_inference_component_runtime_config(
            InferenceComponentName="llm", DesiredRuntimeConfig={"CopyCount": 2}
        )
        yield


def status(*args: str) -> Any:
    result = CliRunner(env={"COLUMNS": "250"}).invoke(cli, [*args, "status", "llm-host"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.usefixtures("updating")
def test_status_shows_a_component_in_transition_as_held_with_its_configuration() -> None:
    # when
    (entry,) = json.loads(status("--json"))

    # then the component is managed but held, and what the controller configured on it is still there
    (component,) = entry["components"]
    assert (component["status"], component["managed"]) == ("Updating", True)
    assert component["held"] == "is Updating, not InService"
    assert component["bounds"] == [0, 4]
    assert [p["name"] for p in component["policies"]] == [
        "autoscaler-llm-concurrency",
        "autoscaler-llm-step-scale-from-zero",
    ]
    assert [a["name"] for a in entry["alarms"]] == ["autoscaler/llm-host/llm/scale-from-zero"]
    assert entry["pending"] == []
    assert "held: is Updating, not InService" in status()


# ---------------------------------------------------------------------------------------------------- update-endpoint


@pytest.fixture
def autoscaled(world: World) -> World:
    """Endpoint ep, autoscaled on ml.m5.large, and the endpoint config ep-bigger moving it to ml.m5.xlarge."""
    world.endpoint("ep", BASE_TAGS)
    assert world.reconcile("ep").status is Status.APPLIED
    world.aws.sagemaker.create_endpoint_config(
        EndpointConfigName="ep-bigger",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "ep-AllTraffic",
                "InstanceType": "ml.m5.xlarge",
                "InitialInstanceCount": 1,
                "InitialVariantWeight": 1.0,
            }
        ],
    )
    world.counter.reset()
    return world


@contextmanager
def update_refused(world: World, racing: bool) -> Iterator[list[str]]:
    """The first UpdateEndpoint is refused with a ValidationException whose text is not the fidelity layer's (AWS
    documents none); with ``racing``, a reconcile registers ep's target again just before (the race the command
    retries). Yields the UpdateEndpoint calls made."""
    calls: list[str] = []

    def hook(params: dict[str, Any], **_: Any) -> None:
        calls.append(str(params["body"]))
        if len(calls) > 1:
            return
        if racing:
            assert world.reconcile("ep").status is Status.APPLIED
        raise ClientError({"Error": {"Code": "ValidationException", "Message": "refused"}}, "UpdateEndpoint")

    events = world.aws.sagemaker.meta.events
    events.register("before-call.sagemaker.UpdateEndpoint", hook)
    try:
        yield calls
    finally:
        events.unregister("before-call.sagemaker.UpdateEndpoint", hook)


def run_update(world: World) -> Any:
    app = App(world.settings, Output(as_json=False), lambda: world.aws)
    return CliRunner(env={"COLUMNS": "250"}).invoke(update_endpoint, ["ep", "ep-bigger", "--no-wait"], obj=app)


def test_update_endpoint_releases_again_and_retries_when_a_reconcile_registered_the_target_meanwhile(
    autoscaled: World,
) -> None:
    # when
    with update_refused(autoscaled, racing=True) as calls:
        result = run_update(autoscaled)

    # then the second UpdateEndpoint, after the second release, goes through
    assert result.exit_code == 0, result.output
    assert len(calls) == 2
    assert "ep: update refused; 1 release(s) to make again, then retrying" in result.output
    endpoint = autoscaled.aws.sagemaker.describe_endpoint(EndpointName="ep")
    assert (endpoint["EndpointStatus"], endpoint["EndpointConfigName"]) == ("InService", "ep-bigger")
    assert autoscaled.targets("ep") == {}  # the IN_SERVICE event (or the sweep) registers it again


def test_update_endpoint_raises_a_refusal_with_nothing_left_to_release(autoscaled: World) -> None:
    # when the update is refused for another reason
    with update_refused(autoscaled, racing=False) as calls:
        result = run_update(autoscaled)

    # then it is not retried: the error surfaces (the console script makes it exit code 3)
    assert isinstance(result.exception, AwsError)
    assert len(calls) == 1
    assert autoscaled.aws.sagemaker.describe_endpoint(EndpointName="ep")["EndpointConfigName"] == "ep"


def test_update_endpoint_reads_each_endpoint_config_once(autoscaled: World) -> None:
    result = run_update(autoscaled)
    assert result.exit_code == 0, result.output
    assert autoscaled.counter.calls[("sagemaker", "DescribeEndpointConfig")] == 2  # the current one and the new one
