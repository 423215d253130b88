"""The router handler against moto: events in, one FIFO reconcile request per endpoint out."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from autoscaler.errors import TemporaryError
from autoscaler.reconciler import Status
from localaws.faults import inject
from localaws.fidelity import FidelityConfig, fidelity
from localaws.pipeline import LambdaContext
from tests.conftest import load_event

from .conftest import BASE_TAGS, COMPONENT_TAGS, Queued, World, emitted, queued

CONTEXT = LambdaContext("RouterFunction")


@pytest.fixture
def router(world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    module = importlib.import_module("functions.router.app")
    monkeypatch.setattr(module, "deps", lambda: (world.settings, world.aws, reconcile_queue))
    return module


def test_tag_event_on_a_mixed_case_endpoint_queues_its_real_name(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})
    event = load_event("cloudtrail-addtags.json")

    answer = router.handler(event, CONTEXT)

    assert answer["endpoints"] == ["MyEndpoint"]
    event_id = event["detail"]["eventID"]
    assert queued(world, reconcile_queue) == [
        Queued("MyEndpoint", "cloudtrail:AddTags", "MyEndpoint", f"{event_id}:MyEndpoint")
    ]


def test_state_change_queues_the_endpoint_with_the_event_id_for_deduplication(
    world: World, reconcile_queue: str, router: Any
) -> None:
    event = load_event("sagemaker-endpoint-state-change-in-service-tags-list.json")

    router.handler(event, CONTEXT)

    assert queued(world, reconcile_queue) == [
        Queued("fraud-detector", "aws.sagemaker:IN_SERVICE", "fraud-detector", f"{event['id']}:fraud-detector")
    ]


def test_the_same_event_delivered_twice_is_queued_once(world: World, reconcile_queue: str, router: Any) -> None:
    event = load_event("sagemaker-endpoint-state-change-in-service-tags-list.json")

    router.handler(event, CONTEXT)
    router.handler(event, CONTEXT)

    assert len(queued(world, reconcile_queue)) == 1


def test_a_second_change_of_the_same_endpoint_within_minutes_is_not_lost(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})
    first, second = load_event("cloudtrail-addtags.json"), load_event("cloudtrail-deletetags.json")

    router.handler(first, CONTEXT)
    router.handler(second, CONTEXT)

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

    router.handler(load_event("ssm-parameter-store-change-default-profile.json"), CONTEXT)

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

    router.handler(load_event("ssm-parameter-store-change-profile.json"), CONTEXT)

    assert sorted(q.endpoint for q in queued(world, reconcile_queue)) == ["Ranker-EU", "ranker"]


@pytest.mark.parametrize(
    "name",
    [
        "cloudtrail-addtags-status-only.json",
        "cloudtrail-addtags-failed.json",
        "cloudtrail-addtags-endpoint-config.json",
        "cloudtrail-create-inference-component-failed.json",
        "cloudtrail-update-inference-component-runtime-config-autoscaling.json",
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

    answer = router.handler(load_event(name), CONTEXT)

    assert answer["endpoints"] == []
    assert answer["reason"]
    assert queued(world, reconcile_queue) == []


def test_tag_event_for_an_endpoint_deleted_since_queues_nothing(
    world: World, reconcile_queue: str, router: Any
) -> None:
    answer = router.handler(load_event("cloudtrail-addtags.json"), CONTEXT)

    assert answer["endpoints"] == []
    assert "no longer exists" in answer["reason"]
    assert queued(world, reconcile_queue) == []


# --- inference components ----------------------------------------------------------------------------------------

HOST_TAGS = {"autoscaling:enabled": "true", "autoscaling:inference-components": "true"}


def component(world: World, name: str = "Llama-Chat", endpoint: str = "llm-host", **tags: str) -> str:
    """An InService inference component (the fidelity layer gives moto the API)."""
    arn = world.aws.sagemaker.create_inference_component(
        InferenceComponentName=name,
        EndpointName=endpoint,
        VariantName="AllTraffic",
        Specification={"ModelName": "llama-chat-model", "ComputeResourceRequirements": {"MinMemoryRequiredInMb": 1024}},
        RuntimeConfig={"CopyCount": 1},
        Tags=[{"Key": k, "Value": v} for k, v in tags.items()],
    )["InferenceComponentArn"]
    world.counter.reset()
    return str(arn)


def owned_alarms(world: World, endpoint: str) -> list[str]:
    found = world.aws.cloudwatch.describe_alarms(AlarmNamePrefix=f"autoscaler/{endpoint}/")["MetricAlarms"]
    return [a["AlarmName"] for a in found]


def test_create_component_queues_the_endpoint_named_in_the_request_by_its_real_name(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("LLM-Host", HOST_TAGS)
    event = load_event("cloudtrail-create-inference-component.json")  # endpointName "llm-host", as the caller typed it

    answer = router.handler(event, CONTEXT)

    assert answer["reason"] == "endpoint named in the CreateInferenceComponent request, name resolved"
    event_id = event["detail"]["eventID"]
    assert queued(world, reconcile_queue) == [
        Queued("LLM-Host", "cloudtrail:CreateInferenceComponent", "LLM-Host", f"{event_id}:LLM-Host")
    ]


@pytest.mark.parametrize(
    "name",
    [
        "cloudtrail-update-inference-component.json",
        "cloudtrail-update-inference-component-runtime-config.json",
        "cloudtrail-addtags-inference-component.json",  # the ARN lower-cases the component's mixed-case name
        "tag-change-on-resource-inference-component.json",
    ],
)
def test_component_calls_and_tags_queue_the_endpoint_hosting_the_component(
    world: World, reconcile_queue: str, router: Any, name: str
) -> None:
    world.endpoint("llm-host", HOST_TAGS)
    world.endpoint("other-host", HOST_TAGS)
    component(world, "Llama-Chat", "llm-host")
    component(world, "llama-chatter", "other-host")

    answer = router.handler(load_event(name), CONTEXT)

    assert answer["reason"] in (
        "inference component Llama-Chat is hosted on endpoint llm-host",
        "inference component llama-chat is hosted on endpoint llm-host",
    )
    assert [(q.endpoint, q.group) for q in queued(world, reconcile_queue)] == [("llm-host", "llm-host")]


def test_a_component_update_while_the_component_is_updating_queues_nothing(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("llm-host", HOST_TAGS)
    component(world, "Llama-Chat", "llm-host", **COMPONENT_TAGS)
    assert world.reconcile("llm-host").status is Status.APPLIED
    clock = [0.0]
    with fidelity(FidelityConfig(endpoint_transition_seconds=60, clock=lambda: clock[0])):
        world.aws.sagemaker.update_inference_component_runtime_config(
            InferenceComponentName="Llama-Chat", DesiredRuntimeConfig={"CopyCount": 2}
        )

        answer = router.handler(load_event("cloudtrail-update-inference-component-runtime-config.json"), CONTEXT)

        assert answer["endpoints"] == []
        assert answer["reason"].startswith("inference component Llama-Chat is Updating: nothing to configure")
        assert queued(world, reconcile_queue) == []

        clock[0] += 60  # InService again: the same event now wakes the endpoint
        answer = router.handler(load_event("cloudtrail-update-inference-component.json"), CONTEXT)
        assert answer["endpoints"] == ["llm-host"]


def test_a_scaling_activity_of_application_auto_scaling_queues_nothing(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("llm-host", HOST_TAGS)
    component(world, "Llama-Chat", "llm-host")

    answer = router.handler(
        load_event("cloudtrail-update-inference-component-runtime-config-autoscaling.json"), CONTEXT
    )

    assert "a scaling activity" in answer["reason"]
    assert queued(world, reconcile_queue) == []
    assert world.counter.reads == {}  # decided from the event alone


def test_deleting_a_component_queues_its_endpoint_whose_reconcile_deletes_the_alarm_owned_for_it(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("llm-host", HOST_TAGS)
    component(world, "Llama-Chat", "llm-host", **COMPONENT_TAGS)
    assert world.reconcile("llm-host").status is Status.APPLIED
    assert owned_alarms(world, "llm-host") == ["autoscaler/llm-host/Llama-Chat/scale-from-zero"]

    world.aws.sagemaker.delete_inference_component(InferenceComponentName="Llama-Chat")
    answer = router.handler(load_event("cloudtrail-delete-inference-component.json"), CONTEXT)

    assert (
        answer["reason"]
        == "inference component Llama-Chat no longer exists: its endpoint still holds alarms owned for it"
    )
    assert [q.endpoint for q in queued(world, reconcile_queue)] == ["llm-host"]
    outcome = world.reconcile("llm-host")
    assert [(a.verb, a.subject) for a in outcome.actions] == [
        ("DeleteAlarms", "autoscaler/llm-host/Llama-Chat/scale-from-zero")
    ]
    assert owned_alarms(world, "llm-host") == []
    targets = world.aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert [t["ResourceId"] for t in targets] == ["endpoint/llm-host/variant/AllTraffic"]
    assert world.reconcile("llm-host").status is Status.UNCHANGED


def test_deleting_a_component_nothing_is_owned_for_queues_nothing_and_says_the_sweep_cleans_up(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("llm-host", HOST_TAGS)
    component(world, "Llama-Chat", "llm-host", **{**COMPONENT_TAGS, "autoscaling:min": "1"})  # no step alarm
    assert world.reconcile("llm-host").status is Status.APPLIED
    world.aws.sagemaker.delete_inference_component(InferenceComponentName="Llama-Chat")

    answer = router.handler(load_event("cloudtrail-delete-inference-component.json"), CONTEXT)

    assert answer["endpoints"] == []
    assert "the sweep removes anything left" in answer["reason"]
    assert queued(world, reconcile_queue) == []


@pytest.mark.filterwarnings("ignore:No application metrics to publish")  # the handler raised before adding any
def test_a_throttled_component_lookup_is_temporary_so_lambda_retries_the_event(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("llm-host", HOST_TAGS)
    component(world, "Llama-Chat", "llm-host")
    throttled = inject(world.aws.sagemaker, "DescribeInferenceComponent", "ThrottlingException")

    with throttled as hit, pytest.raises(TemporaryError, match="DescribeInferenceComponent Llama-Chat: Throttling"):
        router.handler(load_event("cloudtrail-update-inference-component.json"), CONTEXT)

    assert hit
    assert queued(world, reconcile_queue) == []


# --- bad input: dropped with a reason, counted, never raised; one bad endpoint never holds back the others ----------


@pytest.fixture
def fresh_metrics(router: Any) -> None:
    router.metrics.clear_metrics()  # library calls of earlier tests ran outside a handler, which would flush them


@pytest.mark.parametrize(
    ("file", "member", "value", "reason"),
    [
        ("cloudtrail-addtags.json", "tags", 5, "requestParameters.tags is the number 5, not a list"),
        ("cloudtrail-addtags.json", "tags", True, "requestParameters.tags is true, not a list"),
        ("cloudtrail-deletetags.json", "tagKeys", 0, "requestParameters.tagKeys is the number 0, not a list"),
        ("cloudtrail-deletetags.json", "tagKeys", False, "requestParameters.tagKeys is false, not a list"),
    ],
)
@pytest.mark.usefixtures("fresh_metrics")
def test_a_tag_call_whose_tags_are_a_number_or_a_boolean_is_dropped_naming_the_field_and_counted(
    world: World,
    reconcile_queue: str,
    router: Any,
    capsys: pytest.CaptureFixture[str],
    file: str,
    member: str,
    value: object,
    reason: str,
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})
    event = load_event(file)
    event["detail"]["requestParameters"][member] = value

    answer = router.handler(event, CONTEXT)

    assert (answer["endpoints"], answer["reason"]) == ([], reason)
    assert queued(world, reconcile_queue) == []
    assert emitted(capsys.readouterr().out, "DroppedEvents") == [1.0]


@pytest.mark.usefixtures("fresh_metrics")
def test_a_profile_change_queues_every_user_but_the_endpoint_whose_tags_are_malformed(
    world: World, reconcile_queue: str, router: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ranker", "Ranker-EU", "ranker-us"):
        world.endpoint(name, {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"})
    tagged = world.aws.read_tagged_endpoints
    broken = ("arn:aws:sagemaker:us-east-1:123456789012:endpoint/ranker-us", {"autoscaling:profile": None})
    monkeypatch.setattr(
        world.aws,
        "read_tagged_endpoints",
        lambda key: [broken if arn.endswith("/ranker-us") else (arn, tags) for arn, tags in tagged(key)],
    )

    answer = router.handler(load_event("ssm-parameter-store-change-profile.json"), CONTEXT)

    assert sorted(q.endpoint for q in queued(world, reconcile_queue)) == ["Ranker-EU", "ranker"]
    assert answer["dropped"] == [
        {"subject": "tagged endpoint 'ranker-us'", "reason": "tag autoscaling:profile is null, not a string"}
    ]
    assert emitted(capsys.readouterr().out, "DroppedEndpoints") == [1.0]


@pytest.mark.filterwarnings("ignore:No application metrics to publish")  # the handler raised before adding any
def test_a_throttled_tagging_read_during_a_profile_fan_out_still_fails_the_invocation_so_lambda_retries(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("ranker", {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"})
    throttled = inject(world.aws.client("resourcegroupstaggingapi"), "GetResources", "ThrottlingException")

    with throttled as hit, pytest.raises(TemporaryError, match="GetResources autoscaling:profile: Throttling"):
        router.handler(load_event("ssm-parameter-store-change-profile.json"), CONTEXT)

    assert hit
    assert queued(world, reconcile_queue) == []


# --- the AWS calls of a tag event do not grow with the fleet -----------------------------------------------------


def test_a_tag_event_costs_the_same_aws_calls_at_10_and_at_300_endpoints(
    world: World, reconcile_queue: str, router: Any
) -> None:
    world.endpoint("MyEndpoint", {"autoscaling:enabled": "true"})  # mixed case: DescribeEndpoint misses, Search finds
    event = load_event("cloudtrail-addtags.json")

    def calls_at(fleet: int) -> dict[tuple[str, str], int]:
        for number in range(len(world.arns), fleet):
            world.endpoint(f"endpoint-{number:03}")
        world.counter.reset()
        assert router.handler(event, CONTEXT)["endpoints"] == ["MyEndpoint"]
        return dict(world.counter.calls)

    at_10, at_300 = calls_at(10), calls_at(300)

    # (the queue's client is made after the counter attached, so its one SendMessageBatch is not counted here)
    assert at_10 == at_300 == {("sagemaker", "DescribeEndpoint"): 1, ("sagemaker", "Search"): 1}
