"""plan(desired, actual, now) -> Plan: the pure diff. No boto3, no clock (``now`` is passed in).

Order, which AWS accepts: per target, hand-made configuration removed (adopt=replace), the target registered or
updated, stale owned policies and schedules deleted (freeing quota), then changed ones put; released targets are
deregistered (which deletes their policies and schedules in AWS) or, where foreign configuration remains, stripped of
what the controller owns only; last, owned alarms nobody wants. A held target (``EndpointSpec.held``: an inference
component in transition) gets no action at all, and neither do the owned alarms named under it.

``now`` is the moment the plan is for: the bounds a target should have are the spec's with every scheduled action
that has run by then applied in the order they ran (``schedules.desired_bounds``; none while scheduled scaling is
suspended), so a reconcile never reverts a schedule, with an unexpired capacity hold as a floor on min.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from autoscaler.actions import (
    Action,
    DeleteAlarms,
    DeletePolicy,
    DeleteScheduledAction,
    DeregisterTarget,
    PutAlarm,
    PutScheduledAction,
    PutStepScalingPolicy,
    PutTargetTrackingPolicy,
    RegisterTarget,
)
from autoscaler.constants import POLICY_STEP, POLICY_TARGET_TRACKING
from autoscaler.schedules import desired_bounds
from autoscaler.spec import AdoptMode, EndpointSpec, Held, TargetKey, VariantSpec
from autoscaler.state import AlarmState, PolicyState, ScalingState, TargetState


@dataclass(frozen=True)
class Plan:
    actions: tuple[Action, ...] = ()
    notes: tuple[str, ...] = ()  # decisions that write nothing, with their reason

    def __bool__(self) -> bool:
        return bool(self.actions)


def plan(desired: EndpointSpec, actual: ScalingState, now: datetime) -> Plan:
    actions: list[Action] = []
    notes: list[str] = []
    wanted = {v.target: v for v in desired.variants}
    held = {h.target: h for h in desired.held}
    alarms = {a.name: a for a in actual.alarms}
    for key in sorted(set(wanted) | set(held) | {t.key for t in actual.targets}):
        spec, state = wanted.get(key), actual.target(key)
        if key in held:
            notes.append(_held_note(held[key], state, alarms))
        elif spec is not None:
            actions += _plan_managed(spec, state, desired.adopt, alarms, now, notes)
        elif state is not None:
            actions += _plan_released(state, notes)
    wanted_alarms = {alarm.name for v in desired.variants for _, alarm in v.step_policies}
    held_alarms = {name for name in alarms for h in desired.held if name.startswith(h.alarm_prefix)}
    stale_alarms = tuple(sorted(set(alarms) - wanted_alarms - held_alarms))
    if stale_alarms:
        actions.append(DeleteAlarms(reason="owned alarm without a desired step policy", names=stale_alarms))
    return Plan(tuple(actions), tuple(notes))


def _held_note(held: Held, state: TargetState | None, alarms: dict[str, AlarmState]) -> str:
    """Why nothing is written for a held target, and what it keeps."""
    if state is None:
        target = "target not registered"
    else:
        policies = sum(p.owned for p in state.policies)
        schedules = sum(s.owned for s in state.schedules)
        target = f"target kept with {policies} owned policies and {schedules} owned scheduled actions"
    kept_alarms = sum(name.startswith(held.alarm_prefix) for name in alarms)
    return (
        f"{held.target.resource_id} {held.reason}: left as it is, nothing written ({target}, {kept_alarms} owned "
        "alarm(s) kept)"
    )


def _plan_managed(
    spec: VariantSpec,
    state: TargetState | None,
    adopt: AdoptMode,
    alarms: dict[str, AlarmState],
    now: datetime,
    notes: list[str],
) -> list[Action]:
    key = spec.target
    actions: list[Action] = []
    if state is not None and state.foreign_names:
        if adopt is AdoptMode.REPLACE:
            actions += [
                DeletePolicy(reason="adopt=replace: hand-made policy", target=key, name=p.name)
                for p in state.policies
                if not p.owned
            ]
            actions += [
                DeleteScheduledAction(
                    reason="adopt=replace: hand-made scheduled action", target=key, name=s.action.name
                )
                for s in state.schedules
                if not s.owned
            ]
        else:
            notes.append(
                f"{key.resource_id}: kept hand-made {', '.join(state.foreign_names)} (adopt=coexist; AAS follows "
                "whichever policy asks for more capacity)"
            )

    low, high, why = effective_bounds(spec, now)
    register_reason = _register_reason(spec, state, low, high, why)
    if register_reason:
        actions.append(
            RegisterTarget(
                reason=register_reason, target=key, min_capacity=low, max_capacity=high, suspended=spec.suspended
            )
        )

    owned_policies = {p.name: p for p in state.policies if p.owned} if state else {}
    wanted_tracking = {p.name: p for p in spec.policies}
    wanted_steps = {p.name: (p, alarm) for p, alarm in spec.step_policies}
    actions += [
        DeletePolicy(reason="owned policy no longer desired", target=key, name=name)
        for name in sorted(set(owned_policies) - set(wanted_tracking) - set(wanted_steps))
    ]
    for name, policy in wanted_tracking.items():
        current = _same_type(owned_policies.get(name), POLICY_TARGET_TRACKING, key, actions)
        if current is None:
            actions.append(PutTargetTrackingPolicy(reason=f"new: {policy.describe()}", target=key, policy=policy))
        elif current.target_tracking != policy:
            actions.append(PutTargetTrackingPolicy(reason=f"changed: {policy.describe()}", target=key, policy=policy))
    for name, (step, alarm) in wanted_steps.items():
        current = _same_type(owned_policies.get(name), POLICY_STEP, key, actions)
        if current is None or current.step_scaling != step:
            reason = "new step-scaling policy" if current is None else "changed step-scaling policy"
            actions.append(PutStepScalingPolicy(reason=reason, target=key, policy=step))
        arn = current.arn if current is not None else None
        existing = alarms.get(alarm.name)
        if arn is None:
            actions.append(PutAlarm(reason="alarm for a new step policy", target=key, alarm=alarm, policy_arn=None))
        elif existing is None or existing.alarm != alarm or existing.actions != (arn,):
            reason = "alarm missing" if existing is None else "alarm changed"
            actions.append(PutAlarm(reason=reason, target=key, alarm=alarm, policy_arn=arn))

    owned_schedules = {s.action.name: s.action for s in state.schedules if s.owned} if state else {}
    wanted_schedules = {s.name: s for s in spec.schedules}
    actions += [
        DeleteScheduledAction(reason="owned scheduled action no longer desired", target=key, name=name)
        for name in sorted(set(owned_schedules) - set(wanted_schedules))
    ]
    actions += [
        PutScheduledAction(reason="new" if name not in owned_schedules else "changed", target=key, action=action)
        for name, action in wanted_schedules.items()
        if owned_schedules.get(name) != action
    ]
    return actions


def _same_type(
    current: PolicyState | None, policy_type: str, key: TargetKey, actions: list[Action]
) -> PolicyState | None:
    """An owned policy of another type under the wanted name is deleted first (a policy's type cannot change)."""
    if current is not None and current.policy_type != policy_type:
        actions.append(DeletePolicy(reason=f"was a {current.policy_type} policy", target=key, name=current.name))
        return None
    return current


def effective_bounds(spec: VariantSpec, now: datetime) -> tuple[int, int, str]:
    """The bounds the target should have at `now`, and why they differ from the spec's (empty when they do not).

    While scheduled scaling is suspended no scheduled action runs (ScheduledScalingSuspended: "Set the value to true
    if you don't want Application Auto Scaling to add or remove capacity by initiating scheduled actions":
    Application Auto Scaling API Reference, SuspendedState), so the spec's bounds hold, not a schedule's.
    """
    schedules = () if spec.suspended.scheduled else spec.schedules
    bounds = desired_bounds(schedules, spec.min_capacity, spec.max_capacity, now)
    low, high = bounds.low, bounds.high
    if bounds.low_from is not None and bounds.low_from == bounds.high_from:
        why = f"scheduled action {bounds.low_from.name} fired last"
    else:
        why = "; ".join(
            f"{which} from scheduled action {fired.name}"
            for which, fired in (("min", bounds.low_from), ("max", bounds.high_from))
            if fired is not None
        )
    if spec.hold is not None and spec.hold.active(now) and spec.hold.count > low:
        low = min(spec.hold.count, high)
        why = f"{why}; " if why else ""
        why += f"capacity hold {spec.hold.tag_value()}"
    return low, high, why


def _register_reason(spec: VariantSpec, state: TargetState | None, low: int, high: int, why: str) -> str:
    because = f" ({why})" if why else ""
    if state is None:
        return f"not registered: min {low}, max {high}{because}"
    changes = []
    if state.min_capacity != low:
        changes.append(f"min {state.min_capacity} -> {low}{because}")
    if state.max_capacity != high:
        changes.append(f"max {state.max_capacity} -> {high}{because}")
    if state.suspended != spec.suspended:
        changes.append(f"suspended {state.suspended.describe()} -> {spec.suspended.describe()}")
    return ", ".join(changes)


def _plan_released(state: TargetState, notes: list[str]) -> list[Action]:
    """A target no longer managed: remove what the controller owns, and the target itself if nothing else is on it."""
    key = state.key
    if not state.owns_anything:
        return []  # never ours, or already released: leave it alone
    if not state.foreign_names:
        return [
            DeregisterTarget(reason="no longer managed; deregistering deletes its policies and schedules", target=key)
        ]
    notes.append(f"{key.resource_id}: target kept for hand-made {', '.join(state.foreign_names)}")
    return [DeletePolicy(reason="no longer managed", target=key, name=p.name) for p in state.policies if p.owned] + [
        DeleteScheduledAction(reason="no longer managed", target=key, name=s.action.name)
        for s in state.schedules
        if s.owned
    ]
