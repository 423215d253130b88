"""AWS's event sources: one parser per kind of event the router's rules send, and SOURCES, the table
autoscaler/triggers.py reads (see the steps for a new source in autoscaler/events.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from autoscaler.event_fields import (
    ENDPOINT,
    INFERENCE_COMPONENT,
    endpoint_arn_beside,
    endpoint_in_arn,
    event_id_of,
    is_component_name,
    lower_keys,
    name_in_arn,
    resource_kind,
    resources_of,
    tag_keys,
    text_member,
)
from autoscaler.messages import is_endpoint_name
from autoscaler.settings import Settings
from autoscaler.tags import STATUS_KEYS, tag_key
from autoscaler.triggers import Dropped, EventSource, Trigger
from autoscaler.untrusted import BadInputError, cut, kind, shown

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
# Application Auto Scaling scales a component's copies with UpdateInferenceComponentRuntimeConfig through its
# service-linked role (AAS user guide, AWSApplicationAutoscalingSageMakerEndpointPolicy grants that action). How
# CloudTrail names that caller is not documented for this call: the role name, or the service as invokedBy /
# sourceIPAddress, is taken as the sign (unverified).
AAS_ROLE = "AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint"
AAS_SERVICE = "application-autoscaling.amazonaws.com"
_NEITHER = "is not a SageMaker endpoint or inference component"


def _state_change(
    event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str, settings: Settings
) -> Trigger:
    status = text_member(detail, "EndpointStatus", "detail").upper()
    if status in TRANSIENT_STATUSES:
        return Trigger(label, event_id, dropped=f"endpoint is {status}: an IN_SERVICE event follows")
    if status not in RECONCILE_STATUSES:
        return Trigger(label, event_id, dropped=f"endpoint status {shown(status)}: nothing to reconcile")
    # The event's Tags (a map in AWS's sample, a list of {Key, Value} in the schema registry) are never trusted:
    # the reconciler re-reads them. Only the name matters here.
    name = detail.get("EndpointName")
    if is_endpoint_name(name):
        return Trigger(label, event_id, names=(name,))
    arns = [a for a in (detail.get("EndpointArn"), *resources_of(event)) if endpoint_in_arn(a)]
    if arns:
        return Trigger(label, event_id, arn_names=(str(endpoint_in_arn(arns[0])),), arns=(arns[0],))
    raise BadInputError(
        f"detail.EndpointName is {shown(name)}, not a SageMaker endpoint name, and neither detail.EndpointArn nor "
        "resources holds an endpoint ARN"
    )


def _cloudtrail_call(
    event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str, settings: Settings
) -> Trigger:
    """ "AWS API Call via CloudTrail" (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail":
    "All events that are delivered by CloudTrail have `AWS API Call via CloudTrail` as the value for
    `detail-type`"): the detail is the CloudTrail record ("CloudTrail record contents for management, data, and
    network activity events": eventName, eventID, errorCode when the call failed, requestParameters,
    responseElements)."""
    name = text_member(detail, "eventName", "detail")
    event_id = event_id_of(detail.get("eventID"), event_id)
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
    request = lower_keys(raw)
    if name in COMPONENT_CALLS:
        return _component_call(name, label, detail, request, event_id)
    arn = request.get("resourcearn")
    if not isinstance(arn, str):
        raise BadInputError(f"requestParameters.resourceArn is {kind(arn)}, not a string")
    endpoint, component = name_in_arn(arn, ENDPOINT), name_in_arn(arn, INFERENCE_COMPONENT)
    if endpoint is None and component is None:
        return Trigger(label, event_id, dropped=f"{resource_kind(arn)} {_NEITHER}")
    if name == "AddTags":
        keys = tag_keys(request.get("tags"), "requestParameters.tags", member="key")
    else:
        keys = tag_keys(request.get("tagkeys"), "requestParameters.tagKeys")
    endpoints, components = ((endpoint,), ()) if endpoint else ((), (str(component),))
    return replace(_tagged(label, event_id, endpoints, components, keys, settings), arns=(arn,) if endpoint else ())


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
    component = named if is_component_name(named) else None
    response = lower_keys(detail.get("responseElements"))
    if component is None:
        component = name_in_arn(response.get("inferencecomponentarn"), INFERENCE_COMPONENT)
    if name == UPDATE_COMPONENT_RUNTIME and _by_application_autoscaling(detail):
        return Trigger(
            label,
            event_id,
            dropped=f"Application Auto Scaling scaled inference component {component or '?'}: a scaling activity, "
            "not a configuration change",
        )
    endpoint = request.get("endpointname")
    if name == CREATE_COMPONENT and is_endpoint_name(endpoint):
        arn = endpoint_arn_beside(response.get("inferencecomponentarn"), endpoint)
        return Trigger(label, event_id, arn_names=(endpoint,), via=f"endpoint named in the {name} request", arns=arn)
    if component is None:
        raise BadInputError(
            f"no inference component name in the {name} call: requestParameters.inferenceComponentName is "
            f"{shown(named)} and responseElements holds no inference-component ARN"
        )
    return Trigger(label, event_id, components=(component,))


def _by_application_autoscaling(detail: Mapping[str, Any]) -> bool:
    """Whether Application Auto Scaling made the call (see AAS_ROLE)."""
    lowered = lower_keys(detail)
    identity = lower_keys(lowered.get("useridentity"))
    issuer = lower_keys(lower_keys(identity.get("sessioncontext")).get("sessionissuer"))
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
    resources = resources_of(event)
    service = text_member(detail, "service", "detail")
    kind_ = text_member(detail, "resource-type", "detail")
    first = resources[0] if resources else None
    # Whether SageMaker emits this event at all is undocumented; if it does, resource-type is taken to
    # be the ARN's resource type, as for other services.
    if service != "sagemaker" or kind_ not in (ENDPOINT, INFERENCE_COMPONENT):
        return Trigger(label, event_id, dropped=f"{resource_kind(first)} {_NEITHER}")
    if not resources:
        raise BadInputError("resources is empty: no resource to route")
    names, arns, skipped = [], [], []
    for number, arn in enumerate(resources):
        name = name_in_arn(arn, kind_)
        if name is None:
            skipped.append(Dropped(f"resources[{number}]", f"{shown(arn)} is not a SageMaker {kind_} ARN"))
        else:
            names.append(name)
            arns.append(arn)
    if not names:
        raise BadInputError("; ".join(f"{d.subject} {d.reason}" for d in skipped))
    keys = tag_keys(detail.get("changed-tag-keys"), "detail.changed-tag-keys")
    if keys is None:
        raise BadInputError("detail.changed-tag-keys is a string, not a list")
    endpoints, components = (tuple(names), ()) if kind_ == ENDPOINT else ((), tuple(names))
    tagged = _tagged(label, event_id, endpoints, components, keys, settings)
    return replace(tagged, skipped=tuple(skipped), arns=tuple(arns) if kind_ == ENDPOINT else ())


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


def _parameter_change(
    event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str, settings: Settings
) -> Trigger:
    """ "Parameter Store Change": detail operation, name, type, description (AWS Systems Manager User Guide,
    "Amazon EventBridge event examples for Systems Manager"); a failed change carries
    ``exception``."""
    text_member(detail, "operation", "detail")
    if "exception" in detail:
        return Trigger(
            label, event_id, dropped=f"the change failed ({shown(detail['exception'], quote=False)}): nothing changed"
        )
    name = text_member(detail, "name", "detail")
    if not name.startswith(f"{settings.profile_prefix}/"):
        return Trigger(label, event_id, dropped=f"parameter {shown(name)} is not under {settings.profile_prefix}/")
    return Trigger(label, event_id, profile=name)


def _scheduled(
    event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str, settings: Settings
) -> Trigger:
    return Trigger(label, event_id, sweep=True)


def _text_label(prefix: str, key: str, fallback: str = "unknown", upper: bool = False) -> Any:
    """A label ``<prefix>:<detail[key]>`` (cut short; ``fallback`` when the field is not a non-empty string)."""

    def label(detail: Mapping[str, Any]) -> str:
        value = detail.get(key)
        shown_value = (value.upper() if upper else value) if isinstance(value, str) and value else None
        return f"{prefix}:{cut(shown_value) if shown_value else fallback}"

    return label


SOURCES: Mapping[tuple[str, str], EventSource] = {
    row.key: row
    for row in (
        EventSource(
            "aws.sagemaker",
            STATE_CHANGE,
            _state_change,
            _text_label("aws.sagemaker", "EndpointStatus", "unknown-status", upper=True),
        ),
        EventSource("aws.sagemaker", CLOUDTRAIL_CALL, _cloudtrail_call, _text_label("cloudtrail", "eventName")),
        EventSource("aws.tag", TAG_CHANGE, _tag_change, lambda detail: "aws.tag"),
        EventSource("aws.ssm", PARAMETER_CHANGE, _parameter_change, _text_label("aws.ssm", "operation")),
        EventSource("aws.events", SCHEDULED, _scheduled, lambda detail: "schedule"),
    )
}
