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
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
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
from moto.core.exceptions import JsonRESTError
from moto.core.responses import ActionResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend, sagemaker_backends
from moto.sagemaker.responses import SageMakerResponse

__all__ = ["FidelityConfig", "ObjectNotFoundException", "fidelity", "install", "installed", "settle", "uninstall"]

SAGEMAKER = "sagemaker"
IN_SERVICE = "InService"
CREATING = "Creating"
UPDATING = "Updating"

_VARIANT_RESOURCE_ID = re.compile(r"endpoint/(?P<endpoint>[^/]+)/variant/(?P<variant>[^/]+)")
_COUNTED_FIELDS = ("InstanceCount", "Weight")


@dataclass(frozen=True)
class FidelityConfig:
    """How the layer behaves.

    ``endpoint_transition_seconds``: how long an endpoint stays Creating after CreateEndpoint, and Updating after
    UpdateEndpointWeightsAndCapacities / UpdateEndpoint, measured on ``clock`` (injectable for deterministic tests).
    """

    endpoint_transition_seconds: float = 0.0
    clock: Callable[[], float] = time.monotonic


class ObjectNotFoundException(JsonRESTError):  # noqa: N818 - AWS's error code
    """Application Auto Scaling's ObjectNotFoundException (HTTP 400), which moto does not define."""

    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


@dataclass
class _Transition:
    """A pending Creating/Updating -> InService transition of one endpoint."""

    ready_at: float
    complete: Callable[[], None] | None = None


_MISSING = object()


@dataclass
class _State:
    config: FidelityConfig | None = None
    saved: dict[tuple[object, str], object] = field(default_factory=dict)
    pending: WeakKeyDictionary[FakeEndpoint, _Transition] = field(default_factory=WeakKeyDictionary)


_state = _State()
# Re-entrant: moto_server serves requests on several threads, and a rule may call another patched method.
_lock = threading.RLock()

# moto's implementations, which the rules wrap.
_moto_register_scalable_target = ApplicationAutoscalingBackend.register_scalable_target
_moto_deregister_scalable_target = ApplicationAutoscalingBackend.deregister_scalable_target
_moto_put_scaling_policy = ApplicationAutoscalingBackend.put_scaling_policy
_moto_put_scheduled_action = ApplicationAutoscalingBackend.put_scheduled_action
_moto_create_endpoint = SageMakerModelBackend.create_endpoint
_moto_describe_endpoint = SageMakerModelBackend.describe_endpoint
_moto_list_endpoints = SageMakerModelBackend.list_endpoints
_moto_delete_endpoint = SageMakerModelBackend.delete_endpoint
_moto_update_endpoint_weights_and_capacities = SageMakerModelBackend.update_endpoint_weights_and_capacities


# --- endpoint lifecycle ---------------------------------------------------------------------------------------------


def _begin_transition(endpoint: FakeEndpoint, status: str, complete: Callable[[], None] | None = None) -> None:
    config = _state.config or FidelityConfig()
    with _lock:
        endpoint.endpoint_status = status
        endpoint.last_modified_time = utcnow()
        _state.pending[endpoint] = _Transition(config.clock() + config.endpoint_transition_seconds, complete)


def _advance(now: float | None = None) -> None:
    """Completes every pending transition that is due at ``now`` (default: the config clock's current time)."""
    if now is None:
        now = (_state.config or FidelityConfig()).clock()
    with _lock:
        for endpoint, transition in list(_state.pending.items()):
            if now >= transition.ready_at:
                del _state.pending[endpoint]
                if transition.complete is not None:
                    transition.complete()
                endpoint.endpoint_status = IN_SERVICE
                endpoint.last_modified_time = utcnow()


def settle() -> None:
    """Completes every pending transition now: all Creating/Updating endpoints become InService."""
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
    "RetainAllVariantProperties keeps current counts". While Updating, DescribeEndpoint still shows the old config
    and variants; the new ones are in place once the endpoint is InService again. An update that changes the instance
    type of, or removes, a variant registered as a scalable target fails (``_reject_autoscaled_variant_changes``).
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
            variant.update(current.get(variant["VariantName"], {}))

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
    Inference-component resource ids are not checked.
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


def _require_registered_target(
    backend: ApplicationAutoscalingBackend, namespace: str, resource_id: str, dimension: str
) -> None:
    """Operations on a scalable target need the target to be registered.

    AWS fact (aws-facts.md: "PutScalingPolicy on an unregistered target fails with ObjectNotFoundException"; AAS API
    Reference, ObjectNotFoundException: "For any operation that depends on the existence of a scalable target, this
    exception is thrown if the scalable target with the specified service namespace, resource ID, and scalable
    dimension does not exist."). Message as AWS words it (moto-gaps.md: moto accepts the call).
    """
    target = backend.targets.get(dimension, {}).get(resource_id)
    if target is None or target.service_namespace != namespace:
        raise ObjectNotFoundException(
            f"No scalable target registered for service namespace: {namespace}, resource ID: {resource_id}, "
            f"scalable dimension: {dimension}"
        )


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
    """
    _moto_deregister_scalable_target(self, namespace, r_id, dimension)
    for policy in list(self.policies.values()):
        if (policy.service_namespace, policy.resource_id, policy.scalable_dimension) == (namespace, r_id, dimension):
            self.delete_scaling_policy(policy.policy_name, namespace, r_id, dimension)
    self.scheduled_actions = [
        action
        for action in self.scheduled_actions
        if (action.service_namespace, action.resource_id, action.scalable_dimension) != (namespace, r_id, dimension)
    ]


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


# --- installation ---------------------------------------------------------------------------------------------------

_PATCHES: tuple[tuple[object, str, object], ...] = (
    (ApplicationAutoscalingBackend, "register_scalable_target", _register_requires_in_service_variant),
    (ApplicationAutoscalingBackend, "put_scaling_policy", _put_scaling_policy_requires_registered_target),
    (ApplicationAutoscalingBackend, "put_scheduled_action", _put_scheduled_action_requires_registered_target),
    (ApplicationAutoscalingBackend, "deregister_scalable_target", _deregister_deletes_policies_and_scheduled_actions),
    (aas_models, "ScalableDimensionValueSet", _ScalableDimensions),
    (aas_responses, "ScalableDimensionValueSet", _ScalableDimensions),
    (SageMakerModelBackend, "create_endpoint", _create_endpoint_starts_creating),
    (SageMakerModelBackend, "describe_endpoint", _describe_endpoint_advances_lifecycle),
    (SageMakerModelBackend, "list_endpoints", _list_endpoints_advances_lifecycle),
    (
        SageMakerModelBackend,
        "update_endpoint_weights_and_capacities",
        _update_weights_and_capacities_goes_through_updating,
    ),
    (SageMakerModelBackend, "delete_endpoint", _delete_endpoint_deregisters_scalable_targets),
    (SageMakerResponse, "update_endpoint", _update_endpoint_response),
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
