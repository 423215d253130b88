"""The namespace a sweep reads, grouped by endpoint (autoscaler/sweep.py plans from it), and the clean-ups of what
no endpoint remains to own: the sweep's only writes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from autoscaler.names import owned_prefix, parse_alarm_name
from autoscaler.observability import logger
from autoscaler.reconciler import Deps
from autoscaler.spec import TargetKey, VariantKind
from autoscaler.state import EndpointInfo, ScalingState, TargetState, normalise_alarm, normalise_target


@dataclass(frozen=True)
class Namespace:
    """Everything AAS and CloudWatch hold, grouped by endpoint name (as AAS spells it: the real name)."""

    targets: Mapping[str, tuple[TargetState, ...]]
    alarms: Mapping[str, tuple[dict[str, Any], ...]]
    components: Mapping[str, TargetState] = field(default_factory=dict)  # inference components' targets, by name
    alarmed: Mapping[str, frozenset[str]] = field(default_factory=dict)  # endpoint -> what its owned alarms are for

    def state(self, endpoint: EndpointInfo) -> ScalingState:
        """The same ScalingState ``Aws.read_state`` reads for one endpoint: targets of its current variants and of
        the inference components it was given (``EndpointInfo.components``) only."""
        keys = {TargetKey.for_variant(endpoint.name, v.name, v.kind) for v in endpoint.variants}
        targets = [t for t in self.targets.get(endpoint.name, ()) if t.key in keys]
        for component in endpoint.components:
            target = self.components.get(component.name)
            key = TargetKey.for_variant(endpoint.name, component.name, VariantKind.INFERENCE_COMPONENT)
            if target is not None and target.key == key:
                targets.append(target)
        return ScalingState(
            endpoint.name, tuple(targets), tuple(normalise_alarm(a) for a in self.alarms.get(endpoint.name, ()))
        )

    def owners(self) -> set[str]:
        """Endpoints on which the controller owns a policy or a scheduled action of a variant."""
        return {name for name, targets in self.targets.items() if any(t.owns_anything for t in targets)}

    def owned_components(self) -> set[str]:
        """Inference components on which the controller owns a policy or a scheduled action."""
        return {name for name, target in self.components.items() if target.owns_anything}

    def alarmed_components(self, endpoint: EndpointInfo) -> set[str]:
        """Names an owned alarm of the endpoint is for that are not its variants: its inference components."""
        return set(self.alarmed.get(endpoint.name, ())) - {v.name for v in endpoint.variants}


def group_namespace(raw: Mapping[str, Sequence[dict[str, Any]]], name_prefix: str) -> Namespace:
    """Pure: the namespace's raw pages -> normalised targets (with their policies and schedules) per endpoint."""
    owned = owned_prefix(name_prefix)
    policies: dict[TargetKey, list[dict[str, Any]]] = defaultdict(list)
    schedules: dict[TargetKey, list[dict[str, Any]]] = defaultdict(list)
    for policy in raw["policies"]:
        policies[TargetKey(policy["ResourceId"], policy["ScalableDimension"])].append(policy)
    for schedule in raw["schedules"]:
        schedules[TargetKey(schedule["ResourceId"], schedule["ScalableDimension"])].append(schedule)
    targets: dict[str, list[TargetState]] = defaultdict(list)
    components: dict[str, TargetState] = {}
    for raw_target in raw["targets"]:
        key = TargetKey(raw_target["ResourceId"], raw_target["ScalableDimension"])
        target = normalise_target(raw_target, policies[key], schedules[key], owned)
        parts = key.resource_id.split("/")
        if len(parts) == 4 and parts[0] == "endpoint" and parts[2] == "variant":
            targets[parts[1]].append(target)
        elif len(parts) == 2 and parts[0] == "inference-component":
            components[parts[1]] = target
    alarms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    alarmed: dict[str, set[str]] = defaultdict(set)
    for alarm in raw["alarms"]:
        owner = parse_alarm_name(name_prefix, alarm["AlarmName"])
        if owner is not None:
            alarms[owner.endpoint].append(alarm)
            alarmed[owner.endpoint].add(owner.variant)
    return Namespace(
        {name: tuple(found) for name, found in targets.items()},
        {name: tuple(found) for name, found in alarms.items()},
        components,
        {name: frozenset(found) for name, found in alarmed.items()},
    )


def delete_orphan_alarms(deps: Deps, namespace: Namespace, existing: set[str]) -> tuple[str, ...]:
    orphans = tuple(
        sorted(a["AlarmName"] for name, alarms in namespace.alarms.items() if name not in existing for a in alarms)
    )
    if orphans:
        logger.info(
            "sweep: alarms of deleted endpoints",
            extra={"action": "DeleteAlarms", "subject": list(orphans), "reason": "endpoint no longer exists"},
        )
        if not deps.settings.dry_run:
            deps.aws.delete_alarms(orphans)
    return orphans


def release_orphan_components(
    deps: Deps, namespace: Namespace, listed: set[str], releases: Callable[[str], bool]
) -> tuple[str, ...]:
    """Deregisters the owned scalable targets of inference components that no longer exist.

    AWS documents that deleting an endpoint deregisters its scalable targets, not that deleting an inference component
    does; a target left on ``inference-component/<gone>`` has no endpoint whose reconcile could own the clean-up. The
    component listing may lag, so each one missing from it is confirmed gone with DescribeInferenceComponent first;
    deregistering deletes the target's policies and scheduled actions with it (the alarms go with their endpoint's
    next reconcile or the router's DeleteInferenceComponent route).
    """
    candidates = sorted(name for name in namespace.owned_components() if name not in listed and releases(name))
    # The name is the target's, exactly as the component was created: no case-insensitive search is needed.
    gone = tuple(name for name in candidates if deps.aws.describe_component(name) is None)
    for name in gone:
        target = namespace.components[name].key
        logger.info(
            "sweep: owned target of a deleted inference component",
            extra={"action": "DeregisterTarget", "subject": target.resource_id, "reason": "component no longer exists"},
        )
        if not deps.settings.dry_run:
            deps.aws.deregister_target(target)
    return gone
