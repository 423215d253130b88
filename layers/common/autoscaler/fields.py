"""Generic validators for documents read into value objects (profiles): mappings with their allowed fields and a
did-you-mean for unknown ones, whole numbers in a range, finite numbers, booleans, printable text, names, choices,
cooldowns, suspended states and ISO-8601 instants with a zone."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from autoscaler.constants import DEFAULT_COOLDOWN_SECONDS, MAX_COOLDOWN_SECONDS
from autoscaler.errors import Problem
from autoscaler.schedules import EARLIEST, LATEST
from autoscaler.spec import SuspendedState
from autoscaler.tags import did_you_mean, parse_suspend

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


class FieldReader:
    """Generic validators of a parsed document's values: each reports a problem at its path (prefixed with the
    document's source, e.g. ``profile business-hours: schedules[1].start``) and returns None (or a default) for a bad
    value, so every problem is reported, not only the first."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(f"{self.source}: {path}" if path else self.source, message))

    def mapping(
        self, data: Any, path: str, allowed: tuple[str, ...] | None, required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.error(path, f"must be a mapping, not {kind_of(data)}")
            return None
        if allowed is not None:
            for key in data:
                if key not in allowed:
                    hint = did_you_mean(key, frozenset(allowed))
                    where = f"{path}.{key}" if path else key
                    self.error(where, f"unknown field{f'; did you mean {hint!r}?' if hint else ''}")
        for key in required:
            if key not in data:
                self.error(f"{path}.{key}" if path else key, "is required")
        return data

    def integer(self, value: Any, path: str, low: int | None, high: int | None) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, f"{value!r} is not a whole number")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            self.error(
                path, f"{value} is outside {low if low is not None else '-inf'}..{high if high is not None else 'inf'}"
            )
            return None
        return value

    def number(self, value: Any, path: str, positive: bool = False) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error(path, f"{value!r} is not a finite number")
            return None
        if positive and value <= 0:
            self.error(path, f"{value!r} must be greater than 0")
            return None
        return float(value)

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.error(path, f"{value!r} is not true or false")
            return False
        return value

    def text(self, value: Any, path: str, limit: int) -> str | None:
        if not isinstance(value, str) or not value or len(value) > limit or not value.isprintable():
            self.error(path, f"{value!r} is not a non-empty printable string of at most {limit} characters")
            return None
        return value

    def name(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not NAME.fullmatch(value):
            self.error(path, f"{value!r}: 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")
            return None
        return value

    def choice(self, value: Any, path: str, choices: dict[str, str]) -> str | None:
        if isinstance(value, str) and value in choices:
            return choices[value]
        if isinstance(value, str) and value in choices.values():
            return value
        self.error(path, f"{value!r}: expected one of {', '.join(dict.fromkeys([*choices, *choices.values()]))}")
        return None

    def cooldown(self, body: dict[str, Any], key: str, path: str) -> int:
        if key not in body:
            return DEFAULT_COOLDOWN_SECONDS
        return self.integer(body[key], f"{path}.{key}", 0, MAX_COOLDOWN_SECONDS) or 0

    def suspend(self, value: Any, path: str) -> SuspendedState | None:
        text = " ".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
        if isinstance(value, list) and not value:
            return SuspendedState()
        if not isinstance(text, str):
            self.error(path, "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")
            return None
        try:
            return parse_suspend(text)
        except ValueError as exc:
            self.error(path, str(exc))
            return None

    def instant(self, value: Any, path: str) -> datetime | None:
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
            except ValueError:
                moment = None
            if moment is not None and moment.tzinfo is not None:
                try:
                    instant = moment.astimezone(UTC)
                except OverflowError:
                    instant = None
                if instant is None or not EARLIEST <= instant <= LATEST:
                    self.error(path, f"{value!r} is outside {EARLIEST:%Y}-{LATEST:%Y}, the years AWS schedules take")
                    return None
                return instant
        self.error(path, f"{value!r} is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")
        return None


def kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )
