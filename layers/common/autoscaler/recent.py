"""The reconciles of each endpoint that completed in this execution environment, by the time they started: what lets
the reconciler skip a queue message that such a reconcile already covered (autoscaler/coalesce.py)."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

# A message counts as covered only if it was sent this long before the reconcile started: SentTimestamp is SQS's
# clock, the start is this environment's, and AWS documents no bound on how far they differ.
CLOCK_MARGIN = timedelta(seconds=1)
MAX_ENDPOINTS = 10_000  # remembered per environment (least recently completed forgotten first)


@dataclass(frozen=True)
class Completed:
    started: datetime | None = None  # the latest completed reconcile's start
    with_components: datetime | None = None  # the latest that also looked up the endpoint's inference components


class RecentReconciles:
    def __init__(self, limit: int = MAX_ENDPOINTS) -> None:
        self._done: OrderedDict[str, Completed] = OrderedDict()
        self._limit = limit

    def completed(self, endpoint: str, started: datetime, components: bool) -> None:
        """A reconcile of ``endpoint`` that started at ``started`` returned (whatever its outcome)."""
        before = self._done.pop(endpoint, Completed())
        latest = max(started, before.started or started)
        latest_with = max(started, before.with_components or started) if components else before.with_components
        self._done[endpoint] = Completed(latest, latest_with)
        while len(self._done) > self._limit:
            self._done.popitem(last=False)

    def covers(self, endpoint: str, sent: datetime, components: bool) -> bool:
        """Whether a completed reconcile (one that looked up components, if ``components``) started after ``sent``."""
        done = self._done.get(endpoint, Completed())
        started = done.with_components if components else done.started
        return started is not None and sent + CLOCK_MARGIN <= started
