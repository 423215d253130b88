"""Any trigger event -> the endpoints it concerns, with a trigger label; or the reason it concerns none.

Events are wake-ups, not instructions: nothing an event says about tags or capacity is trusted, only which
endpoints to look at. Two steps:

- ``parse_event(event, settings)`` is pure: it classifies the event and takes out endpoint names, ARNs, an inference
  component or a profile;
- ``route(event, settings, directory)`` resolves what needs AWS: names in ARNs, which AWS lower-cases
  (``endpoint/myendpoint`` for ``MyEndpoint``), to real names; an inference component to the endpoint hosting it
  (DescribeInferenceComponent; a deleted one through the alarms the controller owned for it); a profile to the
  endpoints using it (Tagging API).

``enqueue`` then sends one reconcile request per endpoint to the FIFO queue: group = endpoint (one reconcile per
endpoint at a time), deduplication id = event id + endpoint (a second change within five minutes is not lost).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, Protocol
from uuid import uuid4

from autoscaler.messages import ReconcileRequest, is_endpoint_name
from autoscaler.names import parse_alarm_name
from autoscaler.settings import Settings
from autoscaler.tags import OPT_IN, STATUS_KEYS, opted_in, tag_key
from autoscaler.untrusted import BadInputError, cut, kind, shown, text

STATE_CHANGE = "SageMaker Endpoint State Change"
CLOUDTRAIL_CALL = "AWS API Call via CloudTrail"
TAG_CHANGE = "Tag Change on Resource"
PARAMETER_CHANGE = "Parameter Store Change"
SCHEDULED = "Scheduled Event"
TAG_CALLS = frozenset({"AddTags", "DeleteTags"})
# Inference components have no state-change event (the SageMaker Developer Guide's "Events that Amazon SageMaker AI
# sends to Amazon EventBridge" lists none for them): their CloudTrail calls are their only wake-up.
CREATE_COMPONENT = "CreateInferenceComponent"
UPDATE_COMPONENT_RUNTIME = "UpdateInferenceComponentRuntimeConfig"
COMPONENT_CALLS = frozenset(
    {CREATE_COMPONENT, "UpdateInferenceComponent", UPDATE_COMPONENT_RUNTIME, "DeleteInferenceComponent"}
)

# EndpointStatus in events is UPPER_SNAKE (the API says InService).
RECONCILE_STATUSES = frozenset({"IN_SERVICE", "DELETING", "DELETED"})
TRANSIENT_STATUSES = frozenset({"CREATING", "UPDATING", "SYSTEM_UPDATING", "ROLLING_BACK"})
# InferenceComponentStatus (DescribeInferenceComponent): InService | Creating | Updating | Failed | Deleting.
COMPONENT_TRANSIENT_STATUSES = frozenset({"Creating", "Updating"})
# Application Auto Scaling scales a component's copies with UpdateInferenceComponentRuntimeConfig through its
# service-linked role (AAS user guide, AWSApplicationAutoscalingSageMakerEndpointPolicy grants that action). How
# CloudTrail names that caller is not documented for this call: the role name, or the service as invokedBy /
# sourceIPAddress, is taken as the sign (unverified).
AAS_ROLE = "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
AAS_SERVICE = "application-autoscaling.amazonaws.com"

ENDPOINT = "endpoint"
INFERENCE_COMPONENT = "inference-component"
# SageMaker inference component names (InferenceComponentSummary): [a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?, <= 63.
COMPONENT_NAME = re.compile(r"(?=.{1,63}$)[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?")
_ARN = re.compile(r"arn:[a-z-]+:sagemaker:[a-z0-9-]*:[0-9]*:(?P<type>[a-z-]+)/(?P<name>.+)")
_NEITHER = "is not a SageMaker endpoint or inference component"
MAX_ARN = 256  # SageMaker ResourceArn: "Maximum length of 256" (SageMaker API Reference, AddTags)
# An event id goes into the SQS deduplication id with the endpoint name (at most 63). Amazon SQS API Reference,
# SendMessageBatchRequestEntry: "The length of MessageDeduplicationId is 128 characters. MessageDeduplicationId can
# contain alphanumeric characters (a-z, A-Z, 0-9) and punctuation".
_EVENT_ID = re.compile(r"[!-~]{1,64}")
_EPOCH_MS_FROM = 10**11  # numbers above this are milliseconds (10**11 seconds is the year 5138)


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
    components: tuple[str, ...] = ()  # inference components (names, or lower-cased from ARNs): find their endpoints
    profile: str | None = None  # full name of a changed parameter under the profile prefix
    sweep: bool = False
    dropped: str = ""
    unknown: bool = False  # no rule sends this kind of event: a mistake somewhere, logged louder
    malformed: bool = False  # a field the router reads is not of the shape AWS documents (named in ``dropped``)
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

    def list_endpoint_names(self) -> Sequence[str]: ...

    def read_tagged_endpoints(self, tag_key: str) -> Sequence[tuple[str, dict[str, str]]]: ...

    def read_component_endpoint(self, name: str) -> tuple[str, str] | None:
        """(endpoint name, status) of an inference component, any case of its name; None when it does not exist."""
        ...

    def read_owned_alarms(self, name_prefix: str) -> Sequence[str]: ...


class Queue(Protocol):
    def send_fifo_messages(self, queue_url: str, messages: Sequence[tuple[str, str, str]]) -> None: ...


# ---------------------------------------------------------------------------------------------------- parsing
#
# Every field the router reads is checked for the shape AWS documents before it is used; one that is not is a
# BadInputError naming the field (``detail.EndpointStatus is a list, not a string``), and the event is dropped with
# that reason and counted. Values reach reasons only through ``shown``/``cut`` (autoscaler.untrusted), never through
# str() or repr() of an arbitrary value. Fields the router does not read (an endpoint event's Tags, a tag event's
# tags) may hold anything: they are never trusted (events are wake-ups).


def parse_event(event: object, settings: Settings) -> Trigger:
    """Classify one event; never raises for a malformed one (it is dropped with the reason)."""
    if not isinstance(event, Mapping):
        return Trigger("unknown", "", dropped=f"the event is {kind(event)}, not a JSON object", unknown=True)
    return replace(_classify(event, settings), time=parse_time(event.get("time")))


def _classify(event: Mapping[str, Any], settings: Settings) -> Trigger:
    source, detail_type, detail = event.get("source"), event.get("detail-type"), event.get("detail")
    event_id = _event_id(event.get("id"))  # an event without an id (a hand-made one) is never deduplicated
    if not isinstance(source, str) or not source or not isinstance(detail, Mapping):
        return Trigger("unknown", event_id, dropped=_not_an_eventbridge_event(event), unknown=True)
    label = _label(source, detail_type, detail)
    try:
        if source == "aws.sagemaker" and detail_type == STATE_CHANGE:
            return _state_change(event, detail, label, event_id)
        if source == "aws.sagemaker" and detail_type == CLOUDTRAIL_CALL:
            return _cloudtrail_call(detail, label, event_id, settings)
        if source == "aws.tag" and detail_type == TAG_CHANGE:
            return _tag_change(event, detail, label, event_id, settings)
        if source == "aws.ssm" and detail_type == PARAMETER_CHANGE:
            return _parameter_change(detail, label, event_id, settings)
    except BadInputError as exc:
        return Trigger(label, event_id, dropped=str(exc), malformed=True)
    if source == "aws.events" and detail_type == SCHEDULED:
        return Trigger(label, event_id, sweep=True)
    return Trigger(
        label,
        event_id,
        dropped=f"no trigger for source {shown(source)} and detail-type {shown(detail_type)}",
        unknown=True,
    )


def _label(source: str, detail_type: object, detail: Mapping[str, Any]) -> str:
    """The trigger label (logs, the request's ``trigger``), from text fields only and cut short: a wrong-typed or
    huge field cannot make it raise or grow."""
    if source == "aws.sagemaker" and detail_type == STATE_CHANGE:
        status = detail.get("EndpointStatus")
        return f"aws.sagemaker:{cut(status.upper()) if isinstance(status, str) and status else 'unknown-status'}"
    if source == "aws.sagemaker" and detail_type == CLOUDTRAIL_CALL:
        name = detail.get("eventName")
        return f"cloudtrail:{cut(name) if isinstance(name, str) and name else 'unknown'}"
    if source == "aws.tag" and detail_type == TAG_CHANGE:
        return "aws.tag"
    if source == "aws.ssm" and detail_type == PARAMETER_CHANGE:
        operation = detail.get("operation")
        return f"aws.ssm:{cut(operation) if isinstance(operation, str) and operation else 'unknown'}"
    if source == "aws.events" and detail_type == SCHEDULED:
        return "schedule"
    return f"{cut(source)}:{cut(detail_type) if isinstance(detail_type, str) else '?'}"


def _event_id(value: object, fallback: str | None = None) -> str:
    """The event's id when it can be part of an SQS deduplication id, else ``fallback`` or a fresh one (never
    deduplicated)."""
    if isinstance(value, str) and _EVENT_ID.fullmatch(value):
        return value
    return fallback or str(uuid4())


def _not_an_eventbridge_event(event: Mapping[str, Any]) -> str:
    if "Records" in event:
        return "an SQS batch: it is for the reconciler"
    if "endpoint" in event and "count" in event:
        return "an on-demand capacity request: invoke the capacity function"
    return (
        f"not an EventBridge event (source is {shown(event.get('source'))}, detail is {kind(event.get('detail'))}; "
        "an event has a source string and a detail object)"
    )


def _state_change(event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str) -> Trigger:
    status = _text_member(detail, "EndpointStatus", "detail").upper()
    if status in TRANSIENT_STATUSES:
        return Trigger(label, event_id, dropped=f"endpoint is {status}: an IN_SERVICE event follows")
    if status not in RECONCILE_STATUSES:
        return Trigger(label, event_id, dropped=f"endpoint status {shown(status)}: nothing to reconcile")
    # The event's Tags (a map in AWS's sample, a list of {Key, Value} in the schema registry) are never trusted:
    # the reconciler re-reads them. Only the name matters here.
    name = detail.get("EndpointName")
    if is_endpoint_name(name):
        return Trigger(label, event_id, names=(name,))
    lowered = [n for n in (_endpoint_in_arn(a) for a in (detail.get("EndpointArn"), *_resources(event))) if n]
    if lowered:
        return Trigger(label, event_id, arn_names=(lowered[0],))
    raise BadInputError(
        f"detail.EndpointName is {shown(name)}, not a SageMaker endpoint name, and neither detail.EndpointArn nor "
        "resources holds an endpoint ARN"
    )


def _cloudtrail_call(detail: Mapping[str, Any], label: str, event_id: str, settings: Settings) -> Trigger:
    """ "AWS API Call via CloudTrail" (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail":
    "All events that are delivered by CloudTrail have `AWS API Call via CloudTrail` as the value for
    `detail-type`"): the detail is the CloudTrail record ("CloudTrail record contents for management, data, and
    network activity events": eventName, eventID, errorCode when the call failed, requestParameters,
    responseElements)."""
    name = _text_member(detail, "eventName", "detail")
    event_id = _event_id(detail.get("eventID"), event_id)
    if name not in TAG_CALLS | COMPONENT_CALLS:
        return Trigger(
            label, event_id, dropped=f"CloudTrail call {shown(name)} is neither a tag nor an inference-component change"
        )
    error = detail.get("errorCode")
    if error:
        return Trigger(label, event_id, dropped=f"the call failed ({shown(error, quote=False)}): nothing changed")
    # requestParameters are lowerCamelCase, as in the SageMaker Developer Guide's CloudTrail samples
    # (understanding-sagemaker-entries: CreateEndpoint has requestParameters endpointName, endpointConfigName and
    # responseElements endpointArn, the name lower-cased): resourceArn, tags[].key, tagKeys; inferenceComponentName,
    # endpointName; inferenceComponentArn. The inference-component calls are not documented there: every member is
    # read case-insensitively.
    raw = detail.get("requestParameters")
    if not isinstance(raw, Mapping):
        raise BadInputError(f"detail.requestParameters is {kind(raw)}, not an object")
    request = _lower_keys(raw)
    if name in COMPONENT_CALLS:
        return _component_call(name, label, detail, request, event_id)
    arn = request.get("resourcearn")
    if not isinstance(arn, str):
        raise BadInputError(f"requestParameters.resourceArn is {kind(arn)}, not a string")
    endpoint, component = _name_in_arn(arn, ENDPOINT), _name_in_arn(arn, INFERENCE_COMPONENT)
    if endpoint is None and component is None:
        return Trigger(label, event_id, dropped=f"{_resource_kind(arn)} {_NEITHER}")
    if name == "AddTags":
        keys = _tag_keys(request.get("tags"), "requestParameters.tags", member="key")
    else:
        keys = _tag_keys(request.get("tagkeys"), "requestParameters.tagKeys")
    return _tagged(label, event_id, (endpoint,) if endpoint else (), (component,) if component else (), keys, settings)


def _tag_keys(value: object, field: str, member: str | None = None) -> list[str] | None:
    """The tag keys a call changed, or None when CloudTrail withheld them. SageMaker API Reference (botocore's
    SageMaker service model): AddTags takes ``Tags``, "An array of key-value pairs" (Tag: Key, Value), DeleteTags
    ``TagKeys``, "An array or one or more tag keys to delete"; CloudTrail records them lowerCamelCase (``tags[].key``,
    ``tagKeys``). A string in their place is taken as CloudTrail withholding the value (it writes a placeholder
    string such as HIDDEN_DUE_TO_SECURITY_REASONS where it does): the keys are unknown. Any other shape is
    malformed."""
    if isinstance(value, str):
        return None
    if not isinstance(value, list):
        raise BadInputError(f"{field} is {kind(value)}, not a list")
    keys = []
    for number, item in enumerate(value):
        where = f"{field}[{number}]"
        key = item
        if member is not None:
            if not isinstance(item, Mapping):
                raise BadInputError(f"{where} is {kind(item)}, not a tag object")
            key, where = _lower_keys(item).get(member), f"{where}.{member}"
        keys.append(text(key, where))
    return keys


def _component_call(
    name: str,
    label: str,
    detail: Mapping[str, Any],
    request: Mapping[str, Any],
    event_id: str,
) -> Trigger:
    """Create/Update/UpdateRuntimeConfig/DeleteInferenceComponent: the endpoint hosting the component. Create names
    it in the request; the others only name the component (the response of Create and Update carries its ARN)."""
    named = request.get("inferencecomponentname")
    component = named if _is_component_name(named) else None
    if component is None:
        component = _name_in_arn(
            _lower_keys(detail.get("responseElements")).get("inferencecomponentarn"), INFERENCE_COMPONENT
        )
    if name == UPDATE_COMPONENT_RUNTIME and _by_application_autoscaling(detail):
        return Trigger(
            label,
            event_id,
            dropped=f"Application Auto Scaling scaled inference component {component or '?'}: a scaling activity, "
            "not a configuration change",
        )
    endpoint = request.get("endpointname")
    if name == CREATE_COMPONENT and is_endpoint_name(endpoint):
        return Trigger(label, event_id, arn_names=(endpoint,), via=f"endpoint named in the {name} request")
    if component is None:
        raise BadInputError(
            f"no inference component name in the {name} call: requestParameters.inferenceComponentName is "
            f"{shown(named)} and responseElements holds no inference-component ARN"
        )
    return Trigger(label, event_id, components=(component,))


def _by_application_autoscaling(detail: Mapping[str, Any]) -> bool:
    """Whether Application Auto Scaling made the call (see AAS_ROLE)."""
    lowered = _lower_keys(detail)
    identity = _lower_keys(lowered.get("useridentity"))
    issuer = _lower_keys(_lower_keys(identity.get("sessioncontext")).get("sessionissuer"))
    services = (identity.get("invokedby"), lowered.get("sourceipaddress"))
    roles = (identity.get("arn"), issuer.get("arn"), issuer.get("username"))
    return any(isinstance(s, str) and s.endswith(AAS_SERVICE) for s in services) or any(
        isinstance(r, str) and AAS_ROLE in r for r in roles
    )


def _tag_change(
    event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str, settings: Settings
) -> Trigger:
    """ "Tag Change on Resource" (Tagging AWS Resources, "Monitor tag changes with serverless workflows and Amazon
    EventBridge": the event "shows the new, updated, or deleted tag keys, and their associated values"; its sample
    has resources [ARN], detail changed-tag-keys [..], tags {..}, service, resource-type). Every resource it names is
    routed; one whose ARN is not of ``resource-type`` is left out with its reason, and the others still are."""
    resources = _resources(event)
    service = _text_member(detail, "service", "detail")
    kind_ = _text_member(detail, "resource-type", "detail")
    first = resources[0] if resources else None
    # Whether SageMaker emits this event at all is undocumented; if it does, resource-type is taken to
    # be the ARN's resource type, as for other services.
    if service != "sagemaker" or kind_ not in (ENDPOINT, INFERENCE_COMPONENT):
        return Trigger(label, event_id, dropped=f"{_resource_kind(first)} {_NEITHER}")
    if not resources:
        raise BadInputError("resources is empty: no resource to route")
    names, skipped = [], []
    for number, arn in enumerate(resources):
        name = _name_in_arn(arn, kind_)
        if name is None:
            skipped.append(Dropped(f"resources[{number}]", f"{shown(arn)} is not a SageMaker {kind_} ARN"))
        else:
            names.append(name)
    if not names:
        raise BadInputError("; ".join(f"{d.subject} {d.reason}" for d in skipped))
    keys = _tag_keys(detail.get("changed-tag-keys"), "detail.changed-tag-keys")
    if keys is None:
        raise BadInputError("detail.changed-tag-keys is a string, not a list")
    endpoints, components = (tuple(names), ()) if kind_ == ENDPOINT else ((), tuple(names))
    return replace(_tagged(label, event_id, endpoints, components, keys, settings), skipped=tuple(skipped))


def _tagged(
    label: str,
    event_id: str,
    endpoints: tuple[str, ...],
    components: tuple[str, ...],
    keys: list[str] | None,
    settings: Settings,
) -> Trigger:
    """A tag change on endpoints or inference components (their tags share the grammar): only keys under the prefix
    matter, and not the controller's own status keys. ``keys`` None: withheld, so reconcile (it costs reads only;
    missing a change costs correctness)."""
    prefix = tag_key(settings.tag_prefix, "")
    if keys is not None:
        ours = [k for k in keys if k.startswith(prefix)]
        if not ours:
            return Trigger(label, event_id, dropped=f"no tag under {prefix} changed")
        # The tags the controller writes itself: a change of only these must not wake it (it would trigger itself).
        if all(k.removeprefix(prefix) in STATUS_KEYS for k in ours):
            return Trigger(label, event_id, dropped="only the controller's status tags changed")
    return Trigger(label, event_id, arn_names=endpoints, components=components)


def _parameter_change(detail: Mapping[str, Any], label: str, event_id: str, settings: Settings) -> Trigger:
    """ "Parameter Store Change": detail operation, name, type, description (AWS Systems Manager User Guide,
    "Amazon EventBridge event examples for Systems Manager"); a failed change carries
    ``exception``."""
    _text_member(detail, "operation", "detail")
    if "exception" in detail:
        return Trigger(
            label, event_id, dropped=f"the change failed ({shown(detail['exception'], quote=False)}): nothing changed"
        )
    name = _text_member(detail, "name", "detail")
    if not name.startswith(f"{settings.profile_prefix}/"):
        return Trigger(label, event_id, dropped=f"parameter {shown(name)} is not under {settings.profile_prefix}/")
    return Trigger(label, event_id, profile=name)


def _text_member(mapping: Mapping[str, Any], key: str, where: str) -> str:
    if key not in mapping:
        raise BadInputError(f"{where}.{key} is missing")
    return text(mapping[key], f"{where}.{key}")


def _resources(event: Mapping[str, Any]) -> list[Any]:
    """The event's ``resources`` (ARNs): a list, or absent."""
    resources = event.get("resources")
    if resources is None:
        return []
    if not isinstance(resources, list):
        raise BadInputError(f"resources is {kind(resources)}, not a list of ARNs")
    return resources


def _endpoint_in_arn(arn: object) -> str | None:
    """The endpoint name of a SageMaker endpoint ARN (as written: AWS lower-cases it), else None."""
    return _name_in_arn(arn, ENDPOINT)


def _name_in_arn(arn: object, kind_: str) -> str | None:
    """The name in a SageMaker ARN of that resource type (``endpoint``, ``inference-component``), as written (AWS
    lower-cases it), else None."""
    match = _ARN.fullmatch(arn) if isinstance(arn, str) and len(arn) <= MAX_ARN else None
    if match is None or match["type"] != kind_:
        return None
    valid = is_endpoint_name(match["name"]) if kind_ == ENDPOINT else _is_component_name(match["name"])
    return match["name"] if valid else None


def _is_component_name(value: object) -> bool:
    return isinstance(value, str) and COMPONENT_NAME.fullmatch(value) is not None


def _resource_kind(arn: object) -> str:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return "a resource without an ARN"
    return cut(arn.split(":", 5)[-1].split("/", 1)[0]) or "the resource"


def _lower_keys(value: object) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in value.items()} if isinstance(value, Mapping) else {}


def parse_time(value: object) -> datetime | None:
    """An event time: ISO-8601 (real events) or epoch milliseconds as a number or string (AWS's doc sample)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        if isinstance(value, int | float) or (isinstance(value, str) and re.fullmatch(r"[0-9]+(\.[0-9]+)?", value)):
            number = float(value)
            return datetime.fromtimestamp(number / 1000 if number >= _EPOCH_MS_FROM else number, UTC)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError):
        return None
    return None


# ---------------------------------------------------------------------------------------------------- routing


def route(event: object, settings: Settings, directory: Directory) -> Routing:
    """The endpoints an event concerns, with real names. Raises TemporaryError when a lookup failed (retry): the
    whole event is retried, and FIFO deduplication drops what a first try already sent. An endpoint whose own data
    is bad is left out (``Routing.dropped``), never the others."""
    trigger = parse_event(event, settings)
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
    """Names from ARNs or requests, resolved to real names (ListEndpoints)."""
    names = _real_names(directory)
    found = tuple(sorted({names[n.lower()] for n in trigger.arn_names if n.lower() in names}))
    missing = [n for n in trigger.arn_names if n.lower() not in names]
    if missing:
        reason = f"endpoint {', '.join(missing)} no longer exists"
        return Routing(trigger.label, trigger.event_id, found, reason=reason)
    return Routing(trigger.label, trigger.event_id, found, reason=f"{trigger.via}, name resolved")


def _real_names(directory: Directory) -> dict[str, str]:
    """Lower-cased name -> real name. Endpoint names are unique regardless of case (AWS refuses a second one)."""
    return {name.lower(): name for name in directory.list_endpoint_names()}


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
    lowered: set[str] = set()
    dropped: list[Dropped] = []
    for arn, tags in directory.read_tagged_endpoints(found_by):
        name = _endpoint_in_arn(arn)
        problem = _tags_problem(tags, (profile_key, enabled_key))
        if name is None or problem:
            dropped.append(
                Dropped(f"tagged endpoint {shown(name or arn)}", problem or "is not a SageMaker endpoint ARN")
            )
        elif opted_in(tags, settings.tag_prefix) and uses_it(tags):
            lowered.add(name)
    names = _real_names(directory) if lowered else {}
    found = tuple(sorted({names[n.lower()] for n in lowered if n.lower() in names}))
    users = "endpoints using it or no profile tag" if is_default else "endpoints whose profile tag names it"
    return Routing(
        trigger.label, trigger.event_id, found, reason=f"profile {bare} changed: {users}", dropped=tuple(dropped)
    )


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
