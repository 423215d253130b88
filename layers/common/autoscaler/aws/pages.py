"""The sweep's page streams: one page of one namespace-wide read at a time, resumable from AWS's own page token, so
a sweep too large for one invocation carries on in the next (autoscaler/sweep_streams.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.constants import AAS_NAMESPACE
from autoscaler.names import alarm_prefix

# The streams, in the order a sweep reads them. "search" (SageMaker Search records, which carry the variants) is read
# only by a sweep that continues in more invocations: its shards use the records instead of describing endpoints.
STREAMS = ("endpoints", "tagged", "targets", "policies", "schedules", "alarms")
SEARCH = "search"


@dataclass(frozen=True)
class Page:
    items: tuple[dict[str, Any], ...]
    token: str  # the next page's token; empty: the stream is done


class PageReads(Clients):
    def read_page(self, stream: str, token: str, *, tag_key: str, name_prefix: str) -> Page:
        """One page of ``stream`` from ``token`` (empty: the first page), at AWS's largest page sizes: ListEndpoints
        100, Tagging API GetResources 100, DescribeScalableTargets 50, DescribeScalingPolicies 10,
        DescribeScheduledActions 50 (Application Auto Scaling API Reference, MaxResults of each), DescribeAlarms 100
        (CloudWatch API Reference, MaxRecords), Search 100 (SageMaker API Reference, MaxResults)."""
        start = {"NextToken": token} if token else {}
        aas = {"ServiceNamespace": AAS_NAMESPACE, **start}
        calls: dict[str, tuple[Callable[[], dict[str, Any]], str, str]] = {
            "endpoints": (lambda: self.sagemaker.list_endpoints(MaxResults=100, **start), "Endpoints", "NextToken"),
            "tagged": (
                lambda: self.client("resourcegroupstaggingapi").get_resources(
                    ResourceTypeFilters=["sagemaker:endpoint"],
                    TagFilters=[{"Key": tag_key}],
                    ResourcesPerPage=100,
                    **({"PaginationToken": token} if token else {}),
                ),
                "ResourceTagMappingList",
                "PaginationToken",
            ),
            "targets": (
                lambda: self.autoscaling.describe_scalable_targets(MaxResults=50, **aas),
                "ScalableTargets",
                "NextToken",
            ),
            "policies": (
                lambda: self.autoscaling.describe_scaling_policies(MaxResults=10, **aas),
                "ScalingPolicies",
                "NextToken",
            ),
            "schedules": (
                lambda: self.autoscaling.describe_scheduled_actions(MaxResults=50, **aas),
                "ScheduledActions",
                "NextToken",
            ),
            "alarms": (
                lambda: self.cloudwatch.describe_alarms(
                    AlarmNamePrefix=alarm_prefix(name_prefix), AlarmTypes=["MetricAlarm"], MaxRecords=100, **start
                ),
                "MetricAlarms",
                "NextToken",
            ),
            SEARCH: (
                lambda: self.sagemaker.search(
                    Resource="Endpoint", SortBy="EndpointName", SortOrder="Ascending", MaxResults=100, **start
                ),
                "Results",
                "NextToken",
            ),
        }
        call, key, next_key = calls[stream]
        with classified(f"read {stream} page"):
            answer = call()
        return Page(tuple(answer.get(key, ())), str(answer.get(next_key) or ""))
