"""Application Auto Scaling: the reads of scalable targets with their policies and scheduled actions, and the
sweep's one write (DeregisterScalableTarget). The writes of a plan are rendered by autoscaler/actions.py."""

from __future__ import annotations

from typing import Any

from autoscaler.aws.base import Clients, page_size
from autoscaler.aws.classify import classified, ignore_missing
from autoscaler.aws.cloudwatch import CloudWatchReads
from autoscaler.constants import AAS_NAMESPACE
from autoscaler.names import alarm_prefix, owned_prefix
from autoscaler.spec import TargetKey, VariantKind
from autoscaler.state import EndpointInfo, ScalingState, TargetState, normalise_alarm, normalise_target


class AutoscalingReads(CloudWatchReads):
    """An endpoint's state includes the owned alarms of its step scaling policies (autoscaler/aws/cloudwatch.py)."""

    def read_state(self, endpoint: EndpointInfo, name_prefix: str) -> ScalingState:
        """Targets of the endpoint's variants, their policies and schedules, and the owned alarms of the endpoint."""
        owned = owned_prefix(name_prefix)
        ids = [TargetKey.for_variant(endpoint.name, v.name, v.kind).resource_id for v in endpoint.variants]
        ids += [
            TargetKey.for_variant(endpoint.name, c.name, VariantKind.INFERENCE_COMPONENT).resource_id
            for c in endpoint.components
        ]
        targets = []
        with classified(f"read AAS state of {endpoint.name}"):
            raw_targets = self._pages(
                self.autoscaling,
                "describe_scalable_targets",
                "ScalableTargets",
                ServiceNamespace=AAS_NAMESPACE,
                ResourceIds=ids,
            )
            for raw in raw_targets:
                scope = {
                    "ServiceNamespace": AAS_NAMESPACE,
                    "ResourceId": raw["ResourceId"],
                    "ScalableDimension": raw["ScalableDimension"],
                }
                policies = self._pages(self.autoscaling, "describe_scaling_policies", "ScalingPolicies", **scope)
                schedules = self._pages(self.autoscaling, "describe_scheduled_actions", "ScheduledActions", **scope)
                targets.append(normalise_target(raw, policies, schedules, owned))
        alarms = tuple(normalise_alarm(a) for a in self._owned_alarms(name_prefix, endpoint.name))
        return ScalingState(endpoint.name, tuple(targets), alarms)

    def read_target(self, key: TargetKey) -> TargetState | None:
        """One scalable target's bounds (without its policies)."""
        with classified(f"DescribeScalableTargets {key.resource_id}"):
            found = self.autoscaling.describe_scalable_targets(
                ServiceNamespace=AAS_NAMESPACE, ResourceIds=[key.resource_id], ScalableDimension=key.dimension
            )["ScalableTargets"]
        return normalise_target(found[0]) if found else None

    def read_namespace(self, name_prefix: str) -> dict[str, list[dict[str, Any]]]:
        """Every scalable target, scaling policy and scheduled action of the ``sagemaker`` namespace, and every owned
        alarm, in pages (DescribeScalableTargets 50, DescribeScalingPolicies 10, DescribeScheduledActions 50,
        DescribeAlarms 100 per page): keys ``targets``, ``policies``, ``schedules``, ``alarms``."""
        with classified("read AAS namespace"):
            scope = {"ServiceNamespace": AAS_NAMESPACE}
            # AWS's largest pages, asked for explicitly rather than left to each API's default (Application Auto
            # Scaling API Reference, MaxResults: "This value can be between 1 and 50" for DescribeScalableTargets and
            # DescribeScheduledActions, "between 1 and 10" for DescribeScalingPolicies).
            targets = self._pages(
                self.autoscaling, "describe_scalable_targets", "ScalableTargets", **scope, **page_size(50)
            )
            policies = self._pages(
                self.autoscaling, "describe_scaling_policies", "ScalingPolicies", **scope, **page_size(10)
            )
            schedules = self._pages(
                self.autoscaling, "describe_scheduled_actions", "ScheduledActions", **scope, **page_size(50)
            )
        with classified("DescribeAlarms"):
            alarms = self._pages(
                self.cloudwatch,
                "describe_alarms",
                "MetricAlarms",
                AlarmNamePrefix=alarm_prefix(name_prefix),
                AlarmTypes=["MetricAlarm"],
                **page_size(100),  # DescribeAlarms returns 50 per page unless asked for up to 100
            )
        return {"targets": targets, "policies": policies, "schedules": schedules, "alarms": alarms}


class AutoscalingWrites(Clients):
    def deregister_target(self, target: TargetKey) -> None:
        """DeregisterScalableTarget (AAS deletes the target's policies and scheduled actions with it); a target already
        gone is the state wanted. The sweep's one Application Auto Scaling write, so its own method: the sweeper's
        permissions (template.yaml) follow from the calls its code makes."""
        with classified(f"DeregisterScalableTarget {target.resource_id}"):
            ignore_missing(lambda: self.autoscaling.deregister_scalable_target(**target.api()))
