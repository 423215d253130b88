"""Router: any trigger event -> the endpoints it concerns -> one reconcile request each on the FIFO queue."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from autoscaler.aws import Aws
from autoscaler.events import enqueue, route
from autoscaler.observability import logger, metrics
from autoscaler.settings import Settings


@cache
def deps() -> tuple[Settings, Aws, str]:
    settings = Settings.from_env()
    return settings, Aws.create(max_attempts=settings.max_attempts), settings.reconcile_queue()


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    settings, aws, queue_url = deps()
    routing = route(event, settings, aws)  # TemporaryError propagates: Lambda retries, then the failed-events queue
    sent = enqueue(aws, queue_url, routing.event_id, routing.requests())
    loud = routing.bad_input or routing.dropped
    (logger.warning if loud else logger.info)("routed", extra={**routing.to_dict(), "sent": sent})
    metrics.add_metric(name="RoutedEndpoints", unit=MetricUnit.Count, value=sent)
    metrics.add_metric(name="DroppedEvents", unit=MetricUnit.Count, value=int(routing.bad_input))
    metrics.add_metric(name="DroppedEndpoints", unit=MetricUnit.Count, value=len(routing.dropped))
    return routing.to_dict()
