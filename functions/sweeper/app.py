"""Sweeper: on a schedule, plan every opted-in endpoint from paged reads of the whole namespace; enqueue the drifted."""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import uuid4

from aws_lambda_powertools.utilities.typing import LambdaContext

from autoscaler.aws import Aws
from autoscaler.observability import logger, metrics
from autoscaler.reconciler import Deps
from autoscaler.settings import Settings
from autoscaler.sweep import sweep


@cache
def deps() -> tuple[Deps, str]:
    settings = Settings.from_env()
    # Adaptive retries: client-side rate limiting for the sweep's bulk reads (autoscaler.aws.RetryMode).
    aws = Aws.create(max_attempts=settings.max_attempts, retry_mode="adaptive")
    return Deps(settings, aws), settings.reconcile_queue()


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    sweep_deps, queue_url = deps()
    # The scheduled event's id makes the deduplication ids: a retried delivery of one sweep enqueues nothing twice.
    return sweep(sweep_deps, queue_url, str(event.get("id") or uuid4())).to_dict()
