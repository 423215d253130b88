"""DynamoDB: the table of refused plans (autoscaler/refusals.py)."""

from __future__ import annotations

from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.refusals import Refusal
from autoscaler.refusals import key as refusal_key


class RefusalsTable(Clients):
    def record_refusal(self, table: str, refusal: Refusal) -> None:
        """PutItem: the refusal replaces any earlier one of the endpoint."""
        with classified(f"PutItem {table} {refusal.endpoint}"):
            self.client("dynamodb").put_item(TableName=table, Item=refusal.item())

    def clear_refusal(self, table: str, endpoint: str) -> None:
        """DeleteItem (of nothing, when there is no record: DynamoDB answers it the same)."""
        with classified(f"DeleteItem {table} {endpoint}"):
            self.client("dynamodb").delete_item(TableName=table, Key=refusal_key(endpoint))

    def read_refusals(self, table: str) -> tuple[dict[str, Any], ...]:
        """Scan, every page (1 MB each, consistent reads): the table's items, as DynamoDB gives them."""
        with classified(f"Scan {table}"):
            return tuple(self._pages(self.client("dynamodb"), "scan", "Items", TableName=table, ConsistentRead=True))
