"""The sweep: read the whole namespace in pages, plan every opted-in endpoint, enqueue only the drifted ones.

Events are best effort (and CloudTrail needs a trail), so the sweep is what makes the controller level-triggered in
the end. It reads everything at once instead of per endpoint: the opted-in endpoints (Tagging API GetResources, with
their tags), every scalable target, policy and scheduled action of the ``sagemaker`` namespace, and every owned alarm.
Then, for each endpoint that is opted in or still holds something the controller owns, its description
(DescribeEndpoint, kept per execution environment while ListEndpoints shows the same version:
``Aws.describe_listed``), ``desire`` and ``plan`` exactly as a reconcile would. It never writes to Application Auto
Scaling itself: drifted endpoints go on the queue, so every write stays serialised per endpoint in the reconciler.

Decisions:

- Rejected (invalid) configurations are not enqueued: a reconcile of one writes nothing, so re-queueing it every sweep
  would only repeat the same reject (an outcome event and a ``Rejects`` datapoint per endpoint per sweep, which would
  keep the reject-rate alarm up on one old typo). The sweep logs each with its errors and counts them
  (``SweepRejected``). The exception: with WriteStatusTags on, an endpoint whose status tag does not say ``rejected``
  yet is enqueued once, so the reconciler (the only writer of status tags) records it.
- Endpoints not InService are skipped (the IN_SERVICE event, or the next sweep, brings them back).
- An expired capacity hold tag is drift too, even when the bounds already match: the reconciler removes it.
- Owned alarms whose endpoint no longer exists are deleted here (AAS leaves step-scaling alarms behind, and no
  endpoint remains whose reconcile could own the write).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from autoscaler.errors import ConfigError
from autoscaler.events import enqueue
from autoscaler.messages import ReconcileRequest
from autoscaler.names import owned_prefix, parse_alarm_name
from autoscaler.planner import plan
from autoscaler.profiles import ProfileStore
from autoscaler.reconciler import Deps, logger, metrics
from autoscaler.sources import Desired, desire
from autoscaler.spec import TargetKey
from autoscaler.state import (
    EndpointInfo,
    ScalingState,
    TargetState,
    normalise_alarm,
    normalise_policy,
    normalise_schedule,
    normalise_target,
)
from autoscaler.tags import expired_holds

SWEEP_TRIGGER = "sweep"
_RESOURCE_PREFIX = "endpoint/"


@dataclass(frozen=True)
class SweepResult:
    endpoints: tuple[str, ...] = ()  # looked at: opted in, or holding something the controller owns
    drifted: tuple[str, ...] = ()  # enqueued
    rejected: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (endpoint, reason)
    deleted_alarms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "endpoints": len(self.endpoints),
            "drifted": list(self.drifted),
            "rejected": list(self.rejected),
            "skipped": [{"endpoint": e, "reason": r} for e, r in self.skipped],
            "deleted_alarms": list(self.deleted_alarms),
        }


@dataclass(frozen=True)
class Namespace:
    """Everything AAS and CloudWatch hold, grouped by endpoint name (as AAS spells it: the real name)."""

    targets: Mapping[str, tuple[TargetState, ...]]
    alarms: Mapping[str, tuple[dict[str, Any], ...]]

    def state(self, endpoint: EndpointInfo) -> ScalingState:
        """The same ScalingState ``Aws.read_state`` reads for one endpoint: targets of its current variants only."""
        keys = {TargetKey.for_variant(endpoint.name, v.name, v.kind) for v in endpoint.variants}
        targets = tuple(t for t in self.targets.get(endpoint.name, ()) if t.key in keys)
        return ScalingState(
            endpoint.name, targets, tuple(normalise_alarm(a) for a in self.alarms.get(endpoint.name, ()))
        )

    def owners(self) -> set[str]:
        """Endpoints on which the controller owns a policy or a scheduled action."""
        return {name for name, targets in self.targets.items() if any(t.owns_anything for t in targets)}


def group_namespace(raw: Mapping[str, Sequence[dict[str, Any]]], name_prefix: str) -> Namespace:
    """Pure: the namespace's raw pages -> normalised targets (with their policies and schedules) per endpoint."""
    owned = owned_prefix(name_prefix)
    policies: dict[TargetKey, list[dict[str, Any]]] = defaultdict(list)
    schedules: dict[TargetKey, list[dict[str, Any]]] = defaultdict(list)
    for policy in raw["policies"]:
        policies[TargetKey(policy["ResourceId"], policy["ScalableDimension"])].append(policy)
    for schedule in raw["schedules"]:
        schedules[TargetKey(schedule["ResourceId"], schedule["ScalableDimension"])].append(schedule)
    targets: dict[str, list[TargetState]] = defaultdict(list)
    for raw_target in raw["targets"]:
        endpoint = _endpoint_of(raw_target["ResourceId"])
        if endpoint is None:
            continue  # inference components: not on an endpoint's variant
        target = normalise_target(raw_target)
        targets[endpoint].append(
            replace(
                target,
                policies=tuple(normalise_policy(p, owned) for p in policies[target.key]),
                schedules=tuple(normalise_schedule(s, owned) for s in schedules[target.key]),
            )
        )
    alarms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for alarm in raw["alarms"]:
        owner = parse_alarm_name(name_prefix, alarm["AlarmName"])
        if owner is not None:
            alarms[owner.endpoint].append(alarm)
    return Namespace(
        {name: tuple(found) for name, found in targets.items()}, {name: tuple(found) for name, found in alarms.items()}
    )


def _endpoint_of(resource_id: str) -> str | None:
    parts = resource_id.split("/")
    if len(parts) == 4 and parts[0] == "endpoint" and parts[2] == "variant":
        return parts[1]
    return None


def sweep(deps: Deps, queue_url: str, sweep_id: str) -> SweepResult:
    """One pass over the account and region. Raises TemporaryError when AWS throttled or failed (the next sweep
    comes soon, and the missing heartbeat says so if none succeeds)."""
    settings, aws = deps.settings, deps.aws
    listed = {endpoint.name: endpoint for endpoint in aws.list_endpoints()}
    real_names = {name.lower(): name for name in listed}
    enabled_key = f"{settings.tag_prefix}:enabled"
    tagged: dict[str, dict[str, str]] = {}
    for arn, tags in aws.read_tagged_endpoints(enabled_key):
        name = real_names.get(arn.rsplit("/", 1)[-1].lower())
        if name is not None:  # else deleted since (the Tagging API lags): nothing to reconcile
            tagged[name] = tags
    namespace = group_namespace(aws.read_namespace(settings.name_prefix), settings.name_prefix)
    existing = set(real_names.values())
    deleted = _delete_orphan_alarms(deps, namespace, existing)

    now = deps.clock()
    profiles = ProfileStore(aws.read_parameter, settings.profile_prefix)  # one read per profile per sweep
    candidates = sorted(set(tagged) | (namespace.owners() & existing))
    drifted: list[str] = []
    rejected: list[str] = []
    skipped: list[tuple[str, str]] = []
    # Described once per endpoint version per execution environment (a warm sweep reads no endpoint); the others
    # concurrently.
    described = aws.describe_all_listed([listed[name] for name in candidates])
    for name in candidates:
        endpoint = described[name]
        if endpoint is None:
            skipped.append((name, "endpoint does not exist"))
            continue
        tags = tagged[name] if name in tagged else aws.read_tags(endpoint.arn)
        try:
            desired = _desire(endpoint, tags, deps, profiles)
        except ConfigError as exc:
            rejected.append(name)
            logger.warning(
                "sweep: configuration rejected",
                extra={"endpoint": name, "reason": "; ".join(str(p) for p in exc.problems)},
            )
            if settings.write_status_tags and tags.get(f"{settings.tag_prefix}:status") != "rejected":
                drifted.append(name)
            continue
        if not endpoint.in_service:
            skipped.append((name, f"endpoint is {endpoint.status}, not InService"))
            continue
        planned = plan(desired.spec, namespace.state(endpoint), now)
        expired = () if settings.dry_run else expired_holds(tags, settings.tag_prefix, now)
        if planned.actions or expired:
            drifted.append(name)
            reasons = [f"{a.verb} {a.subject}: {a.reason}" for a in planned.actions]
            reasons += [f"expired capacity hold {key} to remove" for key in expired]
            logger.info("sweep: drift", extra={"endpoint": name, "reason": "; ".join(reasons)})

    requests = [ReconcileRequest(name, SWEEP_TRIGGER) for name in drifted]
    enqueue(aws, queue_url, sweep_id, requests)
    result = SweepResult(tuple(candidates), tuple(drifted), tuple(rejected), tuple(skipped), deleted)
    _report(result)
    return result


def _desire(endpoint: EndpointInfo, tags: Mapping[str, str], deps: Deps, profiles: ProfileStore) -> Desired:
    """The same desired state a reconcile computes (``autoscaler.reconciler``)."""
    return desire(endpoint, tags, deps.settings, profiles=profiles.load, hardware=deps.aws.instance_hardware)


def _delete_orphan_alarms(deps: Deps, namespace: Namespace, existing: set[str]) -> tuple[str, ...]:
    orphans = tuple(
        sorted(a["AlarmName"] for name, alarms in namespace.alarms.items() if name not in existing for a in alarms)
    )
    if orphans:
        logger.info(
            "sweep: alarms of deleted endpoints",
            extra={"action": "DeleteAlarms", "subject": list(orphans), "reason": "endpoint no longer exists"},
        )
        if not deps.settings.dry_run:
            deps.aws.delete_alarms(orphans)
    return orphans


def _report(result: SweepResult) -> None:
    logger.info("sweep done", extra=result.to_dict())
    metrics.add_metric(name="SweepEndpoints", unit=MetricUnit.Count, value=len(result.endpoints))
    metrics.add_metric(name="SweepDrifted", unit=MetricUnit.Count, value=len(result.drifted))
    metrics.add_metric(name="SweepRejected", unit=MetricUnit.Count, value=len(result.rejected))
    # Last, so only a sweep that got this far counts as a heartbeat.
    metrics.add_metric(name="SweepHeartbeat", unit=MetricUnit.Count, value=1)
