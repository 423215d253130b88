"""On-demand capacity: direct invocation {endpoint, variant, count, hold?} -> the result, with its reason."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.typing import LambdaContext

from autoscaler.aws import Aws
from autoscaler.capacity import CapacityRequest, CapacityRequestError, set_capacity
from autoscaler.observability import logger
from autoscaler.settings import Settings


@cache
def deps() -> tuple[Settings, Aws]:
    settings = Settings.from_env()
    return settings, Aws.create(max_attempts=settings.max_attempts)


@logger.inject_lambda_context
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = CapacityRequest.parse(event)
    except CapacityRequestError as exc:
        logger.error("capacity request refused", extra={"reason": str(exc)})
        return {"ok": False, "status": "refused", "message": str(exc)}
    settings, aws = deps()
    result = set_capacity(request, aws, settings.tag_prefix, settings.max_capacity_ceiling, datetime.now(UTC))
    logger.info(
        "capacity",
        extra={
            "endpoint": result.endpoint,
            "variant": result.variant,
            "outcome": result.status,
            "reason": result.message,
        },
    )
    return result.to_dict()
