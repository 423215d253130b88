"""The controller's structured logger and EMF metrics, shared by every handler.

Their own module, so that a handler that only routes events (or sets capacity) does not import the reconcile chain
(profiles, YAML, sources, planner, schedules) on its cold start just to log.
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="sagemaker-autoscaler")
# The stack sets POWERTOOLS_METRICS_NAMESPACE; the default keeps EMF valid where it is not set (CLI, demo).
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "SageMakerAutoscaler"))
