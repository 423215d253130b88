"""Application Auto Scaling rules: targets need an InService endpoint variant or inference component, policies and
scheduled actions need a registered target, deregistering deletes them, deleting something missing is
ObjectNotFoundException, DescribeScalingPolicies matches exactly, SageMaker's newer scalable dimensions exist, and
RegisterScalableTarget, PutScalingPolicy and PutScheduledAction refuse what AWS refuses."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from moto.applicationautoscaling import models as aas_models
from moto.applicationautoscaling import responses as aas_responses
from moto.applicationautoscaling.exceptions import AWSValidationException
from moto.applicationautoscaling.models import (
    ApplicationAutoscalingBackend,
    FakeScalableTarget,
)
from moto.core.exceptions import JsonRESTError
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import sagemaker_backends

from autoscaler.schedules import time_zones
from localaws.fidelity.sagemaker import COPY_COUNT_DIMENSION, _component, _endpoint_arn
from localaws.fidelity.shared import IN_SERVICE, SAGEMAKER, PageSize, _advance, _Item, _model_refusal, page

_COMPONENT_RESOURCE_ID = re.compile(r"inference-component/(?P<name>[^/]+)")

_VARIANT_RESOURCE_ID = re.compile(r"endpoint/(?P<endpoint>[^/]+)/variant/(?P<variant>[^/]+)")


class ObjectNotFoundException(JsonRESTError):  # noqa: N818 - AWS's error code
    """Application Auto Scaling's ObjectNotFoundException (HTTP 400), which moto does not define."""

    def __init__(self, message: str) -> None:
        super().__init__("ObjectNotFoundException", message)


_moto_register_scalable_target = ApplicationAutoscalingBackend.register_scalable_target
_moto_deregister_scalable_target = ApplicationAutoscalingBackend.deregister_scalable_target
_moto_put_scaling_policy = ApplicationAutoscalingBackend.put_scaling_policy
_moto_put_scheduled_action = ApplicationAutoscalingBackend.put_scheduled_action
_moto_delete_scaling_policy = ApplicationAutoscalingBackend.delete_scaling_policy
_moto_delete_scheduled_action = ApplicationAutoscalingBackend.delete_scheduled_action
_moto_register_response = aas_responses.ApplicationAutoScalingResponse.register_scalable_target
_moto_put_scaling_policy_response = aas_responses.ApplicationAutoScalingResponse.put_scaling_policy
_moto_put_scheduled_action_response = aas_responses.ApplicationAutoScalingResponse.put_scheduled_action


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

    AWS fact: registering a target for an endpoint that is not InService fails with ValidationException "The status
    should be in 'InService' to register it as a scalable target" (AWS's answer; its documentation does not word it).
    For a missing endpoint or variant AWS also answers ValidationException, but its wording is not documented: these
    messages reuse SageMaker's own ("Could not find endpoint ..." from DescribeEndpoint; "The variant name(s) ... is/are
    not present within endpoint configuration ..." from UpdateEndpointWeightsAndCapacities) (unverified).
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

    AWS fact (Application Auto Scaling API Reference, ObjectNotFoundException: "For any operation that depends on the
    existence of a scalable target, this exception is thrown if the scalable target with the specified service
    namespace, resource ID, and scalable dimension does not exist."). Message as AWS words it for PutScalingPolicy (moto
    accepts the call).
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

    AWS fact (Application Auto Scaling API Reference, DeregisterScalableTarget: "Deregistering a scalable target deletes
    the scaling policies and the scheduled actions that are associated with it."). Alarms you created for step policies
    stay; alarms the policy owns (target tracking, which moto creates only for DynamoDB and ECS) go with it, as on AWS.
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


# AWS's page sizes, MaxResults of each read (Application Auto Scaling API Reference, the same words in botocore's
# service model): DescribeScalableTargets "This value can be between 1 and 50. The default value is 50.";
# DescribeScalingPolicies "This value can be between 1 and 10. The default value is 10."; DescribeScheduledActions
# "This value can be between 1 and 50. The default value is 50.". moto serves 100 policies a page, every scheduled
# action in one, and a DescribeScalableTargets token that repeats after the second page.
PAGE_SIZES = {
    "DescribeScalableTargets": PageSize(default=50, maximum=50),
    "DescribeScalingPolicies": PageSize(default=10, maximum=10),
    "DescribeScheduledActions": PageSize(default=50, maximum=50),
}


def _aas_page(items: Sequence[_Item], params: dict[str, Any], operation: str) -> tuple[list[_Item], str | None]:
    """One page of a Describe* read at AWS's page size (``PAGE_SIZES``); a size AWS refuses is ValidationException
    (the message is the layer's)."""
    try:
        return page(items, params.get("NextToken"), params.get("MaxResults"), PAGE_SIZES[operation], "MaxResults")
    except ValueError as refused:
        raise AWSValidationException(str(refused)) from None


def _describe_scaling_policies_matches_exactly(
    self: ApplicationAutoscalingBackend,
    service_namespace: str,
    resource_id: str | None,
    scalable_dimension: str | None,
    max_results: int | None,
    next_token: str | None,
    policy_names: list[str] | None = None,
) -> tuple[str | None, list[aas_models.FakeApplicationAutoscalingPolicy]]:
    """DescribeScalingPolicies matches ResourceId, ScalableDimension and PolicyNames exactly, and pages at AWS's size.

    AWS facts (AAS API Reference, DescribeScalingPolicies): ResourceId is "The identifier of the resource associated
    with the scaling policy" (for SageMaker, ``endpoint/<E>/variant/<V>`` or ``inference-component/<name>``: an
    identifier, not a pattern); PolicyNames are "The names of the scaling policies to describe". moto keeps every
    policy whose resource id (or dimension) is a substring of the one asked, so asking for ``.../variant/AB`` also
    returns the policies of ``.../variant/A``; and it ignores PolicyNames. DescribeScalableTargets (ResourceIds) and
    DescribeScheduledActions (ResourceId, ScheduledActionNames) already match exactly in moto. Pages: ``PAGE_SIZES``.
    """
    policies = [
        policy
        for policy in self.policies.values()
        if policy.service_namespace == service_namespace
        and (not resource_id or policy.resource_id == resource_id)
        and (not scalable_dimension or policy.scalable_dimension == scalable_dimension)
        and (not policy_names or policy.policy_name in policy_names)
    ]
    found, token = _aas_page(policies, {"NextToken": next_token, "MaxResults": max_results}, "DescribeScalingPolicies")
    return token, found


def _describe_scaling_policies_response(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    """The DescribeScalingPolicies action, with PolicyNames passed on (moto's response drops it); see
    ``_describe_scaling_policies_matches_exactly``."""
    params = json.loads(self.body or "{}")
    next_token, found = _describe_scaling_policies_matches_exactly(
        self.applicationautoscaling_backend,
        service_namespace=params.get("ServiceNamespace"),
        resource_id=params.get("ResourceId"),
        scalable_dimension=params.get("ScalableDimension"),
        max_results=params.get("MaxResults"),
        next_token=params.get("NextToken"),
        policy_names=params.get("PolicyNames"),
    )
    return json.dumps({"ScalingPolicies": [aas_responses._build_policy(p) for p in found], "NextToken": next_token})


def _describe_scalable_targets_pages(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    """DescribeScalableTargets in pages of AWS's size (``PAGE_SIZES``), the token an offset that never repeats."""
    self._validate_params()
    params = json.loads(self.body or "{}")
    found = self.applicationautoscaling_backend.describe_scalable_targets(
        params.get("ServiceNamespace"), params.get("ResourceIds"), params.get("ScalableDimension")
    )
    targets, token = _aas_page(found, params, "DescribeScalableTargets")
    return json.dumps({"ScalableTargets": [aas_responses._build_target(t) for t in targets], "NextToken": token})


def _describe_scheduled_actions_pages(self: aas_responses.ApplicationAutoScalingResponse) -> str:
    """DescribeScheduledActions in pages of AWS's size (``PAGE_SIZES``); moto serves every action in one page."""
    params = json.loads(self.body or "{}")
    found = self.applicationautoscaling_backend.describe_scheduled_actions(
        scheduled_action_names=params.get("ScheduledActionNames"),
        service_namespace=params.get("ServiceNamespace"),
        resource_id=params.get("ResourceId"),
        scalable_dimension=params.get("ScalableDimension"),
    )
    actions, token = _aas_page(found, params, "DescribeScheduledActions")
    return json.dumps(
        {"ScheduledActions": [aas_responses._build_scheduled_action(a) for a in actions], "NextToken": token}
    )


# AWS fact (Application Auto Scaling API Reference, RegisterScalableTarget, ScalableDimension):
# "endpoint/<E>/variant/<V> + sagemaker:variant:DesiredProvisionedConcurrency (serverless provisioned concurrency)" and
# "inference-component/<name> + sagemaker:inference-component:DesiredCopyCount". moto's enum predates both
# (it refuses them with ValidationException); this one extends it and replaces it where moto
# validates dimensions (responses._validate_params and models._target_params_are_valid).
_ScalableDimensions = Enum(  # type: ignore[misc]
    "ScalableDimensionValueSet",
    [(member.name, member.value) for member in aas_models.ScalableDimensionValueSet]
    + [
        ("SAGEMAKER_VARIANT_DESIRED_PROVISIONED_CONCURRENCY", "sagemaker:variant:DesiredProvisionedConcurrency"),
        ("SAGEMAKER_INFERENCE_COMPONENT_DESIRED_COPY_COUNT", "sagemaker:inference-component:DesiredCopyCount"),
    ],
)


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

    AWS facts (Application Auto Scaling API Reference, RegisterScalableTarget: "inference-component/<name>" with
    sagemaker:inference-component:DesiredCopyCount; an endpoint must be InService to be registered,
    ``_register_requires_in_service_variant`` — the same rule and text for inference components is unverified; a missing
    component answers DescribeInferenceComponent's message, also unverified). Scale to zero (SageMaker Developer Guide,
    "Scale an endpoint to zero instances"): an inference component's copy count may scale to 0, so MinCapacity 0 is
    valid for it. Variant resource ids go on to ``_register_requires_in_service_variant``.
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


def _canonical_time_zones() -> frozenset[str]:
    """PutScheduledAction Timezone: "Valid values are the canonical names of the IANA time zones supported by
    Joda-Time (such as Etc/GMT+9 or Pacific/Tahiti)" (Application Auto Scaling API Reference, PutScheduledAction).
    The same list the controller reads (``autoscaler.schedules.time_zones``: the pinned tzdata package's zones and
    zone.tab names, plus UTC, without links or Factory): one reading of the tz data, not two."""
    return time_zones().canonical


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


PATCHES: tuple[tuple[object, str, object], ...] = (
    (ApplicationAutoscalingBackend, "register_scalable_target", _register_requires_in_service_inference_component),
    (ApplicationAutoscalingBackend, "put_scaling_policy", _put_scaling_policy_requires_registered_target),
    (ApplicationAutoscalingBackend, "put_scheduled_action", _put_scheduled_action_requires_registered_target),
    (ApplicationAutoscalingBackend, "deregister_scalable_target", _deregister_deletes_policies_and_scheduled_actions),
    (ApplicationAutoscalingBackend, "delete_scaling_policy", _delete_scaling_policy_requires_the_policy),
    (ApplicationAutoscalingBackend, "delete_scheduled_action", _delete_scheduled_action_requires_the_action),
    (ApplicationAutoscalingBackend, "describe_scaling_policies", _describe_scaling_policies_matches_exactly),
    (aas_responses.ApplicationAutoScalingResponse, "describe_scaling_policies", _describe_scaling_policies_response),
    (aas_responses.ApplicationAutoScalingResponse, "describe_scalable_targets", _describe_scalable_targets_pages),
    (aas_responses.ApplicationAutoScalingResponse, "describe_scheduled_actions", _describe_scheduled_actions_pages),
    (aas_models, "ScalableDimensionValueSet", _ScalableDimensions),
    (aas_responses, "ScalableDimensionValueSet", _ScalableDimensions),
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
)
