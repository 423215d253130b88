"""EventBridge: the outcome events of reconciles."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.errors import TemporaryError


class EventsWrites(Clients):
    def put_event(self, bus: str, source: str, detail_type: str, detail: Mapping[str, Any]) -> None:
        with classified("PutEvents"):
            result = self.events.put_events(
                Entries=[
                    {"EventBusName": bus, "Source": source, "DetailType": detail_type, "Detail": json.dumps(detail)}
                ]
            )
        if result.get("FailedEntryCount"):
            raise TemporaryError(f"PutEvents: {result['Entries']}")
