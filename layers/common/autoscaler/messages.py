"""The reconcile request carried on the queue: one message per endpoint, whatever woke it.

A request is checked when it is built and when it is read back (``ReconcileRequest.parse``): a body that is not a
valid request is a ``BadMessageError``, which the reconciler acknowledges, logs with its reason and counts
(``DroppedMessages``), since no retry can fix it. Members it does not know are ignored, so a reconciler of the
previous version still reads a request that a newer router or sweeper wrote.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TypeGuard

from autoscaler.untrusted import BadInputError, kind, parse_json, shown

# SageMaker endpoint (and variant) names, SageMaker API Reference, CreateEndpoint (botocore's SageMaker service model,
# shape EndpointName): "Length Constraints: Maximum length of 63. Pattern: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}". The
# pattern alone bounds the letters and digits, not the hyphens between them: the lookahead bounds the length.
ENDPOINT_NAME = re.compile(r"(?=.{1,63}\Z)[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
# What a request can hold: an endpoint name, a trigger label (autoscaler.events bounds them) and a flag, in well
# under a kilobyte; anything near these limits is not a request.
MAX_BODY_CHARACTERS = 4096
MAX_BODY_DEPTH = 4
MAX_TRIGGER_CHARACTERS = 256


class BadMessageError(BadInputError):
    """A queue message that is not a reconcile request: permanent, it is logged and dropped."""


def is_endpoint_name(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and ENDPOINT_NAME.fullmatch(value) is not None


@dataclass(frozen=True)
class ReconcileRequest:
    """``components``: look up the endpoint's inference components even if its configuration does not ask (the
    sweep found something the controller owns on one, e.g. after a profile lost its ``inference_components``).
    An invalid request cannot be built (BadMessageError)."""

    endpoint: str
    trigger: str = "unknown"
    components: bool = False

    def __post_init__(self) -> None:
        if not is_endpoint_name(self.endpoint):
            raise BadMessageError(f"'endpoint' {shown(self.endpoint)} is not a SageMaker endpoint name")
        if not isinstance(self.trigger, str) or len(self.trigger) > MAX_TRIGGER_CHARACTERS:
            raise BadMessageError(
                f"'trigger' {shown(self.trigger)} is not a string of at most {MAX_TRIGGER_CHARACTERS} characters"
            )

    def to_json(self) -> str:
        body: dict[str, object] = {"endpoint": self.endpoint, "trigger": self.trigger}
        if self.components:
            body["components"] = True
        return json.dumps(body)

    @classmethod
    def parse(cls, body: object) -> ReconcileRequest:
        try:
            data = parse_json(body, what="message body", max_characters=MAX_BODY_CHARACTERS, max_depth=MAX_BODY_DEPTH)
        except BadInputError as exc:
            raise BadMessageError(str(exc)) from None
        if not isinstance(data, dict):
            raise BadMessageError(f"message body is {kind(data)}, not a JSON object")
        if "endpoint" not in data:
            raise BadMessageError("message body has no 'endpoint'")
        return cls(data["endpoint"], data.get("trigger", "unknown"), data.get("components") is True)
