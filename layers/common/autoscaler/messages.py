"""The reconcile request carried on the queue: one message per endpoint, whatever woke it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

# SageMaker endpoint names: ^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}
ENDPOINT_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")


class BadMessageError(ValueError):
    """A queue message that is not a reconcile request: permanent, it is logged and dropped."""


@dataclass(frozen=True)
class ReconcileRequest:
    """``components``: look up the endpoint's inference components even if its configuration does not ask (the
    sweep found something the controller owns on one, e.g. after a profile lost its ``inference_components``)."""

    endpoint: str
    trigger: str = "unknown"
    components: bool = False

    def to_json(self) -> str:
        body: dict[str, object] = {"endpoint": self.endpoint, "trigger": self.trigger}
        if self.components:
            body["components"] = True
        return json.dumps(body)

    @classmethod
    def parse(cls, body: str) -> ReconcileRequest:
        try:
            data = json.loads(body)
        except (TypeError, ValueError) as exc:
            raise BadMessageError(f"message body is not JSON: {exc}") from None
        if not isinstance(data, dict):
            raise BadMessageError("message body is not a JSON object")
        endpoint, trigger = data.get("endpoint"), data.get("trigger", "unknown")
        if not isinstance(endpoint, str) or not ENDPOINT_NAME.fullmatch(endpoint):
            raise BadMessageError(f"'endpoint' {endpoint!r} is not a SageMaker endpoint name")
        return cls(endpoint, str(trigger), data.get("components") is True)
