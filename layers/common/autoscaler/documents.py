"""Strict parsing of profile documents: JSON (canonical) or YAML, with no surprises.

JSON: duplicate keys, NaN and Infinity are errors. YAML: read with the YAML 1.2 core schema (``off``/``yes`` stay
strings, ``1:30`` stays a string, ``010`` is ten, timestamps stay strings), and duplicate keys, anchors and aliases
(so no expansion bombs), explicit tags and multiple documents are errors. A document larger than an advanced SSM
parameter (8 KB) or nested deeper than any profile needs is refused before it is parsed further.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

MAX_DOCUMENT_BYTES = 8192  # SSM advanced parameters; standard ones hold 4096
STANDARD_PARAMETER_BYTES = 4096
MAX_DEPTH = 12


class DocumentError(ValueError):
    """The text is not a well-formed profile document."""


def parse_document(text: str) -> Any:
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise DocumentError(f"not valid UTF-8 text at character {exc.start}") from None
    if size > MAX_DOCUMENT_BYTES:
        raise DocumentError(f"{size} bytes: larger than an SSM parameter can hold ({MAX_DOCUMENT_BYTES})")
    try:
        data = _parse_json_or_yaml(text) if text.lstrip().startswith(("{", "[")) else _parse_yaml(text)
    except RecursionError:
        raise DocumentError("nested too deeply") from None
    _check_depth(data, 0)
    return data


def _parse_json_or_yaml(text: str) -> Any:
    """JSON first; a YAML flow mapping (`{version: 1}`) is not JSON but is YAML. The JSON error is the one shown."""
    try:
        return _parse_json(text)
    except DocumentError as json_error:
        if "invalid JSON" not in str(json_error):
            raise
        try:
            return _parse_yaml(text)
        except DocumentError:
            raise json_error from None


def _parse_json(text: str) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise DocumentError(f"duplicate key {key!r}")
            seen[key] = value
        return seen

    def no_constants(name: str) -> Any:
        raise DocumentError(f"{name} is not a number a profile accepts")

    try:
        return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=no_constants)
    except json.JSONDecodeError as exc:
        raise DocumentError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except DocumentError:
        raise
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise DocumentError(f"invalid JSON: {exc}") from None


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader restricted to the YAML 1.2 core schema, without anchors, aliases or explicit tags."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise DocumentError(f"aliases are not allowed (line {line})")
        if getattr(event, "anchor", None):
            raise DocumentError(f"anchors are not allowed (line {line})")
        if getattr(event, "tag", None) is not None:
            raise DocumentError(f"explicit tag {event.tag} is not allowed (line {line})")
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        keys = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise DocumentError(f"key {key!r} is not a string (line {key_node.start_mark.line + 1})")
            if key in keys:
                raise DocumentError(f"duplicate key {key!r} (line {key_node.start_mark.line + 1})")
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^[-+]?[0-9]+$", list("-+0123456789")),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
):
    _StrictLoader.add_implicit_resolver(_tag, re.compile(_pattern), _first)


def _construct_int(loader: _StrictLoader, node: yaml.ScalarNode) -> int:
    try:
        return int(loader.construct_scalar(node))
    except ValueError as exc:
        raise DocumentError(f"line {node.start_mark.line + 1}: {exc}") from None


def _construct_float(loader: _StrictLoader, node: yaml.ScalarNode) -> float:
    return float(loader.construct_scalar(node).lower().replace(".inf", "inf").replace(".nan", "nan"))


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_StrictLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


def _parse_yaml(text: str) -> Any:
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except DocumentError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        position = getattr(exc, "position", None)  # ReaderError (a forbidden character) has a position only
        if not mark and isinstance(position, int):
            line = text.count("\n", 0, position) + 1
            where = f" at line {line} column {position - text.rfind(chr(10), 0, position)}"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise DocumentError(f"invalid YAML{where}: {problem}") from None


def _check_depth(value: Any, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise DocumentError(f"nested deeper than {MAX_DEPTH} levels")
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        _check_depth(child, depth + 1)
