"""What a sweep that outgrows one invocation keeps between its invocations: its reads in the stack's S3 bucket, its
next steps as messages on the sweep queue (SQS), and its lock and counts in the sweep table (DynamoDB)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from autoscaler.aws.base import Clients
from autoscaler.aws.classify import classified
from autoscaler.errors import AwsError, TemporaryError

CONDITION_FAILED = "ConditionalCheckFailedException"


class SweepStore(Clients):
    def put_sweep_object(self, bucket: str, key: str, body: bytes) -> None:
        with classified(f"PutObject {key}"):
            self.client("s3").put_object(Bucket=bucket, Key=key, Body=body)

    def get_sweep_object(self, bucket: str, key: str) -> bytes:
        with classified(f"GetObject {key}"):
            return bytes(self.client("s3").get_object(Bucket=bucket, Key=key)["Body"].read())

    def send_sweep_messages(self, queue_url: str, bodies: Sequence[str]) -> None:
        """SendMessageBatch, ten at a time, to a standard queue; any entry SQS did not accept raises TemporaryError
        (the invocation fails and its own message returns)."""
        failed: list[dict[str, Any]] = []
        for start in range(0, len(bodies), 10):
            entries = [{"Id": str(n), "MessageBody": b} for n, b in enumerate(bodies[start : start + 10])]
            with classified("SendMessageBatch"):
                failed += self.client("sqs").send_message_batch(QueueUrl=queue_url, Entries=entries).get("Failed", [])
        if failed:
            raise TemporaryError(f"SendMessageBatch: {len(failed)} message(s) not accepted: {failed}")

    def put_sweep_item(self, table: str, item: Mapping[str, Any], condition: str, values: Mapping[str, Any]) -> bool:
        """PutItem under a condition; False when the condition did not hold."""
        try:
            with classified(f"PutItem {table}"):
                self.client("dynamodb").put_item(
                    TableName=table, Item=dict(item), ConditionExpression=condition, ExpressionAttributeValues=values
                )
        except AwsError as exc:
            if exc.code == CONDITION_FAILED:
                return False
            raise
        return True

    def update_sweep_item(
        self, table: str, key: Mapping[str, Any], update: str, condition: str, values: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """UpdateItem under a condition: the item as it is after the update, or None when the condition did not hold
        (DynamoDB applies an update expression atomically: ADD counts exactly once)."""
        try:
            with classified(f"UpdateItem {table}"):
                answer = self.client("dynamodb").update_item(
                    TableName=table,
                    Key=dict(key),
                    UpdateExpression=update,
                    ConditionExpression=condition,
                    ExpressionAttributeValues=values,
                    ReturnValues="ALL_NEW",
                )
        except AwsError as exc:
            if exc.code == CONDITION_FAILED:
                return None
            raise
        return dict(answer.get("Attributes", {}))

    def delete_sweep_item(self, table: str, key: Mapping[str, Any], condition: str, values: Mapping[str, Any]) -> None:
        """DeleteItem under a condition; nothing when it did not hold."""
        try:
            with classified(f"DeleteItem {table}"):
                self.client("dynamodb").delete_item(
                    TableName=table, Key=dict(key), ConditionExpression=condition, ExpressionAttributeValues=values
                )
        except AwsError as exc:
            if exc.code != CONDITION_FAILED:
                raise
