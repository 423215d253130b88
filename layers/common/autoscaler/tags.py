"""The tag grammar of DESIGN §3: raw endpoint tags -> TagConfig.

Keys live under ``<prefix>:``. One more segment is an endpoint-level key (``autoscaling:max``), two are a per-variant
override (``autoscaling:AllTraffic:max``). Every problem names the full tag key it came from. Near-misses of known keys
are errors with a did-you-mean (a typo must not silently change capacity); other unknown keys are warnings, since other
tools may share the prefix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from autoscaler.constants import MAX_COOLDOWN_SECONDS, MAX_TARGET_VALUE
from autoscaler.errors import Problem
from autoscaler.spec import AdoptMode, Hold, SuspendedState

# metric key -> its tag key; the order is the order policies are listed in.
TARGET_TAGS: dict[str, str] = {
    "invocations": "target-invocations",
    "concurrency": "target-concurrency",
    "cpu": "target-cpu",
    "memory": "target-memory",
    "gpu": "target-gpu",
    "gpu-memory": "target-gpu-memory",
    "backlog": "target-backlog",
    "provisioned-concurrency": "target-provisioned-concurrency",
}
PERCENT_METRICS = frozenset({"cpu", "memory", "gpu", "gpu-memory"})
RATIO_METRICS = frozenset({"provisioned-concurrency"})  # utilisation as a fraction, 0-1
STATUS_KEYS = frozenset({"status", "status-reason"})

_INTEGER = re.compile(r"[0-9]+")
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")
_MAX_INTEGER_DIGITS = 9
_SUSPEND_PARTS = {"scale-in", "scale-out", "scheduled"}


@dataclass(frozen=True)
class ProfileRef:
    """A profile named by the `profile` tag: a parameter name with an optional `:version` or `:label` selector."""

    name: str
    selector: str | None = None


@dataclass(frozen=True)
class ScopeTags:
    """Settings one scope (the endpoint, or one variant) gives by tags; None = not given there.

    Every set value remembers the tag key it came from, so later validation can name it.
    """

    enabled: bool | None = None
    min_capacity: int | None = None
    max_capacity: int | None = None
    targets: tuple[tuple[str, float], ...] = ()
    scale_in_cooldown: int | None = None
    scale_out_cooldown: int | None = None
    disable_scale_in: bool | None = None
    suspend: SuspendedState | None = None
    hold: Hold | None = None
    sources: tuple[tuple[str, str], ...] = ()  # (field, tag key)

    def source(self, name: str) -> str | None:
        return dict(self.sources).get(name)


@dataclass(frozen=True)
class TagConfig:
    endpoint: ScopeTags = field(default_factory=ScopeTags)
    variants: tuple[tuple[str, ScopeTags], ...] = ()
    profile: ProfileRef | None = None
    adopt: AdoptMode | None = None
    adopt_source: str | None = None
    inference_components: bool = False  # look up the endpoint's inference components (their own tags configure them)
    errors: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    opt_in_typos: tuple[str, ...] = ()  # keys that look like a mistyped `enabled` (`enabeld`, `Autoscaling:Enabled`)

    def variant(self, name: str) -> ScopeTags:
        return dict(self.variants).get(name, ScopeTags())

    @property
    def enabled_error(self) -> bool:
        """The opt-in tag itself is invalid (e.g. `ture`), or mistyped: nothing can be decided, not even opt-out, so
        a typo never tears down a working configuration."""
        return bool(self.opt_in_typos) or any(p.source.endswith(":enabled") for p in self.errors)


def parse_bool(raw: str) -> bool:
    if raw.lower() not in ("true", "false"):
        raise ValueError(f"{raw!r} is not true or false")
    return raw.lower() == "true"


def parse_count(raw: str) -> int:
    """A capacity: ASCII digits only (no sign, no decimals, no other scripts' digits)."""
    if not _INTEGER.fullmatch(raw):
        raise ValueError(f"{raw!r} is not a whole number (ASCII digits only)")
    if len(raw.lstrip("0")) > _MAX_INTEGER_DIGITS:
        raise ValueError(f"{raw!r} is too large")
    return int(raw)


def parse_cooldown(raw: str) -> int:
    seconds = parse_count(raw)
    if seconds > MAX_COOLDOWN_SECONDS:
        raise ValueError(f"{raw!r} seconds is more than a day ({MAX_COOLDOWN_SECONDS})")
    return seconds


def parse_target(raw: str) -> float:
    """A positive decimal number in plain notation (no sign, exponent, NaN or Infinity)."""
    if not _NUMBER.fullmatch(raw):
        raise ValueError(f"{raw!r} is not a positive decimal number")
    value = float(raw)
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{raw!r} must be greater than 0")
    if value > MAX_TARGET_VALUE:
        raise ValueError(f"{raw!r} is above 2^360, the largest target value AWS accepts")
    return value


def parse_percent(raw: str) -> float:
    value = parse_target(raw)
    if value > 100:
        raise ValueError(f"{raw!r} is a percent of one instance: at most 100")
    return value


def parse_ratio(raw: str) -> float:
    value = parse_target(raw)
    if value > 1:
        raise ValueError(f"{raw!r} is a utilisation ratio: greater than 0, at most 1")
    return value


def parse_suspend(raw: str) -> SuspendedState:
    words = [w for w in re.split(r"[ +]+", raw.strip().lower()) if w]
    if words == ["none"]:
        return SuspendedState()
    if words == ["all"]:
        return SuspendedState(scale_in=True, scale_out=True, scheduled=True)
    unknown = [w for w in words if w not in _SUSPEND_PARTS]
    if not words or unknown:
        raise ValueError(f"{raw!r}: expected none, all, or any of scale-in scale-out scheduled (joined by ' ' or '+')")
    return SuspendedState(scale_in="scale-in" in words, scale_out="scale-out" in words, scheduled="scheduled" in words)


def parse_adopt(raw: str) -> AdoptMode:
    try:
        return AdoptMode(raw.lower())
    except ValueError:
        raise ValueError(f"{raw!r}: expected coexist or replace") from None


def parse_hold(raw: str) -> Hold:
    match = re.fullmatch(r"([0-9]+)@([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2})Z", raw)
    if not match:
        raise ValueError(f"{raw!r}: expected <count>@<YYYY-MM-DDThh:mm:ssZ>")
    try:
        until = datetime.strptime(match.group(2), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{raw!r}: {match.group(2)!r} is not a valid UTC time") from None
    return Hold(parse_count(match.group(1)), until)


def parse_profile_ref(raw: str) -> ProfileRef:
    if not re.fullmatch(r"[A-Za-z0-9_./-]{1,1011}(:[A-Za-z0-9_.-]{1,100})?", raw):
        raise ValueError(f"{raw!r} is not a parameter name (letters, digits, _ . - /), optionally :version or :label")
    name, _, selector = raw.partition(":")
    return ProfileRef(name, selector or None)


@dataclass(frozen=True)
class _Key:
    field: str
    parse: Callable[[str], Any]
    variant_level: bool = True
    endpoint_level: bool = True


_KEYS: dict[str, _Key] = {
    "enabled": _Key("enabled", parse_bool),
    "min": _Key("min_capacity", parse_count),
    "max": _Key("max_capacity", parse_count),
    "scale-in-cooldown": _Key("scale_in_cooldown", parse_cooldown),
    "scale-out-cooldown": _Key("scale_out_cooldown", parse_cooldown),
    "disable-scale-in": _Key("disable_scale_in", parse_bool),
    "suspend": _Key("suspend", parse_suspend),
    "hold": _Key("hold", parse_hold, endpoint_level=False),
    "profile": _Key("profile", parse_profile_ref, variant_level=False),
    "adopt": _Key("adopt", parse_adopt, variant_level=False),
    "inference-components": _Key("inference_components", parse_bool, variant_level=False),
    **{
        tag: _Key(
            f"target:{metric}",
            parse_percent if metric in PERCENT_METRICS else parse_ratio if metric in RATIO_METRICS else parse_target,
        )
        for metric, tag in TARGET_TAGS.items()
    },
}
KNOWN_KEYS = frozenset(_KEYS) | STATUS_KEYS


def parse_tags(tags: Mapping[str, str], prefix: str) -> TagConfig:
    """Parse every tag under ``prefix``; never raises for bad input: problems are returned as errors/warnings."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    scopes: dict[str | None, dict[str, Any]] = {}
    sources: dict[str | None, list[tuple[str, str]]] = {}
    head = f"{prefix}:"
    opt_in_typos: list[str] = []
    for tag_key in sorted(tags):
        if not tag_key.startswith(head):
            if tag_key.lower().startswith(head.lower()):
                _other_case(tag_key, head, errors, warnings, opt_in_typos)
            continue
        parts = tag_key[len(head) :].split(":")
        if len(parts) > 2 or not all(parts):
            warnings.append(Problem(tag_key, "not a key of this controller (expected <key> or <Variant>:<key>)"))
            continue
        variant, key = (None, parts[0]) if len(parts) == 1 else (parts[0], parts[1])
        if key in STATUS_KEYS and variant is None:
            continue  # written by the controller itself
        spec = _KEYS.get(key)
        if spec is None:
            suggestion = did_you_mean(key, KNOWN_KEYS - STATUS_KEYS)
            if suggestion:
                errors.append(Problem(tag_key, f"unknown key {key!r}: did you mean {suggestion!r}?"))
                if suggestion == "enabled" and variant is None:
                    opt_in_typos.append(tag_key)
            else:
                warnings.append(Problem(tag_key, f"unknown key {key!r} ignored"))
            continue
        if variant is not None and not spec.variant_level:
            errors.append(Problem(tag_key, f"{key!r} applies to the whole endpoint: use {head}{key}"))
            continue
        if variant is None and not spec.endpoint_level:
            warnings.append(Problem(tag_key, f"{key!r} is per variant: ignored here; use {head}<Variant>:{key}"))
            continue
        try:
            value = spec.parse(tags[tag_key])
        except ValueError as exc:
            errors.append(Problem(tag_key, str(exc)))
            continue
        scopes.setdefault(variant, {})[spec.field] = value
        sources.setdefault(variant, []).append((spec.field, tag_key))

    def scope(variant: str | None) -> ScopeTags:
        values = dict(scopes.get(variant, {}))
        values.pop("profile", None)
        values.pop("adopt", None)
        values.pop("inference_components", None)
        targets = tuple(
            (metric, values.pop(f"target:{metric}")) for metric in TARGET_TAGS if f"target:{metric}" in values
        )
        return replace(ScopeTags(**values), targets=targets, sources=tuple(sources.get(variant, ())))

    endpoint_values = scopes.get(None, {})
    endpoint_sources = dict(sources.get(None, ()))
    return TagConfig(
        endpoint=scope(None),
        variants=tuple((v, scope(v)) for v in sorted(k for k in scopes if k is not None)),
        profile=endpoint_values.get("profile"),
        adopt=endpoint_values.get("adopt"),
        adopt_source=endpoint_sources.get("adopt"),
        inference_components=bool(endpoint_values.get("inference_components", False)),
        errors=tuple(errors),
        warnings=tuple(warnings),
        opt_in_typos=tuple(opt_in_typos),
    )


def _other_case(
    tag_key: str, head: str, errors: list[Problem], warnings: list[Problem], opt_in_typos: list[str]
) -> None:
    """A key under the prefix spelt in another case (`Autoscaling:Enabled`). Tag keys are case-sensitive, so it
    configures nothing: an error with the key as it should be when it names a known key, else a warning."""
    parts = tag_key[len(head) :].split(":")
    key = parts[-1]
    suggestion = key.lower() if key.lower() in _KEYS else did_you_mean(key, KNOWN_KEYS - STATUS_KEYS)
    if suggestion is None or len(parts) > 2:
        warnings.append(Problem(tag_key, f"not under the prefix {head!r} (tag keys are case-sensitive): ignored"))
        return
    fixed = head + ":".join([*parts[:-1], suggestion])
    errors.append(Problem(tag_key, f"tag keys are case-sensitive: did you mean {fixed!r}?"))
    if suggestion == "enabled" and len(parts) == 1:
        opt_in_typos.append(tag_key)


def expired_holds(tags: Mapping[str, str], prefix: str, now: datetime) -> tuple[str, ...]:
    """Keys of hold tags that have expired (and can be removed); malformed ones are left for the operator."""
    config = parse_tags(tags, prefix)
    return tuple(
        key
        for _, scope in config.variants
        if scope.hold and not scope.hold.active(now) and (key := scope.source("hold"))
    )


def did_you_mean(word: str, candidates: frozenset[str]) -> str | None:
    """The closest known key within a small edit distance (transpositions count as one edit)."""
    limit = 2 if len(word) >= 5 else 1
    scored = sorted((edit_distance(word.lower(), c), c) for c in candidates)
    best = scored[0] if scored else None
    return best[1] if best and best[0] <= limit else None


def edit_distance(a: str, b: str) -> int:
    """Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent transpositions."""
    rows = [list(range(len(b) + 1))] + [[i] + [0] * len(b) for i in range(1, len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]
