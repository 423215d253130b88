"""Routing: every trigger event -> the endpoints it concerns (real names), or a reason to drop it."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from autoscaler.events import AAS_ROLE, COMPONENT_CALLS, deduplication_id, enqueue, parse_event, parse_time, route
from autoscaler.messages import ReconcileRequest
from autoscaler.settings import Settings
from tests.conftest import EVENTS, load_event
from tests.mutations import DEPTH_BOMB, SIZE_BOMB, nested

SETTINGS = Settings()
ACCOUNT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/"
COMPONENT_ARN = "arn:aws:sagemaker:us-east-1:123456789012:inference-component/"


@dataclass
class FakeDirectory:
    """What DescribeEndpoint, Search and the Tagging API answer. ARNs lower-case endpoint names, as AWS writes them;
    DescribeEndpoint matches a name exactly (AWS documents no other matching)."""

    names: tuple[str, ...] = ("MyEndpoint", "fraud-detector", "recommender", "ranker", "legacy", "llm-host")
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
    # inference component -> (hosting endpoint, InferenceComponentStatus); found in any case, as Aws does it
    components: dict[str, tuple[str, str]] = field(default_factory=lambda: {"Llama-Chat": ("llm-host", "InService")})
    alarms: tuple[str, ...] = ("autoscaler/llm-host/Llama-Chat/scale-from-zero", "autoscaler/ranker/AllTraffic/latency")
    calls: list[str] = field(default_factory=list)

    def find_endpoint(self, name: str, arn: str | None) -> str | None:
        self.calls.append(f"DescribeEndpoint {name}")
        if name in self.names:
            return name
        if arn is None:
            return None
        self.calls.append(f"Search {arn}")
        return next((n for n in self.names if arn.endswith(f":endpoint/{n.lower()}")), None)

    def read_endpoint_names(self, tag_key: str) -> dict[str, str]:
        self.calls.append(f"Search Tags.{tag_key}")
        return {ACCOUNT_ARN + n.lower(): n for n in self.names if tag_key in self.tags.get(n, {})}

    def read_tagged_endpoints(self, tag_key: str) -> Sequence[tuple[str, dict[str, str]]]:
        self.calls.append(f"GetResources {tag_key}")
        return [(ACCOUNT_ARN + name.lower(), tags) for name, tags in self.tags.items() if tag_key in tags]

    def read_component_endpoint(self, name: str) -> tuple[str, str] | None:
        self.calls.append(f"DescribeInferenceComponent {name}")
        return next((host for real, host in self.components.items() if real.lower() == name.lower()), None)

    def read_owned_alarms(self, name_prefix: str) -> Sequence[str]:
        self.calls.append(f"DescribeAlarms {name_prefix}/")
        return [a for a in self.alarms if a.startswith(f"{name_prefix}/")]


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
    "cloudtrail-addtags-inference-component.json": ("llm-host",),
    "cloudtrail-create-inference-component.json": ("llm-host",),
    "cloudtrail-create-inference-component-failed.json": "the call failed (ValidationException)",
    "cloudtrail-update-inference-component.json": ("llm-host",),
    "cloudtrail-update-inference-component-runtime-config.json": ("llm-host",),
    "cloudtrail-update-inference-component-runtime-config-autoscaling.json": "a scaling activity",
    "cloudtrail-delete-inference-component.json": ("llm-host",),
    "tag-change-on-resource-endpoint.json": ("MyEndpoint",),
    "tag-change-on-resource-inference-component.json": ("llm-host",),
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
    routing = route(load_event(name), SETTINGS, FakeDirectory())

    if isinstance(expected, str):
        assert routing.endpoints == ()
        assert expected in routing.reason
    else:
        assert routing.endpoints == expected
        assert routing.reason


def test_lower_cased_arn_resolves_to_the_real_mixed_case_name() -> None:
    event = load_event("cloudtrail-addtags.json")
    assert event["detail"]["requestParameters"]["resourceArn"].endswith("endpoint/myendpoint")

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ("MyEndpoint",)
    assert [r.endpoint for r in routing.requests()] == ["MyEndpoint"]


def test_tag_event_of_an_endpoint_that_no_longer_exists_routes_nothing() -> None:
    routing = route(load_event("cloudtrail-addtags.json"), SETTINGS, FakeDirectory(names=("fraud-detector",)))

    assert routing.endpoints == ()
    assert "myendpoint no longer exists" in routing.reason
    assert [d.subject for d in routing.dropped] == ["endpoint myendpoint"]  # left out, and counted


def test_state_change_uses_the_events_name_without_any_lookup() -> None:
    directory = FakeDirectory()

    routing = route(load_event("sagemaker-endpoint-state-change-in-service.json"), SETTINGS, directory)

    assert routing.endpoints == ("MyEndpoint",)
    assert directory.calls == []


@pytest.mark.parametrize("tags", [{}, {"autoscaling:enabled": "false"}, [{"Key": "a", "Value": "b"}], None, "junk"])
def test_state_change_tags_in_any_shape_are_not_trusted(tags: object) -> None:
    event = load_event("sagemaker-endpoint-state-change-in-service-tags-list.json")
    event["detail"]["Tags"] = tags

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("fraud-detector",)


@pytest.mark.parametrize("status", ["CREATING", "UPDATING", "SYSTEM_UPDATING", "ROLLING_BACK", "FAILED", "WHATEVER"])
def test_state_changes_that_need_no_reconcile_are_dropped(status: str) -> None:
    event = load_event("sagemaker-endpoint-state-change-in-service.json")
    event["detail"]["EndpointStatus"] = status

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert status in routing.reason


def test_state_change_without_a_name_falls_back_to_the_arn_and_resolves_it() -> None:
    event = load_event("sagemaker-endpoint-state-change-in-service.json")
    del event["detail"]["EndpointName"]

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_tag_change_outside_the_prefix_is_ignored() -> None:
    event = load_event("tag-change-on-resource-endpoint.json")
    event["detail"]["changed-tag-keys"] = ["team", "cost-center"]

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert "no tag under autoscaling: changed" in routing.reason


def test_status_and_config_keys_together_reconcile() -> None:
    event = load_event("cloudtrail-addtags-status-only.json")
    event["detail"]["requestParameters"]["tags"].append({"key": "autoscaling:max", "value": "8"})

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_cloudtrail_members_are_parsed_case_insensitively() -> None:
    event = load_event("cloudtrail-addtags-status-only.json")
    event["detail"]["requestParameters"] = {
        "ResourceArn": event["detail"]["requestParameters"]["resourceArn"],
        "Tags": [{"Key": "autoscaling:status", "Value": "applied"}],
    }

    assert "only the controller's status tags" in route(event, SETTINGS, FakeDirectory()).reason


def test_status_keys_follow_the_tag_prefix() -> None:
    event = load_event("cloudtrail-addtags-status-only.json")
    settings = Settings(tag_prefix="scaling")

    routing = route(event, settings, FakeDirectory())

    assert routing.endpoints == ()
    assert "no tag under scaling: changed" in routing.reason


def test_deletetags_of_the_opt_in_reconciles_so_owned_resources_are_removed() -> None:
    assert route(load_event("cloudtrail-deletetags.json"), SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_tag_call_with_unreadable_keys_reconciles_rather_than_miss_a_change() -> None:
    event = load_event("cloudtrail-addtags.json")
    event["detail"]["requestParameters"]["tags"] = "HIDDEN_DUE_TO_SECURITY_REASONS"

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("MyEndpoint",)


def test_other_cloudtrail_calls_are_dropped() -> None:
    event = load_event("cloudtrail-addtags.json")
    event["detail"]["eventName"] = "UpdateEndpoint"

    assert "neither a tag nor an inference-component change" in route(event, SETTINGS, FakeDirectory()).reason


# --- inference components: their CloudTrail calls and tags route to the endpoint hosting them ----------------------

COMPONENT_FILES = {
    "UpdateInferenceComponent": "cloudtrail-update-inference-component.json",
    "UpdateInferenceComponentRuntimeConfig": "cloudtrail-update-inference-component-runtime-config.json",
    "DeleteInferenceComponent": "cloudtrail-delete-inference-component.json",
    "AddTags": "cloudtrail-addtags-inference-component.json",
    "Tag Change on Resource": "tag-change-on-resource-inference-component.json",
}


def test_create_routes_the_endpoint_named_in_the_request_without_describing_the_component() -> None:
    event = load_event("cloudtrail-create-inference-component.json")
    event["detail"]["requestParameters"]["endpointName"] = "LLM-Host"  # as typed; AWS names ignore case
    directory = FakeDirectory()

    routing = route(event, SETTINGS, directory)

    assert routing.endpoints == ("llm-host",)
    assert routing.reason == "endpoint named in the CreateInferenceComponent request, name resolved"
    # the endpoint's ARN is the component's, with the resource part for the endpoint (lower-cased, as AWS writes it)
    assert directory.calls == ["DescribeEndpoint LLM-Host", f"Search {ACCOUNT_ARN}llm-host"]


def test_create_on_an_endpoint_deleted_since_routes_nothing() -> None:
    routing = route(
        load_event("cloudtrail-create-inference-component.json"), SETTINGS, FakeDirectory(names=("ranker",))
    )

    assert routing.endpoints == ()
    assert "endpoint llm-host no longer exists" in routing.reason


@pytest.mark.parametrize("endpoint", [None, 7, ["llm-host"], "", "llm_host", "-llm"])
def test_create_without_a_usable_endpoint_name_finds_the_endpoint_through_the_component(endpoint: object) -> None:
    event = load_event("cloudtrail-create-inference-component.json")
    event["detail"]["requestParameters"]["endpointName"] = endpoint
    directory = FakeDirectory()

    routing = route(event, SETTINGS, directory)

    assert routing.endpoints == ("llm-host",)
    assert directory.calls == ["DescribeInferenceComponent Llama-Chat"]


@pytest.mark.parametrize(("call", "name"), sorted(COMPONENT_FILES.items()))
def test_component_calls_and_tags_route_to_the_endpoint_hosting_the_component(call: str, name: str) -> None:
    directory = FakeDirectory()

    routing = route(load_event(name), SETTINGS, directory)

    assert routing.endpoints == ("llm-host",)
    assert routing.reason.startswith("inference component ")
    assert routing.reason.endswith("is hosted on endpoint llm-host")
    # ARNs lower-case the component's name: the lookup finds it in any case
    looked_up = "llama-chat" if name.startswith(("cloudtrail-addtags", "tag-change")) else "Llama-Chat"
    assert directory.calls == [f"DescribeInferenceComponent {looked_up}"]


@pytest.mark.parametrize("status", ["Creating", "Updating"])
@pytest.mark.parametrize("name", sorted(COMPONENT_FILES.values()))
def test_a_component_that_is_creating_or_updating_is_not_routed(name: str, status: str) -> None:
    directory = FakeDirectory(components={"Llama-Chat": ("llm-host", status)})

    routing = route(load_event(name), SETTINGS, directory)

    assert routing.endpoints == ()
    assert f"is {status}: nothing to configure for it until it is InService" in routing.reason
    assert "llm-host" in routing.reason


@pytest.mark.parametrize("status", ["Deleting", "Failed", "InService"])
def test_a_component_deleting_or_failed_routes_so_the_reconcile_releases_what_is_owned_for_it(status: str) -> None:
    directory = FakeDirectory(components={"Llama-Chat": ("llm-host", status)})

    assert route(load_event("cloudtrail-delete-inference-component.json"), SETTINGS, directory).endpoints == (
        "llm-host",
    )


@pytest.mark.parametrize("name", sorted(COMPONENT_FILES.values()))
def test_a_deleted_component_routes_the_endpoint_holding_the_alarms_owned_for_it(name: str) -> None:
    directory = FakeDirectory(components={})

    routing = route(load_event(name), SETTINGS, directory)

    assert routing.endpoints == ("llm-host",)
    assert "no longer exists: its endpoint still holds alarms owned for it" in routing.reason
    assert directory.calls[-1] == "DescribeAlarms autoscaler/"


@pytest.mark.parametrize(
    ("alarms", "settings"),
    [
        ((), SETTINGS),
        (("autoscaler/llm-host/Llama-Chatter/scale-from-zero", "autoscaler/llm-host/AllTraffic/x"), SETTINGS),
        (("autoscaler/Llama-Chat", "autoscaler//Llama-Chat/x", "other/llm-host/Llama-Chat/x"), SETTINGS),
        (("autoscaler/llm-host/Llama-Chat/scale-from-zero",), Settings(name_prefix="team-a")),
    ],
)
def test_a_deleted_component_no_owned_alarm_names_is_dropped_saying_the_sweep_cleans_up(
    alarms: tuple[str, ...], settings: Settings
) -> None:
    directory = FakeDirectory(components={}, alarms=alarms)

    routing = route(load_event("cloudtrail-delete-inference-component.json"), settings, directory)

    assert routing.endpoints == ()
    assert routing.reason == (
        "inference component Llama-Chat no longer exists and no owned alarm names it: its endpoint cannot be found "
        "from it (the sweep removes anything left)"
    )


def test_alarms_owned_for_a_deleted_component_on_several_endpoints_route_each_once() -> None:
    alarms = (
        "autoscaler/llm-host/Llama-Chat/scale-from-zero",
        "autoscaler/llm-host/llama-chat/latency",
        "autoscaler/MyEndpoint/LLAMA-CHAT/scale-from-zero",
    )

    routing = route(
        load_event("cloudtrail-addtags-inference-component.json"), SETTINGS, FakeDirectory(components={}, alarms=alarms)
    )

    assert routing.endpoints == ("MyEndpoint", "llm-host")


def test_a_runtime_update_by_application_auto_scaling_is_a_scaling_activity_not_a_change() -> None:
    directory = FakeDirectory()

    routing = route(
        load_event("cloudtrail-update-inference-component-runtime-config-autoscaling.json"), SETTINGS, directory
    )

    assert routing.endpoints == ()
    assert routing.reason == (
        "Application Auto Scaling scaled inference component Llama-Chat: a scaling activity, not a configuration change"
    )
    assert directory.calls == []


@pytest.mark.parametrize(
    "identity",
    [
        {"userIdentity": {"invokedBy": "sagemaker.application-autoscaling.amazonaws.com"}},
        {"sourceIPAddress": "application-autoscaling.amazonaws.com"},
        {
            "userIdentity": {
                "arn": "arn:aws:sts::1:assumed-role/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint/x"
            }
        },
        {"userIdentity": {"sessionContext": {"sessionIssuer": {"userName": AAS_ROLE}}}},
        {
            "UserIdentity": {
                "SessionContext": {"SessionIssuer": {"Arn": f"arn:aws:iam::1:role/aws-service-role/x/{AAS_ROLE}"}}
            }
        },
    ],
)
def test_application_auto_scaling_is_recognised_by_any_sign_of_its_service_linked_role(
    identity: dict[str, Any],
) -> None:
    event = load_event("cloudtrail-update-inference-component-runtime-config.json")
    event["detail"].update(identity)

    assert "a scaling activity" in route(event, SETTINGS, FakeDirectory()).reason


@pytest.mark.parametrize(
    "name", ["cloudtrail-update-inference-component.json", "cloudtrail-delete-inference-component.json"]
)
def test_only_runtime_updates_by_application_auto_scaling_are_dropped(name: str) -> None:
    event = load_event(name)
    by_aas = load_event("cloudtrail-update-inference-component-runtime-config-autoscaling.json")
    event["detail"]["userIdentity"] = by_aas["detail"]["userIdentity"]

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ("llm-host",)


@pytest.mark.parametrize("component", [None, 7, ["Llama-Chat"], "", "Llama_Chat", "-llama", "l" * 64])
def test_a_component_call_without_a_usable_name_uses_the_arn_in_the_response(component: object) -> None:
    event = load_event("cloudtrail-update-inference-component.json")
    event["detail"]["requestParameters"]["inferenceComponentName"] = component
    directory = FakeDirectory()

    assert route(event, SETTINGS, directory).endpoints == ("llm-host",)
    assert directory.calls == ["DescribeInferenceComponent llama-chat"]


@pytest.mark.parametrize(
    "response",
    [
        None,
        "HIDDEN_DUE_TO_SECURITY_REASONS",
        {"inferenceComponentArn": 7},
        {"inferenceComponentArn": "arn:aws:sagemaker:us-east-1:123456789012:endpoint/llm-host"},
        {"inferenceComponentArn": "arn:aws:sagemaker:us-east-1:123456789012:inference-component/bad_name"},
    ],
)
@pytest.mark.parametrize("call", ["UpdateInferenceComponent", "DeleteInferenceComponent", "CreateInferenceComponent"])
def test_a_component_call_naming_no_component_and_no_endpoint_is_dropped(call: str, response: object) -> None:
    event = load_event("cloudtrail-update-inference-component.json")
    event["detail"]["eventName"] = call
    event["detail"]["requestParameters"] = {"inferenceComponentName": 7}
    event["detail"]["responseElements"] = response
    directory = FakeDirectory()

    routing = route(event, SETTINGS, directory)

    assert routing.endpoints == ()
    assert routing.reason.startswith(
        f"no inference component name in the {call} call: requestParameters.inferenceComponentName is the number 7"
    )
    assert routing.malformed
    assert directory.calls == []


def test_component_call_members_are_parsed_case_insensitively() -> None:
    event = load_event("cloudtrail-create-inference-component.json")
    event["detail"]["requestParameters"] = {"InferenceComponentName": "Llama-Chat", "EndpointName": "llm-host"}

    trigger = parse_event(event, SETTINGS)

    assert (trigger.arn_names, trigger.label) == (("llm-host",), "cloudtrail:CreateInferenceComponent")


def test_parsing_a_component_call_keeps_the_name_for_the_lookup_and_the_cloudtrail_event_id() -> None:
    event = load_event("cloudtrail-delete-inference-component.json")

    trigger = parse_event(event, SETTINGS)

    assert (trigger.components, trigger.names, trigger.arn_names, trigger.dropped) == (("Llama-Chat",), (), (), "")
    assert trigger.event_id == event["detail"]["eventID"]


@pytest.mark.parametrize("call", sorted(COMPONENT_CALLS))
def test_failed_component_calls_are_dropped(call: str) -> None:
    event = load_event("cloudtrail-create-inference-component-failed.json")
    event["detail"]["eventName"] = call

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert routing.reason == "the call failed (ValidationException): nothing changed"


@pytest.mark.parametrize(
    ("arn", "kind"),
    [
        ("arn:aws:sagemaker:us-east-1:123456789012:model/llama-chat", "model"),
        ("arn:aws:sagemaker:us-east-1:123456789012:inference-component/bad_name", "inference-component"),
        ("arn:aws:sagemaker:us-east-1:123456789012:inference-component/", "inference-component"),
        ("arn:aws:sagemaker:us-east-1:123456789012:inference-component/a/b", "inference-component"),
        ("arn:aws:s3:::inference-component/llama-chat", "inference-component"),
    ],
)
def test_tags_on_anything_but_an_endpoint_or_a_valid_component_arn_are_dropped(arn: object, kind: str) -> None:
    event = load_event("cloudtrail-addtags-inference-component.json")
    event["detail"]["requestParameters"]["resourceArn"] = arn

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert routing.reason == f"{kind} is not a SageMaker endpoint or inference component"


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (["team", "cost-center"], "no tag under autoscaling: changed"),
        (["autoscaling:status", "autoscaling:status-reason"], "only the controller's status tags changed"),
        (["autoscaling:enabled"], ("llm-host",)),
        (["team", "autoscaling:chat:max"], ("llm-host",)),
    ],
)
def test_component_tag_changes_are_filtered_like_endpoint_ones(
    keys: list[str], expected: tuple[str, ...] | str
) -> None:
    deletetags = load_event("cloudtrail-addtags-inference-component.json")
    deletetags["detail"]["eventName"] = "DeleteTags"
    deletetags["detail"]["requestParameters"] = {
        "resourceArn": deletetags["detail"]["requestParameters"]["resourceArn"],
        "tagKeys": keys,
    }
    tag_change = load_event("tag-change-on-resource-inference-component.json")
    tag_change["detail"]["changed-tag-keys"] = keys

    for event in (deletetags, tag_change):
        routing = route(event, SETTINGS, FakeDirectory())
        if isinstance(expected, str):
            assert (routing.endpoints, routing.reason) == ((), expected)
        else:
            assert routing.endpoints == expected


@pytest.mark.parametrize(
    ("resource_type", "arn"),
    [
        ("endpoint", COMPONENT_ARN + "llama-chat"),
        ("inference-component", ACCOUNT_ARN + "llm-host"),
        ("inference-component", "arn:aws:sagemaker:us-east-1:123456789012:model/llama-chat"),
    ],
)
def test_tag_change_whose_resource_type_and_arn_disagree_is_dropped(resource_type: str, arn: str) -> None:
    event = load_event("tag-change-on-resource-inference-component.json")
    event["detail"]["resource-type"] = resource_type
    event["resources"] = [arn]

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ()
    assert f"is not a SageMaker {resource_type} ARN" in routing.reason
    assert routing.malformed


@pytest.mark.parametrize("resources", [None, "arn", {}, [], [7]])
def test_tag_change_with_malformed_resources_is_dropped(resources: object) -> None:
    event = load_event("tag-change-on-resource-inference-component.json")
    event["resources"] = resources

    assert route(event, SETTINGS, FakeDirectory()).endpoints == ()


def test_failed_parameter_change_is_dropped() -> None:
    event = load_event("ssm-parameter-store-change-profile.json")
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

    routing = route(load_event("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == ("MyEndpoint", "fraud-detector")
    assert "GetResources autoscaling:enabled" not in directory.calls  # only the default profile needs that


def test_profile_nobody_uses_routes_nothing_and_lists_no_endpoints() -> None:
    directory = FakeDirectory(tags={})

    routing = route(load_event("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == ()
    assert [c for c in directory.calls if not c.startswith("GetResources")] == []  # no name to look up


class LaggingSearch(FakeDirectory):
    """Search's index does not show the endpoints yet (it may lag a new endpoint)."""

    def read_endpoint_names(self, tag_key: str) -> dict[str, str]:
        self.calls.append(f"Search Tags.{tag_key}")
        return {}


def test_profile_users_search_does_not_show_are_looked_up_one_by_one_at_most_ten_the_rest_counted() -> None:
    users = [f"user-{n:02}" for n in range(12)]
    profile = {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"}
    directory = LaggingSearch(names=tuple(users), tags=dict.fromkeys(users, profile))

    routing = route(load_event("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == tuple(users[:10])
    assert [c for c in directory.calls if c.startswith("DescribeEndpoint")] == [
        f"DescribeEndpoint {u}" for u in users[:10]
    ]
    assert [(d.subject, d.reason.split(":")[0]) for d in routing.dropped] == [
        ("endpoint user-10", "was past the 10 looked up"),
        ("endpoint user-11", "was past the 10 looked up"),
    ]


def test_profile_users_cost_one_tagging_read_and_one_search_whatever_their_number() -> None:
    users = [f"User-{n:03}" for n in range(250)]  # mixed case: only Search knows the real names
    profile = {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"}
    directory = FakeDirectory(names=tuple(users), tags=dict.fromkeys(users, profile))

    routing = route(load_event("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == tuple(users)
    assert directory.calls == ["GetResources autoscaling:profile", "Search Tags.autoscaling:profile"]


def test_default_profile_follows_the_default_profile_setting() -> None:
    settings = Settings(default_profile="business-hours")
    directory = FakeDirectory()

    routing = route(load_event("ssm-parameter-store-change-profile.json"), settings, directory)

    assert routing.endpoints == ("MyEndpoint", "fraud-detector")
    # Its users (naming it, or no profile tag) are all opted in: one Tagging API read finds them all.
    assert [c for c in directory.calls if c.startswith("GetResources")] == ["GetResources autoscaling:enabled"]


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
    epoch = parse_event(load_event("sagemaker-endpoint-state-change-in-service.json"), SETTINGS)
    iso = parse_event(load_event("sagemaker-endpoint-state-change-in-service-tags-list.json"), SETTINGS)

    assert epoch.time == datetime(2020, 3, 10, 9, 18, 9, 50000, tzinfo=UTC)
    assert iso.time == datetime(2026, 11, 25, 12, tzinfo=UTC)


def test_event_without_id_gets_a_fresh_one_so_it_is_never_deduplicated_away() -> None:
    event = load_event("sagemaker-endpoint-state-change-in-service.json")
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


def test_the_routed_log_carries_the_event_time() -> None:
    routing = route(load_event("sagemaker-endpoint-state-change-in-service-tags-list.json"), SETTINGS, FakeDirectory())

    assert routing.to_dict()["event_time"] == "2026-11-25T12:00:00+00:00"


# --- bad input: each field the router reads, of the wrong shape, drops the event naming the field --------------------


@pytest.mark.parametrize(
    ("file", "path", "value", "reason"),
    [
        (
            "cloudtrail-addtags.json",
            ("detail", "requestParameters", "tags"),
            5,
            "requestParameters.tags is the number 5",
        ),
        ("cloudtrail-addtags.json", ("detail", "requestParameters", "tags"), None, "requestParameters.tags is null"),
        ("cloudtrail-addtags.json", ("detail", "requestParameters", "tags"), {"key": "k"}, "tags is an object"),
        ("cloudtrail-addtags.json", ("detail", "requestParameters", "tags"), [7], "tags[0] is the number 7"),
        ("cloudtrail-addtags.json", ("detail", "requestParameters", "tags"), [{"key": []}], "tags[0].key is a list"),
        ("cloudtrail-deletetags.json", ("detail", "requestParameters", "tagKeys"), True, "tagKeys is true"),
        (
            "cloudtrail-deletetags.json",
            ("detail", "requestParameters", "tagKeys"),
            ["a", 1],
            "tagKeys[1] is the number",
        ),
        ("cloudtrail-addtags.json", ("detail", "requestParameters", "resourceArn"), 7, "resourceArn is the number 7"),
        ("cloudtrail-addtags.json", ("detail", "requestParameters"), [], "detail.requestParameters is a list"),
        ("cloudtrail-addtags.json", ("detail", "eventName"), ["AddTags"], "detail.eventName is a list"),
        ("sagemaker-endpoint-state-change-in-service.json", ("detail", "EndpointStatus"), 7, "EndpointStatus is the"),
        ("tag-change-on-resource-endpoint.json", ("resources",), 5, "resources is the number 5"),
        ("tag-change-on-resource-endpoint.json", ("detail", "changed-tag-keys"), 3, "changed-tag-keys is the number"),
        ("tag-change-on-resource-endpoint.json", ("detail", "changed-tag-keys"), [None], "changed-tag-keys[0] is null"),
        ("tag-change-on-resource-endpoint.json", ("detail", "service"), ["sagemaker"], "detail.service is a list"),
        ("tag-change-on-resource-endpoint.json", ("resources",), {"0": "arn"}, "resources is an object"),
        ("ssm-parameter-store-change-profile.json", ("detail", "name"), ["/x"], "detail.name is a list"),
        ("ssm-parameter-store-change-profile.json", ("detail", "operation"), 1, "detail.operation is the number 1"),
    ],
)
def test_a_field_the_router_reads_of_the_wrong_shape_drops_the_event_naming_the_field(
    file: str, path: tuple[str, ...], value: object, reason: str
) -> None:
    event = load_event(file)
    node = event
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    directory = FakeDirectory()

    routing = route(event, SETTINGS, directory)

    assert (routing.endpoints, routing.malformed) == ((), True)
    assert reason in routing.reason
    assert directory.calls == []  # decided from the event alone


@pytest.mark.parametrize("path", [("detail", "EndpointStatus"), ("detail", "operation"), ("detail", "eventName")])
def test_a_missing_field_the_router_reads_drops_the_event_saying_it_is_missing(path: tuple[str, str]) -> None:
    file = {
        "EndpointStatus": "sagemaker-endpoint-state-change-in-service.json",
        "operation": "ssm-parameter-store-change-profile.json",
        "eventName": "cloudtrail-addtags.json",
    }[path[1]]
    event = load_event(file)
    del event["detail"][path[1]]

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.reason == f"detail.{path[1]} is missing"
    assert routing.malformed


def test_a_value_nested_far_deeper_than_the_recursion_limit_is_dropped_by_its_type_not_stringified() -> None:
    event = load_event("cloudtrail-addtags.json")
    event["detail"]["errorCode"] = nested(DEPTH_BOMB)
    event["detail"]["eventID"] = nested(DEPTH_BOMB)

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.reason == "the call failed (a list): nothing changed"


def test_a_huge_string_is_cut_short_in_the_reason_and_the_label() -> None:
    event = load_event("ssm-parameter-store-change-profile.json")
    event["detail"]["operation"] = "Update" * 50_000
    event["detail"]["name"] = "/elsewhere/" + "p" * SIZE_BOMB

    routing = route(event, SETTINGS, FakeDirectory())

    assert "is not under /sagemaker-autoscaler/profiles/" in routing.reason
    assert len(routing.reason) < 300
    assert len(routing.trigger) < 200


def test_a_tag_change_naming_several_resources_routes_each_and_leaves_out_the_bad_ones() -> None:
    event = load_event("tag-change-on-resource-endpoint.json")
    event["resources"] = [ACCOUNT_ARN + "myendpoint", "not-an-arn", ACCOUNT_ARN + "ranker", 7, COMPONENT_ARN + "x"]

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.endpoints == ("MyEndpoint", "ranker")
    assert [(d.subject, d.reason) for d in routing.dropped] == [
        ("resources[1]", "'not-an-arn' is not a SageMaker endpoint ARN"),
        ("resources[3]", "the number 7 is not a SageMaker endpoint ARN"),
        ("resources[4]", f"'{COMPONENT_ARN}x' is not a SageMaker endpoint ARN"),
    ]
    assert not routing.malformed  # the event itself was routed


def test_a_tag_change_naming_several_components_routes_each_hosting_endpoint_once() -> None:
    event = load_event("tag-change-on-resource-inference-component.json")
    event["resources"] = [COMPONENT_ARN + "llama-chat", COMPONENT_ARN + "coder"]
    directory = FakeDirectory(components={"Llama-Chat": ("llm-host", "InService"), "Coder": ("llm-host", "InService")})

    routing = route(event, SETTINGS, directory)

    assert routing.endpoints == ("llm-host",)
    assert routing.reason == (
        "inference component llama-chat is hosted on endpoint llm-host; "
        "inference component coder is hosted on endpoint llm-host"
    )


def test_a_profile_change_routes_every_user_but_the_endpoints_whose_own_data_is_malformed() -> None:
    class Broken(FakeDirectory):
        def read_tagged_endpoints(self, tag_key: str) -> Sequence[tuple[str, dict[str, str]]]:
            good = list(super().read_tagged_endpoints(tag_key))
            bad: list[Any] = [
                (ACCOUNT_ARN + "legacy", {"autoscaling:profile": ["business-hours"], "autoscaling:enabled": "true"}),
                (ACCOUNT_ARN + "recommender", None),
                ("arn:aws:sagemaker:us-east-1:123456789012:model/m", {"autoscaling:profile": "business-hours"}),
            ]
            return good + bad

    directory = Broken(
        tags={
            "MyEndpoint": {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"},
            "fraud-detector": {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours:prod"},
        }
    )

    routing = route(load_event("ssm-parameter-store-change-profile.json"), SETTINGS, directory)

    assert routing.endpoints == ("MyEndpoint", "fraud-detector")
    assert [(d.subject, d.reason) for d in routing.dropped] == [
        ("tagged endpoint 'legacy'", "tag autoscaling:profile is a list, not a string"),
        ("tagged endpoint 'recommender'", "its tags are null, not a map"),
        (
            "tagged endpoint 'arn:aws:sagemaker:us-east-1:123456789012:model/m'",
            "is not a SageMaker endpoint ARN",
        ),
    ]


@pytest.mark.parametrize("event_id", ["e" * 65, "has spaces", "caf\u00e9", "", 7, ["x"]])
def test_an_event_id_sqs_would_refuse_in_a_deduplication_id_is_replaced_by_a_fresh_one(event_id: object) -> None:
    event = load_event("ssm-parameter-store-change-default-profile.json")
    event["id"] = event_id

    routing = route(event, SETTINGS, FakeDirectory())

    assert routing.event_id != event_id
    assert re.fullmatch(r"[!-~]{1,64}", routing.event_id)
    dedup = {deduplication_id(routing.event_id, e) for e in routing.endpoints}
    assert len(dedup) == len(routing.endpoints) == 2  # one per endpoint: none deduplicated away
