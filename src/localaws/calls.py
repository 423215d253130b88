"""Count AWS API calls at the botocore layer (one per API call, retries not counted), by service and operation."""

from __future__ import annotations

import itertools
import weakref
from collections import Counter
from typing import Any

READ_VERBS = ("Describe", "List", "Get", "Search", "Scan")  # Scan: DynamoDB (the refusals table)
_SERIAL = itertools.count(1)


def is_read(operation: str) -> bool:
    """Whether an API operation (``DescribeAlarms``, ``PutScalingPolicy``) only reads: the one classification of
    calls into reads and writes, used by the counter, the benchmark and the tests."""
    return operation.startswith(READ_VERBS)


class CallCounter:
    def __init__(self, *clients: Any) -> None:
        self.calls: Counter[tuple[str, str]] = Counter()
        # A handler registered under one id per counter: registered once per emitter however often it is attached
        # (a client made by an attached session already carries it), and unregistered by the same id.
        self._id = f"localaws-call-counter-{next(_SERIAL)}"
        self._emitters: weakref.WeakSet[Any] = weakref.WeakSet()  # every emitter attached that is still alive
        for client in clients:
            self.attach(client)

    def attach(self, client: Any) -> None:
        """Counts every call ``client`` (a boto3 client) makes from now on."""
        self._register(client.meta.events)

    def attach_session(self, session: Any) -> None:
        """Counts every call of the clients ``session`` (a boto3 Session) makes from now on: each copies the
        session's handlers when made."""
        self._register(session.events)

    def detach(self) -> None:
        """Stops counting the clients and sessions attached. A client made by an attached session holds its own copy
        of the handler: attach it too for ``detach`` to reach it."""
        for events in self._emitters:
            events.unregister("before-call", unique_id=self._id)
        self._emitters.clear()

    def _register(self, events: Any) -> None:
        events.register("before-call", self._count, unique_id=self._id)
        self._emitters.add(events)

    def _count(self, model: Any, **_: Any) -> None:
        self.calls[(model.service_model.service_name, model.name)] += 1

    def reset(self) -> None:
        self.calls.clear()

    @property
    def writes(self) -> Counter[tuple[str, str]]:
        return Counter({k: n for k, n in self.calls.items() if not is_read(k[1])})

    @property
    def reads(self) -> Counter[tuple[str, str]]:
        return Counter({k: n for k, n in self.calls.items() if is_read(k[1])})
