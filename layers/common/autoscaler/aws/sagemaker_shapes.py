"""SageMaker's answers decoded into the controller's values (autoscaler/state.py): endpoints, their variants and
inference components."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autoscaler.constants import ENDPOINT_IN_SERVICE
from autoscaler.spec import VariantKind
from autoscaler.state import ComponentInfo, EndpointInfo, ManagedInstanceScaling, VariantInfo


@dataclass(frozen=True)
class Descriptions:
    """What ``Aws.describe_all_listed`` found, and how: by name (None: the endpoint no longer exists)."""

    endpoints: Mapping[str, EndpointInfo | None]
    searched: int = 0  # made from a Search record
    described: int = 0  # DescribeEndpoint calls
    search_error: str = ""  # why Search failed, if it did (the endpoints were described instead)


@dataclass(frozen=True)
class EndpointSummary:
    """One endpoint of a ListEndpoints page."""

    name: str
    arn: str
    status: str
    version: str  # see endpoint_version

    @property
    def key(self) -> tuple[str, str]:
        """What a kept description is filed under: deleted and re-created, or updated, is another key."""
        return (self.arn, self.version)


def variant_info(live: Mapping[str, Any], static: Mapping[str, Any], asynchronous: bool) -> VariantInfo:
    """A variant from DescribeEndpoint's ``live`` summary and, when read, the endpoint config's ``static`` entry."""
    if "CurrentServerlessConfig" in live or "ServerlessConfig" in static:
        kind = VariantKind.SERVERLESS
    else:
        kind = VariantKind.ASYNC if asynchronous else VariantKind.INSTANCE
    return VariantInfo(
        live["VariantName"],
        kind,
        static.get("InstanceType"),
        live.get("CurrentInstanceCount"),
        _max_concurrency(live, static),
        _managed_instance_scaling(live, static),
    )


def component_info(raw: Mapping[str, Any]) -> ComponentInfo:
    return ComponentInfo(
        name=raw["InferenceComponentName"],
        arn=raw["InferenceComponentArn"],
        variant=raw.get("VariantName", ""),
        status=raw.get("InferenceComponentStatus", ""),
        endpoint=raw.get("EndpointName", ""),
    )


def shows(record: Mapping[str, Any], listed: EndpointSummary) -> bool:
    """Whether a Search record shows the endpoint as listed (same ARN and version, InService), with its variants."""
    return (
        bool(record.get("ProductionVariants"))
        and record.get("EndpointArn") == listed.arn
        and endpoint_version(record) == listed.version
        and record.get("EndpointStatus") == ENDPOINT_IN_SERVICE
    )


def endpoint_version(raw: Mapping[str, Any]) -> str:
    """CreationTime and LastModifiedTime of a DescribeEndpoint answer or a ListEndpoints entry: they change with
    every UpdateEndpoint and when an endpoint is deleted and created again under the same name."""
    return f"{raw.get('CreationTime')}|{raw.get('LastModifiedTime')}"


def _max_concurrency(live: Mapping[str, Any], static: Mapping[str, Any]) -> int | None:
    """A serverless variant's MaxConcurrency: the live value (DescribeEndpoint), else the configured one."""
    config = live.get("CurrentServerlessConfig") or static.get("ServerlessConfig") or {}
    return _int_or_none(config.get("MaxConcurrency"))


def _managed_instance_scaling(live: Mapping[str, Any], static: Mapping[str, Any]) -> ManagedInstanceScaling | None:
    """A variant's ManagedInstanceScaling: DescribeEndpoint's (and a Search record's) variant summary carries it
    (SageMaker API Reference, ProductionVariantSummary, member ManagedInstanceScaling), so it costs no call; the
    endpoint config's ProductionVariants entry (ProductionVariant, same member) when the summary has none and the config
    was read anyway."""
    raw = live.get("ManagedInstanceScaling") or static.get("ManagedInstanceScaling")
    if not raw:
        return None
    return ManagedInstanceScaling(
        str(raw.get("Status", "")), _int_or_none(raw.get("MinInstanceCount")), _int_or_none(raw.get("MaxInstanceCount"))
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
