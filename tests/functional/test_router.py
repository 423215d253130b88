"""The router handler against moto: events in, one FIFO reconcile request per endpoint out."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import BASE_TAGS, Queued, World, queued

EVENTS = Path(__file__).parents[2] / "events"


def load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


class Context:
    function_name = "RouterFunction"
    memory_limit_in_mb = 256
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:RouterFunction"
    aws_request_id = "c6f5d3b1-0000-4000-8000-000000000000"


@pytest.fixture
def router(world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = importlib.import_module("functions.router.app")
    monkeypatch.setattr(module, "deps", lambda: (world.settings, world.aws, reconcile_queue))
    return module


def test_tag_event_on_a_mixed_case_endpoint_queues_its_real_name(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})
    event = load("cloudtrail-addtags.json")

    answer = router.handler(event, Context())

    assert answer["endpoints"] == ["MyEndpoint"]
    event_id = event["detail"]["eventID"]
    assert queued(world, reconcile_queue) == [
        Queued("MyEndpoint", "cloudtrail:AddTags", "MyEndpoint", f"{event_id}:MyEndpoint")
    ]


def test_state_change_queues_the_endpoint_with_the_event_id_for_deduplication(
    world: World, reconcile_queue: str, router: Any
) -> None:
    event = load("sagemaker-endpoint-state-change-in-service-tags-list.json")

    router.handler(event, Context())

    assert queued(world, reconcile_queue) == [
        Queued("fraud-detector", "aws.sagemaker:IN_SERVICE", "fraud-detector", f"{event['id']}:fraud-detector")
    ]


def test_the_same_event_delivered_twice_is_queued_once(world: World, reconcile_queue: str, router: Any) -> None:
    event = load("sagemaker-endpoint-state-change-in-service-tags-list.json")

    router.handler(event, Context())
    router.handler(event, Context())

    assert len(queued(world, reconcile_queue)) == 1


def test_a_second_change_of_the_same_endpoint_within_minutes_is_not_lost(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})
    first, second = load("cloudtrail-addtags.json"), load("cloudtrail-deletetags.json")

    router.handler(first, Context())
    router.handler(second, Context())

    assert [(q.endpoint, q.trigger) for q in queued(world, reconcile_queue)] == [
        ("MyEndpoint", "cloudtrail:AddTags"),
        ("MyEndpoint", "cloudtrail:DeleteTags"),
    ]


def test_default_profile_change_queues_every_opted_in_endpoint_without_a_profile_tag(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("Recommender", {"autoscaling:enabled": "true"})
    world.endpoint("ranker", {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"})
    world.endpoint("legacy", {"autoscaling:enabled": "false"})
    world.endpoint("untagged")

    router.handler(load("ssm-parameter-store-change-default-profile.json"), Context())

    assert sorted(q.endpoint for q in queued(world, reconcile_queue)) == ["Recommender", "fraud-detector"]


def test_profile_change_queues_the_endpoints_whose_profile_tag_names_it(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.endpoint("ranker", {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours:prod"})
    world.endpoint(
        "Ranker-EU",
        {"autoscaling:enabled": "true", "autoscaling:profile": "/sagemaker-autoscaler/profiles/business-hours"},
    )
    world.endpoint("ranker-us", {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours-us"})

    router.handler(load("ssm-parameter-store-change-profile.json"), Context())

    assert sorted(q.endpoint for q in queued(world, reconcile_queue)) == ["Ranker-EU", "ranker"]


@pytest.mark.parametrize(
    "name",
    [
        "cloudtrail-addtags-status-only.json",
        "cloudtrail-addtags-failed.json",
        "cloudtrail-addtags-endpoint-config.json",
        "sagemaker-endpoint-state-change-updating.json",
        "tag-change-on-resource-ec2.json",
        "schedule-sweep.json",
        "capacity-set-count.json",
    ],
)
def test_events_that_concern_no_endpoint_queue_nothing(
    world: World, reconcile_queue: str, router: Any, name: str
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})

    answer = router.handler(load(name), Context())

    assert answer["endpoints"] == []
    assert answer["reason"]
    assert queued(world, reconcile_queue) == []


def test_tag_event_for_an_endpoint_deleted_since_queues_nothing(
    world: World, reconcile_queue: str, router: Any
) -> None:
    answer = router.handler(load("cloudtrail-addtags.json"), Context())

    assert answer["endpoints"] == []
    assert "no longer exists" in answer["reason"]
    assert queued(world, reconcile_queue) == []
