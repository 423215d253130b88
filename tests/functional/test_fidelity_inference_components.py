"""The fidelity layer's SageMaker inference components (moto has none): the operations an autoscaling controller
uses, their errors and lifecycle, tagging, and Application Auto Scaling targets on their copy count."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.applicationautoscaling.models import ApplicationAutoscalingBackend

from localaws import fidelity
from localaws.fidelity import FidelityConfig
from localaws.fidelity import application_autoscaling as aas
from localaws.seed import VariantSeed, create_endpoint

from .conftest import FakeClock
from .test_fidelity import (
    TRANSITION_SECONDS,
    Aws,
    AwsError,
    distinct_stamps,
    error_of,
    in_service_endpoint,
    register,
)

ACCOUNT_REGION = "us-east-1:123456789012"
COPIES = "sagemaker:inference-component:DesiredCopyCount"
SPECIFICATION = {
    "ModelName": "ep-AllTraffic",
    "Container": {"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/llm:1", "Environment": {"A": "1"}},
    "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 1.0, "MinMemoryRequiredInMb": 1024},
}


@pytest.fixture(scope="module")
def clients() -> tuple[Any, Any]:
    return boto3.client("sagemaker"), boto3.client("application-autoscaling")


@pytest.fixture
def aws(clients: tuple[Any, Any]) -> Iterator[Aws]:
    """moto in-process with the fidelity layer, one InService endpoint "ep" (variants AllTraffic and Canary)."""
    world = Aws(*clients, FakeClock())
    config = FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=world.clock)
    with mock_aws(), fidelity.fidelity(config):
        in_service_endpoint(world, "ep", (VariantSeed("AllTraffic"), VariantSeed("Canary")))
        yield world


def create(aws: Aws, name: str = "ic", copies: int = 2, **extra: Any) -> str:
    arguments = {"EndpointName": "ep", "VariantName": "AllTraffic", "Specification": SPECIFICATION, **extra}
    response = aws.sagemaker.create_inference_component(
        InferenceComponentName=name, RuntimeConfig={"CopyCount": copies}, **arguments
    )
    return str(response["InferenceComponentArn"])


def describe(aws: Aws, name: str = "ic") -> dict[str, Any]:
    return dict(aws.sagemaker.describe_inference_component(InferenceComponentName=name))


def register_component(aws: Aws, name: str = "ic", minimum: int = 1) -> None:
    register(aws, f"inference-component/{name}", COPIES, minimum)


def targets(aws: Aws) -> list[str]:
    listed = aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    return [target["ResourceId"] for target in listed]


# --- plain moto -----------------------------------------------------------------------------------------------------


def test_plain_moto_has_no_inference_components(clients: tuple[Any, Any]) -> None:
    sagemaker, _ = clients
    with mock_aws(), pytest.raises(NotImplementedError, match="describe_inference_component"):
        sagemaker.describe_inference_component(InferenceComponentName="ic")


def test_uninstall_removes_the_operations(clients: tuple[Any, Any]) -> None:
    sagemaker, _ = clients
    with mock_aws():
        with fidelity.fidelity():
            create_endpoint(sagemaker, "ep")
            sagemaker.create_inference_component(
                InferenceComponentName="ic", EndpointName="ep", VariantName="AllTraffic", RuntimeConfig={"CopyCount": 1}
            )
        with pytest.raises(NotImplementedError):
            sagemaker.list_inference_components()


# --- CreateInferenceComponent / DescribeInferenceComponent ----------------------------------------------------------


def test_create_returns_the_arn_with_the_name_lower_cased(aws: Aws) -> None:
    assert create(aws, "MyComponent") == f"arn:aws:sagemaker:{ACCOUNT_REGION}:inference-component/mycomponent"


def test_describe_shows_the_component_as_created(aws: Aws) -> None:
    arn = create(aws, copies=2)

    described = describe(aws)

    assert described["InferenceComponentArn"] == arn
    assert described["InferenceComponentName"] == "ic"
    assert described["EndpointName"] == "ep"
    assert described["EndpointArn"] == aws.sagemaker.describe_endpoint(EndpointName="ep")["EndpointArn"]
    assert described["VariantName"] == "AllTraffic"
    assert described["Specification"] == {
        "ModelName": "ep-AllTraffic",
        "Container": {
            "DeployedImage": {"SpecifiedImage": SPECIFICATION["Container"]["Image"]},
            "Environment": {"A": "1"},
        },
        "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 1.0, "MinMemoryRequiredInMb": 1024},
    }
    assert described["CreationTime"] <= described["LastModifiedTime"]


def test_create_goes_from_creating_to_in_service_with_its_copies(aws: Aws) -> None:
    create(aws, copies=3)

    creating = describe(aws)
    aws.wait_transition()
    in_service = describe(aws)

    assert creating["InferenceComponentStatus"] == "Creating"
    assert creating["RuntimeConfig"] == {"DesiredCopyCount": 3, "CurrentCopyCount": 0}
    assert in_service["InferenceComponentStatus"] == "InService"
    assert in_service["RuntimeConfig"] == {"DesiredCopyCount": 3, "CurrentCopyCount": 3}


def test_settle_completes_the_creation(aws: Aws) -> None:
    create(aws)

    fidelity.settle()

    assert describe(aws)["InferenceComponentStatus"] == "InService"


def test_create_defaults_the_variant_to_the_endpoints_first(aws: Aws) -> None:
    aws.sagemaker.create_inference_component(InferenceComponentName="ic", EndpointName="ep")

    assert describe(aws)["VariantName"] == "AllTraffic"
    assert "RuntimeConfig" not in describe(aws)


def test_create_on_a_missing_endpoint_fails(aws: Aws) -> None:
    assert error_of(lambda: create(aws, EndpointName="missing")) == AwsError(
        "ValidationException",
        f"Could not find endpoint 'arn:aws:sagemaker:{ACCOUNT_REGION}:endpoint/missing'.",
        400,
    )


def test_create_on_a_missing_variant_fails(aws: Aws) -> None:
    assert error_of(lambda: create(aws, VariantName="Missing")).code == "ValidationException"


def test_create_with_a_name_taken_in_any_case_fails(aws: Aws) -> None:
    create(aws, "ic")

    assert error_of(lambda: create(aws, "IC")).code == "ValidationException"


def test_describe_of_a_missing_component_fails(aws: Aws) -> None:
    assert error_of(lambda: describe(aws, "missing")) == AwsError(
        "ValidationException",
        f"Could not find inference component 'arn:aws:sagemaker:{ACCOUNT_REGION}:inference-component/missing'.",
        400,
    )


# --- ListInferenceComponents ----------------------------------------------------------------------------------------


def listed(aws: Aws, **filters: Any) -> list[str]:
    paginator = aws.sagemaker.get_paginator("list_inference_components")
    return [c["InferenceComponentName"] for page in paginator.paginate(**filters) for c in page["InferenceComponents"]]


def test_list_filters_by_endpoint_variant_and_status(aws: Aws) -> None:
    create_endpoint(aws.sagemaker, "other")
    aws.wait_transition()
    create(aws, "a")
    create(aws, "b", VariantName="Canary")
    aws.wait_transition()
    create(aws, "c", EndpointName="other")

    assert listed(aws, EndpointNameEquals="ep", SortBy="Name", SortOrder="Ascending") == ["a", "b"]
    assert listed(aws, VariantNameEquals="Canary") == ["b"]
    assert listed(aws, StatusEquals="Creating") == ["c"]
    assert listed(aws, EndpointNameEquals="ep", StatusEquals="InService", NameContains="a") == ["a"]
    assert listed(aws, EndpointNameEquals="missing") == []


def test_list_summaries_have_every_required_member(aws: Aws) -> None:
    arn = create(aws)

    (summary,) = aws.sagemaker.list_inference_components()["InferenceComponents"]

    assert {k: v for k, v in summary.items() if k not in ("CreationTime", "LastModifiedTime")} == {
        "InferenceComponentName": "ic",
        "InferenceComponentArn": arn,
        "EndpointName": "ep",
        "EndpointArn": aws.sagemaker.describe_endpoint(EndpointName="ep")["EndpointArn"],
        "VariantName": "AllTraffic",
        "InferenceComponentStatus": "Creating",
    }


def test_list_pages_newest_first_in_pages_of_ten_by_default(aws: Aws) -> None:
    for index in range(12):
        create(aws, f"ic-{index:02}")

    first = aws.sagemaker.list_inference_components()
    second = aws.sagemaker.list_inference_components(NextToken=first["NextToken"])
    small_pages = list(
        aws.sagemaker.get_paginator("list_inference_components").paginate(PaginationConfig={"PageSize": 5})
    )

    assert len(first["InferenceComponents"]) == 10
    assert "NextToken" not in second
    names = [c["InferenceComponentName"] for c in first["InferenceComponents"] + second["InferenceComponents"]]
    assert names == [f"ic-{index:02}" for index in reversed(range(12))]
    assert [len(page["InferenceComponents"]) for page in small_pages] == [5, 5, 2]
    assert listed(aws) == names


def test_list_rejects_a_token_it_did_not_issue(aws: Aws) -> None:
    assert error_of(lambda: aws.sagemaker.list_inference_components(NextToken="bogus")).code == "ValidationException"


# --- UpdateInferenceComponentRuntimeConfig --------------------------------------------------------------------------


def update(aws: Aws, copies: int, name: str = "ic") -> str:
    response = aws.sagemaker.update_inference_component_runtime_config(
        InferenceComponentName=name, DesiredRuntimeConfig={"CopyCount": copies}
    )
    return str(response["InferenceComponentArn"])


def test_update_goes_through_updating_to_the_new_copy_count(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    distinct_stamps(monkeypatch)
    arn = create(aws, copies=2)
    aws.wait_transition()
    created = describe(aws)

    assert update(aws, 5) == arn
    updating = describe(aws)
    aws.wait_transition()
    in_service = describe(aws)

    assert updating["InferenceComponentStatus"] == "Updating"
    assert updating["RuntimeConfig"] == {"DesiredCopyCount": 5, "CurrentCopyCount": 2}
    assert in_service["InferenceComponentStatus"] == "InService"
    assert in_service["RuntimeConfig"] == {"DesiredCopyCount": 5, "CurrentCopyCount": 5}
    assert in_service["LastModifiedTime"] > updating["LastModifiedTime"] > created["LastModifiedTime"]


def test_update_to_zero_copies(aws: Aws) -> None:
    create(aws, copies=1)
    aws.wait_transition()

    update(aws, 0)
    aws.wait_transition()

    assert describe(aws)["RuntimeConfig"] == {"DesiredCopyCount": 0, "CurrentCopyCount": 0}


def test_update_of_a_component_in_progress_fails(aws: Aws) -> None:
    create(aws)

    assert error_of(lambda: update(aws, 3)) == AwsError(
        "ValidationException",
        f'Cannot update in-progress inference component "arn:aws:sagemaker:{ACCOUNT_REGION}:inference-component/ic".',
        400,
    )


def test_update_of_a_missing_component_fails(aws: Aws) -> None:
    assert error_of(lambda: update(aws, 3, "missing")).code == "ValidationException"


# --- DeleteInferenceComponent ---------------------------------------------------------------------------------------


def test_delete_removes_the_component(aws: Aws) -> None:
    create(aws)

    aws.sagemaker.delete_inference_component(InferenceComponentName="ic")

    assert error_of(lambda: describe(aws)).code == "ValidationException"
    assert listed(aws) == []
    assert error_of(lambda: aws.sagemaker.delete_inference_component(InferenceComponentName="ic")).code == (
        "ValidationException"
    )


def test_delete_deregisters_the_components_scalable_target_and_its_policies(aws: Aws) -> None:
    create(aws, "ic")
    create(aws, "kept")
    aws.wait_transition()
    register_component(aws, "ic")
    register_component(aws, "kept")
    aws.autoscaling.put_scaling_policy(
        PolicyName="copies",
        ServiceNamespace="sagemaker",
        ResourceId="inference-component/ic",
        ScalableDimension=COPIES,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 4.0,
            "PredefinedMetricSpecification": {"PredefinedMetricType": "SageMakerInferenceComponentInvocationsPerCopy"},
        },
    )

    aws.sagemaker.delete_inference_component(InferenceComponentName="ic")

    assert targets(aws) == ["inference-component/kept"]
    assert aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"] == []


# --- tags -----------------------------------------------------------------------------------------------------------


def tags(aws: Aws, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in aws.sagemaker.list_tags(ResourceArn=arn)["Tags"]}


def test_tags_of_an_inference_component(aws: Aws) -> None:
    arn = create(aws, "MyComponent", Tags=[{"Key": "team", "Value": "ml"}])

    aws.sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaling:enabled", "Value": "true"}])
    after_add = tags(aws, arn)
    aws.sagemaker.delete_tags(ResourceArn=arn, TagKeys=["team"])

    assert after_add == {"team": "ml", "autoscaling:enabled": "true"}
    assert tags(aws, arn) == {"autoscaling:enabled": "true"}


def test_tags_of_a_missing_component_fail(aws: Aws) -> None:
    arn = f"arn:aws:sagemaker:{ACCOUNT_REGION}:inference-component/missing"

    assert error_of(lambda: aws.sagemaker.list_tags(ResourceArn=arn)).code == "ValidationException"


def test_endpoint_tags_still_work(aws: Aws) -> None:
    arn = aws.sagemaker.describe_endpoint(EndpointName="ep")["EndpointArn"]

    aws.sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])

    assert tags(aws, arn) == {"k": "v"}


# --- Application Auto Scaling ---------------------------------------------------------------------------------------


def test_register_needs_an_in_service_component_and_allows_zero_copies(aws: Aws) -> None:
    create(aws)

    assert error_of(lambda: register_component(aws)) == AwsError(
        "ValidationException",
        "The status should be in 'InService' to register it as a scalable target",
        400,
    )
    aws.wait_transition()
    register_component(aws, minimum=0)

    (target,) = aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert (target["ResourceId"], target["ScalableDimension"], target["MinCapacity"]) == (
        "inference-component/ic",
        COPIES,
        0,
    )


def test_register_rejects_a_component_that_is_updating(aws: Aws) -> None:
    create(aws)
    aws.wait_transition()
    update(aws, 3)

    assert error_of(lambda: register_component(aws)).code == "ValidationException"


def test_register_rejects_a_missing_component(aws: Aws) -> None:
    assert error_of(lambda: register_component(aws, "missing")) == AwsError(
        "ValidationException",
        f"Could not find inference component 'arn:aws:sagemaker:{ACCOUNT_REGION}:inference-component/missing'.",
        400,
    )


def test_without_the_rule_a_missing_component_would_be_registered(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    """Plain moto rejects the DesiredCopyCount dimension altogether (test_fidelity.py); with the layer's dimensions but
    without this rule, AAS would accept a target for a component that does not exist."""
    monkeypatch.setattr(
        ApplicationAutoscalingBackend,
        "register_scalable_target",
        aas._register_requires_in_service_variant,
    )

    register_component(aws, "missing")

    assert targets(aws) == ["inference-component/missing"]
