"""Realistic SageMaker resources for moto, shared by the tests, the demo and the benchmarks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from mypy_boto3_sagemaker import SageMakerClient
    from mypy_boto3_sagemaker.literals import ProductionVariantInstanceTypeType
    from mypy_boto3_sagemaker.type_defs import ProductionVariantTypeDef

__all__ = ["VariantSeed", "create_endpoint", "create_inference_component", "remove_tags", "set_tags"]

IMAGE_URI = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311-ubuntu20.04-sagemaker"
ROLE_ARN = "arn:aws:iam::123456789012:role/sagemaker"


@dataclass(frozen=True)
class VariantSeed:
    """A production variant: on instances, or serverless when ``serverless`` is (memory MB, max concurrency);
    ``managed_instance_scaling`` (min, max instances) turns SageMaker's managed instance scaling on for it."""

    name: str
    instance_type: str = "ml.m5.large"
    initial_instance_count: int = 1
    serverless: tuple[int, int] | None = None
    managed_instance_scaling: tuple[int, int] | None = None


def create_endpoint(
    sagemaker_client: SageMakerClient,
    name: str,
    variants: Sequence[VariantSeed] = (VariantSeed("AllTraffic"),),
    tags: Mapping[str, str] | None = None,
) -> str:
    """Creates a model per variant, an endpoint config and the tagged endpoint ``name``; returns the endpoint ARN."""
    production_variants: list[ProductionVariantTypeDef] = []
    for variant in variants:
        model_name = f"{name}-{variant.name}"
        sagemaker_client.create_model(
            ModelName=model_name, PrimaryContainer={"Image": IMAGE_URI}, ExecutionRoleArn=ROLE_ARN
        )
        production_variant: ProductionVariantTypeDef = {
            "VariantName": variant.name,
            "ModelName": model_name,
            "InitialVariantWeight": 1.0,
        }
        if variant.serverless is None:
            production_variant["InstanceType"] = cast("ProductionVariantInstanceTypeType", variant.instance_type)
            production_variant["InitialInstanceCount"] = variant.initial_instance_count
        else:
            memory_mb, max_concurrency = variant.serverless
            production_variant["ServerlessConfig"] = {"MemorySizeInMB": memory_mb, "MaxConcurrency": max_concurrency}
        if variant.managed_instance_scaling is not None:
            lowest, highest = variant.managed_instance_scaling
            production_variant["ManagedInstanceScaling"] = {
                "Status": "ENABLED",
                "MinInstanceCount": lowest,
                "MaxInstanceCount": highest,
            }
        production_variants.append(production_variant)
    sagemaker_client.create_endpoint_config(EndpointConfigName=name, ProductionVariants=production_variants)
    response = sagemaker_client.create_endpoint(
        EndpointName=name, EndpointConfigName=name, Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()]
    )
    return response["EndpointArn"]


def create_inference_component(
    sagemaker_client: SageMakerClient,
    name: str,
    endpoint: str,
    variant: str = "AllTraffic",
    copies: int = 1,
    tags: Mapping[str, str] | None = None,
) -> str:
    """Creates a model ``name`` and the tagged inference component ``name`` running ``copies`` copies of it on the
    endpoint's variant; returns the component ARN."""
    sagemaker_client.create_model(ModelName=name, PrimaryContainer={"Image": IMAGE_URI}, ExecutionRoleArn=ROLE_ARN)
    response = sagemaker_client.create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        VariantName=variant,
        Specification={
            "ModelName": name,
            "ComputeResourceRequirements": {"NumberOfAcceleratorDevicesRequired": 1, "MinMemoryRequiredInMb": 1024},
        },
        RuntimeConfig={"CopyCount": copies},
        Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()],
    )
    return response["InferenceComponentArn"]


def set_tags(sagemaker_client: SageMakerClient, arn: str, tags: Mapping[str, str]) -> None:
    """Adds or overwrites tags on a SageMaker resource."""
    sagemaker_client.add_tags(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])


def remove_tags(sagemaker_client: SageMakerClient, arn: str, keys: Iterable[str]) -> None:
    """Removes tags from a SageMaker resource."""
    sagemaker_client.delete_tags(ResourceArn=arn, TagKeys=list(keys))
