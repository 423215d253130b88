"""Precedence of one variant's sources: which scope's value wins, and the source it is reported under.

Lowest first: the inherited profile scope (the top level, or nothing for an inference component) < the variant's own
profile scope (``variants.<V>``, ``inference_components.<name>``) < the inherited tags (the endpoint's) < the
variant's own tags. Entries of a profile list (``target_tracking`` by metric, ``step_scaling`` and ``schedules`` by
name) merge across the profile scopes; tags then set, per metric, the target of the policy on that metric and, for
every target-tracking policy of their scope, the cooldowns and disable-scale-in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from autoscaler.metrics import METRICS
from autoscaler.profiles import Profile, ProfileScope, TrackingEntry
from autoscaler.tags import KEYS, TARGET_FIELD, ScopeTags, TagKey


def check_tracking_settings(keys: Mapping[str, TagKey]) -> None:
    """Each tag key that sets a target-tracking setting names a field of TrackingEntry; run when the module loads."""
    known = {f.name for f in fields(TrackingEntry)}
    for key, spec in keys.items():
        if spec.tracking is not None and spec.tracking not in known:
            raise TypeError(f"tag key {key!r}: {spec.tracking!r} is not a setting of a target-tracking entry")


check_tracking_settings(KEYS)


@dataclass(frozen=True)
class Tracked:
    entry: TrackingEntry
    source: str
    specific: bool  # set for this variant (not inherited)


@dataclass(frozen=True)
class Layers:
    profile: Profile
    tags: tuple[ScopeTags, ScopeTags]  # (this variant's own, the inherited)
    profile_scopes: tuple[tuple[ProfileScope, str], tuple[ProfileScope, str]]  # (own, inherited), with their paths

    def set_for_this_variant(self) -> bool:
        own_tags, _ = self.tags
        (own_profile, _), _ = self.profile_scopes
        return bool(own_tags.sources) or own_profile != ProfileScope()

    def pick(self, tag_field: str, profile_field: str, path: str) -> tuple[Any, str | None]:
        """The winning value of a scalar and its source (None when nothing sets it)."""
        for tags in self.tags:
            value = getattr(tags, tag_field)
            if value is not None:
                return value, tags.source(tag_field)
        for scope, where in self.profile_scopes:
            value = getattr(scope, profile_field)
            if value is not None:
                return value, f"{self.profile.source}: {where}{path}"
        return None, None

    def named(self, list_field: str, name_of: str) -> dict[str, tuple[Any, str]]:
        """A profile list merged across the profile scopes by each entry's ``name_of``: name -> (entry, source)."""
        entries: dict[str, tuple[Any, str]] = {}
        for scope, where in reversed(self.profile_scopes):
            for i, entry in enumerate(getattr(scope, list_field) or ()):
                entries[getattr(entry, name_of)] = (entry, f"{self.profile.source}: {where}{list_field}[{i}]")
        return entries

    def tracking(self) -> dict[str, Tracked]:
        """Target-tracking entries by key: the profile's, then the tags' targets and settings over them."""
        merged: dict[str, Tracked] = {}
        for (scope, where), specific in zip(reversed(self.profile_scopes), (False, True), strict=True):
            for i, entry in enumerate(scope.target_tracking or ()):
                merged[entry.key] = Tracked(entry, f"{self.profile.source}: {where}target_tracking[{i}]", specific)
        for tags, specific in zip(reversed(self.tags), (False, True), strict=True):
            for metric_key, target in tags.targets:
                source = tags.source(f"{TARGET_FIELD}{metric_key}") or METRICS[metric_key].tag
                current = merged.get(metric_key)
                entry = (
                    replace(current.entry, target=target) if current else TrackingEntry(metric_key, metric_key, target)
                )
                merged[metric_key] = Tracked(entry, source, specific)
            settings = {spec.tracking: getattr(tags, spec.field) for spec in KEYS.values() if spec.tracking}
            given = {name: value for name, value in settings.items() if value is not None}
            if given:
                merged = {k: replace(t, entry=replace(t.entry, **given)) for k, t in merged.items()}
        return merged
