"""AWS's page sizes on moto_server, so that counting pages counts what AWS would bill in calls.

moto pages these reads differently from AWS (aws-facts.md gives AWS's sizes): DescribeScalingPolicies returns 100
per page (AWS: at most 10), DescribeScheduledActions and DescribeAlarms do not page at all (AWS: 50; 50 by default
and at most 100), and DescribeScalableTargets returns a NextToken that repeats after the second page. Each patched
read here asks moto's backend for everything and serves it in pages of AWS's default size, or the requested size
capped at AWS's maximum, with an offset as the token. Installed only in the benchmark's server process, on top of
the fidelity layer, whose rules decide what matches (DescribeScalingPolicies' exact ResourceId, for one).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from moto.applicationautoscaling import responses as aas
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.responses import ActionResult

from localaws import fidelity

__all__ = ["PAGE_SIZES", "install"]

# operation -> (AWS default page size, AWS maximum)
PAGE_SIZES = {
    "DescribeScalableTargets": (50, 50),
    "DescribeScalingPolicies": (10, 10),
    "DescribeScheduledActions": (50, 50),
    "DescribeAlarms": (50, 100),
}


def _page(
    items: Sequence[Any], token: str | None, requested: int | None, operation: str
) -> tuple[list[Any], str | None]:
    default, maximum = PAGE_SIZES[operation]
    size = min(requested or default, maximum)
    start = int(token) if token else 0
    end = start + size
    return list(items[start:end]), (str(end) if end < len(items) else None)


def _describe_scalable_targets(self: Any) -> str:
    self._validate_params()
    params = json.loads(self.body or "{}")
    found = self.applicationautoscaling_backend.describe_scalable_targets(
        params.get("ServiceNamespace"), params.get("ResourceIds"), params.get("ScalableDimension")
    )
    page, token = _page(found, params.get("NextToken"), params.get("MaxResults"), "DescribeScalableTargets")
    return json.dumps({"ScalableTargets": [aas._build_target(t) for t in page], "NextToken": token})


def _describe_scaling_policies(self: Any) -> str:
    params = json.loads(self.body or "{}")
    _, found = self.applicationautoscaling_backend.describe_scaling_policies(  # the layer's exact matching
        service_namespace=params.get("ServiceNamespace"),
        resource_id=params.get("ResourceId"),
        scalable_dimension=params.get("ScalableDimension"),
        max_results=10**9,
        next_token=None,
        policy_names=params.get("PolicyNames"),
    )
    page, token = _page(found, params.get("NextToken"), params.get("MaxResults"), "DescribeScalingPolicies")
    return json.dumps({"ScalingPolicies": [aas._build_policy(p) for p in page], "NextToken": token})


def _describe_scheduled_actions(self: Any) -> str:
    params = json.loads(self.body or "{}")
    found = self.applicationautoscaling_backend.describe_scheduled_actions(
        scheduled_action_names=params.get("ScheduledActionNames"),
        service_namespace=params.get("ServiceNamespace"),
        resource_id=params.get("ResourceId"),
        scalable_dimension=params.get("ScalableDimension"),
    )
    page, token = _page(found, params.get("NextToken"), params.get("MaxResults"), "DescribeScheduledActions")
    return json.dumps({"ScheduledActions": [aas._build_scheduled_action(a) for a in page], "NextToken": token})


_moto_describe_alarms = CloudWatchResponse.describe_alarms


def _describe_alarms(self: CloudWatchResponse) -> ActionResult:
    everything = _moto_describe_alarms(self).result
    assert isinstance(everything, dict)
    requested = self._get_param("MaxRecords")
    page, token = _page(
        everything["MetricAlarms"],
        self._get_param("NextToken"),
        int(requested) if requested else None,
        "DescribeAlarms",
    )
    result: dict[str, Any] = {"MetricAlarms": page, "CompositeAlarms": everything["CompositeAlarms"]}
    if token:
        result["NextToken"] = token
    return ActionResult(result)


def install() -> None:
    """Patches moto's response classes in this process (the benchmark's server process only).

    The fidelity layer goes in first (``LocalAws`` then finds it installed and keeps it): installed later, it would put
    its own DescribeScalingPolicies response back over this one.
    """
    fidelity.install()
    aas.ApplicationAutoScalingResponse.describe_scalable_targets = _describe_scalable_targets  # type: ignore[method-assign]
    aas.ApplicationAutoScalingResponse.describe_scaling_policies = _describe_scaling_policies  # type: ignore[method-assign]
    aas.ApplicationAutoScalingResponse.describe_scheduled_actions = _describe_scheduled_actions  # type: ignore[method-assign]
    CloudWatchResponse.describe_alarms = _describe_alarms  # type: ignore[method-assign]
