"""Tags + profile + endpoint description -> EndpointSpec: precedence, limits, metrics, validation with sources."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from autoscaler.constants import METRIC_CONCURRENT_REQUESTS_HIGH_RES, METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.errors import ConfigError
from autoscaler.profiles import parse_profile
from autoscaler.settings import Settings
from autoscaler.sources import Desired, desire
from autoscaler.spec import (
    AdoptMode,
    CustomMetric,
    MetricMath,
    PredefinedMetric,
    SuspendedState,
    VariantKind,
)
from autoscaler.state import ComponentInfo, EndpointInfo, Hardware, ManagedInstanceScaling, VariantInfo
from autoscaler.tags import ProfileRef

SETTINGS = Settings(max_capacity_ceiling=20)
DEFAULT = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]}
HARDWARE = {"ml.m5.xlarge": Hardware(4, 0), "ml.g5.12xlarge": Hardware(48, 4)}


def endpoint(*variants: VariantInfo) -> EndpointInfo:
    variants = variants or (VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.m5.xlarge"),)
    return EndpointInfo("ep", "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep", "InService", "cfg", variants)


def spec_for(tags: dict[str, str], ep: EndpointInfo | None = None, **profiles: dict[str, Any]) -> Desired:
    texts = {"default": DEFAULT, **profiles}

    def load(ref: ProfileRef) -> Any:
        if ref.name not in texts:
            raise ConfigError([])
        return parse_profile(json.dumps(texts[ref.name]), f"profile {ref.name}")

    return desire(ep or endpoint(), tags, SETTINGS, profiles=load, hardware=HARDWARE.get)


ON = {"autoscaling:enabled": "true"}


def test_enabled_alone_gives_the_default_profile() -> None:
    (variant,) = spec_for(ON).spec.variants
    assert (variant.min_capacity, variant.max_capacity) == (1, 4)
    (policy,) = variant.policies
    assert policy.metric == PredefinedMetric(METRIC_INVOCATIONS_PER_INSTANCE)
    assert policy.target == 70.0
    assert policy.name == "autoscaler-AllTraffic-invocations"


def test_not_opted_in_manages_nothing_and_ignores_other_tags() -> None:
    for tags in ({}, {"autoscaling:enabled": "false", "autoscaling:max": "lots"}):
        assert spec_for(tags).spec.variants == ()


def test_invalid_enabled_rejects_instead_of_opting_out() -> None:
    with pytest.raises(ConfigError) as caught:
        spec_for({"autoscaling:enabled": "ture"})
    assert caught.value.problems[0].source == "autoscaling:enabled"


def test_tags_set_bounds_targets_cooldowns_and_suspend() -> None:
    desired = spec_for(
        {
            **ON,
            "autoscaling:min": "2",
            "autoscaling:max": "6",
            "autoscaling:target-invocations": "120",
            "autoscaling:target-concurrency": "3",
            "autoscaling:target-memory": "80",
            "autoscaling:scale-in-cooldown": "900",
            "autoscaling:disable-scale-in": "true",
            "autoscaling:suspend": "scheduled",
            "autoscaling:adopt": "replace",
        }
    )
    (variant,) = desired.spec.variants
    assert (variant.min_capacity, variant.max_capacity) == (2, 6)
    assert variant.suspended == SuspendedState(scheduled=True)
    assert desired.spec.adopt is AdoptMode.REPLACE
    by_key = {p.metric_key: p for p in variant.policies}
    assert by_key["invocations"].target == 120
    assert by_key["concurrency"].metric == PredefinedMetric(METRIC_CONCURRENT_REQUESTS_HIGH_RES)
    assert by_key["memory"].metric == CustomMetric(
        "/aws/sagemaker/Endpoints",
        "MemoryUtilization",
        "Average",
        (("EndpointName", "ep"), ("VariantName", "AllTraffic")),
    )
    assert all(p.scale_in_cooldown == 900 and p.scale_out_cooldown == 300 for p in variant.policies)
    assert all(p.disable_scale_in for p in variant.policies)


def test_tag_target_replaces_only_the_target_of_the_profile_policy_on_that_metric() -> None:
    profile = {
        **DEFAULT,
        "target_tracking": [
            {"metric": "invocations", "target": 70, "scale_in_cooldown": 600, "disable_scale_in": True},
            {"metric": "concurrency", "target": 4},
        ],
    }
    (variant,) = spec_for(
        {**ON, "autoscaling:profile": "p", "autoscaling:target-invocations": "90"}, p=profile
    ).spec.variants
    by_key = {p.metric_key: p for p in variant.policies}
    assert (by_key["invocations"].target, by_key["invocations"].scale_in_cooldown) == (90, 600)
    assert by_key["invocations"].disable_scale_in is True
    assert by_key["concurrency"].target == 4


def test_precedence_profile_top_then_profile_variant_then_endpoint_tags_then_variant_tags() -> None:
    ep = endpoint(
        VariantInfo("A", VariantKind.INSTANCE, "ml.m5.xlarge"), VariantInfo("B", VariantKind.INSTANCE, "ml.m5.xlarge")
    )
    profile = {**DEFAULT, "min": 1, "max": 4, "variants": {"A": {"max": 6}, "B": {"min": 2, "max": 8}}}
    desired = spec_for(
        {**ON, "autoscaling:profile": "p", "autoscaling:max": "5", "autoscaling:B:max": "9"}, ep, p=profile
    )
    a, b = desired.spec.variants
    assert (a.min_capacity, a.max_capacity) == (1, 5)  # endpoint tag beats the profile's variant section
    assert (b.min_capacity, b.max_capacity) == (2, 9)  # variant tag beats everything


def test_tag_max_above_the_profile_limits_is_rejected_naming_the_tag() -> None:
    profile = {**DEFAULT, "limits": {"max": 6}}
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:profile": "p", "autoscaling:max": "7"}, p=profile)
    assert [(p.source, p.message) for p in caught.value.problems] == [
        ("autoscaling:max", "max 7 is above the profile's limits.max 6")
    ]


def test_cpu_target_divides_by_the_instance_type_vcpu_count() -> None:
    (variant,) = spec_for({**ON, "autoscaling:target-cpu": "70"}).spec.variants
    cpu = next(p for p in variant.policies if p.metric_key == "cpu")
    assert isinstance(cpu.metric, MetricMath)
    returned = [q for q in cpu.metric.queries if q.return_data]
    assert [q.expression for q in returned] == ["cpu / 4"]
    source = next(q for q in cpu.metric.queries if q.metric)
    assert source.metric.name == "CPUUtilization"
    assert source.metric.dimensions == (("EndpointName", "ep"), ("VariantName", "AllTraffic"))


def test_gpu_target_divides_by_the_gpu_count_and_needs_a_gpu() -> None:
    gpu_ep = endpoint(VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.g5.12xlarge"))
    (variant,) = spec_for({**ON, "autoscaling:target-gpu": "60"}, gpu_ep).spec.variants
    gpu = next(p for p in variant.policies if p.metric_key == "gpu")
    assert [q.expression for q in gpu.metric.queries if q.return_data] == ["gpu / 4"]
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:target-gpu": "60"})
    assert "has no GPU" in str(caught.value)


def test_unknown_instance_type_rejects_cpu_targets() -> None:
    ep = endpoint(VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.mystery.large"))
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:target-cpu": "50"}, ep)
    assert caught.value.problems[0].source == "autoscaling:target-cpu"


def test_custom_metric_placeholders_and_default_dimensions() -> None:
    profile = {
        **DEFAULT,
        "target_tracking": [
            {
                "metric": {"namespace": "Acme", "name": "QueueDepth", "dimensions": {"Model": "{endpoint}-{variant}"}},
                "target": 10,
            },
            {"metric": {"namespace": "AWS/SageMaker", "name": "ApproximateBacklogSizePerInstance"}, "target": 5},
            {"metric": {"namespace": "Acme", "name": "Latency", "statistic": "Maximum"}, "target": 200},
        ],
    }
    (variant,) = spec_for({**ON, "autoscaling:profile": "p"}, p=profile).spec.variants
    by_key = {p.metric_key: p.metric for p in variant.policies}
    assert by_key["queuedepth"].dimensions == (("Model", "ep-AllTraffic"),)
    assert by_key["approximatebacklogsizeperinstance"].dimensions == (("EndpointName", "ep"),)
    assert by_key["latency"].dimensions == (("EndpointName", "ep"), ("VariantName", "AllTraffic"))


def test_step_policy_and_its_alarm_are_named_for_endpoint_variant_and_step() -> None:
    profile = {
        **DEFAULT,
        "step_scaling": [
            {
                "name": "latency",
                "metric": {"namespace": "AWS/SageMaker", "name": "OverheadLatency"},
                "comparison": ">=",
                "threshold": 100000,
                "adjustment_type": "change",
                "steps": [{"lower": 0, "upper": 50000, "adjustment": 1}, {"lower": 50000, "adjustment": 3}],
            }
        ],
    }
    (variant,) = spec_for({**ON, "autoscaling:profile": "p"}, p=profile).spec.variants
    ((policy, alarm),) = variant.step_policies
    assert policy.name == "autoscaler-AllTraffic-step-latency"
    assert alarm.name == "autoscaler/ep/AllTraffic/latency"
    assert alarm.comparison == "GreaterThanOrEqualToThreshold"
    assert alarm.metric.dimensions == (("EndpointName", "ep"), ("VariantName", "AllTraffic"))
    assert alarm.policy_name == policy.name


def test_missing_profile_is_rejected_not_replaced() -> None:
    with pytest.raises(ConfigError):
        spec_for({**ON, "autoscaling:profile": "absent"})


def test_variant_tags_override_endpoint_tags_for_that_variant_only() -> None:
    ep = endpoint(VariantInfo("A", VariantKind.INSTANCE), VariantInfo("B", VariantKind.INSTANCE))
    desired = spec_for(
        {**ON, "autoscaling:max": "5", "autoscaling:B:max": "8", "autoscaling:B:target-invocations": "30"}, ep
    )
    a, b = desired.spec.variants
    assert (a.variant, a.max_capacity, a.policies[0].target) == ("A", 5, 70.0)
    assert (b.variant, b.max_capacity, b.policies[0].target) == ("B", 8, 30.0)


def test_variant_enabled_false_leaves_that_variant_unmanaged() -> None:
    ep = endpoint(VariantInfo("A", VariantKind.INSTANCE), VariantInfo("B", VariantKind.INSTANCE))
    desired = spec_for({**ON, "autoscaling:B:enabled": "false"}, ep)
    assert [v.variant for v in desired.spec.variants] == ["A"]


def test_unknown_variant_in_tags_or_profile_is_a_warning() -> None:
    desired = spec_for(
        {**ON, "autoscaling:profile": "p", "autoscaling:Ghost:max": "3"},
        p={**DEFAULT, "variants": {"Gone": {"max": 2}}},
    )
    assert [w.source for w in desired.warnings] == ["autoscaling:Ghost:*", "profile p: variants.Gone"]


@pytest.mark.parametrize(
    ("tags", "source", "fragment"),
    [
        ({"autoscaling:min": "5", "autoscaling:max": "3"}, "autoscaling:min / autoscaling:max", "greater than max"),
        ({"autoscaling:min": "5"}, "autoscaling:min / profile default: max", "greater than max"),
        ({"autoscaling:max": "21"}, "autoscaling:max", "above MaxCapacityCeiling 20"),
        ({"autoscaling:min": "0"}, "autoscaling:min", "at least 1"),
        ({"autoscaling:AllTraffic:max": "50"}, "autoscaling:AllTraffic:max", "above MaxCapacityCeiling"),
        ({"autoscaling:mxa": "4"}, "autoscaling:mxa", "did you mean 'max'"),
    ],
)
def test_invalid_configuration_is_rejected_naming_its_source(tags: dict[str, str], source: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, **tags})
    assert any(p.source == source and fragment in p.message for p in caught.value.problems), caught.value.problems


def test_asynchronous_endpoints_may_scale_to_zero() -> None:
    ep = endpoint(VariantInfo("AllTraffic", VariantKind.ASYNC))
    (variant,) = spec_for({**ON, "autoscaling:min": "0"}, ep).spec.variants
    assert variant.min_capacity == 0


def test_serverless_variant_without_a_fitting_policy_is_left_alone_with_a_reason() -> None:
    ep = endpoint(VariantInfo("A", VariantKind.INSTANCE), VariantInfo("S", VariantKind.SERVERLESS, max_concurrency=20))
    desired = spec_for(ON, ep)
    assert [v.variant for v in desired.spec.variants] == ["A"]
    messages = [w.message for w in desired.warnings]
    assert any("invocations does not apply to a serverless variant" in m for m in messages)
    assert any("no scaling policy or schedule applies to serverless variant S" in m for m in messages)


def test_serverless_variant_scales_provisioned_concurrency() -> None:
    ep = endpoint(VariantInfo("S", VariantKind.SERVERLESS, max_concurrency=20))
    tags = {
        **ON,
        "autoscaling:S:min": "2",
        "autoscaling:S:max": "10",
        "autoscaling:S:target-provisioned-concurrency": "0.7",
    }
    (variant,) = spec_for(tags, ep).spec.variants
    assert variant.target.dimension == "sagemaker:variant:DesiredProvisionedConcurrency"
    assert variant.target.resource_id == "endpoint/ep/variant/S"
    (policy,) = variant.policies
    assert policy.metric == PredefinedMetric("SageMakerVariantProvisionedConcurrencyUtilization")
    assert policy.target == 0.7


@pytest.mark.parametrize(
    ("tags", "source", "fragment"),
    [
        (
            {"autoscaling:S:target-invocations": "70"},
            "autoscaling:S:target-invocations",
            "does not apply to a serverless",
        ),
        (
            {"autoscaling:S:target-provisioned-concurrency": "0.5", "autoscaling:S:max": "30"},
            "autoscaling:S:max",
            "above the variant's MaxConcurrency 20",
        ),
    ],
)
def test_serverless_misfits_are_rejected_naming_the_tag(tags: dict[str, str], source: str, fragment: str) -> None:
    ep = endpoint(VariantInfo("S", VariantKind.SERVERLESS, max_concurrency=20))
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, **tags}, ep)
    assert any(p.source == source and fragment in p.message for p in caught.value.problems), caught.value.problems


def test_serverless_provisioned_concurrency_may_have_min_zero() -> None:
    # RegisterScalableTarget, MinCapacity: "the minimum value allowed is 0" for "SageMaker serverless endpoint
    # provisioned concurrency" (Application Auto Scaling API Reference).
    ep = endpoint(VariantInfo("S", VariantKind.SERVERLESS, max_concurrency=20))
    tags = {**ON, "autoscaling:S:target-provisioned-concurrency": "0.5", "autoscaling:S:min": "0"}
    (variant,) = spec_for(tags, ep).spec.variants
    assert (variant.min_capacity, variant.max_capacity) == (0, 4)


def test_asynchronous_backlog_target_and_scale_from_zero() -> None:
    ep = endpoint(VariantInfo("AllTraffic", VariantKind.ASYNC, "ml.m5.xlarge"))
    tags = {**ON, "autoscaling:min": "0", "autoscaling:target-backlog": "5"}
    (variant,) = spec_for(tags, ep).spec.variants
    backlog = next(p for p in variant.policies if p.metric_key == "backlog")
    assert backlog.metric == CustomMetric(
        "AWS/SageMaker", "ApproximateBacklogSizePerInstance", "Average", (("EndpointName", "ep"),)
    )
    ((policy, alarm),) = variant.step_policies
    assert policy.name == "autoscaler-AllTraffic-step-scale-from-zero"
    assert (policy.adjustment_type, policy.steps[0].adjustment, policy.steps[0].lower) == ("ChangeInCapacity", 1, 0.0)
    assert (alarm.metric.name, alarm.metric.dimensions) == ("HasBacklogWithoutCapacity", (("EndpointName", "ep"),))
    assert (alarm.comparison, alarm.threshold, alarm.evaluation_periods) == ("GreaterThanOrEqualToThreshold", 1.0, 2)
    assert alarm.policy_name == policy.name


def test_asynchronous_endpoint_with_min_one_has_no_scale_from_zero_policy() -> None:
    ep = endpoint(VariantInfo("AllTraffic", VariantKind.ASYNC))
    (variant,) = spec_for({**ON, "autoscaling:target-backlog": "5"}, ep).spec.variants
    assert variant.step_policies == ()


def test_concurrency_does_not_apply_to_asynchronous_variants() -> None:
    ep = endpoint(VariantInfo("AllTraffic", VariantKind.ASYNC))
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:AllTraffic:target-concurrency": "4"}, ep)
    assert caught.value.problems[0].source == "autoscaling:AllTraffic:target-concurrency"


def test_hold_tag_is_carried_to_the_spec() -> None:
    (variant,) = spec_for({**ON, "autoscaling:AllTraffic:hold": "3@2026-11-25T13:00:00Z"}).spec.variants
    assert variant.hold is not None
    assert variant.hold.count == 3


def test_custom_name_prefix_names_the_policies() -> None:
    load = lambda ref: parse_profile(json.dumps(DEFAULT), "profile default")  # noqa: E731
    desired = desire(endpoint(), ON, Settings(name_prefix="acme"), profiles=load, hardware=HARDWARE.get)
    assert desired.spec.variants[0].policies[0].name == "acme-AllTraffic-invocations"


def test_profile_without_any_policy_or_schedule_is_rejected() -> None:
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:profile": "p"}, p={"version": 1, "min": 1, "max": 4})
    assert "no scaling policy or schedule applies to instance variant AllTraffic" in str(caught.value)


def component(name: str, status: str = "InService", **tags: str) -> ComponentInfo:
    arn = f"arn:aws:sagemaker:us-east-1:123456789012:inference-component/{name}"
    return ComponentInfo(name, arn, "AllTraffic", status, tuple(sorted(tags.items())))


def with_components(*components: ComponentInfo) -> EndpointInfo:
    return replace(endpoint(), components=components)


def test_inference_component_from_its_own_tags_scales_copies_on_its_per_copy_metric() -> None:
    ep = with_components(
        component(
            "llm",
            **{
                "autoscaling:enabled": "true",
                "autoscaling:min": "1",
                "autoscaling:max": "6",
                "autoscaling:target-invocations": "4",
            },
        )
    )
    desired = spec_for({**ON, "autoscaling:inference-components": "true"}, ep)
    ic = next(v for v in desired.spec.variants if v.kind is VariantKind.INFERENCE_COMPONENT)
    assert (ic.target.resource_id, ic.target.dimension) == (
        "inference-component/llm",
        "sagemaker:inference-component:DesiredCopyCount",
    )
    (policy,) = ic.policies
    assert policy.metric == PredefinedMetric("SageMakerInferenceComponentInvocationsPerCopy")
    assert (ic.min_capacity, ic.max_capacity, policy.target) == (1, 6, 4.0)


def test_inference_component_from_the_profile_scales_to_zero_with_the_documented_alarm() -> None:
    profile = {
        **DEFAULT,
        "inference_components": {
            "llm": {"min": 0, "max": 4, "target_tracking": [{"metric": "concurrency", "target": 3}]}
        },
    }
    ep = with_components(component("llm"))
    desired = spec_for({**ON, "autoscaling:profile": "p"}, ep, p=profile)
    ic = next(v for v in desired.spec.variants if v.kind is VariantKind.INFERENCE_COMPONENT)
    assert ic.min_capacity == 0
    assert ic.policies[0].metric == PredefinedMetric(
        "SageMakerInferenceComponentConcurrentRequestsPerCopyHighResolution"
    )
    ((policy, alarm),) = ic.step_policies
    assert policy.name == "autoscaler-llm-step-scale-from-zero"
    assert (policy.metric_aggregation, policy.cooldown) == ("Maximum", 60)
    assert (alarm.metric.name, alarm.metric.statistic, alarm.metric.dimensions) == (
        "NoCapacityInvocationFailures",
        "Sum",
        (("InferenceComponentName", "llm"),),
    )
    assert alarm.name == "autoscaler/ep/llm/scale-from-zero"


def test_inference_components_inherit_nothing_from_the_endpoint_and_untagged_ones_stay_unmanaged() -> None:
    ep = with_components(component("llm", **{"autoscaling:enabled": "true"}), component("other"))
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:max": "6", "autoscaling:inference-components": "true"}, ep)
    assert "sets no min and max for variant llm" in str(caught.value)


def test_inference_component_misfit_metric_and_bad_tag_name_their_source() -> None:
    ep = with_components(
        component(
            "llm",
            **{
                "autoscaling:enabled": "true",
                "autoscaling:min": "0",
                "autoscaling:max": "2",
                "autoscaling:target-cpu": "50",
                "autoscaling:mxa": "3",
            },
        )
    )
    with pytest.raises(ConfigError) as caught:
        spec_for({**ON, "autoscaling:inference-components": "true"}, ep)
    sources = [p.source for p in caught.value.problems]
    assert "inference component llm: autoscaling:mxa" in sources


LLM_TAGS = {
    "autoscaling:enabled": "true",
    "autoscaling:min": "0",
    "autoscaling:max": "4",
    "autoscaling:target-concurrency": "3",
}
HOSTS = {**ON, "autoscaling:inference-components": "true"}


@pytest.mark.parametrize("status", ["Creating", "Updating", "", "Pending"])
def test_inference_component_in_transition_is_held_with_a_warning_naming_its_status(status: str) -> None:
    # Given a managed component that is Creating or Updating (or in a status AWS may add)
    ep = with_components(component("llm", status, **LLM_TAGS), component("other", **LLM_TAGS))

    # When its endpoint's desired state is built
    desired = spec_for(HOSTS, ep)

    # Then the component is held (its target key and its alarms' name prefix), not configured; the rest is as usual
    (held,) = desired.spec.held
    assert (held.target.resource_id, held.alarm_prefix) == ("inference-component/llm", "autoscaler/ep/llm/")
    assert [v.variant for v in desired.spec.variants] == ["AllTraffic", "other"]
    (warning,) = [w for w in desired.warnings if w.source == "inference component llm" and "InService" in w.message]
    assert warning.message.startswith(f"is {status or 'of unknown status'}, not InService: left as it is")


def test_held_inference_component_alone_keeps_the_endpoint_managed() -> None:
    ep = with_components(component("llm", "Updating", **LLM_TAGS))
    desired = spec_for({**HOSTS, "autoscaling:AllTraffic:enabled": "false"}, ep)
    assert (desired.spec.variants, desired.spec.enabled) == ((), True)


def test_inference_component_in_transition_is_still_validated() -> None:
    # An invalid configuration rejects the endpoint whatever the component's status, so the outcome does not flip
    # between rejected and applied while Application Auto Scaling scales it.
    ep = with_components(component("llm", "Updating", **{**LLM_TAGS, "autoscaling:max": "99"}))
    with pytest.raises(ConfigError) as caught:
        spec_for(HOSTS, ep)
    assert "max 99 is above MaxCapacityCeiling 20" in str(caught.value)


@pytest.mark.parametrize("status", ["Deleting", "Failed"])
def test_inference_component_deleting_or_failed_is_no_longer_managed(status: str) -> None:
    ep = with_components(component("llm", status, **LLM_TAGS))
    desired = spec_for(HOSTS, ep)
    assert ([v.variant for v in desired.spec.variants], desired.spec.held) == (["AllTraffic"], ())
    (warning,) = [w for w in desired.warnings if w.source == "inference component llm"]
    assert warning.message == f"is {status}: no longer managed, what the controller owns for it is removed"


def test_inference_component_opted_out_while_updating_is_not_held() -> None:
    ep = with_components(component("llm", "Updating", **{**LLM_TAGS, "autoscaling:enabled": "false"}))
    assert spec_for(HOSTS, ep).spec.held == ()


# --- scale to zero: copies at 0 need instances that can reach 0 ----------------------------------------------------


def hosted_on(scaling: ManagedInstanceScaling | None, *components: ComponentInfo) -> EndpointInfo:
    host = VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.m5.xlarge", 1, managed_instance_scaling=scaling)
    return replace(endpoint(host), components=components)


def zero_warnings(desired: Desired) -> list[str]:
    return [f"{w.source}: {w.message}" for w in desired.warnings if "0 copies" in w.message]


OFF_HOST = {**HOSTS, "autoscaling:AllTraffic:enabled": "false"}


@pytest.mark.parametrize(
    ("scaling", "why"),
    [
        (None, "managed instance scaling is off"),
        (ManagedInstanceScaling("DISABLED", 0, 2), "managed instance scaling is off"),
        (ManagedInstanceScaling("ENABLED", 1, 2), "managed instance scaling keeps MinInstanceCount 1"),
        (ManagedInstanceScaling("ENABLED", None, 2), "managed instance scaling sets no MinInstanceCount"),
    ],
    ids=["absent", "disabled", "min-1", "min-unset"],
)
def test_component_that_reaches_zero_copies_on_instances_that_cannot_reach_zero_is_warned(
    scaling: ManagedInstanceScaling | None, why: str
) -> None:
    # Given a component with min 0 on a variant whose instances cannot scale in to zero
    ep = hosted_on(scaling, component("llm", **LLM_TAGS))

    # When its endpoint's desired state is built
    desired = spec_for(OFF_HOST, ep)

    # Then it is still configured, with one warning naming the component, the variant and what to change
    assert [v.variant for v in desired.spec.variants] == ["llm"]
    assert zero_warnings(desired) == [
        f"inference component llm: can scale to 0 copies, but the instances of variant AllTraffic cannot ({why}): at "
        "0 copies they keep running and cost money; set ManagedInstanceScaling Status ENABLED and MinInstanceCount 0 "
        "on variant AllTraffic in the endpoint config of ep, or a min of at least 1 for the component"
    ]


def test_component_that_reaches_zero_copies_on_instances_that_reach_zero_is_not_warned() -> None:
    ep = hosted_on(ManagedInstanceScaling("ENABLED", 0, 2), component("llm", **LLM_TAGS))
    assert zero_warnings(spec_for(OFF_HOST, ep)) == []


def test_component_that_keeps_a_copy_is_not_warned_whatever_its_instances_do() -> None:
    ep = hosted_on(None, component("llm", **{**LLM_TAGS, "autoscaling:min": "1"}))
    assert zero_warnings(spec_for(OFF_HOST, ep)) == []


def test_component_whose_schedule_takes_its_min_to_zero_is_warned() -> None:
    # Given a component at min 1 whose profile schedule sets min 0 at night, on a variant without managed scaling
    section = {
        "min": 1,
        "max": 4,
        "target_tracking": [{"metric": "concurrency", "target": 3}],
        "schedules": [{"name": "night", "schedule": "cron(0 22 * * ? *)", "min": 0}],
    }
    profile = {"version": 1, "inference_components": {"llm": section}}
    tags = {**OFF_HOST, "autoscaling:profile": "serving"}

    # When
    desired = spec_for(tags, hosted_on(None, component("llm")), serving=profile)

    # Then the copies can reach 0, and the warning says so
    assert [w.split(":")[0] for w in zero_warnings(desired)] == ["inference component llm"]


def test_component_on_a_variant_the_endpoint_does_not_list_is_not_warned() -> None:
    stray = replace(component("llm", **LLM_TAGS), variant="Elsewhere")
    assert zero_warnings(spec_for(OFF_HOST, hosted_on(None, stray))) == []
