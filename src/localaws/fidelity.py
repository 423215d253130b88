"""AWS fidelity layer: makes moto behave like AWS where the controller depends on it.

moto (5.2.x) differs from AWS on some of the controller's paths (``shared/reference/moto-gaps.md``). Each rule here
is a small patch on one of moto's backend or response classes, made at class level so that it holds in-process under
``moto.mock_aws`` and in a ``moto_server`` running in this process (``localaws.server``); moto's own resets replace
backend *instances*, never classes, so they keep the rules. Every rule's docstring quotes the AWS fact it encodes.

``install()`` / ``uninstall()`` (or the ``fidelity()`` context manager) switch the rules on and off; ``uninstall``
puts moto's original attributes back exactly.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from functools import cache
from importlib import resources
from typing import Any
from weakref import WeakKeyDictionary

from moto.applicationautoscaling import models as aas_models
from moto.applicationautoscaling import responses as aas_responses
from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeScalableTarget,
    applicationautoscaling_backends,
)
from moto.cloudwatch.exceptions import ValidationError as CloudWatchValidationError
from moto.cloudwatch.models import CloudWatchBackend
from moto.cloudwatch.responses import CloudWatchResponse
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter as sagemaker_arn_formatter

from autoscaler.constraints import Violation, input_shape, violations

__all__ = ["FidelityConfig", "ObjectNotFoundException", "fidelity", "install", "installed", "settle", "uninstall"]

SAGEMAKER = "sagemaker"
IN_SERVICE = "InService"
CREATING = "Creating"
UPDATING = "Updating"

_VARIANT_RESOURCE_ID = re.compile(r"endpoint/(?P<endpoint>[^/]+)/variant/(?P<variant>[^/]+)")
_COUNTED_FIELDS = ("InstanceCount", "Weight")
_RETAINED_VARIANT_FIELDS = ("CurrentInstanceCount", "DesiredInstanceCount", "CurrentWeight", "DesiredWeight")


@dataclass(frozen=True)
class FidelityConfig:
    """How the layer behaves.

    ``endpoint_transition_seconds``: how long an endpoint stays Creating after CreateEndpoint, and Updating after
    UpdateEndpointWeightsAndCapacities / UpdateEndpoint (and an inference component Creating / Updating after
    CreateInferenceComponent / UpdateInferenceComponentRuntimeConfig), measured on ``clock`` (injectable for
    deterministic tests).
    """

    endpoint_transition_seconds: float = 0.0
    clock: Callable[[], float] = time.monotonic


class ObjectNotFoundException(JsonRESTError):  # noqa: N818 - AWS's error code
    """Application Auto Scaling's ObjectNotFoundException (HTTP 400), which moto does not define."""

    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


@dataclass
class _Transition:
    """A pending Creating/Updating -> InService transition of one endpoint (or inference component)."""

    ready_at: float
    complete: Callable[[], None] | None = None
    status_attribute: str = "endpoint_status"


_MISSING = object()


@dataclass
class _State:
    config: FidelityConfig | None = None
    saved: dict[tuple[object, str], object] = field(default_factory=dict)
    pending: WeakKeyDictionary[Any, _Transition] = field(default_factory=WeakKeyDictionary)


_state = _State()
# Re-entrant: moto_server serves requests on several threads, and a rule may call another patched method.
_lock = threading.RLock()

# moto's implementations, which the rules wrap.
_moto_register_scalable_target = ApplicationAutoscalingBackend.register_scalable_target
_moto_deregister_scalable_target = ApplicationAutoscalingBackend.deregister_scalable_target
_moto_put_scaling_policy = ApplicationAutoscalingBackend.put_scaling_policy
_moto_put_scheduled_action = ApplicationAutoscalingBackend.put_scheduled_action
_moto_delete_scaling_policy = ApplicationAutoscalingBackend.delete_scaling_policy
_moto_delete_scheduled_action = ApplicationAutoscalingBackend.delete_scheduled_action
_moto_create_endpoint = SageMakerModelBackend.create_endpoint
_moto_describe_endpoint = SageMakerModelBackend.describe_endpoint
_moto_list_endpoints = SageMakerModelBackend.list_endpoints
_moto_delete_endpoint = SageMakerModelBackend.delete_endpoint
_moto_update_endpoint_weights_and_capacities = SageMakerModelBackend.update_endpoint_weights_and_capacities
_moto_search_response = SageMakerResponse.search
_moto_process_production_variants = FakeEndpoint._process_production_variants
_moto_register_response = aas_responses.ApplicationAutoScalingResponse.register_scalable_target
_moto_put_scaling_policy_response = aas_responses.ApplicationAutoScalingResponse.put_scaling_policy
_moto_put_scheduled_action_response = aas_responses.ApplicationAutoScalingResponse.put_scheduled_action
_moto_put_metric_alarm = CloudWatchResponse.put_metric_alarm
_moto_put_metric_alarm_backend = CloudWatchBackend.put_metric_alarm


# --- endpoint lifecycle ---------------------------------------------------------------------------------------------


def _begin_transition(
    endpoint: Any, status: str, complete: Callable[[], None] | None = None, status_attribute: str = "endpoint_status"
) -> None:
    """Sets ``status`` now and InService after ``endpoint_transition_seconds`` (an endpoint, or an inference component
    whose status lives in ``status_attribute``)."""
    config = _state.config or FidelityConfig()
    with _lock:
        setattr(endpoint, status_attribute, status)
        endpoint.last_modified_time = utcnow()
        ready_at = config.clock() + config.endpoint_transition_seconds
        _state.pending[endpoint] = _Transition(ready_at, complete, status_attribute)


def _advance(now: float | None = None) -> None:
    """Completes every pending transition that is due at ``now`` (default: the config clock's current time), in the
    order they fell due, so that their LastModifiedTime stamps follow that order."""
    if now is None:
        now = (_state.config or FidelityConfig()).clock()
    with _lock:
        for endpoint, transition in sorted(_state.pending.items(), key=lambda item: item[1].ready_at):
            if now >= transition.ready_at:
                del _state.pending[endpoint]
                if transition.complete is not None:
                    transition.complete()
                setattr(endpoint, transition.status_attribute, IN_SERVICE)
                endpoint.last_modified_time = utcnow()


def settle() -> None:
    """Completes every pending transition now: all Creating/Updating endpoints and inference components become
    InService."""
    _advance(math.inf)


def _endpoint_arn(backend: SageMakerModelBackend, endpoint_name: str) -> str:
    return FakeEndpoint.arn_formatter(endpoint_name, backend.account_id, backend.region_name)


def _reject_update_in_progress(backend: SageMakerModelBackend, endpoint_name: str) -> None:
    """Any update of an endpoint that is Creating or Updating fails.

    AWS fact (aws-facts.md, SageMaker; SageMaker API Reference, UpdateEndpointWeightsAndCapacities / UpdateEndpoint):
    "Any update on an endpoint that is Creating/Updating fails: ValidationException "Cannot update in-progress
    endpoint ..."". The exact tail of the message (the quoted ARN and the final period) is approximate.
    """
    _advance()
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is not None and endpoint.endpoint_status in (CREATING, UPDATING):
        raise ValidationError(message=f'Cannot update in-progress endpoint "{endpoint.arn}".')


def _create_endpoint_starts_creating(
    self: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str, tags: list[dict[str, str]]
) -> FakeEndpoint:
    """CreateEndpoint leaves the endpoint Creating; it becomes InService after ``endpoint_transition_seconds``.

    AWS fact (moto-gaps.md, checked against the SageMaker API Reference EndpointStatus enum
    "OutOfService|Creating|Updating|...|InService|..."): "sagemaker DescribeEndpoint: Creating -> InService,
    Updating on updates" (moto: "always InService at once"). The status is evaluated lazily, whenever
    DescribeEndpoint, ListEndpoints, an update or RegisterScalableTarget looks at it.
    """
    endpoint = _moto_create_endpoint(self, endpoint_name, endpoint_config_name, tags)
    _begin_transition(endpoint, CREATING)
    return endpoint


def _describe_endpoint_advances_lifecycle(self: SageMakerModelBackend, endpoint_name: str) -> dict[str, Any]:
    """DescribeEndpoint shows the endpoint's status as of now (see ``_create_endpoint_starts_creating``), and the
    AsyncInferenceConfig of an asynchronous endpoint.

    AWS fact (SageMaker API Reference, DescribeEndpoint, response element AsyncInferenceConfig: "Returns the
    description of an endpoint configuration created using the CreateEndpointConfig API"): moto leaves it out, so an
    asynchronous endpoint would look like a real-time one.
    """
    _advance()
    described: dict[str, Any] = _moto_describe_endpoint(self, endpoint_name)
    if "AsyncInferenceConfig" not in described:
        config = self.endpoint_configs.get(described.get("EndpointConfigName", ""))
        asynchronous = getattr(config, "async_inference_config", None)
        if asynchronous:
            described = {**described, "AsyncInferenceConfig": asynchronous}
    return described


def _variant_summaries_keep_managed_instance_scaling(
    self: FakeEndpoint, production_variants: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """An endpoint's variant summaries (DescribeEndpoint, a Search record's Endpoint) carry the ManagedInstanceScaling
    of the endpoint config's variant.

    AWS fact (SageMaker API Reference, ProductionVariantSummary, which DescribeEndpoint and the Endpoint record of
    Search return as ProductionVariants: member ManagedInstanceScaling, "Settings that control the range in the number
    of instances that the endpoint provisions as it scales up or down to accommodate traffic"): moto keeps the setting
    in the endpoint config (DescribeEndpointConfig shows it) but drops it from the endpoint's variants. The summaries
    are made on CreateEndpoint and when an UpdateEndpoint completes (``_update_endpoint``), from the config in force.
    """
    summaries: list[dict[str, Any]] = _moto_process_production_variants(self, production_variants)
    for summary, variant in zip(summaries, production_variants, strict=True):
        if variant.get("ManagedInstanceScaling"):
            summary["ManagedInstanceScaling"] = copy.deepcopy(variant["ManagedInstanceScaling"])
    return summaries


def _list_endpoints_advances_lifecycle(self: SageMakerModelBackend, *args: Any, **kwargs: Any) -> Any:
    """ListEndpoints shows, and filters on, statuses as of now (see ``_create_endpoint_starts_creating``)."""
    _advance()
    return _moto_list_endpoints(self, *args, **kwargs)


def _update_weights_and_capacities_goes_through_updating(
    self: SageMakerModelBackend, endpoint_name: str, desired_weights_and_capacities: list[dict[str, Any]]
) -> str:
    """UpdateEndpointWeightsAndCapacities sets the endpoint Updating, then InService after the transition delay.

    AWS fact (aws-facts.md, SageMaker; SageMaker API Reference UpdateEndpointWeightsAndCapacities): it "sets the
    endpoint to Updating. Any update on an endpoint that is Creating/Updating fails: ValidationException "Cannot update
    in-progress endpoint ..."" (moto: "applied instantly").

    The desired instance counts and weights change at once; the current ones become the desired ones when the update
    completes, as DescribeEndpoint shows on AWS while an update runs. A field the request leaves out keeps its value
    (moto would blank it).
    """
    _reject_update_in_progress(self, endpoint_name)
    existing = self.endpoints.get(endpoint_name)
    before = copy.deepcopy(existing.production_variants) if existing is not None else []
    arn = _moto_update_endpoint_weights_and_capacities(self, endpoint_name, desired_weights_and_capacities)
    endpoint = self.endpoints[endpoint_name]
    for old, variant in zip(before, endpoint.production_variants, strict=True):
        for name in _COUNTED_FIELDS:
            desired = variant.get(f"Desired{name}")
            _set_or_drop(variant, f"Desired{name}", old.get(f"Desired{name}") if desired is None else desired)
            _set_or_drop(variant, f"Current{name}", old.get(f"Current{name}"))

    def complete() -> None:
        for variant in endpoint.production_variants:
            for name in _COUNTED_FIELDS:
                if f"Desired{name}" in variant:
                    variant[f"Current{name}"] = variant[f"Desired{name}"]

    _begin_transition(endpoint, UPDATING, complete)
    return arn


def _set_or_drop(variant: dict[str, Any], key: str, value: object) -> None:
    if value is None:
        variant.pop(key, None)
    else:
        variant[key] = value


def _update_endpoint(
    backend: SageMakerModelBackend, endpoint_name: str, endpoint_config_name: str, retain_all_variant_properties: bool
) -> str:
    """UpdateEndpoint (missing from moto): switches the endpoint to another endpoint config, Updating -> InService.

    AWS facts (aws-facts.md, SageMaker; SageMaker API Reference UpdateEndpoint): "Any update on an endpoint that is
    Creating/Updating fails: ValidationException "Cannot update in-progress endpoint ..."";
    "RetainAllVariantProperties keeps current counts": only the instance counts and weights (SageMaker API Reference,
    VariantProperty: the variant properties are DesiredInstanceCount and DesiredWeight, DataCaptureConfig being "Not
    currently supported"); everything else, a serverless config included, comes from the new config. While Updating,
    DescribeEndpoint still shows the old config and variants; the new ones are in place once the endpoint is InService
    again. An update that changes the instance type of, or removes, a variant registered as a scalable target fails
    (``_reject_autoscaled_variant_changes``).
    """
    _reject_update_in_progress(backend, endpoint_name)
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is None:
        raise ValidationError(message=f"Could not find endpoint '{_endpoint_arn(backend, endpoint_name)}'.")
    config = backend.describe_endpoint_config(endpoint_config_name)
    _reject_autoscaled_variant_changes(backend, endpoint, config)
    variants = endpoint._process_production_variants(config["ProductionVariants"])
    if retain_all_variant_properties:
        current = {variant["VariantName"]: variant for variant in endpoint.production_variants}
        for variant in variants:
            live = current.get(variant["VariantName"], {})
            variant.update({key: live[key] for key in _RETAINED_VARIANT_FIELDS if key in live})

    def complete() -> None:
        endpoint.endpoint_config_name = endpoint_config_name
        endpoint.production_variants = variants

    _begin_transition(endpoint, UPDATING, complete)
    return endpoint.arn


def _reject_autoscaled_variant_changes(
    backend: SageMakerModelBackend, endpoint: FakeEndpoint, new_config: dict[str, Any]
) -> None:
    """UpdateEndpoint fails when it would change the instance type of, or remove, an autoscaled variant.

    AWS fact (SageMaker Developer Guide, endpoint-scaling-update): "When you update an endpoint, Application Auto
    Scaling checks to see whether any of the models on that endpoint are targets for auto scaling. If the update would
    change the instance type for any model that is a target for auto scaling, the update fails ... Before you update
    the endpoint, ... deregister the variant as a scalable target". Steps 1 and 7 are needed only for "changing the
    instance type of a production variant configured for auto scaling" and "removing a production variant configured
    for auto scaling"; changing the model is allowed. AWS documents no error text: the message here is ours.
    """
    autoscaling = applicationautoscaling_backends[backend.account_id][backend.region_name]
    prefix = f"endpoint/{endpoint.endpoint_name}/variant/"
    registered = {
        t.resource_id.removeprefix(prefix)
        for t in autoscaling.describe_scalable_targets(SAGEMAKER, None, None)
        if t.resource_id.startswith(prefix)
    }
    current = backend.describe_endpoint_config(endpoint.endpoint_config_name)
    before = {v["VariantName"]: v.get("InstanceType") for v in current["ProductionVariants"]}
    after = {v["VariantName"]: v.get("InstanceType") for v in new_config["ProductionVariants"]}
    blocked = sorted(v for v in registered if v not in after or after[v] != before.get(v))
    if blocked:
        raise ValidationError(
            message=f"The variant(s) {blocked} of endpoint {endpoint.endpoint_name} are registered for auto scaling: "
            "deregister them as scalable targets before changing their instance type or removing them."
        )


def _update_endpoint_response(self: SageMakerResponse) -> ActionResult:
    """The UpdateEndpoint action for moto's SageMaker responses (see ``_update_endpoint``)."""
    arn = _update_endpoint(
        self.sagemaker_backend,
        endpoint_name=self._get_param("EndpointName"),
        endpoint_config_name=self._get_param("EndpointConfigName"),
        retain_all_variant_properties=bool(self._get_param("RetainAllVariantProperties", False)),
    )
    return ActionResult({"EndpointArn": arn})


def _delete_endpoint_deregisters_scalable_targets(self: SageMakerModelBackend, endpoint_name: str) -> None:
    """DeleteEndpoint also deregisters the endpoint's scalable targets (and so their policies and schedules).

    AWS fact (aws-facts.md; SageMaker Developer Guide, endpoint-delete-with-scaling): "Deleting an endpoint: AAS
    deregisters its scalable targets, provided the principal deleting the endpoint may call DeregisterScalableTarget".
    moto has no IAM enforcement here, so the deregistration always happens.
    """
    endpoint = self.endpoints.get(endpoint_name)
    _moto_delete_endpoint(self, endpoint_name)
    if endpoint is not None:
        with _lock:
            _state.pending.pop(endpoint, None)
    autoscaling = applicationautoscaling_backends[self.account_id][self.region_name]
    prefix = f"endpoint/{endpoint_name}/variant/"
    for target in autoscaling.describe_scalable_targets(SAGEMAKER, None, None):
        if target.resource_id.startswith(prefix):
            autoscaling.deregister_scalable_target(
                target.service_namespace, target.resource_id, target.scalable_dimension
            )


# --- Application Auto Scaling ---------------------------------------------------------------------------------------


def _register_requires_in_service_variant(
    self: ApplicationAutoscalingBackend,
    namespace: str,
    r_id: str,
    dimension: str,
    min_capacity: int | None,
    max_capacity: int | None,
    role_arn: str,
    suspended_state: str,
) -> FakeScalableTarget:
    """RegisterScalableTarget for ``endpoint/<E>/variant/<V>`` needs an existing InService endpoint with that variant.

    AWS fact (aws-facts.md, Application Auto Scaling for SageMaker): "Registering a target for an endpoint that is not
    InService fails: ValidationException "The status should be in 'InService' to register it as a scalable target"".
    For a missing endpoint or variant AWS also answers ValidationException, but its wording is not documented: these
    messages reuse SageMaker's own ("Could not find endpoint ..." from DescribeEndpoint; "The variant name(s) ...
    is/are not present within endpoint configuration ..." from UpdateEndpointWeightsAndCapacities) (unverified).
    Inference-component resource ids are checked by ``_register_requires_in_service_inference_component``.
    """
    match = _VARIANT_RESOURCE_ID.fullmatch(r_id or "")
    if namespace == SAGEMAKER and match:
        _advance()
        sagemaker = sagemaker_backends[self.account_id][self.region_name]
        endpoint = sagemaker.endpoints.get(match["endpoint"])
        if endpoint is None:
            raise AWSValidationException(f"Could not find endpoint '{_endpoint_arn(sagemaker, match['endpoint'])}'.")
        if endpoint.endpoint_status != IN_SERVICE:
            raise AWSValidationException("The status should be in 'InService' to register it as a scalable target")
        if not any(variant["VariantName"] == match["variant"] for variant in endpoint.production_variants):
            raise AWSValidationException(
                f'The variant name(s) "{match["variant"]}" is/are not present within endpoint configuration '
                f'"{endpoint.endpoint_config_name}".'
            )
    return _moto_register_scalable_target(
        self, namespace, r_id, dimension, min_capacity, max_capacity, role_arn, suspended_state
    )


def _object_not_found(
    missing: str, namespace: str, resource_id: str, dimension: str, name: str = ""
) -> ObjectNotFoundException:
    """AAS's ObjectNotFoundException, its message naming the target as AWS does: "<missing> for service namespace:
    ..., resource ID: ..., scalable dimension: ..." (and ", <name>" for a policy or scheduled action)."""
    target = f"service namespace: {namespace}, resource ID: {resource_id}, scalable dimension: {dimension}"
    return ObjectNotFoundException(f"{missing} for {target}{name and f', {name}'}")


def _require_registered_target(
    backend: ApplicationAutoscalingBackend, namespace: str, resource_id: str, dimension: str
) -> None:
    """Operations on a scalable target need the target to be registered.

    AWS fact (aws-facts.md: "PutScalingPolicy on an unregistered target fails with ObjectNotFoundException"; AAS API
    Reference, ObjectNotFoundException: "For any operation that depends on the existence of a scalable target, this
    exception is thrown if the scalable target with the specified service namespace, resource ID, and scalable
    dimension does not exist."). Message as AWS words it for PutScalingPolicy (moto-gaps.md: moto accepts the call).
    """
    target = backend.targets.get(dimension, {}).get(resource_id)
    if target is None or target.service_namespace != namespace:
        raise _object_not_found("No scalable target registered", namespace, resource_id, dimension)


def _put_scaling_policy_requires_registered_target(
    self: ApplicationAutoscalingBackend,
    policy_name: str,
    service_namespace: str,
    resource_id: str,
    scalable_dimension: str,
    policy_body: dict[str, Any],
    policy_type: str | None,
) -> aas_models.FakeApplicationAutoscalingPolicy:
    """PutScalingPolicy on an unregistered target fails: ObjectNotFoundException (``_require_registered_target``)."""
    _require_registered_target(self, service_namespace, resource_id, scalable_dimension)
    return _moto_put_scaling_policy(
        self, policy_name, service_namespace, resource_id, scalable_dimension, policy_body, policy_type
    )


def _put_scheduled_action_requires_registered_target(
    self: ApplicationAutoscalingBackend,
    service_namespace: str,
    schedule: str,
    timezone: str,
    scheduled_action_name: str,
    resource_id: str,
    scalable_dimension: str,
    start_time: str,
    end_time: str,
    scalable_target_action: str,
) -> None:
    """PutScheduledAction on an unregistered target fails: ObjectNotFoundException (``_require_registered_target``)."""
    _require_registered_target(self, service_namespace, resource_id, scalable_dimension)
    _moto_put_scheduled_action(
        self,
        service_namespace,
        schedule,
        timezone,
        scheduled_action_name,
        resource_id,
        scalable_dimension,
        start_time,
        end_time,
        scalable_target_action,
    )


def _deregister_deletes_policies_and_scheduled_actions(
    self: ApplicationAutoscalingBackend, namespace: str, r_id: str, dimension: str
) -> None:
    """DeregisterScalableTarget also deletes the target's scaling policies and scheduled actions.

    AWS fact (aws-facts.md: "Deregistering a target deletes its policies and scheduled actions (AWS), but not step
    alarms"; AAS API Reference, DeregisterScalableTarget: "Deregistering a scalable target deletes the scaling policies
    and the scheduled actions that are associated with it."). Alarms you created for step policies stay; alarms the
    policy owns (target tracking, which moto creates only for DynamoDB and ECS) go with it, as on AWS.
    Deregistering a target that is not registered fails with ObjectNotFoundException (AAS API Reference,
    ObjectNotFoundException: "For any operation that deletes or deregisters a resource, this exception is thrown if the
    resource cannot be found"; moto: ValidationException), worded as in ``_require_registered_target`` (unverified for
    this operation).
    """
    _require_registered_target(self, namespace, r_id, dimension)
    _moto_deregister_scalable_target(self, namespace, r_id, dimension)
    for policy in list(self.policies.values()):
        if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (namespace, r_id, dimension):
            self.delete_scaling_policy(policy.policy_name, namespace, r_id, dimension)
    self.scheduled_actions = [
        action
        for action in self.scheduled_actions
        if (action.service_namespace, action.resource_id, action.scalable_dimension) != (namespace, r_id, dimension)
    ]


def _delete_scaling_policy_requires_the_policy(
    self: ApplicationAutoscalingBackend,
    policy_name: str,
    service_namespace: str,
    resource_id: str,
    scalable_dimension: str,
) -> None:
    """DeleteScalingPolicy of a policy that does not exist fails with ObjectNotFoundException.

    AWS fact (AAS API Reference, ObjectNotFoundException: "For any operation that deletes or deregisters a resource,
    this exception is thrown if the resource cannot be found."). moto raises ValidationException for a missing policy
    (and for DeregisterScalableTarget of a missing target), and accepts DeleteScheduledAction of a missing action;
    callers that treat a delete as done when the resource is gone rely on AWS's code. The wording is moto's
    (unverified).
    """
    key = aas_models.FakeApplicationAutoscalingPolicy.formulate_key(
        service_namespace, resource_id, scalable_dimension, policy_name
    )
    if key not in self.policies:
        raise _object_not_found(
            "No scaling policy found", service_namespace, resource_id, scalable_dimension, f"policy name: {policy_name}"
        )
    _moto_delete_scaling_policy(self, policy_name, service_namespace, resource_id, scalable_dimension)


def _delete_scheduled_action_requires_the_action(
    self: ApplicationAutoscalingBackend,
    service_namespace: str,
    scheduled_action_name: str,
    resource_id: str,
    scalable_dimension: str,
) -> None:
    """DeleteScheduledAction of an action that does not exist fails with ObjectNotFoundException (AWS fact as for
    ``_delete_scaling_policy_requires_the_policy``; moto accepts it silently). The wording is modelled on moto's for
    policies (unverified)."""
    wanted = (service_namespace, scheduled_action_name, resource_id, scalable_dimension)
    if not any(
        (a.service_namespace, a.scheduled_action_name, a.resource_id, a.scalable_dimension) == wanted
        for a in self.scheduled_actions
    ):
        raise _object_not_found(
            "No scheduled action found",
            service_namespace,
            resource_id,
            scalable_dimension,
            f"scheduled action name: {scheduled_action_name}",
        )
    _moto_delete_scheduled_action(self, service_namespace, scheduled_action_name, resource_id, scalable_dimension)


def _describe_scaling_policies_matches_exactly(
    self: ApplicationAutoscalingBackend,
    service_namespace: str,
    resource_id: str | None,
    scalable_dimension: str | None,
    max_results: int | None,
    next_token: str | None,
    policy_names: list[str] | None = None,
) -> tuple[str | None, list[aas_models.FakeApplicationAutoscalingPolicy]]:
    """DescribeScalingPolicies matches ResourceId, ScalableDimension and PolicyNames exactly.

    AWS facts (AAS API Reference, DescribeScalingPolicies): ResourceId is "The identifier of the resource associated
    with the scaling policy" (for SageMaker, ``endpoint/<E>/variant/<V>`` or ``inference-component/<name>``: an
    identifier, not a pattern); PolicyNames are "The names of the scaling policies to describe". moto keeps every
    policy whose resource id (or dimension) is a substring of the one asked, so asking for ``.../variant/AB`` also
    returns the policies of ``.../variant/A``; and it ignores PolicyNames. DescribeScalableTargets (ResourceIds) and
    DescribeScheduledActions (ResourceId, ScheduledActionNames) already match exactly in moto. Paging stays moto's
    (offset tokens, 100 per page by default); ``bench/paging.py`` serves AWS's page sizes where calls are counted.
    """
    policies = [
        policy
        for policy in self.policies.values()
        if policy.service_namespace == service_namespace
        and (not resource_id or policy.resource_id == resource_id)
        and (not scalable_dimension or policy.scalable_dimension == scalable_dimension)
        and (not policy_names or policy.policy_name in policy_names)
    ]
    start = int(next_token) if next_token else 0
    end = start + (max_results or 100)
    return (str(end) if end < len(policies) else None), policies[start:end]


def _describe_scaling_policies_response(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    """The DescribeScalingPolicies action, with PolicyNames passed on (moto's response drops it); see
    ``_describe_scaling_policies_matches_exactly``."""
    next_token, page = _describe_scaling_policies_matches_exactly(
        self.applicationautoscaling_backend,
        service_namespace=self._get_param("ServiceNamespace"),
        resource_id=self._get_param("ResourceId"),
        scalable_dimension=self._get_param("ScalableDimension"),
        max_results=self._get_int_param("MaxResults"),
        next_token=self._get_param("NextToken"),
        policy_names=self._get_param("PolicyNames"),
    )
    return json.dumps({"ScalingPolicies": [aas_responses._build_policy(p) for p in page], "NextToken": next_token})


# AWS fact (aws-facts.md, Application Auto Scaling for SageMaker; AAS API Reference ScalableDimension enum):
# "endpoint/<E>/variant/<V> + sagemaker:variant:DesiredProvisionedConcurrency (serverless provisioned concurrency)" and
# "inference-component/<name> + sagemaker:inference-component:DesiredCopyCount". moto's enum predates both
# (moto-gaps.md: "rejected (ValidationException, old enum)"); this one extends it and replaces it where moto
# validates dimensions (responses._validate_params and models._target_params_are_valid).
_ScalableDimensions = Enum(  # type: ignore[misc]
    "ScalableDimensionValueSet",
    [(member.name, member.value) for member in aas_models.ScalableDimensionValueSet]
    + [
        ("SAGEMAKER_VARIANT_DESIRED_PROVISIONED_CONCURRENCY", "sagemaker:variant:DesiredProvisionedConcurrency"),
        ("SAGEMAKER_INFERENCE_COMPONENT_DESIRED_COPY_COUNT", "sagemaker:inference-component:DesiredCopyCount"),
    ],
)


# --- inference components -------------------------------------------------------------------------------------------
# moto has no inference components at all (moto-gaps.md: "sagemaker inference components | full API | not
# implemented"). The rules below add the part of the API an autoscaling controller uses, with the request and response
# shapes of the botocore service model; components live on the SageMaker backend instance, so moto's resets drop them.

COPY_COUNT_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
_COMPONENT_RESOURCE_ID = re.compile(r"inference-component/(?P<name>[^/]+)")
_COMPONENTS = "_fidelity_inference_components"  # the attribute holding them on a SageMakerModelBackend instance
_LIST_DEFAULT_MAX_RESULTS = 10
_moto_get_resource_from_arn = SageMakerModelBackend._get_resource_from_arn


@dataclass(eq=False)
class _InferenceComponent:
    """One inference component; ``tags`` is the list of {Key, Value} that moto's AddTags/ListTags/DeleteTags use."""

    name: str
    arn: str
    endpoint_name: str
    endpoint_arn: str
    variant_name: str
    specification: dict[str, Any] | None
    specifications: list[dict[str, Any]] | None
    desired_copy_count: int | None
    tags: list[dict[str, str]]
    current_copy_count: int | None = None
    status: str = CREATING
    creation_time: Any = field(default_factory=utcnow)
    last_modified_time: Any = field(default_factory=utcnow)

    def summary(self) -> dict[str, Any]:
        """An InferenceComponentSummary (ListInferenceComponents)."""
        return {
            "InferenceComponentName": self.name,
            "InferenceComponentArn": self.arn,
            "EndpointName": self.endpoint_name,
            "EndpointArn": self.endpoint_arn,
            "VariantName": self.variant_name,
            "InferenceComponentStatus": self.status,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
        }

    def describe(self) -> dict[str, Any]:
        """The DescribeInferenceComponent output."""
        described = self.summary()
        if self.specification is not None:
            described["Specification"] = _specification_summary(self.specification)
        if self.specifications is not None:
            described["Specifications"] = [_specification_summary(s) for s in self.specifications]
        if self.desired_copy_count is not None:
            described["RuntimeConfig"] = {
                "DesiredCopyCount": self.desired_copy_count,
                "CurrentCopyCount": self.current_copy_count or 0,
            }
        return described


def _specification_summary(specification: dict[str, Any]) -> dict[str, Any]:
    """An InferenceComponentSpecification as DescribeInferenceComponent returns it (InferenceComponentSpecification-
    Summary): the container's ``Image`` is reported as ``DeployedImage.SpecifiedImage`` (ResolvedImage, the digest AWS
    resolves, is left out)."""
    summary = copy.deepcopy(specification)
    container = summary.get("Container")
    if isinstance(container, dict) and "Image" in container:
        container["DeployedImage"] = {"SpecifiedImage": container.pop("Image")}
    return summary


def _components(backend: SageMakerModelBackend) -> dict[str, _InferenceComponent]:
    with _lock:
        components: dict[str, _InferenceComponent] | None = vars(backend).get(_COMPONENTS)
        if components is None:
            components = {}
            setattr(backend, _COMPONENTS, components)
        return components


def _component_arn(backend: SageMakerModelBackend, name: str) -> str:
    """``arn:aws:sagemaker:<region>:<account>:inference-component/<name>``, the name lower-cased as in endpoint ARNs
    (aws-facts.md: "The endpoint ARN lower-cases the name")."""
    return sagemaker_arn_formatter("inference-component", name.lower(), backend.account_id, backend.region_name)


def _component(backend: SageMakerModelBackend, name: str) -> _InferenceComponent:
    """The named component, or DescribeInferenceComponent's ValidationException (wording modelled on
    DescribeEndpoint's "Could not find endpoint ...", unverified for components)."""
    _advance()
    component = _components(backend).get(name)
    if component is None:
        raise ValidationError(message=f"Could not find inference component '{_component_arn(backend, name)}'.")
    return component


def _create_inference_component(
    backend: SageMakerModelBackend,
    name: str,
    endpoint_name: str,
    variant_name: str | None,
    specification: dict[str, Any] | None,
    specifications: list[dict[str, Any]] | None,
    runtime_config: dict[str, Any] | None,
    tags: list[dict[str, str]] | None,
) -> str:
    """CreateInferenceComponent: a component on an existing endpoint's variant, Creating -> InService.

    AWS facts (SageMaker API Reference, CreateInferenceComponent: "Creates an inference component, which is a
    SageMaker AI hosting object that you can use to deploy a model to an endpoint"; EndpointName "The name of an
    existing endpoint where you host the inference component"; RuntimeConfig.CopyCount "The number of runtime copies of
    the model container to deploy with the inference component"; DescribeInferenceComponent InferenceComponentStatus
    enum "InService | Creating | Updating | Failed | Deleting"). The status follows the endpoints' lifecycle
    (``endpoint_transition_seconds``); CurrentCopyCount reaches the desired count when it is InService.
    A missing endpoint fails like DescribeEndpoint ("Could not find endpoint ..."). A missing VariantName defaults to
    the endpoint's first variant; an unknown variant, and a name already taken (ARNs lower-case names, so names clash
    case-insensitively), fail with ValidationException: both messages are ours (unverified).
    """
    _advance()
    endpoint = backend.endpoints.get(endpoint_name)
    if endpoint is None:
        raise ValidationError(message=f"Could not find endpoint '{_endpoint_arn(backend, endpoint_name)}'.")
    variants = [variant["VariantName"] for variant in endpoint.production_variants]
    variant_name = variant_name or next(iter(variants), "")
    if variant_name not in variants:
        raise ValidationError(message=f'The variant name "{variant_name}" is not present in endpoint {endpoint_name}.')
    arn = _component_arn(backend, name)
    copy_count = (runtime_config or {}).get("CopyCount")
    with _lock:
        components = _components(backend)
        if any(existing.arn == arn for existing in components.values()):
            raise ValidationError(message=f'Cannot create already existing inference component "{arn}".')
        component = _InferenceComponent(
            name, arn, endpoint_name, endpoint.arn, variant_name, specification, specifications, copy_count, tags or []
        )
        components[name] = component

    def complete() -> None:
        component.current_copy_count = component.desired_copy_count

    _begin_transition(component, CREATING, complete, status_attribute="status")
    return arn


def _list_inference_components(backend: SageMakerModelBackend, params: dict[str, Any]) -> dict[str, Any]:
    """ListInferenceComponents with the EndpointNameEquals, VariantNameEquals, StatusEquals and NameContains filters,
    SortBy/SortOrder, and NextToken/MaxResults paging.

    AWS facts (SageMaker API Reference, ListInferenceComponents): SortBy "The default is CreationTime", SortOrder
    "The default is Descending", MaxResults "This value defaults to 10". The NextToken here is an opaque offset. The
    Creation/LastModifiedTime filters are not implemented (ignored).
    """
    _advance()
    filters = {
        "endpoint_name": params.get("EndpointNameEquals"),
        "variant_name": params.get("VariantNameEquals"),
        "status": params.get("StatusEquals"),
    }
    with _lock:
        components = [
            (position, c)  # the creation order breaks ties
            for position, c in enumerate(_components(backend).values())
            if all(value is None or getattr(c, key) == value for key, value in filters.items())
            and (params.get("NameContains") or "") in c.name
        ]
    sort_key = {"Name": "name", "Status": "status"}.get(params.get("SortBy") or "", "creation_time")
    descending = (params.get("SortOrder") or "Descending") == "Descending"
    components.sort(key=lambda item: (getattr(item[1], sort_key), item[0]), reverse=descending)
    token = params.get("NextToken") or "0"
    if not token.isdigit():
        raise ValidationError(message=f"Invalid pagination token {token}.")
    start, size = int(token), int(params.get("MaxResults") or _LIST_DEFAULT_MAX_RESULTS)
    page: dict[str, Any] = {"InferenceComponents": [c.summary() for _, c in components[start : start + size]]}
    if start + size < len(components):
        page["NextToken"] = str(start + size)
    return page


def _update_inference_component_runtime_config(backend: SageMakerModelBackend, name: str, copy_count: int) -> str:
    """UpdateInferenceComponentRuntimeConfig sets the desired copy count: Updating, then InService with that many
    current copies.

    AWS facts (SageMaker API Reference, UpdateInferenceComponentRuntimeConfig: "Runtime settings for a model that is
    deployed with an inference component"; DesiredRuntimeConfig.CopyCount; DescribeInferenceComponent RuntimeConfig
    DesiredCopyCount / CurrentCopyCount). By analogy with endpoints ("Any update on an endpoint that is
    Creating/Updating fails"), an update of a component that is Creating or Updating fails with ValidationException
    (unverified for components; the message is ours).
    """
    component = _component(backend, name)
    if component.status in (CREATING, UPDATING):
        raise ValidationError(message=f'Cannot update in-progress inference component "{component.arn}".')
    component.desired_copy_count = copy_count

    def complete() -> None:
        component.current_copy_count = component.desired_copy_count

    _begin_transition(component, UPDATING, complete, status_attribute="status")
    return component.arn


def _delete_inference_component(backend: SageMakerModelBackend, name: str) -> None:
    """DeleteInferenceComponent removes the component (at once: the Deleting status is not modelled) and, by analogy
    with endpoints, AAS deregisters its scalable target ``inference-component/<name>`` (and so its policies and
    scheduled actions).

    AWS facts (SageMaker API Reference, DeleteInferenceComponent: "Deletes an inference component"; SageMaker Developer
    Guide, endpoint-delete-with-scaling, for endpoints: deleting an endpoint makes Application Auto Scaling deregister
    its scalable targets, provided the principal may call DeregisterScalableTarget). The same for inference
    components is an analogy, not a documented fact.
    """
    component = _component(backend, name)
    with _lock:
        del _components(backend)[name]
        _state.pending.pop(component, None)
    autoscaling = applicationautoscaling_backends[backend.account_id][backend.region_name]
    for target in autoscaling.describe_scalable_targets(SAGEMAKER, None, None):
        if target.resource_id == f"inference-component/{name}" and target.scalable_dimension == COPY_COUNT_DIMENSION:
            autoscaling.deregister_scalable_target(SAGEMAKER, target.resource_id, target.scalable_dimension)


def _tagging_knows_inference_components(self: SageMakerModelBackend, arn: str) -> Any:
    """AddTags, ListTags and DeleteTags work on inference-component ARNs.

    AWS fact (SageMaker API Reference, CreateInferenceComponent Tags and AddTags: "Adds or overwrites one or more tags
    for the specified SageMaker resource"). moto resolves tagged resources through a table of resource types without
    inference components (plain moto: an internal error). A missing component fails with ValidationException, worded
    like moto's own "Could not find <type> with name <name>" (unverified).
    """
    if ":inference-component/" not in arn:
        return _moto_get_resource_from_arn(self, arn)
    with _lock:
        for component in _components(self).values():
            if component.arn == arn:
                return component
    raise ValidationError(message=f"Could not find inference-component with name {arn.rsplit('/', 1)[-1]}")


def _register_requires_in_service_inference_component(
    self: ApplicationAutoscalingBackend,
    namespace: str,
    r_id: str,
    dimension: str,
    min_capacity: int | None,
    max_capacity: int | None,
    role_arn: str,
    suspended_state: str,
) -> FakeScalableTarget:
    """RegisterScalableTarget for ``inference-component/<name>`` needs an existing InService inference component;
    MinCapacity 0 is allowed (scale to zero).

    AWS facts (aws-facts.md, Application Auto Scaling for SageMaker: "inference-component/<name> +
    sagemaker:inference-component:DesiredCopyCount"; "Registering a target for an endpoint that is not InService fails:
    ValidationException "The status should be in 'InService' to register it as a scalable target"" — the same rule and
    text for inference components is unverified; a missing component answers DescribeInferenceComponent's message,
    also unverified). Scale to zero (SageMaker Developer Guide, endpoint-auto-scaling-zero-instances and
    realtime-endpoints-deploy-models): an inference component's copy count may scale to 0, so MinCapacity 0 is valid
    for it. Variant resource ids go on to ``_register_requires_in_service_variant``.
    """
    match = _COMPONENT_RESOURCE_ID.fullmatch(r_id or "")
    if namespace == SAGEMAKER and dimension == COPY_COUNT_DIMENSION and match:
        sagemaker = sagemaker_backends[self.account_id][self.region_name]
        try:
            component = _component(sagemaker, match["name"])
        except ValidationError as missing:
            raise AWSValidationException(missing.message) from None
        if component.status != IN_SERVICE:
            raise AWSValidationException("The status should be in 'InService' to register it as a scalable target")
    return _register_requires_in_service_variant(
        self, namespace, r_id, dimension, min_capacity, max_capacity, role_arn, suspended_state
    )


def _create_inference_component_response(self: SageMakerResponse) -> ActionResult:
    """The CreateInferenceComponent action (see ``_create_inference_component``)."""
    arn = _create_inference_component(
        self.sagemaker_backend,
        name=self._get_param("InferenceComponentName"),
        endpoint_name=self._get_param("EndpointName"),
        variant_name=self._get_param("VariantName"),
        specification=self._get_param("Specification"),
        specifications=self._get_param("Specifications"),
        runtime_config=self._get_param("RuntimeConfig"),
        tags=self._get_param("Tags"),
    )
    return ActionResult({"InferenceComponentArn": arn})


def _describe_inference_component_response(self: SageMakerResponse) -> ActionResult:
    """The DescribeInferenceComponent action (see ``_component``)."""
    return ActionResult(_component(self.sagemaker_backend, self._get_param("InferenceComponentName")).describe())


def _list_inference_components_response(self: SageMakerResponse) -> ActionResult:
    """The ListInferenceComponents action (see ``_list_inference_components``)."""
    names = ("EndpointNameEquals", "VariantNameEquals", "StatusEquals", "NameContains", "SortBy", "SortOrder")
    params = {name: self._get_param(name) for name in (*names, "NextToken", "MaxResults")}
    return ActionResult(_list_inference_components(self.sagemaker_backend, params))


def _update_inference_component_runtime_config_response(self: SageMakerResponse) -> ActionResult:
    """The UpdateInferenceComponentRuntimeConfig action (see ``_update_inference_component_runtime_config``)."""
    arn = _update_inference_component_runtime_config(
        self.sagemaker_backend,
        self._get_param("InferenceComponentName"),
        int(self._get_param("DesiredRuntimeConfig")["CopyCount"]),
    )
    return ActionResult({"InferenceComponentArn": arn})


def _delete_inference_component_response(self: SageMakerResponse) -> ActionResult:
    """The DeleteInferenceComponent action (see ``_delete_inference_component``)."""
    _delete_inference_component(self.sagemaker_backend, self._get_param("InferenceComponentName"))
    return EmptyResult()


# --- search ---------------------------------------------------------------------------------------------------------

# AWS fact (SageMaker API Reference, the Endpoint data type returned by Search): exactly these members; no
# AsyncInferenceConfig. A unit test keeps this list equal to botocore's service model.
ENDPOINT_RECORD_FIELDS = (
    "EndpointName",
    "EndpointArn",
    "EndpointConfigName",
    "ProductionVariants",
    "DataCaptureConfig",
    "EndpointStatus",
    "FailureReason",
    "CreationTime",
    "LastModifiedTime",
    "MonitoringSchedules",
    "Tags",
    "ShadowProductionVariants",
)
_SEARCH_SORT_KEYS = ("EndpointName", "CreationTime", "LastModifiedTime", "EndpointStatus")
_SEARCH_DEFAULT_MAX_RESULTS = 10  # not documented; the smallest page any SageMaker list uses by default


def _search_endpoints(backend: SageMakerModelBackend, params: dict[str, Any]) -> dict[str, Any]:
    """Search with Resource=Endpoint: AWS's Endpoint records (with Tags), sorted and paged.

    AWS facts (SageMaker API Reference, Search): results are SearchRecord objects whose Endpoint member has the
    ENDPOINT_RECORD_FIELDS (tags included, no AsyncInferenceConfig); SortBy "The default is LastModifiedTime";
    SortOrder defaults to Descending; MaxResults is 1-100. moto's records have the right shape, but come in creation
    order and all in one page whatever SortBy and MaxResults say. SearchExpression filters are not implemented for
    endpoints here: they are refused, never ignored.
    """
    if params.get("SearchExpression"):
        raise ValidationError(message="the fidelity layer does not implement SearchExpression for Endpoint")
    sort_by = params.get("SortBy") or "LastModifiedTime"
    if sort_by not in _SEARCH_SORT_KEYS:
        raise ValidationError(message=f"Cannot sort Endpoint by {sort_by}")
    size = int(params.get("MaxResults") or _SEARCH_DEFAULT_MAX_RESULTS)
    if not 1 <= size <= 100:
        raise ValidationError(message=f"MaxResults {size} is not within 1-100")
    records = []
    for name, endpoint in list(backend.endpoints.items()):
        described = backend.describe_endpoint(name)  # the status as of now (lifecycle rule)
        record = {key: described[key] for key in ENDPOINT_RECORD_FIELDS if described.get(key) is not None}
        record["Tags"] = list(endpoint.tags)
        records.append(record)
    records.sort(key=lambda r: str(r.get(sort_by)), reverse=(params.get("SortOrder") or "Descending") == "Descending")
    token = params.get("NextToken") or "0"
    if not token.isdigit():
        raise ValidationError(message=f"Invalid pagination token {token}.")
    start = int(token)
    page: dict[str, Any] = {"Results": [{"Endpoint": r} for r in records[start : start + size]]}
    if start + size < len(records):
        page["NextToken"] = str(start + size)
    return page


def _search_response(self: SageMakerResponse) -> ActionResult:
    """The Search action: endpoints by ``_search_endpoints``, other resources as moto has them."""
    if self._get_param("Resource") != "Endpoint":
        return _moto_search_response(self)
    names = ("SearchExpression", "SortBy", "SortOrder", "NextToken", "MaxResults")
    return ActionResult(_search_endpoints(self.sagemaker_backend, {name: self._get_param(name) for name in names}))


# --- tags -----------------------------------------------------------------------------------------------------------


def _add_tags_overwrites(self: SageMakerModelBackend, arn: str, tags: list[dict[str, str]]) -> list[dict[str, str]]:
    """AddTags overwrites the value of a key the resource already has.

    AWS fact (SageMaker API Reference, AddTags: "Adds or overwrites one or more tags for the specified SageMaker
    resource"): moto appends a second tag with the same key, and its ListTags paging then breaks.
    """
    resource = self._get_resource_from_arn(arn)
    given = {tag["Key"]: tag for tag in tags}
    resource.tags = [tag for tag in resource.tags if tag["Key"] not in given] + list(given.values())
    return list(resource.tags)


# --- what AWS refuses -----------------------------------------------------------------------------------------------

# The local AWS refuses the requests AWS refuses: first every constraint of the service model (botocore's, walked by
# ``autoscaler.constraints.violations``: types, required, enum, numeric range, length, pattern), then the rules AWS
# documents that a model cannot express (below, each with its source). AWS words a model violation as its services
# do ("1 validation error detected: Value ... at ... failed to satisfy constraint: ..."); that form is seen in AWS's
# answers but not documented, and the wording of the documented rules' refusals is not documented either: the
# messages below are the layer's own where no AWS text is quoted.


def _constraint_text(violation: Violation) -> str:
    """The constraint a member breaks, as AWS's services word it."""
    limit = violation.limit
    match violation.kind:
        case "required":
            return "Member must not be null"
        case "unknown":
            return "Member is not part of the request"
        case "type":
            return f"Member must be of type {limit}"
        case "enum":
            return f"Member must satisfy enum value set: [{', '.join(limit)}]"
        case "min" | "max":
            return f"Member must have value {'greater' if violation.kind == 'min' else 'less'} than or equal to {limit}"
        case "min_length" | "max_length":
            side = "greater" if violation.kind == "min_length" else "less"
            return f"Member must have length {side} than or equal to {limit}"
    return f"Member must satisfy regular expression pattern: {limit}"


def _model_refusal(service: str, operation: str, params: dict[str, Any]) -> str | None:
    """AWS's ValidationException text for the request's violations of the service model, or None."""
    found = violations(input_shape(service, operation), params)
    if not found:
        return None
    parts = []
    for violation in found:
        at = ".".join(f"{p[0].lower()}{p[1:]}" if isinstance(p, str) else f"{p + 1}.member" for p in violation.path)
        parts.append(f"Value '{violation.value}' at '{at}' failed to satisfy constraint: {_constraint_text(violation)}")
    plural = "s" if len(found) > 1 else ""
    return f"{len(found)} validation error{plural} detected: " + "; ".join(parts)


def _capacity_bounds(low: int | None, high: int | None) -> str | None:
    """MinCapacity above MaxCapacity: "you must include both sizes to ensure that the new minimum capacity is not
    greater than the maximum capacity, or the new maximum capacity is not less than the minimum capacity"
    (Application Auto Scaling User Guide, "How scheduled scaling for Application Auto Scaling works"); the same holds
    for the bounds a RegisterScalableTarget sets. The message is the layer's (AWS's wording is not documented)."""
    if low is not None and high is not None and low > high:
        return f"Minimum capacity {low} cannot be greater than maximum capacity {high}"
    return None


def _register_refusal(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> str | None:
    """RegisterScalableTarget: the bounds it leaves (an omitted one keeps the registered target's, as an update)."""
    current = backend.targets.get(params.get("ScalableDimension", ""), {}).get(params.get("ResourceId", ""))
    low = params.get("MinCapacity", getattr(current, "min_capacity", None))
    high = params.get("MaxCapacity", getattr(current, "max_capacity", None))
    return _capacity_bounds(low, high)


# "Values must be in the range of -2^360 to 2^360" (Application Auto Scaling API Reference,
# TargetTrackingScalingPolicyConfiguration, TargetValue).
_TARGET_VALUE_LIMIT = 2.0**360


def _steps_refusal(steps: list[dict[str, Any]]) -> str | None:
    """The step adjustment rules (Application Auto Scaling API Reference, StepAdjustment): "The ranges of your step
    adjustments can't overlap or have a gap. At most one step adjustment can have a null lower bound. If one step
    adjustment has a negative lower bound, then there must be a step adjustment with a null lower bound. At most one
    step adjustment can have a null upper bound. If one step adjustment has a positive upper bound, then there must
    be a step adjustment with a null upper bound. The upper and lower bound can't be null in the same step
    adjustment."; "The upper bound must be greater than the lower bound" (MetricIntervalUpperBound); "At least one
    step adjustment is required if you are adding a new step scaling policy configuration"
    (StepScalingPolicyConfiguration, StepAdjustments)."""
    if not steps:
        return "At least one step adjustment is required"
    ranges = [(s.get("MetricIntervalLowerBound"), s.get("MetricIntervalUpperBound")) for s in steps]
    if any(low is None and high is None for low, high in ranges):
        return "The upper and lower bound can't be null in the same step adjustment"
    if sum(low is None for low, _ in ranges) > 1 or sum(high is None for _, high in ranges) > 1:
        return "At most one step adjustment can have a null lower bound, and at most one a null upper bound"
    if any(low is not None and high is not None and high <= low for low, high in ranges):
        return "The upper bound must be greater than the lower bound"
    if any(low is not None and low < 0 for low, _ in ranges) and all(low is not None for low, _ in ranges):
        return "A step adjustment with a negative lower bound needs a step adjustment with a null lower bound"
    if any(high is not None and high > 0 for _, high in ranges) and all(high is not None for _, high in ranges):
        return "A step adjustment with a positive upper bound needs a step adjustment with a null upper bound"
    ordered = sorted(ranges, key=lambda r: -math.inf if r[0] is None else r[0])
    for (_, high), (low, _) in itertools.pairwise(ordered):
        if high != low:
            return "The ranges of your step adjustments can't overlap or have a gap"
    return None


def _metric_of(configuration: dict[str, Any]) -> str:
    """A target-tracking policy's metric, comparable: the predefined one, or the customized one with its dimensions
    and queries in a canonical order."""
    return json.dumps(
        configuration.get("PredefinedMetricSpecification") or configuration.get("CustomizedMetricSpecification"),
        sort_keys=True,
    )


def _policy_refusal(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> str | None:
    """PutScalingPolicy: the step rules (``_steps_refusal``), the range of TargetValue, and one target-tracking policy
    per metric on a target: several are allowed "provided that each of them uses a different metric" (Application
    Auto Scaling User Guide, "Target tracking scaling policies for Application Auto Scaling"). The message is the one
    AWS answers (seen in public reports of the error; not in AWS's documentation)."""
    step = params.get("StepScalingPolicyConfiguration")
    if step is not None:
        return _steps_refusal(step.get("StepAdjustments") or [])
    tracking = params.get("TargetTrackingScalingPolicyConfiguration")
    if tracking is None:
        return None
    if abs(tracking.get("TargetValue", 0)) > _TARGET_VALUE_LIMIT:
        return f"TargetValue {tracking['TargetValue']} is out of range: values must be in the range of -2^360 to 2^360"
    metric = _metric_of(tracking)
    for policy in backend.policies.values():
        same_target = (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (
            params.get("ServiceNamespace"),
            params.get("ResourceId"),
            params.get("ScalableDimension"),
        )
        other = policy.target_tracking_scaling_policy_configuration
        if same_target and policy.policy_name != params.get("PolicyName") and other and _metric_of(other) == metric:
            return "Only one TargetTrackingScaling policy for a given metric specification is allowed."
    return None


@cache
def _canonical_time_zones() -> frozenset[str]:
    """PutScheduledAction Timezone: "Valid values are the canonical names of the IANA time zones supported by
    Joda-Time (such as Etc/GMT+9 or Pacific/Tahiti)" (Application Auto Scaling API Reference, PutScheduledAction).
    Canonical: the tz database's zones (``Z`` lines of the tzdata package's tzdata.zi) and the zones zone.tab names
    for countries, never its links (US/Pacific) nor its placeholder Factory; and UTC, the API's own default ("If a
    time zone is not provided, UTC is used by default"), which tzdata spells as a link."""
    folder = resources.files("tzdata").joinpath("zoneinfo")
    zones = {line.split()[1] for line in folder.joinpath("tzdata.zi").read_text().splitlines() if line[:2] == "Z "}
    zones |= {
        line.split("\t")[2] for line in folder.joinpath("zone.tab").read_text().splitlines() if line[:1] not in "#"
    }
    return frozenset(zones - {"Factory"} | {"UTC"})


# The years a scheduled action's times can fall in: those a cron expression's Year field takes, "1970-2199"
# (Amazon EventBridge User Guide, "Cron expressions", the syntax AAS's cron follows).
_EARLIEST, _LATEST = datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC)


def _moment(value: Any) -> datetime | None:
    """A timestamp member as sent (epoch seconds in AAS's JSON protocol), in UTC."""
    if isinstance(value, int | float):
        return datetime.fromtimestamp(value, UTC) if -6e10 < value < 6e11 else datetime.max.replace(tzinfo=UTC)
    return None


def _scheduled_refusal(backend: ApplicationAutoscalingBackend, params: dict[str, Any]) -> str | None:
    """PutScheduledAction: a canonical time zone (``_canonical_time_zones``), StartTime and EndTime within the years
    AWS schedules run (``_EARLIEST``), the end after the start, and bounds that do not cross (``_capacity_bounds``)."""
    zone = params.get("Timezone")
    if zone is not None and zone not in _canonical_time_zones():
        return f"Time zone {zone} is not a canonical IANA time zone name"
    start, end = _moment(params.get("StartTime")), _moment(params.get("EndTime"))
    for name, moment in (("StartTime", start), ("EndTime", end)):
        if moment is not None and not _EARLIEST <= moment < _LATEST:
            return f"{name} must fall in the years 1970 to 2199"
    if start is not None and end is not None and end <= start:
        return "EndTime must be after StartTime"
    bounds = params.get("ScalableTargetAction") or {}
    return _capacity_bounds(bounds.get("MinCapacity"), bounds.get("MaxCapacity"))


# PutMetricAlarm ExtendedStatistic: "the following are valid values: p90 tm90 tc90 ts90 wm90 IQM PR(n:m) where n and m
# are values of the metric TC(X%:X%) where X is between 10 and 90 inclusive. TM(X%:X%) ... TS(X%:X%) ... WM(X%:X%)"
# (CloudWatch API Reference, PutMetricAlarm); the numbers of the short forms are percentiles, "between 0 and 100, up
# to 10 decimal places" (CloudWatch User Guide, "CloudWatch statistics definitions").
_PERCENTILE = r"(?:100(?:\.0{1,10})?|\d{1,2}(?:\.\d{1,10})?)"
_BETWEEN_10_AND_90 = r"(?:90(?:\.0{1,10})?|[1-8]\d(?:\.\d{1,10})?)"
_METRIC_VALUE = r"(?:-?\d+(?:\.\d+)?)"
_EXTENDED_STATISTIC = re.compile(
    rf"(?:p|tm|tc|ts|wm){_PERCENTILE}|IQM|PR\({_METRIC_VALUE}?:{_METRIC_VALUE}?\)"
    rf"|(?:TC|TM|TS|WM)\({_BETWEEN_10_AND_90}%:{_BETWEEN_10_AND_90}%\)"
)


def _alarm_refusal(params: dict[str, Any]) -> str | None:
    """PutMetricAlarm (CloudWatch API Reference, PutMetricAlarm):

    - Period: "Valid values are 10, 20, 30, and any multiple of 60", and "An alarm's total current evaluation period
      can be no longer than seven days, so Period multiplied by EvaluationPeriods can't be more than 604,800 seconds.
      For alarms with a period of less than one hour (3,600 seconds), the total evaluation period can't be longer
      than one day (86,400 seconds).";
    - Statistic: "When you call PutMetricAlarm and specify a MetricName, you must specify either Statistic or
      ExtendedStatistic, but not both", ExtendedStatistic one of its valid values (``_EXTENDED_STATISTIC``);
    - TreatMissingData: "Valid Values: breaching | notBreaching | ignore | missing".
    """
    period, periods = params.get("Period"), params.get("EvaluationPeriods")
    if period is not None and period not in (10, 20, 30) and period % 60:
        return f"Period {period} is not valid: valid values are 10, 20, 30, and any multiple of 60"
    if period is not None and periods is not None:
        window = period * periods
        if window > 604_800 or (period < 3600 and window > 86_400):
            return (
                f"Period x EvaluationPeriods is {window} s: it can't be more than 604,800 seconds, nor more than "
                "86,400 seconds for periods of less than one hour"
            )
    if params.get("MetricName") is not None and (params.get("Statistic") is None) == (
        params.get("ExtendedStatistic") is None
    ):
        return "You must specify either Statistic or ExtendedStatistic, but not both"
    extended = params.get("ExtendedStatistic")
    if extended is not None and not _EXTENDED_STATISTIC.fullmatch(extended):
        return f"ExtendedStatistic {extended} is not a valid extended statistic"
    treat = params.get("TreatMissingData")
    if treat is not None and treat not in ("breaching", "notBreaching", "ignore", "missing"):
        return f"TreatMissingData {treat} is not one of breaching, notBreaching, ignore, missing"
    return None


def _refusing_aas(
    operation: str,
    moto_method: Callable[[aas_responses.ApplicationAutoScalingResponse], Any],
    documented: Callable[[ApplicationAutoscalingBackend, dict[str, Any]], str | None],
) -> Callable[[aas_responses.ApplicationAutoScalingResponse], Any]:
    """An Application Auto Scaling action that first refuses what AWS refuses (ValidationException)."""

    def action(self: aas_responses.ApplicationAutoScalingResponse) -> Any:
        params = json.loads(self.body or "{}")
        refusal = _model_refusal("application-autoscaling", operation, params) or documented(
            self.applicationautoscaling_backend, params
        )
        if refusal:
            raise AWSValidationException(refusal)
        return moto_method(self)

    action.__doc__ = (
        f"{operation} refuses what breaks the service model or a documented rule (see {documented.__name__})"
    )
    return action


def _alarm_takes_every_extended_statistic(self: CloudWatchBackend, *args: Any, **kwargs: Any) -> Any:
    """An alarm takes every ExtendedStatistic PutMetricAlarm lists ("p90 tm90 tc90 ts90 wm90 IQM PR(n:m) ...":
    CloudWatch API Reference, PutMetricAlarm); moto refuses all but percentiles ("is not supported"). The alarm is
    made with a percentile standing in, then given the statistic asked for."""
    extended = kwargs.get("extended_statistic")
    if not extended or extended.startswith("p"):
        return _moto_put_metric_alarm_backend(self, *args, **kwargs)
    alarm = _moto_put_metric_alarm_backend(self, *args, **{**kwargs, "extended_statistic": "p50"})
    alarm.extended_statistic = extended
    return alarm


def _put_metric_alarm_refuses(self: CloudWatchResponse) -> Any:
    """PutMetricAlarm refuses what breaks the service model or a documented rule (``_alarm_refusal``) with CloudWatch's
    ValidationError ("The input fails to satisfy the constraints specified by an AWS service": CloudWatch API
    Reference, Common Errors)."""
    params = _plain(self.params)
    refusal = _model_refusal("cloudwatch", "PutMetricAlarm", params) or _alarm_refusal(params)
    if refusal:
        raise CloudWatchValidationError(refusal)
    return _moto_put_metric_alarm(self)


def _plain(value: Any) -> Any:
    """moto's parsed request (mappings that also answer snake_case keys) as plain dicts and lists."""
    if isinstance(value, Mapping):
        items = value.original_dict().items() if hasattr(value, "original_dict") else value.items()
        return {key: _plain(item) for key, item in items}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


# --- installation ---------------------------------------------------------------------------------------------------

_PATCHES: tuple[tuple[object, str, object], ...] = (
    (ApplicationAutoscalingBackend, "register_scalable_target", _register_requires_in_service_inference_component),
    (ApplicationAutoscalingBackend, "put_scaling_policy", _put_scaling_policy_requires_registered_target),
    (ApplicationAutoscalingBackend, "put_scheduled_action", _put_scheduled_action_requires_registered_target),
    (ApplicationAutoscalingBackend, "deregister_scalable_target", _deregister_deletes_policies_and_scheduled_actions),
    (ApplicationAutoscalingBackend, "delete_scaling_policy", _delete_scaling_policy_requires_the_policy),
    (ApplicationAutoscalingBackend, "delete_scheduled_action", _delete_scheduled_action_requires_the_action),
    (ApplicationAutoscalingBackend, "describe_scaling_policies", _describe_scaling_policies_matches_exactly),
    (aas_responses.ApplicationAutoScalingResponse, "describe_scaling_policies", _describe_scaling_policies_response),
    (aas_models, "ScalableDimensionValueSet", _ScalableDimensions),
    (aas_responses, "ScalableDimensionValueSet", _ScalableDimensions),
    (SageMakerModelBackend, "create_endpoint", _create_endpoint_starts_creating),
    (SageMakerModelBackend, "describe_endpoint", _describe_endpoint_advances_lifecycle),
    (SageMakerModelBackend, "list_endpoints", _list_endpoints_advances_lifecycle),
    (FakeEndpoint, "_process_production_variants", _variant_summaries_keep_managed_instance_scaling),
    (
        SageMakerModelBackend,
        "update_endpoint_weights_and_capacities",
        _update_weights_and_capacities_goes_through_updating,
    ),
    (SageMakerModelBackend, "delete_endpoint", _delete_endpoint_deregisters_scalable_targets),
    (SageMakerResponse, "update_endpoint", _update_endpoint_response),
    (SageMakerModelBackend, "_get_resource_from_arn", _tagging_knows_inference_components),
    (SageMakerModelBackend, "add_tags", _add_tags_overwrites),
    (SageMakerResponse, "create_inference_component", _create_inference_component_response),
    (SageMakerResponse, "describe_inference_component", _describe_inference_component_response),
    (SageMakerResponse, "list_inference_components", _list_inference_components_response),
    (
        SageMakerResponse,
        "update_inference_component_runtime_config",
        _update_inference_component_runtime_config_response,
    ),
    (SageMakerResponse, "delete_inference_component", _delete_inference_component_response),
    (SageMakerResponse, "search", _search_response),
    (
        aas_responses.ApplicationAutoScalingResponse,
        "register_scalable_target",
        _refusing_aas("RegisterScalableTarget", _moto_register_response, _register_refusal),
    ),
    (
        aas_responses.ApplicationAutoScalingResponse,
        "put_scaling_policy",
        _refusing_aas("PutScalingPolicy", _moto_put_scaling_policy_response, _policy_refusal),
    ),
    (
        aas_responses.ApplicationAutoScalingResponse,
        "put_scheduled_action",
        _refusing_aas("PutScheduledAction", _moto_put_scheduled_action_response, _scheduled_refusal),
    ),
    (CloudWatchResponse, "put_metric_alarm", _put_metric_alarm_refuses),
    (CloudWatchBackend, "put_metric_alarm", _alarm_takes_every_extended_statistic),
)


def install(config: FidelityConfig | None = None) -> None:
    """Installs the rules (idempotent). A given config replaces the current one; a first install defaults it."""
    with _lock:
        if _state.config is None:
            for owner, name, replacement in _PATCHES:
                _state.saved[(owner, name)] = vars(owner).get(name, _MISSING)
                setattr(owner, name, replacement)
        _state.config = config or _state.config or FidelityConfig()


def uninstall() -> None:
    """Completes pending transitions, then restores moto's original attributes exactly (no-op if not installed)."""
    with _lock:
        if _state.config is None:
            return
        settle()
        for (owner, name), original in _state.saved.items():
            if original is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, original)
        _state.saved.clear()
        _state.config = None


def installed() -> bool:
    """Whether the rules are installed."""
    return _state.config is not None


@contextmanager
def fidelity(config: FidelityConfig | None = None) -> Iterator[None]:
    """Installs the rules for the duration of the block, then restores the previous state."""
    previous = _state.config
    install(config)
    try:
        yield
    finally:
        if previous is None:
            uninstall()
        else:
            install(previous)
