"""A profile's value objects: what each level of a profile sets, as read and validated by
``autoscaler.profile_schema``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from autoscaler.errors import Problem
from autoscaler.scaling import TrackingSettings
from autoscaler.spec import CustomMetric, MetricMath, StepAdjustment, SuspendedState

MetricTemplate = str | CustomMetric | MetricMath  # a metric key, or a metric whose dimensions may hold placeholders


@dataclass(frozen=True)
class _TrackingMetric:
    key: str  # part of the policy name: the metric key, or the entry's name
    metric: MetricTemplate
    target: float


@dataclass(frozen=True)
class TrackingEntry(TrackingSettings, _TrackingMetric):
    """A target-tracking entry: its metric and target, then its settings (``autoscaler.scaling.TRACKING_SETTINGS``)."""

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
