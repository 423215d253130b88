"""Any trigger event -> the endpoints it concerns, with a trigger label; or the reason it concerns none.

Events are wake-ups, not instructions: nothing an event says about tags or capacity is trusted, only which
endpoints to look at. Three steps:

- ``parse_event(event, settings)`` is pure: it classifies the event by the table of event sources
  (autoscaler/event_sources.py, read by autoscaler/triggers.py) and takes out endpoint names, ARNs, an inference
  component or a profile, every field checked by autoscaler/event_fields.py;
- ``route(event, settings, directory)`` resolves what needs AWS, each in AWS calls that do not grow with the fleet
  except where the event concerns many endpoints: names in ARNs, which AWS lower-cases (``endpoint/myendpoint`` for
  ``MyEndpoint``), to real names (``Directory.find_endpoint``: at most two calls per name); an inference component to
  the endpoint hosting it (DescribeInferenceComponent; a deleted one through the alarms the controller owned for it);
  a profile to the endpoints using it (the Tagging API, and Search for their names: pages of 100 over the endpoints
  carrying the tag, as many as the change concerns);
- ``enqueue`` sends one reconcile request per endpoint to the FIFO queue: group = endpoint (one reconcile per
  endpoint at a time), deduplication id = event id + endpoint (a second change within five minutes is not lost).

A new AWS event source touches three files:

1. autoscaler/event_sources.py: a parser ``(event, detail, label, event_id, settings) -> Trigger`` that reads only
   the fields it needs through autoscaler/event_fields.py (raising BadInputError for a field not of the shape AWS
   documents), and its row in ``SOURCES``: ``EventSource(source, detail_type, parser, label)``. A parser that names
   endpoints (``names``), names from ARNs (``arn_names``, the ARNs in ``arns``), components or a profile is routed by
   what is here, unchanged;
2. template.yaml: the EventBridge rule that sends the event to RouterFunction;
3. a test with a sample event and what it routes to (tests/unit/test_event_sources.py shows how);
   tests/template/test_template.py checks each row of ``SOURCES`` against its rule. A sample kept in events/ (for
   ``sam local invoke``) also needs its line in tests/unit/test_events.py and tests/e2e/test_routing.py, which list
   every sample.

tests/unit/test_event_sources.py adds a source this way, through a table passed to ``route``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from autoscaler.event_fields import endpoint_in_arn, parse_time
from autoscaler.event_sources import AAS_ROLE, COMPONENT_CALLS, SOURCES
from autoscaler.messages import ReconcileRequest, is_endpoint_name
from autoscaler.names import parse_alarm_name
from autoscaler.settings import Settings
from autoscaler.tags import OPT_IN, opted_in, tag_key
from autoscaler.triggers import Dropped, EventSource, Trigger
from autoscaler.triggers import parse_event as parse_with
from autoscaler.untrusted import kind, shown

__all__ = [
    "AAS_ROLE",
    "COMPONENT_CALLS",
    "Routing",
    "deduplication_id",
    "enqueue",
    "parse_event",
    "parse_time",
    "route",
]

# InferenceComponentStatus (DescribeInferenceComponent): InService | Creating | Updating | Failed | Deleting.
COMPONENT_TRANSIENT_STATUSES = frozenset({"Creating", "Updating"})
# Endpoints of a profile change that Search did not show (its index lags a new endpoint) are looked up one by one
# (Directory.find_endpoint), at most this many per event; any more are left out with the reason, and counted.
MAX_NAME_LOOKUPS = 10


skipped: tuple[Dropped, ...] = ()  # resources of the event left out, each for its own reason


@dataclass(frozen=True)
class Routing:
    """The endpoints to reconcile for one event, and why (or why none)."""

    trigger: str
    event_id: str
    endpoints: tuple[str, ...] = ()
    reason: str = ""
    unknown: bool = False
    malformed: bool = False
    dropped: tuple[Dropped, ...] = ()  # endpoints left out for their own bad data; the others are routed
    event_time: datetime | None = None  # when AWS says it happened: the routed log shows how late an event came

    @property
    def bad_input(self) -> bool:
        """The whole event was dropped as malformed or as no event any rule sends (counted: DroppedEvents)."""
        return self.malformed or self.unknown

    def requests(self) -> tuple[ReconcileRequest, ...]:
        return tuple(ReconcileRequest(endpoint, self.trigger) for endpoint in self.endpoints)

    def to_dict(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "event_id": self.event_id,
            "endpoints": list(self.endpoints),
            "reason": self.reason,
            "dropped": [d.to_dict() for d in self.dropped],
            "event_time": self.event_time.isoformat() if self.event_time else None,
        }


class Directory(Protocol):
    """The lookups routing needs (``autoscaler.aws.Aws`` provides them)."""

    def find_endpoint(self, name: str, arn: str | None) -> str | None:
        """The real name of an endpoint from its name as written (lower-cased in ARNs) and its ARN when known; None
        when it cannot be found. At most two calls (autoscaler.aws.Aws.find_endpoint)."""
        ...

    def read_endpoint_names(self, tag_key: str) -> Mapping[str, str]:
        """Lower-cased ARN -> real name of the endpoints carrying the tag (Search, 100 per call)."""
        ...

    def read_tagged_endpoints(self, tag_key: str) -> Sequence[tuple[str, dict[str, str]]]: ...

    def read_component_endpoint(self, name: str) -> tuple[str, str] | None:
        """(endpoint name, status) of an inference component, any case of its name; None when it does not exist."""
        ...

    def read_owned_alarms(self, name_prefix: str) -> Sequence[str]: ...


class Queue(Protocol):
    def send_fifo_messages(self, queue_url: str, messages: Sequence[tuple[str, str, str]]) -> None: ...


def parse_event(event: object, settings: Settings, sources: Mapping[tuple[str, str], EventSource] = SOURCES) -> Trigger:
    """Classify one event (autoscaler/triggers.py) with AWS's event sources, or the table given."""
    return parse_with(event, settings, sources)


# ---------------------------------------------------------------------------------------------------- routing


def route(
    event: object, settings: Settings, directory: Directory, sources: Mapping[tuple[str, str], EventSource] = SOURCES
) -> Routing:
    """The endpoints an event concerns, with real names. Raises TemporaryError when a lookup failed (retry): the
    whole event is retried, and FIFO deduplication drops what a first try already sent. An endpoint whose own data
    is bad is left out (``Routing.dropped``), never the others."""
    trigger = parse_event(event, settings, sources)
    routing = _route(trigger, settings, directory)
    valid = tuple(e for e in routing.endpoints if is_endpoint_name(e))
    invalid = tuple(
        Dropped(f"endpoint {shown(e)}", "is not a SageMaker endpoint name") for e in routing.endpoints if e not in valid
    )
    return replace(
        routing, endpoints=valid, dropped=trigger.skipped + routing.dropped + invalid, event_time=trigger.time
    )


def _route(trigger: Trigger, settings: Settings, directory: Directory) -> Routing:
    if trigger.dropped:
        return Routing(
            trigger.label,
            trigger.event_id,
            reason=trigger.dropped,
            unknown=trigger.unknown,
            malformed=trigger.malformed,
        )
    if trigger.sweep:
        return Routing(trigger.label, trigger.event_id, reason="the schedule triggers the sweeper, not the router")
    if trigger.names:
        return Routing(trigger.label, trigger.event_id, trigger.names, reason="endpoint named in the event")
    if trigger.profile is not None:
        return _profile_users(trigger.profile, trigger, settings, directory)
    parts = [_component_host(c, trigger, settings, directory) for c in trigger.components]
    if trigger.arn_names:
        parts.insert(0, _resolved(trigger, directory))
    if len(parts) == 1:
        return parts[0]
    endpoints = tuple(sorted({e for part in parts for e in part.endpoints}))
    return Routing(trigger.label, trigger.event_id, endpoints, reason="; ".join(p.reason for p in parts))


def _resolved(trigger: Trigger, directory: Directory) -> Routing:
    """Names from ARNs or requests, resolved to real names: at most two calls each (Directory.find_endpoint), for
    the one to few names an event holds. One found by neither call no longer exists, or is newer than SageMaker's
    search index: it is left out and counted (``dropped``); if it exists, its IN_SERVICE event or the sweep
    reconciles it."""
    arns = {str(endpoint_in_arn(a)).lower(): a for a in trigger.arns}
    found: set[str] = set()
    missing: list[str] = []
    for name in trigger.arn_names:
        real = directory.find_endpoint(name, arns.get(name.lower()))
        if real is None:
            missing.append(name)
        else:
            found.add(real)
    if missing:
        reason = f"endpoint {', '.join(missing)} no longer exists"
        return Routing(trigger.label, trigger.event_id, tuple(sorted(found)), reason=reason, dropped=_unfound(missing))
    return Routing(trigger.label, trigger.event_id, tuple(sorted(found)), reason=f"{trigger.via}, name resolved")


def _unfound(
    names: Iterable[str], why: str = "was not found (DescribeEndpoint, Search by its ARN)"
) -> tuple[Dropped, ...]:
    return tuple(
        Dropped(f"endpoint {n}", f"{why}: deleted, or newer than SageMaker's search index (the sweep reconciles it)")
        for n in names
    )


def _component_host(component: str, trigger: Trigger, settings: Settings, directory: Directory) -> Routing:
    """The endpoint hosting an inference component (DescribeInferenceComponent), unless the component is Creating
    or Updating: nothing can be registered for it until it is InService, so waking its endpoint would configure
    nothing for it. A deleted component no longer names its endpoint (the usual case for DeleteInferenceComponent):
    the alarms the controller owned for it do (``<prefix>/<endpoint>/<component>/<policy>``), and a reconcile of that
    endpoint deletes them."""
    found = directory.read_component_endpoint(component)
    if found is None:
        return _component_alarm_holders(component, trigger, settings, directory)
    endpoint, status = found
    if status in COMPONENT_TRANSIENT_STATUSES:
        reason = (
            f"inference component {component} is {status}: nothing to configure for it until it is InService "
            f"(no event says when: the next reconcile of {endpoint} does)"
        )
        return Routing(trigger.label, trigger.event_id, reason=reason)
    reason = f"inference component {component} is hosted on endpoint {endpoint}"
    return Routing(trigger.label, trigger.event_id, (endpoint,), reason=reason)


def _component_alarm_holders(component: str, trigger: Trigger, settings: Settings, directory: Directory) -> Routing:
    """The endpoints holding owned alarms named for the component (in any case: an ARN lower-cases it). A variant
    of the same name on another endpoint wakes that endpoint too, which costs it a reconcile's reads only."""
    owners = (parse_alarm_name(settings.name_prefix, a) for a in directory.read_owned_alarms(settings.name_prefix))
    holders = tuple(sorted({o.endpoint for o in owners if o is not None and o.variant.lower() == component.lower()}))
    if holders:
        reason = f"inference component {component} no longer exists: its endpoint still holds alarms owned for it"
        return Routing(trigger.label, trigger.event_id, holders, reason=reason)
    reason = (
        f"inference component {component} no longer exists and no owned alarm names it: its endpoint cannot be "
        "found from it (the sweep removes anything left)"
    )
    return Routing(trigger.label, trigger.event_id, reason=reason)


def _profile_users(full: str, trigger: Trigger, settings: Settings, directory: Directory) -> Routing:
    """Opted-in endpoints whose profile tag names the parameter (bare name under the prefix, or the full name,
    with any :label or :version); for the default profile, also every opted-in endpoint without a profile tag. An
    endpoint whose ARN or tags are not what the Tagging API documents is left out with its reason; the others are
    routed."""
    bare = full.removeprefix(f"{settings.profile_prefix}/")
    profile_key, enabled_key = tag_key(settings.tag_prefix, "profile"), tag_key(settings.tag_prefix, OPT_IN)
    is_default = bare == settings.default_profile

    def uses_it(tags: Mapping[str, str]) -> bool:
        if profile_key not in tags:
            return is_default
        return tags[profile_key].partition(":")[0] in (bare, full)

    # One Tagging API read: the endpoints with a profile tag, or for the default profile every opted-in endpoint
    # (its users are those naming it and those with no profile tag; every user is opted in).
    found_by = enabled_key if is_default else profile_key
    lowered: dict[str, str] = {}  # lower-cased ARN -> name as written
    dropped: list[Dropped] = []
    for arn, tags in directory.read_tagged_endpoints(found_by):
        name = endpoint_in_arn(arn)
        problem = _tags_problem(tags, (profile_key, enabled_key))
        if name is None or problem:
            dropped.append(
                Dropped(f"tagged endpoint {shown(name or arn)}", problem or "is not a SageMaker endpoint ARN")
            )
        elif opted_in(tags, settings.tag_prefix) and uses_it(tags):
            lowered[str(arn).lower()] = name
    found, unfound = _names_of(lowered, found_by, directory)
    dropped.extend(unfound)
    users = "endpoints using it or no profile tag" if is_default else "endpoints whose profile tag names it"
    return Routing(
        trigger.label, trigger.event_id, found, reason=f"profile {bare} changed: {users}", dropped=tuple(dropped)
    )


def _names_of(lowered: Mapping[str, str], tag: str, directory: Directory) -> tuple[tuple[str, ...], list[Dropped]]:
    """The real names of endpoints the Tagging API gave (lower-cased ARN -> name as written): one Search over the
    endpoints carrying ``tag`` (pages of 100), then, for any Search does not show yet, Directory.find_endpoint for at
    most MAX_NAME_LOOKUPS of them. Returns the names found, and the endpoints left out with the reason."""
    if not lowered:
        return (), []
    names = directory.read_endpoint_names(tag)
    found = {names[arn] for arn in lowered if arn in names}
    behind = [(arn, name) for arn, name in sorted(lowered.items()) if arn not in names]
    unfound = list(_unfound((n for _, n in behind[MAX_NAME_LOOKUPS:]), f"was past the {MAX_NAME_LOOKUPS} looked up"))
    for arn, name in behind[:MAX_NAME_LOOKUPS]:
        real = directory.find_endpoint(name, arn)
        if real is None:
            unfound.extend(_unfound((name,)))
        else:
            found.add(real)
    return tuple(sorted(found)), unfound


def _tags_problem(tags: object, keys: tuple[str, ...]) -> str:
    """What is wrong with an endpoint's tags as far as routing reads them (the keys given), or ''."""
    if not isinstance(tags, Mapping):
        return f"its tags are {kind(tags)}, not a map"
    wrong = [k for k in keys if k in tags and not isinstance(tags[k], str)]
    return f"tag {wrong[0]} is {kind(tags[wrong[0]])}, not a string" if wrong else ""


# ---------------------------------------------------------------------------------------------------- queue


def deduplication_id(event_id: str, endpoint: str) -> str:
    """Event id + endpoint (at most 36 + 1 + 63 characters, within SQS's 128)."""
    return f"{event_id}:{endpoint}"[:128]


def enqueue(queue: Queue, queue_url: str, event_id: str, requests: Iterable[ReconcileRequest]) -> int:
    """One FIFO message per endpoint: group = endpoint, deduplication id = event id + endpoint."""
    messages = [(r.to_json(), r.endpoint, deduplication_id(event_id, r.endpoint)) for r in requests]
    if messages:
        queue.send_fifo_messages(queue_url, messages)
    return len(messages)
