"""The fidelity layer pages reads at AWS's page sizes (``PAGE_SIZES`` of each service module), so that a controller
that does not follow NextToken fails here as it would on AWS; plain moto serves more in one page.

Targets are DynamoDB tables: moto registers them without a table behind them, so many are cheap to make.
"""

from __future__ import annotations

from typing import Any

from .test_fidelity import ACCEPTED, ALARM, Aws, aws, clients, error_of, outcome, with_and_without_layer

__all__ = ["aws", "clients"]  # the fixtures, imported for pytest

TABLES = {"ServiceNamespace": "dynamodb", "ScalableDimension": "dynamodb:table:WriteCapacityUnits"}


def table_targets(aws: Aws, count: int) -> list[str]:
    ids = [f"table/t{i:03}" for i in range(count)]
    for resource_id in ids:
        aws.autoscaling.register_scalable_target(**TABLES, ResourceId=resource_id, MinCapacity=1, MaxCapacity=4)
    return ids


def page_sizes(aws_client: Any, operation: str, member: str, **kwargs: Any) -> list[int]:
    """The size of each page a paginator reads, asking for no page size itself (AWS's default applies)."""
    return [len(page[member]) for page in aws_client.get_paginator(operation).paginate(**kwargs)]


@with_and_without_layer(with_layer=[10, 1], plain_moto=[11])
def test_describe_scaling_policies_pages_ten_at_a_time(aws: Aws, expected: list[int]) -> None:
    """Given 11 step policies on one target, when they are read without a page size, then AWS serves 10 and 1."""
    (resource_id,) = table_targets(aws, 1)
    for i in range(11):
        aws.autoscaling.put_scaling_policy(
            **TABLES,
            ResourceId=resource_id,
            PolicyName=f"step-{i}",
            PolicyType="StepScaling",
            StepScalingPolicyConfiguration={
                "AdjustmentType": "ChangeInCapacity",
                "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}],
            },
        )

    sizes = page_sizes(aws.autoscaling, "describe_scaling_policies", "ScalingPolicies", ServiceNamespace="dynamodb")

    assert sizes == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_describe_scaling_policies_refuses_more_than_ten_a_page(aws: Aws, expected: str) -> None:
    assert (
        outcome(lambda: aws.autoscaling.describe_scaling_policies(ServiceNamespace="dynamodb", MaxResults=11))
        == expected
    )


def test_describe_scalable_targets_pages_fifty_at_a_time_and_every_target_once(aws: Aws) -> None:
    """Given 101 targets, when they are read without a page size, then AWS serves 50, 50 and 1, each target once
    (moto's own token repeats after the second page)."""
    ids = table_targets(aws, 101)

    pages = list(aws.autoscaling.get_paginator("describe_scalable_targets").paginate(ServiceNamespace="dynamodb"))

    assert [len(page["ScalableTargets"]) for page in pages] == [50, 50, 1]
    assert [t["ResourceId"] for page in pages for t in page["ScalableTargets"]] == ids


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_describe_scalable_targets_refuses_more_than_fifty_a_page(aws: Aws, expected: str) -> None:
    assert (
        outcome(lambda: aws.autoscaling.describe_scalable_targets(ServiceNamespace="dynamodb", MaxResults=51))
        == expected
    )


@with_and_without_layer(with_layer=[50, 1], plain_moto=[51])
def test_describe_scheduled_actions_pages_fifty_at_a_time(aws: Aws, expected: list[int]) -> None:
    (resource_id,) = table_targets(aws, 1)
    for i in range(51):
        aws.autoscaling.put_scheduled_action(
            **TABLES,
            ResourceId=resource_id,
            ScheduledActionName=f"at-{i}",
            Schedule="cron(0 8 * * ? *)",
            ScalableTargetAction={"MinCapacity": 2},
        )

    sizes = page_sizes(aws.autoscaling, "describe_scheduled_actions", "ScheduledActions", ServiceNamespace="dynamodb")

    assert sizes == expected


@with_and_without_layer(with_layer=([50, 1], [51]), plain_moto=([51], [51]))
def test_describe_alarms_pages_fifty_by_default_and_up_to_a_hundred_when_asked(
    aws: Aws, expected: tuple[list[int], list[int]]
) -> None:
    for i in range(51):
        aws.cloudwatch.put_metric_alarm(**{**ALARM, "AlarmName": f"alarm-{i}"})

    by_default = page_sizes(aws.cloudwatch, "describe_alarms", "MetricAlarms")
    asked = page_sizes(aws.cloudwatch, "describe_alarms", "MetricAlarms", PaginationConfig={"PageSize": 100})

    assert (by_default, asked) == expected


def test_describe_alarms_refuses_more_than_a_hundred_a_page(aws: Aws) -> None:
    error = error_of(lambda: aws.cloudwatch.describe_alarms(MaxRecords=101))

    assert (error.code, error.message) == ("ValidationError", "MaxRecords 101 is not within 1-100")
