"""Scale to zero on an endpoint hosting inference components: copies at 0 free the instances only when the hosting
variant's managed instance scaling may take them to 0 (SageMaker Developer Guide, Scale an endpoint to zero
instances). The reconcile warns otherwise, `status` shows it, and reading the setting costs no call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from autoscaler.aws import EndpointSummary, endpoint_version
from autoscaler.reconciler import Status
from autoscaler.state import ManagedInstanceScaling
from autoscaler_cli.main import cli
from localaws.seed import VariantSeed, create_endpoint, create_inference_component

from .conftest import COMPONENT_TAGS, World

# The host leaves its variant's instances to SageMaker; only the component's copies are autoscaled.
HOST_TAGS = {
    "autoscaling:enabled": "true",
    "autoscaling:inference-components": "true",
    "autoscaling:AllTraffic:enabled": "false",
}
WARNING = (
    "can scale to 0 copies, but the instances of variant AllTraffic cannot (managed instance scaling is off): at 0 "
    "copies they keep running and cost money; set ManagedInstanceScaling Status ENABLED and MinInstanceCount 0 on "
    "variant AllTraffic in the endpoint config of llm-host, or a min of at least 1 for the component"
)


def host(world: World, scaling: tuple[int, int] | None, component_tags: dict[str, str] = COMPONENT_TAGS) -> None:
    """llm-host on one variant (managed instance scaling from ``scaling``: min, max instances), hosting llm."""
    sagemaker = world.aws.sagemaker
    seed = VariantSeed("AllTraffic", "ml.g4dn.12xlarge", managed_instance_scaling=scaling)
    create_endpoint(sagemaker, "llm-host", (seed,), HOST_TAGS)
    sagemaker.describe_endpoint(EndpointName="llm-host")  # InService (transition time 0)
    create_inference_component(sagemaker, "llm", "llm-host", tags=component_tags)
    world.counter.reset()


def scale_to_zero_warnings(warnings: Any) -> list[str]:
    return [str(w) for w in warnings if "0 copies" in str(w)]


def test_component_down_to_zero_copies_on_instances_that_cannot_reach_zero_is_configured_with_a_warning(
    world: World,
) -> None:
    # given a component with min 0 on a variant without managed instance scaling
    host(world, scaling=None)

    # when the host is reconciled
    outcome = world.reconcile("llm-host")

    # then the component is configured all the same, and the outcome warns, naming the component and the variant
    assert outcome.status is Status.APPLIED, outcome.errors
    targets = world.aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert [(t["ResourceId"], t["MinCapacity"]) for t in targets] == [("inference-component/llm", 0)]
    assert scale_to_zero_warnings(outcome.warnings) == [f"inference component llm: {WARNING}"]
    assert scale_to_zero_warnings(outcome.to_dict()["warnings"]) == [f"inference component llm: {WARNING}"]


def test_component_down_to_zero_copies_on_instances_that_reach_zero_is_not_warned(world: World) -> None:
    # given the documented set-up: ManagedInstanceScaling ENABLED with MinInstanceCount 0 on the hosting variant
    host(world, scaling=(0, 2))

    # when
    outcome = world.reconcile("llm-host")

    # then
    assert outcome.status is Status.APPLIED, outcome.errors
    assert scale_to_zero_warnings(outcome.warnings) == []


def test_instances_kept_by_managed_instance_scaling_are_warned_with_its_min(world: World) -> None:
    host(world, scaling=(1, 2))
    (warning,) = scale_to_zero_warnings(world.reconcile("llm-host").warnings)
    assert "(managed instance scaling keeps MinInstanceCount 1)" in warning


def test_reading_managed_instance_scaling_costs_no_call_beyond_describe_endpoint(world: World) -> None:
    # given a host whose variant scales to zero instances
    host(world, scaling=(0, 2))

    # when a reconcile reads it (DescribeEndpoint only: no endpoint config is read for the setting)
    world.reconcile("llm-host")
    endpoint = world.aws.read_endpoint("llm-host", instance_types=False)

    # then
    assert endpoint is not None
    assert endpoint.variants[0].managed_instance_scaling == ManagedInstanceScaling("ENABLED", 0, 2)
    assert world.counter.calls[("sagemaker", "DescribeEndpointConfig")] == 0


def test_a_sweep_description_from_search_carries_managed_instance_scaling(world: World) -> None:
    # given two endpoints, so that one Search call describes them more cheaply than two DescribeEndpoint calls
    host(world, scaling=(0, 2))
    create_endpoint(world.aws.sagemaker, "other")
    world.aws.sagemaker.describe_endpoint(EndpointName="other")
    listed = [
        EndpointSummary(e["EndpointName"], e["EndpointArn"], e["EndpointStatus"], endpoint_version(e))
        for e in world.aws.sagemaker.list_endpoints()["Endpoints"]
    ]
    world.counter.reset()

    # when the sweep describes them
    found = world.aws.without_caches().describe_all_listed(listed)

    # then from the Search record alone
    assert found.searched == 2
    described = found.endpoints["llm-host"]
    assert described is not None
    assert described.variants[0].managed_instance_scaling == ManagedInstanceScaling("ENABLED", 0, 2)
    assert set(world.counter.calls) == {("sagemaker", "Search")}


@pytest.mark.parametrize(("scaling", "shown"), [(None, "off"), ((0, 2), "on, 0..2 instances")])
def test_status_shows_the_variants_managed_instance_scaling_and_the_warning(
    world: World, scaling: tuple[int, int] | None, shown: str
) -> None:
    # given a reconciled host
    host(world, scaling)
    world.reconcile("llm-host")

    # when
    runner = CliRunner(env={"COLUMNS": "400"})
    as_json = runner.invoke(cli, ["--json", "status", "llm-host"])
    human = runner.invoke(cli, ["status", "llm-host"])

    # then the variant shows its managed instance scaling, and the warning has its line (only when it applies)
    assert (as_json.exit_code, human.exit_code) == (0, 0), as_json.output + human.output
    (entry,) = json.loads(as_json.output)
    (variant,) = entry["variants"]
    assert variant["managed_instance_scaling"] == (
        None if scaling is None else {"status": "ENABLED", "min_instances": 0, "max_instances": 2, "summary": shown}
    )
    assert f"│ {shown} " in human.output
    warned = [w for w in entry["warnings"] if w["source"] == "inference component llm"]
    if scaling is None:
        assert warned == [{"source": "inference component llm", "message": WARNING}]
        assert "Warnings" in human.output
        assert "inference component llm │ can scale to 0 copies, but the instances of variant" in human.output
    else:
        assert warned == []
        assert "can scale to 0 copies" not in human.output
