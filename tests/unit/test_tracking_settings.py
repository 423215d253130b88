"""The target-tracking settings are one table (``autoscaler.scaling.TRACKING_SETTINGS``): the tag grammar, the profile
schema, the policy and its AWS encoding and decoding all read it, and an incomplete row is refused when the module
loads."""

from __future__ import annotations

import pytest

from autoscaler.profile_model import TrackingEntry
from autoscaler.profile_schema import TRACKING
from autoscaler.scaling import (
    TRACKING_DEFAULTS,
    TRACKING_SETTINGS,
    PredefinedMetric,
    TargetTrackingPolicy,
    TrackingSetting,
    check_tracking_table,
)
from autoscaler.tags import KEYS, parse_bool, parse_cooldown

POLICY = TargetTrackingPolicy("p", "invocations", PredefinedMetric("SageMakerVariantInvocationsPerInstance"), 70.0)


def test_the_shipped_table_gives_each_setting_its_tag_key_profile_field_and_aws_member() -> None:
    assert check_tracking_table(TRACKING_SETTINGS) == TRACKING_DEFAULTS
    assert TRACKING_DEFAULTS == {"scale_in_cooldown": 300, "scale_out_cooldown": 300, "disable_scale_in": False}
    assert {key: (k.field, k.parse, k.tracking) for key, k in KEYS.items() if k.tracking} == {
        "scale-in-cooldown": ("scale_in_cooldown", parse_cooldown, "scale_in_cooldown"),
        "scale-out-cooldown": ("scale_out_cooldown", parse_cooldown, "scale_out_cooldown"),
        "disable-scale-in": ("disable_scale_in", parse_bool, "disable_scale_in"),
    }
    assert [f.name for f in TRACKING.fields][-3:] == list(TRACKING_SETTINGS)
    assert list(POLICY.configuration())[-3:] == ["ScaleInCooldown", "ScaleOutCooldown", "DisableScaleIn"]


def test_the_settings_keep_their_positions_after_each_class_own_leading_fields() -> None:
    policy = TargetTrackingPolicy("p", "k", POLICY.metric, 5.0, 60, 120, True)
    entry = TrackingEntry("k", "invocations", 5.0, 60, 120, True, True)
    assert (policy.scale_in_cooldown, policy.scale_out_cooldown, policy.disable_scale_in) == (60, 120, True)
    assert (entry.scale_in_cooldown, entry.scale_out_cooldown, entry.disable_scale_in) == (60, 120, True)
    assert entry.default_dimensions is True


def test_a_policy_read_back_without_its_settings_has_aws_defaults() -> None:
    config = {k: v for k, v in POLICY.configuration().items() if k == "TargetValue" or "Metric" in k}
    assert TargetTrackingPolicy.from_api("p", config) == POLICY
    changed = TargetTrackingPolicy("p", "k", POLICY.metric, 70.0, 0, 86400, True)
    assert TargetTrackingPolicy.from_api("p", changed.configuration()) == changed


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            {k: v for k, v in TRACKING_SETTINGS.items() if k != "disable_scale_in"},
            "target-tracking setting 'disable_scale_in' (a field of TrackingSettings) has no row in TRACKING_SETTINGS",
        ),
        (
            {**TRACKING_SETTINGS, "warmup": TrackingSetting("Warmup", "cooldown", "warmup")},
            "target-tracking setting 'warmup': not a field of TrackingSettings",
        ),
        (
            {**TRACKING_SETTINGS, "disable_scale_in": TrackingSetting("DisableScaleIn", "flag", "disable-scale-in")},  # type: ignore[arg-type]
            "target-tracking setting 'disable_scale_in': kind 'flag' is not cooldown or bool",
        ),
        (
            {**TRACKING_SETTINGS, "disable_scale_in": TrackingSetting("ScaleInCooldown", "bool", "disable-scale-in")},
            "TRACKING_SETTINGS: two settings have the same AWS member",
        ),
        (
            {**TRACKING_SETTINGS, "disable_scale_in": TrackingSetting("DisableScaleIn", "bool", "scale-in-cooldown")},
            "TRACKING_SETTINGS: two settings have the same tag key",
        ),
    ],
)
def test_an_incomplete_or_clashing_row_is_refused(table: dict[str, TrackingSetting], message: str) -> None:
    with pytest.raises(TypeError) as caught:
        check_tracking_table(table)
    assert str(caught.value) == message
