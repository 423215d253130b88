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
