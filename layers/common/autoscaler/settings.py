"""Settings.from_env(): the stack parameters, read once from the environment into one frozen, typed object."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

from autoscaler.errors import SettingsError

_NAME_PREFIX = re.compile(r"^[A-Za-z0-9_.-]{1,32}$")
_TAG_PREFIX = re.compile(r"^[A-Za-z0-9_.=+\-@/]{1,64}$")


@dataclass(frozen=True)
class Settings:
    tag_prefix: str = "autoscaling"
    profile_prefix: str = "/sagemaker-autoscaler/profiles"
    name_prefix: str = "autoscaler"
    max_capacity_ceiling: int = 20
    dry_run: bool = False
    write_status_tags: bool = False
    event_bus_name: str = "default"
    # The profile used by endpoints that opt in without a `profile` tag (a parameter under profile_prefix).
    default_profile: str = "default"
    max_attempts: int = 5
    queue_url: str = ""  # the reconcile queue, for the router and the sweeper (see reconcile_queue)
    refusals_table: str = ""  # the DynamoDB table of refused plans (autoscaler.refusals); empty: none remembered
    # Where a sweep too large for one invocation keeps its reads, its next steps and its lock (autoscaler.sweep_shards):
    # all three, or none (the sweep then always runs in one go, as the CLI's does).
    sweep_bucket: str = ""
    sweep_queue_url: str = ""
    sweep_table: str = ""
    sweep_shards: int = 16

    def __post_init__(self) -> None:
        if not _NAME_PREFIX.match(self.name_prefix):
            raise SettingsError(
                f"NAME_PREFIX {self.name_prefix!r}: 1-32 letters, digits, '-', '_' or '.' "
                "(scheduled-action names forbid ':', '/' and '|')"
            )
        if not _TAG_PREFIX.match(self.tag_prefix) or ":" in self.tag_prefix:
            raise SettingsError(f"TAG_PREFIX {self.tag_prefix!r}: tag-key characters without ':'")
        if not self.profile_prefix.startswith("/") or self.profile_prefix.endswith("/"):
            raise SettingsError(f"PROFILE_PREFIX {self.profile_prefix!r}: must start with '/' and not end with '/'")
        if self.max_capacity_ceiling < 1:
            raise SettingsError(f"MAX_CAPACITY_CEILING {self.max_capacity_ceiling}: must be at least 1")
        places = (self.sweep_bucket, self.sweep_queue_url, self.sweep_table)
        if any(places) and not all(places):
            raise SettingsError("SWEEP_BUCKET, SWEEP_QUEUE_URL and SWEEP_TABLE: set all three or none")
        if not 1 <= self.sweep_shards <= 1000:
            raise SettingsError(f"SWEEP_SHARDS {self.sweep_shards}: must be 1-1000")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        defaults = cls()
        return cls(
            tag_prefix=env.get("TAG_PREFIX", defaults.tag_prefix),
            profile_prefix=env.get("PROFILE_PREFIX", defaults.profile_prefix),
            name_prefix=env.get("NAME_PREFIX", defaults.name_prefix),
            max_capacity_ceiling=_int(env, "MAX_CAPACITY_CEILING", defaults.max_capacity_ceiling),
            dry_run=_bool(env, "DRY_RUN", defaults.dry_run),
            write_status_tags=_bool(env, "WRITE_STATUS_TAGS", defaults.write_status_tags),
            event_bus_name=env.get("OUTCOME_EVENT_BUS", defaults.event_bus_name),
            default_profile=env.get("DEFAULT_PROFILE", defaults.default_profile),
            max_attempts=_int(env, "AWS_MAX_ATTEMPTS", defaults.max_attempts),
            queue_url=env.get("QUEUE_URL", defaults.queue_url),
            refusals_table=env.get("REFUSALS_TABLE", defaults.refusals_table),
            sweep_bucket=env.get("SWEEP_BUCKET", defaults.sweep_bucket),
            sweep_queue_url=env.get("SWEEP_QUEUE_URL", defaults.sweep_queue_url),
            sweep_table=env.get("SWEEP_TABLE", defaults.sweep_table),
            sweep_shards=_int(env, "SWEEP_SHARDS", defaults.sweep_shards),
        )

    def reconcile_queue(self) -> str:
        """QUEUE_URL, which the functions that enqueue reconciles need (the stack sets it for them)."""
        if not self.queue_url:
            raise SettingsError("QUEUE_URL is not set: the router and the sweeper send reconcile requests there")
        return self.queue_url


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if not (raw.isascii() and raw.isdigit()):
        raise SettingsError(f"{name} {raw!r}: expected a non-negative integer")
    return int(raw)


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() not in ("true", "false"):
        raise SettingsError(f"{name} {raw!r}: expected true or false")
    return raw.lower() == "true"
