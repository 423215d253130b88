"""AWS fidelity layer: makes moto behave like AWS where the controller depends on it.

moto (5.2.x) differs from AWS on some of the controller's paths. Each rule is a small patch on one of moto's backend
or response classes, made at class level so that it holds in-process under ``moto.mock_aws`` and in a ``moto_server``
running in this process (``localaws.server``); moto's own resets replace backend *instances*, never classes, so they
keep the rules. Every rule's docstring quotes the AWS document it encodes. One module per service
(AAS: Application Auto Scaling; autoscaling: the module application_autoscaling):

service     AWS behaviour                                         AWS source
sagemaker   endpoints go Creating / Updating -> InService; no     SageMaker API Reference, DescribeEndpoint,
            update while one is in progress                       UpdateEndpointWeightsAndCapacities
sagemaker   UpdateEndpoint exists; it keeps an autoscaled         SageMaker API Reference, UpdateEndpoint; "Update
            variant's instance type and the variant               endpoints that use auto scaling"
sagemaker   DescribeEndpoint shows AsyncInferenceConfig and each  SageMaker API Reference, DescribeEndpoint,
            variant's ManagedInstanceScaling                      ProductionVariantSummary
sagemaker   deleting an endpoint deregisters its scalable         "Delete endpoints configured for auto scaling"
            targets
sagemaker   inference components: create, describe, list,         SageMaker API Reference, CreateInferenceComponent
            update, delete, tags                                  and the others
sagemaker   Search over endpoints sorts and pages (MaxResults     SageMaker API Reference, Search,
            1-100, 10 when not given: undocumented);              ListInferenceComponents
            ListInferenceComponents pages 10 by default, 100 at
            most
sagemaker   AddTags overwrites an existing key                    SageMaker API Reference, AddTags
sagemaker   an endpoint's ARN lower-cases its name; a name taken  SageMaker API Reference, CreateEndpoint; SageMaker
            in another case is refused; Search filters endpoints  Developer Guide, CloudTrail entries; Search, Filter
            on EndpointArn (Equals) and Tags.<key> (Exists)       (module sagemaker_names)
autoscaling registering needs an InService endpoint variant or    AWS's answer (not worded in its documentation)
            inference component
autoscaling policies and scheduled actions need a registered      AAS API Reference, ObjectNotFoundException
            target; deleting what is missing is
            ObjectNotFoundException
autoscaling deregistering deletes the target's policies and       AAS API Reference, DeregisterScalableTarget
            scheduled actions
autoscaling DescribeScalingPolicies matches ResourceId and        AAS API Reference, DescribeScalingPolicies
            PolicyNames exactly
autoscaling the provisioned-concurrency and copy-count            AAS API Reference, RegisterScalableTarget
            dimensions exist
autoscaling RegisterScalableTarget, PutScalingPolicy and          botocore's service model; AAS API Reference,
            PutScheduledAction refuse what AWS refuses            StepAdjustment, PutScheduledAction; AAS User Guide,
                                                                  "Target tracking scaling policies for Application
                                                                  Auto Scaling"
autoscaling DescribeScalableTargets and DescribeScheduledActions  AAS API Reference (and botocore's model), MaxResults
            page 50 at most, DescribeScalingPolicies 10           of each
cloudwatch  PutMetricAlarm refuses what AWS refuses and takes     botocore's service model; CloudWatch API Reference,
            every extended statistic                              PutMetricAlarm
cloudwatch  DescribeAlarms pages MaxRecords 1-100 (50 when not    CloudWatch API Reference, DescribeAlarms
            given: undocumented)
quotas      AAS's scalable-target quota for SageMaker: default    Service Quotas API Reference, GetServiceQuota,
            500 (L-1AAF0700), no applied value until granted      GetAWSDefaultServiceQuota; AAS User Guide, "Quotas
            (NoSuchResourceException), GetAWSDefaultServiceQuota  for Application Auto Scaling"

Resource Groups Tagging GetResources needs no rule: moto pages it as AWS documents (ResourcesPerPage "a minimum of 1
and a maximum value of 100": Resource Groups Tagging API Reference, GetResources).

``shared`` holds what the services share: the configuration, the transitions, the model refusal (the constraint walker
of ``layers/common/autoscaler/constraints.py``) and the paging. ``install()`` / ``uninstall()`` (or the ``fidelity()``
context manager) switch the rules on and off; ``uninstall`` puts moto's original attributes back exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from localaws.fidelity import application_autoscaling, cloudwatch, sagemaker, sagemaker_names, service_quotas
from localaws.fidelity.application_autoscaling import ObjectNotFoundException
from localaws.fidelity.sagemaker import ENDPOINT_RECORD_FIELDS
from localaws.fidelity.service_quotas import grant_quota
from localaws.fidelity.shared import _MISSING, FidelityConfig, _lock, _state, settle

__all__ = [
    "ENDPOINT_RECORD_FIELDS",
    "FidelityConfig",
    "ObjectNotFoundException",
    "fidelity",
    "grant_quota",
    "install",
    "installed",
    "settle",
    "uninstall",
]

PATCHES: tuple[tuple[object, str, object], ...] = (
    *application_autoscaling.PATCHES,
    *sagemaker.PATCHES,
    *sagemaker_names.PATCHES,
    *cloudwatch.PATCHES,
    *service_quotas.PATCHES,
)


def install(config: FidelityConfig | None = None) -> None:
    """Installs the rules (idempotent). A given config replaces the current one; a first install defaults it."""
    with _lock:
        if _state.config is None:
            for owner, name, replacement in PATCHES:
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
