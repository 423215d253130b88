"""Shared test set-up: no real AWS is ever reachable from a test."""

from __future__ import annotations

import os

# Fake credentials and a fixed region before anything imports boto3; never touch a real account.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SECURITY_TOKEN": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true",
        "POWERTOOLS_METRICS_NAMESPACE": "SageMakerAutoscaler",
        "POWERTOOLS_SERVICE_NAME": "sagemaker-autoscaler",
    }
)
for _var in ("AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_var, None)


import json  # noqa: E402 - after the environment is set, before any test runs
import logging  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import pytest  # noqa: E402

EVENTS = Path(__file__).parents[1] / "events"  # the sample events (sam local invoke -e, and the tests)


def load_event(name: str) -> dict[str, Any]:
    """A sample event from events/, parsed (a new copy each call: a test may change it)."""
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


@pytest.fixture(autouse=True)
def _controller_logger_restored() -> object:
    """The CLI points the controller's logger at stderr and raises its level (a CLI keeps stdout for its output);
    commands run in-process by a test must not change what later tests in the same worker capture."""
    from autoscaler.observability import logger

    handlers = logging.getLogger(logger.service).handlers
    saved = (logger.log_level, [(h, getattr(h, "stream", None)) for h in handlers])
    yield
    logger.setLevel(saved[0])
    for handler, stream in saved[1]:
        if stream is not None and isinstance(handler, logging.StreamHandler):
            handler.setStream(stream)
