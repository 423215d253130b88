"""Any EventBridge event -> a Trigger: what it asks the router to look at, before any AWS lookup; or why nothing.

The kinds of event the router understands are rows of a table (``EventSource``, keyed by source and detail-type:
autoscaler/event_sources.py holds AWS's); ``parse_event`` finds the row and runs its parser, which reads only the
fields it needs, each checked by autoscaler/event_fields.py. It never raises for a malformed event: the event is
dropped with the reason (``Trigger.dropped``, ``malformed``), or as one no rule sends (``unknown``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from autoscaler.event_fields import event_id_of, parse_time
from autoscaler.settings import Settings
from autoscaler.untrusted import BadInputError, cut, kind, shown


@dataclass(frozen=True)
class Dropped:
    """One endpoint or resource of an event left out for its own bad data, while the others are routed."""

    subject: str  # what was left out: ``resources[1]``, ``endpoint myendpoint``
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"subject": self.subject, "reason": self.reason}


@dataclass(frozen=True)
class Trigger:
    """What an event asks for, before any AWS lookup. names / arn_names and components, profile or sweep say what to
    look at, or ``dropped`` says why nothing is."""

    label: str
    event_id: str
    time: datetime | None = None
    names: tuple[str, ...] = ()  # real endpoint names, as state-change events spell them
    arn_names: tuple[str, ...] = ()  # names from ARNs (lower-cased by AWS) or requests (as typed): to resolve
    via: str = "endpoint ARN in the event"  # where arn_names come from, for the reason
    arns: tuple[str, ...] = ()  # endpoint ARNs of arn_names (lower case, as AWS writes them), where the event has them
    components: tuple[str, ...] = ()  # inference components (names, or lower-cased from ARNs): find their endpoints
    profile: str | None = None  # full name of a changed parameter under the profile prefix
    sweep: bool = False
    dropped: str = ""
    unknown: bool = False  # no rule sends this kind of event: a mistake somewhere, logged louder
    malformed: bool = False  # a field the router reads is not of the shape AWS documents (named in ``dropped``)
    skipped: tuple[Dropped, ...] = ()  # resources of the event left out, each for its own reason


# A parser: (event, its detail, the trigger label, the event id, settings) -> Trigger. It raises BadInputError for a
# field that is not of the shape AWS documents (the event is then dropped as malformed, with that message).
Parser = Callable[[Mapping[str, Any], Mapping[str, Any], str, str, Settings], Trigger]


@dataclass(frozen=True)
class EventSource:
    """One kind of event the router understands: its EventBridge ``source`` and ``detail-type``, the parser, and the
    trigger label (logs, the request's ``trigger``), made from the detail's text fields only and cut short, so a
    wrong-typed or huge field can neither make it raise nor grow."""

    source: str
    detail_type: str
    parse: Parser
    label: Callable[[Mapping[str, Any]], str]

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, self.detail_type)


def parse_event(event: object, settings: Settings, sources: Mapping[tuple[str, str], EventSource]) -> Trigger:
    """Classify one event with the table ``sources`` (keyed by ``EventSource.key``); never raises for a malformed
    one (it is dropped with the reason)."""
    if not isinstance(event, Mapping):
        return Trigger("unknown", "", dropped=f"the event is {kind(event)}, not a JSON object", unknown=True)
    return replace(_classify(event, settings, sources), time=parse_time(event.get("time")))


def _classify(event: Mapping[str, Any], settings: Settings, sources: Mapping[tuple[str, str], EventSource]) -> Trigger:
    source, detail_type, detail = event.get("source"), event.get("detail-type"), event.get("detail")
    event_id = event_id_of(event.get("id"))  # an event without an id (a hand-made one) is never deduplicated
    if not isinstance(source, str) or not source or not isinstance(detail, Mapping):
        return Trigger("unknown", event_id, dropped=_not_an_eventbridge_event(event), unknown=True)
    row = sources.get((source, detail_type)) if isinstance(detail_type, str) else None
    if row is None:
        label = f"{cut(source)}:{cut(detail_type) if isinstance(detail_type, str) else '?'}"
        return Trigger(
            label,
            event_id,
            dropped=f"no trigger for source {shown(source)} and detail-type {shown(detail_type)}",
            unknown=True,
        )
    label = row.label(detail)
    try:
        return row.parse(event, detail, label, event_id, settings)
    except BadInputError as exc:
        return Trigger(label, event_id, dropped=str(exc), malformed=True)


def _not_an_eventbridge_event(event: Mapping[str, Any]) -> str:
    if "Records" in event:
        return "an SQS batch: it is for the reconciler"
    if "endpoint" in event and "count" in event:
        return "an on-demand capacity request: invoke the capacity function"
    return (
        f"not an EventBridge event (source is {shown(event.get('source'))}, detail is {kind(event.get('detail'))}; "
        "an event has a source string and a detail object)"
    )
