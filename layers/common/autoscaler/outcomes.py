"""What a reconcile did (``Outcome``, its ``Status``), and how it is told: one log line per decision, EMF metrics, an
outcome event on the bus when something happened, and the status tags (``WriteStatusTags``)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from autoscaler.actions import Action
from autoscaler.aws import Aws
from autoscaler.constants import OUTCOME_EVENT_DETAIL_TYPE, OUTCOME_EVENT_SOURCE, TAG_VALUE_MAX_LENGTH
from autoscaler.errors import AwsError, Problem, TemporaryError
from autoscaler.observability import logger, metrics
from autoscaler.refusals import Refusal
from autoscaler.settings import Settings
from autoscaler.tags import tag_key


class Status(StrEnum):
    APPLIED = "applied"
    UNCHANGED = "unchanged"
    DRY_RUN = "dry-run"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    DISABLED = "disabled"
    DELETED = "deleted"


# The status tag says what the configuration is, not what this pass did: `unchanged` is still `applied`.
STATUS_TAG_VALUES = {
    Status.APPLIED: "applied",
    Status.UNCHANGED: "applied",
    Status.DRY_RUN: "dry-run",
    Status.REJECTED: "rejected",
    Status.DISABLED: "disabled",
}
QUIET = frozenset({Status.UNCHANGED, Status.SKIPPED})  # no outcome event: nothing happened


@dataclass(frozen=True)
class Outcome:
    endpoint: str
    status: Status
    reason: str
    actions: tuple[Action, ...] = ()
    notes: tuple[str, ...] = ()
    warnings: tuple[Problem, ...] = ()
    errors: tuple[Problem, ...] = ()
    writes: int = 0
    refusal: Refusal | None = None  # AWS refused a write of the plan (``actions`` were written before it)
    not_attempted: tuple[Action, ...] = ()  # planned after the refused write

    def to_dict(self) -> dict[str, Any]:
        found = {
            "endpoint": self.endpoint,
            "status": str(self.status),
            "reason": self.reason,
            "actions": _actions(self.actions),
            "notes": list(self.notes),
            "warnings": [str(w) for w in self.warnings],
            "errors": [str(e) for e in self.errors],
            "writes": self.writes,
        }
        if self.refusal is not None:
            found["refused"] = {**self.refusal.to_dict(), "not_attempted": _actions(self.not_attempted)}
        return found


def _actions(actions: Sequence[Action]) -> list[dict[str, str]]:
    return [{"action": a.verb, "subject": a.subject, "reason": a.reason} for a in actions]


def status_tag_changes(outcome: Outcome, tags: Mapping[str, str], settings: Settings) -> dict[str, str]:
    """The status tags to write (only those that change), when WriteStatusTags is on; the reason describes the
    configuration, not this pass, so an unchanged endpoint gets no tag write."""
    value = STATUS_TAG_VALUES.get(outcome.status)
    if not settings.write_status_tags or value is None:
        return {}
    if outcome.status is Status.DISABLED and tag_key(settings.tag_prefix, "status") not in tags:
        return {}  # never configured here: an endpoint that is not opted in is not modified, not even tagged
    reason = {
        Status.REJECTED: "; ".join(str(e) for e in outcome.errors),
        Status.DISABLED: "not opted in",
        Status.DRY_RUN: f"dry run: {len(outcome.actions)} action(s) pending",
    }.get(outcome.status, "configuration applied")
    wanted = {
        tag_key(settings.tag_prefix, "status"): value,
        tag_key(settings.tag_prefix, "status-reason"): sanitise_tag_value(reason),
    }
    return {k: v for k, v in wanted.items() if tags.get(k) != v}


def sanitise_tag_value(text: str) -> str:
    """SageMaker tag values allow letters, digits, spaces and _ . : / = + - @ only."""
    cleaned = re.sub(r"[^\w .:/=+\-@]", " ", text, flags=re.UNICODE).replace("\n", " ")
    return re.sub(r" +", " ", cleaned).strip()[:TAG_VALUE_MAX_LENGTH]


def report(outcome: Outcome, settings: Settings, aws: Aws, seconds: float) -> None:
    """One structured log line per decision, EMF metrics, and an outcome event when something happened."""
    fields = {
        "endpoint": outcome.endpoint,
        "outcome": str(outcome.status),
        "reason": outcome.reason,
        "writes": outcome.writes,
        "duration_ms": round(seconds * 1000),
    }
    for action in outcome.actions:
        logger.info(
            "planned" if outcome.status is Status.DRY_RUN else "applied",
            extra={
                "endpoint": outcome.endpoint,
                "action": action.verb,
                "subject": action.subject,
                "reason": action.reason,
            },
        )
    for note in outcome.notes:
        logger.info("kept", extra={"endpoint": outcome.endpoint, "reason": note})
    for warning in outcome.warnings:
        logger.warning(
            "configuration warning",
            extra={"endpoint": outcome.endpoint, "source": warning.source, "reason": warning.message},
        )
    if outcome.status is Status.REJECTED:
        logger.error("configuration rejected", extra={**fields, "errors": [str(e) for e in outcome.errors]})
    else:
        logger.info("reconciled", extra=fields)

    metrics.add_metric(name="Reconciles", unit=MetricUnit.Count, value=1)
    metrics.add_metric(name="Writes", unit=MetricUnit.Count, value=outcome.writes)
    metrics.add_metric(name="ReconcileDuration", unit=MetricUnit.Milliseconds, value=seconds * 1000)
    if outcome.status is Status.REJECTED:
        metrics.add_metric(name="Rejects", unit=MetricUnit.Count, value=1)

    if outcome.status in QUIET:
        return
    try:
        aws.put_event(settings.event_bus_name, OUTCOME_EVENT_SOURCE, OUTCOME_EVENT_DETAIL_TYPE, outcome.to_dict())
    except (TemporaryError, AwsError) as exc:
        # The reconcile itself succeeded; losing its notification must not undo or repeat it.
        logger.warning("outcome event not sent", extra={"endpoint": outcome.endpoint, "reason": str(exc)})
