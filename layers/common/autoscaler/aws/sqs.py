"""SQS: the router's and the sweep's messages to the reconcile queue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.errors import TemporaryError


class SqsWrites(Clients):
    def send_fifo_messages(self, queue_url: str, messages: Sequence[tuple[str, str, str]]) -> None:
        """SendMessageBatch of (body, message group id, deduplication id), ten at a time. Any entry SQS did not
        accept raises TemporaryError after the whole batch was tried (deduplication makes a resend harmless)."""
        sqs = self.client("sqs")
        failed: list[dict[str, Any]] = []
        for start in range(0, len(messages), 10):
            entries = [
                {"Id": str(number), "MessageBody": body, "MessageGroupId": group, "MessageDeduplicationId": dedup}
                for number, (body, group, dedup) in enumerate(messages[start : start + 10])
            ]
            with classified("SendMessageBatch"):
                result = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
            failed += result.get("Failed", [])
        if failed:
            raise TemporaryError(f"SendMessageBatch: {len(failed)} message(s) not accepted: {failed}")
