"""The sweep: read the whole namespace in pages, plan every opted-in endpoint, enqueue only the drifted ones.

Events are best effort (and CloudTrail needs a trail), so the sweep is what makes the controller level-triggered in
the end. It reads everything at once instead of per endpoint: the opted-in endpoints (Tagging API GetResources, with
their tags), every scalable target, policy and scheduled action of the ``sagemaker`` namespace, and every owned alarm.
Then, for each endpoint that is opted in or still holds something the controller owns, its description, ``desire``
and ``plan`` exactly as a reconcile would. It never writes to Application Auto Scaling itself: drifted endpoints go on
the queue, so every write stays serialised per endpoint in the reconciler.

Descriptions cost as few calls as the facts allow (``Aws.describe_all_listed``): kept per execution environment while
ListEndpoints shows the same version (a warm sweep reads none); otherwise read 100 at a time from SageMaker Search
when that is fewer calls than one DescribeEndpoint each, using a record only where it shows the listed version
InService (Search is an index and may lag). A Search record does not say whether an endpoint is asynchronous, so its
verdict is worked out both ways: when they agree (an invocations target means the same on both), the answer does not
depend on it; when they differ (backlog tracking, min 0) that endpoint is described.

Inference components are listed region-wide only when an endpoint's configuration asks for them or the controller
owns something on one (a policy, a schedule, or an alarm); their tags are read only for the endpoints hosting them.
An endpoint whose configuration no longer asks for its components but still holds something the controller owns on
one is enqueued with ``components=True``, so its reconcile looks them up and removes what is no longer wanted.

Decisions:

- Rejected (invalid) configurations are not enqueued: a reconcile of one writes nothing, so re-queueing it every sweep
  would only repeat the same reject (an outcome event and a ``Rejects`` datapoint per endpoint per sweep, which would
  keep the reject-rate alarm up on one old typo). The sweep logs each with its errors and counts them
  (``SweepRejected``). The exception: with WriteStatusTags on, an endpoint whose status tag does not say ``rejected``
  yet is enqueued once, so the reconciler (the only writer of status tags) records it.
- A plan AWS refused is not enqueued either (``autoscaler.refusals``): when the reconciler recorded that AWS refused
  a write for what it asked, and this sweep plans exactly the requests that were still to make then, the endpoint is
  counted in ``SweepRejected`` and logged with AWS's message, like an invalid configuration. A new desired state (a
  tag or profile change) or a hand-made change plans other requests: enqueued. A reconcile that writes its plan
  deletes the record. The records are read in one Scan per sweep (per 1 MB).
- One endpoint's bad data never stops another's work: an exception other than an AWS failure while evaluating one
  endpoint (``autoscaler.reconciler.rejecting_crashes``: desire, plan, whether to look up its components) makes that
  endpoint rejected, logged with the exception's type and message and counted; the others are planned and enqueued
  as usual. AWS failures still fail the sweep (the next one comes soon).
- Endpoints not InService are skipped (the IN_SERVICE event, or the next sweep, brings them back).
- An expired capacity hold tag is drift too, even when the bounds already match: the reconciler removes it.
- Owned alarms whose endpoint no longer exists are deleted here (AAS leaves step-scaling alarms behind, and no
  endpoint remains whose reconcile could own the write). So are owned scalable targets of inference components that
  no longer exist (``_release_orphan_components``): the only writes the sweep makes itself.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from autoscaler.actions import Action
from autoscaler.aws import EndpointSummary
from autoscaler.errors import ConfigError
from autoscaler.events import enqueue
from autoscaler.messages import ReconcileRequest
from autoscaler.names import owned_prefix, parse_alarm_name
from autoscaler.observability import logger, metrics
from autoscaler.planner import plan
from autoscaler.profiles import ProfileStore
from autoscaler.quota import report_usage
from autoscaler.reconciler import Deps, desirable, hosts_components, rejecting_crashes
from autoscaler.refusals import Refusal
from autoscaler.sources import desire
from autoscaler.spec import TargetKey, VariantKind
from autoscaler.state import (
    ComponentInfo,
    EndpointInfo,
    ScalingState,
    TargetState,
    normalise_alarm,
    normalise_target,
)
from autoscaler.tags import OPT_IN, expired_holds, tag_key

SWEEP_TRIGGER = "sweep"


@dataclass(frozen=True)
class SweepResult:
    endpoints: tuple[str, ...] = ()  # looked at: opted in, or holding something the controller owns
    drifted: tuple[str, ...] = ()  # enqueued
    rejected: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()  # (endpoint, reason)
    deleted_alarms: tuple[str, ...] = ()
    described: int = 0  # DescribeEndpoint calls (the others were cached, or read from SageMaker Search)
    searched: int = 0  # descriptions made from SageMaker Search records
    released_components: tuple[str, ...] = ()  # owned targets of inference components that no longer exist

    def to_dict(self) -> dict[str, Any]:
        return {
            "endpoints": len(self.endpoints),
            "drifted": list(self.drifted),
            "rejected": list(self.rejected),
            "skipped": [{"endpoint": e, "reason": r} for e, r in self.skipped],
            "deleted_alarms": list(self.deleted_alarms),
            "described": self.described,
            "searched": self.searched,
            "released_components": list(self.released_components),
        }


@dataclass(frozen=True)
class Namespace:
    """Everything AAS and CloudWatch hold, grouped by endpoint name (as AAS spells it: the real name)."""

    targets: Mapping[str, tuple[TargetState, ...]]
    alarms: Mapping[str, tuple[dict[str, Any], ...]]
    components: Mapping[str, TargetState] = field(default_factory=dict)  # inference components' targets, by name
    alarmed: Mapping[str, frozenset[str]] = field(default_factory=dict)  # endpoint -> what its owned alarms are for

    def state(self, endpoint: EndpointInfo) -> ScalingState:
        """The same ScalingState ``Aws.read_state`` reads for one endpoint: targets of its current variants and of
        the inference components it was given (``EndpointInfo.components``) only."""
        keys = {TargetKey.for_variant(endpoint.name, v.name, v.kind) for v in endpoint.variants}
        targets = [t for t in self.targets.get(endpoint.name, ()) if t.key in keys]
        for component in endpoint.components:
            target = self.components.get(component.name)
            key = TargetKey.for_variant(endpoint.name, component.name, VariantKind.INFERENCE_COMPONENT)
            if target is not None and target.key == key:
                targets.append(target)
        return ScalingState(
            endpoint.name, tuple(targets), tuple(normalise_alarm(a) for a in self.alarms.get(endpoint.name, ()))
        )

    def owners(self) -> set[str]:
        """Endpoints on which the controller owns a policy or a scheduled action of a variant."""
        return {name for name, targets in self.targets.items() if any(t.owns_anything for t in targets)}

    def owned_components(self) -> set[str]:
        """Inference components on which the controller owns a policy or a scheduled action."""
        return {name for name, target in self.components.items() if target.owns_anything}

    def alarmed_components(self, endpoint: EndpointInfo) -> set[str]:
        """Names an owned alarm of the endpoint is for that are not its variants: its inference components."""
        return set(self.alarmed.get(endpoint.name, ())) - {v.name for v in endpoint.variants}


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
    components: dict[str, TargetState] = {}
    for raw_target in raw["targets"]:
        key = TargetKey(raw_target["ResourceId"], raw_target["ScalableDimension"])
        target = normalise_target(raw_target, policies[key], schedules[key], owned)
        parts = key.resource_id.split("/")
        if len(parts) == 4 and parts[0] == "endpoint" and parts[2] == "variant":
            targets[parts[1]].append(target)
        elif len(parts) == 2 and parts[0] == "inference-component":
            components[parts[1]] = target
    alarms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    alarmed: dict[str, set[str]] = defaultdict(set)
    for alarm in raw["alarms"]:
        owner = parse_alarm_name(name_prefix, alarm["AlarmName"])
        if owner is not None:
            alarms[owner.endpoint].append(alarm)
            alarmed[owner.endpoint].add(owner.variant)
    return Namespace(
        {name: tuple(found) for name, found in targets.items()},
        {name: tuple(found) for name, found in alarms.items()},
        components,
        {name: frozenset(found) for name, found in alarmed.items()},
    )


def sweep(deps: Deps, queue_url: str, sweep_id: str) -> SweepResult:
    """One pass over the account and region. Raises TemporaryError when AWS throttled or failed (the next sweep
    comes soon, and the missing heartbeat says so if none succeeds)."""
    settings, aws = deps.settings, deps.aws
    listed = {endpoint.name: endpoint for endpoint in aws.list_endpoints()}
    real_names = {name.lower(): name for name in listed}
    tagged: dict[str, dict[str, str]] = {}
    for arn, tags in aws.read_tagged_endpoints(tag_key(settings.tag_prefix, OPT_IN)):
        name = real_names.get(arn.rsplit("/", 1)[-1].lower())
        if name is not None:  # else deleted since (the Tagging API lags): nothing to reconcile
            tagged[name] = tags
    namespace = group_namespace(aws.read_namespace(settings.name_prefix), settings.name_prefix)
    # Quota hook (autoscaler/quota.py): the SageMaker scalable targets just read, against the account's quota; logs and
    # metrics only, and a failed quota read is a warning, never a failed sweep.
    report_usage(aws, sum(map(len, namespace.targets.values())) + len(namespace.components))
    existing = set(real_names.values())
    deleted = _delete_orphan_alarms(deps, namespace, existing)

    look = _Pass(deps, namespace, tagged, ProfileStore(aws.read_parameter, settings.profile_prefix), deps.clock())
    refusals = _read_refusals(deps)
    released = _release_orphan_components(deps, namespace, look)
    candidates = sorted(set(tagged) | ((namespace.owners() | look.component_owners()) & existing))
    descriptions = aws.describe_all_listed([listed[name] for name in candidates], among=len(listed))
    if descriptions.search_error:
        logger.warning(
            "sweep: Search failed, endpoints described one by one", extra={"reason": descriptions.search_error}
        )
    drifted: list[ReconcileRequest] = []
    rejected: list[str] = []
    skipped: list[tuple[str, str]] = []
    described = descriptions.described
    for name in candidates:
        endpoint = descriptions.endpoints[name]
        if endpoint is not None:
            tags = tagged[name] if name in tagged else aws.read_tags(endpoint.arn)
            endpoint = look.with_components(endpoint)
            if not endpoint.kinds_known:
                endpoint, again = look.resolve_kinds(endpoint, tags, listed[name])
                described += again
        if endpoint is None:
            skipped.append((name, "endpoint does not exist"))
            continue
        verdict = _unless_refused(look.judge(endpoint, tags), refusals.get(name), look.now)
        request = ReconcileRequest(name, SWEEP_TRIGGER, components=look.hinted(endpoint))
        if verdict.rejected:
            rejected.append(name)
            logger.warning("sweep: configuration rejected", extra={"endpoint": name, "reason": verdict.reason})
            if settings.write_status_tags and tags.get(tag_key(settings.tag_prefix, "status")) != "rejected":
                drifted.append(request)
        elif verdict.skipped:
            skipped.append((name, verdict.reason))
        elif verdict.drift:
            drifted.append(request)
            logger.info("sweep: drift", extra={"endpoint": name, "reason": verdict.reason})

    enqueue(aws, queue_url, sweep_id, drifted)
    result = SweepResult(
        tuple(candidates),
        tuple(r.endpoint for r in drifted),
        tuple(rejected),
        tuple(skipped),
        deleted,
        described,
        descriptions.searched,
        released,
    )
    _report(result)
    return result


class _Pass:
    """What one sweep knows beyond an endpoint's description: the namespace, the tags, the profiles (one read each),
    and the inference components, listed region-wide (100 per call) only when an endpoint asks for them or the
    controller owns something on one; their tags are read (ListTags each) only for the endpoints that host them."""

    def __init__(
        self,
        deps: Deps,
        namespace: Namespace,
        tagged: Mapping[str, Mapping[str, str]],
        profiles: ProfileStore,
        now: datetime,
    ) -> None:
        self.deps, self.namespace, self.profiles, self.now = deps, namespace, profiles, now
        self.asking = {name for name, tags in tagged.items() if _asks(name, tags, deps, profiles)}
        self.owned = namespace.owned_components()
        self.hosted: dict[str, list[ComponentInfo]] = defaultdict(list)
        for component in deps.aws.list_components() if self.asking or self.owned else ():
            self.hosted[component.endpoint].append(component)

    def listed_components(self) -> set[str]:
        return {c.name for found in self.hosted.values() for c in found}

    def component_owners(self) -> set[str]:
        """Endpoints hosting a component on which the controller owns something."""
        return {name for name, found in self.hosted.items() if any(c.name in self.owned for c in found)}

    def with_components(self, endpoint: EndpointInfo) -> EndpointInfo:
        """The endpoint with its components and their tags, when its configuration asks for them or the controller
        owns something on one of them (a policy or schedule, or an alarm); else as it is."""
        found = self.hosted.get(endpoint.name, ())
        owns = {c.name for c in found} & (self.owned | self.namespace.alarmed_components(endpoint))
        if found and (endpoint.name in self.asking or owns):
            return replace(endpoint, components=self.deps.aws.tagged_components(found))
        return endpoint

    def hinted(self, endpoint: EndpointInfo) -> bool:
        """Whether its reconcile must look up components that its configuration does not ask for."""
        return bool(endpoint.components) and endpoint.name not in self.asking

    def judge(self, endpoint: EndpointInfo, tags: Mapping[str, str]) -> _Verdict:
        wanted = desirable(endpoint, endpoint.name in self.asking)
        return _judge(wanted, endpoint, tags, self.deps, self.profiles, self.namespace, self.now)

    def resolve_kinds(
        self, endpoint: EndpointInfo, tags: Mapping[str, str], listed: EndpointSummary
    ) -> tuple[EndpointInfo | None, int]:
        """A description from a Search record does not say whether the endpoint is asynchronous: when the verdict
        is the same either way, it does not matter; else the endpoint is described (returns the calls made)."""
        if self.judge(endpoint, tags) == self.judge(endpoint.as_asynchronous(), tags):
            return endpoint, 0
        described = self.deps.aws.describe_listed(listed, fresh=True)
        return (None if described is None else replace(described, components=endpoint.components)), 1


@dataclass(frozen=True)
class _Verdict:
    """What the sweep makes of one endpoint: rejected, skipped (not InService), drifted, or none of these."""

    rejected: bool = False
    skipped: bool = False
    drift: bool = False
    reason: str = ""
    actions: tuple[Action, ...] = ()  # the plan, when drifted


def _asks(name: str, tags: Mapping[str, str], deps: Deps, profiles: ProfileStore) -> bool:
    """``hosts_components``, False when it crashes on the endpoint's data (its ``judge`` then reports it)."""
    try:
        with rejecting_crashes(name):
            return hosts_components(tags, deps.settings, profiles)
    except ConfigError:
        return False


def _read_refusals(deps: Deps) -> dict[str, Refusal]:
    """The refusals recorded by reconciles (``autoscaler.refusals``), by endpoint; none without a table."""
    table = deps.settings.refusals_table
    found: dict[str, Refusal] = {}
    for item in deps.aws.read_refusals(table) if table else ():
        try:
            refusal = Refusal.from_item(item)
        except (KeyError, TypeError, ValueError) as exc:  # written by hand: not the reconciler's
            logger.warning("sweep: unreadable refusal record ignored", extra={"reason": f"{type(exc).__name__}: {exc}"})
            continue
        found[refusal.endpoint] = refusal
    return found


def _unless_refused(verdict: _Verdict, refusal: Refusal | None, now: datetime) -> _Verdict:
    """A drift whose plan AWS refused, request for request, is that refusal: rejected, not enqueued again."""
    if not verdict.drift or refusal is None or not refusal.holds_for(verdict.actions, now):
        return verdict
    when = refusal.refused_at.isoformat()
    return _Verdict(rejected=True, reason=f"{refusal.describe()} (at {when}; not enqueued until the plan changes)")


def _judge(
    wanted: EndpointInfo,
    endpoint: EndpointInfo,
    tags: Mapping[str, str],
    deps: Deps,
    profiles: ProfileStore,
    namespace: Namespace,
    now: datetime,
) -> _Verdict:
    """The same desired state (of ``wanted``: see ``desirable``) and plan a reconcile computes
    (``autoscaler.reconciler``), against the namespace's state of ``endpoint``."""
    settings = deps.settings
    try:
        with rejecting_crashes(endpoint.name):
            desired = desire(wanted, tags, settings, profiles=profiles.load, hardware=deps.aws.instance_hardware)
        if not endpoint.in_service:
            return _Verdict(skipped=True, reason=f"endpoint is {endpoint.status}, not InService")
        with rejecting_crashes(endpoint.name):
            planned = plan(desired.spec, namespace.state(endpoint), now)
            expired = () if settings.dry_run else expired_holds(tags, settings.tag_prefix, now)
    except ConfigError as exc:
        return _Verdict(rejected=True, reason="; ".join(str(p) for p in exc.problems))
    reasons = [a.describe() for a in planned.actions]
    reasons += [f"expired capacity hold {key} to remove" for key in expired]
    return _Verdict(drift=bool(reasons), reason="; ".join(reasons), actions=planned.actions)


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


def _release_orphan_components(deps: Deps, namespace: Namespace, look: _Pass) -> tuple[str, ...]:
    """Deregisters the owned scalable targets of inference components that no longer exist.

    AWS documents that deleting an endpoint deregisters its scalable targets, not that deleting an inference component
    does; a target left on ``inference-component/<gone>`` has no endpoint whose reconcile could own the clean-up. The
    component listing may lag, so each one missing from it is confirmed gone with DescribeInferenceComponent first;
    deregistering deletes the target's policies and scheduled actions with it (the alarms go with their endpoint's
    next reconcile or the router's DeleteInferenceComponent route).
    """
    listed = look.listed_components()
    candidates = sorted(name for name in namespace.owned_components() if name not in listed)
    # The name is the target's, exactly as the component was created: no case-insensitive search is needed.
    gone = tuple(name for name in candidates if deps.aws.describe_component(name) is None)
    for name in gone:
        target = namespace.components[name].key
        logger.info(
            "sweep: owned target of a deleted inference component",
            extra={"action": "DeregisterTarget", "subject": target.resource_id, "reason": "component no longer exists"},
        )
        if not deps.settings.dry_run:
            deps.aws.deregister_target(target)
    return gone


def _report(result: SweepResult) -> None:
    logger.info("sweep done", extra=result.to_dict())
    metrics.add_metric(name="SweepEndpoints", unit=MetricUnit.Count, value=len(result.endpoints))
    metrics.add_metric(name="SweepDrifted", unit=MetricUnit.Count, value=len(result.drifted))
    metrics.add_metric(name="SweepRejected", unit=MetricUnit.Count, value=len(result.rejected))
    # Last, so only a sweep that got this far counts as a heartbeat.
    metrics.add_metric(name="SweepHeartbeat", unit=MetricUnit.Count, value=1)
