"""`redrive`: dead-lettered reconcile requests back to the queue.

AWS moves messages between queues with StartMessageMoveTask (FIFO queues included), keeping each message's group;
the emulator (moto) does not implement it, so the fallback receives and re-sends in receive order with the same
message group and a fresh deduplication id (the original one may still be inside SQS's five-minute window), and
deletes each message from the dead-letter queue only after its copy was accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

UNSUPPORTED = ("UnsupportedOperation", "InvalidAction", "NotImplemented", "InternalFailure", "InternalError")


@dataclass(frozen=True)
class Redrive:
    method: str  # "StartMessageMoveTask" or "receive-and-resend"
    moved: int | None  # None: the move task runs on in AWS (ApproximateNumberOfMessagesToMove is reported)
    task: str | None = None
    to_move: int | None = None


def redrive(sqs: Any, dead_letter_url: str, queue_url: str) -> Redrive:
    source = _arn(sqs, dead_letter_url)
    destination = _arn(sqs, queue_url)
    try:
        task = sqs.start_message_move_task(SourceArn=source, DestinationArn=destination)
    except ClientError as exc:
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        if exc.response.get("Error", {}).get("Code") not in UNSUPPORTED and status < 500:
            raise
    else:
        to_move = int(
            sqs.get_queue_attributes(QueueUrl=dead_letter_url, AttributeNames=["ApproximateNumberOfMessages"])[
                "Attributes"
            ]["ApproximateNumberOfMessages"]
        )
        return Redrive("StartMessageMoveTask", None, task.get("TaskHandle"), to_move)
    return Redrive("receive-and-resend", _resend(sqs, dead_letter_url, queue_url))


def _resend(sqs: Any, dead_letter_url: str, queue_url: str) -> int:
    moved = 0
    while True:
        messages = sqs.receive_message(
            QueueUrl=dead_letter_url, MaxNumberOfMessages=10, MessageSystemAttributeNames=["All"], WaitTimeSeconds=0
        ).get("Messages", [])
        if not messages:
            return moved
        for message in messages:
            attributes = message.get("Attributes", {})
            group = attributes.get("MessageGroupId")
            extra = (
                {"MessageGroupId": group, "MessageDeduplicationId": f"redrive-{message['MessageId']}"} if group else {}
            )
            sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"], **extra)
            sqs.delete_message(QueueUrl=dead_letter_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1


def _arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])
