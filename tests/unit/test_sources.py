"""Tags + endpoint description -> EndpointSpec: defaults, precedence, validation with sources."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from autoscaler.constants import METRIC_CONCURRENT_REQUESTS_HIGH_RES, METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.errors import ConfigError
from autoscaler.settings import Settings
from autoscaler.sources import build_spec
from autoscaler.spec import AdoptMode, CustomMetric, PredefinedMetric, SuspendedState, VariantKind
from autoscaler.state import EndpointInfo, VariantInfo
from autoscaler.tags import parse_tags

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
SETTINGS = Settings(max_capacity_ceiling=10)


def endpoint(*variants: VariantInfo, status: str = "InService") -> EndpointInfo:
    variants = variants or (VariantInfo("AllTraffic", VariantKind.INSTANCE),)
    return EndpointInfo("ep", "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep", status, "cfg", variants)


def spec_for(tags: dict[str, str], ep: EndpointInfo | None = None, settings: Settings = SETTINGS):
    return build_spec(ep or endpoint(), parse_tags(tags, settings.tag_prefix), settings, NOW)


def test_enabled_alone_gives_the_stack_defaults() -> None:
    desired = spec_for({"autoscaling:enabled": "true"})
    (variant,) = desired.spec.variants
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
            "autoscaling:enabled": "true",
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
    assert all(
        p.scale_in_cooldown == 900 and p.scale_out_cooldown == 300 and p.disable_scale_in for p in variant.policies
    )


def test_variant_tags_override_endpoint_tags_for_that_variant_only() -> None:
    ep = endpoint(VariantInfo("A", VariantKind.INSTANCE), VariantInfo("B", VariantKind.INSTANCE))
    desired = spec_for(
        {
            "autoscaling:enabled": "true",
            "autoscaling:max": "5",
            "autoscaling:B:max": "8",
            "autoscaling:B:target-invocations": "30",
        },
        ep,
    )
    a, b = desired.spec.variants
    assert (a.variant, a.max_capacity, a.policies[0].target) == ("A", 5, 70.0)
    assert (b.variant, b.max_capacity, b.policies[0].target) == ("B", 8, 30.0)


def test_variant_enabled_false_leaves_that_variant_unmanaged() -> None:
    ep = endpoint(VariantInfo("A", VariantKind.INSTANCE), VariantInfo("B", VariantKind.INSTANCE))
    desired = spec_for({"autoscaling:enabled": "true", "autoscaling:B:enabled": "false"}, ep)
    assert [v.variant for v in desired.spec.variants] == ["A"]


def test_unknown_variant_in_tags_is_a_warning() -> None:
    desired = spec_for({"autoscaling:enabled": "true", "autoscaling:Ghost:max": "3"})
    assert [w.source for w in desired.warnings] == ["autoscaling:Ghost:*"]


@pytest.mark.parametrize(
    ("tags", "source", "fragment"),
    [
        ({"autoscaling:min": "5", "autoscaling:max": "3"}, "autoscaling:min / autoscaling:max", "greater than max"),
        ({"autoscaling:min": "5"}, "autoscaling:min / stack defaults", "greater than max"),
        ({"autoscaling:max": "11"}, "autoscaling:max", "above MaxCapacityCeiling 10"),
        ({"autoscaling:min": "0"}, "autoscaling:min", "at least 1"),
        ({"autoscaling:AllTraffic:max": "50"}, "autoscaling:AllTraffic:max", "above MaxCapacityCeiling"),
        ({"autoscaling:target-cpu": "50"}, "autoscaling:target-cpu", "vCPU/GPU"),
        ({"autoscaling:profile": "business-hours"}, "autoscaling:profile", "not supported"),
        ({"autoscaling:mxa": "4"}, "autoscaling:mxa", "did you mean 'max'"),
    ],
)
def test_invalid_configuration_is_rejected_naming_its_source(tags: dict[str, str], source: str, fragment: str) -> None:
    with pytest.raises(ConfigError) as caught:
        spec_for({"autoscaling:enabled": "true", **tags})
    assert any(p.source == source and fragment in p.message for p in caught.value.problems), caught.value.problems


def test_asynchronous_endpoints_may_scale_to_zero() -> None:
    ep = endpoint(VariantInfo("AllTraffic", VariantKind.ASYNC))
    (variant,) = spec_for({"autoscaling:enabled": "true", "autoscaling:min": "0"}, ep).spec.variants
    assert variant.min_capacity == 0


def test_serverless_variants_are_recognised_but_left_alone() -> None:
    ep = endpoint(VariantInfo("A", VariantKind.INSTANCE), VariantInfo("S", VariantKind.SERVERLESS))
    desired = spec_for({"autoscaling:enabled": "true"}, ep)
    assert [v.variant for v in desired.spec.variants] == ["A"]
    assert "serverless" in desired.warnings[0].message


def test_active_hold_is_a_floor_on_min_and_an_expired_one_is_not() -> None:
    active = spec_for({"autoscaling:enabled": "true", "autoscaling:AllTraffic:hold": "3@2026-11-25T13:00:00Z"})
    expired = spec_for({"autoscaling:enabled": "true", "autoscaling:AllTraffic:hold": "3@2026-11-25T11:00:00Z"})
    assert active.spec.variants[0].min_capacity == 3
    assert expired.spec.variants[0].min_capacity == 1


def test_hold_never_lifts_min_above_max() -> None:
    desired = spec_for(
        {"autoscaling:enabled": "true", "autoscaling:max": "2", "autoscaling:AllTraffic:hold": "9@2026-11-26T00:00:00Z"}
    )
    assert desired.spec.variants[0].min_capacity == 2


def test_custom_name_prefix_names_the_policies() -> None:
    settings = Settings(name_prefix="acme")
    desired = build_spec(endpoint(), parse_tags({"autoscaling:enabled": "true"}, "autoscaling"), settings, NOW)
    assert desired.spec.variants[0].policies[0].name == "acme-AllTraffic-invocations"
