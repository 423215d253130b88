"""Reconciler: SQS FIFO batch -> one reconcile per endpoint of the batch (autoscaler/coalesce.py). Partial batch
failures skip only the failed group, so a failed reconcile returns every message it would have covered."""

from __future__ import annotations

from functools import cache, partial
from typing import Any

from aws_lambda_powertools.utilities.batch import SqsFifoPartialProcessor, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.typing import LambdaContext

from autoscaler.aws import Aws
from autoscaler.coalesce import Batch, reconcile_record
from autoscaler.observability import logger, metrics
from autoscaler.reconciler import Deps
from autoscaler.settings import Settings

processor = SqsFifoPartialProcessor(skip_group_on_error=True)


@cache
def deps() -> Deps:
    settings = Settings.from_env()
    return Deps(settings, Aws.create(max_attempts=settings.max_attempts))


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    record_handler = partial(reconcile_record, batch=Batch.of(event.get("Records") or []), deps=deps())
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
