"""Reconciler: SQS FIFO batch -> one reconcile per message. Partial batch failures skip only the failed group."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from autoscaler.aws import Aws
from autoscaler.messages import BadMessageError, ReconcileRequest
from autoscaler.observability import logger, metrics
from autoscaler.reconciler import Deps, reconcile_endpoint
from autoscaler.settings import Settings

processor = SqsFifoPartialProcessor(skip_group_on_error=True)


@cache
def deps() -> Deps:
    settings = Settings.from_env()
    return Deps(settings, Aws.create(max_attempts=settings.max_attempts))


def record_handler(record: SQSRecord) -> None:
    try:
        request = ReconcileRequest.parse(record.body)
    except BadMessageError as exc:  # permanent: retrying cannot fix it
        logger.error("message dropped", extra={"message_id": record.message_id, "reason": str(exc)})
        metrics.add_metric(name="DroppedMessages", unit=MetricUnit.Count, value=1)
        return
    # TemporaryError propagates: the message returns to the queue.
    reconcile_endpoint(request.endpoint, deps(), components=request.components)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
