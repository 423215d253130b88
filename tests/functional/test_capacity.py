"""On-demand capacity: nudges, clamps, holds, refusals; and the capacity handler's payload checks."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import boto3
import pytest

from autoscaler.capacity import CapacityRequest, CapacityRequestError, parse_duration, set_capacity
from localaws.fidelity import FidelityConfig, install
from localaws.pipeline import LambdaContext

from .conftest import BASE_TAGS, NOW, World


def capacity(world: World, count: int, hold: timedelta | None = None, name: str = "ep") -> Any:
    return set_capacity(CapacityRequest(name, "AllTraffic", count, hold), world.aws, "autoscaling", 20, NOW)


def instance_count(world: World) -> int:
    variant = world.aws.sagemaker.describe_endpoint(EndpointName="ep")["ProductionVariants"][0]
    return int(variant["DesiredInstanceCount"])


def test_nudge_sets_the_count_and_says_target_tracking_may_move_it(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    result = capacity(world, 3)
    assert (result.status, result.count, result.bounds) == ("updated", 3, (1, 4))
    assert "a nudge: target tracking may move it back" in result.message
    assert instance_count(world) == 3
    tags = {t["Key"] for t in world.aws.sagemaker.list_tags(ResourceArn=world.arns["ep"])["Tags"]}
    assert "autoscaling:AllTraffic:hold" not in tags


def test_count_is_clamped_to_the_target_bounds(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    result = capacity(world, 9)
    assert result.count == 4
    assert "clamped from 9 to the bounds 1..4" in result.message


def test_hold_records_a_tag_and_the_next_reconcile_raises_min(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    result = capacity(world, 3, timedelta(hours=2))
    assert result.hold == "3@2026-11-25T14:00:00Z"
    world.aws.sagemaker.describe_endpoint(EndpointName="ep")  # the update completes (transition time 0)
    outcome = world.reconcile("ep")
    assert [a.reason for a in outcome.actions] == ["min 1 -> 3 (capacity hold 3@2026-11-25T14:00:00Z)"]
    assert world.targets("ep") == {"AllTraffic": (3, 4)}
    later = world.reconcile("ep", clock=NOW + timedelta(hours=3))
    assert [a.reason for a in later.actions] == ["min 3 -> 1"]
    tags = {t["Key"] for t in world.aws.sagemaker.list_tags(ResourceArn=world.arns["ep"])["Tags"]}
    assert "autoscaling:AllTraffic:hold" not in tags  # the expired hold is removed


def test_refused_while_the_endpoint_is_creating(world: World) -> None:
    install(FidelityConfig(endpoint_transition_seconds=3600))
    world.endpoint("ep", BASE_TAGS)
    result = capacity(world, 2)
    assert result.status == "refused"
    assert "Creating" in result.message


def test_refused_while_the_endpoint_is_updating(world: World) -> None:
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    install(FidelityConfig(endpoint_transition_seconds=3600))  # the first change leaves the endpoint Updating
    assert capacity(world, 2).status == "updated"
    result = capacity(world, 3)
    assert (result.status, result.message) == (
        "refused",
        "endpoint is Updating: capacity can change only when it is InService",
    )
    assert instance_count(world) == 2


def test_refused_when_an_update_starts_between_the_read_and_the_write(world: World) -> None:
    """DescribeEndpoint says InService, then another caller's update makes the endpoint Updating: SageMaker refuses
    the write ("Cannot update in-progress endpoint"), and the request is refused, not failed."""
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    install(FidelityConfig(endpoint_transition_seconds=3600))
    other = boto3.client("sagemaker")  # another caller: not the world's clients, not their hooks

    def someone_else_updates(**_: Any) -> None:
        other.update_endpoint_weights_and_capacities(
            EndpointName="ep", DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 4}]
        )

    event = "after-call.sagemaker.DescribeEndpoint"
    world.aws.sagemaker.meta.events.register(event, someone_else_updates)
    try:
        result = capacity(world, 2)
    finally:
        world.aws.sagemaker.meta.events.unregister(event, someone_else_updates)
    assert result.status == "refused"
    assert result.message.startswith("UpdateEndpointWeightsAndCapacities ep/AllTraffic: Cannot update in-progress")
    assert instance_count(world) == 4  # the other caller's count stands


def test_refused_for_an_unknown_endpoint_or_variant(world: World) -> None:
    assert "does not exist" in capacity(world, 2, name="nope").message
    world.endpoint("ep", BASE_TAGS)
    result = set_capacity(CapacityRequest("ep", "Blue", 2), world.aws, "autoscaling", 20, NOW)
    assert (result.status, result.message) == ("refused", "endpoint ep has no variant Blue (it has AllTraffic)")


def test_unmanaged_variant_is_clamped_to_the_ceiling(world: World) -> None:
    world.endpoint("ep", {})
    result = capacity(world, 50)
    assert (result.count, result.bounds) == (20, (1, 20))


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"endpoint": "ep", "variant": "AllTraffic"}, "count None"),
        ({"endpoint": "ep", "variant": "AllTraffic", "count": 2.5}, "count 2.5"),
        ({"endpoint": "ep", "variant": "AllTraffic", "count": True}, "count True"),
        ({"endpoint": "ep;rm", "variant": "AllTraffic", "count": 2}, "endpoint 'ep;rm'"),
        ({"endpoint": "ep", "variant": "AllTraffic", "count": 2, "hold": "forever"}, "hold 'forever'"),
        ({"endpoint": "ep", "variant": "AllTraffic", "count": 2, "hold": "30d"}, "at most 14 days"),
        ({"endpoint": "ep", "variant": "AllTraffic", "count": 2, "extra": 1}, "unknown field(s) ['extra']"),
    ],
)
def test_bad_payload_names_the_field(payload: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CapacityRequestError) as caught:
        CapacityRequest.parse(payload)
    assert fragment in str(caught.value)


def test_durations() -> None:
    assert parse_duration("30m") == timedelta(minutes=30)
    assert parse_duration("2h") == timedelta(hours=2)
    assert parse_duration("1d") == timedelta(days=1)


CONTEXT = LambdaContext("CapacityFunction")


def test_handler_answers_with_the_result_or_the_refusal(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    app = importlib.import_module("functions.capacity.app")
    monkeypatch.setattr(app, "deps", lambda: (world.settings, world.aws))
    monkeypatch.setattr(app, "datetime", type("Frozen", (), {"now": staticmethod(lambda tz=None: NOW)}))
    world.endpoint("ep", BASE_TAGS)
    world.reconcile("ep")
    answer = app.handler({"endpoint": "ep", "variant": "AllTraffic", "count": 2, "hold": "1h"}, CONTEXT)
    assert (answer["ok"], answer["count"], answer["hold"]) == (True, 2, "2@2026-11-25T13:00:00Z")
    assert app.handler({"endpoint": "ep"}, CONTEXT)["ok"] is False
