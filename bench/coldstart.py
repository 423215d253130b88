"""Cold start: each handler module's import plus the clients it creates on first use, against a bare
``import boto3`` plus creating the same clients with the same configuration. Fresh interpreters, median of N, run
alternately so that both see the same machine."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
HANDLERS = ("router", "reconciler", "sweeper", "capacity")
# What one ordinary invocation of each handler calls (ec2 only for cpu/gpu profiles: left out).
USES = {
    "router": ("sagemaker", "resourcegroupstaggingapi", "sqs"),
    "reconciler": ("sagemaker", "application-autoscaling", "cloudwatch", "ssm", "events"),
    "sweeper": ("sagemaker", "resourcegroupstaggingapi", "application-autoscaling", "cloudwatch", "ssm", "sqs"),
    "capacity": ("sagemaker", "application-autoscaling"),
}
ATTRIBUTES = {
    "sagemaker": "sagemaker",
    "application-autoscaling": "autoscaling",
    "cloudwatch": "cloudwatch",
    "events": "events",
    "ssm": "ssm",
    "ec2": "ec2",
}

# Runs in a fresh interpreter: import the handler as Lambda does (``app`` from the function's directory), build its
# dependencies, touch the clients an invocation uses, and report the time and the clients that now exist.
HANDLER_CHILD = """
import json, sys, time
sys.path.insert(0, {directory!r})
started = time.perf_counter()
import app
made = app.deps()
aws = next(d for d in (made if isinstance(made, tuple) else (made,)) if hasattr(d, "autoscaling") or hasattr(d, "aws"))
aws = getattr(aws, "aws", aws)
for service in {uses!r}:
    attribute = {attributes!r}.get(service)
    (getattr(aws, attribute) if attribute else aws.client(service)).meta  # made on first use
seconds = time.perf_counter() - started

def clients(value, seen):
    if id(value) in seen:
        return []
    seen.add(id(value))
    if "_make" in getattr(value, "__dict__", {{}}):  # autoscaler.aws._LazyClient: only a client it has made
        value = value.__dict__["_client"]
        if value is None:
            return []
    if hasattr(value, "meta") and hasattr(getattr(value, "meta"), "service_model"):
        return [value.meta.service_model.service_name]
    if isinstance(value, dict):
        return [c for v in value.values() for c in clients(v, seen)]
    return []

names = sorted(clients(dict(vars(aws)), set()))
print(json.dumps({{"seconds": seconds, "clients": names, "xray": "aws_xray_sdk" in sys.modules,
                  "modules": len(sys.modules)}}))
"""

BASELINE_CHILD = """
import json, sys, time
started = time.perf_counter()
import boto3
from botocore.config import Config
config = Config(retries={{"mode": "standard", "max_attempts": 5}}, connect_timeout=5, read_timeout=30)
session = boto3.session.Session()
made = [session.client(service, config=config) for service in {clients!r}]
seconds = time.perf_counter() - started
print(json.dumps({{"seconds": seconds, "modules": len(sys.modules)}}))
"""


# Runs in a fresh interpreter: the first constraints check of an execution environment (it loads botocore's
# Application Auto Scaling and CloudWatch models) and a second one, on a variant with one policy of each kind.
CHECK_CHILD = """
import json, time
import boto3  # a handler has imported it already
from autoscaler.spec import (AlarmSpec, CustomMetric, EndpointSpec, PredefinedMetric, ScheduledAction,
    StepAdjustment, StepScalingPolicy, TargetTrackingPolicy, VariantKind, VariantSpec)
started = time.perf_counter()
from autoscaler.constraints import check_requests
imported = time.perf_counter()
metric = CustomMetric("AWS/SageMaker", "ModelLatency", "Average", (("EndpointName", "e"), ("VariantName", "v")))
step = StepScalingPolicy("autoscaler-v-step-latency", "ChangeInCapacity", (StepAdjustment(1, 0.0),), step_key="latency")
alarm = AlarmSpec("autoscaler/e/v/latency", metric, "GreaterThanThreshold", 1.0, 60, 2, 2, "missing", step.name)
variant = VariantSpec("e", "v", VariantKind.INSTANCE, 1, 4,
    policies=(TargetTrackingPolicy("autoscaler-v-invocations", "invocations",
        PredefinedMetric("SageMakerVariantInvocationsPerInstance"), 70.0),),
    schedules=(ScheduledAction("autoscaler-v-peak", "cron(0 8 * * ? *)", "Europe/Berlin", min_capacity=2, key="peak"),),
    step_policies=((step, alarm),))
spec = EndpointSpec("e", (variant,))
first = time.perf_counter()
assert check_requests(spec) == ()
second = time.perf_counter()
check_requests(spec)
done = time.perf_counter()
print(json.dumps({"import_ms": (imported - started) * 1000, "first_ms": (second - first) * 1000,
                  "again_ms": (done - second) * 1000}))
"""


def measure_constraints_check(runs: int = 10) -> dict[str, Any]:
    """What ``autoscaler.constraints`` adds to an execution environment: its import, its first check (botocore's
    models loaded through botocore), and a check once they are loaded (each reconcile's cost), medians in ms."""
    found = [_child(CHECK_CHILD) for _ in range(runs + 1)][1:]  # the first warms the file cache
    return {key: round(statistics.median(f[key] for f in found), 2) for key in ("import_ms", "first_ms", "again_ms")}


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "_X_AMZN"))}
    env.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/reconcile.fifo",
            "POWERTOOLS_SERVICE_NAME": "sagemaker-autoscaler",
            "POWERTOOLS_METRICS_NAMESPACE": "SageMakerAutoscaler",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def _child(code: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code], env=_environment(), capture_output=True, text=True, check=True, cwd=ROOT
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(handler: str, runs: int = 10) -> dict[str, Any]:
    handler_code = HANDLER_CHILD.format(
        directory=str(ROOT / "functions" / handler), uses=USES[handler], attributes=ATTRIBUTES
    )
    first = _child(handler_code)  # warms the file cache for both; not counted
    clients = first["clients"]
    baseline_code = BASELINE_CHILD.format(clients=clients)
    _child(baseline_code)
    handler_times, baseline_times, xray = [], [], first["xray"]
    for _ in range(runs):
        found = _child(handler_code)
        handler_times.append(found["seconds"])
        xray = xray or found["xray"]
        baseline_times.append(_child(baseline_code)["seconds"])
    handler_median, baseline_median = statistics.median(handler_times), statistics.median(baseline_times)
    return {
        "handler": handler,
        "clients": clients,
        "runs": runs,
        "handler_median_ms": round(handler_median * 1000, 1),
        "baseline_median_ms": round(baseline_median * 1000, 1),
        "ratio": round(handler_median / baseline_median, 3),
        "xray_imported": xray,
    }


def measure_all(runs: int = 10) -> list[dict[str, Any]]:
    return [measure(handler, runs) for handler in HANDLERS]


def layer_size(build: bool) -> dict[str, Any]:
    """Unzipped size of the built layer (``make build`` puts it in .aws-sam/build/CommonLayer)."""
    directory = ROOT / ".aws-sam" / "build" / "CommonLayer"
    if build or not directory.is_dir():
        done = subprocess.run(["make", "build"], cwd=ROOT, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            return {"skipped": f"make build failed: {done.stderr.strip().splitlines()[-1:]}"}
    if not directory.is_dir():
        return {"skipped": f"{directory} does not exist after make build"}
    files = [p for p in directory.rglob("*") if p.is_file()]
    total = sum(p.stat().st_size for p in files)
    packages: dict[str, int] = {}
    for path in files:
        top = path.relative_to(directory / "python").parts[0] if path.is_relative_to(directory / "python") else "."
        packages[top] = packages.get(top, 0) + path.stat().st_size
    largest = sorted(packages.items(), key=lambda kv: -kv[1])[:5]
    return {
        "directory": str(directory.relative_to(ROOT)),
        "bytes": total,
        "mb": round(total / 1e6, 2),
        "files": len(files),
        "largest": {k: round(v / 1e6, 2) for k, v in largest},
    }
