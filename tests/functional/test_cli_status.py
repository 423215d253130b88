"""`sagemaker-autoscaler status` in-process (click's runner) on moto with the fidelity layer and a clock that moves only
when told to, so an inference component stays Updating (as every scaling activity leaves it) for as long as a test
needs. The CLI over HTTP is in tests/e2e/test_cli.py."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from moto import mock_aws

from autoscaler.aws import Aws
from autoscaler.reconciler import Deps, Status, reconcile_endpoint
from autoscaler.settings import Settings
from autoscaler_cli.main import cli
from localaws import fidelity
from localaws.fidelity import FidelityConfig
from localaws.seed import VariantSeed, create_endpoint, create_inference_component

from .conftest import DEFAULT_PROFILE, PROFILE_PREFIX, FakeClock

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
