"""SSM profiles (README.md, "Profiles"): a strict document -> a validated Profile of frozen value objects.

Every problem is reported, not only the first, and each names its place: ``profile business-hours:
schedules[1].timezone 'Europe/Berln' is not an IANA time zone``. Metric dimensions are kept as templates here
(``{endpoint}`` / ``{variant}`` placeholders, or None for the defaults) and resolved per variant by ``resolve``.

The value objects are ``profile_model``, the schema ``profile_schema`` (a table per section, its metrics
``profile_metrics``), read by the engine ``schema`` with the generic validators ``fields``; this module parses a
document and loads profiles from SSM.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Protocol

from autoscaler.documents import STANDARD_PARAMETER_BYTES, DocumentError, parse_document
from autoscaler.errors import ConfigError, Problem
from autoscaler.profile_model import MetricTemplate, Profile, ProfileScope, ScheduleEntry, StepEntry, TrackingEntry
from autoscaler.profile_schema import COMPARISONS, read_profile
from autoscaler.tags import ProfileRef

__all__ = [
    "COMPARISONS",
    "MetricTemplate",
    "ParameterRead",
    "Profile",
    "ProfileScope",
    "ProfileStore",
    "ScheduleEntry",
    "StepEntry",
    "TrackingEntry",
    "parse_profile",
]


def parse_profile(text: str, source: str) -> Profile:
    """Raises ConfigError listing every problem, each prefixed with ``source`` (e.g. ``profile business-hours``)."""
    try:
        data = parse_document(text)
    except DocumentError as exc:
        raise ConfigError([Problem(source, str(exc))]) from None
    profile, problems = read_profile(data, source)
    if problems or profile is None:
        raise ConfigError(problems)
    size = len(text.encode("utf-8"))
    if size > STANDARD_PARAMETER_BYTES:
        warning = Problem(source, f"{size} bytes: needs an advanced SSM parameter (standard ones hold 4 KB)")
        profile = replace(profile, warnings=(warning,))
    return profile


class ParameterRead(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def value(self) -> str: ...


class ProfileStore:
    """Loads profiles from SSM once per pass (a reconcile, or a whole sweep): a cache that never outlives the pass,
    so a profile change is seen by the next reconcile, never masked by a time-to-live."""

    def __init__(self, read: Callable[[str], ParameterRead | None], prefix: str) -> None:
        self._read = read
        self._prefix = prefix
        self._cache: dict[str, Profile | ConfigError] = {}

    def parameter_name(self, ref: ProfileRef) -> str:
        """The full parameter name a reference resolves to; raises ConfigError outside the profile prefix."""
        if not ref.name.startswith("/"):
            return f"{self._prefix}/{ref.name}"
        if not ref.name.startswith(f"{self._prefix}/"):
            raise ConfigError([Problem(f"profile {ref.name}", f"is outside the profile prefix {self._prefix}/")])
        return ref.name

    def load(self, ref: ProfileRef) -> Profile:
        shown = ref.name + (f":{ref.selector}" if ref.selector else "")
        name = self.parameter_name(ref) + (f":{ref.selector}" if ref.selector else "")
        if name not in self._cache:
            self._cache[name] = self._load(name, f"profile {shown}")
        found = self._cache[name]
        if isinstance(found, ConfigError):
            raise found
        return found

    def _load(self, name: str, source: str) -> Profile | ConfigError:
        parameter = self._read(name)
        if parameter is None:
            return ConfigError([Problem(source, f"parameter {name} does not exist")])
        if parameter.type != "String":
            return ConfigError([Problem(source, f"is a {parameter.type} parameter: profiles are String parameters")])
        try:
            return parse_profile(parameter.value, source)
        except ConfigError as exc:
            return exc
