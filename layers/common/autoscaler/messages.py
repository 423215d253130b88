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
    endpoint: str
    trigger: str = "unknown"

    def to_json(self) -> str:
        return json.dumps({"endpoint": self.endpoint, "trigger": self.trigger})

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
        return cls(endpoint, str(trigger))
