"""A profile's metrics, as sections of the profile schema (``autoscaler.profile_schema``): a single CloudWatch metric
(namespace, name, statistic, unit, dimensions) or metric math, each validated where it is used (``CUSTOM[use]``: a
target-tracking metric, a metric-math query, an alarm), dimensions kept as templates (``{endpoint}`` /
``{variant}``) for ``autoscaler.resolve``."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from autoscaler.constants import CLOUDWATCH_UNITS
from autoscaler.fields import boolean, text
from autoscaler.metrics import METRICS
from autoscaler.schema import NOT_BUILT, Check, Each, Entry, Field, Reader, Section, given
from autoscaler.spec import CustomMetric, MetricMath, MetricQuery
from autoscaler.statistics import statistic_problem
from autoscaler.tags import did_you_mean

# Where a statistic goes, which decides the forms it may take (``autoscaler.statistics``).
TRACKING, QUERY, ALARM = "tracking", "query", "alarm"
MAX_DIMENSIONS = 30


def _namespace(namespace: str) -> None:
    if namespace.startswith(":"):
        raise ValueError(f"{namespace!r}: CloudWatch namespaces cannot start with ':'")


def _statistic(use: str) -> Callable[[Entry], str | None]:
    def test(entry: Entry) -> str | None:
        statistic = entry.get("statistic")
        return None if statistic is None else statistic_problem(statistic, extended=use != TRACKING, alarm=use == ALARM)

    return test


def _unit(entry: Entry) -> str | None:
    unit = entry.get("unit")
    if unit is None or unit in CLOUDWATCH_UNITS:
        return None
    hint = did_you_mean(unit, frozenset(u.lower() for u in CLOUDWATCH_UNITS))
    shown = next((u for u in CLOUDWATCH_UNITS if u.lower() == hint), None)
    return (
        f"{unit!r} is not a CloudWatch unit{f'; did you mean {shown!r}?' if shown else ''} "
        "(Seconds, Milliseconds, Bytes, Percent, Count, Count/Second, None, ...)"
    )


def dimensions(r: Reader, data: Any, path: str) -> tuple[tuple[str, str], ...] | None:
    """A mapping of name: value, or a list of {name, value}; values may hold {endpoint} and {variant}."""
    if isinstance(data, dict):
        pairs = list(data.items())
    elif isinstance(data, list) and all(isinstance(d, dict) and set(d) == {"name", "value"} for d in data):
        pairs = [(d["name"], d["value"]) for d in data]
    else:
        r.error(path, "must be a mapping of name: value, or a list of {name, value}")
        return None
    if len(pairs) > MAX_DIMENSIONS:
        r.error(path, f"CloudWatch allows at most {MAX_DIMENSIONS} dimensions")
    result = []
    for name, value in pairs:
        if not isinstance(name, str) or not isinstance(value, str) or not name or not value:
            r.error(path, f"dimension {name!r}: names and values are non-empty strings")
            continue
        unknown = set(re.findall(r"\{([^}]*)\}", value)) - {"endpoint", "variant"}
        if unknown:
            r.error(f"{path}.{name}", f"unknown placeholder(s) {sorted(unknown)}: use {{endpoint}} or {{variant}}")
        result.append((name, value))
    return tuple(result)


def _custom(use: str) -> Section:
    # A query's statistic is its `stat` (``_query_metric``), so a bad one is named there.
    statistic = Check(_statistic(use), at="stat" if use == QUERY else None, effect="reject")
    return Section(
        (
            Field("namespace", text(255, then=_namespace), required=True),
            Field("name", text(255), required=True),
            Field("statistic", text(64), default="Average", essential=True, checks=(statistic,)),
            Field("unit", text(64), checks=(Check(_unit, effect="stop"),)),
            Field("dimensions", dimensions, default=(), essential=True),
        ),
        CustomMetric,
    )


CUSTOM = {use: _custom(use) for use in (TRACKING, QUERY, ALARM)}


def _query_id(entry: Entry) -> str | None:
    qid = entry.get("id")
    if qid is None or re.fullmatch(r"[a-z][A-Za-z0-9_]*", qid):
        return None
    return f"{qid!r}: starts with a lower-case letter; letters, digits and _ only"


def _metric_or_expression(entry: Entry) -> str | None:
    if ("metric" in entry.raw) == ("expression" in entry.raw):
        return "give exactly one of metric (with stat) or expression"
    return None


def _query_metric(r: Reader, data: Any, path: str) -> CustomMetric | None:
    """The query's metric, whose statistic is the query's `stat`."""
    stat = r.entry.get("stat") if r.entry is not None else None
    return CUSTOM[QUERY].read(r, {**data, "statistic": stat} if isinstance(data, dict) else data, path)  # type: ignore[no-any-return]


QUERY_SECTION = Section(
    (
        Field("id", text(255), required=True, checks=(Check(_query_id), Check(_metric_or_expression, "", "stop"))),
        Field("stat", text(64), default="Average", when=given("metric"), attr=NOT_BUILT),
        Field("metric", _query_metric),
        Field("expression", text(2048)),
        Field("label", text(255)),
        Field("return_data", boolean, default_of=lambda entry: "expression" in entry.raw),
    ),
    MetricQuery,
    partial=True,
)


def _one_returns(entry: Entry) -> str | None:
    queries = entry.get("metrics")
    if queries is not None and sum(q.return_data for q in queries) != 1:
        return "exactly one query must return data (return_data: true)"
    return None


METRIC_MATH = Section(
    (
        Field(
            "metrics",
            Each(QUERY_SECTION, non_empty="must be a non-empty list of queries"),
            required=True,
            checks=(Check(_one_returns),),
            attr="queries",
        ),
    ),
    MetricMath,
)


def tracking_metric(r: Reader, data: Any, path: str) -> str | CustomMetric | MetricMath | None:
    """A metric key (``autoscaler.metrics``), metric math ({metrics: [...]}) or a single custom metric."""
    if isinstance(data, str):
        if data not in METRICS:
            hint = did_you_mean(data, frozenset(METRICS))
            known = " | ".join(METRICS)
            r.error(path, f"{data!r} is not a metric ({known}){f'; did you mean {hint!r}?' if hint else ''}")
            return None
        return data
    if isinstance(data, dict) and "metrics" in data:
        return METRIC_MATH.read(r, data, path)  # type: ignore[no-any-return]
    return CUSTOM[TRACKING].read(r, data, path)  # type: ignore[no-any-return]
