"""The fields of trigger events the router reads, checked for the shape AWS documents before they are used.

A field that is not of that shape is a BadInputError naming it (``detail.EndpointStatus is a list, not a string``), and
the event is dropped with that reason and counted. Values reach reasons only through ``shown``/``cut``
(autoscaler.untrusted), never through str() or repr() of an arbitrary value. Fields the router does not read (an
endpoint event's Tags, a tag event's tags) may hold anything: they are never trusted (events are wake-ups).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from autoscaler.messages import is_endpoint_name
from autoscaler.untrusted import BadInputError, cut, kind, text

ENDPOINT = "endpoint"
INFERENCE_COMPONENT = "inference-component"
# SageMaker inference component names (InferenceComponentSummary): [a-zA-Z0-9]([\-a-zA-Z0-9]*[a-zA-Z0-9])?, <= 63.
COMPONENT_NAME = re.compile(r"(?=.{1,63}$)[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?")
_ARN = re.compile(r"arn:[a-z-]+:sagemaker:[a-z0-9-]*:[0-9]*:(?P<type>[a-z-]+)/(?P<name>.+)")
MAX_ARN = 256  # SageMaker ResourceArn: "Maximum length of 256" (SageMaker API Reference, AddTags)
# An event id goes into the SQS deduplication id with the endpoint name (at most 63). Amazon SQS API Reference,
# SendMessageBatchRequestEntry: "The length of MessageDeduplicationId is 128 characters. MessageDeduplicationId can
# contain alphanumeric characters (a-z, A-Z, 0-9) and punctuation".
_EVENT_ID = re.compile(r"[!-~]{1,64}")
_EPOCH_MS_FROM = 10**11  # numbers above this are milliseconds (10**11 seconds is the year 5138)


def event_id_of(value: object, fallback: str | None = None) -> str:
    """The event's id when it can be part of an SQS deduplication id, else ``fallback`` or a fresh one (never
    deduplicated)."""
    if isinstance(value, str) and _EVENT_ID.fullmatch(value):
        return value
    return fallback or str(uuid4())


def tag_keys(value: object, field: str, member: str | None = None) -> list[str] | None:
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
            key, where = lower_keys(item).get(member), f"{where}.{member}"
        keys.append(text(key, where))
    return keys


def text_member(mapping: Mapping[str, Any], key: str, where: str) -> str:
    if key not in mapping:
        raise BadInputError(f"{where}.{key} is missing")
    return text(mapping[key], f"{where}.{key}")


def resources_of(event: Mapping[str, Any]) -> list[Any]:
    """The event's ``resources`` (ARNs): a list, or absent."""
    resources = event.get("resources")
    if resources is None:
        return []
    if not isinstance(resources, list):
        raise BadInputError(f"resources is {kind(resources)}, not a list of ARNs")
    return resources


def endpoint_in_arn(arn: object) -> str | None:
    """The endpoint name of a SageMaker endpoint ARN (as written: AWS lower-cases it), else None."""
    return name_in_arn(arn, ENDPOINT)


def name_in_arn(arn: object, kind_: str) -> str | None:
    """The name in a SageMaker ARN of that resource type (``endpoint``, ``inference-component``), as written (AWS
    lower-cases it), else None."""
    match = _ARN.fullmatch(arn) if isinstance(arn, str) and len(arn) <= MAX_ARN else None
    if match is None or match["type"] != kind_:
        return None
    valid = is_endpoint_name(match["name"]) if kind_ == ENDPOINT else is_component_name(match["name"])
    return match["name"] if valid else None


def endpoint_arn_beside(component_arn: object, endpoint: str) -> tuple[str, ...]:
    """The ARN of ``endpoint`` in the account and region of an inference-component ARN (a component is created on an
    endpoint of its own account and region), the name lower-cased as AWS writes it in ARNs; () without a valid
    component ARN."""
    if name_in_arn(component_arn, INFERENCE_COMPONENT) is None:
        return ()
    prefix = str(component_arn).rsplit(":", 1)[0]
    return (f"{prefix}:{ENDPOINT}/{endpoint.lower()}",)


def is_component_name(value: object) -> bool:
    return isinstance(value, str) and COMPONENT_NAME.fullmatch(value) is not None


def resource_kind(arn: object) -> str:
    if not isinstance(arn, str) or not arn.startswith("arn:"):
        return "a resource without an ARN"
    return cut(arn.split(":", 5)[-1].split("/", 1)[0]) or "the resource"


def lower_keys(value: object) -> dict[str, Any]:
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
