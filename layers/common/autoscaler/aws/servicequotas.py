"""Service Quotas: the value of one quota (the applied one, else AWS's default), kept per execution environment."""

from __future__ import annotations

import time
from dataclasses import dataclass

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.errors import NotFoundError

# How long a quota value read is kept per execution environment: quotas change only when an increase is granted.
QUOTA_MAX_AGE_SECONDS = 600.0


@dataclass(frozen=True)
class ServiceQuota:
    service_code: str
    quota_code: str
    name: str
    value: float
    applied: bool  # False: AWS's default (no applied value exists)


class ServiceQuotasReads(Clients):
    _quotas: dict[tuple[str, str], tuple[float, ServiceQuota]]

    def read_service_quota(
        self, service_code: str, quota_code: str, *, max_age: float = QUOTA_MAX_AGE_SECONDS
    ) -> ServiceQuota:
        """GetServiceQuota (the applied value), else GetAWSDefaultServiceQuota; kept ``max_age`` seconds.

        Service Quotas API Reference, GetServiceQuota: "Retrieves the applied quota value for the specified
        account-level or resource-level quota. For some quotas, only the default values are available. If the applied
        quota value is not available for a quota, the quota is not retrieved." It then answers NoSuchResourceException
        ("The specified resource does not exist.", botocore's service-quotas model), and GetAWSDefaultServiceQuota
        "Retrieves the default value for the specified quota. The default value does not reflect any quota increases."
        """
        key = (service_code, quota_code)
        kept = self._quotas.get(key)
        if kept is not None and time.monotonic() - kept[0] < max_age:
            return kept[1]
        client = self.client("service-quotas")
        try:
            with classified(f"GetServiceQuota {service_code} {quota_code}"):
                raw, applied = client.get_service_quota(ServiceCode=service_code, QuotaCode=quota_code)["Quota"], True
        except NotFoundError:
            with classified(f"GetAWSDefaultServiceQuota {service_code} {quota_code}"):
                raw = client.get_aws_default_service_quota(ServiceCode=service_code, QuotaCode=quota_code)["Quota"]
            applied = False
        name = str(raw.get("QuotaName", quota_code))
        quota = ServiceQuota(service_code, quota_code, name, float(raw["Value"]), applied)
        self._quotas[key] = (time.monotonic(), quota)
        return quota
