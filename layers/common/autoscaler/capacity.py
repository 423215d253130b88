"""On-demand capacity (README.md, the `hold` tag): set a variant's desired instance count now.

The count is clamped to the variant's current scalable-target bounds (to [1, MaxCapacityCeiling] when it has no
target) and refused while the endpoint is not InService (SageMaker would fail the update: "Cannot update in-progress
endpoint"). Without a hold it is a nudge: target tracking may move the count back at its next evaluation, and the
result says so. With a hold, ``<prefix>:<Variant>:hold = <count>@<until>`` is written on the endpoint; reconciles treat
it as a floor on min until it expires, and the tag change wakes the reconcile that raises min.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from autoscaler.aws import Aws
from autoscaler.errors import EndpointNotReadyError
from autoscaler.messages import ENDPOINT_NAME
from autoscaler.spec import Hold, TargetKey, VariantKind
from autoscaler.tags import tag_key

MAX_HOLD = timedelta(days=14)
_DURATION = re.compile(r"([1-9][0-9]{0,5})(m|h|d)")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class CapacityRequestError(ValueError):
    """The request itself is malformed: names the field."""


def parse_duration(text: str) -> timedelta:
    match = _DURATION.fullmatch(text)
    if not match:
        raise CapacityRequestError(f"hold {text!r}: expected a duration like 30m, 2h or 1d")
    duration = timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    if duration > MAX_HOLD:
        raise CapacityRequestError(f"hold {text!r}: at most {MAX_HOLD.days} days")
    return duration


@dataclass(frozen=True)
class CapacityRequest:
    endpoint: str
    variant: str
    count: int
    hold: timedelta | None = None

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> CapacityRequest:
        if not isinstance(payload, Mapping):
            raise CapacityRequestError("payload: expected a JSON object {endpoint, variant, count, hold?}")
        unknown = set(payload) - {"endpoint", "variant", "count", "hold"}
        if unknown:
            raise CapacityRequestError(f"unknown field(s) {sorted(unknown)}")
        endpoint, variant, count = payload.get("endpoint"), payload.get("variant"), payload.get("count")
        if not isinstance(endpoint, str) or not ENDPOINT_NAME.fullmatch(endpoint):
            raise CapacityRequestError(f"endpoint {endpoint!r}: not a SageMaker endpoint name")
        if not isinstance(variant, str) or not ENDPOINT_NAME.fullmatch(variant):
            raise CapacityRequestError(f"variant {variant!r}: not a SageMaker variant name")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise CapacityRequestError(f"count {count!r}: expected a whole number of instances")
        hold = payload.get("hold")
        if hold is not None and not isinstance(hold, str):
            raise CapacityRequestError(f"hold {hold!r}: expected a duration like 30m, 2h or 1d")
        return cls(endpoint, variant, count, parse_duration(hold) if hold else None)


@dataclass(frozen=True)
class CapacityResult:
    endpoint: str
    variant: str
    status: str  # updated | unchanged | refused
    message: str
    requested: int
    count: int | None = None
    bounds: tuple[int, int] | None = None
    hold: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.status != "refused",
            "endpoint": self.endpoint,
            "variant": self.variant,
            "status": self.status,
            "message": self.message,
            "requested": self.requested,
            "count": self.count,
            "bounds": list(self.bounds) if self.bounds else None,
            "hold": self.hold,
        }


def set_capacity(request: CapacityRequest, aws: Aws, tag_prefix: str, ceiling: int, now: datetime) -> CapacityResult:
    """Raises TemporaryError when AWS throttles or fails; every refusal is a result with the reason."""

    def refused(message: str) -> CapacityResult:
        return CapacityResult(request.endpoint, request.variant, "refused", message, request.count)

    endpoint = aws.read_endpoint(request.endpoint, instance_types=False)  # kinds and counts only
    if endpoint is None:
        return refused(f"endpoint {request.endpoint} does not exist")
    if not endpoint.in_service:
        return refused(f"endpoint is {endpoint.status}: capacity can change only when it is InService")
    variant = endpoint.variant(request.variant)
    if variant is None:
        names = ", ".join(v.name for v in endpoint.variants)
        return refused(f"endpoint {endpoint.name} has no variant {request.variant} (it has {names})")
    if variant.kind not in (VariantKind.INSTANCE, VariantKind.ASYNC):
        return refused(f"variant {variant.name} is {variant.kind}: only instance counts can be set yet")

    target = aws.read_target(TargetKey.for_variant(endpoint.name, variant.name, variant.kind))
    bounds = (target.min_capacity, target.max_capacity) if target else (variant.kind.min_floor, ceiling)
    count = min(max(request.count, bounds[0]), bounds[1])
    clamped = (
        f" (clamped from {request.count} to the bounds {bounds[0]}..{bounds[1]})" if count != request.count else ""
    )
    hold = Hold(count, now + request.hold) if request.hold else None
    if variant.current_count == count:
        status, message = "unchanged", f"{variant.name} already has {count} instance(s){clamped}"
    else:
        try:
            aws.update_instance_count(endpoint.name, variant.name, count)
        except EndpointNotReadyError as exc:
            return refused(str(exc))
        status, message = "updated", f"{variant.name}: {variant.current_count} -> {count} instance(s){clamped}"
    if hold is not None:
        aws.write_tags(endpoint.arn, {tag_key(tag_prefix, "hold", variant.name): hold.tag_value()})
        message += f"; held as a floor on min until {hold.tag_value().split('@')[1]}"
    elif target is not None:
        message += "; a nudge: target tracking may move it back (use a hold to keep it)"
    return CapacityResult(
        endpoint.name, variant.name, status, message, request.count, count, bounds, hold.tag_value() if hold else None
    )
