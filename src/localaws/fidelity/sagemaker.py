"""SageMaker rules: endpoints go Creating / Updating -> InService, UpdateEndpoint exists and keeps autoscaled variants,
DescribeEndpoint shows AsyncInferenceConfig and the variants' ManagedInstanceScaling, deleting an endpoint deregisters
its scalable targets, inference components exist, Search over endpoints sorts and pages, AddTags overwrites."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.core.responses import ActionResult, EmptyResult
from moto.core.utils import utcnow
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse
from moto.sagemaker.utils import arn_formatter as sagemaker_arn_formatter

from localaws.fidelity.sagemaker_names import endpoint_by_arn, matches, refuse_a_name_taken_in_any_case
from localaws.fidelity.shared import (
    CREATING,
    SAGEMAKER,
    UPDATING,
    PageSize,
    _advance,
    _begin_transition,
    _Item,
    _lock,
    _state,
    page,
)

_COUNTED_FIELDS = ("InstanceCount", "Weight")
_RETAINED_VARIANT_FIELDS = ("CurrentInstanceCount", "DesiredInstanceCount", "CurrentWeight", "DesiredWeight")

_moto_create_endpoint = SageMakerModelBackend.create_endpoint
_moto_describe_endpoint = SageMakerModelBackend.describe_endpoint
_moto_list_endpoints = SageMakerModelBackend.list_endpoints
_moto_delete_endpoint = SageMakerModelBackend.delete_endpoint
_moto_update_endpoint_weights_and_capacities = SageMakerModelBackend.update_endpoint_weights_and_capacities
_moto_search_response = SageMakerResponse.search
_moto_process_production_variants = FakeEndpoint._process_production_variants


def _endpoint_arn(backend: SageMakerModelBackend, endpoint_name: str) -> str:
    return FakeEndpoint.arn_formatter(endpoint_name, backend.account_id, backend.region_name)


def _reject_update_in_progress(backend: SageMakerModelBackend, endpoint_name: str) -> None:
    """Any update of an endpoint that is Creating or Updating fails.

    AWS fact (SageMaker API Reference, UpdateEndpointWeightsAndCapacities / UpdateEndpoint):
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

    AWS fact (SageMaker API Reference, DescribeEndpoint, the EndpointStatus enum
    "OutOfService|Creating|Updating|...|InService|..."): "sagemaker DescribeEndpoint: Creating -> InService,
    Updating on updates" (moto: "always InService at once"). The status is evaluated lazily, whenever
    DescribeEndpoint, ListEndpoints, an update or RegisterScalableTarget looks at it.
    """
    refuse_a_name_taken_in_any_case(self, endpoint_name)
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

    AWS fact (SageMaker API Reference, UpdateEndpointWeightsAndCapacities): it "sets the
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

    AWS facts (SageMaker API Reference, UpdateEndpoint): "Any update on an endpoint that is
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

    AWS fact (SageMaker Developer Guide, "Update endpoints that use auto scaling"): "When you update an endpoint,
    Application Auto Scaling checks to see whether any of the models on that endpoint are targets for auto scaling. If
    the update would change the instance type for any model that is a target for auto scaling, the update fails ...
    Before you update the endpoint, ... deregister the variant as a scalable target". Steps 1 and 7 are needed only for
    "changing the instance type of a production variant configured for auto scaling" and "removing a production variant
    configured for auto scaling"; changing the model is allowed. AWS documents no error text: the message here is ours.
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

    AWS fact (SageMaker Developer Guide, "Delete endpoints configured for auto scaling"): "Deleting an endpoint: AAS
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


# --- inference components -------------------------------------------------------------------------------------------
# moto has no inference components at all (moto 5.2 implements none of their operations). The rules below add the part
# of the API an autoscaling controller uses, with the request and response shapes of the botocore service model;
# components live on the SageMaker backend instance, so moto's resets drop them.

COPY_COUNT_DIMENSION = "sagemaker:inference-component:DesiredCopyCount"
_COMPONENTS = "_fidelity_inference_components"  # the attribute holding them on a SageMakerModelBackend instance
# ListInferenceComponents MaxResults: "The maximum number of inference components to return in the response. This value
# defaults to 10." (SageMaker API Reference, ListInferenceComponents), 1 to 100 (botocore's service model).
LIST_INFERENCE_COMPONENTS_PAGE = PageSize(default=10, maximum=100)
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
    (SageMaker lower-cases the name in an endpoint's ARN)."""
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
    found, token = _sagemaker_page([c for _, c in components], params, LIST_INFERENCE_COMPONENTS_PAGE)
    answer: dict[str, Any] = {"InferenceComponents": [c.summary() for c in found]}
    if token:
        answer["NextToken"] = token
    return answer


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
    Guide, "Delete endpoints configured for auto scaling", for endpoints: deleting an endpoint makes Application Auto
    Scaling deregister its scalable targets, provided the principal may call DeregisterScalableTarget). The same for
    inference components is an analogy, not a documented fact.
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
    if ":endpoint/" in arn:
        return endpoint_by_arn(self, arn)
    if ":inference-component/" not in arn:
        return _moto_get_resource_from_arn(self, arn)
    with _lock:
        for component in _components(self).values():
            if component.arn == arn:
                return component
    raise ValidationError(message=f"Could not find inference-component with name {arn.rsplit('/', 1)[-1]}")


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
# Search MaxResults: "The maximum number of results to return", 1 to 100 (SageMaker API Reference, Search; botocore's
# service model: min 1, max 100). The size of a page when MaxResults is not given is not documented: 10 here, the
# default of SageMaker's List* operations (ListInferenceComponents above).
SEARCH_PAGE = PageSize(default=10, maximum=100)


def _sagemaker_page(items: Sequence[_Item], params: dict[str, Any], size: PageSize) -> tuple[list[_Item], str | None]:
    """One page at AWS's size; a size AWS refuses, or a token it never gave, is ValidationException (the messages are
    the layer's)."""
    requested = params.get("MaxResults")
    try:
        return page(items, params.get("NextToken"), int(requested) if requested else None, size, "MaxResults")
    except ValueError as refused:
        raise ValidationError(message=str(refused)) from None


def _search_endpoints(backend: SageMakerModelBackend, params: dict[str, Any]) -> dict[str, Any]:
    """Search with Resource=Endpoint: AWS's Endpoint records (with Tags), sorted and paged.

    AWS facts (SageMaker API Reference, Search): results are SearchRecord objects whose Endpoint member has the
    ENDPOINT_RECORD_FIELDS (tags included, no AsyncInferenceConfig); SortBy "The default is LastModifiedTime";
    SortOrder defaults to Descending; MaxResults is 1-100. moto's records have the right shape, but come in creation
    order and all in one page whatever SortBy and MaxResults say, and ignore the SearchExpression. Filters on the ARN
    and on tags are implemented (``sagemaker_names.matches``); any other is refused, never ignored.
    """
    matches({}, params.get("SearchExpression"))  # refuses an expression the layer does not implement, at once
    sort_by = params.get("SortBy") or "LastModifiedTime"
    if sort_by not in _SEARCH_SORT_KEYS:
        raise ValidationError(message=f"Cannot sort Endpoint by {sort_by}")
    records = []
    for name, endpoint in list(backend.endpoints.items()):
        described = backend.describe_endpoint(name)  # the status as of now (lifecycle rule)
        record = {key: described[key] for key in ENDPOINT_RECORD_FIELDS if described.get(key) is not None}
        record["Tags"] = list(endpoint.tags)
        if matches(record, params.get("SearchExpression")):
            records.append(record)
    records.sort(key=lambda r: str(r.get(sort_by)), reverse=(params.get("SortOrder") or "Descending") == "Descending")
    found, token = _sagemaker_page(records, params, SEARCH_PAGE)
    answer: dict[str, Any] = {"Results": [{"Endpoint": r} for r in found]}
    if token:
        answer["NextToken"] = token
    return answer


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


PATCHES: tuple[tuple[object, str, object], ...] = (
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
)
