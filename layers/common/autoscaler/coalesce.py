"""Bursts: messages of one endpoint that a single reconcile covers cost one reconcile, never the last change.

The reconciler reads a FIFO queue whose message group is the endpoint (autoscaler/events.py), in batches of at most
ten. A reconcile is level-triggered: it reads the endpoint, its tags, its profile and its Application Auto Scaling
state fresh when it runs (autoscaler/reconciler.py, ``evaluate``), whatever the message says. So a message is covered
by a reconcile of its endpoint that started after the message was sent: the change that caused the message happened
before it was sent, hence before every read of that reconcile. Two rules follow.

- Within a batch: the messages of one (message group, endpoint) make one reconcile, run at the first of them, with
  their ``components`` flags merged; the later ones are acknowledged as covered. Every message of a batch was sent
  before the batch was received, so that reconcile starts after each was sent. If it fails, the processor the handler
  uses (Powertools for AWS Lambda (Python), SqsFifoPartialProcessor with ``skip_group_on_error=True``: "exclusively
  skip messages from the MessageGroupID that encountered processing failures") reports the failed record, and every
  later record of its message group unprocessed ("A previous record from this message group failed processing"), as
  batch item failures: all of them return to the queue, nothing is lost.
- Across batches: a message whose SentTimestamp is older than the start of a reconcile of its endpoint that completed
  in this execution environment (``Deps.recent``, autoscaler/recent.py; with a clock margin) is covered by it. Amazon
  SQS Developer Guide, "FIFO queue delivery logic in Amazon SQS": within a message group messages are "received and
  processed in the exact order they were transmitted", and after a receive "you can't receive additional messages
  from the same message group ID" until those are deleted or visible again ("Using the message group ID with Amazon
  SQS FIFO Queues": "no two messages from the same group are processed simultaneously"). So no reconcile of the
  endpoint from this queue runs beside another, and a change made after the covering reconcile started is carried
  by a message sent after it started, which is not covered.

A covered message is acknowledged, logged and counted (``CoalescedMessages``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord

from autoscaler.messages import BadMessageError, ReconcileRequest
from autoscaler.observability import logger, metrics
from autoscaler.reconciler import Deps, Outcome, reconcile_endpoint

Key = tuple[str, str]  # (message group, endpoint)


@dataclass(frozen=True)
class _Group:
    leader: str  # message id of the first valid request of the group in the batch
    components: bool  # merged over the group's requests
    last_sent: datetime  # the latest SentTimestamp among them


@dataclass
class Batch:
    """One batch's messages, grouped by (message group, endpoint) in order."""

    groups: dict[Key, _Group] = field(default_factory=dict)

    @classmethod
    def of(cls, records: Sequence[object]) -> Batch:
        batch = cls()
        for raw in records:
            if not isinstance(raw, Mapping):
                continue  # the processor reports it
            record = SQSRecord(dict(raw))
            request = _request(record)
            if request is None:
                continue
            key, sent = _key(record, request), _sent(record)
            found = batch.groups.get(key)
            if found is None:
                batch.groups[key] = _Group(record.message_id, request.components, sent)
            else:
                batch.groups[key] = _Group(
                    found.leader, found.components or request.components, max(found.last_sent, sent)
                )
        return batch


def reconcile_record(
    record: SQSRecord,
    batch: Batch,
    deps: Deps,
    reconcile: Callable[..., Outcome] | None = None,
) -> None:
    """The record handler: a reconcile for the first message of each endpoint in the batch unless one that completed
    here already covers them all; the others acknowledged as covered. TemporaryError propagates (retried)."""
    try:
        request = ReconcileRequest.parse(record.body)
    except BadMessageError as exc:  # permanent: retrying cannot fix it
        logger.error("message dropped", extra={"message_id": record.message_id, "reason": str(exc)})
        metrics.add_metric(name="DroppedMessages", unit=MetricUnit.Count, value=1)
        return
    key = _key(record, request)
    group = batch.groups.get(key) or _Group(record.message_id, request.components, _sent(record))
    if group.leader != record.message_id:
        # Reached only after the leader's reconcile returned: a failed one fails the rest of its message group.
        _covered(record, request, "a reconcile of the endpoint earlier in this batch")
        return
    if deps.recent.covers(request.endpoint, group.last_sent, group.components):
        _covered(record, request, "a reconcile of the endpoint that started after the message was sent")
        return
    started = deps.clock()
    (reconcile or reconcile_endpoint)(request.endpoint, deps, components=group.components)
    deps.recent.completed(request.endpoint, started, group.components)


def _covered(record: SQSRecord, request: ReconcileRequest, by: str) -> None:
    logger.info(
        "message coalesced",
        extra={"endpoint": request.endpoint, "message_id": record.message_id, "reason": f"covered by {by}"},
    )
    metrics.add_metric(name="CoalescedMessages", unit=MetricUnit.Count, value=1)


def _request(record: SQSRecord) -> ReconcileRequest | None:
    try:
        return ReconcileRequest.parse(record.body)
    except BadMessageError:
        return None


def _key(record: SQSRecord, request: ReconcileRequest) -> Key:
    return (record.attributes.message_group_id or "", request.endpoint)


def _sent(record: SQSRecord) -> datetime:
    """SentTimestamp (epoch milliseconds); a record without one counts as sent now, so that nothing covers it."""
    stamp = record.attributes.sent_timestamp
    return datetime.fromtimestamp(int(stamp) / 1000, UTC) if stamp else datetime.max.replace(tzinfo=UTC)
