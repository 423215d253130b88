"""The safety net: every request a spec can lead to, checked against botocore's service models before any write."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from botocore.model import Shape
from botocore.validate import ParamValidator

from autoscaler.actions import (
    DeleteAlarms,
    DeletePolicy,
    PutAlarm,
    PutScheduledAction,
    PutStepScalingPolicy,
    RegisterTarget,
    request,
)
from autoscaler.aws import Aws
from autoscaler.constraints import check_requests, input_shape, java_regex, planned_requests, violations
from autoscaler.errors import Problem
from autoscaler.settings import Settings
from autoscaler.spec import (
    AlarmSpec,
    CustomMetric,
    EndpointSpec,
    ScheduledAction,
    StepAdjustment,
    StepScalingPolicy,
    SuspendedState,
    TargetKey,
    TargetTrackingPolicy,
    VariantKind,
    VariantSpec,
)
from autoscaler.state import Hardware
from autoscaler_cli import checks

# Every operation whose request the controller checks (constraints.planned_requests).
CHECKED = (
    ("application-autoscaling", "RegisterScalableTarget"),
    ("application-autoscaling", "PutScalingPolicy"),
    ("application-autoscaling", "PutScheduledAction"),
    ("cloudwatch", "PutMetricAlarm"),
)
TARGET = TargetKey.for_variant("e", "AllTraffic", VariantKind.INSTANCE)
LATENCY = CustomMetric(
    "AWS/SageMaker", "ModelLatency", "Average", (("EndpointName", "e"), ("VariantName", "AllTraffic"))
)


def patterns_of(shape: Shape, seen: set[str] | None = None) -> set[str]:
    seen = set() if seen is None else seen
    if shape.name in seen:
        return set()
    seen.add(shape.name)
    found = {shape.metadata["pattern"]} if "pattern" in shape.metadata else set()
    for child in _children(shape):
        found |= patterns_of(child, seen)
    return found


def _children(shape: Shape) -> list[Shape]:
    if shape.type_name == "structure":
        return list(shape.members.values())  # type: ignore[attr-defined]
    if shape.type_name == "list":
        return [shape.member]  # type: ignore[attr-defined]
    if shape.type_name == "map":
        return [shape.key, shape.value]  # type: ignore[attr-defined]
    return []


def variant(**changes: Any) -> VariantSpec:
    step = StepScalingPolicy("autoscaler-AllTraffic-step-latency", "ChangeInCapacity", (StepAdjustment(1, 0.0),))
    alarm = AlarmSpec(
        "autoscaler/e/AllTraffic/latency", LATENCY, "GreaterThanThreshold", 500.0, 60, 2, 2, "missing", step.name
    )
    base = VariantSpec(
        "e",
        "AllTraffic",
        VariantKind.INSTANCE,
        1,
        4,
        SuspendedState(),
        (TargetTrackingPolicy("autoscaler-AllTraffic-latency", "latency", LATENCY, 100.0),),
        (
            ScheduledAction(
                "autoscaler-AllTraffic-peak", "cron(0 8 * * ? *)", "Europe/Berlin", min_capacity=2, key="peak"
            ),
        ),
        ((replace(step, step_key="latency"), alarm),),
    )
    return replace(base, **changes)


def problems(spec_variant: VariantSpec) -> list[str]:
    return [str(p) for p in check_requests(EndpointSpec("e", (spec_variant,)))]


# ---------------------------------------------------------------------------------------------- why it is needed


def test_botocores_own_validator_checks_neither_max_pattern_nor_enum_and_the_walker_does() -> None:
    # given a PutMetricAlarm breaking a max length, a pattern and an enum of the model
    shape = input_shape("cloudwatch", "PutMetricAlarm")
    params = {"AlarmName": "a" * 256, "Namespace": ":AWS", "Statistic": "p99"}
    # when botocore validates it as boto3 does before sending, then nothing is reported
    assert not ParamValidator().validate(params, shape).has_errors()
    # and the walker reports all three
    assert {(v.member, v.kind) for v in violations(shape, params)} == {
        ("AlarmName", "max_length"),
        ("Namespace", "pattern"),
        ("Statistic", "enum"),
    }


# ---------------------------------------------------------------------------------------------- Java patterns


def test_every_pattern_of_the_checked_shapes_translates_to_python() -> None:
    found = set().union(*(patterns_of(input_shape(service, operation)) for service, operation in CHECKED))
    assert len(found) >= 4  # the model has them: the walk reached them
    for pattern in found:
        java_regex(pattern)  # raises ValueError for any construct it does not translate


@pytest.mark.parametrize(
    ("pattern", "accepted", "refused"),
    [
        # XmlString and friends: UTF-16 surrogate pairs in a Java class are one supplementary range
        (
            r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*",
            ["", "AWS/SageMaker", "é", "\U0001f600 ok", "a\tb\r\n"],
            ["\x00", "a\x1fb", "\ufffe", "\ud800"],
        ),
        # PolicyName: Java's \p{Print} is US-ASCII only: [\p{Graph}\x20]
        (r"\p{Print}+", ["autoscaler-AllTraffic-invocations", "a b~"], ["", "é", "a\tb", "\x7f"]),
        # ScheduledActionName: no leading or trailing space, no control character, none of : / |
        (
            r"(?!((^[ ]+.*)|(.*([\u0000-\u001f]|[\u007f-\u009f]|[:/|])+.*)|(.*[ ]+$))).+",
            ["autoscaler-AllTraffic-peak", "a b"],
            ["", " a", "a ", "a:b", "a/b", "a|b", "a\x7fb", "a\x85b", "a \n"],
        ),
        # CloudWatch Namespace: Java's '.' matches no line terminator (\n, \r, \u0085, \u2028, \u2029)
        (r"[^:].*", ["AWS/SageMaker", "a:b"], [":AWS", "", "a\nb", "a\rb", "a\u2028b", "a\u0085"]),
    ],
)
def test_java_patterns_match_what_java_matches(pattern: str, accepted: list[str], refused: list[str]) -> None:
    regex = java_regex(pattern)
    assert [text for text in accepted if not regex.fullmatch(text)] == []
    assert [text for text in refused if regex.fullmatch(text)] == []


def test_java_digit_and_word_classes_stay_ascii() -> None:
    assert java_regex(r"\d+\w*").fullmatch("12ab_")
    assert not java_regex(r"\d+").fullmatch("٣")


@pytest.mark.parametrize("pattern", [r"\p{L}+", r"[a-z&&[^aeiou]]", r"\h+", r"\Qa.b\E", r"[\P{Print}]", r"[a"])
def test_java_constructs_without_a_translation_are_refused_not_guessed(pattern: str) -> None:
    with pytest.raises(ValueError, match=r"untranslated|unclosed"):
        java_regex(pattern)


# ---------------------------------------------------------------------------------------------- the spec's requests


def test_a_valid_spec_passes_and_every_request_it_can_lead_to_is_checked() -> None:
    spec = EndpointSpec("e", (variant(),))
    assert check_requests(spec) == ()
    assert [(p.source, p.request.operation) for p in planned_requests(spec)] == [
        ("variant AllTraffic: min/max", "RegisterScalableTarget"),
        ("variant AllTraffic: target_tracking latency", "PutScalingPolicy"),
        ("variant AllTraffic: step_scaling latency", "PutScalingPolicy"),
        ("variant AllTraffic: step_scaling latency alarm", "PutMetricAlarm"),
        ("variant AllTraffic: schedules peak", "PutScheduledAction"),
        ("variant AllTraffic: schedules peak (the bounds once it runs)", "RegisterScalableTarget"),
    ]


def test_a_fired_schedule_registers_its_bounds_with_the_other_bound_of_the_variant() -> None:
    registered = [p.request.params for p in planned_requests(EndpointSpec("e", (variant(),)))][-1]
    assert (registered["MinCapacity"], registered["MaxCapacity"]) == (2, 4)


def test_an_alarm_is_checked_with_a_policy_arn_of_awss_format() -> None:
    alarm = next(
        p for p in planned_requests(EndpointSpec("e", (variant(),))) if p.request.operation == "PutMetricAlarm"
    )
    assert alarm.request.params["AlarmActions"] == [
        "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-0000-0000-000000000000:"
        "resource/sagemaker/endpoint/e/variant/AllTraffic:policyName/autoscaler-AllTraffic-step-latency"
    ]


def test_a_statistic_outside_the_enum_names_the_policy_and_the_member() -> None:
    odd = replace(LATENCY, statistic="p99")
    assert problems(
        variant(policies=(TargetTrackingPolicy("autoscaler-AllTraffic-latency", "latency", odd, 5.0),))
    ) == [
        "variant AllTraffic: target_tracking latency: PutScalingPolicy.TargetTrackingScalingPolicyConfiguration."
        "CustomizedMetricSpecification.Statistic: Statistic 'p99' is not one of Average, Minimum, Maximum, "
        "SampleCount, Sum"
    ]


def test_an_alarm_name_over_cloudwatchs_length_is_refused() -> None:
    ((step, alarm),) = variant().step_policies
    assert problems(variant(step_policies=((step, replace(alarm, name="a" * 256)),))) == [
        "variant AllTraffic: step_scaling latency alarm: PutMetricAlarm.AlarmName: AlarmName is 256 characters "
        "long: AWS takes at most 255",
    ]


def test_a_scheduled_action_name_with_a_colon_names_the_schedule_by_the_profiles_name() -> None:
    (action,) = variant().schedules
    assert problems(variant(schedules=(replace(action, name="autoscaler-AllTraffic-a:b"),))) == [
        "variant AllTraffic: schedules peak: PutScheduledAction.ScheduledActionName: ScheduledActionName "
        "'autoscaler-AllTraffic-a:b' does not match AWS's pattern "
        r"(?!((^[ ]+.*)|(.*([\u0000-\u001f]|[\u007f-\u009f]|[:/|])+.*)|(.*[ ]+$))).+"
    ]


def test_types_the_model_does_not_take_are_refused_even_where_python_would_convert() -> None:
    shape = input_shape("application-autoscaling", "RegisterScalableTarget")
    params = {**TARGET.api(), "MinCapacity": True, "MaxCapacity": 2.5, "Unknown": 1}
    assert {(v.member, v.kind) for v in violations(shape, params)} == {
        ("MinCapacity", "type"),
        ("MaxCapacity", "type"),
        ("Unknown", "unknown"),
    }
    assert {(v.member, v.kind) for v in violations(shape, {"ServiceNamespace": "sagemaker"})} == {
        ("ResourceId", "required"),
        ("ScalableDimension", "required"),
    }


def test_a_target_value_that_is_not_finite_is_not_a_double_aws_takes() -> None:
    shape = input_shape("application-autoscaling", "PutScalingPolicy")
    params = {
        **TARGET.api(),
        "PolicyName": "p",
        "TargetTrackingScalingPolicyConfiguration": {"TargetValue": float("inf")},
    }
    assert [(v.dotted(), v.kind) for v in violations(shape, params)] == [
        ("TargetTrackingScalingPolicyConfiguration.TargetValue", "type")
    ]


# ---------------------------------------------------------------------------------------------- one renderer


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        def call(**params: Any) -> dict[str, Any]:
            self.calls.append((method, params))
            return {"PolicyARN": "arn:policy"}

        return call


@pytest.mark.parametrize(
    "action",
    [
        RegisterTarget("r", TARGET, 1, 4, SuspendedState(scheduled=True)),
        PutStepScalingPolicy("r", TARGET, variant().step_policies[0][0]),
        PutAlarm("r", TARGET, variant().step_policies[0][1], "arn:policy"),
        PutScheduledAction("r", TARGET, variant().schedules[0]),
        DeletePolicy("r", TARGET, "autoscaler-AllTraffic-latency"),
    ],
)
def test_what_aws_sends_is_the_request_the_checker_checks(action: Any) -> None:
    recorder = Recorder()
    Aws(None, recorder, recorder, None, None, None).apply(action)
    rendered = request(action)
    assert recorder.calls == [(rendered.method, dict(rendered.params))]


def test_delete_alarms_is_batched_by_its_sender_not_rendered() -> None:
    with pytest.raises(TypeError, match="no request for DeleteAlarms"):
        request(DeleteAlarms("r", ("a",)))


# ---------------------------------------------------------------------------------------------- where it is called


def validation(profile: dict[str, Any]) -> checks.Validation:
    return checks.validate(
        checks.tag_arguments(["enabled=true"], "autoscaling"),
        json.dumps(profile),
        "p",
        Settings(),
        ("AllTraffic",),
        "ml.m5.xlarge",
        lambda _: Hardware(4, 0),
        False,
    )


def test_the_offline_validate_rejects_what_only_the_service_model_refuses() -> None:
    # given a step alarm on a dimension value longer than CloudWatch's 1,024 characters (the profile schema takes any
    # length)
    profile = {
        "version": 1,
        "min": 1,
        "max": 4,
        "step_scaling": [
            {
                "name": "latency",
                "metric": {
                    "namespace": "AWS/SageMaker",
                    "name": "ModelLatency",
                    "dimensions": {"EndpointName": "x" * 1025},
                },
                "comparison": ">",
                "threshold": 5,
                "adjustment_type": "change",
                "steps": [{"lower": 0, "adjustment": 1}],
            }
        ],
    }
    # when validate checks it, then it is rejected, naming the alarm and the member, with CloudWatch's limit
    (problem,) = validation(profile).errors
    assert problem.source == "variant AllTraffic: step_scaling latency alarm: PutMetricAlarm.Dimensions[0].Value"
    assert problem.message == "Value is 1025 characters long: AWS takes at most 1024"
    # and without the odd unit it is accepted
    profile["step_scaling"][0]["metric"]["dimensions"] = {"EndpointName": "x" * 1024}
    assert validation(profile).errors == ()


def test_build_spec_raises_the_violations_as_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # given a checker that finds a violation in every spec
    found = (Problem("variant AllTraffic: min/max: RegisterScalableTarget.MinCapacity", "refused"),)
    monkeypatch.setattr("autoscaler.sources.check_requests", lambda spec: found)
    # when a valid configuration is desired, then it is rejected with that problem
    profile = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "invocations", "target": 70}]}
    assert validation(profile).errors == found
