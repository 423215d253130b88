"""The simulator's CloudWatch-history path against moto: GetMetricData on AWS/SageMaker Invocations per variant."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber
from click.testing import CliRunner
from moto import mock_aws

from autoscaler.aws import Aws
from autoscaler_cli.main import cli
from autoscaler_sim.invocations import read_invocations
from autoscaler_sim.traffic import from_cloudwatch


@pytest.fixture
def aws() -> Iterator[Aws]:
    with mock_aws():
        yield Aws.create(max_attempts=1)


def put(cloudwatch: object, when: datetime, value: float, variant: str = "AllTraffic", endpoint: str = "ep") -> None:
    cloudwatch.put_metric_data(  # type: ignore[attr-defined]
        Namespace="AWS/SageMaker",
        MetricData=[
            {
                "MetricName": "Invocations",
                "Dimensions": [{"Name": "EndpointName", "Value": endpoint}, {"Name": "VariantName", "Value": variant}],
                "Timestamp": when,
                "Value": value,
                "Unit": "None",
            }
        ],
    )


def test_the_variants_own_invocations_become_per_minute_traffic(aws: Aws) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    cloudwatch = boto3.client("cloudwatch")
    first = now - timedelta(minutes=30)
    put(cloudwatch, first, 120)
    put(cloudwatch, first + timedelta(seconds=20), 30)  # same minute: summed
    put(cloudwatch, first + timedelta(minutes=2), 75)
    put(cloudwatch, first + timedelta(minutes=2), 999, variant="Other")  # another variant: not read
    put(cloudwatch, first + timedelta(minutes=2), 999, endpoint="other-ep")

    traffic = from_cloudwatch(aws, "ep", "AllTraffic", 1, now)
    start = now - timedelta(days=1)
    assert traffic.start == start
    assert len(traffic.per_minute) == 1440
    offset = int((first - start).total_seconds() // 60)
    assert traffic.per_minute[offset : offset + 3] == (150.0, 0.0, 75.0)
    assert sum(traffic.per_minute) == 225.0
    assert "CloudWatch ep/AllTraffic" in traffic.source


def test_read_invocations_pages_through_get_metric_data() -> None:
    """moto answers in one page (no NextToken): a stubbed CloudWatch answers in two, the second asked for with the
    first's token, and the points of both are read (a minute in both pages is summed), oldest first."""
    end = datetime(2026, 11, 25, 12, tzinfo=UTC)
    start = end - timedelta(hours=1)
    minute = [end - timedelta(minutes=10 - m) for m in range(4)]
    cloudwatch = boto3.client("cloudwatch", region_name="us-east-1")
    stub = Stubber(cloudwatch)
    asked = {"MetricDataQueries": ANY, "StartTime": start, "EndTime": end, "ScanBy": "TimestampAscending"}

    def page(moments: list[datetime], values: list[float]) -> dict[str, Any]:
        return {"MetricDataResults": [{"Id": "invocations", "Timestamps": moments, "Values": values}]}

    stub.add_response("get_metric_data", {**page(minute[:2], [1.0, 2.0]), "NextToken": "page-2"}, asked)
    stub.add_response(
        "get_metric_data", page([minute[3], minute[1], minute[2]], [5.0, 10.0, 3.0]), {**asked, "NextToken": "page-2"}
    )
    with stub:
        points = read_invocations(cloudwatch, "ep", "AllTraffic", start, end, 60)
    stub.assert_no_pending_responses()
    assert points == [(minute[0], 1.0), (minute[1], 12.0), (minute[2], 3.0), (minute[3], 5.0)]


def test_no_history_is_an_error(aws: Aws) -> None:
    with pytest.raises(ValueError, match="no datapoints"):
        from_cloudwatch(aws, "ep", "AllTraffic", 1, datetime.now(UTC))


def test_simulate_reads_the_endpoints_history_from_the_cli(aws: Aws, tmp_path: Path) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    cloudwatch = boto3.client("cloudwatch")
    for minute in range(1, 60):
        put(cloudwatch, now - timedelta(minutes=minute), 500)
    profile = tmp_path / "p.json"
    profile.write_text(
        '{"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]}'
    )
    arguments = ["--json", "simulate", "--endpoint", "ep", "--cloudwatch", "--days", "1", "--capacity", "600"]
    result = CliRunner().invoke(cli, [*arguments, "--profile-file", str(profile)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["summary"]
    assert summary["invocations"] == 59 * 500
    assert summary["scale_outs"] >= 1  # 500 a minute on one instance is above the target of 70
