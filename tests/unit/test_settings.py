"""Settings.from_env(): typed, validated once, errors name the variable."""

from __future__ import annotations

import pytest

from autoscaler.errors import SettingsError
from autoscaler.settings import Settings


def test_defaults_without_environment() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()


def test_every_variable_is_read() -> None:
    settings = Settings.from_env(
        {
            "TAG_PREFIX": "acme",
            "PROFILE_PREFIX": "/acme/profiles",
            "NAME_PREFIX": "acme.scaler",
            "MAX_CAPACITY_CEILING": "50",
            "DRY_RUN": "TRUE",
            "WRITE_STATUS_TAGS": "true",
            "OUTCOME_EVENT_BUS": "ops",
            "DEFAULT_PROFILE": "fleet",
            "AWS_MAX_ATTEMPTS": "8",
            "QUEUE_URL": "https://sqs.eu-west-1.amazonaws.com/1/reconcile.fifo",
        }
    )
    assert settings == Settings(
        tag_prefix="acme",
        profile_prefix="/acme/profiles",
        name_prefix="acme.scaler",
        max_capacity_ceiling=50,
        dry_run=True,
        write_status_tags=True,
        event_bus_name="ops",
        default_profile="fleet",
        max_attempts=8,
        queue_url="https://sqs.eu-west-1.amazonaws.com/1/reconcile.fifo",
    )
    assert settings.reconcile_queue() == settings.queue_url


def test_a_function_that_enqueues_needs_the_queue_url() -> None:
    with pytest.raises(SettingsError, match="QUEUE_URL is not set"):
        Settings.from_env({}).reconcile_queue()


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NAME_PREFIX", "a:b"),
        ("NAME_PREFIX", "a/b"),
        ("NAME_PREFIX", ""),
        ("TAG_PREFIX", "a:b"),
        ("PROFILE_PREFIX", "profiles"),
        ("PROFILE_PREFIX", "/profiles/"),
        ("MAX_CAPACITY_CEILING", "many"),
        ("MAX_CAPACITY_CEILING", "0"),
        ("DRY_RUN", "yes"),
        ("AWS_MAX_ATTEMPTS", "-1"),
    ],
)
def test_bad_variable_is_named_in_the_error(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env({variable: value})
    assert str(caught.value).startswith(variable)
