"""SSM profiles (README, Profiles): the example parses exactly; every rule rejects with the exact place and a reason."""

from __future__ import annotations

import copy
import json
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from autoscaler.errors import ConfigError, Problem
from autoscaler.metrics import METRICS
from autoscaler.profiles import (
    Profile,
    ProfileScope,
    ProfileStore,
    ScheduleEntry,
    StepEntry,
    TrackingEntry,
    parse_profile,
)
from autoscaler.spec import CustomMetric, MetricMath, MetricQuery, StepAdjustment, SuspendedState
from autoscaler.tags import ProfileRef
from tests.mutations import nodes, parent

SOURCE = "profile p"
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "profiles" / "business-hours.yaml"


def text_of(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)


def problems(document: Any) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_profile(text_of(document), SOURCE)
    found = [(p.source, p.message) for p in caught.value.problems]
    assert found, "a ConfigError must name at least one problem"
    assert all(source == SOURCE or source.startswith(f"{SOURCE}: ") for source, _ in found)
    return found


def expect(document: Any, source: str, fragment: str) -> None:
    found = problems(document)
    assert any(s == source and fragment in m for s, m in found), found


def profile(**fields: Any) -> dict[str, Any]:
    return {"version": 1, **fields}


def step(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": "s",
        "metric": {"namespace": "AWS/SageMaker", "name": "OverheadLatency"},
        "comparison": ">=",
        "threshold": 100,
        "adjustment_type": "change",
        "steps": [{"lower": 0, "adjustment": 1}],
    }
    for key, value in overrides.items():
        if value is DROP:
            entry.pop(key)
        else:
            entry[key] = value
    return entry


def schedule(**overrides: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": "peak", "schedule": "cron(0 8 ? * MON-FRI *)", "min": 2}
    for key, value in overrides.items():
        if value is DROP:
            entry.pop(key)
        else:
            entry[key] = value
    return entry


def with_steps(*steps: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return profile(step_scaling=[step(steps=list(steps), **overrides)])


def tracking(metric: Any, target: Any = 1, **fields: Any) -> dict[str, Any]:
    return profile(target_tracking=[{"metric": metric, "target": target, **fields}])


DROP = object()
STEPS = "profile p: step_scaling[0].steps"

# ------------------------------------------------------------------ the README's example profile


def test_design_example_parses_into_exactly_the_expected_profile() -> None:
    parsed = parse_profile(EXAMPLE.read_text(), "profile business-hours")
    assert parsed == Profile(
        source="profile business-hours",
        top=ProfileScope(
            min_capacity=1,
            max_capacity=8,
            target_tracking=(
                TrackingEntry(
                    key="invocations",
                    metric="invocations",
                    target=70.0,
                    scale_in_cooldown=600,
                    scale_out_cooldown=300,
                    disable_scale_in=False,
                    default_dimensions=False,
                ),
            ),
            step_scaling=(
                StepEntry(
                    name="overhead-latency",
                    metric=CustomMetric("AWS/SageMaker", "OverheadLatency", "Average", (), None),
                    default_dimensions=True,
                    comparison="GreaterThanOrEqualToThreshold",
                    threshold=100000.0,
                    period=60,
                    evaluation_periods=2,
                    datapoints_to_alarm=2,
                    treat_missing_data="notBreaching",
                    adjustment_type="ChangeInCapacity",
                    steps=(StepAdjustment(1, 0.0, 50000.0), StepAdjustment(3, 50000.0, None)),
                    cooldown=120,
                    metric_aggregation="Average",
                    min_adjustment_magnitude=None,
                ),
            ),
            schedules=(
                ScheduleEntry(
                    name="weekday-peak",
                    schedule="cron(0 8 ? * MON-FRI *)",
                    timezone="Europe/Berlin",
                    start=datetime(2026, 1, 1, tzinfo=UTC),
                    end=datetime(2027, 12, 31, tzinfo=UTC),
                    min_capacity=3,
                    max_capacity=8,
                ),
                ScheduleEntry(
                    name="weekday-evening",
                    schedule="cron(0 19 ? * MON-FRI *)",
                    timezone="Europe/Berlin",
                    start=None,
                    end=None,
                    min_capacity=1,
                    max_capacity=None,
                ),
            ),
            suspend=SuspendedState(),
        ),
        limits_max=12,
        variants=(("AllTraffic", ProfileScope(max_capacity=12)),),
        warnings=(),
    )


def test_design_example_as_json_parses_the_same() -> None:
    data = yaml.safe_load(EXAMPLE.read_text())
    for entry in data["schedules"]:
        for key in ("start", "end"):
            if key in entry:
                entry[key] = entry[key].strftime("%Y-%m-%dT%H:%M:%SZ")
    as_yaml = parse_profile(EXAMPLE.read_text(), SOURCE)
    assert parse_profile(json.dumps(data), SOURCE) == as_yaml


def test_defaults_fill_in_what_a_minimal_profile_leaves_out() -> None:
    parsed = parse_profile(
        json.dumps(
            profile(
                target_tracking=[{"metric": "concurrency", "target": 4.5}],
                step_scaling=[step()],
                schedules=[schedule()],
            )
        ),
        SOURCE,
    )
    assert parsed.limits_max is None
    assert parsed.variants == ()
    assert parsed.top.min_capacity is None
    assert parsed.top.suspend is None
    assert parsed.top.target_tracking == (TrackingEntry("concurrency", "concurrency", 4.5, 300, 300, False, False),)
    (entry,) = parsed.top.step_scaling or ()
    assert (entry.period, entry.evaluation_periods, entry.datapoints_to_alarm) == (60, 1, 1)
    assert (entry.treat_missing_data, entry.metric_aggregation, entry.cooldown) == ("missing", "Average", 300)
    assert entry.metric == CustomMetric("AWS/SageMaker", "OverheadLatency", "Average")
    assert entry.default_dimensions is True
    assert parsed.top.schedules == (ScheduleEntry("peak", "cron(0 8 ? * MON-FRI *)", "UTC", None, None, 2, None),)


def test_metric_math_and_custom_dimensions_are_kept_as_templates() -> None:
    parsed = parse_profile(
        json.dumps(
            profile(
                target_tracking=[
                    {
                        "name": "cpu-norm",
                        "target": 60,
                        "metric": {
                            "metrics": [
                                {
                                    "id": "m1",
                                    "metric": {
                                        "namespace": "/aws/sagemaker/Endpoints",
                                        "name": "CPUUtilization",
                                        "dimensions": {"EndpointName": "{endpoint}", "VariantName": "{variant}"},
                                    },
                                    "stat": "Maximum",
                                    "return_data": False,
                                },
                                {"id": "e1", "expression": "m1 / 4", "label": "cpu per core"},
                            ]
                        },
                    },
                    {
                        "metric": {
                            "namespace": "AWS/SageMaker",
                            "name": "Model Latency",
                            "unit": "Microseconds",
                            "dimensions": [{"name": "EndpointName", "value": "prefix-{endpoint}"}],
                        },
                        "target": 50000,
                    },
                ]
            )
        ),
        SOURCE,
    )
    math_entry, custom_entry = parsed.top.target_tracking or ()
    assert math_entry.key == "cpu-norm"
    assert math_entry.metric == MetricMath(
        (
            MetricQuery(
                "m1",
                CustomMetric(
                    "/aws/sagemaker/Endpoints",
                    "CPUUtilization",
                    "Maximum",
                    (("EndpointName", "{endpoint}"), ("VariantName", "{variant}")),
                ),
                None,
                None,
                False,
            ),
            MetricQuery("e1", None, "m1 / 4", "cpu per core", True),
        )
    )
    assert custom_entry.key == "model-latency"
    assert custom_entry.metric == CustomMetric(
        "AWS/SageMaker", "Model Latency", "Average", (("EndpointName", "prefix-{endpoint}"),), "Microseconds"
    )
    assert custom_entry.default_dimensions is False


def test_every_problem_is_reported_not_only_the_first() -> None:
    assert problems(profile(min=-1, max="8", mxa=3)) == [
        ("profile p: mxa", "unknown field; did you mean 'max'?"),
        ("profile p: min", "-1 is outside 0..inf"),
        ("profile p: max", "'8' is not a whole number"),
    ]


# ------------------------------------------------------------------ the document itself


def test_a_document_error_is_a_problem_of_the_whole_profile() -> None:
    assert problems('{"version": 1, "version": 1}') == [("profile p", "duplicate key 'version'")]


def test_a_yaml_alias_is_a_problem_of_the_whole_profile() -> None:
    assert problems("version: &v 1\n") == [("profile p", "anchors are not allowed (line 1)")]


@pytest.mark.parametrize(
    ("document", "kind"), [("[1]", "a list"), ('"x"', "a string"), ("", "null"), ("42", "int"), ("true", "a boolean")]
)
def test_a_profile_must_be_a_mapping(document: str, kind: str) -> None:
    assert problems(document) == [("profile p", f"must be a mapping, not {kind}")]


def test_a_profile_over_8_kb_is_refused() -> None:
    text = "version: 1\n#" + "x" * 8200 + "\n"
    assert problems(text) == [("profile p", f"{len(text)} bytes: larger than an SSM parameter can hold (8192)")]


def _padded(size: int) -> str:
    body = "version: 1\nmin: 1\nmax: 2\n"
    text = body + "#" + "x" * (size - len(body) - 2) + "\n"
    assert len(text.encode()) == size
    return text


def test_a_profile_that_fits_a_standard_parameter_has_no_warning() -> None:
    assert parse_profile(_padded(4096), SOURCE).warnings == ()


@pytest.mark.parametrize("size", [4097, 6000, 8192])
def test_a_profile_of_4097_to_8192_bytes_warns_about_advanced_parameters(size: int) -> None:
    parsed = parse_profile(_padded(size), SOURCE)
    assert parsed.warnings == (
        Problem(SOURCE, f"{size} bytes: needs an advanced SSM parameter (standard ones hold 4 KB)"),
    )
    assert (parsed.top.min_capacity, parsed.top.max_capacity) == (1, 2)


# ------------------------------------------------------------------ version


def test_version_is_required() -> None:
    assert problems({"min": 1}) == [("profile p: version", "is required")]


@pytest.mark.parametrize(("value", "shown"), [(2, "2"), (0, "0"), ("1", "'1'"), (None, "None"), ([1], "[1]")])
def test_a_version_other_than_1_is_refused(value: Any, shown: str) -> None:
    assert problems({"version": value}) == [("profile p: version", f"{shown}: this controller reads version 1")]


@pytest.mark.parametrize("document", ['{"version": 1.0}', '{"version": true}', "version: 1.0\n", "version: true\n"])
def test_version_must_be_the_integer_1_not_a_float_or_boolean(document: str) -> None:
    found = problems(document)
    assert [source for source, _ in found] == ["profile p: version"]


# ------------------------------------------------------------------ unknown fields, with did-you-mean


@pytest.mark.parametrize(
    ("document", "source", "message"),
    [
        (profile(mxa=3), "profile p: mxa", "unknown field; did you mean 'max'?"),
        (profile(banana=3), "profile p: banana", "unknown field"),
        (profile(limits={"mx": 3}), "profile p: limits.mx", "unknown field; did you mean 'max'?"),
        (profile(variants={"A": {"mni": 1}}), "profile p: variants.A.mni", "unknown field; did you mean 'min'?"),
        (profile(variants={"A": {"limits": {"max": 1}}}), "profile p: variants.A.limits", "unknown field"),
        (profile(variants={"A": {"version": 1}}), "profile p: variants.A.version", "unknown field"),
        (
            tracking("invocations", taget=1),
            "profile p: target_tracking[0].taget",
            "unknown field; did you mean 'target'?",
        ),
        (
            tracking({"namespace": "n", "name": "m", "statstic": "Average"}),
            "profile p: target_tracking[0].metric.statstic",
            "unknown field; did you mean 'statistic'?",
        ),
        (
            tracking({"metrics": [{"id": "e1", "expression": "1"}], "period": 60}, name="x"),
            "profile p: target_tracking[0].metric.period",
            "unknown field",
        ),
        (
            tracking({"metrics": [{"id": "e1", "expression": "1", "retrun_data": True}]}, name="x"),
            "profile p: target_tracking[0].metric.metrics[0].retrun_data",
            "unknown field; did you mean 'return_data'?",
        ),
        (
            profile(step_scaling=[step(threshhold=1)]),
            "profile p: step_scaling[0].threshhold",
            "unknown field; did you mean 'threshold'?",
        ),
        (
            profile(step_scaling=[step(metric={"namespce": "n", "namespace": "n", "name": "m"})]),
            "profile p: step_scaling[0].metric.namespce",
            "unknown field; did you mean 'namespace'?",
        ),
        (
            with_steps({"lower": 0, "adjustment": 1, "uper": 3}),
            "profile p: step_scaling[0].steps[0].uper",
            "unknown field; did you mean 'upper'?",
        ),
        (
            profile(schedules=[schedule(timezon="UTC")]),
            "profile p: schedules[0].timezon",
            "unknown field; did you mean 'timezone'?",
        ),
    ],
)
def test_unknown_fields_are_refused_at_every_level(document: Any, source: str, message: str) -> None:
    assert (source, message) in problems(document)


# ------------------------------------------------------------------ types and ranges of capacities


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2", "'2' is not a whole number"),
        (2.0, "2.0 is not a whole number"),
        (2.5, "2.5 is not a whole number"),
        (True, "True is not a whole number"),
        ([1], "[1] is not a whole number"),
        ({"v": 1}, "{'v': 1} is not a whole number"),
        (None, "None is not a whole number"),
        (-1, "-1 is outside 0..inf"),
    ],
)
def test_min_must_be_a_non_negative_whole_number(value: Any, message: str) -> None:
    assert problems(profile(min=value)) == [("profile p: min", message)]


@pytest.mark.parametrize(("value", "message"), [(0, "0 is outside 1..inf"), (False, "False is not a whole number")])
def test_max_must_be_at_least_one(value: Any, message: str) -> None:
    assert problems(profile(max=value)) == [("profile p: max", message)]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("version: 1\nmin: .nan\n", "nan is not a whole number"),
        ("version: 1\nmin: .inf\n", "inf is not a whole number"),
        ("version: 1\nmin: -.inf\n", "-inf is not a whole number"),
        ('{"version": 1, "min": 1e999}', "inf is not a whole number"),
    ],
)
def test_non_finite_capacities_are_refused(document: str, message: str) -> None:
    assert problems(document) == [("profile p: min", message)]


def test_min_above_max_is_refused_at_the_top() -> None:
    assert problems(profile(min=5, max=2)) == [("profile p: min", "5 is greater than max 2")]


def test_min_above_max_is_refused_in_a_variant() -> None:
    assert problems(profile(variants={"A": {"min": 5, "max": 2}})) == [
        ("profile p: variants.A.min", "5 is greater than max 2")
    ]


def test_min_equal_to_max_is_allowed() -> None:
    parsed = parse_profile(json.dumps(profile(min=3, max=3)), SOURCE)
    assert (parsed.top.min_capacity, parsed.top.max_capacity) == (3, 3)


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        ({"max": 0}, "0 is outside 1..inf"),
        ({"max": "12"}, "'12' is not a whole number"),
        ({"max": 12.0}, "12.0 is not a whole number"),
        ({"max": True}, "True is not a whole number"),
    ],
)
def test_limits_max_must_be_a_positive_whole_number(limits: dict[str, Any], message: str) -> None:
    assert problems(profile(limits=limits)) == [("profile p: limits.max", message)]


def test_limits_must_be_a_mapping() -> None:
    assert problems(profile(limits=[12])) == [("profile p: limits", "must be a mapping, not a list")]


def test_limits_max_is_read() -> None:
    assert parse_profile(json.dumps(profile(limits={"max": 20})), SOURCE).limits_max == 20


# ------------------------------------------------------------------ variants


@pytest.mark.parametrize("name", ["-A", "a:b", "a/b", "x" * 64, "", "All Traffic"])
def test_a_variant_name_sagemaker_would_not_accept_is_refused(name: str) -> None:
    assert problems(profile(variants={name: {"max": 2}})) == [
        (f"profile p: variants.{name}", "not a SageMaker variant name")
    ]


@pytest.mark.parametrize("name", ["All_Traffic", "AllTraffic.v2", "AllTraffic-"])
def test_a_variant_name_with_characters_sagemaker_forbids_is_refused(name: str) -> None:
    # SageMaker VariantName (and InferenceComponentName): letters, digits and inner hyphens only.
    assert problems(profile(variants={name: {"max": 2}})) == [
        (f"profile p: variants.{name}", "not a SageMaker variant name")
    ]


def test_variants_must_be_a_mapping_of_mappings() -> None:
    assert problems(profile(variants=[{"A": {}}])) == [("profile p: variants", "must be a mapping, not a list")]
    assert problems(profile(variants={"A": [1]})) == [("profile p: variants.A", "must be a mapping, not a list")]


def test_a_variant_scope_holds_every_scope_field() -> None:
    parsed = parse_profile(
        json.dumps(
            profile(
                variants={
                    "Blue--v2": {
                        "min": 0,
                        "max": 3,
                        "target_tracking": [{"metric": "gpu", "target": 50}],
                        "schedules": [schedule()],
                        "suspend": "scale-in",
                    }
                }
            )
        ),
        SOURCE,
    )
    scope = parsed.variant("Blue--v2")
    assert (scope.min_capacity, scope.max_capacity) == (0, 3)
    assert scope.target_tracking == (TrackingEntry("gpu", "gpu", 50.0),)
    assert scope.suspend == SuspendedState(scale_in=True)
    assert scope.schedules is not None
    assert parsed.variant("Other") == ProfileScope()


def test_variant_entries_name_their_variant_in_the_path() -> None:
    expect(
        profile(variants={"A": {"target_tracking": [{"metric": "cpu", "target": 101}]}}),
        "profile p: variants.A.target_tracking[0].target",
        "at most 100",
    )


# ------------------------------------------------------------------ target tracking


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (0, "0 must be greater than 0"),
        (0.0, "0.0 must be greater than 0"),
        (-1, "-1 must be greater than 0"),
        ("70", "'70' is not a finite number"),
        (True, "True is not a finite number"),
        (None, "None is not a finite number"),
        ([70], "[70] is not a finite number"),
    ],
)
def test_a_target_must_be_a_positive_number(target: Any, message: str) -> None:
    assert problems(tracking("invocations", target)) == [("profile p: target_tracking[0].target", message)]


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("version: 1\ntarget_tracking: [{metric: invocations, target: .nan}]\n", "nan is not a finite number"),
        ("version: 1\ntarget_tracking: [{metric: invocations, target: .inf}]\n", "inf is not a finite number"),
        ('{"version":1,"target_tracking":[{"metric":"invocations","target":1e999}]}', "inf is not a finite number"),
    ],
)
def test_a_non_finite_target_is_refused(document: str, message: str) -> None:
    assert problems(document) == [("profile p: target_tracking[0].target", message)]


@pytest.mark.parametrize(("metric", "target"), [("cpu", 101), ("memory", 100.5), ("gpu", 400), ("gpu-memory", 1000)])
def test_a_percent_metric_target_above_100_is_refused(metric: str, target: float) -> None:
    assert problems(tracking(metric, target)) == [
        ("profile p: target_tracking[0].target", f"{target:g} is a percent of one instance: at most 100")
    ]


def test_a_percent_metric_target_of_100_and_a_count_target_above_100_are_allowed() -> None:
    parsed = parse_profile(
        json.dumps(
            profile(target_tracking=[{"metric": "cpu", "target": 100}, {"metric": "invocations", "target": 5000}])
        ),
        SOURCE,
    )
    assert [(e.key, e.target) for e in parsed.top.target_tracking or ()] == [("cpu", 100.0), ("invocations", 5000.0)]


def test_an_unknown_metric_name_is_refused_with_did_you_mean() -> None:
    assert problems(tracking("invocatons")) == [
        (
            "profile p: target_tracking[0].metric",
            f"'invocatons' is not a metric ({' | '.join(METRICS)}); did you mean 'invocations'?",
        )
    ]


def test_an_unknown_metric_name_far_from_any_is_refused_without_a_hint() -> None:
    assert problems(tracking("latency")) == [
        (
            "profile p: target_tracking[0].metric",
            f"'latency' is not a metric ({' | '.join(METRICS)})",
        )
    ]


@pytest.mark.parametrize(("metric", "kind"), [(["cpu"], "a list"), (5, "int"), (None, "null"), (True, "a boolean")])
def test_a_metric_of_the_wrong_type_is_refused(metric: Any, kind: str) -> None:
    assert problems(tracking(metric)) == [("profile p: target_tracking[0].metric", f"must be a mapping, not {kind}")]


def test_target_tracking_entries_need_metric_and_target() -> None:
    assert problems(profile(target_tracking=[{"metric": "cpu"}])) == [
        ("profile p: target_tracking[0].target", "is required")
    ]
    assert problems(profile(target_tracking=[{"target": 1}])) == [
        ("profile p: target_tracking[0].metric", "is required")
    ]


def test_target_tracking_must_be_a_list() -> None:
    assert problems(profile(target_tracking={"metric": "cpu", "target": 1})) == [
        ("profile p: target_tracking", "must be a list")
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("scale_in_cooldown", -1, "-1 is outside 0..86400"),
        ("scale_out_cooldown", 86401, "86401 is outside 0..86400"),
        ("scale_in_cooldown", 1.5, "1.5 is not a whole number"),
        ("scale_out_cooldown", "60", "'60' is not a whole number"),
        ("disable_scale_in", "false", "'false' is not true or false"),
        ("disable_scale_in", 0, "0 is not true or false"),
    ],
)
def test_tracking_settings_have_types_and_ranges(field: str, value: Any, message: str) -> None:
    assert problems(tracking("invocations", **{field: value})) == [(f"profile p: target_tracking[0].{field}", message)]


def test_two_policies_on_one_metric_are_refused() -> None:
    assert problems(
        profile(target_tracking=[{"metric": "invocations", "target": 1}, {"metric": "invocations", "target": 2}])
    ) == [("profile p: target_tracking[1]", "duplicate metric 'invocations'")]


def test_a_tracking_name_starting_with_step_is_refused() -> None:
    assert problems(tracking("invocations", name="step-x")) == [
        ("profile p: target_tracking[0].name", "names starting with 'step-' are kept for step-scaling policies")
    ]


def test_a_tracking_name_with_a_space_is_refused() -> None:
    assert problems(tracking("invocations", name="a b")) == [
        (
            "profile p: target_tracking[0].name",
            "'a b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
        )
    ]


def test_more_than_50_target_tracking_policies_are_refused() -> None:
    entries = [{"metric": {"namespace": "n", "name": f"m{i}"}, "target": 1} for i in range(51)]
    assert problems(profile(target_tracking=entries)) == [
        ("profile p: target_tracking", "51 entries: AWS allows at most 50 per scalable target")
    ]
    assert len(parse_profile(json.dumps(profile(target_tracking=entries[:50])), SOURCE).top.target_tracking or ()) == 50


# ------------------------------------------------------------------ metric math

CPU = {"namespace": "/aws/sagemaker/Endpoints", "name": "CPUUtilization"}
MM = "profile p: target_tracking[0].metric"


def test_metric_math_needs_a_name() -> None:
    document = tracking(
        {"metrics": [{"id": "m1", "metric": CPU, "return_data": False}, {"id": "e1", "expression": "m1"}]}
    )
    assert problems(document) == [
        ("profile p: target_tracking[0].name", "a metric-math policy needs a name (it becomes part of the policy name)")
    ]


def test_metric_math_with_two_returning_queries_is_refused() -> None:
    document = tracking(
        {"metrics": [{"id": "m1", "metric": CPU, "return_data": True}, {"id": "e1", "expression": "m1"}]}, name="x"
    )
    assert problems(document) == [(f"{MM}.metrics", "exactly one query must return data (return_data: true)")]


def test_metric_math_with_no_returning_query_is_refused() -> None:
    document = tracking({"metrics": [{"id": "e1", "expression": "1", "return_data": False}]}, name="x")
    assert problems(document) == [(f"{MM}.metrics", "exactly one query must return data (return_data: true)")]


@pytest.mark.parametrize("qid", ["M1", "1m", "m-1", "m 1", "_m"])
def test_a_metric_math_id_must_start_lower_case_with_letters_digits_underscores(qid: str) -> None:
    expect(
        tracking({"metrics": [{"id": qid, "expression": "1"}]}, name="x"),
        f"{MM}.metrics[0].id",
        f"{qid!r}: starts with a lower-case letter; letters, digits and _ only",
    )


def test_a_metric_math_query_with_both_metric_and_expression_is_refused() -> None:
    expect(
        tracking({"metrics": [{"id": "m1", "metric": CPU, "expression": "1", "return_data": True}]}, name="x"),
        f"{MM}.metrics[0]",
        "give exactly one of metric (with stat) or expression",
    )


def test_a_metric_math_query_with_neither_metric_nor_expression_is_refused() -> None:
    expect(
        tracking({"metrics": [{"id": "m1", "return_data": True}]}, name="x"),
        f"{MM}.metrics[0]",
        "give exactly one of metric (with stat) or expression",
    )


@pytest.mark.parametrize("metrics", [[], {"id": "m1"}, "m1"])
def test_metric_math_needs_a_non_empty_list_of_queries(metrics: Any) -> None:
    assert problems(tracking({"metrics": metrics}, name="x")) == [
        (f"{MM}.metrics", "must be a non-empty list of queries")
    ]


def test_a_metric_math_query_needs_an_id() -> None:
    expect(tracking({"metrics": [{"expression": "1"}]}, name="x"), f"{MM}.metrics[0].id", "is required")


def test_a_metric_math_return_data_must_be_a_boolean() -> None:
    expect(
        tracking({"metrics": [{"id": "e1", "expression": "1", "return_data": "yes"}]}, name="x"),
        f"{MM}.metrics[0].return_data",
        "'yes' is not true or false",
    )


# ------------------------------------------------------------------ custom metrics and dimensions


def test_a_custom_metric_needs_namespace_and_name() -> None:
    assert problems(tracking({"name": "ModelLatency"})) == [(f"{MM}.namespace", "is required")]
    assert problems(tracking({"namespace": "AWS/SageMaker"})) == [(f"{MM}.name", "is required")]


@pytest.mark.parametrize("field", ["namespace", "name", "statistic", "unit"])
def test_custom_metric_texts_must_be_non_empty_printable_strings(field: str) -> None:
    metric = {"namespace": "AWS/SageMaker", "name": "ModelLatency", field: ""}
    expect(tracking(metric), f"{MM}.{field}", "is not a non-empty printable string")
    metric[field] = "a\nb"
    expect(tracking(metric), f"{MM}.{field}", "is not a non-empty printable string")


def test_dimensions_in_mapping_and_list_form_are_the_same() -> None:
    as_map = {"namespace": "n", "name": "m", "dimensions": {"EndpointName": "{endpoint}", "VariantName": "{variant}"}}
    as_list = {
        "namespace": "n",
        "name": "m",
        "dimensions": [{"name": "VariantName", "value": "{variant}"}, {"name": "EndpointName", "value": "{endpoint}"}],
    }
    first = parse_profile(json.dumps(tracking(as_map)), SOURCE).top.target_tracking
    second = parse_profile(json.dumps(tracking(as_list)), SOURCE).top.target_tracking
    assert first == second
    assert first is not None
    assert first[0].metric == CustomMetric(
        "n", "m", "Average", (("EndpointName", "{endpoint}"), ("VariantName", "{variant}"))
    )


@pytest.mark.parametrize(
    "dimensions",
    [{"EndpointName": "{endpont}"}, [{"name": "EndpointName", "value": "{endpont}"}]],
)
def test_an_unknown_placeholder_in_a_dimension_is_refused(dimensions: Any) -> None:
    assert problems(tracking({"namespace": "n", "name": "m", "dimensions": dimensions})) == [
        (f"{MM}.dimensions.EndpointName", "unknown placeholder(s) ['endpont']: use {endpoint} or {variant}")
    ]


def test_every_unknown_placeholder_is_named() -> None:
    expect(
        tracking({"namespace": "n", "name": "m", "dimensions": {"D": "{x}-{y}-{endpoint}"}}),
        f"{MM}.dimensions.D",
        "unknown placeholder(s) ['x', 'y']",
    )


@pytest.mark.parametrize(
    "dimensions", ["EndpointName", 5, [{"name": "E"}], [{"name": "E", "value": "v", "x": 1}], ["E"]]
)
def test_dimensions_must_be_a_mapping_or_a_list_of_name_value(dimensions: Any) -> None:
    assert problems(tracking({"namespace": "n", "name": "m", "dimensions": dimensions})) == [
        (f"{MM}.dimensions", "must be a mapping of name: value, or a list of {name, value}")
    ]


@pytest.mark.parametrize("dimensions", [{"E": ""}, {"E": 5}, {"": "v"}, [{"name": 5, "value": "v"}]])
def test_dimension_names_and_values_must_be_non_empty_strings(dimensions: Any) -> None:
    expect(
        tracking({"namespace": "n", "name": "m", "dimensions": dimensions}),
        f"{MM}.dimensions",
        "names and values are non-empty strings",
    )


def test_more_than_30_dimensions_are_refused() -> None:
    expect(
        tracking({"namespace": "n", "name": "m", "dimensions": {f"D{i}": "v" for i in range(31)}}),
        f"{MM}.dimensions",
        "CloudWatch allows at most 30 dimensions",
    )


# ------------------------------------------------------------------ step scaling: the AWS step rules


def test_steps_with_a_gap_are_refused() -> None:
    document = with_steps({"lower": 0, "upper": 10, "adjustment": 1}, {"lower": 20, "adjustment": 2})
    assert problems(document) == [(STEPS, "steps must meet without gap or overlap: upper 10 then lower 20")]


def test_overlapping_steps_are_refused() -> None:
    document = with_steps({"lower": 0, "upper": 20, "adjustment": 1}, {"lower": 10, "adjustment": 2})
    assert problems(document) == [(STEPS, "steps must meet without gap or overlap: upper 20 then lower 10")]


def test_steps_that_meet_exactly_are_accepted_and_ordered_by_lower_bound() -> None:
    document = with_steps(
        {"lower": 10, "adjustment": 3},
        {"upper": -5, "adjustment": -1},
        {"lower": -5, "upper": 10, "adjustment": 1},
    )
    (entry,) = parse_profile(json.dumps(document), SOURCE).top.step_scaling or ()
    assert entry.steps == (
        StepAdjustment(-1, None, -5.0),
        StepAdjustment(1, -5.0, 10.0),
        StepAdjustment(3, 10.0, None),
    )


@pytest.mark.parametrize(("lower", "upper"), [(10, 10), (10, 5)])
def test_upper_not_above_lower_is_refused(lower: int, upper: int) -> None:
    expect(
        with_steps({"lower": lower, "upper": upper, "adjustment": 1}),
        f"{STEPS}[0]",
        f"upper {upper} must be greater than lower {lower}",
    )


def test_two_steps_without_a_lower_bound_are_refused() -> None:
    document = with_steps(
        {"upper": 0, "adjustment": -1}, {"upper": 10, "adjustment": 1}, {"lower": 10, "adjustment": 2}
    )
    expect(document, STEPS, "at most one step may have no lower bound")


def test_two_steps_without_an_upper_bound_are_refused() -> None:
    expect(
        with_steps({"lower": 0, "adjustment": 1}, {"lower": 10, "adjustment": 2}),
        STEPS,
        "at most one step may have no upper bound",
    )


@pytest.mark.parametrize(
    "steps",
    [
        [{"lower": -10, "adjustment": 1}],
        [{"lower": -10, "upper": 0, "adjustment": -1}, {"lower": 0, "adjustment": 1}],
    ],
)
def test_a_negative_lower_bound_without_a_null_lower_step_is_refused(steps: list[dict[str, Any]]) -> None:
    assert problems(with_steps(*steps)) == [(STEPS, "a negative lower bound needs a step with no lower bound")]


@pytest.mark.parametrize(
    "steps",
    [
        [{"upper": 10, "adjustment": 1}],
        [{"upper": 0, "adjustment": -1}, {"lower": 0, "upper": 10, "adjustment": 1}],
    ],
)
def test_a_positive_upper_bound_without_a_null_upper_step_is_refused(steps: list[dict[str, Any]]) -> None:
    assert problems(with_steps(*steps)) == [(STEPS, "a positive upper bound needs a step with no upper bound")]


def test_a_step_with_neither_bound_is_refused_as_aws_does() -> None:
    # AAS API Reference, StepAdjustment: "The upper and lower bound can't be null in the same step adjustment."
    assert problems(with_steps({"adjustment": 2})) == [
        (f"{STEPS}[0]", "give lower, upper or both: AWS refuses a step with neither bound")
    ]


def test_two_steps_with_neither_bound_are_each_refused() -> None:
    found = problems(with_steps({"adjustment": 1}, {"adjustment": 2}))
    assert (f"{STEPS}[0]", "give lower, upper or both: AWS refuses a step with neither bound") in found
    assert (f"{STEPS}[1]", "give lower, upper or both: AWS refuses a step with neither bound") in found


def _chain(count: int) -> list[dict[str, Any]]:
    return [
        {"upper": 0, "adjustment": 0},
        *({"lower": i, "upper": i + 1, "adjustment": 1} for i in range(count - 2)),
        {"lower": count - 2, "adjustment": 2},
    ]


def test_twenty_steps_are_accepted() -> None:
    (entry,) = parse_profile(json.dumps(with_steps(*_chain(20))), SOURCE).top.step_scaling or ()
    assert len(entry.steps) == 20


def test_twenty_one_steps_are_refused() -> None:
    assert problems(with_steps(*_chain(21))) == [(STEPS, "21 steps: AWS allows at most 20")]


@pytest.mark.parametrize("steps", [[], {"lower": 0, "adjustment": 1}, "1"])
def test_steps_must_be_a_non_empty_list(steps: Any) -> None:
    assert problems(profile(step_scaling=[step(steps=steps)])) == [
        (STEPS, "must be a non-empty list of {lower, upper, adjustment}")
    ]


def test_a_step_needs_an_adjustment() -> None:
    assert problems(with_steps({"lower": 0})) == [(f"{STEPS}[0].adjustment", "is required")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("adjustment", 1.5, "1.5 is not a whole number"),
        ("adjustment", "1", "'1' is not a whole number"),
        ("adjustment", True, "True is not a whole number"),
        ("lower", "0", "'0' is not a finite number"),
        ("lower", True, "True is not a finite number"),
    ],
)
def test_step_fields_have_types(field: str, value: Any, message: str) -> None:
    entry: dict[str, Any] = {"lower": 0, "adjustment": 1, field: value}
    expect(with_steps(entry), f"{STEPS}[0].{field}", message)


@pytest.mark.parametrize("field", ["adjustment", "min_adjustment_magnitude"])
def test_a_step_adjustment_beyond_a_32_bit_integer_is_refused(field: str) -> None:
    # AAS ScalingAdjustment and MinAdjustmentMagnitude are 32-bit integers: validate before any write.
    huge = 2**31
    if field == "adjustment":
        document = with_steps({"lower": 0, "adjustment": huge})
        source = f"{STEPS}[0].adjustment"
    else:
        document = profile(step_scaling=[step(adjustment_type="percent", min_adjustment_magnitude=huge)])
        source = "profile p: step_scaling[0].min_adjustment_magnitude"
    assert [s for s, _ in problems(document)] == [source]


def test_exact_capacity_with_a_negative_adjustment_is_refused() -> None:
    assert problems(with_steps({"lower": 0, "adjustment": -1}, adjustment_type="exact")) == [
        (f"{STEPS}[0].adjustment", "exact capacity cannot be negative")
    ]


def test_exact_capacity_of_zero_is_accepted() -> None:
    (entry,) = (
        parse_profile(
            json.dumps(with_steps({"lower": 0, "adjustment": 0}, adjustment_type="exact")), SOURCE
        ).top.step_scaling
        or ()
    )
    assert entry.adjustment_type == "ExactCapacity"


@pytest.mark.parametrize("adjustment_type", ["change", "exact", "ChangeInCapacity", "ExactCapacity"])
def test_min_adjustment_magnitude_only_with_percent(adjustment_type: str) -> None:
    document = profile(step_scaling=[step(adjustment_type=adjustment_type, min_adjustment_magnitude=1)])
    assert problems(document) == [
        ("profile p: step_scaling[0].min_adjustment_magnitude", "applies only to adjustment_type percent")
    ]


def test_min_adjustment_magnitude_with_percent_is_kept() -> None:
    document = profile(step_scaling=[step(adjustment_type="percent", min_adjustment_magnitude=2)])
    (entry,) = parse_profile(json.dumps(document), SOURCE).top.step_scaling or ()
    assert (entry.adjustment_type, entry.min_adjustment_magnitude) == ("PercentChangeInCapacity", 2)


def test_min_adjustment_magnitude_must_be_at_least_one() -> None:
    document = profile(step_scaling=[step(adjustment_type="percent", min_adjustment_magnitude=0)])
    assert problems(document) == [("profile p: step_scaling[0].min_adjustment_magnitude", "0 is outside 1..2147483647")]


@pytest.mark.parametrize(
    ("comparison", "expected"),
    [
        (">=", "GreaterThanOrEqualToThreshold"),
        (">", "GreaterThanThreshold"),
        ("<", "LessThanThreshold"),
        ("<=", "LessThanOrEqualToThreshold"),
        ("GreaterThanOrEqualToThreshold", "GreaterThanOrEqualToThreshold"),
        ("LessThanThreshold", "LessThanThreshold"),
    ],
)
def test_comparison_accepts_symbols_and_cloudwatch_names(comparison: str, expected: str) -> None:
    (entry,) = (
        parse_profile(json.dumps(profile(step_scaling=[step(comparison=comparison)])), SOURCE).top.step_scaling or ()
    )
    assert entry.comparison == expected


@pytest.mark.parametrize("comparison", ["=>", "==", "GreaterThan", "greaterthanthreshold", 1])
def test_an_unknown_comparison_is_refused(comparison: Any) -> None:
    assert problems(profile(step_scaling=[step(comparison=comparison)])) == [
        (
            "profile p: step_scaling[0].comparison",
            f"{comparison!r}: expected one of >=, >, <, <=, GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
            "LessThanThreshold, LessThanOrEqualToThreshold",
        )
    ]


@pytest.mark.parametrize("period", [10, 20, 30, 60, 120, 3600, 86400])
def test_alarm_periods_of_10_20_30_or_multiples_of_60_are_accepted(period: int) -> None:
    (entry,) = parse_profile(json.dumps(profile(step_scaling=[step(period=period)])), SOURCE).top.step_scaling or ()
    assert entry.period == period


@pytest.mark.parametrize(
    ("period", "message"),
    [
        (15, "15: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds"),
        (40, "40: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds"),
        (90, "90: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds"),
        (5, "5 is outside 10..86400"),
        (0, "0 is outside 10..86400"),
        (86460, "86460 is outside 10..86400"),
        (60.0, "60.0 is not a whole number"),
    ],
)
def test_other_alarm_periods_are_refused(period: Any, message: str) -> None:
    assert problems(profile(step_scaling=[step(period=period)])) == [("profile p: step_scaling[0].period", message)]


def test_datapoints_to_alarm_above_evaluation_periods_is_refused() -> None:
    assert problems(profile(step_scaling=[step(evaluation_periods=2, datapoints_to_alarm=3)])) == [
        ("profile p: step_scaling[0].datapoints_to_alarm", "3 is more than evaluation_periods 2")
    ]


def test_datapoints_to_alarm_defaults_to_evaluation_periods() -> None:
    (entry,) = (
        parse_profile(json.dumps(profile(step_scaling=[step(evaluation_periods=3)])), SOURCE).top.step_scaling or ()
    )
    assert (entry.evaluation_periods, entry.datapoints_to_alarm) == (3, 3)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("evaluation_periods", 0, "0 is outside 1..100"),
        ("evaluation_periods", 101, "101 is outside 1..100"),
        ("datapoints_to_alarm", 0, "0 is outside 1..100"),
        ("threshold", "100", "'100' is not a finite number"),
        ("threshold", None, "None is not a finite number"),
        ("cooldown", -5, "-5 is outside 0..86400"),
        ("cooldown", 86401, "86401 is outside 0..86400"),
        ("metric_aggregation", "Avg", "'Avg': expected one of Average, Minimum, Maximum"),
        (
            "adjustment_type",
            "chnage",
            "'chnage': expected one of change, percent, exact, "
            "ChangeInCapacity, PercentChangeInCapacity, ExactCapacity",
        ),
        ("name", "a/b", "'a/b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
        ("metric", "invocations", "must be a mapping, not a string"),
    ],
)
def test_step_policy_fields_have_types_and_ranges(field: str, value: Any, message: str) -> None:
    assert problems(profile(step_scaling=[step(**{field: value})])) == [
        (f"profile p: step_scaling[0].{field}", message)
    ]


@pytest.mark.parametrize("value", ["missing", "notBreaching", "breaching", "ignore"])
def test_treat_missing_data_takes_the_cloudwatch_values(value: str) -> None:
    (entry,) = (
        parse_profile(json.dumps(profile(step_scaling=[step(treat_missing_data=value)])), SOURCE).top.step_scaling or ()
    )
    assert entry.treat_missing_data == value


@pytest.mark.parametrize("value", ["Missing", "notbreaching", "zero", 0])
def test_other_treat_missing_data_values_are_refused(value: Any) -> None:
    assert problems(profile(step_scaling=[step(treat_missing_data=value)])) == [
        (
            "profile p: step_scaling[0].treat_missing_data",
            f"{value!r}: expected one of missing, notBreaching, breaching, ignore",
        )
    ]


@pytest.mark.parametrize("field", ["name", "metric", "comparison", "threshold", "adjustment_type", "steps"])
def test_step_policy_required_fields(field: str) -> None:
    assert problems(profile(step_scaling=[step(**{field: DROP})])) == [
        (f"profile p: step_scaling[0].{field}", "is required")
    ]


def test_duplicate_step_policy_names_are_refused() -> None:
    assert problems(profile(step_scaling=[step(), step()])) == [("profile p: step_scaling[1]", "duplicate name 's'")]


def test_more_than_50_step_policies_are_refused() -> None:
    entry = (
        "{{name: s{i}, metric: {{namespace: n, name: m}}, comparison: '>', threshold: 1,"
        " adjustment_type: change, steps: [{{lower: 0, adjustment: 1}}]}}"
    )
    text = "version: 1\nstep_scaling: [" + ",".join(entry.format(i=i) for i in range(51)) + "]\n"
    assert problems(text) == [("profile p: step_scaling", "51 entries: AWS allows at most 50 per scalable target")]


# ------------------------------------------------------------------ schedules

SCHEDULE = "profile p: schedules[0]"


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("cron(0 8 1 * MON *)", "'cron(0 8 1 * MON *)': one of day-of-month and day-of-week must be '?' (or '*')"),
        ("cron(0 8 * * ?)", "'cron(0 8 * * ?)': cron needs 6 fields"),
        (
            "rate(0 minutes)",
            "'rate(0 minutes)' is not at(yyyy-mm-ddThh:mm:ss), rate(N minute|minutes|hour|hours|day|days) "
            "or cron(6 fields)",
        ),
        ("at(2026-02-30T00:00:00)", "'at(2026-02-30T00:00:00)': not a real date and time"),
        ("every day", "'every day' is not at("),
    ],
)
def test_a_bad_schedule_expression_is_refused(expression: str, message: str) -> None:
    expect(profile(schedules=[schedule(schedule=expression)]), f"{SCHEDULE}.schedule", message)


@pytest.mark.parametrize(
    ("zone", "hint"),
    [
        ("Europe/Berln", "; did you mean 'Europe/Berlin'?"),
        ("europe/berlin", "; did you mean 'Europe/Berlin'?"),
        ("../etc/passwd", ""),
        ("Mars/Olympus", ""),
    ],
)
def test_an_unknown_time_zone_is_refused(zone: str, hint: str) -> None:
    assert problems(profile(schedules=[schedule(timezone=zone)])) == [
        (f"{SCHEDULE}.timezone", f"{zone!r} is not an IANA time zone{hint}")
    ]


def test_the_time_zone_is_named_in_the_second_schedule() -> None:
    document = profile(schedules=[schedule(), schedule(name="evening", timezone="Europe/Berln")])
    assert problems(document) == [
        ("profile p: schedules[1].timezone", "'Europe/Berln' is not an IANA time zone; did you mean 'Europe/Berlin'?")
    ]


@pytest.mark.parametrize(
    "value", ["2026-01-01T00:00:00", "2026-01-01", "tomorrow", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00z", 5]
)
def test_start_must_be_an_iso_time_with_a_zone(value: Any) -> None:
    assert problems(profile(schedules=[schedule(start=value)])) == [
        (f"{SCHEDULE}.start", f"{value!r} is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")
    ]


def test_a_date_only_yaml_start_stays_a_string_and_is_refused() -> None:
    text = "version: 1\nschedules:\n  - {name: a, schedule: rate(1 day), min: 1, start: 2026-01-01}\n"
    assert problems(text) == [
        (f"{SCHEDULE}.start", "'2026-01-01' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")
    ]


def test_start_and_end_with_offsets_are_kept_in_utc() -> None:
    document = profile(schedules=[schedule(start="2026-01-01T01:00:00+01:00", end="2026-06-01T00:00:00Z")])
    (entry,) = parse_profile(json.dumps(document), SOURCE).top.schedules or ()
    assert (entry.start, entry.end) == (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC))


@pytest.mark.parametrize("end", ["2025-12-31T00:00:00Z", "2026-01-01T00:00:00Z", "2026-01-01T01:00:00+01:00"])
def test_end_not_after_start_is_refused(end: str) -> None:
    assert problems(profile(schedules=[schedule(start="2026-01-01T00:00:00Z", end=end)])) == [
        (f"{SCHEDULE}.end", "must be after start")
    ]


def test_a_schedule_setting_neither_min_nor_max_is_refused() -> None:
    assert problems(profile(schedules=[schedule(min=DROP)])) == [(SCHEDULE, "a scheduled action sets min, max or both")]


def test_a_schedule_min_above_its_max_is_refused() -> None:
    assert problems(profile(schedules=[schedule(min=5, max=2)])) == [(f"{SCHEDULE}.min", "5 is greater than max 2")]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("min", -1, "-1 is outside 0..inf"),
        ("min", "2", "'2' is not a whole number"),
        ("max", 2.0, "2.0 is not a whole number"),
        ("max", True, "True is not a whole number"),
        ("name", "a:b", "'a:b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
        ("name", "a/b", "'a/b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
        ("schedule", 5, "5 is not a non-empty printable string of at most 256 characters"),
        ("timezone", "", "'' is not a non-empty printable string of at most 64 characters"),
    ],
)
def test_schedule_fields_have_types_and_ranges(field: str, value: Any, message: str) -> None:
    assert problems(profile(schedules=[schedule(**{field: value})])) == [(f"{SCHEDULE}.{field}", message)]


@pytest.mark.parametrize("field", ["name", "schedule"])
def test_schedule_required_fields(field: str) -> None:
    assert problems(profile(schedules=[schedule(**{field: DROP})])) == [(f"{SCHEDULE}.{field}", "is required")]


def test_duplicate_schedule_names_are_refused() -> None:
    assert problems(profile(schedules=[schedule(), schedule()])) == [
        ("profile p: schedules[1]", "duplicate name 'peak'")
    ]


def test_a_duplicate_after_an_invalid_entry_names_its_own_index() -> None:
    document = profile(schedules=[schedule(name="broken", schedule=DROP), schedule(), schedule()])
    assert problems(document) == [
        ("profile p: schedules[0].schedule", "is required"),
        ("profile p: schedules[2]", "duplicate name 'peak'"),
    ]


def _schedules_yaml(count: int) -> str:
    alphabet = string.ascii_lowercase + string.digits
    names = [alphabet[i // 36] + alphabet[i % 36] for i in range(count)]
    return "version: 1\nschedules: [" + ",".join(f"{{name: {n},schedule: rate(1 day),max: 1}}" for n in names) + "]\n"


def test_two_hundred_schedules_are_accepted() -> None:
    parsed = parse_profile(_schedules_yaml(200), SOURCE)
    assert len(parsed.top.schedules or ()) == 200


def test_more_than_200_schedules_are_refused() -> None:
    text = _schedules_yaml(201)
    assert len(text.encode()) <= 8192
    assert problems(text) == [("profile p: schedules", "201 entries: AWS allows at most 200 per scalable target")]


def test_schedules_must_be_a_list() -> None:
    assert problems(profile(schedules=schedule())) == [("profile p: schedules", "must be a list")]


# ------------------------------------------------------------------ suspend


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([], SuspendedState()),
        ("all", SuspendedState(True, True, True)),
        ("none", SuspendedState()),
        (["scale-in", "scheduled"], SuspendedState(scale_in=True, scheduled=True)),
        ("scale-out+scheduled", SuspendedState(scale_out=True, scheduled=True)),
    ],
)
def test_suspend_takes_a_list_or_the_tag_grammar(value: Any, expected: SuspendedState) -> None:
    assert parse_profile(json.dumps(profile(suspend=value)), SOURCE).top.suspend == expected


@pytest.mark.parametrize("value", [5, ["scale-in", 5], {"scale-in": True}, True])
def test_suspend_of_the_wrong_type_is_refused(value: Any) -> None:
    assert problems(profile(suspend=value)) == [
        ("profile p: suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")
    ]


def test_suspend_with_an_unknown_word_is_refused() -> None:
    expect(profile(suspend=["scale-in", "bogus"]), "profile p: suspend", "'scale-in bogus': expected none, all")


# ------------------------------------------------------------------ ProfileStore

PREFIX = "/sagemaker-autoscaler/profiles"
VALID = json.dumps(profile(min=1, max=4))


@dataclass(frozen=True)
class Parameter:
    type: str
    value: str


class FakeParameters:
    def __init__(self, parameters: dict[str, Parameter]) -> None:
        self.parameters = parameters
        self.reads: list[str] = []

    def __call__(self, name: str) -> Parameter | None:
        self.reads.append(name)
        return self.parameters.get(name)


def test_a_bare_name_resolves_under_the_prefix() -> None:
    ssm = FakeParameters({f"{PREFIX}/business-hours": Parameter("String", VALID)})
    loaded = ProfileStore(ssm, PREFIX).load(ProfileRef("business-hours"))
    assert ssm.reads == [f"{PREFIX}/business-hours"]
    assert loaded.source == "profile business-hours"
    assert (loaded.top.min_capacity, loaded.top.max_capacity) == (1, 4)


def test_a_full_name_inside_the_prefix_is_read_as_is() -> None:
    ssm = FakeParameters({f"{PREFIX}/team/a": Parameter("String", VALID)})
    loaded = ProfileStore(ssm, PREFIX).load(ProfileRef(f"{PREFIX}/team/a"))
    assert ssm.reads == [f"{PREFIX}/team/a"]
    assert loaded.source == f"profile {PREFIX}/team/a"


@pytest.mark.parametrize("name", ["/other/a", f"{PREFIX}-evil/a", PREFIX, "/sagemaker-autoscaler/a"])
def test_a_full_name_outside_the_prefix_is_refused_without_reading(name: str) -> None:
    ssm = FakeParameters({name: Parameter("String", VALID)})
    with pytest.raises(ConfigError) as caught:
        ProfileStore(ssm, PREFIX).load(ProfileRef(name))
    assert caught.value.problems == (Problem(f"profile {name}", f"is outside the profile prefix {PREFIX}/"),)
    assert ssm.reads == []


def test_a_missing_parameter_is_a_config_error() -> None:
    ssm = FakeParameters({})
    with pytest.raises(ConfigError) as caught:
        ProfileStore(ssm, PREFIX).load(ProfileRef("gone"))
    assert caught.value.problems == (Problem("profile gone", f"parameter {PREFIX}/gone does not exist"),)


@pytest.mark.parametrize("kind", ["SecureString", "StringList"])
def test_secure_string_and_string_list_parameters_are_refused(kind: str) -> None:
    ssm = FakeParameters({f"{PREFIX}/p": Parameter(kind, VALID)})
    with pytest.raises(ConfigError) as caught:
        ProfileStore(ssm, PREFIX).load(ProfileRef("p"))
    assert caught.value.problems == (Problem("profile p", f"is a {kind} parameter: profiles are String parameters"),)


def test_an_invalid_profile_names_the_profile_and_its_selector() -> None:
    ssm = FakeParameters({f"{PREFIX}/p:prod": Parameter("String", json.dumps(profile(min=5, max=2)))})
    with pytest.raises(ConfigError) as caught:
        ProfileStore(ssm, PREFIX).load(ProfileRef("p", "prod"))
    assert caught.value.problems == (Problem("profile p:prod: min", "5 is greater than max 2"),)


@pytest.mark.parametrize("selector", ["prod", "3"])
def test_label_and_version_selectors_are_passed_through(selector: str) -> None:
    ssm = FakeParameters({f"{PREFIX}/p:{selector}": Parameter("String", VALID)})
    loaded = ProfileStore(ssm, PREFIX).load(ProfileRef("p", selector))
    assert ssm.reads == [f"{PREFIX}/p:{selector}"]
    assert loaded.source == f"profile p:{selector}"


def test_a_selector_on_a_full_name_is_passed_through() -> None:
    ssm = FakeParameters({f"{PREFIX}/p:prod": Parameter("String", VALID)})
    ProfileStore(ssm, PREFIX).load(ProfileRef(f"{PREFIX}/p", "prod"))
    assert ssm.reads == [f"{PREFIX}/p:prod"]


def test_the_store_reads_each_parameter_once() -> None:
    ssm = FakeParameters(
        {
            f"{PREFIX}/a": Parameter("String", VALID),
            f"{PREFIX}/a:prod": Parameter("String", VALID),
            f"{PREFIX}/b": Parameter("String", VALID),
        }
    )
    store = ProfileStore(ssm, PREFIX)
    first = store.load(ProfileRef("a"))
    assert store.load(ProfileRef("a")) is first
    assert store.load(ProfileRef(f"{PREFIX}/a")) is first
    store.load(ProfileRef("a", "prod"))
    store.load(ProfileRef("b"))
    store.load(ProfileRef("a", "prod"))
    assert ssm.reads == [f"{PREFIX}/a", f"{PREFIX}/a:prod", f"{PREFIX}/b"]


def test_the_store_remembers_failures_too() -> None:
    ssm = FakeParameters({f"{PREFIX}/bad": Parameter("String", "{")})
    store = ProfileStore(ssm, PREFIX)
    for _ in range(2):
        with pytest.raises(ConfigError) as caught:
            store.load(ProfileRef("missing"))
        assert caught.value.problems == (Problem("profile missing", f"parameter {PREFIX}/missing does not exist"),)
        with pytest.raises(ConfigError, match=r"^profile bad: invalid JSON at line 1 column 2"):
            store.load(ProfileRef("bad"))
    assert ssm.reads == [f"{PREFIX}/missing", f"{PREFIX}/bad"]


def test_a_new_store_reads_again() -> None:
    ssm = FakeParameters({f"{PREFIX}/a": Parameter("String", VALID)})
    ProfileStore(ssm, PREFIX).load(ProfileRef("a"))
    ProfileStore(ssm, PREFIX).load(ProfileRef("a"))
    assert ssm.reads == [f"{PREFIX}/a", f"{PREFIX}/a"]


def test_parameter_name_resolves_without_reading() -> None:
    ssm = FakeParameters({})
    store = ProfileStore(ssm, PREFIX)
    assert store.parameter_name(ProfileRef("x")) == f"{PREFIX}/x"
    assert store.parameter_name(ProfileRef(f"{PREFIX}/x")) == f"{PREFIX}/x"
    assert ssm.reads == []


# ------------------------------------------------------------------ property: mutated profiles are always rejected

BASE: dict[str, Any] = {
    "version": 1,
    "min": 1,
    "max": 8,
    "limits": {"max": 12},
    "target_tracking": [
        {"metric": "invocations", "target": 70, "scale_in_cooldown": 600, "disable_scale_in": False},
        {
            "name": "cpu-norm",
            "target": 60,
            "metric": {
                "metrics": [
                    {
                        "id": "m1",
                        "metric": {**CPU, "dimensions": {"EndpointName": "{endpoint}", "VariantName": "{variant}"}},
                        "stat": "Average",
                        "return_data": False,
                    },
                    {"id": "e1", "expression": "m1 / 4", "return_data": True},
                ]
            },
        },
        {
            "metric": {
                "namespace": "AWS/SageMaker",
                "name": "ModelLatency",
                "dimensions": [{"name": "EndpointName", "value": "{endpoint}"}],
            },
            "target": 50000,
        },
    ],
    "step_scaling": [
        step(
            name="overhead-latency",
            period=60,
            evaluation_periods=2,
            datapoints_to_alarm=2,
            treat_missing_data="notBreaching",
            metric_aggregation="Average",
            cooldown=120,
            steps=[{"lower": 0, "upper": 50000, "adjustment": 1}, {"lower": 50000, "adjustment": 3}],
        )
    ],
    "schedules": [
        schedule(timezone="Europe/Berlin", start="2026-01-01T00:00:00Z", end="2026-12-31T00:00:00Z", min=2, max=8),
        {"name": "evening", "schedule": "cron(0 19 ? * MON-FRI *)", "min": 1},
    ],
    "suspend": [],
    "variants": {"AllTraffic": {"max": 12, "target_tracking": [{"metric": "cpu", "target": 70}]}},
}

TT, SS, SC, VT = (
    ("target_tracking",),
    ("step_scaling", 0),
    ("schedules",),
    ("variants", "AllTraffic", "target_tracking", 0),
)
QUERIES = (*TT, 1, "metric", "metrics")
REQUIRED: list[tuple[Any, ...]] = [
    ("version",),
    (*TT, 0, "metric"),
    (*TT, 0, "target"),
    (*TT, 1, "name"),
    (*TT, 1, "metric", "metrics"),
    (*QUERIES, 0, "id"),
    (*QUERIES, 0, "metric"),
    (*QUERIES, 0, "metric", "namespace"),
    (*QUERIES, 0, "metric", "name"),
    (*QUERIES, 1, "id"),
    (*QUERIES, 1, "expression"),
    (*TT, 2, "metric", "namespace"),
    (*TT, 2, "metric", "name"),
    (*TT, 2, "target"),
    *((*SS, key) for key in ("name", "metric", "comparison", "threshold", "adjustment_type", "steps")),
    (*SS, "metric", "namespace"),
    (*SS, "metric", "name"),
    (*SS, "steps", 0, "adjustment"),
    (*SS, "steps", 1, "adjustment"),
    (*SC, 0, "name"),
    (*SC, 0, "schedule"),
    (*SC, 1, "name"),
    (*SC, 1, "schedule"),
    (*SC, 1, "min"),
    (*VT, "metric"),
    (*VT, "target"),
]
INTEGER_FIELDS = frozenset(
    {
        "version",
        "min",
        "max",
        "scale_in_cooldown",
        "scale_out_cooldown",
        "period",
        "evaluation_periods",
        "datapoints_to_alarm",
        "adjustment",
        "cooldown",
        "min_adjustment_magnitude",
    }
)
# Mappings whose keys are names the user chooses, not fields: an extra key there is not an unknown field.
FREE_KEYS = frozenset({("variants",), (*QUERIES, 0, "metric", "dimensions")})
KNOWN_FIELDS = frozenset(
    {
        "version",
        "limits",
        "variants",
        "min",
        "max",
        "target_tracking",
        "step_scaling",
        "schedules",
        "suspend",
        "metric",
        "metrics",
        "target",
        "name",
        "namespace",
        "statistic",
        "unit",
        "dimensions",
        "id",
        "stat",
        "expression",
        "label",
        "return_data",
        "comparison",
        "threshold",
        "period",
        "evaluation_periods",
        "datapoints_to_alarm",
        "treat_missing_data",
        "adjustment_type",
        "min_adjustment_magnitude",
        "metric_aggregation",
        "steps",
        "cooldown",
        "lower",
        "upper",
        "adjustment",
        "schedule",
        "timezone",
        "start",
        "end",
        "scale_in_cooldown",
        "scale_out_cooldown",
        "disable_scale_in",
    }
)


NODES = nodes(BASE)
MAPPINGS = [path for path, value in [((), BASE), *NODES] if isinstance(value, dict) and path not in FREE_KEYS]


def _replacements(path: tuple[Any, ...], value: Any) -> list[Any]:
    """Values of another type that no rule accepts where `value` stands."""
    if isinstance(value, bool):
        return ["false", 0, [False], {"v": False}, None]
    if isinstance(value, int):
        floats = [float(value)] if path[-1] in INTEGER_FIELDS else []
        return [str(value), [value], {"v": value}, True, *floats]
    if isinstance(value, str):
        return [5, [value], {"v": value}, True, None]
    if isinstance(value, list):
        return [5, "x", {"v": 1}, True]
    return [5, "x", [1], True]


@st.composite
def invalid_profiles(draw: st.DrawFn) -> str:
    document = copy.deepcopy(BASE)
    kind = draw(st.sampled_from(["drop", "retype", "unknown"]))
    if kind == "drop":
        path = draw(st.sampled_from(REQUIRED))
        del parent(document, path)[path[-1]]
    elif kind == "retype":
        path, value = draw(st.sampled_from(NODES))
        parent(document, path)[path[-1]] = draw(st.sampled_from(_replacements(path, value)))
    else:
        path = draw(st.sampled_from(MAPPINGS))
        key = draw(
            st.text(string.ascii_lowercase + "_", min_size=1, max_size=12).filter(lambda k: k not in KNOWN_FIELDS)
        )
        target = document
        for part in path:
            target = target[part]
        target[key] = draw(st.sampled_from([1, "x", None, []]))
    if draw(st.booleans()):
        return json.dumps(document)
    return yaml.safe_dump(document, sort_keys=False)


def test_the_base_of_the_mutations_is_valid() -> None:
    assert parse_profile(json.dumps(BASE), SOURCE).warnings == ()
    assert parse_profile(yaml.safe_dump(BASE, sort_keys=False), SOURCE) == parse_profile(json.dumps(BASE), SOURCE)


@given(invalid_profiles())
@example(json.dumps({**BASE, "version": True}))
@example(json.dumps({**BASE, "version": 1.0}))
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_a_mutated_profile_is_always_rejected_with_problems_under_its_source(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_profile(text, SOURCE)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert problem.source == SOURCE or problem.source.startswith(f"{SOURCE}: ")


def _every_mutation() -> list[tuple[str, dict[str, Any]]]:
    mutations = []
    for path in REQUIRED:
        document = copy.deepcopy(BASE)
        del parent(document, path)[path[-1]]
        mutations.append((f"drop {path}", document))
    for path, value in NODES:
        for replacement in _replacements(path, value):
            document = copy.deepcopy(BASE)
            parent(document, path)[path[-1]] = replacement
            mutations.append((f"set {path} to {replacement!r}", document))
    for path in MAPPINGS:
        document = copy.deepcopy(BASE)
        target = document
        for part in path:
            target = target[part]
        target["zz_unknown"] = 1
        mutations.append((f"add zz_unknown to {path}", document))
    return mutations


def test_every_single_mutation_of_the_base_is_rejected() -> None:
    accepted, misplaced = [], []
    for description, document in _every_mutation():
        try:
            parse_profile(json.dumps(document), SOURCE)
        except ConfigError as exc:
            if not all(p.source == SOURCE or p.source.startswith(f"{SOURCE}: ") for p in exc.problems):
                misplaced.append(description)
        else:
            accepted.append(description)
    assert accepted == []
    assert misplaced == []
    assert len(_every_mutation()) > 400


def test_a_custom_metric_namespace_cannot_start_with_a_colon() -> None:
    document = {
        "version": 1,
        "min": 1,
        "max": 2,
        "target_tracking": [{"metric": {"namespace": ":Acme", "name": "Depth"}, "target": 5}],
    }
    assert problems(document) == [
        ("profile p: target_tracking[0].metric.namespace", "':Acme': CloudWatch namespaces cannot start with ':'")
    ]
