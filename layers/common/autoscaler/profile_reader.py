"""The profile schema: a parsed document -> a Profile (``autoscaler.profile_model``), every problem named by its path.
The generic validators are ``autoscaler.fields``."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from typing import Any

from autoscaler.constants import (
    MAX_SCHEDULED_ACTIONS_PER_TARGET,
    MAX_TARGET_VALUE,
)
from autoscaler.messages import ENDPOINT_NAME
from autoscaler.metrics import METRICS, value_kind
from autoscaler.profile_metrics import ALARM, TRACKING, MetricReader
from autoscaler.profile_model import MetricTemplate, Profile, ProfileScope, ScheduleEntry, StepEntry, TrackingEntry
from autoscaler.schedules import DEFAULT_TIMEZONE, parse_timezone, validate_schedule
from autoscaler.spec import CustomMetric, MetricMath, StepAdjustment
from autoscaler.tags import did_you_mean

PROFILE_VERSION = 1
MAX_STEPS = 20
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

SCOPE_FIELDS = ("min", "max", "target_tracking", "step_scaling", "schedules", "suspend")
TOP_FIELDS = ("version", "limits", "variants", "inference_components", *SCOPE_FIELDS)


class ProfileReader(MetricReader):
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


def _bound(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "custom"
