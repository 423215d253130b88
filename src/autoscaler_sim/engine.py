"""Application Auto Scaling on one SageMaker instance variant, step by step, as AWS documents it.

The variant is a ``VariantSpec`` (the controller's own model: a profile, or an endpoint's effective configuration),
the traffic a per-minute invocation series. Time advances in steps of 60 s, or 10 s when a high-resolution metric or
a sub-minute alarm period needs it. At the end of each step:

1. a scaling activity in progress completes when its instances are in service (``Parameters.provisioning_seconds``)
   or removed (``Parameters.scale_in_seconds``);
2. scheduled actions that fired during the step change the bounds, and capacity outside them is brought inside;
3. the step's metrics are computed from the demand and the instances in service (``queueing`` for latency);
4. every alarm whose period ended is evaluated, and the policies whose alarm is in ALARM propose a capacity;
5. unless an activity is in progress, the largest proposal wins, clamped to the bounds.

The rules, each with the AWS documentation it encodes:

- **Target tracking** (AAS User Guide, target-tracking-scaling-policy-overview): AAS creates two alarms per policy. The
  high alarm fires when the metric is above the target, the low alarm when it is "sufficiently below" it ("usually
  more than 10% lower"). AWS does not document the alarms' datapoints; the ones AAS creates
  (``TargetTracking-...-AlarmHigh`` / ``-AlarmLow``, readable with DescribeAlarms) are commonly reported as 3 of 3
  one-minute datapoints above the target and 15 of 15 below 90% of it (not verified against AWS here). They are
  parameters: ``Parameters.high_alarm_datapoints`` (3), ``low_alarm_datapoints`` (15), ``low_alarm_ratio`` (0.9).
- **Proportional capacity** (same page: "adds capacity proportional to the metric", "calculates the scaling
  adjustment based on the metric and the target value"): desired = ceil(capacity x metric / target), never below
  what keeps the metric under the target. AWS documents no formula; this is the one its text describes.
- **Cooldowns** (AAS API Reference, TargetTrackingScalingPolicyConfiguration ScaleOutCooldown / ScaleInCooldown;
  the SageMaker default is 300 s for both): counted from the completion of an activity. During a scale-out cooldown
  "the capacity that has been added by the previous scale out event that initiated the cooldown is calculated as part
  of the desired capacity for the next scale out": the proportional calculation uses the capacity that produced the
  datapoint, so a datapoint measured before the added instances served does not multiply them again; outside the
  cooldown it uses the current capacity (so a stale datapoint overshoots, which is what the cooldown is for). A
  scale-in waits for its cooldown; "if another alarm triggers a scale out ... during the cooldown period after a
  scale-in, application auto scaling scales out your scalable target immediately".
- **DisableScaleIn** (same reference): the policy never removes capacity, and does not hold back another policy's
  scale-in.
- **High-resolution metrics** (SageMaker Developer Guide, endpoint-auto-scaling-add-code-define: the high-resolution
  ConcurrentRequestsPerModel metric "emit[s] data every 10 seconds ... the policy scales out much more quickly ...
  when traffic decreases, the policy scales in at the same speed as standard metrics"): the high alarm uses 10-second
  datapoints (``Parameters.high_resolution_period``), the low alarm one-minute datapoints.
- **Step scaling** (AAS User Guide, application-auto-scaling-step-scaling-policies; API Reference,
  StepScalingPolicyConfiguration and StepAdjustment): the alarm is evaluated at the end of each of its periods: ALARM
  when at least ``datapoints_to_alarm`` of the last ``evaluation_periods`` datapoints breach (CloudWatch User Guide,
  AlarmThatSendsEmail, "Evaluating an alarm"). While in ALARM, "the alarm continues to invoke the action once per
  minute" for Auto Scaling actions (CloudWatch User Guide, alarm actions) - here at every evaluation. The step is
  chosen by the difference between the aggregated metric (MetricAggregationType over the evaluated datapoints) and
  the threshold: above the threshold the lower bound is inclusive and the upper exclusive, below it the other way
  round. ChangeInCapacity adds, ExactCapacity sets, PercentChangeInCapacity adds a percentage rounded as AAS
  documents (above 1 down, between 0 and 1 to 1, between -1 and 0 to -1, below -1 up) and at least
  MinAdjustmentMagnitude. Cooldown: as for target tracking, from the capacity before the scale-out that started it.
- **Several policies** (AAS User Guide, target-tracking "Multiple scaling policies"): "scales based on the policy
  that provides the largest capacity for both scale out and scale in": a target-tracking policy not asking to scale in
  holds the capacity it has; step policies whose alarm is not in ALARM ask for nothing.
- **Bounds** (AAS API Reference, RegisterScalableTarget MinCapacity/MaxCapacity): every activity is clamped to them.
- **Scheduled actions** (AAS User Guide, application-auto-scaling-scheduled-scaling): the bounds change when an action
  fires, in its time zone; "if the current capacity is below the new minimum, AAS scales out to it; above the new
  maximum, scales in to it". The bounds at a moment are the controller's (``planner.effective_bounds``).
- **Endpoint updates**: scaling changes the instance count with UpdateEndpointWeightsAndCapacities, which fails while
  the endpoint is Updating (SageMaker API Reference): one activity at a time, the next starting after it completes.
  How long new instances take to come into service AWS does not document: ``Parameters.provisioning_seconds`` (300).

Instances are billed from launch (provisioning included) to removal.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from autoscaler.constants import METRIC_CONCURRENT_REQUESTS_HIGH_RES, METRIC_INVOCATIONS_PER_INSTANCE
from autoscaler.planner import effective_bounds
from autoscaler.schedules import next_run
from autoscaler.spec import (
    AlarmSpec,
    Metric,
    MetricMath,
    PredefinedMetric,
    StepScalingPolicy,
    TargetTrackingPolicy,
    VariantSpec,
)
from autoscaler_sim.queueing import latency

MINUTE = 60
EPSILON = 1e-9


class SimulationError(ValueError):
    """The configuration or the traffic cannot be simulated (the message says why)."""


@dataclass(frozen=True)
class Parameters:
    """What the simulation needs beyond the configuration. Defaults marked undocumented are AWS-undocumented."""

    capacity_per_instance: float  # maximum sustainable invocations per minute of one instance (a load test's peak)
    price_per_hour: float = 0.0  # of one instance
    provisioning_seconds: int = 300  # launch to in service (undocumented; DescribeScalingActivities shows yours)
    scale_in_seconds: int = 60  # an activity that removes instances keeps the endpoint Updating this long (undoc.)
    high_alarm_datapoints: int = 3  # target tracking: datapoints above target to scale out (undocumented)
    low_alarm_datapoints: int = 15  # target tracking: datapoints below low_alarm_ratio x target to scale in (undoc.)
    low_alarm_ratio: float = 0.9  # "usually more than 10% lower" (target-tracking-scaling-policy-overview)
    high_resolution_period: int = 10  # seconds per datapoint of the high-resolution metrics (documented)
    workers_per_instance: int = 1  # requests an instance serves at once (queueing model)
    latency_slo_ms: float | None = None  # None: twice the mean service time
    latency_quantile: float = 0.99
    initial_instances: int | None = None  # None: the minimum in force at the start

    def __post_init__(self) -> None:
        if self.capacity_per_instance <= 0:
            raise SimulationError("capacity per instance must be a positive number of invocations per minute")
        if self.provisioning_seconds < 0 or self.scale_in_seconds < 0:
            raise SimulationError("activity durations cannot be negative")
        if not 0 < self.latency_quantile < 1:
            raise SimulationError("the latency quantile is between 0 and 1")
        if self.workers_per_instance < 1:
            raise SimulationError("an instance has at least one worker")

    @property
    def service_ms(self) -> float:
        return 60_000.0 * self.workers_per_instance / self.capacity_per_instance

    @property
    def slo_ms(self) -> float:
        return self.latency_slo_ms if self.latency_slo_ms is not None else 2.0 * self.service_ms


@dataclass(frozen=True)
class Traffic:
    """Invocations per minute from `start` (aware), one value a minute."""

    start: datetime
    per_minute: tuple[float, ...]
    source: str = ""

    def __post_init__(self) -> None:
        if self.start.tzinfo is None:
            raise SimulationError("the traffic's start needs a time zone")
        if not self.per_minute:
            raise SimulationError("the traffic has no minutes")
        if any(not math.isfinite(v) or v < 0 for v in self.per_minute):
            raise SimulationError("invocations per minute must be finite and not negative")


@dataclass(frozen=True)
class Activity:
    at: datetime
    from_capacity: int
    to_capacity: int
    cause: str

    @property
    def direction(self) -> str:
        return "out" if self.to_capacity > self.from_capacity else "in"


@dataclass(frozen=True)
class Minute:
    at: datetime
    demand: float  # invocations per minute
    instances: float  # billed (launched) instances, averaged over the minute
    in_service: float  # instances serving, averaged over the minute
    min_capacity: int
    max_capacity: int
    utilisation: float  # demand / (in service x capacity per instance)
    latency_ms: float  # the worst step's latency estimate (queueing model)
    over_slo: bool


@dataclass(frozen=True)
class Result:
    traffic: Traffic
    parameters: Parameters
    step_seconds: int
    minutes: tuple[Minute, ...]
    activities: tuple[Activity, ...]

    @property
    def instance_hours(self) -> float:
        return sum(m.instances for m in self.minutes) / 60.0

    @property
    def cost(self) -> float:
        return self.instance_hours * self.parameters.price_per_hour

    @property
    def minutes_over_slo(self) -> int:
        return sum(1 for m in self.minutes if m.over_slo)

    def summary(self) -> dict[str, float | int | str | None]:
        served = [m for m in self.minutes if m.in_service > 0]
        latencies = sorted(m.latency_ms for m in self.minutes)
        return {
            "minutes": len(self.minutes),
            "invocations": round(sum(m.demand for m in self.minutes)),
            "slo_ms": round(self.parameters.slo_ms, 3),
            "minutes_over_slo": self.minutes_over_slo,
            "fraction_over_slo": round(self.minutes_over_slo / len(self.minutes), 6),
            "latency_p50_ms": _finite(latencies[len(latencies) // 2]),
            "latency_max_ms": _finite(latencies[-1]),
            "mean_utilisation": round(sum(m.utilisation for m in served) / len(served), 4) if served else None,
            "scale_outs": sum(1 for a in self.activities if a.direction == "out"),
            "scale_ins": sum(1 for a in self.activities if a.direction == "in"),
            "peak_instances": max(math.ceil(m.instances - EPSILON) for m in self.minutes),
            "instance_hours": round(self.instance_hours, 3),
            "cost": round(self.cost, 2),
        }


def _finite(value: float) -> float | None:
    return round(value, 3) if math.isfinite(value) else None


# ------------------------------------------------------------------------------------------------ metrics


@dataclass(frozen=True)
class Sample:
    """One step's values of everything a policy can track."""

    invocations: float  # count in the step
    per_instance: float  # invocations per minute per instance in service
    concurrency: float  # requests in the variant per instance in service (Little's law)
    latency_us: float  # mean response time, microseconds (ModelLatency's unit)
    utilisation_percent: float  # demand as percent of the instances' capacity
    in_service: int


Signal = Callable[[Sample], float]

# Metric names the simulator can compute from demand, and how.
CUSTOM_SIGNALS: dict[str, Signal] = {
    "Invocations": lambda s: s.invocations,
    "InvocationsPerInstance": lambda s: s.per_instance,
    "ConcurrentRequestsPerModel": lambda s: s.concurrency,
    "ModelLatency": lambda s: s.latency_us,
    # Instance utilisation metrics: modelled as the invocation load's share of the instances' capacity (an assumption:
    # a CPU-bound model; memory rarely tracks load).
    "CPUUtilization": lambda s: s.utilisation_percent,
    "GPUUtilization": lambda s: s.utilisation_percent,
    "MemoryUtilization": lambda s: s.utilisation_percent,
    "GPUMemoryUtilization": lambda s: s.utilisation_percent,
}


def signal_of(metric: Metric) -> tuple[Signal, bool]:
    """The function computing `metric` from a step, and whether it sums over a period (a count) or is a gauge."""
    if isinstance(metric, PredefinedMetric):
        if metric.metric_type == METRIC_INVOCATIONS_PER_INSTANCE:
            return CUSTOM_SIGNALS["InvocationsPerInstance"], False
        if metric.metric_type == METRIC_CONCURRENT_REQUESTS_HIGH_RES:
            return CUSTOM_SIGNALS["ConcurrentRequestsPerModel"], False
        raise SimulationError(f"{metric.metric_type} is not simulated (instance variants only)")
    if isinstance(metric, MetricMath):
        # The controller's cpu/gpu metric math: an instance metric divided by the instance type's count.
        names = [q.metric.name for q in metric.queries if q.metric is not None]
        if len(names) == 1 and names[0] in CUSTOM_SIGNALS and names[0].endswith("Utilization"):
            return CUSTOM_SIGNALS[names[0]], False
        raise SimulationError(f"metric math on {', '.join(names) or 'no metric'} is not simulated")
    signal = CUSTOM_SIGNALS.get(metric.name)
    if signal is None:
        raise SimulationError(
            f"{metric.namespace} {metric.name} is not simulated (it takes {', '.join(CUSTOM_SIGNALS)})"
        )
    return signal, metric.name == "Invocations" and metric.statistic == "Sum"


def aggregate(values: Sequence[float], statistic: str, counts: bool) -> float:
    """One datapoint from a period's step values: a count's Sum adds them; a gauge's Sum is its per-minute value."""
    if statistic == "Maximum":
        return max(values)
    if statistic == "Minimum":
        return min(values)
    if statistic == "Sum" and counts:
        return sum(values)
    return sum(values) / len(values)


class Alarm:
    """A CloudWatch metric alarm: datapoints at the end of each period, ALARM when at least `datapoints` of the last
    `evaluations` breach."""

    def __init__(
        self,
        signal: Signal,
        counts: bool,
        statistic: str,
        period: int,
        step_seconds: int,
        comparison: str,
        threshold: float,
        evaluations: int,
        datapoints: int,
    ) -> None:
        if period % step_seconds:
            raise SimulationError(f"alarm period {period}s is not a multiple of the {step_seconds}s step")
        self.signal, self.counts, self.statistic = signal, counts, statistic
        self.steps_per_period = period // step_seconds
        self.comparison, self.threshold = comparison, threshold
        self.datapoints = datapoints
        self.buffer: list[float] = []
        self.served: list[int] = []
        self.history: deque[tuple[float, float]] = deque(maxlen=evaluations)  # (value, mean in service)

    def add(self, sample: Sample) -> bool:
        """Adds one step; True when a period ended (a new datapoint)."""
        self.buffer.append(self.signal(sample))
        self.served.append(sample.in_service)
        if len(self.buffer) < self.steps_per_period:
            return False
        value = aggregate(self.buffer, self.statistic, self.counts)
        self.history.append((value, sum(self.served) / len(self.served)))
        self.buffer, self.served = [], []
        return True

    def breaches(self, value: float) -> bool:
        return {
            "GreaterThanThreshold": value > self.threshold,
            "GreaterThanOrEqualToThreshold": value >= self.threshold,
            "LessThanThreshold": value < self.threshold,
            "LessThanOrEqualToThreshold": value <= self.threshold,
        }[self.comparison]

    @property
    def in_alarm(self) -> bool:
        return sum(1 for value, _ in self.history if self.breaches(value)) >= self.datapoints

    @property
    def latest(self) -> tuple[float, float]:
        return self.history[-1]


# ------------------------------------------------------------------------------------------------ policies


@dataclass
class Cooldowns:
    """When the last activities of each direction completed, and the capacity before the last scale-out."""

    out_completed: datetime | None = None
    out_from: int = 0
    in_completed: datetime | None = None

    def in_scale_out(self, now: datetime, seconds: int) -> bool:
        return self.out_completed is not None and now < self.out_completed + timedelta(seconds=seconds)

    def in_scale_in(self, now: datetime, seconds: int) -> bool:
        return self.in_completed is not None and now < self.in_completed + timedelta(seconds=seconds)


def proportional(capacity: float, metric: float, target: float) -> int:
    """ceil(capacity x metric / target): the fewest instances that bring the metric to the target or below."""
    return max(0, math.ceil(capacity * metric / target - EPSILON))


class Tracking:
    def __init__(self, policy: TargetTrackingPolicy, step_seconds: int, params: Parameters) -> None:
        self.policy = policy
        signal, _ = signal_of(policy.metric)
        high_res = policy.metric == PredefinedMetric(METRIC_CONCURRENT_REQUESTS_HIGH_RES)
        high_period = params.high_resolution_period if high_res else MINUTE
        self.high = Alarm(
            signal,
            False,
            "Average",
            high_period,
            step_seconds,
            "GreaterThanThreshold",
            policy.target,
            params.high_alarm_datapoints,
            params.high_alarm_datapoints,
        )
        self.low = Alarm(
            signal,
            False,
            "Average",
            MINUTE,
            step_seconds,
            "LessThanThreshold",
            policy.target * params.low_alarm_ratio,
            params.low_alarm_datapoints,
            params.low_alarm_datapoints,
        )
        self.evaluate_high = self.evaluate_low = False

    @property
    def name(self) -> str:
        return f"target tracking {self.policy.metric_key} {self.policy.target:g}"

    def add(self, sample: Sample) -> None:
        self.evaluate_high = self.high.add(sample)
        self.evaluate_low = self.low.add(sample)

    def vote(self, now: datetime, current: int, cooldowns: Cooldowns) -> int | None:
        """The capacity this policy asks for at an evaluation; None when it does not take part."""
        policy = self.policy
        if self.evaluate_high and self.high.in_alarm:
            value, served = self.high.latest
            base = served if cooldowns.in_scale_out(now, policy.scale_out_cooldown) else current
            wanted = proportional(base, value, policy.target)
            if wanted > current:
                return wanted
        if policy.disable_scale_in:
            return None  # never removes capacity, and leaves other policies free to
        if self.evaluate_low and self.low.in_alarm and not cooldowns.in_scale_in(now, policy.scale_in_cooldown):
            value, _ = self.low.latest
            return min(current, max(1, proportional(current, value, policy.target)))
        return current  # holds what it has


class Step:
    def __init__(self, policy: StepScalingPolicy, alarm: AlarmSpec, step_seconds: int) -> None:
        self.policy, self.spec = policy, alarm
        signal, counts = signal_of(alarm.metric)
        self.alarm = Alarm(
            signal,
            counts,
            alarm.metric.statistic,
            alarm.period,
            step_seconds,
            alarm.comparison,
            alarm.threshold,
            alarm.evaluation_periods,
            alarm.datapoints_to_alarm,
        )
        self.evaluate = False

    @property
    def name(self) -> str:
        return f"step {self.policy.step_key or self.policy.name}"

    def add(self, sample: Sample) -> None:
        self.evaluate = self.alarm.add(sample)

    def adjustment(self) -> int | None:
        """The step adjustment for the alarm's aggregated breach (None when no step covers it)."""
        values = [value for value, _ in self.alarm.history]
        aggregated = aggregate(values, self.policy.metric_aggregation, False)
        difference = aggregated - self.spec.threshold
        above = self.spec.comparison.startswith("Greater")
        for step in self.policy.steps:
            lower = -math.inf if step.lower is None else step.lower
            upper = math.inf if step.upper is None else step.upper
            if (lower <= difference < upper) if above else (lower < difference <= upper):
                return step.adjustment
        return None

    def apply(self, base: int, adjustment: int) -> int:
        kind = self.policy.adjustment_type
        if kind == "ExactCapacity":
            return adjustment
        if kind == "ChangeInCapacity":
            return base + adjustment
        change = base * adjustment / 100.0
        if change > 1:
            rounded = math.floor(change)
        elif change > 0:
            rounded = 1
        elif change > -1:
            rounded = -1 if change < 0 else 0
        else:
            rounded = math.ceil(change)
        magnitude = self.policy.min_adjustment_magnitude
        if magnitude is not None and rounded and abs(rounded) < magnitude:
            rounded = magnitude if rounded > 0 else -magnitude
        return base + rounded

    def vote(self, now: datetime, current: int, cooldowns: Cooldowns) -> int | None:
        if not (self.evaluate and self.alarm.in_alarm):
            return None
        adjustment = self.adjustment()
        if adjustment is None:
            return None
        wanted = self.apply(current, adjustment)
        if wanted > current and cooldowns.in_scale_out(now, self.policy.cooldown):
            # The capacity the initiating scale-out added counts: only a larger scale-out goes ahead.
            wanted = self.apply(cooldowns.out_from, adjustment)
            return wanted if wanted > current else None
        if wanted < current and cooldowns.in_scale_in(now, self.policy.cooldown):
            return None
        return wanted


# ------------------------------------------------------------------------------------------------ the loop


@dataclass
class _State:
    desired: int
    in_service: int
    low: int
    high: int
    busy_until: datetime | None = None  # an activity in progress completes then
    busy_direction: str = ""
    cooldowns: Cooldowns = field(default_factory=Cooldowns)
    backlog: float = 0.0


def step_seconds_for(variant: VariantSpec, params: Parameters) -> int:
    periods = [MINUTE]
    if any(p.metric == PredefinedMetric(METRIC_CONCURRENT_REQUESTS_HIGH_RES) for p in variant.policies):
        periods.append(params.high_resolution_period)
    periods += [alarm.period for _, alarm in variant.step_policies]
    step = min(periods)
    return step if all(p % step == 0 for p in periods) else 10


def fire_times(variant: VariantSpec, start: datetime, end: datetime) -> list[datetime]:
    """Every moment a scheduled action fires in [start, end), in UTC (each in its own time zone)."""
    times: set[datetime] = set()
    for action in variant.schedules:
        moment = start - timedelta(microseconds=1)
        while (upcoming := next_run(action, moment)) is not None:
            upcoming = upcoming.astimezone(UTC)
            if upcoming >= end:
                break
            times.add(upcoming)
            moment = upcoming
    return sorted(times)


def simulate(variant: VariantSpec, traffic: Traffic, params: Parameters) -> Result:
    """Runs AAS on `variant` over `traffic` (see the module docstring for every rule)."""
    return _Simulation(variant, traffic, params).run()


class _Simulation:
    def __init__(self, variant: VariantSpec, traffic: Traffic, params: Parameters) -> None:
        self.variant, self.traffic, self.params = variant, traffic, params
        self.step = step_seconds_for(variant, params)
        self.start = traffic.start.astimezone(UTC)
        end = self.start + timedelta(minutes=len(traffic.per_minute))
        self.policies: list[Tracking | Step] = [
            *(Tracking(p, self.step, params) for p in variant.policies),
            *(Step(p, a, self.step) for p, a in variant.step_policies),
        ]
        scheduled = not variant.suspended.scheduled
        self.fires = deque(fire_times(variant, self.start, end) if scheduled else ())
        if scheduled:
            low, high, _ = effective_bounds(variant, self.start)
        else:
            low, high = variant.min_capacity, variant.max_capacity
        first = min(max(params.initial_instances if params.initial_instances is not None else low, low), high)
        self.state = _State(desired=first, in_service=first, low=low, high=high)
        self.activities: list[Activity] = []

    def start_activity(self, now: datetime, wanted: int, cause: str) -> None:
        state = self.state
        self.activities.append(Activity(now, state.desired, wanted, cause))
        if wanted > state.desired:
            state.cooldowns.out_from = state.desired
            state.busy_until = now + timedelta(seconds=self.params.provisioning_seconds)
            state.busy_direction = "out"
        else:
            state.in_service = wanted
            state.busy_until, state.busy_direction = now + timedelta(seconds=self.params.scale_in_seconds), "in"
        state.desired = wanted
        self.complete(now)

    def complete(self, now: datetime) -> None:
        state = self.state
        if state.busy_until is not None and now >= state.busy_until:
            if state.busy_direction == "out":
                state.cooldowns.out_completed = state.busy_until
            else:
                state.cooldowns.in_completed = state.busy_until
            state.in_service = state.desired
            state.busy_until = None

    def decide(self, now: datetime) -> None:
        """What AAS does at `now`: finish an activity, apply fired schedules, act on the alarms' latest verdicts."""
        state, variant = self.state, self.variant
        self.complete(now)
        fired = False
        while self.fires and self.fires[0] <= now:
            self.fires.popleft()
            fired = True
        if fired:
            state.low, state.high, _ = effective_bounds(variant, now)
        if state.busy_until is not None:
            return  # the endpoint is Updating: the alarms invoke the policies again once it is not
        if not (state.low <= state.desired <= state.high):
            self.start_activity(now, min(max(state.desired, state.low), state.high), "scheduled action")
            return
        votes = [
            (vote, policy.name)
            for policy in self.policies
            if (vote := policy.vote(now, state.desired, state.cooldowns)) is not None
        ]
        if not votes:
            return
        wanted, cause = max(votes, key=lambda v: v[0])
        if (wanted > state.desired and variant.suspended.scale_out) or (
            wanted < state.desired and variant.suspended.scale_in
        ):
            return
        wanted = min(max(wanted, state.low), state.high)
        if wanted != state.desired:
            self.start_activity(now, wanted, cause)

    def sample(self, demand: float) -> tuple[Sample, float]:
        """The step's metrics with the instances in service now, and its latency estimate."""
        state, params = self.state, self.params
        result = latency(
            demand,
            state.in_service,
            params.capacity_per_instance,
            params.workers_per_instance,
            params.latency_quantile,
            state.backlog,
            self.step,
        )
        state.backlog = result.backlog
        serving = state.in_service
        sample = Sample(
            invocations=demand * self.step / MINUTE,
            per_instance=demand / serving if serving else math.inf,
            concurrency=result.in_system / serving if serving else math.inf,
            latency_us=result.mean_ms * 1000.0,
            utilisation_percent=100.0 * demand / (serving * params.capacity_per_instance) if serving else math.inf,
            in_service=serving,
        )
        return sample, result.quantile_ms

    def run(self) -> Result:
        steps_per_minute = MINUTE // self.step
        slo = self.params.slo_ms
        minutes: list[Minute] = []
        state = self.state
        for index, demand in enumerate(self.traffic.per_minute):
            minute_start = self.start + timedelta(minutes=index)
            billed = served = utilisation = worst = 0.0
            bounds = (state.low, state.high)
            for sub in range(steps_per_minute):
                self.decide(minute_start + timedelta(seconds=self.step * sub))
                if sub == 0:
                    bounds = (state.low, state.high)
                billed += state.desired
                served += state.in_service
                sample, latency_ms = self.sample(demand)
                worst = max(worst, latency_ms)
                utilisation += sample.utilisation_percent / 100.0
                for policy in self.policies:
                    policy.add(sample)
            minutes.append(
                Minute(
                    at=minute_start,
                    demand=demand,
                    instances=billed / steps_per_minute,
                    in_service=served / steps_per_minute,
                    min_capacity=bounds[0],
                    max_capacity=bounds[1],
                    utilisation=utilisation / steps_per_minute,
                    latency_ms=worst,
                    over_slo=worst > slo,
                )
            )
        return Result(self.traffic, self.params, self.step, tuple(minutes), tuple(self.activities))
