"""A profile's metrics: a single CloudWatch metric (namespace, name, statistic, unit, dimensions) or metric math,
each validated where it is used (``use``: a target-tracking metric, a metric-math query, an alarm), dimensions kept
as templates (``{endpoint}`` / ``{variant}``) for ``autoscaler.resolve``."""

from __future__ import annotations

import re
from typing import Any

from autoscaler.constants import (
    CLOUDWATCH_UNITS,
)
from autoscaler.fields import FieldReader
from autoscaler.spec import CustomMetric, MetricMath, MetricQuery
from autoscaler.statistics import statistic_problem
from autoscaler.tags import did_you_mean

# Where a statistic goes, which decides the forms it may take (``autoscaler.statistics``).
TRACKING, QUERY, ALARM = "tracking", "query", "alarm"


class MetricReader(FieldReader):
    def custom_metric(self, data: Any, path: str, use: str) -> tuple[CustomMetric | None, bool]:
        """A single metric; ``use`` (TRACKING, QUERY or ALARM) decides which statistics it may name."""
        body = self.mapping(data, path, ("namespace", "name", "statistic", "unit", "dimensions"), ("namespace", "name"))
        if body is None or "namespace" not in body or "name" not in body:
            return None, False
        namespace = self.text(body["namespace"], f"{path}.namespace", 255)
        if namespace is not None and namespace.startswith(":"):
            self.error(f"{path}.namespace", f"{namespace!r}: CloudWatch namespaces cannot start with ':'")
            namespace = None
        name = self.text(body["name"], f"{path}.name", 255)
        statistic = self.text(body.get("statistic", "Average"), f"{path}.statistic", 64)
        if statistic is not None:
            problem = statistic_problem(statistic, extended=use != TRACKING, alarm=use == ALARM)
            if problem:
                self.error(f"{path}.stat" if use == QUERY else f"{path}.statistic", problem)
                statistic = None
        unit = self.text(body["unit"], f"{path}.unit", 64) if "unit" in body else None
        if unit is not None and unit not in CLOUDWATCH_UNITS:
            hint = did_you_mean(unit, frozenset(u.lower() for u in CLOUDWATCH_UNITS))
            shown = next((u for u in CLOUDWATCH_UNITS if u.lower() == hint), None)
            self.error(
                f"{path}.unit",
                f"{unit!r} is not a CloudWatch unit{f'; did you mean {shown!r}?' if shown else ''} "
                "(Seconds, Milliseconds, Bytes, Percent, Count, Count/Second, None, ...)",
            )
            return None, False
        dimensions = self.dimensions(body["dimensions"], f"{path}.dimensions") if "dimensions" in body else ()
        if namespace is None or name is None or statistic is None or dimensions is None:
            return None, False
        return CustomMetric(namespace, name, statistic, dimensions, unit), "dimensions" not in body

    def dimensions(self, data: Any, path: str) -> tuple[tuple[str, str], ...] | None:
        if isinstance(data, dict):
            pairs = list(data.items())
        elif isinstance(data, list) and all(isinstance(d, dict) and set(d) == {"name", "value"} for d in data):
            pairs = [(d["name"], d["value"]) for d in data]
        else:
            self.error(path, "must be a mapping of name: value, or a list of {name, value}")
            return None
        if len(pairs) > 30:
            self.error(path, "CloudWatch allows at most 30 dimensions")
        result = []
        for name, value in pairs:
            if not isinstance(name, str) or not isinstance(value, str) or not name or not value:
                self.error(path, f"dimension {name!r}: names and values are non-empty strings")
                continue
            unknown = set(re.findall(r"\{([^}]*)\}", value)) - {"endpoint", "variant"}
            if unknown:
                self.error(
                    f"{path}.{name}", f"unknown placeholder(s) {sorted(unknown)}: use {{endpoint}} or {{variant}}"
                )
            result.append((name, value))
        return tuple(result)

    def metric_math(self, data: Any, path: str) -> MetricMath | None:
        body = self.mapping(data, path, ("metrics",), ("metrics",))
        queries_raw = body.get("metrics") if body else None
        if not isinstance(queries_raw, list) or not queries_raw:
            self.error(f"{path}.metrics", "must be a non-empty list of queries")
            return None
        queries = []
        for i, raw in enumerate(queries_raw):
            where = f"{path}.metrics[{i}]"
            query = self.mapping(raw, where, ("id", "metric", "stat", "expression", "label", "return_data"), ("id",))
            if query is None:
                continue
            qid = self.text(query["id"], f"{where}.id", 255) if "id" in query else None
            if qid is not None and not re.fullmatch(r"[a-z][A-Za-z0-9_]*", qid):
                self.error(f"{where}.id", f"{qid!r}: starts with a lower-case letter; letters, digits and _ only")
            if ("metric" in query) == ("expression" in query):
                self.error(where, "give exactly one of metric (with stat) or expression")
                continue
            metric = None
            if "metric" in query:
                stat = self.text(query.get("stat", "Average"), f"{where}.stat", 64)
                metric, _ = self.custom_metric(
                    {**query["metric"], "statistic": stat} if isinstance(query["metric"], dict) else query["metric"],
                    f"{where}.metric",
                    QUERY,
                )
            expression = self.text(query["expression"], f"{where}.expression", 2048) if "expression" in query else None
            label = self.text(query["label"], f"{where}.label", 255) if "label" in query else None
            returns = self.boolean(query.get("return_data", "expression" in query), f"{where}.return_data")
            if qid is not None:
                queries.append(MetricQuery(qid, metric, expression, label, returns))
        if sum(q.return_data for q in queries) != 1:
            self.error(f"{path}.metrics", "exactly one query must return data (return_data: true)")
        return MetricMath(tuple(queries))
