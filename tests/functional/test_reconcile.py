"""The reconcile loop against moto with the AWS fidelity layer: what operators see when they tag an endpoint."""

from __future__ import annotations

import pytest

from autoscaler.reconciler import Status

from .conftest import BASE_TAGS, World


def test_tags_give_one_target_and_one_target_tracking_policy(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    outcome = world.reconcile("ep")
    assert outcome.status is Status.APPLIED
    assert world.targets("ep") == {"AllTraffic": (1, 4)}
    (policy,) = world.policies("ep").values()
    assert policy["PolicyName"] == "autoscaler-AllTraffic-invocations"
    config = policy["TargetTrackingScalingPolicyConfiguration"]
    assert config["PredefinedMetricSpecification"]["PredefinedMetricType"] == "SageMakerVariantInvocationsPerInstance"
    assert config["TargetValue"] == 70.0


def test_second_reconcile_writes_nothing(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    world.counter.reset()
    outcome = world.reconcile("ep")
    assert outcome.status is Status.UNCHANGED
    assert world.counter.writes == {}  # not even an outcome event
    assert sum(world.counter.reads.values()) > 0  # the counter is live: the reconcile did read


@pytest.mark.parametrize("bad", ["lots", "2.5", "-1", "NaN", "\u0664", "1e1"])
def test_bad_max_writes_nothing_and_keeps_the_applied_configuration(world: World, bad: str) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    before = (world.targets("ep"), world.policies("ep"))
    world.outcome_events()
    world.tag("ep", max=bad)
    world.counter.reset()
    outcome = world.reconcile("ep")
    assert outcome.status is Status.REJECTED
    assert [e.source for e in outcome.errors] == ["autoscaling:max"]
    assert world.writes() == {}
    assert (world.targets("ep"), world.policies("ep")) == before
    events = world.outcome_events()
    assert [e["status"] for e in events] == ["rejected"]
    assert "autoscaling:max" in events[0]["errors"][0]


def test_near_miss_key_is_rejected_with_did_you_mean(world: World) -> None:
    world.endpoint("ep", {**BASE_TAGS, "autoscaling:mxa": "4"})
    outcome = world.reconcile("ep")
    assert outcome.status is Status.REJECTED
    assert "did you mean 'max'" in str(outcome.errors[0])
    assert world.targets("ep") == {}


def test_unrelated_key_under_the_prefix_is_a_warning_and_the_rest_applies(world: World) -> None:
    world.endpoint("ep", {**BASE_TAGS, "autoscaling:owner": "team-a"})
    outcome = world.reconcile("ep")
    assert outcome.status is Status.APPLIED
    assert [w.source for w in outcome.warnings] == ["autoscaling:owner"]
    assert world.targets("ep") == {"AllTraffic": (1, 4)}


def test_variants_whose_names_share_a_prefix_converge(world: World) -> None:
    # AWS matches DescribeScalingPolicies' ResourceId exactly: variant A's policies are not AB's (moto matched a
    # substring, and the second reconcile deleted A's policy from AB; the fidelity layer now matches exactly).
    world.endpoint("ep", BASE_TAGS, variants=("A", "AB"))
    assert world.reconcile("ep").status is Status.APPLIED

    assert world.reconcile("ep").status is Status.UNCHANGED
    assert world.targets("ep") == {"A": (1, 4), "AB": (1, 4)}


def test_opt_out_removes_everything_owned_and_deregisters(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    world.aws.cloudwatch.put_metric_alarm(  # an alarm the controller owns (as for a step policy)
        AlarmName="autoscaler/ep/AllTraffic/latency",
        MetricName="OverheadLatency",
        Namespace="AWS/SageMaker",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    world.tag("ep", enabled="false")
    outcome = world.reconcile("ep")
    assert outcome.status is Status.DISABLED
    assert world.targets("ep") == {}
    assert world.policies("ep") == {}
    assert world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/")["MetricAlarms"] == []


def test_opt_out_keeps_a_target_that_carries_a_hand_made_policy(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    world.aws.autoscaling.put_scaling_policy(
        PolicyName="team-step",
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ep/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={
            "AdjustmentType": "ChangeInCapacity",
            "StepAdjustments": [{"MetricIntervalLowerBound": 0, "ScalingAdjustment": 1}],
        },
    )
    world.untag("ep", "enabled")
    outcome = world.reconcile("ep")
    assert outcome.status is Status.DISABLED
    assert list(world.policies("ep")) == ["team-step"]
    assert world.targets("ep") == {"AllTraffic": (1, 4)}
    assert any("target kept for hand-made team-step" in n for n in outcome.notes)


def test_coexist_reports_a_hand_made_policy_and_leaves_it(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    world.aws.autoscaling.put_scaling_policy(
        PolicyName="team-tt",
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ep/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": 5.0,
            # another metric than the controller's: AWS takes one target-tracking policy per metric on a target
            "PredefinedMetricSpecification": {
                "PredefinedMetricType": "SageMakerVariantConcurrentRequestsPerModelHighResolution"
            },
        },
    )
    outcome = world.reconcile("ep")
    assert outcome.status is Status.UNCHANGED
    assert "team-tt" in outcome.notes[0]
    assert set(world.policies("ep")) == {"team-tt", "autoscaler-AllTraffic-invocations"}


def test_two_variants_each_get_their_own_configuration(world: World) -> None:
    world.endpoint(
        "ep",
        {**BASE_TAGS, "autoscaling:Canary:max": "2", "autoscaling:Canary:target-concurrency": "3"},
        variants=("Primary", "Canary"),
    )
    assert world.reconcile("ep").status is Status.APPLIED
    assert world.targets("ep") == {"Primary": (1, 4), "Canary": (1, 2)}
    assert set(world.policies("ep")) == {
        "autoscaler-Primary-invocations",
        "autoscaler-Canary-invocations",
        "autoscaler-Canary-concurrency",
    }


def test_dry_run_reports_the_plan_and_writes_nothing(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    outcome = world.reconcile("ep", dry_run=True)
    assert outcome.status is Status.DRY_RUN
    assert [a.verb for a in outcome.actions] == ["RegisterTarget", "PutTargetTrackingPolicy"]
    assert world.writes() == {}
    assert world.targets("ep") == {}


def test_changing_one_tag_writes_only_the_difference(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    world.tag("ep", target_invocations="90")
    world.counter.reset()
    outcome = world.reconcile("ep")
    assert [a.verb for a in outcome.actions] == ["PutTargetTrackingPolicy"]
    assert world.writes() == {("application-autoscaling", "PutScalingPolicy"): 1}
    (policy,) = world.policies("ep").values()
    assert policy["TargetTrackingScalingPolicyConfiguration"]["TargetValue"] == 90.0


def test_endpoint_not_in_service_is_skipped_with_a_reason(world: World) -> None:
    from localaws.fidelity import FidelityConfig, install

    install(FidelityConfig(endpoint_transition_seconds=3600))
    world.endpoint("ep", BASE_TAGS)
    outcome = world.reconcile("ep")
    assert outcome.status is Status.SKIPPED
    assert "Creating" in outcome.reason
    assert world.writes() == {}


def test_deleted_endpoint_loses_its_owned_alarms(world: World) -> None:
    world.aws.cloudwatch.put_metric_alarm(
        AlarmName="autoscaler/gone/AllTraffic/latency",
        MetricName="OverheadLatency",
        Namespace="AWS/SageMaker",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1.0,
        ComparisonOperator="GreaterThanThreshold",
    )
    outcome = world.reconcile("gone")
    assert outcome.status is Status.DELETED
    assert world.aws.cloudwatch.describe_alarms(AlarmNamePrefix="autoscaler/")["MetricAlarms"] == []


def test_status_tags_are_written_only_when_enabled_and_changed(world: World) -> None:
    arn = world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep", write_status_tags=True)
    tags = {t["Key"]: t["Value"] for t in world.aws.sagemaker.list_tags(ResourceArn=arn)["Tags"]}
    assert tags["autoscaling:status"] == "applied"
    world.counter.reset()
    world.reconcile("ep", write_status_tags=True)
    assert world.writes() == {}


def test_suspend_tag_sets_the_suspended_state(world: World) -> None:
    world.endpoint("ep", {**BASE_TAGS, "autoscaling:suspend": "scale-in"})
    world.reconcile("ep")
    (target,) = world.aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert target["SuspendedState"]["DynamicScalingInSuspended"] is True
    assert target["SuspendedState"]["ScheduledScalingSuspended"] is False


@pytest.mark.parametrize(
    ("typo", "hint"),
    [
        ("autoscaling:enabeld", "did you mean 'enabled'?"),
        ("Autoscaling:Enabled", "did you mean 'autoscaling:enabled'?"),
        ("autoscaling:Enabled", "did you mean 'enabled'?"),
    ],
)
def test_a_mistyped_opt_in_on_a_managed_endpoint_is_a_rejection_that_keeps_the_configuration(
    world: World, typo: str, hint: str
) -> None:
    # Given a managed endpoint, when its opt-in key is replaced by a typo of it, then nothing is torn down: the
    # endpoint is rejected naming the key, and its target and policy stay.
    arn = world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    before = (world.targets("ep"), world.policies("ep"))
    world.untag("ep", "enabled")
    world.aws.sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": typo, "Value": "true"}])
    world.counter.reset()
    outcome = world.reconcile("ep")
    assert outcome.status is Status.REJECTED
    assert [(e.source, hint in e.message) for e in outcome.errors] == [(typo, True)]
    assert world.writes() == {}
    assert (world.targets("ep"), world.policies("ep")) == before


def test_removing_the_opt_in_without_a_typo_still_releases(world: World) -> None:
    # The contrast: enabled absent and no key that looks like it means opted out (owned configuration removed).
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    world.untag("ep", "enabled")
    assert world.reconcile("ep").status is Status.DISABLED
    assert world.targets("ep") == {}


def test_an_endpoint_level_hold_is_named_in_a_warning(world: World) -> None:
    world.endpoint("ep", {**BASE_TAGS, "autoscaling:hold": "3@2026-12-31T00:00:00Z"})
    outcome = world.reconcile("ep")
    assert outcome.status is Status.APPLIED
    assert [(w.source, w.message) for w in outcome.warnings] == [
        ("autoscaling:hold", "'hold' is per variant: ignored here; use autoscaling:<Variant>:hold")
    ]
    assert world.targets("ep") == {"AllTraffic": (1, 4)}


def test_a_mistyped_opt_in_on_an_endpoint_never_managed_is_not_managed_with_a_warning(world: World) -> None:
    world.endpoint("ep", {"Autoscaling:Enabled": "true"})
    outcome = world.reconcile("ep")
    assert outcome.status is Status.DISABLED
    assert [w.source for w in outcome.warnings] == ["Autoscaling:Enabled"]
    assert "did you mean 'autoscaling:enabled'?" in outcome.warnings[0].message
    assert world.writes() == {}
