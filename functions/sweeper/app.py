"""Sweeper: on a schedule, plan every opted-in endpoint from paged reads of the whole namespace; enqueue the drifted.
A sweep too large for one invocation continues through the sweep queue (autoscaler/sweep_shards.py)."""

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
from autoscaler.sweep_shards import Place, run_sweep_step, time_budget


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
    sweep_id = str(event.get("id") or uuid4())
    settings = sweep_deps.settings
    if not settings.sweep_bucket:  # no place to continue in: one invocation, as the CLI's sweep
        return sweep(sweep_deps, queue_url, sweep_id).to_dict()
    place = Place(settings.sweep_bucket, settings.sweep_queue_url, settings.sweep_table, settings.sweep_shards)
    # The time budget: never more than half of what the invocation has left.
    return run_sweep_step(
        event, sweep_deps, queue_url, place, time_budget(context.get_remaining_time_in_millis()), sweep_id
    )
