"""The whole chain over HTTP against the moto_server launcher.

An events/ file -> moto's EventBridge with the template's rules -> (the captured event, as Lambda would receive it)
-> the router handler in-process -> the FIFO queue -> a poller delivering batches as the SQS event source mapping
would -> the reconciler handler -> the Application Auto Scaling state. Every handler runs with the environment the
template gives it, pointed at the local AWS.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from localaws.pipeline import Deployed, EventSourceMapping, Function, Template, deploy, put_event
from localaws.seed import create_endpoint
from localaws.server import LocalAws
from tests.conftest import load_event

pytestmark = pytest.mark.e2e

PROFILES = "/sagemaker-autoscaler/profiles"
INVOCATIONS = "SageMakerVariantInvocationsPerInstance"


@dataclass
class Chain:
    local: LocalAws
    deployed: Deployed
    router: Function
    reconciler: Function
    sweeper: Function
    mapping: EventSourceMapping

    def client(self, service: str) -> Any:
        return self.local.client(service)

    def publish(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """EventBridge: put the event, and return what the rules delivered (each is a router invocation)."""
        put_event(self.client("events"), event)
        sqs = self.client("sqs")
        delivered = []
        for url in self.deployed.captures.values():
            for message in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
                sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                delivered.append(json.loads(message["Body"]))
        return delivered

    def route(self, name: str) -> list[dict[str, Any]]:
        """An events/ file through EventBridge into the router; returns the router's answers."""
        return [self.router(event) for event in self.publish(load_event(name))]

    def targets(self) -> dict[str, tuple[int, int]]:
        found = self.client("application-autoscaling").describe_scalable_targets(ServiceNamespace="sagemaker")
        return {t["ResourceId"]: (t["MinCapacity"], t["MaxCapacity"]) for t in found["ScalableTargets"]}

    def policies(self) -> dict[str, float]:
        found = self.client("application-autoscaling").describe_scaling_policies(ServiceNamespace="sagemaker")
        return {
            p["PolicyName"]: p["TargetTrackingScalingPolicyConfiguration"]["TargetValue"]
            for p in found["ScalingPolicies"]
        }


@dataclass
class Stack:
    local: LocalAws
    template: Template
    functions: dict[str, Function]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    """One server and one set of functions (each with its clients, created once as in a warm Lambda)."""
    with LocalAws() as local:
        template = Template.load()
        deploy(template, local.endpoint_url)  # resolves the queue URL the functions' environment names
        environment = {"AWS_ENDPOINT_URL": local.endpoint_url, "AWS_MAX_ATTEMPTS": "1"}
        names = ("RouterFunction", "ReconcilerFunction", "SweeperFunction")
        yield Stack(local, template, {name: Function(template, name, environment) for name in names})
        local.reset()  # moto's backends are per process: leave nothing to later tests


@pytest.fixture
def chain(stack: Stack) -> Chain:
    """A clean server with the stack's resources deployed again (same names, so the same queue URL)."""
    stack.local.reset()
    deployed = deploy(stack.template, stack.local.endpoint_url, capture=True)
    functions = stack.functions
    mapping = EventSourceMapping(stack.local.client("sqs"), deployed.queue_url, functions["ReconcilerFunction"])
    return Chain(
        stack.local,
        deployed,
        functions["RouterFunction"],
        functions["ReconcilerFunction"],
        functions["SweeperFunction"],
        mapping,
    )


def test_addtags_on_a_mixed_case_endpoint_gives_its_configured_scaling(chain: Chain) -> None:
    create_endpoint(
        chain.client("sagemaker"), "MyEndpoint", tags={"autoscaling:enabled": "true", "autoscaling:max": "6"}
    )

    answers = chain.route("cloudtrail-addtags.json")
    delivered = chain.mapping.drain()

    assert [a["endpoints"] for a in answers] == [["MyEndpoint"]]
    assert delivered == 1
    assert chain.mapping.failed == []
    assert chain.targets() == {"endpoint/MyEndpoint/variant/AllTraffic": (1, 6)}
    assert chain.policies() == {"autoscaler-AllTraffic-invocations": 70.0}


def test_in_service_event_with_the_stack_default_profile(chain: Chain) -> None:
    create_endpoint(chain.client("sagemaker"), "fraud-detector", tags={"autoscaling:enabled": "true"})

    chain.route("sagemaker-endpoint-state-change-in-service-tags-list.json")
    chain.mapping.drain()

    assert chain.targets() == {"endpoint/fraud-detector/variant/AllTraffic": (1, 4)}
    assert chain.policies() == {"autoscaler-AllTraffic-invocations": 70.0}


def test_profile_change_reconciles_the_endpoints_using_it(chain: Chain) -> None:
    sagemaker, ssm = chain.client("sagemaker"), chain.client("ssm")
    profile = {"version": 1, "min": 2, "max": 8, "target_tracking": [{"metric": "invocations", "target": 150}]}
    ssm.put_parameter(Name=f"{PROFILES}/business-hours", Value=json.dumps(profile), Type="String")
    tags = {"autoscaling:enabled": "true", "autoscaling:profile": "business-hours"}
    create_endpoint(sagemaker, "ranker", tags=tags)
    create_endpoint(sagemaker, "fraud-detector", tags={"autoscaling:enabled": "true"})

    answers = chain.route("ssm-parameter-store-change-profile.json")
    chain.mapping.drain()

    assert [a["endpoints"] for a in answers] == [["ranker"]]
    assert chain.targets() == {"endpoint/ranker/variant/AllTraffic": (2, 8)}
    assert chain.policies() == {"autoscaler-AllTraffic-invocations": 150.0}


def test_deletetags_of_the_opt_in_removes_what_the_controller_made(chain: Chain) -> None:
    sagemaker = chain.client("sagemaker")
    arn = create_endpoint(sagemaker, "MyEndpoint", tags={"autoscaling:enabled": "true"})
    chain.route("cloudtrail-addtags.json")
    chain.mapping.drain()
    assert chain.targets() == {"endpoint/MyEndpoint/variant/AllTraffic": (1, 4)}

    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["autoscaling:enabled"])
    chain.route("cloudtrail-deletetags.json")
    chain.mapping.drain()

    assert chain.targets() == {}
    assert chain.policies() == {}


def test_status_only_and_failed_calls_reach_no_reconcile(chain: Chain) -> None:
    create_endpoint(chain.client("sagemaker"), "MyEndpoint", tags={"autoscaling:enabled": "true"})

    chain.route("cloudtrail-addtags-status-only.json")
    chain.route("cloudtrail-addtags-failed.json")

    assert chain.mapping.drain() == 0
    assert chain.targets() == {}


def test_sweep_enqueues_what_no_event_announced_and_then_nothing(chain: Chain) -> None:
    sagemaker = chain.client("sagemaker")
    create_endpoint(sagemaker, "fraud-detector", tags={"autoscaling:enabled": "true"})
    create_endpoint(sagemaker, "recommender", tags={"autoscaling:enabled": "true", "autoscaling:max": "3"})
    create_endpoint(sagemaker, "not-managed")

    first = chain.sweeper(load_event("schedule-sweep.json"))
    chain.mapping.drain()
    second = chain.sweeper({**load_event("schedule-sweep.json"), "id": "second-sweep"})

    assert first["drifted"] == ["fraud-detector", "recommender"]
    assert chain.targets() == {
        "endpoint/fraud-detector/variant/AllTraffic": (1, 4),
        "endpoint/recommender/variant/AllTraffic": (1, 3),
    }
    assert second["drifted"] == []
    assert chain.mapping.drain() == 0


def test_one_batch_carries_several_endpoints_each_in_its_own_group(chain: Chain) -> None:
    sagemaker = chain.client("sagemaker")
    names = [f"endpoint-{n}" for n in range(12)]
    for name in names:
        create_endpoint(sagemaker, name, tags={"autoscaling:enabled": "true"})

    chain.sweeper(load_event("schedule-sweep.json"))
    chain.mapping.drain()

    sizes = [len(event["Records"]) for event in chain.mapping.delivered]
    assert max(sizes) <= 10
    assert sum(sizes) == 12
    groups = [r["attributes"]["MessageGroupId"] for event in chain.mapping.delivered for r in event["Records"]]
    assert sorted(groups) == sorted(names)
    assert len(chain.targets()) == 12
