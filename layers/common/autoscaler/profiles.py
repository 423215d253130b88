"""SSM profiles (README.md, "Profiles"): a strict document -> a validated Profile of frozen value objects.

Every problem is reported, not only the first, and each names its place: ``profile business-hours:
schedules[1].timezone 'Europe/Berln' is not an IANA time zone``. Metric dimensions are kept as templates here
(``{endpoint}`` / ``{variant}`` placeholders, or None for the defaults) and resolved per variant by ``sources``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, Protocol

from autoscaler.constants import (
    CLOUDWATCH_UNITS,
    DEFAULT_COOLDOWN_SECONDS,
    MAX_COOLDOWN_SECONDS,
    MAX_SCHEDULED_ACTIONS_PER_TARGET,
    MAX_TARGET_VALUE,
)
from autoscaler.documents import STANDARD_PARAMETER_BYTES, DocumentError, parse_document
from autoscaler.errors import ConfigError, Problem
from autoscaler.messages import ENDPOINT_NAME
from autoscaler.metrics import METRICS, value_kind
from autoscaler.schedules import DEFAULT_TIMEZONE, EARLIEST, LATEST, parse_timezone, validate_schedule
from autoscaler.spec import CustomMetric, MetricMath, MetricQuery, StepAdjustment, SuspendedState
from autoscaler.statistics import statistic_problem
from autoscaler.tags import ProfileRef, did_you_mean, parse_suspend

PROFILE_VERSION = 1
MAX_STEPS = 20
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,62}")
INT32_MAX = 2**31 - 1  # AAS ScalingAdjustment and MinAdjustmentMagnitude are 32-bit integers
COMPARISONS = {
    ">=": "GreaterThanOrEqualToThreshold",
    ">": "GreaterThanThreshold",
    "<": "LessThanThreshold",
    "<=": "LessThanOrEqualToThreshold",
}
ADJUSTMENT_TYPES = {
    "change": "ChangeInCapacity",
    "percent": "PercentChangeInCapacity",
    "exact": "ExactCapacity",
}
TREAT_MISSING = ("missing", "notBreaching", "breaching", "ignore")
AGGREGATIONS = ("Average", "Minimum", "Maximum")
ALARM_PERIODS = (10, 20, 30)  # or any multiple of 60 (CloudWatch PutMetricAlarm)
# "An alarm's total current evaluation period can be no longer than seven days, so Period multiplied by
# EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less than one hour (3,600
# seconds), the total evaluation period can't be longer than one day (86,400 seconds)." (CloudWatch API Reference,
# PutMetricAlarm, Period)
ALARM_WINDOW_SECONDS = 604_800
SHORT_PERIOD_ALARM_WINDOW_SECONDS = 86_400
# Where a statistic goes, which decides the forms it may take (``autoscaler.statistics``).
TRACKING, QUERY, ALARM = "tracking", "query", "alarm"

MetricTemplate = str | CustomMetric | MetricMath  # a metric key, or a metric whose dimensions may hold placeholders


@dataclass(frozen=True)
class TrackingEntry:
    key: str  # part of the policy name: the metric key, or the entry's name
    metric: MetricTemplate
    target: float
    scale_in_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    scale_out_cooldown: int = DEFAULT_COOLDOWN_SECONDS
    disable_scale_in: bool = False
    default_dimensions: bool = field(default=False)  # a custom metric without `dimensions`: EndpointName/VariantName


@dataclass(frozen=True)
class StepEntry:
    name: str
    metric: CustomMetric
    default_dimensions: bool
    comparison: str
    threshold: float
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    treat_missing_data: str
    adjustment_type: str
    steps: tuple[StepAdjustment, ...]
    cooldown: int
    metric_aggregation: str
    min_adjustment_magnitude: int | None


@dataclass(frozen=True)
class ScheduleEntry:
    name: str
    schedule: str
    timezone: str
    start: datetime | None
    end: datetime | None
    min_capacity: int | None
    max_capacity: int | None


@dataclass(frozen=True)
class ProfileScope:
    """What one level of a profile (the top, or `variants.<V>`) sets; None = not set there."""

    min_capacity: int | None = None
    max_capacity: int | None = None
    target_tracking: tuple[TrackingEntry, ...] | None = None
    step_scaling: tuple[StepEntry, ...] | None = None
    schedules: tuple[ScheduleEntry, ...] | None = None
    suspend: SuspendedState | None = None


@dataclass(frozen=True)
class Profile:
    source: str  # "profile NAME", the prefix of every problem it causes
    top: ProfileScope
    limits_max: int | None = None
    variants: tuple[tuple[str, ProfileScope], ...] = ()
    warnings: tuple[Problem, ...] = ()
    components: tuple[tuple[str, ProfileScope], ...] = ()  # `inference_components.<name>`

    def variant(self, name: str) -> ProfileScope:
        return dict(self.variants).get(name, ProfileScope())

    def component(self, name: str) -> ProfileScope | None:
        return dict(self.components).get(name)


def parse_profile(text: str, source: str) -> Profile:
    """Raises ConfigError listing every problem, each prefixed with ``source`` (e.g. ``profile business-hours``)."""
    try:
        data = parse_document(text)
    except DocumentError as exc:
        raise ConfigError([Problem(source, str(exc))]) from None
    reader = _Reader(source)
    profile = reader.profile(data)
    if reader.problems or profile is None:
        raise ConfigError(reader.problems)
    size = len(text.encode("utf-8"))
    if size > STANDARD_PARAMETER_BYTES:
        warning = Problem(source, f"{size} bytes: needs an advanced SSM parameter (standard ones hold 4 KB)")
        profile = replace(profile, warnings=(warning,))
    return profile


class ParameterRead(Protocol):
    @property
    def type(self) -> str: ...
    @property
    def value(self) -> str: ...


class ProfileStore:
    """Loads profiles from SSM once per pass (a reconcile, or a whole sweep): a cache that never outlives the pass,
    so a profile change is seen by the next reconcile, never masked by a time-to-live."""

    def __init__(self, read: Callable[[str], ParameterRead | None], prefix: str) -> None:
        self._read = read
        self._prefix = prefix
        self._cache: dict[str, Profile | ConfigError] = {}

    def parameter_name(self, ref: ProfileRef) -> str:
        """The full parameter name a reference resolves to; raises ConfigError outside the profile prefix."""
        if not ref.name.startswith("/"):
            return f"{self._prefix}/{ref.name}"
        if not ref.name.startswith(f"{self._prefix}/"):
            raise ConfigError([Problem(f"profile {ref.name}", f"is outside the profile prefix {self._prefix}/")])
        return ref.name

    def load(self, ref: ProfileRef) -> Profile:
        shown = ref.name + (f":{ref.selector}" if ref.selector else "")
        name = self.parameter_name(ref) + (f":{ref.selector}" if ref.selector else "")
        if name not in self._cache:
            self._cache[name] = self._load(name, f"profile {shown}")
        found = self._cache[name]
        if isinstance(found, ConfigError):
            raise found
        return found

    def _load(self, name: str, source: str) -> Profile | ConfigError:
        parameter = self._read(name)
        if parameter is None:
            return ConfigError([Problem(source, f"parameter {name} does not exist")])
        if parameter.type != "String":
            return ConfigError([Problem(source, f"is a {parameter.type} parameter: profiles are String parameters")])
        try:
            return parse_profile(parameter.value, source)
        except ConfigError as exc:
            return exc


SCOPE_FIELDS = ("min", "max", "target_tracking", "step_scaling", "schedules", "suspend")
TOP_FIELDS = ("version", "limits", "variants", "inference_components", *SCOPE_FIELDS)


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[Problem] = []

    def error(self, path: str, message: str) -> None:
        self.problems.append(Problem(f"{self.source}: {path}" if path else self.source, message))

    # ------------------------------------------------------------ structure

    def profile(self, data: Any) -> Profile | None:
        top = self.mapping(data, "", TOP_FIELDS, required=("version",))
        if top is None:
            return None
        version = top.get("version")
        if "version" in top and (type(version) is not int or version != PROFILE_VERSION):
            self.error("version", f"{top['version']!r}: this controller reads version {PROFILE_VERSION}")
        limits_max = None
        if "limits" in top:
            limits = self.mapping(top["limits"], "limits", ("max",))
            if limits is not None and "max" in limits:
                limits_max = self.integer(limits["max"], "limits.max", 1, None)
        variants = self.named_scopes(top, "variants", "variant")
        components = self.named_scopes(top, "inference_components", "inference component")
        return Profile(self.source, self.scope(top, ""), limits_max, variants, (), components)

    def named_scopes(self, top: dict[str, Any], key: str, what: str) -> tuple[tuple[str, ProfileScope], ...]:
        """`variants` and `inference_components`: name -> a scope of its own (SageMaker's name pattern for both)."""
        scopes = []
        raw = self.mapping(top[key], key, None) if key in top else None
        for name, body in (raw or {}).items():
            if not ENDPOINT_NAME.fullmatch(name):  # SageMaker's VariantName pattern is EndpointName's
                self.error(f"{key}.{name}", f"not a SageMaker {what} name")
                continue
            scopes.append((name, self.scope(body, f"{key}.{name}.")))
        return tuple(scopes)

    def scope(self, data: Any, path: str) -> ProfileScope:
        body = data if path == "" else self.mapping(data, path.rstrip("."), SCOPE_FIELDS)
        if body is None:
            return ProfileScope()
        lo = self.integer(body["min"], f"{path}min", 0, None) if "min" in body else None
        hi = self.integer(body["max"], f"{path}max", 1, None) if "max" in body else None
        if lo is not None and hi is not None and lo > hi:
            self.error(f"{path}min", f"{lo} is greater than max {hi}")
        return ProfileScope(
            min_capacity=lo,
            max_capacity=hi,
            target_tracking=self.each(body, "target_tracking", path, self.tracking, "key"),
            step_scaling=self.each(body, "step_scaling", path, self.step, "name"),
            schedules=self.each(body, "schedules", path, self.schedule, "name", MAX_SCHEDULED_ACTIONS_PER_TARGET),
            suspend=self.suspend(body["suspend"], f"{path}suspend") if "suspend" in body else None,
        )

    def each(
        self, body: dict[str, Any], key: str, path: str, read: Callable[[Any, str], Any], unique: str, limit: int = 50
    ) -> tuple[Any, ...] | None:
        if key not in body:
            return None
        items = body[key]
        if not isinstance(items, list):
            self.error(f"{path}{key}", "must be a list")
            return None
        if len(items) > limit:
            self.error(f"{path}{key}", f"{len(items)} entries: AWS allows at most {limit} per scalable target")
        read_back = [
            (i, entry) for i, item in enumerate(items) if (entry := read(item, f"{path}{key}[{i}]")) is not None
        ]
        seen: set[str] = set()
        for i, entry in read_back:
            name = getattr(entry, unique)
            if name in seen:
                self.error(f"{path}{key}[{i}]", f"duplicate {'metric' if unique == 'key' else 'name'} {name!r}")
            seen.add(name)
        return tuple(entry for _, entry in read_back)

    # ------------------------------------------------------------ entries

    def tracking(self, data: Any, path: str) -> TrackingEntry | None:
        body = self.mapping(
            data,
            path,
            ("metric", "target", "name", "scale_in_cooldown", "scale_out_cooldown", "disable_scale_in"),
            required=("metric", "target"),
        )
        if body is None or "metric" not in body or "target" not in body:
            return None
        metric, default_dimensions = self.tracking_metric(body["metric"], f"{path}.metric")
        target = self.number(body["target"], f"{path}.target", positive=True)
        if isinstance(metric, str) and value_kind(metric) == "percent" and target is not None and target > 100:
            self.error(f"{path}.target", f"{target:g} is a percent of one instance: at most 100")
        if isinstance(metric, str) and value_kind(metric) == "ratio" and target is not None and target > 1:
            self.error(f"{path}.target", f"{target:g} is a utilisation ratio: at most 1")
        if target is not None and target > MAX_TARGET_VALUE:
            self.error(f"{path}.target", f"{target:g} is above 2^360, the largest target value AWS accepts")
            target = None
        name = self.name(body["name"], f"{path}.name") if "name" in body else None
        if name is None and isinstance(metric, MetricMath):
            self.error(f"{path}.name", "a metric-math policy needs a name (it becomes part of the policy name)")
        if name is not None and name.startswith("step-"):
            self.error(f"{path}.name", "names starting with 'step-' are kept for step-scaling policies")
        if metric is None or target is None:
            return None
        key = name or (
            metric if isinstance(metric, str) else _slug(metric.name if isinstance(metric, CustomMetric) else "")
        )
        return TrackingEntry(
            key=key,
            metric=metric,
            target=target,
            scale_in_cooldown=self.cooldown(body, "scale_in_cooldown", path),
            scale_out_cooldown=self.cooldown(body, "scale_out_cooldown", path),
            disable_scale_in=self.boolean(body.get("disable_scale_in", False), f"{path}.disable_scale_in"),
            default_dimensions=default_dimensions,
        )

    def tracking_metric(self, data: Any, path: str) -> tuple[MetricTemplate | None, bool]:
        if isinstance(data, str):
            if data not in METRICS:
                hint = did_you_mean(data, frozenset(METRICS))
                known = " | ".join(METRICS)
                self.error(path, f"{data!r} is not a metric ({known}){f'; did you mean {hint!r}?' if hint else ''}")
                return None, False
            return data, False
        if isinstance(data, dict) and "metrics" in data:
            return self.metric_math(data, path), False
        return self.custom_metric(data, path, TRACKING)

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

    def step(self, data: Any, path: str) -> StepEntry | None:
        fields = (
            "name",
            "metric",
            "comparison",
            "threshold",
            "period",
            "evaluation_periods",
            "datapoints_to_alarm",
            "treat_missing_data",
            "adjustment_type",
            "min_adjustment_magnitude",
            "metric_aggregation",
            "steps",
            "cooldown",
        )
        body = self.mapping(
            data, path, fields, ("name", "metric", "comparison", "threshold", "adjustment_type", "steps")
        )
        if body is None or not {"name", "metric", "comparison", "threshold", "adjustment_type", "steps"} <= set(body):
            return None
        name = self.name(body["name"], f"{path}.name")
        metric, default_dimensions = self.custom_metric(body["metric"], f"{path}.metric", ALARM)
        comparison = self.choice(body["comparison"], f"{path}.comparison", COMPARISONS)
        threshold = self.number(body["threshold"], f"{path}.threshold")
        period = self.integer(body.get("period", 60), f"{path}.period", 10, 86400)
        if period is not None and period not in ALARM_PERIODS and period % 60:
            self.error(f"{path}.period", f"{period}: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds")
        evaluations = self.integer(body.get("evaluation_periods", 1), f"{path}.evaluation_periods", 1, 100)
        datapoints = self.integer(
            body.get("datapoints_to_alarm", evaluations or 1), f"{path}.datapoints_to_alarm", 1, 100
        )
        if datapoints is not None and evaluations is not None and datapoints > evaluations:
            self.error(f"{path}.datapoints_to_alarm", f"{datapoints} is more than evaluation_periods {evaluations}")
        if period is not None and evaluations is not None:
            window = period * evaluations
            limit = SHORT_PERIOD_ALARM_WINDOW_SECONDS if period < 3600 else ALARM_WINDOW_SECONDS
            if window > limit:
                self.error(
                    f"{path}.evaluation_periods",
                    f"period {period} s x {evaluations} = {window} s: CloudWatch alarms evaluate at most {limit} s "
                    f"({'one day for periods under an hour' if period < 3600 else 'seven days'})",
                )
        missing = self.choice(
            body.get("treat_missing_data", "missing"), f"{path}.treat_missing_data", {t: t for t in TREAT_MISSING}
        )
        adjustment = self.choice(body["adjustment_type"], f"{path}.adjustment_type", ADJUSTMENT_TYPES)
        magnitude = None
        if "min_adjustment_magnitude" in body:
            magnitude = self.integer(body["min_adjustment_magnitude"], f"{path}.min_adjustment_magnitude", 1, INT32_MAX)
            if adjustment is not None and adjustment != "PercentChangeInCapacity":
                self.error(f"{path}.min_adjustment_magnitude", "applies only to adjustment_type percent")
        aggregation = self.choice(
            body.get("metric_aggregation", "Average"), f"{path}.metric_aggregation", {a: a for a in AGGREGATIONS}
        )
        steps = self.steps(body["steps"], f"{path}.steps", adjustment)
        cooldown = self.cooldown(body, "cooldown", path)
        if (
            name is None
            or metric is None
            or comparison is None
            or threshold is None
            or period is None
            or evaluations is None
            or datapoints is None
            or missing is None
            or adjustment is None
            or steps is None
            or aggregation is None
        ):
            return None
        return StepEntry(
            name,
            metric,
            default_dimensions,
            comparison,
            threshold,
            period,
            evaluations,
            datapoints,
            missing,
            adjustment,
            steps,
            cooldown,
            aggregation,
            magnitude,
        )

    def steps(self, data: Any, path: str, adjustment_type: str | None) -> tuple[StepAdjustment, ...] | None:
        """AWS's step-adjustment rules (AAS API reference, StepAdjustment)."""
        if not isinstance(data, list) or not data:
            self.error(path, "must be a non-empty list of {lower, upper, adjustment}")
            return None
        if len(data) > MAX_STEPS:
            self.error(path, f"{len(data)} steps: AWS allows at most {MAX_STEPS}")
        steps = []
        for i, raw in enumerate(data):
            body = self.mapping(raw, f"{path}[{i}]", ("lower", "upper", "adjustment"), ("adjustment",))
            if body is None or "adjustment" not in body:
                continue
            lower = self.number(body["lower"], f"{path}[{i}].lower") if body.get("lower") is not None else None
            upper = self.number(body["upper"], f"{path}[{i}].upper") if body.get("upper") is not None else None
            amount = self.integer(body["adjustment"], f"{path}[{i}].adjustment", -INT32_MAX, INT32_MAX)
            if amount is None:
                continue
            if adjustment_type == "ExactCapacity" and amount < 0:
                self.error(f"{path}[{i}].adjustment", "exact capacity cannot be negative")
            if lower is not None and upper is not None and upper <= lower:
                self.error(f"{path}[{i}]", f"upper {upper:g} must be greater than lower {lower:g}")
            if lower is None and upper is None:
                # AAS API Reference, StepAdjustment: "The upper and lower bound can't be null in the same step
                # adjustment."
                self.error(f"{path}[{i}]", "give lower, upper or both: AWS refuses a step with neither bound")
            steps.append(StepAdjustment(amount, lower, upper))
        if len(steps) != len(data):
            return None
        if sum(s.lower is None for s in steps) > 1:
            self.error(path, "at most one step may have no lower bound")
        if sum(s.upper is None for s in steps) > 1:
            self.error(path, "at most one step may have no upper bound")
        ordered = sorted(steps, key=lambda s: -math.inf if s.lower is None else s.lower)
        for before, after in itertools.pairwise(ordered):
            if before.upper is None or after.lower is None or before.upper != after.lower:
                self.error(
                    path,
                    "steps must meet without gap or overlap: "
                    f"upper {_bound(before.upper)} then lower {_bound(after.lower)}",
                )
        if any(s.lower is not None and s.lower < 0 for s in steps) and all(s.lower is not None for s in steps):
            self.error(path, "a negative lower bound needs a step with no lower bound")
        if any(s.upper is not None and s.upper > 0 for s in steps) and all(s.upper is not None for s in steps):
            self.error(path, "a positive upper bound needs a step with no upper bound")
        return tuple(ordered)

    def schedule(self, data: Any, path: str) -> ScheduleEntry | None:
        body = self.mapping(
            data, path, ("name", "schedule", "timezone", "start", "end", "min", "max"), ("name", "schedule")
        )
        if body is None or "name" not in body or "schedule" not in body:
            return None
        name = self.name(body["name"], f"{path}.name")
        expression = self.text(body["schedule"], f"{path}.schedule", 256)
        if expression is not None:
            try:
                validate_schedule(expression)
            except ValueError as exc:
                self.error(f"{path}.schedule", str(exc))
                expression = None
        timezone = self.text(body.get("timezone", DEFAULT_TIMEZONE), f"{path}.timezone", 64)
        if timezone is not None:
            try:
                parse_timezone(timezone)
            except ValueError as exc:
                self.error(f"{path}.timezone", str(exc))
                timezone = None
        start = self.instant(body["start"], f"{path}.start") if "start" in body else None
        end = self.instant(body["end"], f"{path}.end") if "end" in body else None
        if start and end and end <= start:
            self.error(f"{path}.end", "must be after start")
        lo = self.integer(body["min"], f"{path}.min", 0, None) if "min" in body else None
        hi = self.integer(body["max"], f"{path}.max", 0, None) if "max" in body else None
        if "min" not in body and "max" not in body:
            self.error(path, "a scheduled action sets min, max or both")
        if lo is not None and hi is not None and lo > hi:
            self.error(f"{path}.min", f"{lo} is greater than max {hi}")
        if name is None or expression is None or timezone is None:
            return None
        return ScheduleEntry(name, expression, timezone, start, end, lo, hi)

    # ------------------------------------------------------------ scalars

    def mapping(
        self, data: Any, path: str, allowed: tuple[str, ...] | None, required: tuple[str, ...] = ()
    ) -> dict[str, Any] | None:
        if not isinstance(data, dict):
            self.error(path, f"must be a mapping, not {_kind(data)}")
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


def _bound(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "custom"


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), type(value).__name__
    )
