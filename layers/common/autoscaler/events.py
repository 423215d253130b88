"""Any trigger event -> the endpoints it concerns, with a trigger label; or the reason it concerns none.

Events are wake-ups, not instructions (DESIGN §2): nothing an event says about tags or capacity is trusted, only which
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

from autoscaler.messages import ENDPOINT_NAME, ReconcileRequest
from autoscaler.names import parse_alarm_name
from autoscaler.settings import Settings
from autoscaler.tags import STATUS_KEYS

STATE_CHANGE = "SageMaker Endpoint State Change"
CLOUDTRAIL_CALL = "AWS API Call via CloudTrail"
TAG_CHANGE = "Tag Change on Resource"
PARAMETER_CHANGE = "Parameter Store Change"
SCHEDULED = "Scheduled Event"
TAG_CALLS = frozenset({"AddTags", "DeleteTags"})
# Inference components have no state-change event (aws-facts.md): their CloudTrail calls are their only wake-up.
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
_EPOCH_MS_FROM = 10**11  # numbers above this are milliseconds (10**11 seconds is the year 5138)


@dataclass(frozen=True)
class Trigger:
    """What an event asks for, before any AWS lookup. Exactly one of names / arn_names / component / profile /
    sweep is set, or ``dropped`` says why nothing is."""

    label: str
    event_id: str
    time: datetime | None = None
    names: tuple[str, ...] = ()  # real endpoint names, as state-change events spell them
    arn_names: tuple[str, ...] = ()  # names from ARNs (lower-cased by AWS) or requests (as typed): to resolve
    via: str = "endpoint ARN in the event"  # where arn_names come from, for the reason
    component: str | None = None  # an inference component (its name, or lower-cased from its ARN): find its endpoint
    profile: str | None = None  # full name of a changed parameter under the profile prefix
    sweep: bool = False
    dropped: str = ""
    unknown: bool = False  # no rule sends this kind of event: a mistake somewhere, logged louder


@dataclass(frozen=True)
class Routing:
    """The endpoints to reconcile for one event, and why (or why none)."""

    trigger: str
    event_id: str
    endpoints: tuple[str, ...] = ()
    reason: str = ""
    unknown: bool = False
    event_time: datetime | None = None  # when AWS says it happened: the routed log shows how late an event came

    def requests(self) -> tuple[ReconcileRequest, ...]:
        return tuple(ReconcileRequest(endpoint, self.trigger) for endpoint in self.endpoints)

    def to_dict(self) -> dict[str, Any]:
        return {
            "trigger": self.trigger,
            "event_id": self.event_id,
            "endpoints": list(self.endpoints),
            "reason": self.reason,
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


def parse_event(event: object, settings: Settings) -> Trigger:
    """Classify one event; never raises for a malformed one (it is dropped with the reason)."""
    if not isinstance(event, Mapping):
        return Trigger("unknown", "", dropped="the event is not a JSON object", unknown=True)
    return replace(_classify(event, settings), time=parse_time(event.get("time")))


def _classify(event: Mapping[str, Any], settings: Settings) -> Trigger:
    source, detail_type = str(event.get("source", "")), str(event.get("detail-type", ""))
    detail = event.get("detail")
    event_id = str(event.get("id") or uuid4())  # an event without an id (a hand-made one) is never deduplicated
    if not source or not isinstance(detail, Mapping):
        return Trigger("unknown", event_id, dropped=_not_an_eventbridge_event(event), unknown=True)
    if source == "aws.sagemaker" and detail_type == STATE_CHANGE:
        return _state_change(event, detail, event_id)
    if source == "aws.sagemaker" and detail_type == CLOUDTRAIL_CALL:
        return _cloudtrail_call(detail, event_id, settings)
    if source == "aws.tag" and detail_type == TAG_CHANGE:
        return _tag_change(event, detail, event_id, settings)
    if source == "aws.ssm" and detail_type == PARAMETER_CHANGE:
        return _parameter_change(detail, event_id, settings)
    if source == "aws.events" and detail_type == SCHEDULED:
        return Trigger("schedule", event_id, sweep=True)
    return Trigger(
        f"{source}:{detail_type}",
        event_id,
        dropped=f"no trigger for source {source!r} and detail-type {detail_type!r}",
        unknown=True,
    )


def _not_an_eventbridge_event(event: Mapping[str, Any]) -> str:
    if "Records" in event:
        return "an SQS batch: it is for the reconciler"
    if "endpoint" in event and "count" in event:
        return "an on-demand capacity request: invoke the capacity function"
    return "not an EventBridge event (no source or detail)"


def _state_change(event: Mapping[str, Any], detail: Mapping[str, Any], event_id: str) -> Trigger:
    status = str(detail.get("EndpointStatus", "")).upper()
    label = f"aws.sagemaker:{status or 'unknown-status'}"
    if status in TRANSIENT_STATUSES:
        return Trigger(label, event_id, dropped=f"endpoint is {status}: an IN_SERVICE event follows")
    if status not in RECONCILE_STATUSES:
        return Trigger(label, event_id, dropped=f"endpoint status {status or 'missing'}: nothing to reconcile")
    # The event's Tags (a map in AWS's sample, a list of {Key, Value} in the schema registry) are never trusted:
    # the reconciler re-reads them. Only the name matters here.
    name = detail.get("EndpointName")
    if isinstance(name, str) and ENDPOINT_NAME.fullmatch(name):
        return Trigger(label, event_id, names=(name,))
    arns = [detail.get("EndpointArn"), *(event.get("resources") or ())]
    lowered = [n for n in (_endpoint_in_arn(a) for a in arns) if n]
    if lowered:
        return Trigger(label, event_id, arn_names=(lowered[0],))
    return Trigger(label, event_id, dropped="no endpoint name or ARN in the event")


def _cloudtrail_call(detail: Mapping[str, Any], event_id: str, settings: Settings) -> Trigger:
    name = str(detail.get("eventName", ""))
    label = f"cloudtrail:{name or 'unknown'}"
    event_id = str(detail.get("eventID") or event_id)
    if name not in TAG_CALLS | COMPONENT_CALLS:
        return Trigger(
            label,
            event_id,
            dropped=f"CloudTrail call {name or '?'} is neither a tag nor an inference-component change",
        )
    if detail.get("errorCode"):
        return Trigger(label, event_id, dropped=f"the call failed ({detail['errorCode']}): nothing changed")
    # requestParameters are lowerCamelCase, as in the SageMaker Developer Guide's CloudTrail samples
    # (understanding-sagemaker-entries: CreateEndpoint has requestParameters endpointName, endpointConfigName and
    # responseElements endpointArn, the name lower-cased): resourceArn, tags[].key, tagKeys; inferenceComponentName,
    # endpointName; inferenceComponentArn. The inference-component calls are not documented there: every member is
    # read case-insensitively.
    request = _lower_keys(detail.get("requestParameters"))
    if name in COMPONENT_CALLS:
        return _component_call(name, label, detail, request, event_id)
    arn = request.get("resourcearn")
    endpoint, component = _name_in_arn(arn, ENDPOINT), _name_in_arn(arn, INFERENCE_COMPONENT)
    if endpoint is None and component is None:
        return Trigger(label, event_id, dropped=f"{_resource_kind(arn)} {_NEITHER}")
    if name == "AddTags":
        keys = [_lower_keys(t).get("key") for t in request.get("tags") or ()]
    else:
        keys = list(request.get("tagkeys") or ())
    return _tagged(label, event_id, endpoint, component, keys, settings)


def _component_call(
    name: str,
    label: str,
    detail: Mapping[str, Any],
    request: Mapping[str, Any],
    event_id: str,
) -> Trigger:
    """Create/Update/UpdateRuntimeConfig/DeleteInferenceComponent: the endpoint hosting the component. Create names
    it in the request; the others only name the component (the response of Create and Update carries its ARN)."""
    component = request.get("inferencecomponentname")
    if not _is_component_name(component):
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
    if name == CREATE_COMPONENT and isinstance(endpoint, str) and ENDPOINT_NAME.fullmatch(endpoint):
        return Trigger(label, event_id, arn_names=(endpoint,), via=f"endpoint named in the {name} request")
    if not isinstance(component, str):
        return Trigger(label, event_id, dropped=f"no inference component name in the {name} call")
    return Trigger(label, event_id, component=component)


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


def _tag_change(event: Mapping[str, Any], detail: Mapping[str, Any], event_id: str, settings: Settings) -> Trigger:
    label = "aws.tag"
    resources = event.get("resources")
    arn = resources[0] if isinstance(resources, list) and resources else None
    kind = detail.get("resource-type")
    # Whether SageMaker emits this event at all is undocumented (aws-facts.md); if it does, resource-type is taken to
    # be the ARN's resource type, as for other services.
    endpoint = _name_in_arn(arn, ENDPOINT) if kind == ENDPOINT else None
    component = _name_in_arn(arn, INFERENCE_COMPONENT) if kind == INFERENCE_COMPONENT else None
    if detail.get("service") != "sagemaker" or (endpoint is None and component is None):
        return Trigger(label, event_id, dropped=f"{_resource_kind(arn)} {_NEITHER}")
    keys = detail.get("changed-tag-keys")
    return _tagged(label, event_id, endpoint, component, list(keys) if isinstance(keys, list) else [], settings)


def _tagged(
    label: str,
    event_id: str,
    endpoint: str | None,
    component: str | None,
    keys: list[Any],
    settings: Settings,
) -> Trigger:
    """A tag change on an endpoint or an inference component (their tags share the grammar): only keys under the
    prefix matter, and not the controller's own status keys."""
    prefix = f"{settings.tag_prefix}:"
    if keys and all(isinstance(k, str) for k in keys):
        ours = [k for k in keys if k.startswith(prefix)]
        if not ours:
            return Trigger(label, event_id, dropped=f"no tag under {prefix} changed")
        # The tags the controller writes itself: a change of only these must not wake it (it would trigger itself).
        if all(k.removeprefix(prefix) in STATUS_KEYS for k in ours):
            return Trigger(label, event_id, dropped="only the controller's status tags changed")
    # Keys unknown (redacted or malformed): reconciling costs reads only, missing a change costs correctness.
    if endpoint is not None:
        return Trigger(label, event_id, arn_names=(endpoint,))
    return Trigger(label, event_id, component=component)


def _parameter_change(detail: Mapping[str, Any], event_id: str, settings: Settings) -> Trigger:
    label = f"aws.ssm:{detail.get('operation', 'unknown')}"
    if "exception" in detail:
        return Trigger(label, event_id, dropped=f"the change failed ({detail['exception']}): nothing changed")
    name = detail.get("name")
    if not isinstance(name, str) or not name.startswith(f"{settings.profile_prefix}/"):
        return Trigger(label, event_id, dropped=f"parameter {name!r} is not under {settings.profile_prefix}/")
    return Trigger(label, event_id, profile=name)


def _endpoint_in_arn(arn: object) -> str | None:
    """The endpoint name of a SageMaker endpoint ARN (as written: AWS lower-cases it), else None."""
    return _name_in_arn(arn, ENDPOINT)


def _name_in_arn(arn: object, kind: str) -> str | None:
    """The name in a SageMaker ARN of that resource type (``endpoint``, ``inference-component``), as written (AWS
    lower-cases it), else None."""
    match = _ARN.fullmatch(arn) if isinstance(arn, str) else None
    if match is None or match["type"] != kind:
        return None
    valid = ENDPOINT_NAME.fullmatch(match["name"]) if kind == ENDPOINT else _is_component_name(match["name"])
    return match["name"] if valid else None


def _is_component_name(value: object) -> bool:
    return isinstance(value, str) and COMPONENT_NAME.fullmatch(value) is not None


def _resource_kind(arn: object) -> str:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return "a resource without an ARN"
    return arn.split(":", 5)[-1].split("/", 1)[0] or "the resource"


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
    """The endpoints an event concerns, with real names. Raises TemporaryError when a lookup failed (retry)."""
    trigger = parse_event(event, settings)
    return replace(_route(trigger, settings, directory), event_time=trigger.time)


def _route(trigger: Trigger, settings: Settings, directory: Directory) -> Routing:
    if trigger.dropped:
        return Routing(trigger.label, trigger.event_id, reason=trigger.dropped, unknown=trigger.unknown)
    if trigger.sweep:
        return Routing(trigger.label, trigger.event_id, reason="the schedule triggers the sweeper, not the router")
    if trigger.names:
        return Routing(trigger.label, trigger.event_id, trigger.names, reason="endpoint named in the event")
    if trigger.profile is not None:
        return _profile_users(trigger.profile, trigger, settings, directory)
    if trigger.component is not None:
        return _component_host(trigger.component, trigger, settings, directory)
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
    with any :label or :version); for the default profile, also every opted-in endpoint without a profile tag."""
    bare = full.removeprefix(f"{settings.profile_prefix}/")
    profile_key, enabled_key = f"{settings.tag_prefix}:profile", f"{settings.tag_prefix}:enabled"
    is_default = bare == settings.default_profile

    def uses_it(tags: Mapping[str, str]) -> bool:
        if profile_key not in tags:
            return is_default
        return tags[profile_key].partition(":")[0] in (bare, full)

    # One Tagging API read: the endpoints with a profile tag, or for the default profile every opted-in endpoint
    # (its users are those naming it and those with no profile tag; every user is opted in).
    found_by = enabled_key if is_default else profile_key
    arns = [
        arn for arn, tags in directory.read_tagged_endpoints(found_by) if _opted_in(tags, enabled_key) and uses_it(tags)
    ]
    names = _real_names(directory) if arns else {}
    lowered = {n for n in (_endpoint_in_arn(a) for a in arns) if n}
    found = tuple(sorted({names[n.lower()] for n in lowered if n.lower() in names}))
    users = "endpoints using it or no profile tag" if is_default else "endpoints whose profile tag names it"
    return Routing(trigger.label, trigger.event_id, found, reason=f"profile {bare} changed: {users}")


def _opted_in(tags: Mapping[str, str], enabled_key: str) -> bool:
    return tags.get(enabled_key, "").lower() == "true"


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
