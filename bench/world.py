"""N opted-in endpoints with a realistic mix, the shared profiles in SSM, and the FIFO reconcile queue.

The mix repeats every 30 endpoints (endpoint i):

- variants: one (``AllTraffic``), or two (``A`` and ``B``) when i % 3 == 0;
- configuration, by i % 10: 0-2 tags only (bounds and an invocations target); 3 ``enabled`` alone (the default
  profile); 4 the ``business-hours`` profile (the one the drift pass changes: 10% of the endpoints); 5-6 ``cpu-batch``
  (invocations and CPU target tracking on ml.c5 / ml.m5 instances, two schedules); 7-9 ``latency-step``
  (invocations target tracking, a step policy with its alarm, three schedules).

That is two policies and two scheduled actions per endpoint on average (2.0 and 2.0 at N = 30k).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from localaws.pipeline import Template, create_table
from localaws.seed import VariantSeed, create_endpoint

REGION = "us-east-1"
PROFILE_PREFIX = "/sagemaker-autoscaler/profiles"
REFUSALS_TABLE = "refusals"  # template.yaml RefusalsTable
CHANGED_PROFILE = "business-hours"
# The one field the drift pass changes: the invocations target of business-hours.
CHANGED_FIELD = "target_tracking[0].target"
CHANGED_FROM, CHANGED_TO = 70, 55

WEEKDAY_SCHEDULES = [
    {"name": "weekday-peak", "schedule": "cron(0 8 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 2},
    {"name": "weekday-evening", "schedule": "cron(0 19 ? * MON-FRI *)", "timezone": "Europe/Berlin", "min": 1},
]


def profiles(business_hours_target: float = CHANGED_FROM) -> dict[str, dict[str, Any]]:
    return {
        "default": {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]},
        CHANGED_PROFILE: {
            "version": 1,
            "min": 1,
            "max": 8,
            "target_tracking": [{"metric": "invocations", "target": business_hours_target, "scale_in_cooldown": 600}],
            "schedules": WEEKDAY_SCHEDULES,
        },
        "cpu-batch": {
            "version": 1,
            "min": 1,
            "max": 10,
            "target_tracking": [{"metric": "invocations", "target": 120}, {"metric": "cpu", "target": 60}],
            "schedules": WEEKDAY_SCHEDULES,
        },
        "latency-step": {
            "version": 1,
            "min": 2,
            "max": 12,
            "target_tracking": [{"metric": "invocations", "target": 90}],
            "step_scaling": [
                {
                    "name": "overhead-latency",
                    "metric": {"namespace": "AWS/SageMaker", "name": "OverheadLatency", "statistic": "Average"},
                    "comparison": ">=",
                    "threshold": 100000,
                    "evaluation_periods": 3,
                    "datapoints_to_alarm": 2,
                    "adjustment_type": "change",
                    "steps": [{"lower": 0, "upper": 50000, "adjustment": 1}, {"lower": 50000, "adjustment": 3}],
                }
            ],
            "schedules": [
                *WEEKDAY_SCHEDULES,
                {"name": "weekend", "schedule": "cron(0 0 ? * SAT *)", "timezone": "UTC", "min": 2, "max": 6},
            ],
        },
    }


@dataclass(frozen=True)
class SeededEndpoint:
    name: str
    variants: tuple[str, ...]
    category: str  # tags-only | default-profile | business-hours | cpu-batch | latency-step
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def profile(self) -> str | None:
        return {"tags-only": None, "default-profile": "default"}.get(self.category, self.category)


MIX_PERIOD = 60  # i % 3, i % 10 and i % 4 (the tags-only max) repeat every 60 endpoints


def endpoint_name(i: int) -> str:
    return f"model-{i:04d}"


def endpoint_mix(count: int) -> list[SeededEndpoint]:
    seeded = []
    for i in range(count):
        variants = ("A", "B") if i % 3 == 0 else ("AllTraffic",)
        slot = i % 10
        tags = {"autoscaling:enabled": "true"}
        if slot <= 2:
            category = "tags-only"
            tags |= {"autoscaling:min": "1", "autoscaling:max": str(3 + i % 4), "autoscaling:target-invocations": "70"}
        elif slot == 3:
            category = "default-profile"
        elif slot == 4:
            category = CHANGED_PROFILE
        elif slot <= 6:
            category = "cpu-batch"
        else:
            category = "latency-step"
        if category not in ("tags-only", "default-profile"):
            tags["autoscaling:profile"] = category
        seeded.append(SeededEndpoint(endpoint_name(i), variants, category, tags))
    return seeded


def instance_type(endpoint: SeededEndpoint, variant: str) -> str:
    if endpoint.category == "cpu-batch":
        return "ml.c5.2xlarge" if variant == "B" else "ml.m5.xlarge"
    return "ml.m5.large"


def client(endpoint_url: str, service: str) -> Any:
    """An uncounted client for setting the world up and looking at it (not the controller's)."""
    return boto3.session.Session(region_name=REGION).client(  # type: ignore[call-overload]
        service, endpoint_url=endpoint_url, config=Config(retries={"mode": "standard", "max_attempts": 3})
    )


def put_profiles(endpoint_url: str, business_hours_target: float = CHANGED_FROM) -> None:
    ssm = client(endpoint_url, "ssm")
    for name, body in profiles(business_hours_target).items():
        ssm.put_parameter(Name=f"{PROFILE_PREFIX}/{name}", Value=json.dumps(body), Type="String", Overwrite=True)


def seed(endpoint_url: str, count: int) -> tuple[list[SeededEndpoint], str]:
    """Profiles, the FIFO queue, the refusals table and ``count`` endpoints; returns them and the queue URL."""
    queue_url = seed_shared(endpoint_url)
    sagemaker = client(endpoint_url, "sagemaker")
    seeded = endpoint_mix(count)
    for endpoint in seeded:
        variants = tuple(VariantSeed(v, instance_type(endpoint, v)) for v in endpoint.variants)
        create_endpoint(sagemaker, endpoint.name, variants, endpoint.tags)
    return seeded, queue_url


def seed_shared(endpoint_url: str, queue_name: str = "reconcile.fifo") -> str:
    """Profiles, the FIFO queue and the refusals table; returns the queue URL."""
    put_profiles(endpoint_url)
    queue_url = create_queue(endpoint_url, queue_name)
    table = Template.load().resources["RefusalsTable"]["Properties"]
    create_table(client(endpoint_url, "dynamodb"), REFUSALS_TABLE, table)
    return queue_url


def create_queue(endpoint_url: str, name: str) -> str:
    """A FIFO queue like the template's reconcile queue (explicit deduplication ids)."""
    sqs = client(endpoint_url, "sqs")
    attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "false"}
    return str(sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"])


def drain(endpoint_url: str, queue_url: str) -> list[str]:
    """The endpoints of every request on the queue (received and deleted), in receive order."""
    sqs = client(endpoint_url, "sqs")
    found: list[str] = []
    while True:
        messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10).get("Messages", [])
        if not messages:
            return found
        for message in messages:
            found.append(json.loads(message["Body"])["endpoint"])
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
