"""Routing: every trigger event -> the endpoints it concerns (real names), or a reason to drop it."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from autoscaler.events import deduplication_id, enqueue, parse_event, parse_time, route
from autoscaler.messages import ReconcileRequest
from autoscaler.settings import Settings

EVENTS = Path(__file__).parents[2] / "events"
SETTINGS = Settings()
ACCOUNT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/"


def load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS / name).read_text())
    return event


@dataclass
class FakeDirectory:
    """What ListEndpoints and the Tagging API answer. ARNs lower-case endpoint names, as AWS writes them."""

    names: tuple[str, ...] = ("MyEndpoint", "fraud-detector", "recommender", "ranker", "legacy")
    tags: dict[str, dict[str, str]] = field(
        default_factory=lambda: {
            "MyEndpoint": {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours:prod"},
            "fraud-detector": {"autoscaling:enabled": "true"},
            "recommender": {
                "autoscaling:enabled": "TRUE",
                "autoscaling:profile": "/sagemaker-autoscaler/profiles/default",
            },
            "ranker": {"autoscaling:enabled": "false"},
            "legacy": {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours-v2"},
        }
    )
    calls: list[str] = field(default_factory=list)

    def list_endpoint_names(self) -> Sequence[str]:
        self.calls.append("ListEndpoints")
        return self.names

    def read_tagged_endpoints(self, tag_key: str) -> Sequence[tuple[str, dict[str, str]]]:
        self.calls.append(f"GetResources {tag_key}")
        return [(ACCOUNT_ARN + name.lower(), tags) for name, tags in self.tags.items() if tag_key in tags]


# file -> the endpoints routed, or None when the router drops it (with a reason containing the text given)
ROUTED: dict[str, tuple[str, ...] | str] = {
    "sagemaker-endpoint-state-change-in-service.json": ("MyEndpoint",),
    "sagemaker-endpoint-state-change-in-service-tags-list.json": ("fraud-detector",),
    "sagemaker-endpoint-state-change-updating.json": "an IN_SERVICE event follows",
    "sagemaker-endpoint-state-change-deleting.json": ("fraud-detector",),
    "sagemaker-endpoint-state-change-deleted.json": ("fraud-detector",),
    "cloudtrail-addtags.json": ("MyEndpoint",),
    "cloudtrail-deletetags.json": ("MyEndpoint",),
    "cloudtrail-addtags-failed.json": "the call failed (AccessDenied)",
    "cloudtrail-addtags-status-only.json": "only the controller's status tags changed",
    "cloudtrail-addtags-endpoint-config.json": "endpoint-config is not a SageMaker endpoint",
    "tag-change-on-resource-endpoint.json": ("MyEndpoint",),
    "tag-change-on-resource-ec2.json": "instance is not a SageMaker endpoint",
    "ssm-parameter-store-change-profile.json": ("MyEndpoint",),
    "ssm-parameter-store-change-label.json": ("MyEndpoint",),
    "ssm-parameter-store-change-default-profile.json": ("fraud-detector", "recommender"),
    "ssm-parameter-store-change-other-parameter.json": "is not under /sagemaker-autoscaler/profiles/",
    "schedule-sweep.json": "the schedule triggers the sweeper",
    "sqs-reconcile-batch.json": "an SQS batch: it is for the reconciler",
    "capacity-set-count.json": "invoke the capacity function",
    "capacity-set-count-with-hold.json": "invoke the capacity function",
}


def test_every_event_file_has_an_expected_route() -> None:
    assert sorted(p.name for p in EVENTS.glob("*.json")) == sorted(ROUTED)


@pytest.mark.parametrize(("name", "expected"), sorted(ROUTED.items()))
def test_event_file_routes_to_its_endpoints_or_is_dropped_with_a_reason(
    name: str, expected: tuple[str, ...] | str
) -> None:
    routing = route(load(name), SETTINGS, FakeDirectory())

    if isinstance(expected, str):
        assert routing.endpoints == ()
        assert expected in routing.reason
    else:
        assert routing.endpoints == expected
        assert routing.reason


def test_lower_cased_arn_resolves_to_the_real_mixed_case_name() -> None:
    event = load("cloudtrail-addtags.json")
    assert event["detail"]["requestParameters"]["resourceArn"].endswith("endpoint/myendpoint")

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ("MyEndpoint",)
    assert [r.endpoint for r in routing.requests()] == ["MyEndpoint"]


def test_tag_event_of_an_endpoint_that_no_longer_exists_routes_nothing() -> None:
    routing = route(load("cloudtrail-addtags.json"), SETTINGS, FakeDirectory(names=("fraud-detector",)))

    assert routing.endpoints == ()
    assert "myendpoint no longer exists" in routing.reason


def test_state_change_uses_the_events_name_without_any_lookup() -> None:
    directory = FakeDirectory()

    routing = route(load("sagemaker-endpoint-state-change-in-service.json"), SETTINGS, directory)

    assert routing.endpoints == ("MyEndpoint",)
    assert directory.calls == []


@pytest.mark.parametrize("tags", [{}, {"autoscaling:enabled": "false"}, [{"Key": "a", "Value": "b"}], None, "junk"])
def test_state_change_tags_in_any_shape_are_not_trusted(tags: object) -> None:
    event = load("sagemaker-endpoint-state-change-in-service-tags-list.json")
    event["detail"]["Tags"] = tags

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("fraud-detector",)


@pytest.mark.parametrize("status", ["CREATING", "UPDATING", "SYSTEM_UPDATING", "ROLLING_BACK", "FAILED", "WHATEVER"])
def test_state_changes_that_need_no_reconcile_are_dropped(status: str) -> None:
    event = load("sagemaker-endpoint-state-change-in-service.json")
    event["detail"]["EndpointStatus"] = status

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert status in routing.reason


def test_state_change_without_a_name_falls_back_to_the_arn_and_resolves_it() -> None:
    event = load("sagemaker-endpoint-state-change-in-service.json")
    del event["detail"]["EndpointName"]

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_tag_change_outside_the_prefix_is_ignored() -> None:
    event = load("tag-change-on-resource-endpoint.json")
    event["detail"]["changed-tag-keys"] = ["team", "cost-center"]

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert "no tag under autoscaling: changed" in routing.reason


def test_status_and_config_keys_together_reconcile() -> None:
    event = load("cloudtrail-addtags-status-only.json")
    event["detail"]["requestParameters"]["tags"].append({"key": "autoscaling:max", "value": "8"})

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_cloudtrail_members_are_parsed_case_insensitively() -> None:
    event = load("cloudtrail-addtags-status-only.json")
    event["detail"]["requestParameters"] = {
        "ResourceArn": event["detail"]["requestParameters"]["resourceArn"],
        "Tags": [{"Key": "autoscaling:status", "Value": "applied"}],
    }

    assert "only the controller's status tags" in route(event, SETTINGS, FakeDirectory()).reason


def test_status_keys_follow_the_tag_prefix() -> None:
    event = load("cloudtrail-addtags-status-only.json")
    settings = Settings(tag_prefix="scaling")

    routing = route(event, settings, FakeDirectory())

    assert routing.endpoints == ()
    assert "no tag under scaling: changed" in routing.reason


def test_deletetags_of_the_opt_in_reconciles_so_owned_resources_are_removed() -> None:
    assert route(load("cloudtrail-deletetags.json"), SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_tag_call_with_unreadable_keys_reconciles_rather_than_miss_a_change() -> None:
    event = load("cloudtrail-addtags.json")
    event["detail"]["requestParameters"]["tags"] = "HIDDEN_DUE_TO_SECURITY_REASONS"

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_other_cloudtrail_calls_are_dropped() -> None:
    event = load("cloudtrail-addtags.json")
    event["detail"]["eventName"] = "UpdateEndpoint"

    assert "not a tag change" in route(event, SETTINGS, FakeDirectory()).reason


def test_failed_parameter_change_is_dropped() -> None:
    event = load("ssm-parameter-store-change-profile.json")
    event["detail"]["exception"] = "ParameterVersionLabelLimitExceeded"

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert "failed" in routing.reason


def test_profile_change_finds_users_by_bare_or_full_name_with_selector_stripped() -> None:
    directory = FakeDirectory(
        tags={
            "MyEndpoint": {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours:3"},
            "fraud-detector": {
                "autoscaling:enabled": "true",
                "autoscaling:profile": "/sagemaker-autoscaler/profiles/business-hours",
            },
            "recommender": {"autoscaling:enabled": "false", "autoscaling:profile": "business-hours"},
            "ranker": {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours-eu"},
        }
    )

    routing = route(load("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == ("MyEndpoint", "fraud-detector")
    assert "GetResources autoscaling:enabled" not in directory.calls  # only the default profile needs that


def test_profile_nobody_uses_routes_nothing_and_lists_no_endpoints() -> None:
    directory = FakeDirectory(tags={})

    routing = route(load("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == ()
    assert "ListEndpoints" not in directory.calls


def test_default_profile_follows_the_default_profile_setting() -> None:
    settings = Settings(default_profile="business-hours")

    routing = route(load("ssm-parameter-store-change-profile.json"), settings, FakeDirectory())

    assert routing.endpoints == ("MyEndpoint", "fraud-detector")


def test_unknown_event_is_dropped_with_a_reason_and_flagged() -> None:
    event = {"id": "1", "source": "aws.ec2", "detail-type": "EC2 Instance State-change Notification", "detail": {}}

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert routing.unknown
    assert "no trigger for source 'aws.ec2'" in routing.reason


@pytest.mark.parametrize("event", [None, [], "text", {"detail": {}}, {"source": "aws.sagemaker", "detail": "x"}])
def test_malformed_events_are_dropped_not_raised(event: object) -> None:
    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert routing.unknown


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-25T12:00:00Z", datetime(2026, 11, 25, 12, tzinfo=UTC)),
        ("2026-11-25T12:00:00+00:00", datetime(2026, 11, 25, 12, tzinfo=UTC)),
        ("1583831889050", datetime(2020, 3, 10, 9, 18, 9, 50000, tzinfo=UTC)),
        (1592411992203.0, datetime(2020, 6, 17, 16, 39, 52, 203000, tzinfo=UTC)),
        (1592411992, datetime(2020, 6, 17, 16, 39, 52, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
        (True, None),
    ],
)
def test_event_times_are_iso_or_epoch(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected


def test_both_time_shapes_of_the_samples_parse() -> None:
    epoch = parse_event(load("sagemaker-endpoint-state-change-in-service.json"), SETTINGS)
    iso = parse_event(load("sagemaker-endpoint-state-change-in-service-tags-list.json"), SETTINGS)

    assert epoch.time == datetime(2020, 3, 10, 9, 18, 9, 50000, tzinfo=UTC)
    assert iso.time == datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_event_without_id_gets_a_fresh_one_so_it_is_never_deduplicated_away() -> None:
    event = load("sagemaker-endpoint-state-change-in-service.json")
    del event["id"]

    first, second = parse_event(event, SETTINGS), parse_event(copy.deepcopy(event), SETTINGS)

    assert first.event_id
    assert first.event_id != second.event_id


class FakeQueue:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Sequence[tuple[str, str, str]]]] = []

    def send_fifo_messages(self, queue_url: str, messages: Sequence[tuple[str, str, str]]) -> None:
        self.sent.append((queue_url, messages))


def test_enqueue_sends_one_message_per_endpoint_grouped_by_endpoint_deduplicated_by_event_and_endpoint() -> None:
    queue = FakeQueue()
    requests = [ReconcileRequest("MyEndpoint", "cloudtrail:AddTags"), ReconcileRequest("ranker", "cloudtrail:AddTags")]

    assert enqueue(queue, "https://queue", "event-1", requests) == 2

    ((url, messages),) = queue.sent
    assert url == "https://queue"
    assert [(ReconcileRequest.parse(b), g, d) for b, g, d in messages] == [
        (requests[0], "MyEndpoint", "event-1:MyEndpoint"),
        (requests[1], "ranker", "event-1:ranker"),
    ]


def test_enqueue_of_nothing_sends_nothing() -> None:
    queue = FakeQueue()

    assert enqueue(queue, "https://queue", "event-1", []) == 0
    assert queue.sent == []


def test_deduplication_id_fits_sqs_limit_for_the_longest_names() -> None:
    longest = deduplication_id("7d3e4f5a-0001-4c2b-8a9d-000000000001", "e" * 63)

    assert len(longest) <= 128
    assert longest.endswith("e" * 63)
