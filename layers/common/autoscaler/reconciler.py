"""reconcile_endpoint(name): observe -> desire -> plan -> act -> report, for one endpoint.

Each outcome (``applied``, ``unchanged``, ``dry-run``, ``rejected``, ``skipped``, ``disabled``, ``deleted``), what a
refused write leaves, and where one endpoint's bad data stops (``rejecting_crashes``): docs/reconcile.md. Temporary
AWS failures raise TemporaryError so that the queue retries the message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from autoscaler.actions import Action, PutStepScalingPolicy
from autoscaler.aws import Aws
from autoscaler.errors import (
    AutoscalerError,
    AwsError,
    ConfigError,
    EndpointNotReadyError,
    EvaluationError,
    Problem,
    RefusedError,
    TemporaryError,
)
from autoscaler.observability import logger
from autoscaler.outcomes import Outcome, Status, report, status_tag_changes
from autoscaler.planner import Plan, plan
from autoscaler.profiles import ProfileStore
from autoscaler.recent import RecentReconciles
from autoscaler.refusals import Refusal
from autoscaler.settings import Settings
from autoscaler.sources import Desired, desire
from autoscaler.spec import EndpointSpec
from autoscaler.state import EndpointInfo, ScalingState
from autoscaler.tags import ProfileRef, expired_holds, parse_tags

__all__ = [
    "Deps",
    "Evaluation",
    "Outcome",
    "PlanRefusedError",
    "Status",
    "apply_actions",
    "desirable",
    "evaluate",
    "hosts_components",
    "owns_anything",
    "reconcile_endpoint",
    "rejecting_crashes",
]


@dataclass(frozen=True)
class Deps:
    """What a reconcile needs, built once per execution environment; tests build it directly."""

    settings: Settings
    aws: Aws
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    recent: RecentReconciles = field(default_factory=RecentReconciles)  # see autoscaler/coalesce.py


class PlanRefusedError(AutoscalerError):
    """AWS refused ``action`` of a plan (``error``); ``written`` were carried out before it and stand, ``rest``
    were not attempted."""

    def __init__(self, error: RefusedError, action: Action, written: Sequence[Action], rest: Sequence[Action]) -> None:
        self.error, self.action, self.written, self.rest = error, action, tuple(written), tuple(rest)
        super().__init__(str(error))


@contextmanager
def rejecting_crashes(endpoint: str) -> Iterator[None]:
    """The boundary of an endpoint's own data (see the module docstring): AWS failures and the controller's own
    errors pass; any other exception becomes that endpoint's EvaluationError, logged with its traceback."""
    try:
        yield
    except (AutoscalerError, MemoryError):
        raise
    except Exception as exc:
        kind = type(exc).__name__
        logger.exception(
            "evaluating the configuration crashed", extra={"endpoint": endpoint, "exception": kind, "reason": str(exc)}
        )
        problem = Problem(f"endpoint {endpoint}", f"evaluating its configuration failed: {kind}: {exc}")
        raise EvaluationError([problem]) from exc


def reconcile_endpoint(name: str, deps: Deps, *, components: bool = False) -> Outcome:
    """Raises TemporaryError when AWS throttled or failed: the caller retries. Never raises for bad configuration.
    ``components``: look up the endpoint's inference components even if its configuration does not ask."""
    started = time.perf_counter()
    outcome = _reconcile(name, deps, components)
    report(outcome, deps.settings, deps.aws, time.perf_counter() - started)
    return outcome


@dataclass(frozen=True)
class Evaluation:
    """Everything a reconcile reads and decides before it writes: shared by reconcile, the CLI's plan and status."""

    name: str
    now: datetime
    endpoint: EndpointInfo | None = None  # None: the endpoint does not exist
    tags: dict[str, str] = field(default_factory=dict)
    desired: Desired | None = None
    error: ConfigError | None = None  # the configuration is invalid
    actual: ScalingState | None = None  # read only when the endpoint is InService and the configuration valid
    plan: Plan = field(default_factory=Plan)


def evaluate(name: str, deps: Deps, *, instance_types: bool = True, components: bool = False) -> Evaluation:
    """observe -> desire -> plan, reading only. ``instance_types=False`` reads the endpoint config only when a CPU or
    GPU metric needs a variant's instance type (``Aws.read_endpoint``). ``components``: look up the endpoint's
    inference components even if its configuration does not ask (``hosts_components``); they are then read for what
    the controller owns on them, and none is managed (``desirable``)."""
    settings, aws = deps.settings, deps.aws
    now = deps.clock()
    endpoint = aws.read_endpoint(name, instance_types=instance_types)
    if endpoint is None:
        return Evaluation(name, now)
    tags = aws.read_tags(endpoint.arn)
    profiles = ProfileStore(aws.read_parameter, settings.profile_prefix)
    actual: ScalingState | None = None
    try:
        with rejecting_crashes(name):
            asks = hosts_components(tags, settings, profiles)
        if components or asks:
            endpoint = aws.with_components(endpoint)
        with rejecting_crashes(name):
            desired = desire(
                desirable(endpoint, asks), tags, settings, profiles=profiles.load, hardware=aws.instance_hardware
            )
    except EvaluationError as exc:
        return Evaluation(name, now, endpoint, tags, error=exc)
    except ConfigError as exc:
        if not parse_tags(tags, settings.tag_prefix).only_mistyped_opt_in:
            return Evaluation(name, now, endpoint, tags, error=exc)
        # A mistyped opt-in is rejected only where it would tear something down: an endpoint the controller owns
        # nothing on was never managed, and stays so (the typo is reported as a warning).
        actual = aws.read_state(endpoint, settings.name_prefix)
        if owns_anything(actual):
            return Evaluation(name, now, endpoint, tags, error=exc)
        desired = Desired(EndpointSpec(name), (*exc.problems, *exc.warnings))
    if not endpoint.in_service:
        return Evaluation(name, now, endpoint, tags, desired)
    actual = actual or aws.read_state(endpoint, settings.name_prefix)
    try:
        with rejecting_crashes(name):
            planned = plan(desired.spec, actual, now)
    except ConfigError as exc:
        return Evaluation(name, now, endpoint, tags, desired, exc, actual)
    return Evaluation(name, now, endpoint, tags, desired, None, actual, planned)


def owns_anything(state: ScalingState) -> bool:
    return bool(state.alarms) or any(t.owns_anything for t in state.targets)


def desirable(endpoint: EndpointInfo, asks: bool) -> EndpointInfo:
    """The endpoint as ``desire`` sees it: its components only when its configuration asks for them (an endpoint
    that does not ask manages none, whatever a component's own tags say; what is owned on one is then released)."""
    return endpoint if asks else replace(endpoint, components=())


def hosts_components(tags: Mapping[str, str], settings: Settings, profiles: ProfileStore) -> bool:
    """Whether to look up the endpoint's inference components: its `inference-components=true` tag, or a profile
    with an `inference_components` section. Looking them up for every endpoint would cost every reconcile a read."""
    config = parse_tags(tags, settings.tag_prefix)
    if config.inference_components:
        return True
    if config.endpoint.enabled is not True or config.errors:
        return False
    try:
        return bool(profiles.load(config.profile or ProfileRef(settings.default_profile)).components)
    except ConfigError:
        return False  # desire() reports it


def _reconcile(name: str, deps: Deps, components: bool) -> Outcome:
    settings, aws = deps.settings, deps.aws
    found = evaluate(name, deps, instance_types=False, components=components)
    endpoint, tags, desired, planned, now = found.endpoint, found.tags, found.desired, found.plan, found.now
    if endpoint is None:
        return _forget(name, deps)
    if found.error is not None:
        failed = isinstance(found.error, EvaluationError)
        outcome = Outcome(
            name,
            Status.REJECTED,
            f"{'evaluating the configuration failed' if failed else 'invalid configuration'}: nothing written",
            errors=found.error.problems,
            warnings=found.error.warnings,
        )
        return _with_status_tags(outcome, tags, endpoint.arn, deps)
    assert desired is not None  # valid configuration
    if found.actual is None:
        return Outcome(name, Status.SKIPPED, f"endpoint is {endpoint.status}, not InService", warnings=desired.warnings)

    done_status = Status.APPLIED if desired.spec.enabled else Status.DISABLED
    if settings.dry_run:
        status, writes, reason = Status.DRY_RUN, 0, f"dry run: {len(planned.actions)} action(s) planned, none written"
    elif not planned:
        status, writes, reason = (Status.UNCHANGED if desired.spec.enabled else Status.DISABLED), 0, "nothing to change"
    else:
        try:
            writes = apply_actions(planned.actions, aws)
        except EndpointNotReadyError as exc:
            return Outcome(
                name,
                Status.SKIPPED,
                f"endpoint stopped being InService mid-apply: {exc}",
                planned.actions,
                planned.notes,
                desired.warnings,
            )
        except PlanRefusedError as exc:
            return _refused(name, exc, planned.notes, desired.warnings, tags, deps)
        except AwsError as exc:
            # AWS refused a write. If the endpoint was deleted meanwhile (AWS does not document its wording for
            # that), it is a race, not a fault: the message returns and the next pass deletes the owned alarms.
            if aws.read_endpoint(name, instance_types=False) is None:
                raise TemporaryError(f"endpoint {name} was deleted mid-apply: {exc}") from exc
            raise
        status, reason = done_status, f"{writes} change(s) written"
        if settings.refusals_table:  # the plan was written: a refusal recorded for this endpoint is over
            aws.clear_refusal(settings.refusals_table, name)
    expired = expired_holds(tags, settings.tag_prefix, now)
    if expired and not settings.dry_run:
        aws.delete_tags(endpoint.arn, expired)
        writes += 1
        reason += f"; expired hold(s) removed: {', '.join(expired)}"
    outcome = Outcome(name, status, reason, planned.actions, planned.notes, desired.warnings, writes=writes)
    return _with_status_tags(outcome, tags, endpoint.arn, deps)


def apply_actions(actions: Sequence[Action], aws: Aws) -> int:
    """Carries out planned actions in order (a new step policy's ARN goes to its alarm); returns how many. Raises
    PlanRefusedError when AWS refuses one: the actions before it stay written, the rest are not attempted."""
    arns: dict[str, str] = {}
    for number, action in enumerate(actions, 1):
        try:
            arn = aws.apply(action, arns)
        except TemporaryError:
            logger.warning("action failed, will retry", extra={"action": action.verb, "applied_before": number - 1})
            raise
        except RefusedError as exc:
            raise PlanRefusedError(exc, action, actions[: number - 1], actions[number:]) from exc
        if arn is not None and isinstance(action, PutStepScalingPolicy):
            arns[action.policy.name] = arn
    return len(actions)


def _refused(
    name: str,
    exc: PlanRefusedError,
    notes: tuple[str, ...],
    warnings: tuple[Problem, ...],
    tags: dict[str, str],
    deps: Deps,
) -> Outcome:
    """AWS refused a write of the plan: a race with the endpoint's deletion or update, or else a permanent
    configuration error (``rejected``, recorded for the sweep)."""
    after = deps.aws.read_endpoint(name, instance_types=False)
    if after is None:
        # Refused because the endpoint was deleted meanwhile (AWS does not document its wording for that): a race,
        # not a fault. The message returns and the next pass deletes the owned alarms.
        raise TemporaryError(f"endpoint {name} was deleted mid-apply: {exc}") from exc
    if not after.in_service:
        return Outcome(
            name,
            Status.SKIPPED,
            f"endpoint stopped being InService mid-apply ({after.status}): {exc}",
            exc.written,
            notes,
            warnings,
            writes=len(exc.written),
        )
    refusal = Refusal.of(name, exc.error, exc.action, exc.rest, len(exc.written), deps.clock())
    if deps.settings.refusals_table:
        deps.aws.record_refusal(deps.settings.refusals_table, refusal)
    reason = (
        f"{refusal.describe()}; {len(exc.written)} earlier write(s) of the plan kept, "
        f"{len(exc.rest)} later action(s) not attempted"
    )
    outcome = Outcome(
        name,
        Status.REJECTED,
        reason,
        exc.written,
        notes,
        warnings,
        errors=(Problem(refusal.action, f"AWS refused {refusal.operation}: {refusal.code}: {refusal.message}"),),
        writes=len(exc.written),
        refusal=refusal,
        not_attempted=exc.rest,
    )
    return _with_status_tags(outcome, tags, after.arn, deps)


def _forget(name: str, deps: Deps) -> Outcome:
    """The endpoint no longer exists: AAS deregistered its targets (AWS does so on DeleteEndpoint); the alarms the
    controller made for its step policies are left behind by AAS, so delete them."""
    alarms = deps.aws.read_owned_alarms(deps.settings.name_prefix, name)
    if alarms and not deps.settings.dry_run:
        deps.aws.delete_alarms(alarms)
    writes = 0 if deps.settings.dry_run else len(alarms)
    return Outcome(
        name, Status.DELETED, f"endpoint does not exist; {len(alarms)} owned alarm(s) deleted", writes=writes
    )


def _with_status_tags(outcome: Outcome, tags: dict[str, str], arn: str, deps: Deps) -> Outcome:
    """Write the status tags when enabled and changed; their own tag events are ignored by the router."""
    changed = status_tag_changes(outcome, tags, deps.settings)
    if not changed or deps.settings.dry_run:
        return outcome
    deps.aws.write_tags(arn, changed)
    return replace(outcome, writes=outcome.writes + 1)
