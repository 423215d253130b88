"""The only module that talks to AWS: readers, the applier and the reporting writes.

Clients are created once per execution environment (``Aws.create``) with botocore's standard retry mode (exponential
backoff with jitter for throttling, 5xx and timeouts), configured here and nowhere else. AWS errors leave this module
classified: TemporaryError (retry later), EndpointNotReadyError (skip until IN_SERVICE), RefusedError (a write of a
plan that AWS refused for what it asked: permanent, see REFUSED_CODES), anything else re-raised.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionError, HTTPClientError

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
from autoscaler.constants import AAS_NAMESPACE, ENDPOINT_IN_SERVICE
from autoscaler.errors import EndpointNotReadyError, RefusedError, TemporaryError
from autoscaler.names import alarm_prefix, owned_prefix
from autoscaler.refusals import Refusal
from autoscaler.refusals import key as refusal_key
from autoscaler.spec import TargetKey, VariantKind
from autoscaler.state import (
    ComponentInfo,
    EndpointInfo,
    Hardware,
    ManagedInstanceScaling,
    ScalingState,
    TargetState,
    VariantInfo,
    normalise_alarm,
    normalise_target,
)

TEMPORARY_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ConcurrentUpdateException",
        "InternalServiceException",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "FailedResourceAccessException",
        # The target or policy vanished under us (deregistered concurrently): the next pass rebuilds it.
        "ObjectNotFoundException",
    }
)
# AWS refused the request for what it asks: the same request is refused again, however often it is retried, so a
# write of a plan refused with one of these is a permanent configuration error (RefusedError), not a temporary one.
# - Application Auto Scaling (API Reference; botocore's application-autoscaling service model), ValidationException:
#   "An exception was thrown for a validation issue. Review the available parameters for the API request." Every
#   write the controller makes to it models it (RegisterScalableTarget, PutScalingPolicy, PutScheduledAction and the
#   deletes). The texts of NOT_READY_TEXTS are ValidationExceptions too, and are classified before this set.
# - CloudWatch (botocore's cloudwatch service model), the errors of a request whose values are wrong:
#   InvalidParameterValue ("The value of an input parameter is bad or out-of-range."), InvalidParameterCombination
#   ("Parameters were used together that cannot be used together."), MissingParameter ("An input parameter that is
#   required is missing."),
#   and ValidationError / ValidationException ("The request failed validation. One or more input parameters do not
#   satisfy the constraints that the operation requires.", CloudWatch / Client / exceptions / ValidationException).
# Deliberately not here:
# - LimitExceededException (AAS: "A per-account resource limit is exceeded"; its quotas count scalable targets per
#   account and policies or scheduled actions per target, hand-made ones included) and LimitExceeded (CloudWatch
#   PutMetricAlarm: "The quota for alarms for this customer has already been reached."): the request is not wrong, the
#   account is full. It clears without this endpoint's configuration changing (a quota increase, another endpoint's
#   resources released), so it must not be remembered as a refusal of this configuration: re-raised unclassified, the
#   message is retried and dead-lettered (the DLQ alarm calls the operator) and the next sweep enqueues it again.
# - ObjectNotFoundException, ConcurrentUpdateException, FailedResourceAccessException: the state of the moment
#   (TEMPORARY_CODES).
REFUSED_CODES = frozenset(
    {
        "ValidationException",
        "ValidationError",
        "InvalidParameterValue",
        "InvalidParameterCombination",
        "MissingParameter",
    }
)
# ValidationException texts AWS uses for an endpoint that is not InService (aws-facts.md).
NOT_READY_TEXTS = ("should be in 'InService'", "Cannot update in-progress endpoint")
ENDPOINT_MISSING_TEXT = "Could not find endpoint"
DELETE_ALARMS_BATCH = 100
DESCRIBE_WORKERS = 8  # concurrent DescribeEndpoint calls of a sweep (SageMaker throttles with standard retries)
SEARCH_PAGE = 100  # SageMaker Search MaxResults: 1-100
PARAMETER_MISSING_CODES = frozenset({"ParameterNotFound", "ParameterVersionNotFound"})


@dataclass(frozen=True)
class ParameterText:
    name: str
    type: str
    value: str
    version: int


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def classified(what: str, *, refusable: bool = False) -> Iterator[None]:
    """Translate AWS failures into the controller's error types: the one place that tells a refused request
    (permanent) from throttling, 5xx and concurrent updates (temporary).

    ``refusable``: the call is a write of a plan, so a refusal of its values (REFUSED_CODES) is a RefusedError. Reads
    leave them as ClientError: their callers tell "not found" from a fault by AWS's text ("Could not find endpoint").
    """
    try:
        yield
    except ClientError as exc:
        code = error_code(exc)
        message = str(exc.response.get("Error", {}).get("Message", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
        if code in TEMPORARY_CODES or status >= 500:
            raise TemporaryError(f"{what}: {code or status}: {message}") from exc
        if any(text in message for text in NOT_READY_TEXTS):
            raise EndpointNotReadyError(f"{what}: {message}") from exc
        if refusable and code in REFUSED_CODES:
            raise RefusedError(what, exc.operation_name, code, message) from exc
        raise
    except (ConnectionError, HTTPClientError) as exc:
        raise TemporaryError(f"{what}: {exc}") from exc


def _ignore_missing(call: Callable[[], object]) -> None:
    """Deletes are idempotent: something already gone is the state we wanted."""
    try:
        call()
    except ClientError as exc:
        if error_code(exc) != "ObjectNotFoundException":
            raise


class _LazyClient:
    """A boto3 client made on its first attribute access (``client.describe_endpoint``, ``client.meta``).

    Making a client loads its service model (tens of milliseconds each); a handler needs only some of the six.
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if name in ("_make", "_client"):  # not set yet (copy, pickle): no client to make
            raise AttributeError(name)
        if self._client is None:
            self._client = self._make()
        return getattr(self._client, name)


@dataclass
class Aws:
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

    @classmethod
    def create(
        cls, session: boto3.session.Session | None = None, *, endpoint_url: str | None = None, max_attempts: int = 5
    ) -> Aws:
        session = session or boto3.session.Session()
        # total_max_attempts counts the first attempt, as AWS_MAX_ATTEMPTS does; botocore's max_attempts key would
        # count retries only (one attempt more than asked).
        config = Config(
            retries={"mode": "standard", "total_max_attempts": max_attempts}, connect_timeout=5, read_timeout=30
        )

        def make(name: str) -> Any:
            return session.client(name, config=config, endpoint_url=endpoint_url)  # type: ignore[call-overload]

        def client(name: str) -> Any:
            # Made on first use: a handler's cold start pays only for the clients its invocation calls.
            return _LazyClient(lambda: make(name))

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

    def read_endpoint(self, name: str, *, instance_types: bool = True) -> EndpointInfo | None:
        """DescribeEndpoint (+ DescribeEndpointConfig, cached); None when the endpoint does not exist.

        ``instance_types=False``: DescribeEndpoint alone tells the variants and their kinds (AsyncInferenceConfig,
        CurrentServerlessConfig); only their instance types need the endpoint config, so it is read when
        ``EndpointInfo.instance_type`` is first asked (a CPU or GPU metric), with the vCPU/GPU counts of all its
        instance types in the same DescribeInstanceTypes call.
        """
        try:
            with classified(f"DescribeEndpoint {name}"):
                raw = self.sagemaker.describe_endpoint(EndpointName=name)
        except ClientError as exc:
            if ENDPOINT_MISSING_TEXT in str(exc):
                return None
            raise
        # An endpoint's configuration changes only through UpdateEndpoint, which changes LastModifiedTime; a config
        # name alone is not a key (a config can be deleted and created again under the same name).
        config_version = (raw["EndpointArn"], str(raw.get("LastModifiedTime")))
        if not instance_types and raw.get("ProductionVariants"):
            return self._endpoint_without_config(raw, config_version)
        config = self._endpoint_config(raw["EndpointConfigName"], config_version)
        configured = {v["VariantName"]: v for v in config.get("ProductionVariants", ())}
        asynchronous = "AsyncInferenceConfig" in config
        variants = [
            _variant_info(live, configured.get(live["VariantName"], {}), asynchronous)
            for live in raw.get("ProductionVariants") or config.get("ProductionVariants", ())
        ]
        return EndpointInfo(
            raw["EndpointName"],
            raw["EndpointArn"],
            raw["EndpointStatus"],
            raw["EndpointConfigName"],
            tuple(variants),
            version=endpoint_version(raw),
        )

    def _endpoint_without_config(self, raw: Mapping[str, Any], config_version: tuple[str, str]) -> EndpointInfo:
        asynchronous = "AsyncInferenceConfig" in raw
        variants = tuple(_variant_info(live, {}, asynchronous) for live in raw["ProductionVariants"])
        config_name = str(raw["EndpointConfigName"])

        def instance_types() -> dict[str, str]:
            config = self._endpoint_config(config_name, config_version)
            found = {
                v["VariantName"]: v["InstanceType"] for v in config.get("ProductionVariants", ()) if "InstanceType" in v
            }
            self._prefetch_hardware(found.values())
            return found

        return EndpointInfo(
            raw["EndpointName"],
            raw["EndpointArn"],
            raw["EndpointStatus"],
            config_name,
            variants,
            version=endpoint_version(raw),
            resolve_instance_types=instance_types,
        )

    def describe_listed(self, listed: EndpointSummary, *, fresh: bool = False) -> EndpointInfo | None:
        """The description of an endpoint from a ListEndpoints page, cached per execution environment by ARN and
        version (CreationTime, LastModifiedTime), with the listing's status.

        What the sweep needs of a description (its variants, their kinds and instance types) changes only through
        UpdateEndpoint, which changes LastModifiedTime; a deleted and re-created endpoint has a new CreationTime.
        Only InService descriptions are kept, and only used while the listing says InService, so a description
        read mid-update is never reused. ``fresh``: describe even when cached (to replace a description made from a
        Search record, whose kinds are not known). None when the endpoint no longer exists.
        """
        cached = None if fresh else self._cached(listed)
        if cached is not None:
            return cached
        endpoint = self.read_endpoint(listed.name, instance_types=False)
        if endpoint is not None and endpoint.in_service and (endpoint.arn, endpoint.version) == listed.key:
            self._described[listed.key] = endpoint
        return endpoint

    def _cached(self, listed: EndpointSummary) -> EndpointInfo | None:
        """The kept description, used only while the listing says InService (see describe_listed)."""
        return self._described.get(listed.key) if listed.status == ENDPOINT_IN_SERVICE else None

    def describe_all_listed(self, listed: Sequence[EndpointSummary], *, among: int = 0) -> Descriptions:
        """describe_listed for many endpoints, with the fewest calls: the cached ones cost none; the others come
        from one SageMaker Search over all ``among`` listed endpoints (100 per call) when that takes fewer calls than
        describing them one by one; the rest (those Search did not show InService at their listed version, or all of
        them when Search is not cheaper or fails) from DescribeEndpoint calls in DESCRIBE_WORKERS threads (botocore
        clients are thread-safe). A description made from a Search record has ``kinds_known`` False (see
        ``search_endpoints``). The first AWS failure of a DescribeEndpoint is raised."""
        found: dict[str, EndpointInfo | None] = {}
        missing: list[EndpointSummary] = []
        for entry in listed:
            cached = self._cached(entry)
            if cached is None:
                missing.append(entry)
            else:
                found[entry.name] = cached
        searched, search_error = 0, ""
        if len(missing) > math.ceil(max(among, len(listed)) / SEARCH_PAGE):
            try:
                records = self.search_endpoints()
            except ClientError as exc:  # not a temporary failure (classified raised those): describe instead
                records, search_error = {}, str(exc)
            still: list[EndpointSummary] = []
            for entry in missing:
                record = records.get(entry.arn)
                if record is None or entry.status != ENDPOINT_IN_SERVICE or not _shows(record, entry):
                    still.append(entry)
                    continue
                version = (entry.arn, str(record.get("LastModifiedTime")))
                endpoint = replace(self._endpoint_without_config(record, version), kinds_known=False)
                found[entry.name] = self._described[entry.key] = endpoint
                searched += 1
            missing = still
        if missing:
            self.sagemaker.meta  # noqa: B018 - make the (lazy) client once, before the threads share it
            with ThreadPoolExecutor(max_workers=min(DESCRIBE_WORKERS, len(missing))) as pool:
                found.update(zip([e.name for e in missing], pool.map(self.describe_listed, missing), strict=True))
        return Descriptions({e.name: found[e.name] for e in listed}, searched, len(missing), search_error)

    def search_endpoints(self) -> dict[str, dict[str, Any]]:
        """SageMaker Search over every endpoint of the region (Resource=Endpoint, 100 per call, sorted by name so that
        an update during the paging cannot move a record past the pages read): by ARN, the Endpoint records. They
        carry what ListEndpoints does plus EndpointConfigName and ProductionVariants (with CurrentServerlessConfig).

        AWS facts (SageMaker API Reference, Search and the Endpoint data type): MaxResults 1-100; the Endpoint record
        has no AsyncInferenceConfig, so an asynchronous endpoint cannot be told from a real-time one there. Search
        reads an index, which may lag the endpoint: callers use a record only where it shows the version and status
        ListEndpoints shows.
        """
        with classified("Search Endpoint"):
            records = self._pages(
                self.sagemaker,
                "search",
                "Results",
                Resource="Endpoint",
                SortBy="EndpointName",
                SortOrder="Ascending",
                PaginationConfig={"PageSize": SEARCH_PAGE},
            )
        endpoints = (r.get("Endpoint") or {} for r in records)
        return {e["EndpointArn"]: e for e in endpoints if "EndpointArn" in e}

    def _endpoint_config(self, name: str, version: tuple[str, str]) -> dict[str, Any]:
        key = (name, *version)
        if key not in self._configs:
            with classified(f"DescribeEndpointConfig {name}"):
                self._configs[key] = self.sagemaker.describe_endpoint_config(EndpointConfigName=name)
        return self._configs[key]

    def with_components(self, endpoint: EndpointInfo) -> EndpointInfo:
        """The endpoint with its inference components (ListInferenceComponents) and their tags."""
        with classified(f"ListInferenceComponents {endpoint.name}"):
            listed = self._pages(
                self.sagemaker,
                "list_inference_components",
                "InferenceComponents",
                EndpointNameEquals=endpoint.name,
                PaginationConfig={"PageSize": 100},
            )
        return replace(endpoint, components=self.tagged_components(_component_info(c) for c in listed))

    def list_components(self) -> tuple[ComponentInfo, ...]:
        """Every inference component of the region (ListInferenceComponents, 100 per call), without its tags, with
        the endpoint hosting it (``ComponentInfo.endpoint``)."""
        with classified("ListInferenceComponents"):
            listed = self._pages(
                self.sagemaker, "list_inference_components", "InferenceComponents", PaginationConfig={"PageSize": 100}
            )
        return tuple(_component_info(c) for c in listed)

    def tagged_components(self, components: Iterable[ComponentInfo]) -> tuple[ComponentInfo, ...]:
        """The components with their tags (ListTags, one call per component)."""
        return tuple(replace(c, tags=tuple(sorted(self.read_tags(c.arn).items()))) for c in components)

    def read_endpoint_config(self, name: str) -> dict[str, Any]:
        """DescribeEndpointConfig, uncached (for a config an update is about to use)."""
        with classified(f"DescribeEndpointConfig {name}"):
            return dict(self.sagemaker.describe_endpoint_config(EndpointConfigName=name))

    def update_endpoint(self, endpoint: str, config: str, retain_all_variant_properties: bool) -> None:
        with classified(f"UpdateEndpoint {endpoint}"):
            self.sagemaker.update_endpoint(
                EndpointName=endpoint,
                EndpointConfigName=config,
                RetainAllVariantProperties=retain_all_variant_properties,
            )

    def read_tags(self, arn: str) -> dict[str, str]:
        tags: dict[str, str] = {}
        with classified(f"ListTags {arn}"):
            for page in self.sagemaker.get_paginator("list_tags").paginate(ResourceArn=arn):
                tags.update({t["Key"]: t["Value"] for t in page.get("Tags", ())})
        return tags

    def read_state(self, endpoint: EndpointInfo, name_prefix: str) -> ScalingState:
        """Targets of the endpoint's variants, their policies and schedules, and the owned alarms of the endpoint."""
        owned = owned_prefix(name_prefix)
        ids = [TargetKey.for_variant(endpoint.name, v.name, v.kind).resource_id for v in endpoint.variants]
        ids += [
            TargetKey.for_variant(endpoint.name, c.name, VariantKind.INFERENCE_COMPONENT).resource_id
            for c in endpoint.components
        ]
        targets = []
        with classified(f"read AAS state of {endpoint.name}"):
            raw_targets = self._pages(
                self.autoscaling,
                "describe_scalable_targets",
                "ScalableTargets",
                ServiceNamespace=AAS_NAMESPACE,
                ResourceIds=ids,
            )
            for raw in raw_targets:
                scope = {
                    "ServiceNamespace": AAS_NAMESPACE,
                    "ResourceId": raw["ResourceId"],
                    "ScalableDimension": raw["ScalableDimension"],
                }
                policies = self._pages(self.autoscaling, "describe_scaling_policies", "ScalingPolicies", **scope)
                schedules = self._pages(self.autoscaling, "describe_scheduled_actions", "ScheduledActions", **scope)
                targets.append(normalise_target(raw, policies, schedules, owned))
        alarms = tuple(normalise_alarm(a) for a in self._owned_alarms(name_prefix, endpoint.name))
        return ScalingState(endpoint.name, tuple(targets), alarms)

    def read_target(self, key: TargetKey) -> TargetState | None:
        """One scalable target's bounds (without its policies)."""
        with classified(f"DescribeScalableTargets {key.resource_id}"):
            found = self.autoscaling.describe_scalable_targets(
                ServiceNamespace=AAS_NAMESPACE, ResourceIds=[key.resource_id], ScalableDimension=key.dimension
            )["ScalableTargets"]
        return normalise_target(found[0]) if found else None

    def read_owned_alarms(self, name_prefix: str, endpoint: str | None = None) -> tuple[str, ...]:
        return tuple(a["AlarmName"] for a in self._owned_alarms(name_prefix, endpoint))

    def _owned_alarms(self, name_prefix: str, endpoint: str | None) -> list[dict[str, Any]]:
        with classified("DescribeAlarms"):
            return self._pages(
                self.cloudwatch,
                "describe_alarms",
                "MetricAlarms",
                AlarmNamePrefix=alarm_prefix(name_prefix, endpoint),
                AlarmTypes=["MetricAlarm"],
            )

    def read_parameter(self, name: str) -> ParameterText | None:
        """GetParameter (``name`` may end in ``:version`` or ``:label``); None when it (or that version) is missing."""
        try:
            with classified(f"GetParameter {name}"):
                raw = self.ssm.get_parameter(Name=name, WithDecryption=False)["Parameter"]
        except ClientError as exc:
            if error_code(exc) in PARAMETER_MISSING_CODES:
                return None
            raise
        return ParameterText(raw["Name"], raw["Type"], raw["Value"], int(raw.get("Version", 0)))

    def _prefetch_hardware(self, instance_types: Iterable[str]) -> None:
        """vCPUs and GPUs of several instance types in one DescribeInstanceTypes call (cached like
        instance_hardware); an unknown type fails the whole call, so then each is looked up on its own later."""
        wanted = sorted({t for t in instance_types if t not in self._hardware})
        if len(wanted) >= 2:  # else instance_hardware makes the one call
            self._hardware.update(self._describe_types(wanted) or {})

    def instance_hardware(self, instance_type: str) -> Hardware | None:
        """vCPUs and GPUs of a SageMaker instance type (``ml.g5.12xlarge`` is EC2's ``g5.12xlarge``), cached."""
        if instance_type not in self._hardware:
            self._hardware[instance_type] = (self._describe_types([instance_type]) or {}).get(instance_type)
        return self._hardware[instance_type]

    def _describe_types(self, instance_types: Sequence[str]) -> dict[str, Hardware] | None:
        """DescribeInstanceTypes of SageMaker instance types, by SageMaker name; None when EC2 knows one of them not."""
        ec2_types = [t.removeprefix("ml.") for t in instance_types]
        try:
            with classified(f"DescribeInstanceTypes {' '.join(ec2_types)}"):
                found = self.ec2.describe_instance_types(InstanceTypes=ec2_types).get("InstanceTypes", ())
        except ClientError as exc:
            if error_code(exc) not in ("InvalidInstanceType", "InvalidParameterValue"):
                raise
            return None
        return {f"ml.{raw['InstanceType']}": _hardware(raw) for raw in found}

    @staticmethod
    def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            items += page.get(key, ())
        return items

    # ---------------------------------------------------------------- writes

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
                _ignore_missing(lambda: self.send(rendered))
                return None
            response = self.send(rendered)
        if isinstance(action, PutStepScalingPolicy | PutTargetTrackingPolicy):
            return str(response["PolicyARN"])
        return None

    def send(self, rendered: Request) -> dict[str, Any]:
        """One rendered request (``actions.request``), sent by the client of its service."""
        client = {AUTOSCALING: self.autoscaling, CLOUDWATCH: self.cloudwatch}[rendered.service]
        return dict(getattr(client, rendered.method)(**rendered.params))

    def deregister_target(self, target: TargetKey) -> None:
        """DeregisterScalableTarget (AAS deletes the target's policies and scheduled actions with it); a target already
        gone is the state wanted. The sweep's one Application Auto Scaling write, so its own method: the sweeper's
        permissions (template.yaml) follow from the calls its code makes."""
        with classified(f"DeregisterScalableTarget {target.resource_id}"):
            _ignore_missing(lambda: self.autoscaling.deregister_scalable_target(**target.api()))

    def delete_alarms(self, names: Sequence[str]) -> None:
        for start in range(0, len(names), DELETE_ALARMS_BATCH):
            with classified("DeleteAlarms"):
                self.cloudwatch.delete_alarms(AlarmNames=list(names[start : start + DELETE_ALARMS_BATCH]))

    def put_event(self, bus: str, source: str, detail_type: str, detail: Mapping[str, Any]) -> None:
        with classified("PutEvents"):
            result = self.events.put_events(
                Entries=[
                    {"EventBusName": bus, "Source": source, "DetailType": detail_type, "Detail": json.dumps(detail)}
                ]
            )
        if result.get("FailedEntryCount"):
            raise TemporaryError(f"PutEvents: {result['Entries']}")

    def write_tags(self, arn: str, tags: Mapping[str, str]) -> None:
        with classified(f"AddTags {arn}"):
            self.sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": k, "Value": v} for k, v in tags.items()])

    def delete_tags(self, arn: str, keys: Sequence[str]) -> None:
        with classified(f"DeleteTags {arn}"):
            self.sagemaker.delete_tags(ResourceArn=arn, TagKeys=list(keys))

    def update_instance_count(self, endpoint: str, variant: str, count: int) -> None:
        """UpdateEndpointWeightsAndCapacities for one variant's instance count (the endpoint goes Updating)."""
        with classified(f"UpdateEndpointWeightsAndCapacities {endpoint}/{variant}"):
            self.sagemaker.update_endpoint_weights_and_capacities(
                EndpointName=endpoint,
                DesiredWeightsAndCapacities=[{"VariantName": variant, "DesiredInstanceCount": count}],
            )

    # ---------------------------------------------------------------- refusals (autoscaler.refusals)

    def record_refusal(self, table: str, refusal: Refusal) -> None:
        """PutItem: the refusal replaces any earlier one of the endpoint."""
        with classified(f"PutItem {table} {refusal.endpoint}"):
            self.client("dynamodb").put_item(TableName=table, Item=refusal.item())

    def clear_refusal(self, table: str, endpoint: str) -> None:
        """DeleteItem (of nothing, when there is no record: DynamoDB answers it the same)."""
        with classified(f"DeleteItem {table} {endpoint}"):
            self.client("dynamodb").delete_item(TableName=table, Key=refusal_key(endpoint))

    def read_refusals(self, table: str) -> tuple[dict[str, Any], ...]:
        """Scan, every page (1 MB each, consistent reads): the table's items, as DynamoDB gives them."""
        with classified(f"Scan {table}"):
            return tuple(self._pages(self.client("dynamodb"), "scan", "Items", TableName=table, ConsistentRead=True))

    # ---------------------------------------------------------------- router and sweep

    def client(self, service: str) -> Any:
        """A client of one more service (the Tagging API, SQS), made like the others by ``create()``: same region,
        retry configuration and endpoint URL (a local emulator's, or AWS's own), created once and kept."""
        if service not in self._extra_clients:
            if self._make_client is None:
                raise RuntimeError(f"no {service} client: build Aws with Aws.create()")
            self._extra_clients[service] = self._make_client(service)
        return self._extra_clients[service]

    def without_caches(self) -> Aws:
        """The same clients with none of the per-environment caches: what a cold execution environment holds."""
        return replace(self, _configs={}, _hardware={}, _described={})

    def list_endpoint_names(self) -> tuple[str, ...]:
        """ListEndpoints, every page: the real (mixed-case) names, which ARNs in events and the Tagging API
        lower-case."""
        return tuple(e.name for e in self.list_endpoints())

    def list_endpoints(self) -> tuple[EndpointSummary, ...]:
        """ListEndpoints, every page (100 per call): every endpoint's real name, ARN, status and version. Cached
        descriptions of versions no longer listed are dropped (see describe_listed)."""
        with classified("ListEndpoints"):
            endpoints = self._pages(self.sagemaker, "list_endpoints", "Endpoints", PaginationConfig={"PageSize": 100})
        listed = tuple(
            EndpointSummary(e["EndpointName"], e["EndpointArn"], e["EndpointStatus"], endpoint_version(e))
            for e in endpoints
        )
        current = {e.key for e in listed}
        for key in [k for k in self._described if k not in current]:
            del self._described[key]
        return listed

    def read_tagged_endpoints(self, tag_key: str) -> tuple[tuple[str, dict[str, str]], ...]:
        """Resource Groups Tagging API GetResources: (ARN, all tags) of every SageMaker endpoint carrying ``tag_key``
        (any value), in pages of 100."""
        with classified(f"GetResources {tag_key}"):
            found = self._pages(
                self.client("resourcegroupstaggingapi"),
                "get_resources",
                "ResourceTagMappingList",
                ResourceTypeFilters=["sagemaker:endpoint"],
                TagFilters=[{"Key": tag_key}],
                ResourcesPerPage=100,
            )
        return tuple((r["ResourceARN"], {t["Key"]: t["Value"] for t in r.get("Tags", ())}) for r in found)

    def read_namespace(self, name_prefix: str) -> dict[str, list[dict[str, Any]]]:
        """Every scalable target, scaling policy and scheduled action of the ``sagemaker`` namespace, and every owned
        alarm, in pages (DescribeScalableTargets 50, DescribeScalingPolicies 10, DescribeScheduledActions 50,
        DescribeAlarms 100 per page): keys ``targets``, ``policies``, ``schedules``, ``alarms``."""
        with classified("read AAS namespace"):
            scope = {"ServiceNamespace": AAS_NAMESPACE}
            # AWS's largest pages (aws-facts.md), asked for explicitly rather than left to each API's default.
            targets = self._pages(
                self.autoscaling, "describe_scalable_targets", "ScalableTargets", **scope, **_page_size(50)
            )
            policies = self._pages(
                self.autoscaling, "describe_scaling_policies", "ScalingPolicies", **scope, **_page_size(10)
            )
            schedules = self._pages(
                self.autoscaling, "describe_scheduled_actions", "ScheduledActions", **scope, **_page_size(50)
            )
        with classified("DescribeAlarms"):
            alarms = self._pages(
                self.cloudwatch,
                "describe_alarms",
                "MetricAlarms",
                AlarmNamePrefix=alarm_prefix(name_prefix),
                AlarmTypes=["MetricAlarm"],
                **_page_size(100),  # DescribeAlarms returns 50 per page unless asked for up to 100
            )
        return {"targets": targets, "policies": policies, "schedules": schedules, "alarms": alarms}

    def send_fifo_messages(self, queue_url: str, messages: Sequence[tuple[str, str, str]]) -> None:
        """SendMessageBatch of (body, message group id, deduplication id), ten at a time. Any entry SQS did not
        accept raises TemporaryError after the whole batch was tried (deduplication makes a resend harmless)."""
        sqs = self.client("sqs")
        failed: list[dict[str, Any]] = []
        for start in range(0, len(messages), 10):
            entries = [
                {"Id": str(number), "MessageBody": body, "MessageGroupId": group, "MessageDeduplicationId": dedup}
                for number, (body, group, dedup) in enumerate(messages[start : start + 10])
            ]
            with classified("SendMessageBatch"):
                result = sqs.send_message_batch(QueueUrl=queue_url, Entries=entries)
            failed += result.get("Failed", [])
        if failed:
            raise TemporaryError(f"SendMessageBatch: {len(failed)} message(s) not accepted: {failed}")

    def read_invocations(
        self, endpoint: str, variant: str, start: datetime, end: datetime, period: int = 60
    ) -> list[tuple[datetime, float]]:
        """AWS/SageMaker Invocations (Sum per `period` seconds) of one variant in [start, end), oldest first: one
        GetMetricData query (dimensions EndpointName, VariantName), every page. Read by the simulator (CLI) only."""
        query = {
            "Id": "invocations",
            "MetricStat": {
                "Metric": {
                    "Namespace": "AWS/SageMaker",
                    "MetricName": "Invocations",
                    "Dimensions": [
                        {"Name": "EndpointName", "Value": endpoint},
                        {"Name": "VariantName", "Value": variant},
                    ],
                },
                "Period": period,
                "Stat": "Sum",
            },
            "ReturnData": True,
        }
        points: dict[datetime, float] = {}
        with classified("GetMetricData"):
            for page in self.cloudwatch.get_paginator("get_metric_data").paginate(
                MetricDataQueries=[query], StartTime=start, EndTime=end, ScanBy="TimestampAscending"
            ):
                for result in page.get("MetricDataResults", ()):
                    for moment, value in zip(result.get("Timestamps", ()), result.get("Values", ()), strict=True):
                        points[moment] = points.get(moment, 0.0) + float(value)
        return sorted(points.items())

    def describe_component(self, name: str) -> dict[str, Any] | None:
        """DescribeInferenceComponent by exact name; None when it does not exist."""
        try:
            with classified(f"DescribeInferenceComponent {name}"):
                return dict(self.sagemaker.describe_inference_component(InferenceComponentName=name))
        except ClientError as exc:
            # DescribeEndpoint's wording for a missing resource ("Could not find endpoint ..."); unverified for
            # components, so any "Could not find" ValidationException counts.
            if error_code(exc) != "ValidationException" or "Could not find" not in str(exc):
                raise
            return None

    def read_component_endpoint(self, name: str) -> tuple[str, str] | None:
        """(EndpointName, InferenceComponentStatus) of an inference component, for routing its CloudTrail calls;
        None when it does not exist. DescribeInferenceComponent by name; when none has exactly that name,
        ListInferenceComponents (every page, 100 per call) matched case-insensitively, since ARNs lower-case the
        name (a tag call on a component ARN) and whether DescribeInferenceComponent ignores case is not documented."""
        found = self.describe_component(name)
        if found is not None:
            return str(found["EndpointName"]), str(found["InferenceComponentStatus"])
        for component in self.list_components():
            if component.name.lower() == name.lower():
                return component.endpoint, component.status
        return None


@dataclass(frozen=True)
class Descriptions:
    """What ``Aws.describe_all_listed`` found, and how: by name (None: the endpoint no longer exists)."""

    endpoints: Mapping[str, EndpointInfo | None]
    searched: int = 0  # made from a Search record
    described: int = 0  # DescribeEndpoint calls
    search_error: str = ""  # why Search failed, if it did (the endpoints were described instead)


@dataclass(frozen=True)
class EndpointSummary:
    """One endpoint of a ListEndpoints page."""

    name: str
    arn: str
    status: str
    version: str  # see endpoint_version

    @property
    def key(self) -> tuple[str, str]:
        """What a kept description is filed under: deleted and re-created, or updated, is another key."""
        return (self.arn, self.version)


def _variant_info(live: Mapping[str, Any], static: Mapping[str, Any], asynchronous: bool) -> VariantInfo:
    """A variant from DescribeEndpoint's ``live`` summary and, when read, the endpoint config's ``static`` entry."""
    if "CurrentServerlessConfig" in live or "ServerlessConfig" in static:
        kind = VariantKind.SERVERLESS
    else:
        kind = VariantKind.ASYNC if asynchronous else VariantKind.INSTANCE
    return VariantInfo(
        live["VariantName"],
        kind,
        static.get("InstanceType"),
        live.get("CurrentInstanceCount"),
        _max_concurrency(live, static),
        _managed_instance_scaling(live, static),
    )


def _component_info(raw: Mapping[str, Any]) -> ComponentInfo:
    return ComponentInfo(
        name=raw["InferenceComponentName"],
        arn=raw["InferenceComponentArn"],
        variant=raw.get("VariantName", ""),
        status=raw.get("InferenceComponentStatus", ""),
        endpoint=raw.get("EndpointName", ""),
    )


def _shows(record: Mapping[str, Any], listed: EndpointSummary) -> bool:
    """Whether a Search record shows the endpoint as listed (same ARN and version, InService), with its variants."""
    return (
        bool(record.get("ProductionVariants"))
        and record.get("EndpointArn") == listed.arn
        and endpoint_version(record) == listed.version
        and record.get("EndpointStatus") == ENDPOINT_IN_SERVICE
    )


def endpoint_version(raw: Mapping[str, Any]) -> str:
    """CreationTime and LastModifiedTime of a DescribeEndpoint answer or a ListEndpoints entry: they change with
    every UpdateEndpoint and when an endpoint is deleted and created again under the same name."""
    return f"{raw.get('CreationTime')}|{raw.get('LastModifiedTime')}"


def _page_size(size: int) -> dict[str, Any]:
    return {"PaginationConfig": {"PageSize": size}}


def _hardware(raw: Mapping[str, Any]) -> Hardware:
    return Hardware(
        vcpus=int(raw["VCpuInfo"]["DefaultVCpus"]),
        gpus=sum(int(g.get("Count", 0)) for g in raw.get("GpuInfo", {}).get("Gpus", ())),
    )


def _max_concurrency(live: Mapping[str, Any], static: Mapping[str, Any]) -> int | None:
    """A serverless variant's MaxConcurrency: the live value (DescribeEndpoint), else the configured one."""
    config = live.get("CurrentServerlessConfig") or static.get("ServerlessConfig") or {}
    return _int_or_none(config.get("MaxConcurrency"))


def _managed_instance_scaling(live: Mapping[str, Any], static: Mapping[str, Any]) -> ManagedInstanceScaling | None:
    """A variant's ManagedInstanceScaling: DescribeEndpoint's (and a Search record's) variant summary carries it
    (SageMaker API Reference, ProductionVariantSummary, member ManagedInstanceScaling), so it costs no call; the
    endpoint config's ProductionVariants entry (ProductionVariant, same member) when the summary has none and the config
    was read anyway."""
    raw = live.get("ManagedInstanceScaling") or static.get("ManagedInstanceScaling")
    if not raw:
        return None
    return ManagedInstanceScaling(
        str(raw.get("Status", "")), _int_or_none(raw.get("MinInstanceCount")), _int_or_none(raw.get("MaxInstanceCount"))
    )


def _int_or_none(value: Any) -> int | None:
    return None if value is None else int(value)
