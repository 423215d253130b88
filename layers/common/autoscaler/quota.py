"""The first limit a growing fleet meets: Application Auto Scaling's scalable targets per resource type.

Each account and region holds at most so many scalable targets of one resource type, the controller's and hand-made
ones alike (autoscaler/constants.py: SAGEMAKER_TARGETS_QUOTA_CODE, and AWS's source). Past it, RegisterScalableTarget
fails with LimitExceededException and new endpoints get no autoscaling. The sweep already reads every target of the
``sagemaker`` namespace, so it counts them for free, reads the quota (Service Quotas, at most once per sweep and kept
per execution environment: ``Aws.read_service_quota``) and publishes both and their ratio:

- ``ScalableTargets``: registered SageMaker scalable targets (Count);
- ``ScalableTargetsQuota``: the quota's value (Count), applied value or else AWS's default;
- ``ScalableTargetsQuotaUsage``: the first over the second (Percent); template.yaml alarms on it before it is reached.

Reading the quota never fails the sweep: a failure (throttled, denied) is logged as a warning and only the count is
published.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from autoscaler.aws import Aws, ServiceQuota
from autoscaler.constants import QUOTAS_SERVICE_CODE, SAGEMAKER_TARGETS_QUOTA_CODE
from autoscaler.errors import AutoscalerError
from autoscaler.observability import logger, metrics

ADVICE = "raise it in Service Quotas or split the fleet across accounts"


@dataclass(frozen=True)
class QuotaUsage:
    """Registered SageMaker scalable targets against the account's quota (None when it could not be read)."""

    used: int
    quota: ServiceQuota | None = None
    error: str = ""  # why the quota could not be read

    @property
    def percent(self) -> float | None:
        if self.quota is None or self.quota.value <= 0:
            return None
        return 100.0 * self.used / self.quota.value

    def describe(self) -> str:
        """``scalable targets: 412 of 500 (82%) — quota L-1AAF0700 (AWS default); raise it in Service Quotas or ...``"""
        if self.quota is None or self.percent is None:
            return f"scalable targets: {self.used} (quota {SAGEMAKER_TARGETS_QUOTA_CODE} not read: {self.error})"
        source = "applied" if self.quota.applied else "AWS default"
        return (
            f"scalable targets: {self.used} of {self.quota.value:g} ({self.percent:.0f}%) — quota "
            f"{self.quota.quota_code} ({source}); {ADVICE}"
        )

    def to_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {"scalable_targets": self.used, "quota_code": SAGEMAKER_TARGETS_QUOTA_CODE}
        if self.quota is not None:
            found.update(quota=self.quota.value, quota_applied=self.quota.applied, percent=self.percent)
        else:
            found["quota_error"] = self.error
        return found


def read_usage(aws: Aws, used: int) -> QuotaUsage:
    """``used`` targets against the quota; a failure to read the quota is the usage's ``error``, never raised."""
    try:
        quota = aws.read_service_quota(QUOTAS_SERVICE_CODE, SAGEMAKER_TARGETS_QUOTA_CODE)
    except AutoscalerError as exc:  # the adapter raises only the controller's errors
        return QuotaUsage(used, error=str(exc))
    return QuotaUsage(used, quota)


def report_usage(aws: Aws, used: int) -> QuotaUsage:
    """The sweep's hook: read the quota, log and publish the usage; warns (never raises) when the quota read fails."""
    usage = read_usage(aws, used)
    metrics.add_metric(name="ScalableTargets", unit=MetricUnit.Count, value=used)
    if usage.quota is None or usage.percent is None:
        logger.warning("scalable-target quota not read", extra={**usage.to_dict(), "reason": usage.error})
        return usage
    metrics.add_metric(name="ScalableTargetsQuota", unit=MetricUnit.Count, value=usage.quota.value)
    metrics.add_metric(name="ScalableTargetsQuotaUsage", unit=MetricUnit.Percent, value=usage.percent)
    logger.info("scalable-target quota", extra={**usage.to_dict(), "reason": usage.describe()})
    return usage
