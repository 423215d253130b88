"""What the fidelity rules of every service share: the configuration, the installed state and its lock, the
Creating/Updating -> InService transitions, the refusal of what breaks a service model, and paging."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from moto.core.utils import utcnow

from autoscaler.constraints import Violation, input_shape, violations

SAGEMAKER = "sagemaker"
IN_SERVICE = "InService"
CREATING = "Creating"
UPDATING = "Updating"


@dataclass(frozen=True)
class FidelityConfig:
    """How the layer behaves.

    ``endpoint_transition_seconds``: how long an endpoint stays Creating after CreateEndpoint, and Updating after
    UpdateEndpointWeightsAndCapacities / UpdateEndpoint (and an inference component Creating / Updating after
    CreateInferenceComponent / UpdateInferenceComponentRuntimeConfig), measured on ``clock`` (injectable for
    deterministic tests).
    """

    endpoint_transition_seconds: float = 0.0
    clock: Callable[[], float] = time.monotonic


@dataclass
class _Transition:
    """A pending Creating/Updating -> InService transition of one endpoint (or inference component)."""

    ready_at: float
    complete: Callable[[], None] | None = None
    status_attribute: str = "endpoint_status"


_MISSING = object()


@dataclass
class _State:
    config: FidelityConfig | None = None
    saved: dict[tuple[object, str], object] = field(default_factory=dict)
    pending: WeakKeyDictionary[Any, _Transition] = field(default_factory=WeakKeyDictionary)


_state = _State()
# Re-entrant: moto_server serves requests on several threads, and a rule may call another patched method.
_lock = threading.RLock()


def _begin_transition(
    endpoint: Any, status: str, complete: Callable[[], None] | None = None, status_attribute: str = "endpoint_status"
) -> None:
    """Sets ``status`` now and InService after ``endpoint_transition_seconds`` (an endpoint, or an inference component
    whose status lives in ``status_attribute``)."""
    config = _state.config or FidelityConfig()
    with _lock:
        setattr(endpoint, status_attribute, status)
        endpoint.last_modified_time = utcnow()
        ready_at = config.clock() + config.endpoint_transition_seconds
        _state.pending[endpoint] = _Transition(ready_at, complete, status_attribute)


def _advance(now: float | None = None) -> None:
    """Completes every pending transition that is due at ``now`` (default: the config clock's current time), in the
    order they fell due, so that their LastModifiedTime stamps follow that order."""
    if now is None:
        now = (_state.config or FidelityConfig()).clock()
    with _lock:
        for endpoint, transition in sorted(_state.pending.items(), key=lambda item: item[1].ready_at):
            if now >= transition.ready_at:
                del _state.pending[endpoint]
                if transition.complete is not None:
                    transition.complete()
                setattr(endpoint, transition.status_attribute, IN_SERVICE)
                endpoint.last_modified_time = utcnow()


def settle() -> None:
    """Completes every pending transition now: all Creating/Updating endpoints and inference components become
    InService."""
    _advance(math.inf)


# --- what AWS refuses -----------------------------------------------------------------------------------------------

# The local AWS refuses the requests AWS refuses: first every constraint of the service model (botocore's, walked by
# ``autoscaler.constraints.violations``: types, required, enum, numeric range, length, pattern), then the rules AWS
# documents that a model cannot express (below, each with its source). AWS words a model violation as its services
# do ("1 validation error detected: Value ... at ... failed to satisfy constraint: ..."); that form is seen in AWS's
# answers but not documented, and the wording of the documented rules' refusals is not documented either: the
# messages below are the layer's own where no AWS text is quoted.


def _constraint_text(violation: Violation) -> str:
    """The constraint a member breaks, as AWS's services word it."""
    limit = violation.limit
    match violation.kind:
        case "required":
            return "Member must not be null"
        case "unknown":
            return "Member is not part of the request"
        case "type":
            return f"Member must be of type {limit}"
        case "enum":
            return f"Member must satisfy enum value set: [{', '.join(limit)}]"
        case "min" | "max":
            return f"Member must have value {'greater' if violation.kind == 'min' else 'less'} than or equal to {limit}"
        case "min_length" | "max_length":
            side = "greater" if violation.kind == "min_length" else "less"
            return f"Member must have length {side} than or equal to {limit}"
    return f"Member must satisfy regular expression pattern: {limit}"


def _model_refusal(service: str, operation: str, params: dict[str, Any]) -> str | None:
    """AWS's ValidationException text for the request's violations of the service model, or None."""
    found = violations(input_shape(service, operation), params)
    if not found:
        return None
    parts = []
    for violation in found:
        at = ".".join(f"{p[0].lower()}{p[1:]}" if isinstance(p, str) else f"{p + 1}.member" for p in violation.path)
        parts.append(f"Value '{violation.value}' at '{at}' failed to satisfy constraint: {_constraint_text(violation)}")
    plural = "s" if len(found) > 1 else ""
    return f"{len(found)} validation error{plural} detected: " + "; ".join(parts)


def _plain(value: Any) -> Any:
    """moto's parsed request (mappings that also answer snake_case keys) as plain dicts and lists."""
    if isinstance(value, Mapping):
        items = value.original_dict().items() if hasattr(value, "original_dict") else value.items()
        return {key: _plain(item) for key, item in items}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# --- paging ---------------------------------------------------------------------------------------------------------


_Item = TypeVar("_Item")


@dataclass(frozen=True)
class PageSize:
    """AWS's page size for one read: the results a page holds when the request names no size, and the most a request
    may ask for (each cited where it is declared)."""

    default: int
    maximum: int


def page(
    items: Sequence[_Item], token: str | None, requested: int | None, size: PageSize, member: str
) -> tuple[list[_Item], str | None]:
    """One page of ``items`` as AWS serves it: ``requested`` results (``size.default`` when not given) from the offset
    ``token``, and the token of the next page, or None after the last. A size outside 1 to ``size.maximum`` is refused
    (ValueError naming ``member``), as AWS refuses it; the rule raising it turns it into the service's error."""
    count = size.default if requested is None else requested
    if not 1 <= count <= size.maximum:
        raise ValueError(f"{member} {count} is not within 1-{size.maximum}")
    if token is not None and not token.isdigit():
        raise ValueError(f"Invalid NextToken {token}")
    start = int(token) if token else 0
    end = start + count
    return list(items[start:end]), (str(end) if end < len(items) else None)
