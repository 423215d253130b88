"""The command line's own SageMaker calls (``update-endpoint``): outside the Lambda layer, since no function calls
them (their roles, template.yaml, do not allow it). Classified like the adapter's calls (autoscaler/aws/classify.py)."""

from __future__ import annotations

from typing import Any

from autoscaler.aws import Aws, classified


def read_endpoint_config(aws: Aws, name: str) -> dict[str, Any]:
    """DescribeEndpointConfig, uncached (for a config an update is about to use)."""
    with classified(f"DescribeEndpointConfig {name}"):
        return dict(aws.sagemaker.describe_endpoint_config(EndpointConfigName=name))


def update_endpoint(aws: Aws, endpoint: str, config: str, retain_all_variant_properties: bool) -> None:
    with classified(f"UpdateEndpoint {endpoint}"):
        aws.sagemaker.update_endpoint(
            EndpointName=endpoint, EndpointConfigName=config, RetainAllVariantProperties=retain_all_variant_properties
        )
