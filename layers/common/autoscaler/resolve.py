"""Metric resolution for one scalable thing: a metric key, a custom metric or metric math of a profile -> the metric
its policy or alarm uses.

A key means the AWS metric ``autoscaler.metrics.METRICS`` names for the variant's kind. Instance metrics are made a
percent of one instance: CloudWatch reports CPUUtilization summed over vCPUs and the GPU metrics summed over GPUs
(0-400 on four), so those are divided by the instance type's count with metric math; MemoryUtilization is 0-100
already. Custom metrics get their default dimensions, or have ``{endpoint}`` and ``{variant}`` filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from autoscaler.constants import (
    DIMENSION_COMPONENT_NAME,
    DIMENSION_ENDPOINT_NAME,
    DIMENSION_VARIANT_NAME,
    ENDPOINT_ONLY_METRICS,
)
from autoscaler.errors import Problem
from autoscaler.metrics import Endpoint, Instance, Predefined, aws_metric
from autoscaler.spec import CustomMetric, Metric, MetricMath, MetricQuery, PredefinedMetric, VariantKind
from autoscaler.state import Hardware, VariantInfo

HardwareLookup = Callable[[str], Hardware | None]


@dataclass
class Findings:
    """What building one variant found wrong (errors) or worth saying (warnings), each with its source."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, source: str, message: str) -> None:
        self.problems.append(Problem(source, message))

    def warn(self, source: str, message: str) -> None:
        self.warnings.append(Problem(source, message))


@dataclass
class MetricResolver:
    endpoint: str
    info: VariantInfo
    hardware: HardwareLookup
    instance_type: Callable[[], str | None] | None  # for a description without instance types: read on first need
    findings: Findings

    def metric(self, template: str | CustomMetric | MetricMath, default_dimensions: bool, source: str) -> Metric | None:
        if isinstance(template, CustomMetric):
            return self.custom(template, default_dimensions)
        if isinstance(template, MetricMath):
            return MetricMath(
                tuple(replace(q, metric=self.custom(q.metric, False) if q.metric else None) for q in template.queries)
            )
        meant = aws_metric(self.info.kind, template)
        if isinstance(meant, Predefined):
            return PredefinedMetric(meant.metric_type)
        if isinstance(meant, Endpoint):
            return CustomMetric(
                meant.namespace, meant.name, meant.statistic, ((DIMENSION_ENDPOINT_NAME, self.endpoint),)
            )
        if isinstance(meant, Instance):
            return self.instance_metric(template, meant, source)
        self.findings.error(source, f"{template} does not apply to a {self.info.kind} variant")
        return None

    def custom(self, metric: CustomMetric, default_dimensions: bool) -> CustomMetric:
        if default_dimensions and self.info.kind is VariantKind.INFERENCE_COMPONENT:
            dimensions: tuple[tuple[str, str], ...] = ((DIMENSION_COMPONENT_NAME, self.info.name),)
        elif default_dimensions:
            dimensions = ((DIMENSION_ENDPOINT_NAME, self.endpoint),)
            if metric.name not in ENDPOINT_ONLY_METRICS:
                dimensions += ((DIMENSION_VARIANT_NAME, self.info.name),)
        else:
            dimensions = tuple(
                (n, v.replace("{endpoint}", self.endpoint).replace("{variant}", self.info.name))
                for n, v in metric.dimensions
            )
        return replace(metric, dimensions=dimensions)

    def instance_metric(self, key: str, meant: Instance, source: str) -> Metric | None:
        """An instance metric as a percent of one instance (divided by the count ``meant.per`` names, if any)."""
        base = CustomMetric(
            meant.namespace,
            meant.name,
            "Average",
            ((DIMENSION_ENDPOINT_NAME, self.endpoint), (DIMENSION_VARIANT_NAME, self.info.name)),
        )
        if meant.per is None:
            return base
        instance_type = self.info.instance_type or (self.instance_type() if self.instance_type else None)
        found = self.hardware(instance_type) if instance_type else None
        if found is None:
            self.findings.error(source, f"{key}: the vCPU/GPU count of instance type {instance_type!r} is unknown")
            return None
        count = found.vcpus if meant.per == "vcpus" else found.gpus
        if count < 1:
            self.findings.error(source, f"{key}: instance type {instance_type} has no GPU")
            return None
        query_id = key.replace("-", "_")
        return MetricMath(
            (
                MetricQuery(query_id, base, return_data=False),
                MetricQuery(
                    "per_instance",
                    expression=f"{query_id} / {count}",
                    label=f"{meant.name} per instance",
                    return_data=True,
                ),
            )
        )
