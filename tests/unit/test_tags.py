"""The tag grammar (README, Tags): every key, every error names its tag key."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from autoscaler.spec import AdoptMode, SuspendedState
from autoscaler.tags import Hold, ProfileRef, did_you_mean, edit_distance, parse_tags

P = "autoscaling"


def test_every_endpoint_level_key_parses_into_typed_values() -> None:
    config = parse_tags(
        {
            f"{P}:enabled": "true",
            f"{P}:profile": "business-hours:prod",
            f"{P}:min": "2",
            f"{P}:max": "08",
            f"{P}:target-invocations": "70",
            f"{P}:target-concurrency": "4.5",
            f"{P}:target-cpu": "60",
            f"{P}:target-memory": "75.5",
            f"{P}:target-gpu": "80",
            f"{P}:target-gpu-memory": "90",
            f"{P}:scale-in-cooldown": "600",
            f"{P}:scale-out-cooldown": "60",
            f"{P}:disable-scale-in": "TRUE",
            f"{P}:suspend": "scale-in+scheduled",
            f"{P}:adopt": "replace",
            f"{P}:status": "applied",
            f"{P}:status-reason": "anything",
            "team": "ml",  # outside the prefix: not ours
        },
        P,
    )
    assert config.errors == ()
    assert config.warnings == ()
    top = config.endpoint
    assert top.enabled is True
    assert (top.min_capacity, top.max_capacity) == (2, 8)
    assert dict(top.targets) == {
        "invocations": 70.0,
        "concurrency": 4.5,
        "cpu": 60.0,
        "memory": 75.5,
        "gpu": 80.0,
        "gpu-memory": 90.0,
    }
    assert (top.scale_in_cooldown, top.scale_out_cooldown, top.disable_scale_in) == (600, 60, True)
    assert top.suspend == SuspendedState(scale_in=True, scale_out=False, scheduled=True)
    assert config.profile == ProfileRef("business-hours", "prod")
    assert config.adopt is AdoptMode.REPLACE
    assert top.source("max_capacity") == f"{P}:max"


def test_per_variant_keys_override_only_their_variant() -> None:
    config = parse_tags(
        {f"{P}:enabled": "true", f"{P}:max": "4", f"{P}:Canary:max": "2", f"{P}:Canary:enabled": "false"}, P
    )
    assert config.endpoint.max_capacity == 4
    assert config.variant("Canary").max_capacity == 2
    assert config.variant("Canary").enabled is False
    assert config.variant("Canary").source("max_capacity") == f"{P}:Canary:max"
    assert config.variant("AllTraffic").max_capacity is None


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("max", "lots", "not a whole number"),
        ("max", "2.5", "not a whole number"),
        ("max", "-1", "not a whole number"),
        ("max", "NaN", "not a whole number"),
        ("max", "\u0664", "ASCII digits only"),  # ARABIC-INDIC DIGIT FOUR
        ("max", "", "not a whole number"),
        ("min", "99999999999999999999", "too large"),
        ("enabled", "ture", "not true or false"),
        ("target-invocations", "0", "greater than 0"),
        ("target-invocations", "Infinity", "not a positive decimal"),
        ("target-invocations", "1e3", "not a positive decimal"),
        ("target-invocations", "-5", "not a positive decimal"),
        ("target-memory", "101", "at most 100"),
        ("target-cpu", "nan", "not a positive decimal"),
        ("scale-in-cooldown", "86401", "more than a day"),
        ("scale-out-cooldown", "1.5", "not a whole number"),
        ("disable-scale-in", "yes", "not true or false"),
        ("suspend", "scale-in,scale-out", "expected none, all"),
        ("suspend", "sometimes", "expected none, all"),
        ("adopt", "steal", "coexist or replace"),
        ("profile", "a b", "not a parameter name"),
    ],
)
def test_bad_value_is_an_error_naming_the_tag_key(key: str, value: str, fragment: str) -> None:
    config = parse_tags({f"{P}:enabled": "true", f"{P}:{key}": value}, P)
    assert [e.source for e in config.errors] == [f"{P}:{key}"]
    assert fragment in config.errors[0].message


def test_bad_value_at_variant_level_names_the_variant_key() -> None:
    config = parse_tags({f"{P}:enabled": "true", f"{P}:AllTraffic:min": "one"}, P)
    assert [e.source for e in config.errors] == [f"{P}:AllTraffic:min"]


@pytest.mark.parametrize(
    ("value", "fragment"), [("3", "expected <count>@"), ("3@2026-13-40T10:00:00Z", "not a valid UTC time")]
)
def test_bad_hold_names_the_variant_key(value: str, fragment: str) -> None:
    config = parse_tags({f"{P}:enabled": "true", f"{P}:AllTraffic:hold": value}, P)
    assert [e.source for e in config.errors] == [f"{P}:AllTraffic:hold"]
    assert fragment in config.errors[0].message


def test_a_variant_hold_parses() -> None:
    config = parse_tags({f"{P}:enabled": "true", f"{P}:AllTraffic:hold": "3@2026-12-01T10:00:00Z"}, P)
    assert config.variant("AllTraffic").hold == Hold(3, datetime(2026, 12, 1, 10, tzinfo=UTC))


def test_near_miss_of_a_known_key_is_an_error_with_did_you_mean() -> None:
    config = parse_tags({f"{P}:enabled": "true", f"{P}:mxa": "4", f"{P}:AllTraffic:scale-in-coldown": "5"}, P)
    messages = {e.source: e.message for e in config.errors}
    assert "did you mean 'max'" in messages[f"{P}:mxa"]
    assert "did you mean 'scale-in-cooldown'" in messages[f"{P}:AllTraffic:scale-in-coldown"]


def test_unrelated_unknown_key_is_only_a_warning() -> None:
    config = parse_tags({f"{P}:enabled": "true", f"{P}:owner": "team-a", f"{P}:a:b:c": "x"}, P)
    assert config.errors == ()
    assert {w.source for w in config.warnings} == {f"{P}:owner", f"{P}:a:b:c"}


def test_endpoint_only_keys_are_refused_per_variant() -> None:
    config = parse_tags({f"{P}:AllTraffic:profile": "x", f"{P}:AllTraffic:adopt": "replace"}, P)
    assert {e.source for e in config.errors} == {f"{P}:AllTraffic:profile", f"{P}:AllTraffic:adopt"}


def test_other_prefixes_and_the_bare_prefix_are_ignored() -> None:
    config = parse_tags({"autoscalingx:max": "lots", "autoscaling": "x", "other:max": "1"}, P)
    assert (config.errors, config.warnings) == ((), ())


def test_a_custom_prefix_is_honoured() -> None:
    config = parse_tags({"acme-scaling:enabled": "true", "autoscaling:max": "lots"}, "acme-scaling")
    assert config.endpoint.enabled is True
    assert config.errors == ()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("none", SuspendedState()),
        ("all", SuspendedState(True, True, True)),
        ("scale-out", SuspendedState(scale_out=True)),
        ("scale-in scale-out", SuspendedState(True, True, False)),
        ("scheduled + scale-in", SuspendedState(True, False, True)),
    ],
)
def test_suspend_values(raw: str, expected: SuspendedState) -> None:
    assert parse_tags({f"{P}:suspend": raw}, P).endpoint.suspend == expected


def test_profile_reference_with_version_or_label() -> None:
    assert parse_tags({f"{P}:profile": "gpu-fleet:3"}, P).profile == ProfileRef("gpu-fleet", "3")
    assert parse_tags({f"{P}:profile": "/x/y/gpu"}, P).profile == ProfileRef("/x/y/gpu", None)


def test_enabled_error_is_recognised() -> None:
    assert parse_tags({f"{P}:enabled": "ture"}, P).enabled_error
    assert not parse_tags({f"{P}:enabled": "true", f"{P}:max": "x"}, P).enabled_error


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("mxa", "max", 1), ("max", "max", 0), ("enabeld", "enabled", 1), ("", "min", 3), ("kitten", "sitting", 3)],
)
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b) == distance


def test_did_you_mean_is_strict_for_short_words() -> None:
    assert did_you_mean("id", frozenset({"min", "max"})) is None
    assert did_you_mean("mx", frozenset({"min", "max"})) == "max"
    assert did_you_mean("enabld", frozenset({"enabled"})) == "enabled"
    assert did_you_mean("owner", frozenset({"min", "max", "enabled"})) is None


@pytest.mark.parametrize(
    "key", ["autoscaling:enabeld", "autoscaling:enable", "autoscaling:Enabled", "AutoScaling:enabled"]
)
def test_a_mistyped_opt_in_is_an_enabled_error_not_an_opt_out(key: str) -> None:
    config = parse_tags({key: "true"}, "autoscaling")
    assert config.endpoint.enabled is None
    assert config.opt_in_typos == (key,)
    assert config.enabled_error


def test_a_known_key_under_the_prefix_in_another_case_is_an_error_with_its_right_spelling() -> None:
    config = parse_tags({"autoscaling:enabled": "true", "AutoScaling:AllTraffic:Max": "3"}, "autoscaling")
    assert [(p.source, p.message) for p in config.errors] == [
        ("AutoScaling:AllTraffic:Max", "tag keys are case-sensitive: did you mean 'autoscaling:AllTraffic:max'?")
    ]
    assert config.opt_in_typos == ()


def test_an_unknown_key_under_the_prefix_in_another_case_is_a_warning() -> None:
    config = parse_tags({"autoscaling:enabled": "true", "AUTOSCALING:owner": "team-a"}, "autoscaling")
    assert config.errors == ()
    assert [(p.source, p.message) for p in config.warnings] == [
        ("AUTOSCALING:owner", "not under the prefix 'autoscaling:' (tag keys are case-sensitive): ignored")
    ]


def test_a_variant_level_typo_of_enabled_is_an_error_but_not_an_opt_in_typo() -> None:
    config = parse_tags({"autoscaling:enabled": "true", "autoscaling:AllTraffic:enabeld": "false"}, "autoscaling")
    assert [p.source for p in config.errors] == ["autoscaling:AllTraffic:enabeld"]
    assert config.opt_in_typos == ()


def test_an_endpoint_level_hold_is_a_warning_and_sets_nothing() -> None:
    config = parse_tags({"autoscaling:enabled": "true", "autoscaling:hold": "3@2026-12-31T00:00:00Z"}, "autoscaling")
    assert config.endpoint.hold is None
    assert [p.source for p in config.warnings] == ["autoscaling:hold"]
