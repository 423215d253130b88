"""plan(desired, actual, now) -> Plan: the pure diff. No boto3, no clock (``now`` is passed in).

Order, which AWS accepts: per target, hand-made configuration removed (adopt=replace), the target registered or
updated, stale owned policies and schedules deleted (freeing quota), then changed ones put; released targets are
deregistered (which deletes their policies and schedules in AWS) or, where foreign configuration remains, stripped of
what the controller owns only; last, owned alarms nobody wants.

``now`` is the moment the plan is for: scheduled actions decide the desired bounds at that moment (the profiles
issue); with tag-only configuration it does not change the plan.
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
    PutScheduledAction,
    PutTargetTrackingPolicy,
    RegisterTarget,
)
from autoscaler.constants import POLICY_TARGET_TRACKING
from autoscaler.spec import AdoptMode, EndpointSpec, VariantSpec
from autoscaler.state import ScalingState, TargetState


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
    for key in sorted(set(wanted) | {t.key for t in actual.targets}):
        spec, state = wanted.get(key), actual.target(key)
        if spec is not None:
            actions += _plan_managed(spec, state, desired.adopt, notes)
        elif state is not None:
            actions += _plan_released(state, notes)
    stale_alarms = tuple(sorted(set(actual.owned_alarms)))
    if stale_alarms:
        actions.append(DeleteAlarms(reason="owned alarm without a desired step policy", names=stale_alarms))
    return Plan(tuple(actions), tuple(notes))


def _plan_managed(spec: VariantSpec, state: TargetState | None, adopt: AdoptMode, notes: list[str]) -> list[Action]:
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

    register_reason = _register_reason(spec, state)
    if register_reason:
        actions.append(
            RegisterTarget(
                reason=register_reason,
                target=key,
                min_capacity=spec.min_capacity,
                max_capacity=spec.max_capacity,
                suspended=spec.suspended,
            )
        )

    owned_policies = {p.name: p for p in state.policies if p.owned} if state else {}
    wanted_policies = {p.name: p for p in spec.policies}
    actions += [
        DeletePolicy(reason="owned policy no longer desired", target=key, name=name)
        for name in sorted(set(owned_policies) - set(wanted_policies))
    ]
    for name, policy in wanted_policies.items():
        current = owned_policies.get(name)
        if current is not None and current.policy_type != POLICY_TARGET_TRACKING:
            actions.append(DeletePolicy(reason=f"was a {current.policy_type} policy", target=key, name=name))
            current = None
        if current is None:
            actions.append(PutTargetTrackingPolicy(reason=f"new: {policy.describe()}", target=key, policy=policy))
        elif current.target_tracking != policy:
            actions.append(PutTargetTrackingPolicy(reason=f"changed: {policy.describe()}", target=key, policy=policy))

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


def _register_reason(spec: VariantSpec, state: TargetState | None) -> str:
    if state is None:
        return f"not registered: min {spec.min_capacity}, max {spec.max_capacity}"
    changes = []
    if state.min_capacity != spec.min_capacity:
        changes.append(f"min {state.min_capacity} -> {spec.min_capacity}")
    if state.max_capacity != spec.max_capacity:
        changes.append(f"max {state.max_capacity} -> {spec.max_capacity}")
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
