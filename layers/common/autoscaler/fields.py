"""Generic validators for documents read into value objects (profiles): whole numbers in a range, finite numbers,
booleans, printable text, names, choices, suspended states and ISO-8601 instants with a zone, and the reader that
collects their problems (with mappings: their allowed fields and a did-you-mean for unknown ones).

A validator is ``read(reader, value, path) -> value``: it reports a problem at its path (prefixed with the document's
source, e.g. ``profile business-hours: schedules[1].start``) and returns None for a bad value (a boolean returns
False), so every problem is reported, not only the first. ``autoscaler.schema`` walks a document with them."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from autoscaler.errors import Problem
from autoscaler.schedules import EARLIEST, LATEST
from autoscaler.spec import SuspendedState
from autoscaler.tags import did_you_mean, parse_suspend

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")


class FieldReader:
    """Collects the problems of one document, each at its path under the document's source."""

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
                    where = f"{path}.{key}" if path else key  # an empty key is named too
                    self.error(where, f"unknown field{f'; did you mean {hint!r}?' if hint else ''}")
        for key in required:
            if key not in data:
                self.error(join(path, key), "is required")
        return data


Read = Callable[[Any, Any, str], Any]  # (reader, value, path) -> the value read, or None when it is bad


def join(path: str, key: str) -> str:
    """The path of ``key`` in the mapping at ``path`` ("" is the mapping itself)."""
    return f"{path}.{key}" if path and key else path or key


def whole(low: int | None = None, high: int | None = None) -> Read:
    """An integer (not a boolean) within low..high (None: unbounded)."""

    def read(r: FieldReader, value: Any, path: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            r.error(path, f"{value!r} is not a whole number")
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            shown = f"{low if low is not None else '-inf'}..{high if high is not None else 'inf'}"
            r.error(path, f"{value} is outside {shown}")
            return None
        return value

    return read


def number(positive: bool = False) -> Read:
    """A finite number (not a boolean), as a float; ``positive``: greater than 0."""

    def read(r: FieldReader, value: Any, path: str) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            r.error(path, f"{value!r} is not a finite number")
            return None
        if positive and value <= 0:
            r.error(path, f"{value!r} must be greater than 0")
            return None
        return float(value)

    return read


def optional(read: Read) -> Read:
    """``read``, where null means the same as absent: None, and no problem."""

    def read_optional(r: FieldReader, value: Any, path: str) -> Any:
        return None if value is None else read(r, value, path)

    return read_optional


def boolean(r: FieldReader, value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        r.error(path, f"{value!r} is not true or false")
        return False
    return value


def text(limit: int, then: Callable[[str], object] | None = None) -> Read:
    """A non-empty printable string of at most ``limit`` characters; ``then`` raises ValueError(reason) to refuse it."""

    def read(r: FieldReader, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value or len(value) > limit or not value.isprintable():
            r.error(path, f"{value!r} is not a non-empty printable string of at most {limit} characters")
            return None
        if then is not None:
            try:
                then(value)
            except ValueError as exc:
                r.error(path, str(exc))
                return None
        return value

    return read


def name(r: FieldReader, value: Any, path: str) -> str | None:
    if not isinstance(value, str) or not NAME.fullmatch(value):
        r.error(path, f"{value!r}: 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")
        return None
    return value


def choice(choices: dict[str, str]) -> Read:
    """One of the keys (read as its value) or of the values."""
    shown = ", ".join(dict.fromkeys([*choices, *choices.values()]))

    def read(r: FieldReader, value: Any, path: str) -> str | None:
        if isinstance(value, str) and value in choices:
            return choices[value]
        if isinstance(value, str) and value in choices.values():
            return value
        r.error(path, f"{value!r}: expected one of {shown}")
        return None

    return read


def suspend(r: FieldReader, value: Any, path: str) -> SuspendedState | None:
    """A list of scale-in / scale-out / scheduled, or the tag grammar (``all``, ``none``, ``scale-in+scheduled``)."""
    words = " ".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
    if isinstance(value, list) and not value:
        return SuspendedState()
    if not isinstance(words, str):
        r.error(path, "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")
        return None
    try:
        return parse_suspend(words)
    except ValueError as exc:
        r.error(path, str(exc))
        return None


def instant(r: FieldReader, value: Any, path: str) -> datetime | None:
    """An ISO-8601 time with a zone, in UTC, within the years AWS schedules take."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is not None and moment.tzinfo is not None:
            try:
                at = moment.astimezone(UTC)
            except OverflowError:
                at = None
            if at is None or not EARLIEST <= at <= LATEST:
                r.error(path, f"{value!r} is outside {EARLIEST:%Y}-{LATEST:%Y}, the years AWS schedules take")
                return None
            return at
    r.error(path, f"{value!r} is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")
    return None


def kind_of(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )
