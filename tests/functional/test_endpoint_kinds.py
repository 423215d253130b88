"""Each kind of endpoint gets exactly the AWS requests AWS documents for it (dimension, resource id, metric)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from autoscaler.reconciler import Status
from localaws.seed import VariantSeed, create_endpoint

from .conftest import World


@pytest.fixture
def aas_requests(world: World) -> Iterator[list[dict[str, Any]]]:
    """The RegisterScalableTarget and PutScalingPolicy requests the controller makes, at the botocore layer (the hook
    is removed after the test: the clients are the session's)."""
    found: list[dict[str, Any]] = []

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        if model.name in ("RegisterScalableTarget", "PutScalingPolicy"):
            found.append({"operation": model.name, **params})

    event = "provide-client-params.application-autoscaling.*"
    world.aws.autoscaling.meta.events.register(event, record)
    try:
        yield found
    finally:
        world.aws.autoscaling.meta.events.unregister(event, record)


def test_serverless_variant_scales_provisioned_concurrency_on_its_utilisation(
    world: World, aas_requests: list[dict[str, Any]]
) -> None:
    create_endpoint(
        world.aws.sagemaker,
        "chat",
        (VariantSeed("AllTraffic", serverless=(2048, 20)),),
        {
            "autoscaling:enabled": "true",
            "autoscaling:AllTraffic:min": "1",
            "autoscaling:AllTraffic:max": "10",
            "autoscaling:AllTraffic:target-provisioned-concurrency": "0.5",
        },
    )
    outcome = world.reconcile("chat")
    assert outcome.status is Status.APPLIED, outcome.errors
    register, put = aas_requests
    assert (register["ResourceId"], register["ScalableDimension"]) == (
        "endpoint/chat/variant/AllTraffic",
        "sagemaker:variant:DesiredProvisionedConcurrency",
    )
    assert (register["MinCapacity"], register["MaxCapacity"]) == (1, 10)
    config = put["TargetTrackingScalingPolicyConfiguration"]
    assert config["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "SageMakerVariantProvisionedConcurrencyUtilization"
    }
    assert config["TargetValue"] == 0.5
    assert world.reconcile("chat").status is Status.UNCHANGED


def test_serverless_max_above_max_concurrency_is_rejected_before_any_write(world: World) -> None:
    create_endpoint(
        world.aws.sagemaker,
        "chat",
        (VariantSeed("AllTraffic", serverless=(2048, 20)),),
        {"autoscaling:enabled": "true", "autoscaling:max": "50", "autoscaling:target-provisioned-concurrency": "0.5"},
    )
    world.counter.reset()
    outcome = world.reconcile("chat")
    assert outcome.status is Status.REJECTED
    assert "MaxConcurrency 20" in str(outcome.errors[0])
    assert world.writes() == {}


def test_asynchronous_endpoint_scales_on_backlog_and_back_from_zero(
    world: World, aas_requests: list[dict[str, Any]]
) -> None:
    sagemaker = world.aws.sagemaker
    sagemaker.create_model(
        ModelName="batchy", PrimaryContainer={"Image": "img"}, ExecutionRoleArn="arn:aws:iam::123456789012:role/r"
    )
    sagemaker.create_endpoint_config(
        EndpointConfigName="batchy",
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": "batchy",
                "InstanceType": "ml.m5.xlarge",
                "InitialInstanceCount": 1,
            }
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://bucket/out"}},
    )
    sagemaker.create_endpoint(
        EndpointName="batchy",
        EndpointConfigName="batchy",
        Tags=[
            {"Key": "autoscaling:enabled", "Value": "true"},
            {"Key": "autoscaling:min", "Value": "0"},
            {"Key": "autoscaling:target-backlog", "Value": "5"},
        ],
    )
    outcome = world.reconcile("batchy")
    assert outcome.status is Status.APPLIED, outcome.errors
    assert aas_requests[0]["MinCapacity"] == 0
    tracking = next(r for r in aas_requests if r.get("PolicyName") == "autoscaler-AllTraffic-backlog")
    custom = tracking["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]
    assert (custom["Namespace"], custom["MetricName"], custom["Dimensions"]) == (
        "AWS/SageMaker",
        "ApproximateBacklogSizePerInstance",
        [{"Name": "EndpointName", "Value": "batchy"}],
    )
    step = next(r for r in aas_requests if r.get("PolicyType") == "StepScaling")
    alarm = world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/batchy/")["MetricAlarms"][0]
    assert alarm["MetricName"] == "HasBacklogWithoutCapacity"
    policy_arn = world.policies("batchy")[step["PolicyName"]]["PolicyARN"]
    assert alarm["AlarmActions"] == [policy_arn]
    assert world.reconcile("batchy").status is Status.UNCHANGED


def _async_endpoint(sagemaker: Any) -> None:
    sagemaker.create_model(ModelName="m", PrimaryContainer={"Image": "img"}, ExecutionRoleArn="arn:aws:iam::1:role/r")
    sagemaker.create_endpoint_config(
        EndpointConfigName="c",
        ProductionVariants=[
            {"VariantName": "V", "ModelName": "m", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://bucket/out"}},
    )
    sagemaker.create_endpoint(EndpointName="e", EndpointConfigName="c")


def test_fidelity_describe_endpoint_shows_async_inference_config(world: World) -> None:
    _async_endpoint(world.aws.sagemaker)
    described = world.aws.sagemaker.describe_endpoint(EndpointName="e")
    assert described["AsyncInferenceConfig"]["OutputConfig"]["S3OutputPath"] == "s3://bucket/out"


def test_plain_moto_describe_endpoint_leaves_async_inference_config_out() -> None:
    import boto3
    from moto import mock_aws

    from localaws.fidelity import installed

    assert not installed()
    with mock_aws():
        sagemaker = boto3.client("sagemaker", region_name="us-east-1")
        _async_endpoint(sagemaker)
        assert "AsyncInferenceConfig" not in sagemaker.describe_endpoint(EndpointName="e")


def test_inference_component_scales_copies_and_comes_back_from_zero(
    world: World, aas_requests: list[dict[str, Any]]
) -> None:
    sagemaker = world.aws.sagemaker
    create_endpoint(
        sagemaker,
        "llm-host",
        (VariantSeed("AllTraffic", "ml.g4dn.12xlarge"),),
        {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"},
    )
    sagemaker.describe_endpoint(EndpointName="llm-host")  # InService (transition time 0)
    sagemaker.create_inference_component(
        InferenceComponentName="llm",
        EndpointName="llm-host",
        VariantName="AllTraffic",
        Specification={
            "ModelName": "llm-host-AllTraffic",
            "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024},
        },
        RuntimeConfig={"CopyCount": 1},
        Tags=[
            {"Key": "autoscaling:enabled", "Value": "true"},
            {"Key": "autoscaling:min", "Value": "0"},
            {"Key": "autoscaling:max", "Value": "4"},
            {"Key": "autoscaling:target-concurrency", "Value": "3"},
        ],
    )
    sagemaker.describe_inference_component(InferenceComponentName="llm")  # InService
    outcome = world.reconcile("llm-host")
    assert outcome.status is Status.APPLIED, outcome.errors
    component = [r for r in aas_requests if r["ResourceId"] == "inference-component/llm"]
    register = next(r for r in component if r["operation"] == "RegisterScalableTarget")
    assert (register["ScalableDimension"], register["MinCapacity"], register["MaxCapacity"]) == (
        "sagemaker:inference-component:DesiredCopyCount",
        0,
        4,
    )
    tracking = next(r for r in component if r.get("PolicyType") == "TargetTrackingScaling")
    assert tracking["TargetTrackingScalingPolicyConfiguration"]["PredefinedMetricSpecification"] == {
        "PredefinedMetricType": "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
    }
    alarm = world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/llm-host/llm/")["MetricAlarms"][0]
    assert (alarm["MetricName"], alarm["Dimensions"]) == (
        "NoCapacityInvocationFailures",
        [{"Name": "InferenceComponentName", "Value": "llm"}],
    )
    assert world.reconcile("llm-host").status is Status.UNCHANGED

    # Removing the component's configuration removes its policies, its target and its alarm.
    arn = sagemaker.describe_inference_component(InferenceComponentName="llm")["InferenceComponentArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaling:enabled", "Value": "false"}])
    world.reconcile("llm-host")
    targets = world.aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert [t["ResourceId"] for t in targets] == ["endpoint/llm-host/variant/AllTraffic"]
    assert world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/llm-host/llm/")["MetricAlarms"] == []


def _tag_twice(sagemaker: Any) -> list[dict[str, str]]:
    arn = create_endpoint(sagemaker, "ep", tags={"autoscaling:max": "4"})
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "autoscaling:max", "Value": "6"}])
    return list(sagemaker.list_tags(ResourceArn=arn)["Tags"])


def test_fidelity_add_tags_overwrites_an_existing_key(world: World) -> None:
    assert _tag_twice(world.aws.sagemaker) == [{"Key": "autoscaling:max", "Value": "6"}]


def test_plain_moto_add_tags_appends_a_duplicate_key() -> None:
    import boto3
    from moto import mock_aws

    from localaws.fidelity import installed

    assert not installed()
    with mock_aws():
        tags = _tag_twice(boto3.client("sagemaker", region_name="us-east-1"))
    assert [t["Key"] for t in tags] == ["autoscaling:max", "autoscaling:max"]
