"""`status`: one endpoint as the controller sees it (pending changes) and as AWS holds it (bounds, policies, scheduled
actions, owned alarms), for the ``status`` command and the demo (``autoscaler_cli.demo``)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from autoscaler.errors import Problem
from autoscaler.names import parse_alarm_name
from autoscaler.profiles import COMPARISONS
from autoscaler.reconciler import Deps, Evaluation, evaluate
from autoscaler.schedules import next_run
from autoscaler.spec import CustomMetric, MetricMath, PredefinedMetric, TargetKey, VariantKind
from autoscaler.state import AlarmState, ManagedInstanceScaling, PolicyState, TargetState
from autoscaler.tags import tag_key
from autoscaler_cli.render import actions_json, problems_json


def configuration_warnings(found: Evaluation) -> tuple[Problem, ...]:
    """The configuration's warnings, also when it is rejected."""
    return found.error.warnings if found.error else found.desired.warnings if found.desired else ()


def status_entry(name: str, deps: Deps) -> dict[str, Any]:
    """The status of one endpoint, for ``Output.status`` and --json: what the controller will do (pending), and what
    AWS holds for its variants and inference components, and the alarms the controller owns on it.

    Components are always looked up (one ListInferenceComponents): a reconcile looks them up only when the
    configuration asks, but the sweep finds what the controller still owns on one and has it removed
    (``ReconcileRequest.components``), so pending shows that clean-up too."""
    found = evaluate(name, deps, components=True)
    endpoint = found.endpoint
    prefix = deps.settings.tag_prefix
    entry: dict[str, Any] = {
        "endpoint": found.name,
        "status": endpoint.status if endpoint else "missing",
        "state": _state_word(found),
        "last_outcome": found.tags.get(tag_key(prefix, "status")),
        "last_reason": found.tags.get(tag_key(prefix, "status-reason")),
        "errors": problems_json(found.error.problems) if found.error else [],
        "warnings": problems_json(configuration_warnings(found)),
        "pending": actions_json(found.plan.actions),
        "variants": [],
        "components": [],
        "alarms": [],
    }
    if endpoint is None:
        return entry
    actual = found.actual
    if actual is None:
        actual = deps.aws.read_state(endpoint, deps.settings.name_prefix)
    for variant in endpoint.variants:
        target = actual.target(TargetKey.for_variant(endpoint.name, variant.name, variant.kind))
        entry["variants"].append(
            {
                "variant": variant.name,
                "kind": str(variant.kind),
                "instance_type": variant.instance_type,
                "instances": variant.current_count,
                "managed_instance_scaling": _managed_instance_scaling_json(variant.managed_instance_scaling),
                **_target_json(target, found.now),
            }
        )
    spec = found.desired.spec if found.desired else None  # None: the configuration is rejected
    for component in endpoint.components:
        key = TargetKey.for_variant(endpoint.name, component.name, VariantKind.INFERENCE_COMPONENT)
        target = actual.target(key)
        held = next((h.reason for h in spec.held if h.target == key), None) if spec else None
        managed = held is not None or any(v.target == key for v in spec.variants) if spec else None
        entry["components"].append(
            {
                "component": component.name,
                "variant": component.variant,
                "status": component.status,
                "managed": managed,
                "held": held,  # managed, but left as it is until it is InService
                "scalable_target": target.key.resource_id if target else None,
                "dimension": target.key.dimension if target else None,
                **_target_json(target, found.now),
            }
        )
    policies = {p.arn: p.name for t in actual.targets for p in t.policies}
    entry["alarms"] = [_alarm_json(a, deps.settings.name_prefix, policies) for a in actual.alarms]
    return entry


def _managed_instance_scaling_json(scaling: ManagedInstanceScaling | None) -> dict[str, Any] | None:
    if scaling is None:
        return None
    return {
        "status": scaling.status,
        "min_instances": scaling.min_instances,
        "max_instances": scaling.max_instances,
        "summary": scaling.describe(),
    }


def _state_word(found: Evaluation) -> str:
    if found.endpoint is None:
        return "endpoint missing"
    if found.error is not None:
        return "rejected"
    if found.actual is None:
        return f"waiting ({found.endpoint.status})"
    if found.desired is not None and not found.desired.spec.enabled:
        return "not managed"
    return f"{len(found.plan.actions)} change(s) pending" if found.plan.actions else "in sync"


def _policy_json(policy: PolicyState) -> dict[str, Any]:
    metric, target = ("alarm -> step adjustments" if policy.step_scaling else ""), None
    if policy.target_tracking is not None:
        target = policy.target_tracking.target
        metric = _metric_name(policy.target_tracking.metric)
    return {
        "name": policy.name,
        "type": policy.policy_type,
        "metric": metric,
        "target": target,
        "owner": "controller" if policy.owned else "hand-made",
    }


def _metric_name(metric: PredefinedMetric | CustomMetric | MetricMath) -> str:
    if isinstance(metric, PredefinedMetric):
        return metric.metric_type
    if isinstance(metric, CustomMetric):
        return f"{metric.namespace} {metric.name}"
    return next((q.expression or "" for q in metric.queries if q.return_data), "metric math")


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _target_json(target: TargetState | None, now: datetime) -> dict[str, Any]:
    """A variant's or an inference component's scalable target: bounds, policies, scheduled actions."""
    if target is None:
        return {"bounds": None, "suspended": None, "policies": [], "schedules": []}
    return {
        "bounds": [target.min_capacity, target.max_capacity],
        "suspended": target.suspended.describe(),
        "policies": [_policy_json(p) for p in target.policies],
        "schedules": [
            {
                "name": s.action.name,
                "schedule": s.action.schedule,
                "timezone": s.action.timezone,
                "next_run": _iso(next_run(s.action, now)),
                "min": s.action.min_capacity,
                "max": s.action.max_capacity,
                "owner": "controller" if s.owned else "hand-made",
            }
            for s in target.schedules
        ],
    }


def _alarm_json(alarm: AlarmState, name_prefix: str, policies: Mapping[str, str]) -> dict[str, Any]:
    """An owned alarm: what it is for (variant or inference component), when it fires, the policies it triggers
    (by name when they are on the endpoint's targets, else the action's ARN)."""
    owner = parse_alarm_name(name_prefix, alarm.name)
    spec = alarm.alarm
    fires: dict[str, Any] = dict.fromkeys(
        ("metric", "statistic", "comparison", "threshold", "datapoints_to_alarm", "evaluation_periods", "period")
    )
    if spec is not None:  # None: a shape the controller never writes
        fires = {
            "metric": _metric_name(spec.metric),
            "statistic": spec.metric.statistic,
            "comparison": next((s for s, name in COMPARISONS.items() if name == spec.comparison), spec.comparison),
            "threshold": spec.threshold,
            "datapoints_to_alarm": spec.datapoints_to_alarm,
            "evaluation_periods": spec.evaluation_periods,
            "period": spec.period,
        }
    return {
        "name": alarm.name,
        "for": owner.variant if owner else None,
        **fires,
        "policies": [policies.get(arn, arn) for arn in alarm.actions],
    }
