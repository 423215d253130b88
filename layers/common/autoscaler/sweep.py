"""The sweep: read the whole namespace in pages, plan every opted-in endpoint, enqueue only the drifted ones.

Events are best effort, so the sweep is what makes the controller level-triggered in the end: it reads the namespace
in pages, plans each opted-in endpoint (or one still holding something the controller owns) exactly as a reconcile
would, and enqueues the drifted ones; it never writes to Application Auto Scaling itself, except to remove what no
endpoint remains to own. How descriptions, components, rejected configurations, refused plans and crashes are
handled, and why: docs/sweep.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from autoscaler.actions import Action
from autoscaler.aws import Aws, EndpointSummary
from autoscaler.errors import ConfigError
from autoscaler.events import enqueue
from autoscaler.messages import ReconcileRequest
from autoscaler.observability import logger, metrics
from autoscaler.planner import plan
from autoscaler.profiles import ProfileStore
from autoscaler.quota import report_usage
from autoscaler.reconciler import Deps, desirable, hosts_components, rejecting_crashes
from autoscaler.refusals import Refusal
from autoscaler.sources import desire
from autoscaler.state import ComponentInfo, EndpointInfo
from autoscaler.sweep_namespace import Namespace, delete_orphan_alarms, group_namespace, release_orphan_components
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
    scalable_targets: int = 0  # SageMaker scalable targets read (all of them, not only the owned): the quota's use

    def sweep_counts(self) -> dict[str, int]:
        """What a sweep adds up over its shards."""
        return {
            "endpoints": len(self.endpoints),
            "drifted": len(self.drifted),
            "rejected": len(self.rejected),
            "skipped": len(self.skipped),
            "deleted_alarms": len(self.deleted_alarms),
            "released_components": len(self.released_components),
            "scalable_targets": self.scalable_targets,
        }

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
class SweepInput:
    """What a sweep (or one shard of it) plans from: the listed endpoints, the opted-in ones with their tags (Tagging
    API), the raw namespace pages (``group_namespace``), and how many endpoints the region lists in all."""

    listed: tuple[EndpointSummary, ...]
    tagged: tuple[tuple[str, dict[str, str]], ...]
    namespace: Mapping[str, Sequence[dict[str, Any]]]
    among: int
    records: Mapping[str, dict[str, Any]] | None = None  # Search records read as a page stream, by ARN
    releases: Callable[[str], bool] = lambda component: True  # the owned components this part may release


def sweep(deps: Deps, queue_url: str, sweep_id: str) -> SweepResult:
    """One pass over the account and region in one go. Raises TemporaryError when AWS throttled or failed (the next
    sweep comes soon, and the missing heartbeat says so if none succeeds)."""
    settings, aws = deps.settings, deps.aws
    listed = aws.list_endpoints()
    found = SweepInput(
        listed,
        aws.read_tagged_endpoints(tag_key(settings.tag_prefix, OPT_IN)),
        aws.read_namespace(settings.name_prefix),
        len(listed),
    )
    result = plan_part(deps, queue_url, sweep_id, found)
    assert result is not None  # no budget: it always finishes
    report_sweep(aws, result.sweep_counts(), **result.to_dict())
    return result


def plan_part(
    deps: Deps, queue_url: str, sweep_id: str, found: SweepInput, spent: Callable[[], bool] | None = None
) -> SweepResult | None:
    """Plans the endpoints ``found`` holds, enqueues the drifted ones and cleans up what only the sweep can; the
    same for the whole region or for one shard of it (autoscaler/sweep_shards.py). ``spent``: asked before each
    endpoint; when it says the time is up, stops and returns None, having written and enqueued nothing."""
    settings, aws = deps.settings, deps.aws
    listed = {endpoint.name: endpoint for endpoint in found.listed}
    real_names = {name.lower(): name for name in listed}
    tagged: dict[str, dict[str, str]] = {}
    for arn, tags in found.tagged:
        name = real_names.get(arn.rsplit("/", 1)[-1].lower())
        if name is not None:  # else deleted since (the Tagging API lags): nothing to reconcile
            tagged[name] = tags
    namespace = group_namespace(found.namespace, settings.name_prefix)
    existing = set(real_names.values())

    look = _Pass(deps, namespace, tagged, ProfileStore(aws.read_parameter, settings.profile_prefix), deps.clock())
    refusals = _read_refusals(deps)
    candidates = sorted(set(tagged) | ((namespace.owners() | look.component_owners()) & existing))
    descriptions = aws.describe_all_listed(
        [listed[name] for name in candidates], among=found.among, records=found.records
    )
    if descriptions.search_error:
        logger.warning(
            "sweep: Search failed, endpoints described one by one", extra={"reason": descriptions.search_error}
        )
    drifted: list[ReconcileRequest] = []
    rejected: list[str] = []
    skipped: list[tuple[str, str]] = []
    described = descriptions.described
    # Owners that carry no opt-in tag: their tags from ListTags, read together (botocore clients are thread-safe).
    untagged = [e for name in candidates if name not in tagged and (e := descriptions.endpoints[name]) is not None]
    tags_of = {**tagged, **aws.read_tags_of({e.name: e.arn for e in untagged})}
    for name in candidates:
        if spent is not None and spent():
            return None
        endpoint = descriptions.endpoints[name]
        if endpoint is None:
            skipped.append((name, "endpoint does not exist"))
            continue
        tags = tags_of[name]
        endpoint, verdict, again = look.resolve_kinds(look.with_components(endpoint), tags, listed[name])
        described += again
        if endpoint is None:
            skipped.append((name, "endpoint does not exist"))
            continue
        verdict = _unless_refused(verdict, refusals.get(name), look.now)
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

    # The writes come last, so a part stopped by its time budget has written nothing.
    deleted = delete_orphan_alarms(deps, namespace, existing)
    released = release_orphan_components(deps, namespace, look.listed_components(), found.releases)
    enqueue(aws, queue_url, sweep_id, drifted)
    return SweepResult(
        tuple(candidates),
        tuple(r.endpoint for r in drifted),
        tuple(rejected),
        tuple(skipped),
        deleted,
        described,
        descriptions.searched,
        released,
        # A shard holds its endpoints' targets; every shard reads all components' targets, counted by the one that
        # may release them (all, in one go).
        sum(map(len, namespace.targets.values())) + sum(1 for c in namespace.components if found.releases(c)),
    )


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
        self._hosted: dict[str, list[ComponentInfo]] | None = None

    @property
    def hosted(self) -> Mapping[str, Sequence[ComponentInfo]]:
        """The region's components by hosting endpoint, listed on first need: so whether an endpoint's components are
        looked at depends on that endpoint alone (and on what is owned), however the sweep is split into shards."""
        if self._hosted is None:
            self._hosted = defaultdict(list)
            for component in self.deps.aws.list_components():
                self._hosted[component.endpoint].append(component)
        return self._hosted

    def listed_components(self) -> set[str]:
        return {c.name for found in self.hosted.values() for c in found} if self.owned else set()

    def component_owners(self) -> set[str]:
        """Endpoints hosting a component on which the controller owns something."""
        if not self.owned:
            return set()
        return {name for name, found in self.hosted.items() if any(c.name in self.owned for c in found)}

    def with_components(self, endpoint: EndpointInfo) -> EndpointInfo:
        """The endpoint with its components and their tags, when its configuration asks for them or the controller
        owns something on one of them (a policy or schedule, or an alarm); else as it is."""
        alarmed = self.namespace.alarmed_components(endpoint)
        if not (endpoint.name in self.asking or self.owned or alarmed):
            return endpoint
        found = self.hosted.get(endpoint.name, ())
        owns = {c.name for c in found} & (self.owned | alarmed)
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
    ) -> tuple[EndpointInfo | None, _Verdict, int]:
        """The endpoint's verdict, judged once. A description from a Search record does not say whether the endpoint
        is asynchronous: when the verdict is the same either way, it does not matter; else the endpoint is described
        and judged as it is (returns the description, its verdict and the DescribeEndpoint calls made)."""
        verdict = self.judge(endpoint, tags)
        if endpoint.kinds_known:
            return endpoint, verdict, 0
        asynchronous = endpoint.as_asynchronous()
        if asynchronous == endpoint or verdict == self.judge(asynchronous, tags):  # equal: no instance variant
            return endpoint, verdict, 0
        described = self.deps.aws.describe_listed(listed, fresh=True)
        if described is None:
            return None, verdict, 1
        described = replace(described, components=endpoint.components)
        return described, self.judge(described, tags), 1


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


def report_sweep(aws: Aws, counts: Mapping[str, int], **details: Any) -> None:
    """The sweep's metrics, once per sweep (by the one invocation, or by the shard that completes it). With them, the
    SageMaker scalable targets it read against the account's quota (``autoscaler.quota``: one quota read per sweep;
    a failed read is a warning, never a failed sweep)."""
    logger.info("sweep done", extra={**counts, **details})
    metrics.add_metric(name="SweepEndpoints", unit=MetricUnit.Count, value=counts["endpoints"])
    metrics.add_metric(name="SweepDrifted", unit=MetricUnit.Count, value=counts["drifted"])
    metrics.add_metric(name="SweepRejected", unit=MetricUnit.Count, value=counts["rejected"])
    report_usage(aws, counts["scalable_targets"])
    # Last, so only a sweep that got this far counts as a heartbeat.
    metrics.add_metric(name="SweepHeartbeat", unit=MetricUnit.Count, value=1)
