"""The profile schema (README.md, "Profiles"): one table per section of a profile, read by ``autoscaler.schema`` into
the value objects of ``autoscaler.profile_model``; the generic validators are ``autoscaler.fields``, the metrics
``autoscaler.profile_metrics``.

Each row is a ``Field``: its name in the document, its validator, whether it is required, its default, and the checks
that read it against the rows before it (reported at its path, e.g. ``schedules[0].min``). The value object is built
from the rows by name (``attr`` when the attribute is named otherwise). Adding a plain field is one row here plus its
attribute on the value object; e.g. a schedule's optional ``description``::

    Field("description", text(256)),                    # in SCHEDULE
    description: str | None = None                      # on ScheduleEntry (profile_model.py)

and it is read, checked, named in "unknown field; did you mean ...?" and built, with nothing else to change.
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import replace
from functools import partial
from typing import Any

from autoscaler.constants import (
    DEFAULT_COOLDOWN_SECONDS,
    MAX_COOLDOWN_SECONDS,
    MAX_SCHEDULED_ACTIONS_PER_TARGET,
    MAX_TARGET_VALUE,
)
from autoscaler.errors import Problem
from autoscaler.fields import Read, boolean, choice, instant, name, number, optional, suspend, text, whole
from autoscaler.messages import ENDPOINT_NAME
from autoscaler.metrics import value_kind
from autoscaler.profile_metrics import ALARM, CUSTOM, tracking_metric
from autoscaler.profile_model import Profile, ProfileScope, ScheduleEntry, StepEntry, TrackingEntry
from autoscaler.scaling import TRACKING_DEFAULTS, TRACKING_SETTINGS, TrackingKind
from autoscaler.schedules import DEFAULT_TIMEZONE, parse_timezone, validate_schedule
from autoscaler.schema import NOT_BUILT, Check, Each, Entry, Field, Named, Reader, Section, valid
from autoscaler.spec import CustomMetric, MetricMath, StepAdjustment

PROFILE_VERSION = 1
MAX_POLICIES = 50  # per scalable target
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
TREAT_MISSING = {t: t for t in ("missing", "notBreaching", "breaching", "ignore")}
AGGREGATIONS = {a: a for a in ("Average", "Minimum", "Maximum")}
ALARM_PERIODS = (10, 20, 30)  # or any multiple of 60 (CloudWatch PutMetricAlarm)
# "An alarm's total current evaluation period can be no longer than seven days, so Period multiplied by
# EvaluationPeriods can't be more than 604,800 seconds. For alarms with a period of less than one hour (3,600
# seconds), the total evaluation period can't be longer than one day (86,400 seconds)." (CloudWatch API Reference,
# PutMetricAlarm, Period)
ALARM_WINDOW_SECONDS = 604_800
SHORT_PERIOD_ALARM_WINDOW_SECONDS = 86_400
PER_TARGET = "{count} entries: AWS allows at most {limit} per scalable target"
COOLDOWN = whole(0, MAX_COOLDOWN_SECONDS)
_SETTING_READERS: dict[TrackingKind, Read] = {"cooldown": COOLDOWN, "bool": boolean}

# ------------------------------------------------------------ checks: one field against the fields before it


def _min_not_above_max(entry: Entry) -> str | None:
    low, high = entry.get("min"), entry.get("max")
    return f"{low} is greater than max {high}" if low is not None and high is not None and low > high else None


def _percent_target(entry: Entry) -> str | None:
    metric, target = entry.get("metric"), entry.get("target")
    if isinstance(metric, str) and value_kind(metric) == "percent" and target is not None and target > 100:
        return f"{target:g} is a percent of one instance: at most 100"
    return None


def _ratio_target(entry: Entry) -> str | None:
    metric, target = entry.get("metric"), entry.get("target")
    if isinstance(metric, str) and value_kind(metric) == "ratio" and target is not None and target > 1:
        return f"{target:g} is a utilisation ratio: at most 1"
    return None


def _largest_target(entry: Entry) -> str | None:
    target = entry.get("target")
    if target is not None and target > MAX_TARGET_VALUE:
        return f"{target:g} is above 2^360, the largest target value AWS accepts"
    return None


def _math_named(entry: Entry) -> str | None:
    if entry.get("name") is None and isinstance(entry.get("metric"), MetricMath):
        return "a metric-math policy needs a name (it becomes part of the policy name)"
    return None


def _not_step_named(entry: Entry) -> str | None:
    policy = entry.get("name")
    if policy is not None and policy.startswith("step-"):
        return "names starting with 'step-' are kept for step-scaling policies"
    return None


def _alarm_period(entry: Entry) -> str | None:
    period = entry.get("period")
    if period is not None and period not in ALARM_PERIODS and period % 60:
        return f"{period}: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds"
    return None


def _datapoints_within(entry: Entry) -> str | None:
    datapoints, evaluations = entry.get("datapoints_to_alarm"), entry.get("evaluation_periods")
    if datapoints is not None and evaluations is not None and datapoints > evaluations:
        return f"{datapoints} is more than evaluation_periods {evaluations}"
    return None


def _alarm_window(entry: Entry) -> str | None:
    period, evaluations = entry.get("period"), entry.get("evaluation_periods")
    if period is None or evaluations is None:
        return None
    window = period * evaluations
    limit = SHORT_PERIOD_ALARM_WINDOW_SECONDS if period < 3600 else ALARM_WINDOW_SECONDS
    if window <= limit:
        return None
    return (
        f"period {period} s x {evaluations} = {window} s: CloudWatch alarms evaluate at most {limit} s "
        f"({'one day for periods under an hour' if period < 3600 else 'seven days'})"
    )


def _magnitude_for_percent(entry: Entry) -> str | None:
    adjustment = entry.get("adjustment_type")
    if "min_adjustment_magnitude" in entry and adjustment is not None and adjustment != "PercentChangeInCapacity":
        return "applies only to adjustment_type percent"
    return None


def _exact_not_negative(entry: Entry) -> str | None:
    amount, policy = entry.get("adjustment"), entry.parent
    if amount is not None and policy is not None and policy.get("adjustment_type") == "ExactCapacity" and amount < 0:
        return "exact capacity cannot be negative"
    return None


def _upper_above_lower(entry: Entry) -> str | None:
    lower, upper = entry.get("lower"), entry.get("upper")
    if entry.get("adjustment") is not None and lower is not None and upper is not None and upper <= lower:
        return f"upper {upper:g} must be greater than lower {lower:g}"
    return None


def _some_bound(entry: Entry) -> str | None:
    # AAS API Reference, StepAdjustment: "The upper and lower bound can't be null in the same step adjustment."
    if entry.get("adjustment") is not None and entry.get("lower") is None and entry.get("upper") is None:
        return "give lower, upper or both: AWS refuses a step with neither bound"
    return None


def _end_after_start(entry: Entry) -> str | None:
    start, end = entry.get("start"), entry.get("end")
    return "must be after start" if start and end and end <= start else None


def _sets_a_bound(entry: Entry) -> str | None:
    return "a scheduled action sets min, max or both" if "min" not in entry and "max" not in entry else None


# ------------------------------------------------------------ validators of one profile field


def _version(r: Reader, value: Any, path: str) -> int | None:
    if type(value) is not int or value != PROFILE_VERSION:
        r.error(path, f"{value!r}: this controller reads version {PROFILE_VERSION}")
        return None
    return value


def _steps(r: Reader, data: Any, path: str) -> tuple[StepAdjustment, ...] | None:
    """AWS's step-adjustment rules (AAS API reference, StepAdjustment), over steps that each read well."""
    if not isinstance(data, list) or not data:
        r.error(path, "must be a non-empty list of {lower, upper, adjustment}")
        return None
    if len(data) > MAX_STEPS:
        r.error(path, f"{len(data)} steps: AWS allows at most {MAX_STEPS}")
    steps = [STEP_ADJUSTMENT.read(r, raw, f"{path}[{i}]") for i, raw in enumerate(data)]
    if any(step is None for step in steps):
        return None
    if sum(s.lower is None for s in steps) > 1:
        r.error(path, "at most one step may have no lower bound")
    if sum(s.upper is None for s in steps) > 1:
        r.error(path, "at most one step may have no upper bound")
    ordered = sorted(steps, key=lambda s: -math.inf if s.lower is None else s.lower)
    for before, after in itertools.pairwise(ordered):
        if before.upper is None or after.lower is None or before.upper != after.lower:
            bounds = f"upper {_bound(before.upper)} then lower {_bound(after.lower)}"
            r.error(path, f"steps must meet without gap or overlap: {bounds}")
    if any(s.lower is not None and s.lower < 0 for s in steps) and all(s.lower is not None for s in steps):
        r.error(path, "a negative lower bound needs a step with no lower bound")
    if any(s.upper is not None and s.upper > 0 for s in steps) and all(s.upper is not None for s in steps):
        r.error(path, "a positive upper bound needs a step with no upper bound")
    return tuple(ordered)


def _bound(value: float | None) -> str:
    return "none" if value is None else f"{value:g}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "custom"


def _tracking_key(entry: Entry) -> dict[str, Any]:
    """The policy's key (its name, else its metric key, else its custom metric's name) and whether its custom metric
    takes the default dimensions (it gives none)."""
    metric = entry["metric"]
    key = entry.get("name") or (
        metric if isinstance(metric, str) else _slug(metric.name if isinstance(metric, CustomMetric) else "")
    )
    custom = isinstance(metric, CustomMetric) and "dimensions" not in entry.raw["metric"]
    return {"key": key, "default_dimensions": custom}


def _default_dimensions(entry: Entry) -> dict[str, Any]:
    return {"default_dimensions": "dimensions" not in entry.raw["metric"]}


def _the_value(value: Any) -> Any:
    return value


# ------------------------------------------------------------ the tables

TRACKING = Section(
    (
        Field("metric", tracking_metric, required=True),
        Field(
            "target",
            number(positive=True),
            required=True,
            checks=(Check(_percent_target), Check(_ratio_target), Check(_largest_target, effect="reject")),
        ),
        Field("name", name, checks=(Check(_math_named), Check(_not_step_named)), attr=NOT_BUILT),
        # the policy's settings (autoscaler.scaling.TRACKING_SETTINGS) are read once its metric and target are good
        *(
            Field(
                setting, _SETTING_READERS[row.kind], default=TRACKING_DEFAULTS[setting], when=valid("metric", "target")
            )
            for setting, row in TRACKING_SETTINGS.items()
        ),
    ),
    TrackingEntry,
    derive=_tracking_key,
)

STEP_ADJUSTMENT = Section(
    (
        Field("lower", optional(number())),
        Field("upper", optional(number())),
        Field(
            "adjustment",
            whole(-INT32_MAX, INT32_MAX),
            required=True,
            checks=(Check(_exact_not_negative), Check(_upper_above_lower, ""), Check(_some_bound, "")),
        ),
    ),
    StepAdjustment,
)

STEP = Section(
    (
        Field("name", name, required=True),
        Field("metric", CUSTOM[ALARM].read, required=True),
        Field("comparison", choice(COMPARISONS), required=True),
        Field("threshold", number(), required=True),
        Field("period", whole(10, 86400), default=60, essential=True, checks=(Check(_alarm_period),)),
        Field("evaluation_periods", whole(1, 100), default=1, essential=True),
        Field(
            "datapoints_to_alarm",
            whole(1, 100),
            default_of=lambda entry: entry["evaluation_periods"] or 1,
            essential=True,
            checks=(Check(_datapoints_within), Check(_alarm_window, "evaluation_periods")),
        ),
        Field("treat_missing_data", choice(TREAT_MISSING), default="missing", essential=True),
        Field("adjustment_type", choice(ADJUSTMENT_TYPES), required=True),
        Field("min_adjustment_magnitude", whole(1, INT32_MAX), checks=(Check(_magnitude_for_percent),)),
        Field("metric_aggregation", choice(AGGREGATIONS), default="Average", essential=True),
        Field("steps", _steps, required=True),
        Field("cooldown", COOLDOWN, default=DEFAULT_COOLDOWN_SECONDS),
    ),
    StepEntry,
    derive=_default_dimensions,
)

SCHEDULE = Section(
    (
        Field("name", name, required=True),
        Field("schedule", text(256, then=validate_schedule), required=True),
        Field("timezone", text(64, then=parse_timezone), default=DEFAULT_TIMEZONE, essential=True),
        Field("start", instant),
        Field("end", instant, checks=(Check(_end_after_start),)),
        Field("min", whole(0), attr="min_capacity"),
        Field(
            "max", whole(0), checks=(Check(_sets_a_bound, ""), Check(_min_not_above_max, "min")), attr="max_capacity"
        ),
    ),
    ScheduleEntry,
)

SCOPE = Section(
    (
        Field("min", whole(0), attr="min_capacity"),
        Field("max", whole(1), checks=(Check(_min_not_above_max, "min"),), attr="max_capacity"),
        Field("target_tracking", Each(TRACKING, "key", "metric", MAX_POLICIES, PER_TARGET)),
        Field("step_scaling", Each(STEP, "name", "name", MAX_POLICIES, PER_TARGET)),
        Field("schedules", Each(SCHEDULE, "name", "name", MAX_SCHEDULED_ACTIONS_PER_TARGET, PER_TARGET)),
        Field("suspend", suspend),
    ),
    ProfileScope,
)

LIMITS = Section((Field("max", whole(1), attr="value"),), _the_value)  # limits: {max} -> Profile.limits_max

PROFILE = Section(
    (
        Field("version", _version, required=True, attr=NOT_BUILT),
        Field("limits", LIMITS.read, attr="limits_max"),
        # SageMaker's VariantName and InferenceComponentName patterns are EndpointName's
        Field("variants", Named(SCOPE, ENDPOINT_NAME, "not a SageMaker variant name"), default=()),
        Field(
            "inference_components",
            Named(SCOPE, ENDPOINT_NAME, "not a SageMaker inference component name"),
            default=(),
            attr="components",
        ),
    ),
    partial(Profile, ""),  # read_profile names its source
    partial=True,
    inline=("top", SCOPE),
)


def read_profile(data: Any, source: str) -> tuple[Profile | None, list[Problem]]:
    """The Profile a parsed document describes (None when it is not a mapping) and every problem, under ``source``."""
    reader = Reader(source)
    profile = PROFILE.read(reader, data, "")
    return (None if profile is None else replace(profile, source=source)), reader.problems
