"""The metric keys (tag ``target-<key>``, profile ``metric: <key>``): one table, everything else derived from it.

Each key names, per kind of scalable thing it fits, the AWS metric it means (README, "Metrics by endpoint kind"):

- ``Predefined``: a predefined metric type of target tracking ("PredefinedMetricType", Application Auto Scaling API
  Reference, PredefinedMetricSpecification);
- ``Instance``: a ``/aws/sagemaker/Endpoints`` instance metric, with the count it is divided by to be a percent of one
  instance (CloudWatch sums CPUUtilization over vCPUs and the GPU metrics over GPUs);
- ``Endpoint``: an ``AWS/SageMaker`` metric published with the EndpointName dimension only.

A key fits exactly the kinds it names a metric for, so a key cannot be accepted by validation and then be missing
when its policy is built: ``check_metrics`` runs when this module loads and refuses an incomplete entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from autoscaler.constants import (
    ENDPOINT_INSTANCE_NAMESPACE,
    METRIC_BACKLOG_PER_INSTANCE,
    METRIC_COMPONENT_CONCURRENT_REQUESTS_HIGH_RES,
    METRIC_COMPONENT_INVOCATIONS_PER_COPY,
    METRIC_CONCURRENT_REQUESTS_HIGH_RES,
    METRIC_CPU_UTILIZATION,
    METRIC_GPU_MEMORY_UTILIZATION,
    METRIC_GPU_UTILIZATION,
    METRIC_INVOCATIONS_PER_INSTANCE,
    METRIC_MEMORY_UTILIZATION,
    METRIC_PROVISIONED_CONCURRENCY_UTILIZATION,
    SAGEMAKER_NAMESPACE,
)
from autoscaler.spec import VariantKind

ValueKind = Literal["count", "percent", "ratio"]  # a target > 0; a percent of one instance (0-100]; a ratio (0-1]


@dataclass(frozen=True)
class Predefined:
    metric_type: str


@dataclass(frozen=True)
class Instance:
    name: str
    per: Literal["vcpus", "gpus"] | None  # None: already a percent of one instance
    namespace: str = ENDPOINT_INSTANCE_NAMESPACE


@dataclass(frozen=True)
class Endpoint:
    name: str
    statistic: str = "Average"
    namespace: str = SAGEMAKER_NAMESPACE


AwsMetric = Predefined | Instance | Endpoint


@dataclass(frozen=True)
class MetricKey:
    tag: str  # the tag key (under the prefix) that sets its target
    value: ValueKind
    aws: Mapping[VariantKind, AwsMetric]  # the kinds it fits, each with the AWS metric it means there


_INSTANCE_KINDS = (VariantKind.INSTANCE, VariantKind.ASYNC)


def _on_instances(name: str, per: Literal["vcpus", "gpus"] | None) -> Mapping[VariantKind, AwsMetric]:
    return {kind: Instance(name, per) for kind in _INSTANCE_KINDS}


# The order is the order policies are listed in, and the order keys are named in messages.
METRICS: dict[str, MetricKey] = {
    "invocations": MetricKey(
        "target-invocations",
        "count",
        {
            VariantKind.INSTANCE: Predefined(METRIC_INVOCATIONS_PER_INSTANCE),
            VariantKind.ASYNC: Predefined(METRIC_INVOCATIONS_PER_INSTANCE),
            VariantKind.INFERENCE_COMPONENT: Predefined(METRIC_COMPONENT_INVOCATIONS_PER_COPY),
        },
    ),
    "concurrency": MetricKey(
        "target-concurrency",
        "count",
        {
            VariantKind.INSTANCE: Predefined(METRIC_CONCURRENT_REQUESTS_HIGH_RES),
            VariantKind.INFERENCE_COMPONENT: Predefined(METRIC_COMPONENT_CONCURRENT_REQUESTS_HIGH_RES),
        },
    ),
    "cpu": MetricKey("target-cpu", "percent", _on_instances(METRIC_CPU_UTILIZATION, "vcpus")),
    "memory": MetricKey("target-memory", "percent", _on_instances(METRIC_MEMORY_UTILIZATION, None)),
    "gpu": MetricKey("target-gpu", "percent", _on_instances(METRIC_GPU_UTILIZATION, "gpus")),
    "gpu-memory": MetricKey("target-gpu-memory", "percent", _on_instances(METRIC_GPU_MEMORY_UTILIZATION, "gpus")),
    # Published per endpoint only (SageMaker Developer Guide, "Alarms and logs for tracking metrics from asynchronous
    # endpoints"): the backlog per instance of the whole endpoint.
    "backlog": MetricKey("target-backlog", "count", {VariantKind.ASYNC: Endpoint(METRIC_BACKLOG_PER_INSTANCE)}),
    "provisioned-concurrency": MetricKey(
        "target-provisioned-concurrency",
        "ratio",
        {VariantKind.SERVERLESS: Predefined(METRIC_PROVISIONED_CONCURRENCY_UTILIZATION)},
    ),
}


class MetricTableError(Exception):
    """An entry of ``METRICS`` that could not be used: raised when the module loads, never in a reconcile."""


def check_metrics(table: Mapping[str, MetricKey]) -> None:
    tags: dict[str, str] = {}
    for key, entry in table.items():
        if not key or not isinstance(entry, MetricKey):
            raise MetricTableError(f"metric {key!r}: not a MetricKey")
        if not entry.tag or ":" in entry.tag:
            raise MetricTableError(f"metric {key!r}: tag {entry.tag!r} is not one key segment")
        if entry.tag in tags:
            raise MetricTableError(
                f"metric {key!r}: tag {entry.tag!r} is already the tag of metric {tags[entry.tag]!r}"
            )
        tags[entry.tag] = key
        if entry.value not in ("count", "percent", "ratio"):
            raise MetricTableError(f"metric {key!r}: value kind {entry.value!r} is not count, percent or ratio")
        if not entry.aws:
            raise MetricTableError(f"metric {key!r}: names no AWS metric for any kind")
        for kind, metric in entry.aws.items():
            if not isinstance(kind, VariantKind) or not isinstance(metric, Predefined | Instance | Endpoint):
                raise MetricTableError(f"metric {key!r}: {kind!r} -> {metric!r} is not a kind and its AWS metric")
            if not (metric.metric_type if isinstance(metric, Predefined) else metric.name):
                raise MetricTableError(f"metric {key!r}: the {kind} metric has no name")
            if isinstance(metric, Instance) and kind not in _INSTANCE_KINDS:
                raise MetricTableError(f"metric {key!r}: a {kind} has no instances to read {metric.name} from")


check_metrics(METRICS)


def target_tags() -> dict[str, str]:
    """Metric key -> its tag key, in table order."""
    return {key: entry.tag for key, entry in METRICS.items()}


def compatible(kind: VariantKind) -> tuple[str, ...]:
    """The keys that fit ``kind``: those only it takes first (its own metric), then the shared ones, in table order."""
    fits = [key for key, entry in METRICS.items() if kind in entry.aws]
    return tuple(sorted(fits, key=lambda key: len(METRICS[key].aws) > 1))


def aws_metric(kind: VariantKind, key: str) -> AwsMetric | None:
    entry = METRICS.get(key)
    return None if entry is None else entry.aws.get(kind)


def value_kind(key: str) -> ValueKind | None:
    entry = METRICS.get(key)
    return None if entry is None else entry.value
