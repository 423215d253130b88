"""Reliability fixtures: the functional tests' ``world`` (moto in-process + the fidelity layer + a default profile +
an outcome-event tap), a rich profile, and the AWS state of one endpoint as normalised data to compare."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from autoscaler.aws import Aws
from autoscaler.reconciler import Deps
from tests.functional.conftest import World, library_aws, logs, world
from tests.functional.test_profiles import RICH as FUNCTIONAL_RICH

__all__ = ["library_aws", "logs", "world"]  # the fixtures, for the tests of this package

# Wednesday 25 November 2026, 10:00 in Berlin: the weekday-peak action fired last.
CLOCK = datetime(2026, 11, 25, 9, tzinfo=UTC)
VARIANTS = ("Primary", "Canary")
RICH_TAGS = {"autoscaling:enabled": "true", "autoscaling:profile": "rich"}
# Target tracking on two metrics, step scaling with its alarm, three schedules, and a
# per-variant override: on two variants, every kind of write the controller makes.
RICH: dict[str, Any] = {
    **FUNCTIONAL_RICH,
    "target_tracking": [*FUNCTIONAL_RICH["target_tracking"], {"metric": "concurrency", "target": 4}],
    "schedules": [
        *FUNCTIONAL_RICH["schedules"],
        {"name": "weekend-cap", "schedule": "cron(0 6 ? * SAT *)", "timezone": "UTC", "min": 1, "max": 4},
    ],
    "variants": {"Canary": {"max": 4}},
}
PROFILE_PREFIX = "/sagemaker-autoscaler/profiles"


def fresh_aws(world: World) -> Aws:
    """The world's clients without the caches an Aws keeps (endpoint configs, instance types): a cold execution
    environment, so each reconcile makes the same calls."""
    return world.aws.without_caches()


def deps(world: World, aws: Aws | None = None, clock: datetime = CLOCK, **settings: Any) -> Deps:
    base = world.deps(clock, **settings)
    return Deps(base.settings, aws or fresh_aws(world), base.clock)


def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
    return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page.get(key, ())]


def snapshot(aws: Aws, endpoint: str, variants: tuple[str, ...] = VARIANTS) -> dict[str, Any]:
    """Everything AAS and CloudWatch hold for ``endpoint``'s variants (targets, policies, scheduled actions) and its
    alarms under the name prefix, as plain data without ARNs or timestamps, the endpoint's name replaced by ``{E}``:
    two endpoints configured alike compare equal. An alarm's action is the name of the policy whose ARN it holds, or
    ``<dangling>`` when no policy of the endpoint has that ARN. (``owners`` looks account-wide.)"""
    ids = [f"endpoint/{endpoint}/variant/{v}" for v in variants]
    scope = {"ServiceNamespace": "sagemaker"}
    targets = [
        {k: t[k] for k in ("ResourceId", "ScalableDimension", "MinCapacity", "MaxCapacity", "SuspendedState")}
        for t in _pages(aws.autoscaling, "describe_scalable_targets", "ScalableTargets", **scope, ResourceIds=ids)
    ]
    raw_policies = [
        p
        for resource_id in ids
        for p in _pages(
            aws.autoscaling, "describe_scaling_policies", "ScalingPolicies", **scope, ResourceId=resource_id
        )
    ]
    by_arn = {p["PolicyARN"]: p["PolicyName"] for p in raw_policies}
    policies = [{k: v for k, v in p.items() if k not in ("PolicyARN", "CreationTime", "Alarms")} for p in raw_policies]
    schedules = [
        {k: v for k, v in s.items() if k not in ("ScheduledActionARN", "CreationTime")}
        for resource_id in ids
        for s in _pages(
            aws.autoscaling, "describe_scheduled_actions", "ScheduledActions", **scope, ResourceId=resource_id
        )
    ]
    alarm_fields = (
        "AlarmName",
        "Namespace",
        "MetricName",
        "Statistic",
        "Dimensions",
        "Period",
        "EvaluationPeriods",
        "DatapointsToAlarm",
        "Threshold",
        "ComparisonOperator",
        "TreatMissingData",
        "ActionsEnabled",
    )
    alarms = [
        {
            **{k: a[k] for k in alarm_fields if k in a},
            "AlarmActions": [by_arn.get(arn, "<dangling>") for arn in a.get("AlarmActions", ())],
        }
        for a in _pages(aws.cloudwatch, "describe_alarms", "MetricAlarms", AlarmNamePrefix=f"autoscaler/{endpoint}/")
    ]
    state = {
        "targets": sorted(targets, key=lambda t: t["ResourceId"]),
        "policies": sorted(policies, key=lambda p: (p["ResourceId"], p["PolicyName"])),
        "schedules": sorted(schedules, key=lambda s: (s["ResourceId"], s["ScheduledActionName"])),
        "alarms": sorted(alarms, key=lambda a: a["AlarmName"]),
    }
    text = json.dumps(state, sort_keys=True, default=str)
    normalised: dict[str, Any] = json.loads(text.replace(f"/{endpoint}/", "/{E}/").replace(f'"{endpoint}"', '"{E}"'))
    return normalised


EMPTY = {"targets": [], "policies": [], "schedules": [], "alarms": []}


def owners(aws: Aws) -> dict[str, int]:
    """Endpoint name -> how many targets, policies, scheduled actions and owned alarms it has, account-wide: what a
    fault could have left behind anywhere, not only under the endpoint a test looks at."""
    found: dict[str, int] = {}
    scope = {"ServiceNamespace": "sagemaker"}
    ids = [t["ResourceId"] for t in _pages(aws.autoscaling, "describe_scalable_targets", "ScalableTargets", **scope)]
    ids += [p["ResourceId"] for p in _pages(aws.autoscaling, "describe_scaling_policies", "ScalingPolicies", **scope)]
    ids += [s["ResourceId"] for s in _pages(aws.autoscaling, "describe_scheduled_actions", "ScheduledActions", **scope)]
    for resource_id in ids:
        name = resource_id.split("/")[1]
        found[name] = found.get(name, 0) + 1
    for alarm in _pages(aws.cloudwatch, "describe_alarms", "MetricAlarms", AlarmNamePrefix="autoscaler/"):
        name = alarm["AlarmName"].split("/")[1]
        found[name] = found.get(name, 0) + 1
    return found
