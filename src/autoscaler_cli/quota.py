"""The account's scalable-target quota as `validate --account` and `status` show it: the SageMaker scalable targets
registered (one DescribeScalableTargets pass over the namespace, 50 per page) against Application Auto Scaling's quota
(autoscaler/quota.py). A failed read of either is shown, never fatal: the command's own checks still run."""

from __future__ import annotations

from autoscaler.aws import Aws, classified
from autoscaler.constants import AAS_NAMESPACE
from autoscaler.errors import AutoscalerError
from autoscaler.quota import QuotaUsage, read_usage


def count_targets(aws: Aws) -> int:
    """Every scalable target of the ``sagemaker`` namespace, the controller's and hand-made ones (all count)."""
    with classified("DescribeScalableTargets sagemaker"):
        paginator = aws.autoscaling.get_paginator("describe_scalable_targets")
        pages = paginator.paginate(ServiceNamespace=AAS_NAMESPACE, PaginationConfig={"PageSize": 50})
        return sum(len(page.get("ScalableTargets", ())) for page in pages)


def account_usage(aws: Aws) -> QuotaUsage | str:
    """The usage, or why the targets could not be counted."""
    try:
        used = count_targets(aws)
    except AutoscalerError as exc:
        return f"scalable targets not counted: {exc}"
    return read_usage(aws, used)


def describe(usage: QuotaUsage | str) -> tuple[str, str | None]:
    """(text, style): yellow at the template's default alarm threshold (80%) and above, red when reached."""
    if isinstance(usage, str):
        return usage, "yellow"
    percent = usage.percent
    if percent is None:
        return usage.describe(), "yellow"
    return usage.describe(), "bold red" if percent >= 100 else "yellow" if percent >= 80 else None
