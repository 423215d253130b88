"""Service Quotas rules: Application Auto Scaling's scalable-target quota for SageMaker, applied value or default.

moto (5.2.x) knows the quotas of ``vpc`` only and has no GetAWSDefaultServiceQuota. AWS:

- GetAWSDefaultServiceQuota "Retrieves the default value for the specified quota. The default value does not reflect
  any quota increases." (Service Quotas API Reference, GetAWSDefaultServiceQuota.) The default of "Scalable targets
  per resource type" is 500 for SageMaker ("Other resource types: 500", adjustable: Application Auto Scaling User
  Guide, "Quotas for Application Auto Scaling"); Service Quotas names it "Scalable targets for SageMaker", code
  L-1AAF0700.
- GetServiceQuota "Retrieves the applied quota value ... If the applied quota value is not available for a quota, the
  quota is not retrieved." (Service Quotas API Reference, GetServiceQuota), answered with NoSuchResourceException,
  "The specified resource does not exist." (botocore's service-quotas model). Here no applied value exists until one
  is granted (``grant_quota``: what an approved increase leaves behind), so the default path is the one tested first.

Other service codes keep moto's behaviour.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.servicequotas.models import ServiceQuotasBackend, servicequotas_backends
from moto.servicequotas.responses import ServiceQuotasResponse

from autoscaler.constants import (
    QUOTAS_SERVICE_CODE,
    SAGEMAKER_TARGETS_DEFAULT_QUOTA,
    SAGEMAKER_TARGETS_QUOTA_CODE,
)

_moto_get_service_quota = ServiceQuotasBackend.get_service_quota
SERVICE_NAME = "Application Auto Scaling"
QUOTA_NAME = "Scalable targets for SageMaker"


class NoSuchResourceException(JsonRESTError):  # noqa: N818 - AWS's error code
    def __init__(self) -> None:
        super().__init__("NoSuchResourceException", "The specified resource does not exist.")


def _known(service_code: str, quota_code: str) -> bool:
    return (service_code, quota_code) == (QUOTAS_SERVICE_CODE, SAGEMAKER_TARGETS_QUOTA_CODE)


def _quota(backend: ServiceQuotasBackend, value: float, applied: bool) -> dict[str, Any]:
    account = backend.account_id if applied else ""  # AWS's default quotas carry no account in their ARN
    return {
        "ServiceCode": QUOTAS_SERVICE_CODE,
        "ServiceName": SERVICE_NAME,
        "QuotaArn": f"arn:aws:servicequotas:{backend.region_name}:{account}:{QUOTAS_SERVICE_CODE}/"
        f"{SAGEMAKER_TARGETS_QUOTA_CODE}",
        "QuotaCode": SAGEMAKER_TARGETS_QUOTA_CODE,
        "QuotaName": QUOTA_NAME,
        "Value": float(value),
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    }


def _applied(backend: ServiceQuotasBackend) -> dict[tuple[str, str], float]:
    found: dict[tuple[str, str], float] = backend.__dict__.setdefault("_fidelity_applied_quotas", {})
    return found


def grant_quota(account_id: str, region: str, value: float) -> None:
    """Gives the account an applied value of the SageMaker scalable-target quota (an approved increase)."""
    backend = servicequotas_backends[account_id][region]
    _applied(backend)[(QUOTAS_SERVICE_CODE, SAGEMAKER_TARGETS_QUOTA_CODE)] = float(value)


def _get_service_quota(self: ServiceQuotasBackend, service_code: str, quota_code: str) -> dict[str, Any]:
    if not _known(service_code, quota_code):
        return _moto_get_service_quota(self, service_code, quota_code)
    value = _applied(self).get((service_code, quota_code))
    if value is None:
        raise NoSuchResourceException()
    return _quota(self, value, applied=True)


def _get_aws_default_service_quota(self: ServiceQuotasBackend, service_code: str, quota_code: str) -> dict[str, Any]:
    if not _known(service_code, quota_code):
        raise NoSuchResourceException()
    return _quota(self, SAGEMAKER_TARGETS_DEFAULT_QUOTA, applied=False)


def _get_aws_default_service_quota_response(self: ServiceQuotasResponse) -> str:
    params = json.loads(self.body)
    quota = _get_aws_default_service_quota(self.backend, str(params.get("ServiceCode")), str(params.get("QuotaCode")))
    return json.dumps({"Quota": quota})


PATCHES: tuple[tuple[object, str, object], ...] = (
    (ServiceQuotasBackend, "get_service_quota", _get_service_quota),
    (ServiceQuotasBackend, "get_aws_default_service_quota", _get_aws_default_service_quota),
    (ServiceQuotasResponse, "get_aws_default_service_quota", _get_aws_default_service_quota_response),
)
