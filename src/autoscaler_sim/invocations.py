"""The simulator's one AWS read, CloudWatch GetMetricData of a variant's Invocations: outside the Lambda layer, since
no function calls it (their roles, template.yaml, do not allow it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from autoscaler.aws import classified


def read_invocations(
    cloudwatch: Any, endpoint: str, variant: str, start: datetime, end: datetime, period: int = 60
) -> list[tuple[datetime, float]]:
    """AWS/SageMaker Invocations (Sum per `period` seconds) of one variant in [start, end), oldest first: one
    GetMetricData query (dimensions EndpointName, VariantName), every page."""
    query = {
        "Id": "invocations",
        "MetricStat": {
            "Metric": {
                "Namespace": "AWS/SageMaker",
                "MetricName": "Invocations",
                "Dimensions": [
                    {"Name": "EndpointName", "Value": endpoint},
                    {"Name": "VariantName", "Value": variant},
                ],
            },
            "Period": period,
            "Stat": "Sum",
        },
        "ReturnData": True,
    }
    points: dict[datetime, float] = {}
    with classified("GetMetricData"):
        for page in cloudwatch.get_paginator("get_metric_data").paginate(
            MetricDataQueries=[query], StartTime=start, EndTime=end, ScanBy="TimestampAscending"
        ):
            for result in page.get("MetricDataResults", ()):
                for moment, value in zip(result.get("Timestamps", ()), result.get("Values", ()), strict=True):
                    points[moment] = points.get(moment, 0.0) + float(value)
    return sorted(points.items())
