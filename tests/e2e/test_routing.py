"""Every events/ file through moto's EventBridge over HTTP, against the template's real rule patterns.

put_events -> the rules of the translated template (patterns resolved with the stack's parameters) -> one SQS capture
queue per rule. Each file must be matched by exactly the rule meant for it, or by none where the template filters it
out on purpose (a failed CloudTrail call, a transient endpoint status, another service's tag change, a parameter outside
the profile prefix). Files that are not EventBridge events (the SQS batch, on-demand payloads) are direct invocations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from localaws.pipeline import Deployed, Template, deploy, put_event
from localaws.server import LocalAws
from tests.conftest import EVENTS, load_event

pytestmark = pytest.mark.e2e


STATE_CHANGE = "RouterFunctionEndpointStateChange"
CLOUDTRAIL = "RouterFunctionSageMakerCallViaCloudTrail"
TAG_CHANGE = "RouterFunctionTagChangeOnResource"
PROFILE = "RouterFunctionProfileChange"
SCHEDULE = "SweeperFunctionSweep"

# file -> the one rule that matches it (None: no rule, on purpose)
RULE_FOR: dict[str, str | None] = {
    "sagemaker-endpoint-state-change-in-service.json": STATE_CHANGE,
    "sagemaker-endpoint-state-change-in-service-tags-list.json": STATE_CHANGE,
    "sagemaker-endpoint-state-change-deleting.json": STATE_CHANGE,
    "sagemaker-endpoint-state-change-deleted.json": STATE_CHANGE,
    "sagemaker-endpoint-state-change-updating.json": None,
    "cloudtrail-addtags.json": CLOUDTRAIL,
    "cloudtrail-deletetags.json": CLOUDTRAIL,
    "cloudtrail-addtags-status-only.json": CLOUDTRAIL,  # the router ignores it: status keys only
    "cloudtrail-addtags-endpoint-config.json": CLOUDTRAIL,  # the router ignores it: not an endpoint
    "cloudtrail-addtags-failed.json": None,  # errorCode excluded in the pattern
    "cloudtrail-addtags-inference-component.json": CLOUDTRAIL,
    "cloudtrail-create-inference-component.json": CLOUDTRAIL,
    "cloudtrail-create-inference-component-failed.json": None,  # errorCode excluded in the pattern
    "cloudtrail-update-inference-component.json": CLOUDTRAIL,
    "cloudtrail-update-inference-component-runtime-config.json": CLOUDTRAIL,
    "cloudtrail-update-inference-component-runtime-config-autoscaling.json": CLOUDTRAIL,  # the router drops it
    "cloudtrail-delete-inference-component.json": CLOUDTRAIL,
    "tag-change-on-resource-endpoint.json": TAG_CHANGE,
    "tag-change-on-resource-inference-component.json": TAG_CHANGE,
    "tag-change-on-resource-ec2.json": None,
    "ssm-parameter-store-change-profile.json": PROFILE,
    "ssm-parameter-store-change-default-profile.json": PROFILE,
    "ssm-parameter-store-change-label.json": PROFILE,
    "ssm-parameter-store-change-other-parameter.json": None,
    "schedule-sweep.json": None,  # made by the schedule rule, never matched by a pattern
}
DIRECT_INVOCATIONS = {"sqs-reconcile-batch.json", "capacity-set-count.json", "capacity-set-count-with-hold.json"}


@pytest.fixture(scope="module")
def stack() -> Iterator[tuple[LocalAws, Deployed]]:
    with LocalAws() as local:
        yield local, deploy(Template.load(), local.endpoint_url, capture=True)
        local.reset()  # moto's backends are per process: leave nothing to later tests


def captured(local: LocalAws, deployed: Deployed) -> dict[str, list[dict[str, Any]]]:
    """What each rule delivered since the last call (read and deleted)."""
    sqs = local.client("sqs")
    found: dict[str, list[dict[str, Any]]] = {}
    for rule, url in deployed.captures.items():
        messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
        for message in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        if messages:
            found[rule] = [json.loads(m["Body"]) for m in messages]
    return found


def test_every_event_file_is_either_routed_here_or_a_direct_invocation() -> None:
    assert sorted(p.name for p in EVENTS.glob("*.json")) == sorted(set(RULE_FOR) | DIRECT_INVOCATIONS)


@pytest.mark.parametrize(("name", "rule"), sorted(RULE_FOR.items()))
def test_event_file_is_matched_by_exactly_its_rule(
    stack: tuple[LocalAws, Deployed], name: str, rule: str | None
) -> None:
    local, deployed = stack
    captured(local, deployed)  # nothing left from another test
    event = load_event(name)

    put_event(local.client("events"), event)

    found = captured(local, deployed)
    assert sorted(found) == ([rule] if rule else [])
    if rule:
        (delivered,) = found[rule]
        assert delivered["detail"] == event["detail"]
        assert delivered["detail-type"] == event["detail-type"]


def test_the_schedule_rule_runs_the_sweep_on_the_stack_schedule(stack: tuple[LocalAws, Deployed]) -> None:
    local, deployed = stack

    rule = local.client("events").describe_rule(Name=deployed.rules[SCHEDULE])

    assert rule["ScheduleExpression"] == "rate(15 minutes)"
    assert "EventPattern" not in rule


@pytest.mark.parametrize("name", sorted(DIRECT_INVOCATIONS))
def test_direct_invocation_payloads_are_not_eventbridge_events(name: str) -> None:
    assert "source" not in load_event(name)


def test_profile_rule_follows_the_profile_prefix_parameter() -> None:
    with LocalAws() as local:
        deployed = deploy(Template.load(overrides={"ProfilePrefix": "/team-a/profiles"}), local.endpoint_url)
        event = load_event("ssm-parameter-store-change-profile.json")
        put_event(local.client("events"), event)
        assert captured(local, deployed) == {}

        event["detail"]["name"] = "/team-a/profiles/business-hours"
        put_event(local.client("events"), event)
        assert sorted(captured(local, deployed)) == [PROFILE]
        local.reset()
