"""The only package that talks to AWS: one module per service, each with its reads apart from its writes, composed
into the ``Aws`` facade the functions are given (``deps.aws.read_endpoint(...)``).

Clients are created once per execution environment (``Aws.create``) with botocore's standard retry mode (exponential
backoff with jitter for throttling, 5xx and timeouts), or its adaptive mode for the sweep (``RetryMode``), configured
here and nowhere else. AWS errors leave this package
classified (autoscaler/aws/classify.py): TemporaryError (retry later), EndpointNotReadyError (skip until IN_SERVICE),
RefusedError (a write of a plan that AWS refused for what it asked: permanent, see REFUSED_CODES), anything else
re-raised.

Only the calls of the functions live here: the command line's and the simulator's own calls are in src/, since the
functions' roles (template.yaml) may not make them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Literal

import boto3
from botocore.config import Config

from autoscaler.actions import (
    AUTOSCALING,
    CLOUDWATCH,
    Action,
    DeleteAlarms,
    DeletePolicy,
    DeleteScheduledAction,
    DeregisterTarget,
    PutAlarm,
    PutStepScalingPolicy,
    PutTargetTrackingPolicy,
    Request,
    request,
)
from autoscaler.aws.autoscaling import AutoscalingReads, AutoscalingWrites
from autoscaler.aws.base import LazyClient
from autoscaler.aws.classify import REFUSED_CODES, TEMPORARY_CODES, classified, error_code, ignore_missing
from autoscaler.aws.cloudwatch import CloudWatchReads, CloudWatchWrites
from autoscaler.aws.dynamodb import RefusalsTable
from autoscaler.aws.events import EventsWrites
from autoscaler.aws.pages import PageReads
from autoscaler.aws.sagemaker import SageMakerReads, SageMakerWrites
from autoscaler.aws.sagemaker_shapes import Descriptions, EndpointSummary, endpoint_version
from autoscaler.aws.servicequotas import ServiceQuota, ServiceQuotasReads
from autoscaler.aws.sqs import SqsWrites
from autoscaler.aws.ssm import ParameterText, SsmReads
from autoscaler.aws.sweepstore import SweepStore
from autoscaler.aws.tagging import TaggingReads
from autoscaler.state import EndpointInfo, Hardware

__all__ = [
    "REFUSED_CODES",
    "TEMPORARY_CODES",
    "Aws",
    "Descriptions",
    "EndpointSummary",
    "ParameterText",
    "RetryMode",
    "ServiceQuota",
    "classified",
    "endpoint_version",
    "error_code",
]


# AWS SDKs and Tools Reference Guide, "Retry behavior": standard is "(Recommended) ... safe for use in multi-tenant
# applications"; adaptive "includes the functionality of standard mode as well as automatic client-side rate
# limiting", is "appropriate only for specialized use-cases", "not recommended for multi-tenant applications, unless
# you take care to isolate application tenants", and "assumes that you are pooling clients based on the scope at which
# requests might be throttled by the backend service" (it "can throttle or delay the initial request attempt"). The
# sweep fits it: its own clients, one per service, read account-wide APIs that throttle per account and Region, so its
# threads slow down together when AWS throttles instead of each spending its attempts. The router, reconciler and
# capacity function stay on standard: few calls each, latency first.
RetryMode = Literal["standard", "adaptive"]


@dataclass
class Aws(
    SageMakerReads,
    SageMakerWrites,
    AutoscalingReads,
    AutoscalingWrites,
    CloudWatchReads,
    CloudWatchWrites,
    SsmReads,
    ServiceQuotasReads,
    TaggingReads,
    SqsWrites,
    EventsWrites,
    RefusalsTable,
    PageReads,
    SweepStore,
):
    sagemaker: Any
    autoscaling: Any
    cloudwatch: Any
    events: Any
    ssm: Any
    ec2: Any
    _configs: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)  # see read_endpoint
    _hardware: dict[str, Hardware | None] = field(default_factory=dict)  # so are instance types
    # Descriptions of InService endpoints by (ARN, version): see describe_listed. Pruned by list_endpoints.
    _described: dict[tuple[str, str], EndpointInfo] = field(default_factory=dict)
    # How create() makes a client (session, retry configuration, endpoint URL), for the extra clients of client().
    _make_client: Callable[[str], Any] | None = None
    _extra_clients: dict[str, Any] = field(default_factory=dict)  # see client()
    _quotas: dict[tuple[str, str], tuple[float, ServiceQuota]] = field(default_factory=dict)  # see read_service_quota

    @classmethod
    def create(
        cls,
        session: boto3.session.Session | None = None,
        *,
        endpoint_url: str | None = None,
        max_attempts: int = 5,
        retry_mode: RetryMode = "standard",
    ) -> Aws:
        """``retry_mode``: botocore's "standard" (every function's), or "adaptive" for a caller that makes many calls
        of the same few APIs, each client on its own (the sweep: see RetryMode)."""
        session = session or boto3.session.Session()
        # total_max_attempts counts the first attempt, as AWS_MAX_ATTEMPTS does; botocore's max_attempts key would
        # count retries only (one attempt more than asked). Both modes honour it.
        config = Config(
            retries={"mode": retry_mode, "total_max_attempts": max_attempts}, connect_timeout=5, read_timeout=30
        )

        def make(name: str) -> Any:
            return session.client(name, config=config, endpoint_url=endpoint_url)  # type: ignore[call-overload]

        def client(name: str) -> Any:
            # Made on first use: a handler's cold start pays only for the clients its invocation calls.
            return LazyClient(lambda: make(name))

        return cls(
            client("sagemaker"),
            client("application-autoscaling"),
            client("cloudwatch"),
            client("events"),
            client("ssm"),
            client("ec2"),
            _make_client=make,
        )

    @property
    def clients(self) -> tuple[Any, ...]:
        return (self.sagemaker, self.autoscaling, self.cloudwatch, self.events, self.ssm, self.ec2)

    # ---------------------------------------------------------------- reads

    def without_caches(self) -> Aws:
        """The same clients with none of the per-environment caches: what a cold execution environment holds."""
        return replace(self, _configs={}, _hardware={}, _described={}, _quotas={})

    def apply(self, action: Action, policy_arns: dict[str, str] | None = None) -> str | None:
        """Carry out one planned action; returns the policy ARN of a put policy.

        ``policy_arns`` maps policy names put earlier in the same plan to their ARNs, for alarms of new step policies.
        """
        with classified(action.describe(), refusable=True):
            if isinstance(action, DeleteAlarms):
                self.delete_alarms(action.names)
                return None
            arn = (policy_arns or {}).get(action.alarm.policy_name) if isinstance(action, PutAlarm) else None
            if isinstance(action, DeregisterTarget):
                self.deregister_target(action.target)
                return None
            rendered = request(action, arn)
            if isinstance(action, DeletePolicy | DeleteScheduledAction):
                ignore_missing(lambda: self.send(rendered))
                return None
            response = self.send(rendered)
        if isinstance(action, PutStepScalingPolicy | PutTargetTrackingPolicy):
            return str(response["PolicyARN"])
        return None

    def send(self, rendered: Request) -> dict[str, Any]:
        """One rendered request (``actions.request``), sent by the client of its service."""
        client = {AUTOSCALING: self.autoscaling, CLOUDWATCH: self.cloudwatch}[rendered.service]
        return dict(getattr(client, rendered.method)(**rendered.params))
