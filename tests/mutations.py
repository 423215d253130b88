"""Mutating a valid document into bad input, for the generated bad-input tests: every node of a document by its path,
the node's parent, and any JSON value (with depth and size bombs) to put in its place."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

Path = tuple[Any, ...]
DEPTH_BOMB = 10_000  # far deeper than Python's recursion limit: anything that recurses over it raises
SIZE_BOMB = 300_000  # characters: beyond an EventBridge event's and an SQS message's 256 KB


def nodes(value: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """(path, value) of every node under ``value`` (keys of objects, indexes of lists), parents first."""
    found = [(path, value)] if path else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += nodes(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += nodes(child, (*path, index))
    return found


def parent(document: Any, path: Path) -> Any:
    node = document
    for part in path[:-1]:
        node = node[part]
    return node


def nested(depth: int) -> list[Any]:
    """A list nested ``depth`` levels deep, built without recursion."""
    value: list[Any] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def nested_text(depth: int) -> str:
    """The JSON text of ``nested(depth)``."""
    return "[" * depth + "]" * depth


SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
JSON_VALUES: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
# Any JSON value, and the bombs: a value nested DEPTH_BOMB deep, a string of SIZE_BOMB characters, huge numbers.
ANY_JSON = (
    JSON_VALUES
    | st.builds(nested, st.just(DEPTH_BOMB))
    | st.just("x" * SIZE_BOMB)
    | st.sampled_from([10**400, -(10**400), 1e308, float("inf"), float("nan")])
)
