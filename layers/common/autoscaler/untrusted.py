"""Reading input nobody vouches for (events, queue messages) without being hurt by its shape.

Two rules, each in one place:

- a value is shown in a reason by ``shown``: a string quoted and cut short, anything else by its JSON type, never by
  ``str()`` or ``repr()`` of the whole value (a value nested thousands of levels deep makes those raise
  RecursionError, and a 256 KB one would be copied into every log line);
- JSON text is parsed by ``parse_json`` only after its size and its nesting depth were checked without recursion, so
  a depth bomb is a ``BadInputError`` with a reason, never a RecursionError from the decoder.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

SHOWN_CHARACTERS = 120  # a SageMaker ARN with the longest name fits


class BadInputError(ValueError):
    """Input of the wrong shape: permanent, dropped with this reason (retrying cannot fix it)."""


def shown(value: object, quote: bool = True) -> str:
    """A short, bounded description of any value, for a reason or a log line: a string (quoted unless ``quote`` is
    false) cut to SHOWN_CHARACTERS, anything else its JSON type."""
    if isinstance(value, str):
        return repr(cut(value)) if quote else cut(value)
    return kind(value)


def cut(value: str) -> str:
    """A string from outside, cut to SHOWN_CHARACTERS (a label or a reason must not grow with the input)."""
    return value if len(value) <= SHOWN_CHARACTERS else f"{value[:SHOWN_CHARACTERS]}...({len(value)} characters)"


def kind(value: object) -> str:
    """The JSON type of a value, in words (``a list``, ``null``): what a reason says of a value of the wrong type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}" if abs(value) < 10**15 else "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


def text(value: object, field: str) -> str:
    """``value`` if it is a string, else BadInputError naming ``field`` and what it holds instead."""
    if not isinstance(value, str):
        raise BadInputError(f"{field} is {kind(value)}, not a string")
    return value


def json_depth(document: str, limit: int) -> int:
    """How deeply arrays and objects nest in JSON text (0 for a scalar), counted without recursion; stops counting
    past ``limit``. Brackets inside strings do not count."""
    depth = deepest = 0
    in_string = escaped = False
    for character in document:
        if in_string:
            if escaped:
                escaped = False
            elif character == "\\":
                escaped = True
            elif character == '"':
                in_string = False
        elif character == '"':
            in_string = True
        elif character in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                return deepest
        elif character in "]}":
            depth -= 1
    return deepest


def parse_json(document: object, *, what: str, max_characters: int, max_depth: int) -> Any:
    """JSON text from outside, bounded: not text, larger than ``max_characters``, nested deeper than ``max_depth`` or
    not JSON is a BadInputError whose reason starts with ``what`` (e.g. ``message body``)."""
    if not isinstance(document, str):
        raise BadInputError(f"{what} is {kind(document)}, not text")
    if len(document) > max_characters:
        raise BadInputError(f"{what} has {len(document)} characters: more than {max_characters}")
    if json_depth(document, max_depth) > max_depth:
        raise BadInputError(f"{what} nests deeper than {max_depth} levels")
    try:
        return json.loads(document)
    except ValueError as exc:  # JSONDecodeError, or an integer with more digits than Python converts
        raise BadInputError(f"{what} is not JSON: {str(exc)[:SHOWN_CHARACTERS]}") from None
