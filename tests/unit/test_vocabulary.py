"""The vocabularies are tables: a metric key or a tag key added in one row flows everywhere, and an incomplete row is
refused when its module loads (never a KeyError or TypeError in a reconcile)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from autoscaler.constants import METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.errors import ConfigError
from autoscaler.metrics import (
    METRICS,
    Endpoint,
    Instance,
    MetricKey,
    MetricTableError,
    Predefined,
    check_metrics,
    compatible,
)
from autoscaler.precedence import check_tracking_settings
from autoscaler.profiles import parse_profile
from autoscaler.settings import Settings
from autoscaler.sources import desire
from autoscaler.spec import PredefinedMetric, VariantKind
from autoscaler.state import EndpointInfo, Hardware, VariantInfo
from autoscaler.tags import (
    KEYS,
    Scope,
    TagKey,
    check_tag_keys,
    opted_in,
    parse_bool,
    parse_count,
    parse_tags,
    tag_key,
    tag_keys,
)

SETTINGS = Settings(max_capacity_ceiling=20)
ENDPOINT = EndpointInfo(
    "ep",
    "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep",
    "InService",
    "cfg",
    (VariantInfo("AllTraffic", VariantKind.INSTANCE, "ml.m5.xlarge"),),
)


def desired(tags: dict[str, str], profile: dict[str, Any] | None = None) -> Any:
    text = json.dumps(profile or {"version": 1, "min": 1, "max": 4})
    return desire(
        ENDPOINT,
        {"autoscaling:enabled": "true", **tags},
        SETTINGS,
        profiles=lambda ref: parse_profile(text, f"profile {ref.name}"),
        hardware={"ml.m5.xlarge": Hardware(4, 0)}.get,
    )


# ------------------------------------------------------------ metric keys


def test_a_metric_key_registered_in_the_table_flows_through_tags_profiles_and_spec(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # given a new predefined alias, one row of the table
    monkeypatch.setitem(
        METRICS,
        "requests",
        MetricKey("target-requests", "count", {VariantKind.INSTANCE: Predefined(METRIC_INVOCATIONS_PER_INSTANCE)}),
    )
    # when it is set by a tag, then the tag grammar knows it and the spec tracks its AWS metric
    config = parse_tags({"autoscaling:target-requests": "50"}, "autoscaling")
    assert (config.errors, config.endpoint.targets) == ((), (("requests", 50.0),))
    (policy,) = desired({"autoscaling:target-requests": "50"}).spec.variants[0].policies
    assert (policy.metric_key, policy.metric, policy.target) == (
        "requests",
        PredefinedMetric(METRIC_INVOCATIONS_PER_INSTANCE),
        50.0,
    )
    # when it is named by a profile, then the profile accepts it too
    profile = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "requests", "target": 9}]}
    (policy,) = desired({}, profile).spec.variants[0].policies
    assert policy.name == "autoscaler-AllTraffic-requests"
    # and a kind it does not name is a configuration error, not a KeyError
    assert "requests" not in compatible(VariantKind.SERVERLESS)


def test_a_percent_metric_key_gets_the_percent_bound_in_tags_and_profiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(
        METRICS, "disk", MetricKey("target-disk", "percent", {VariantKind.INSTANCE: Instance("DiskUtilization", None)})
    )
    config = parse_tags({"autoscaling:target-disk": "101"}, "autoscaling")
    assert [str(p) for p in config.errors] == [
        "autoscaling:target-disk: '101' is a percent of one instance: at most 100"
    ]
    profile = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "disk", "target": 101}]}
    with pytest.raises(ConfigError) as caught:
        desired({}, profile)
    assert [str(p) for p in caught.value.problems] == [
        "profile default: target_tracking[0].target: 101 is a percent of one instance: at most 100"
    ]


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (MetricKey("target-x", "count", {}), "metric 'x': names no AWS metric for any kind"),
        (
            MetricKey("target-x", "percent", {VariantKind.SERVERLESS: Instance("CPUUtilization", "vcpus")}),
            "metric 'x': a serverless has no instances to read CPUUtilization from",
        ),
        (
            MetricKey("target-x", "share", {VariantKind.INSTANCE: Predefined("P")}),  # type: ignore[arg-type]
            "metric 'x': value kind 'share' is not count, percent or ratio",
        ),
        (
            MetricKey("target-invocations", "count", {VariantKind.INSTANCE: Predefined("P")}),
            "metric 'x': tag 'target-invocations' is already the tag of metric 'invocations'",
        ),
        (MetricKey("target-x", "count", {VariantKind.ASYNC: Endpoint("")}), "metric 'x': the async metric has no name"),
    ],
)
def test_an_incomplete_metric_entry_is_refused_when_the_table_is_checked(entry: MetricKey, message: str) -> None:
    with pytest.raises(MetricTableError) as caught:
        check_metrics({**METRICS, "x": entry})
    assert str(caught.value) == message


def test_the_shipped_metric_table_is_complete_and_names_each_kinds_own_metric_first() -> None:
    check_metrics(METRICS)
    for kind in VariantKind:
        assert set(compatible(kind)) == {key for key, entry in METRICS.items() if kind in entry.aws}
    assert compatible(VariantKind.ASYNC)[:2] == ("backlog", "invocations")
    assert compatible(VariantKind.INSTANCE)[:2] == ("invocations", "concurrency")
    assert compatible(VariantKind.SERVERLESS) == ("provisioned-concurrency",)
    assert compatible(VariantKind.INFERENCE_COMPONENT) == ("invocations", "concurrency")


def test_compatible_lists_the_keys_only_a_kind_takes_first_then_the_shared_ones_in_table_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    only_async = MetricKey("target-a", "count", {VariantKind.ASYNC: Endpoint("A")})
    shared = MetricKey(
        "target-s", "percent", {k: Instance("S", None) for k in (VariantKind.INSTANCE, VariantKind.ASYNC)}
    )
    also_shared = MetricKey(
        "target-t", "percent", {VariantKind.INSTANCE: Instance("T", None), VariantKind.ASYNC: Instance("T", None)}
    )
    monkeypatch.setattr("autoscaler.metrics.METRICS", {"s": shared, "a": only_async, "t": also_shared})
    assert compatible(VariantKind.ASYNC) == ("a", "s", "t")
    assert compatible(VariantKind.INSTANCE) == ("s", "t")


# ------------------------------------------------------------ tag keys


def test_tag_key_builds_endpoint_and_variant_keys() -> None:
    assert tag_key("autoscaling", "max") == "autoscaling:max"
    assert tag_key("autoscaling", "hold", "AllTraffic") == "autoscaling:AllTraffic:hold"


def test_opted_in_is_the_endpoint_enabled_tag_saying_true_in_any_case() -> None:
    assert opted_in({"autoscaling:enabled": "True"}, "autoscaling")
    assert not opted_in({"autoscaling:enabled": "false"}, "autoscaling")
    assert not opted_in({"autoscaling:AllTraffic:enabled": "true"}, "autoscaling")
    assert not opted_in({}, "autoscaling")


def test_a_new_endpoint_only_key_needs_no_other_line_in_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    # given an endpoint-only key added to the table (before, parse_tags raised TypeError without its values.pop)
    monkeypatch.setitem(KEYS, "components", TagKey("inference_components", parse_bool, Scope.ENDPOINT))
    # when it is set, then it configures the endpoint and the parser does not raise
    config = parse_tags({"autoscaling:components": "true", "autoscaling:max": "3"}, "autoscaling")
    assert (config.inference_components, config.endpoint.max_capacity, config.errors) == (True, 3, ())
    # and per variant it is refused like every endpoint-only key
    config = parse_tags({"autoscaling:AllTraffic:components": "true"}, "autoscaling")
    assert [str(p) for p in config.errors] == [
        "autoscaling:AllTraffic:components: 'components' applies to the whole endpoint: use autoscaling:components"
    ]


def test_a_new_boolean_key_setting_every_target_tracking_policy_is_one_row(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a key shaped like disable-scale-in: one row naming its field and the tracking setting it sets
    monkeypatch.setitem(KEYS, "no-scale-in", TagKey("disable_scale_in", parse_bool, tracking="disable_scale_in"))
    # when it is set on the endpoint, then every target-tracking policy of the variant has it
    (policy,) = (
        desired({"autoscaling:no-scale-in": "true", "autoscaling:target-invocations": "70"}).spec.variants[0].policies
    )
    assert policy.disable_scale_in is True


@pytest.mark.parametrize(
    ("key", "spec", "message"),
    [
        ("drain", TagKey("drain", parse_bool), "tag key 'drain': field 'drain' is not a field of its scope both"),
        (
            "floor",
            TagKey("min_capacity", parse_count, Scope.ENDPOINT),
            "tag key 'floor': field 'min_capacity' is not a field of its scope endpoint",
        ),
        ("status", TagKey("enabled", parse_bool), "tag key 'status': field 'enabled' is not a field of its scope both"),
    ],
)
def test_a_tag_key_whose_field_does_not_exist_in_its_scope_is_refused(key: str, spec: TagKey, message: str) -> None:
    with pytest.raises(TypeError) as caught:
        check_tag_keys({**tag_keys(), key: spec})
    assert str(caught.value) == message


def test_a_tracking_setting_that_is_not_a_tracking_entry_field_is_refused() -> None:
    with pytest.raises(TypeError) as caught:
        check_tracking_settings({"warm": TagKey("disable_scale_in", parse_bool, tracking="warmup")})
    assert str(caught.value) == "tag key 'warm': 'warmup' is not a setting of a target-tracking entry"


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "false", "ture", "", "yes", " true"])
def test_opted_in_agrees_with_the_parsed_enabled_tag(value: str) -> None:
    # given any value of the opt-in tag, when the router (opted_in) and the reconciler (parse_tags) read it,
    # then they agree on whether the endpoint is opted in
    tags = {"autoscaling:enabled": value}
    assert opted_in(tags, "autoscaling") is (parse_tags(tags, "autoscaling").endpoint.enabled is True)
