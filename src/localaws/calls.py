"""Count AWS API calls at the botocore layer (one per API call, retries not counted), by service and operation."""

from __future__ import annotations

from collections import Counter
from typing import Any

READ_VERBS = ("Describe", "List", "Get", "Search")


class CallCounter:
    def __init__(self, *clients: Any) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        for client in clients:
            self.attach(client)

    def attach(self, client: Any) -> None:
        client.meta.events.register("before-call", self._count)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[(model.service_model.service_name, model.name)] += 1

    def reset(self) -> None:
        self.calls.clear()

    @property
    def writes(self) -> Counter[tuple[str, str]]:
        return Counter({k: n for k, n in self.calls.items() if not k[1].startswith(READ_VERBS)})

    @property
    def reads(self) -> Counter[tuple[str, str]]:
        return Counter({k: n for k, n in self.calls.items() if k[1].startswith(READ_VERBS)})
