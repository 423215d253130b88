"""The sweep against moto: paged reads of the whole namespace, plan per endpoint, enqueue only the drifted."""

from __future__ import annotations

import importlib
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from autoscaler.sweep import sweep
from localaws.pipeline import LambdaContext
from tests.conftest import load_event

from .conftest import BASE_TAGS, NOW, World, emitted, queued

SCHEDULE = load_event("schedule-sweep.json")


def alarm(world: World, name: str) -> None:
    world.aws.cloudwatch.put_metric_alarm(
        AlarmName=name,
        Namespace="AWS/SageMaker",
        MetricName="OverheadLatency",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=100000,
        ComparisonOperator="GreaterThanThreshold",
    )


def alarm_names(world: World) -> set[str]:
    return {a["AlarmName"] for a in world.aws.cloudwatch.describe_alarms()["MetricAlarms"]}


def aas_writes(world: World) -> Counter[tuple[str, str]]:
    return Counter({k: n for k, n in world.counter.writes.items() if k[0] == "application-autoscaling"})


def test_new_opt_in_is_enqueued_and_converged_endpoint_is_not(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("recommender", BASE_TAGS)
    world.endpoint("untagged")
    world.reconcile("recommender")

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.drifted == ("fraud-detector",)
    assert result.endpoints == ("fraud-detector", "recommender")
    assert [(q.endpoint, q.trigger, q.group, q.deduplication_id) for q in queued(world, reconcile_queue)] == [
        ("fraud-detector", "sweep", "fraud-detector", "sweep-1:fraud-detector")
    ]


def test_sweep_never_writes_scaling_configuration(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.counter.reset()

    sweep(world.deps(), reconcile_queue, "sweep-1")

    assert aas_writes(world) == Counter()
    assert world.targets("fraud-detector") == {}


def test_hand_changed_bounds_are_drift(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    world.aws.autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/fraud-detector/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
        MinCapacity=2,
        MaxCapacity=4,
    )

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ("fraud-detector",)


def test_lost_opt_out_is_found_from_the_owned_policies_left_behind(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    world.untag("fraud-detector", "enabled")  # the DeleteTags event never arrived

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.drifted == ("fraud-detector",)
    world.reconcile("fraud-detector")
    assert world.targets("fraud-detector") == {}
    assert sweep(world.deps(), reconcile_queue, "sweep-2").drifted == ()


def test_mixed_case_endpoint_is_swept_under_its_real_name(world: World, reconcile_queue: str) -> None:
    world.endpoint("MyEndpoint", BASE_TAGS)

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.drifted == ("MyEndpoint",)
    world.reconcile("MyEndpoint")
    assert sweep(world.deps(), reconcile_queue, "sweep-2").drifted == ()


def test_every_page_of_the_namespace_is_read(world: World, reconcile_queue: str) -> None:
    names = [f"endpoint-{n:02}" for n in range(12)]
    for name in names:
        world.endpoint(name, BASE_TAGS)
        world.reconcile(name)
    world.untag("endpoint-11", "enabled")

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.endpoints == tuple(names)
    assert result.drifted == ("endpoint-11",)


def test_rejected_configuration_is_counted_not_enqueued(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", {**BASE_TAGS, "autoscaling:max": "lots"})

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.rejected == ("fraud-detector",)
    assert result.drifted == ()
    assert queued(world, reconcile_queue) == []


def test_with_status_tags_a_rejection_is_enqueued_until_the_tag_records_it(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", {**BASE_TAGS, "autoscaling:max": "lots"})

    assert sweep(world.deps(write_status_tags=True), reconcile_queue, "sweep-1").drifted == ("fraud-detector",)
    world.reconcile("fraud-detector", write_status_tags=True)
    assert sweep(world.deps(write_status_tags=True), reconcile_queue, "sweep-2").drifted == ()


def test_owned_alarms_of_deleted_endpoints_are_deleted_and_nothing_else(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    alarm(world, "autoscaler/gone-endpoint/AllTraffic/autoscaler-AllTraffic-latency")
    alarm(world, "autoscaler/fraud-detector/AllTraffic/autoscaler-AllTraffic-latency")
    alarm(world, "TargetTracking-endpoint/gone-endpoint/variant/AllTraffic-AlarmHigh-1234")
    alarm(world, "someone-else/gone-endpoint/AllTraffic/latency")

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.deleted_alarms == ("autoscaler/gone-endpoint/AllTraffic/autoscaler-AllTraffic-latency",)
    assert alarm_names(world) == {
        "autoscaler/fraud-detector/AllTraffic/autoscaler-AllTraffic-latency",
        "TargetTracking-endpoint/gone-endpoint/variant/AllTraffic-AlarmHigh-1234",
        "someone-else/gone-endpoint/AllTraffic/latency",
    }


def test_dry_run_deletes_no_alarm(world: World, reconcile_queue: str) -> None:
    alarm(world, "autoscaler/gone-endpoint/AllTraffic/autoscaler-AllTraffic-latency")

    result = sweep(world.deps(dry_run=True), reconcile_queue, "sweep-1")

    assert result.deleted_alarms == ("autoscaler/gone-endpoint/AllTraffic/autoscaler-AllTraffic-latency",)
    assert "autoscaler/gone-endpoint/AllTraffic/autoscaler-AllTraffic-latency" in alarm_names(world)


def test_profile_of_an_endpoint_is_read_once_per_sweep(world: World, reconcile_queue: str) -> None:
    world.profile(
        "business-hours",
        {"version": 1, "min": 2, "max": 6, "target_tracking": [{"metric": "invocations", "target": 70}]},
    )
    for name in ("ranker-a", "ranker-b", "ranker-c"):
        world.endpoint(name, {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"})
    world.counter.reset()

    result = sweep(world.deps(), reconcile_queue, "sweep-1")

    assert result.drifted == ("ranker-a", "ranker-b", "ranker-c")
    assert world.counter.calls[("ssm", "GetParameter")] == 1


def test_expired_capacity_hold_is_enqueued_so_the_reconciler_removes_it(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", {**BASE_TAGS, "autoscaling:AllTraffic:hold": "1@2026-11-25T10:00:00Z"})
    world.reconcile("fraud-detector", clock=NOW - timedelta(hours=3))  # hold active then: min 1 either way

    assert sweep(world.deps(), reconcile_queue, "sweep-1").drifted == ("fraud-detector",)
    world.reconcile("fraud-detector")
    assert sweep(world.deps(), reconcile_queue, "sweep-2").drifted == ()


CONTEXT = LambdaContext("SweeperFunction", memory_limit_in_mb=512)


@pytest.fixture
def sweeper(world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = importlib.import_module("functions.sweeper.app")
    monkeypatch.setattr(module, "deps", lambda: (world.deps(), reconcile_queue))
    module.metrics.clear_metrics()  # library calls of earlier tests ran outside a handler, which would flush them
    return module


def test_handler_sweeps_with_the_schedule_event_id_and_emits_the_heartbeat(
    world: World, reconcile_queue: str, sweeper: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)

    answer = sweeper.handler(SCHEDULE, CONTEXT)

    assert answer["drifted"] == ["fraud-detector"]
    assert [q.deduplication_id for q in queued(world, reconcile_queue)] == [f"{SCHEDULE['id']}:fraud-detector"]
    assert emitted(capsys.readouterr().out, "SweepHeartbeat") == [1.0]
