"""The tag grammar: raw endpoint tags -> TagConfig.

Keys live under ``<prefix>:``. One more segment is an endpoint-level key (``autoscaling:max``), two are a per-variant
override (``autoscaling:AllTraffic:max``); ``tag_key`` builds both. Every key is one row of ``KEYS`` (its scope, its
parser, the field it sets), and the metric keys are rows of ``autoscaler.metrics.METRICS``. Every problem names the
full tag key it came from. Near-misses of known keys are errors with a did-you-mean (a typo must not silently change
capacity); other unknown keys are warnings, since other tools may share the prefix.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from autoscaler.constants import MAX_COOLDOWN_SECONDS, MAX_TARGET_VALUE
from autoscaler.errors import Problem
from autoscaler.metrics import METRICS, ValueKind
from autoscaler.scaling import TRACKING_SETTINGS, TrackingKind
from autoscaler.spec import AdoptMode, Hold, SuspendedState

OPT_IN = "enabled"
STATUS_KEYS = frozenset({"status", "status-reason"})  # written by the controller itself


def tag_key(prefix: str, key: str, variant: str | None = None) -> str:
    """The full tag key: ``<prefix>:<key>``, or ``<prefix>:<variant>:<key>`` for one variant."""
    return f"{prefix}:{key}" if variant is None else f"{prefix}:{variant}:{key}"


def opted_in(tags: Mapping[str, str], prefix: str) -> bool:
    """The one definition of opted in: the endpoint-level `enabled` tag says true (``parse_bool``, any case)."""
    return tags.get(tag_key(prefix, OPT_IN), "").lower() == "true"


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
    # the target-tracking settings (autoscaler.scaling.TRACKING_SETTINGS), each set by the tag key of its row
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
        return bool(self.opt_in_typos) or self._bad_opt_in_value

    @property
    def only_mistyped_opt_in(self) -> bool:
        """Not opted in, and in error only because a key looks like a mistyped `enabled`: what decides whether the
        endpoint is rejected or was simply never managed (``reconciler.evaluate``)."""
        return self.endpoint.enabled is None and bool(self.opt_in_typos) and not self._bad_opt_in_value

    @property
    def _bad_opt_in_value(self) -> bool:
        return any(p.source.endswith(f":{OPT_IN}") and p.source not in self.opt_in_typos for p in self.errors)


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


class Scope(Enum):
    """Where a key may be set: on the endpoint (``<prefix>:<key>``), per variant (``<prefix>:<Variant>:<key>``), or
    both. An endpoint-only key sets a field of ``TagConfig``; the others set a field of ``ScopeTags``."""

    ENDPOINT = "endpoint"
    VARIANT = "variant"
    BOTH = "both"


@dataclass(frozen=True)
class TagKey:
    field: str  # of ScopeTags, or of TagConfig for an endpoint-only key
    parse: Callable[[str], Any]
    scope: Scope = Scope.BOTH
    tracking: str | None = None  # the TrackingEntry field it sets on every target-tracking policy of its scope


_SETTING_PARSERS: dict[TrackingKind, Callable[[str], Any]] = {"cooldown": parse_cooldown, "bool": parse_bool}
KEYS: dict[str, TagKey] = {
    OPT_IN: TagKey("enabled", parse_bool),
    "min": TagKey("min_capacity", parse_count),
    "max": TagKey("max_capacity", parse_count),
    # the target-tracking settings: one key each, from autoscaler.scaling.TRACKING_SETTINGS
    **{row.tag: TagKey(name, _SETTING_PARSERS[row.kind], tracking=name) for name, row in TRACKING_SETTINGS.items()},
    "suspend": TagKey("suspend", parse_suspend),
    "hold": TagKey("hold", parse_hold, Scope.VARIANT),
    "profile": TagKey("profile", parse_profile_ref, Scope.ENDPOINT),
    "adopt": TagKey("adopt", parse_adopt, Scope.ENDPOINT),
    "inference-components": TagKey("inference_components", parse_bool, Scope.ENDPOINT),
}
TARGET_FIELD = "target:"  # the field of a metric key's target: ``target:<metric key>``, gathered into ScopeTags.targets
_TARGET_PARSERS: dict[ValueKind, Callable[[str], float]] = {
    "count": parse_target,
    "percent": parse_percent,
    "ratio": parse_ratio,
}


def tag_keys() -> dict[str, TagKey]:
    """Every key of the grammar: ``KEYS`` and, from ``autoscaler.metrics.METRICS``, one ``target-<metric>`` key each."""
    targets = {m.tag: TagKey(f"{TARGET_FIELD}{key}", _TARGET_PARSERS[m.value]) for key, m in METRICS.items()}
    return {**KEYS, **targets}


def check_tag_keys(table: Mapping[str, TagKey]) -> None:
    """Each key's field exists where its scope puts it (so parse_tags can never fail to build its result); run when
    the module loads."""
    scope_fields = {f.name for f in fields(ScopeTags)} - {"targets", "sources"}
    config_fields = {f.name for f in fields(TagConfig)} - {"endpoint", "variants"}
    for key, spec in table.items():
        where = config_fields if spec.scope is Scope.ENDPOINT else scope_fields
        if key in STATUS_KEYS or ":" in key or not (spec.field in where or spec.field.startswith(TARGET_FIELD)):
            raise TypeError(f"tag key {key!r}: field {spec.field!r} is not a field of its scope {spec.scope.value}")


check_tag_keys(tag_keys())


def parse_tags(tags: Mapping[str, str], prefix: str) -> TagConfig:
    """Parse every tag under ``prefix``; never raises for bad input: problems are returned as errors/warnings."""
    errors: list[Problem] = []
    warnings: list[Problem] = []
    known = tag_keys()
    scopes: dict[str | None, dict[str, Any]] = {}
    sources: dict[str | None, list[tuple[str, str]]] = {}
    endpoint_only: dict[str, Any] = {}
    head = tag_key(prefix, "")
    opt_in_typos: list[str] = []
    for key_of_tag in sorted(tags):
        if not key_of_tag.startswith(head):
            if key_of_tag.lower().startswith(head.lower()):
                _other_case(key_of_tag, head, known, errors, warnings, opt_in_typos)
            continue
        parts = key_of_tag[len(head) :].split(":")
        if len(parts) > 2 or not all(parts):
            warnings.append(Problem(key_of_tag, "not a key of this controller (expected <key> or <Variant>:<key>)"))
            continue
        variant, key = (None, parts[0]) if len(parts) == 1 else (parts[0], parts[1])
        if key in STATUS_KEYS and variant is None:
            continue  # written by the controller itself
        spec = known.get(key)
        if spec is None:
            suggestion = did_you_mean(key, frozenset(known))
            if suggestion:
                errors.append(Problem(key_of_tag, f"unknown key {key!r}: did you mean {suggestion!r}?"))
                if suggestion == OPT_IN and variant is None:
                    opt_in_typos.append(key_of_tag)
            else:
                warnings.append(Problem(key_of_tag, f"unknown key {key!r} ignored"))
            continue
        if _misplaced(key_of_tag, key, variant, spec.scope, prefix, errors, warnings):
            continue
        try:
            value = spec.parse(tags[key_of_tag])
        except ValueError as exc:
            errors.append(Problem(key_of_tag, str(exc)))
            continue
        if spec.scope is Scope.ENDPOINT:
            endpoint_only[spec.field] = value
        else:
            scopes.setdefault(variant, {})[spec.field] = value
        sources.setdefault(variant, []).append((spec.field, key_of_tag))

    def scope(variant: str | None) -> ScopeTags:
        values = scopes.get(variant, {})
        targets = tuple(
            (metric, values[f"{TARGET_FIELD}{metric}"]) for metric in METRICS if f"{TARGET_FIELD}{metric}" in values
        )
        settings = {name: value for name, value in values.items() if not name.startswith(TARGET_FIELD)}
        return ScopeTags(**settings, targets=targets, sources=tuple(sources.get(variant, ())))

    return TagConfig(
        endpoint=scope(None),
        variants=tuple((v, scope(v)) for v in sorted(k for k in scopes if k is not None)),
        **endpoint_only,
        adopt_source=dict(sources.get(None, ())).get("adopt"),
        errors=tuple(errors),
        warnings=tuple(warnings),
        opt_in_typos=tuple(opt_in_typos),
    )


def _misplaced(
    key_of_tag: str,
    key: str,
    variant: str | None,
    scope: Scope,
    prefix: str,
    errors: list[Problem],
    warnings: list[Problem],
) -> bool:
    """An endpoint-only key set per variant (an error), or a per-variant key set on the endpoint (a warning)."""
    if variant is not None and scope is Scope.ENDPOINT:
        errors.append(Problem(key_of_tag, f"{key!r} applies to the whole endpoint: use {tag_key(prefix, key)}"))
        return True
    if variant is None and scope is Scope.VARIANT:
        warnings.append(
            Problem(key_of_tag, f"{key!r} is per variant: ignored here; use {tag_key(prefix, key, '<Variant>')}")
        )
        return True
    return False


def _other_case(
    key_of_tag: str,
    head: str,
    known: Mapping[str, TagKey],
    errors: list[Problem],
    warnings: list[Problem],
    opt_in_typos: list[str],
) -> None:
    """A key under the prefix spelt in another case (`Autoscaling:Enabled`). Tag keys are case-sensitive, so it
    configures nothing: an error with the key as it should be when it names a known key, else a warning."""
    parts = key_of_tag[len(head) :].split(":")
    key = parts[-1]
    suggestion = key.lower() if key.lower() in known else did_you_mean(key, frozenset(known))
    if suggestion is None or len(parts) > 2:
        warnings.append(Problem(key_of_tag, f"not under the prefix {head!r} (tag keys are case-sensitive): ignored"))
        return
    fixed = head + ":".join([*parts[:-1], suggestion])
    errors.append(Problem(key_of_tag, f"tag keys are case-sensitive: did you mean {fixed!r}?"))
    if suggestion == OPT_IN and len(parts) == 1:
        opt_in_typos.append(key_of_tag)


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
