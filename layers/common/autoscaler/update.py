"""A safe path for endpoint updates (SageMaker Developer Guide, endpoint-scaling-update).

SageMaker refuses an UpdateEndpoint that changes the instance type of, or removes, a variant registered for auto
scaling; changing only the model is allowed. ``plan_update`` names the variants an update touches and the release
that must come first: deregister their targets (AWS deletes their policies and scheduled actions with them) and delete
the alarms the controller made for them. During the update the endpoint is Updating, and every reconcile skips it;
the IN_SERVICE event that follows (or the next sweep) registers the targets again, now for the new instance types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from autoscaler.actions import Action, DeleteAlarms, DeregisterTarget
from autoscaler.names import parse_alarm_name
from autoscaler.state import ScalingState


@dataclass(frozen=True)
class UpdatePlan:
    endpoint: str
    new_config: str
    touched: tuple[tuple[str, str], ...]  # (variant, why it must be released)
    release: tuple[Action, ...]
    foreign: tuple[str, ...]  # hand-made policies and schedules that deregistration deletes too

    @property
    def needs_release(self) -> bool:
        return bool(self.release)


def plan_update(
    endpoint: str,
    current_config: Mapping[str, Any],
    new_config: Mapping[str, Any],
    actual: ScalingState,
    name_prefix: str,
) -> UpdatePlan:
    before = {v["VariantName"]: v.get("InstanceType") for v in current_config.get("ProductionVariants", ())}
    after = {v["VariantName"]: v.get("InstanceType") for v in new_config.get("ProductionVariants", ())}
    touched: list[tuple[str, str]] = []
    release: list[Action] = []
    foreign: list[str] = []
    for target in actual.targets:
        variant = target.key.resource_id.rsplit("/", 1)[-1]
        if variant not in after:
            why = "removed by the update"
        elif after[variant] != before.get(variant):
            why = f"instance type {before.get(variant)} -> {after[variant]}"
        else:
            continue
        touched.append((variant, why))
        foreign += [f"{variant}/{name}" for name in target.foreign_names]
        release.append(DeregisterTarget(reason=f"endpoint update: {why}", target=target.key))
    released = {variant for variant, _ in touched}
    alarms = tuple(
        a.name
        for a in actual.alarms
        if (owner := parse_alarm_name(name_prefix, a.name)) is not None and owner.variant in released
    )
    if alarms:
        release.append(DeleteAlarms(reason="endpoint update: alarms of released variants", names=alarms))
    return UpdatePlan(
        endpoint, str(new_config.get("EndpointConfigName", "")), tuple(touched), tuple(release), tuple(foreign)
    )
