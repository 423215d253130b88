"""What the sweep reads per endpoint: a cold sweep reads the variants of all endpoints from SageMaker Search (100 per
call) and describes only what Search cannot tell; descriptions are kept per execution environment by endpoint
version; and still every drift a reconcile would find (a variant added by UpdateEndpoint, an endpoint deleted and
created again, an asynchronous endpoint)."""

from __future__ import annotations

import itertools
import json
import threading
from typing import Any

import pytest
from botocore.exceptions import ClientError

from autoscaler.errors import AwsError, TemporaryError
from autoscaler.reconciler import Deps
from autoscaler.sweep import sweep
from localaws.seed import IMAGE_URI, ROLE_ARN, VariantSeed, create_endpoint

from .conftest import BASE_TAGS, NOW, World

CPU_PROFILE = {"version": 1, "min": 1, "max": 4, "target_tracking": [{"metric": "cpu", "target": 60}]}


def fresh(world: World) -> Deps:
    """A new execution environment: the same clients, none of the caches."""
    return Deps(world.settings, world.aws.without_caches(), clock=lambda: NOW)


def add_variant(world: World, name: str) -> None:
    """UpdateEndpoint to a config with one more variant (B) than the endpoint has."""
    sagemaker = world.aws.sagemaker
    sagemaker.create_model(ModelName=f"{name}-B", PrimaryContainer={"Image": IMAGE_URI}, ExecutionRoleArn=ROLE_ARN)
    variants = [
        {"VariantName": v, "ModelName": f"{name}-{v}", "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        for v in ("AllTraffic", "B")
    ]
    sagemaker.create_endpoint_config(EndpointConfigName=f"{name}-v2", ProductionVariants=variants)
    sagemaker.update_endpoint(EndpointName=name, EndpointConfigName=f"{name}-v2")
    world.counter.reset()


def test_a_cold_sweep_reads_every_variant_in_one_search_and_a_warm_sweep_reads_none(
    world: World, reconcile_queue: str
) -> None:
    for name in ("fraud-detector", "recommender"):
        world.endpoint(name, BASE_TAGS)
        world.reconcile(name)
    deps = fresh(world)
    world.counter.reset()
    result = sweep(deps, reconcile_queue, "sweep-1")
    assert (result.drifted, result.searched, result.described) == ((), 2, 0)
    assert world.counter.calls[("sagemaker", "Search")] == 1
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 0
    world.counter.reset()

    assert sweep(deps, reconcile_queue, "sweep-2").drifted == ()
    assert world.counter.calls[("sagemaker", "Search")] == 0
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 0
    assert world.counter.calls[("sagemaker", "DescribeEndpointConfig")] == 0


def test_one_new_endpoint_is_described_rather_than_searched(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    deps = fresh(world)
    sweep(deps, reconcile_queue, "sweep-1")
    world.endpoint("recommender", BASE_TAGS)  # one endpoint not cached: one DescribeEndpoint < one Search page

    result = sweep(deps, reconcile_queue, "sweep-2")

    assert result.drifted == ("recommender",)
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 1
    assert world.counter.calls[("sagemaker", "Search")] == 0


def test_a_search_record_behind_the_listing_is_not_used(
    world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("fraud-detector", "recommender"):
        world.endpoint(name, BASE_TAGS)
        world.reconcile(name)
    deps = fresh(world)
    search = deps.aws.search_endpoints

    def lagging() -> dict[str, dict[str, Any]]:
        records = search()
        stale = records[world.arns["recommender"]]
        records[world.arns["recommender"]] = {**stale, "LastModifiedTime": "2020-01-01T00:00:00Z"}
        return records

    monkeypatch.setattr(deps.aws, "search_endpoints", lagging)
    world.counter.reset()

    result = sweep(deps, reconcile_queue, "sweep-1")

    assert (result.drifted, result.searched, result.described) == ((), 1, 1)
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 1


def _async_endpoint_with(world: World, name: str, tags: dict[str, str]) -> None:
    sagemaker = world.aws.sagemaker
    sagemaker.create_model(ModelName=name, PrimaryContainer={"Image": IMAGE_URI}, ExecutionRoleArn=ROLE_ARN)
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": name, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://bucket/out"}},
    )
    world.arns[name] = sagemaker.create_endpoint(
        EndpointName=name, EndpointConfigName=name, Tags=[{"Key": k, "Value": v} for k, v in tags.items()]
    )["EndpointArn"]


def test_an_asynchronous_endpoint_is_described_only_when_its_configuration_depends_on_it(
    world: World, reconcile_queue: str
) -> None:
    # Search records do not say whether an endpoint is asynchronous. Backlog tracking and min 0 are valid only on
    # an asynchronous endpoint: that one is described. An invocations target means the same on both: not described.
    _async_endpoint_with(
        world, "batchy", {"autoscaling:enabled": "true", "autoscaling:min": "0", "autoscaling:target-backlog": "5"}
    )
    _async_endpoint_with(world, "queued", BASE_TAGS)
    world.endpoint("fraud-detector", BASE_TAGS)
    for name in ("batchy", "queued", "fraud-detector"):
        world.reconcile(name)
    deps = fresh(world)
    world.counter.reset()

    result = sweep(deps, reconcile_queue, "sweep-1")

    assert (result.drifted, result.rejected, result.searched, result.described) == ((), (), 3, 1)
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 1
    world.counter.reset()
    assert sweep(deps, reconcile_queue, "sweep-2").drifted == ()  # warm: the description replaced the record
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 0

    world.tag("batchy", target_backlog="7")
    assert sweep(deps, reconcile_queue, "sweep-3").drifted == ("batchy",)


def test_a_variant_added_by_update_endpoint_is_drift_for_a_warm_sweep(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    deps = fresh(world)
    assert sweep(deps, reconcile_queue, "sweep-1").drifted == ()

    add_variant(world, "fraud-detector")

    assert sweep(deps, reconcile_queue, "sweep-2").drifted == ("fraud-detector",)
    world.reconcile("fraud-detector")
    assert set(world.targets("fraud-detector")) == {"AllTraffic", "B"}
    assert sweep(deps, reconcile_queue, "sweep-3").drifted == ()


def test_an_endpoint_created_again_under_its_name_is_described_again(world: World, reconcile_queue: str) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    deps = fresh(world)
    assert sweep(deps, reconcile_queue, "sweep-1").drifted == ()

    world.aws.sagemaker.delete_endpoint(EndpointName="fraud-detector")
    for variant in ("A", "B"):
        world.aws.sagemaker.create_model(
            ModelName=f"fraud-detector-{variant}", PrimaryContainer={"Image": IMAGE_URI}, ExecutionRoleArn=ROLE_ARN
        )
    world.aws.sagemaker.create_endpoint_config(
        EndpointConfigName="fraud-detector-2",
        ProductionVariants=[
            {
                "VariantName": v,
                "ModelName": f"fraud-detector-{v}",
                "InstanceType": "ml.m5.large",
                "InitialInstanceCount": 1,
            }
            for v in ("A", "B")
        ],
    )
    world.aws.sagemaker.create_endpoint(
        EndpointName="fraud-detector",
        EndpointConfigName="fraud-detector-2",
        Tags=[{"Key": k, "Value": v} for k, v in BASE_TAGS.items()],
    )

    assert sweep(deps, reconcile_queue, "sweep-2").drifted == ("fraud-detector",)


def test_reconcile_reads_the_endpoint_config_only_for_a_cpu_metric(world: World) -> None:
    world.endpoint("fraud-detector", BASE_TAGS)
    world.reconcile("fraud-detector")
    assert world.counter.calls[("sagemaker", "DescribeEndpointConfig")] == 0

    world.profile("cpu", CPU_PROFILE)
    arn = create_endpoint(
        world.aws.sagemaker,
        "ranker",
        (VariantSeed("A", "ml.m5.xlarge"), VariantSeed("B", "ml.c5.2xlarge")),
        {"autoscaling:enabled": "true", "autoscaling:profile": "cpu"},
    )
    world.arns["ranker"] = arn
    world.counter.reset()
    world.reconcile("ranker")

    # One config read for both variants' instance types, one EC2 call for both instance types' vCPUs.
    assert world.counter.calls[("sagemaker", "DescribeEndpointConfig")] == 1
    assert world.counter.calls[("ec2", "DescribeInstanceTypes")] == 1
    expressions = {
        p["ResourceId"].rsplit("/", 1)[-1]: [
            m.get("Expression")
            for m in p["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]["Metrics"]
        ]
        for p in world.policies("ranker").values()
    }
    assert expressions == {"A": [None, "cpu / 4"], "B": [None, "cpu / 8"]}


def test_a_warm_sweep_still_sees_a_cpu_metric_on_a_new_instance_type(world: World, reconcile_queue: str) -> None:
    world.profile("cpu", CPU_PROFILE)
    world.endpoint("ranker", {"autoscaling:enabled": "true", "autoscaling:profile": "cpu"})
    world.reconcile("ranker")
    deps = fresh(world)
    assert sweep(deps, reconcile_queue, "sweep-1").drifted == ()

    config = [{"VariantName": "AllTraffic", "ModelName": "ranker-AllTraffic", "InstanceType": "ml.m5.2xlarge"}]
    world.aws.sagemaker.create_endpoint_config(
        EndpointConfigName="ranker-v2", ProductionVariants=[{**config[0], "InitialInstanceCount": 1}]
    )
    # The fidelity layer refuses an instance-type change on an autoscaled variant (as SageMaker does): release it.
    world.aws.autoscaling.deregister_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId="endpoint/ranker/variant/AllTraffic",
        ScalableDimension="sagemaker:variant:DesiredInstanceCount",
    )
    world.aws.sagemaker.update_endpoint(EndpointName="ranker", EndpointConfigName="ranker-v2")

    assert sweep(deps, reconcile_queue, "sweep-2").drifted == ("ranker",)
    world.reconcile("ranker")
    policy = world.policies("ranker")["autoscaler-AllTraffic-cpu"]
    metrics = policy["TargetTrackingScalingPolicyConfiguration"]["CustomizedMetricSpecification"]["Metrics"]
    assert json.dumps(metrics).count("cpu / 8") == 1


def _search_denied(deps: Deps, monkeypatch: pytest.MonkeyPatch) -> None:
    def denied() -> dict[str, dict[str, Any]]:
        denied = "not authorized to perform: sagemaker:Search"
        raise AwsError("Search Endpoint", "Search", "AccessDeniedException", denied)

    monkeypatch.setattr(deps.aws, "search_endpoints", denied)


def test_without_search_a_cold_sweep_describes_each_endpoint_once_on_several_threads(
    world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = [f"endpoint-{n:02}" for n in range(12)]
    for name in names:
        world.endpoint(name, BASE_TAGS)
    world.reconcile("endpoint-03")
    deps = fresh(world)
    _search_denied(deps, monkeypatch)
    read = deps.aws.read_endpoint
    # The first two describes wait for each other: they pass only if two workers are inside at once (one worker
    # alone waits out the timeout, and the BrokenBarrierError fails the sweep rather than hanging it).
    together = threading.Barrier(2, timeout=5)
    arrivals = itertools.count()
    met: set[int] = set()

    def recording(name: str, **kwargs: Any) -> Any:
        if next(arrivals) < 2:
            together.wait()
            met.add(threading.get_ident())
        return read(name, **kwargs)

    monkeypatch.setattr(deps.aws, "read_endpoint", recording)
    world.counter.reset()

    result = sweep(deps, reconcile_queue, "sweep-1")

    assert result.drifted == tuple(n for n in names if n != "endpoint-03")
    assert (result.searched, result.described) == (0, 12)
    assert world.counter.calls[("sagemaker", "DescribeEndpoint")] == 12
    assert len(met) == 2  # two threads met at the barrier


def test_an_aws_failure_while_describing_fails_the_sweep(
    world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("fraud-detector", "recommender"):
        world.endpoint(name, BASE_TAGS)
    deps = fresh(world)
    _search_denied(deps, monkeypatch)

    def throttled(name: str, **_: Any) -> Any:
        raise TemporaryError(f"DescribeEndpoint {name}: ThrottlingException")

    monkeypatch.setattr(deps.aws, "read_endpoint", throttled)

    with pytest.raises(TemporaryError, match="ThrottlingException"):
        sweep(deps, reconcile_queue, "sweep-1")


def test_a_throttled_search_fails_the_sweep(
    world: World, reconcile_queue: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("fraud-detector", "recommender"):
        world.endpoint(name, BASE_TAGS)
    deps = fresh(world)
    paginator = deps.aws.sagemaker.get_paginator

    class Throttled:
        def paginate(self, **kwargs: Any) -> Any:
            error = {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}
            raise ClientError(error, "Search")  # type: ignore[arg-type]

    def throttling(operation: str) -> Any:
        return Throttled() if operation == "search" else paginator(operation)

    monkeypatch.setattr(deps.aws.sagemaker, "get_paginator", throttling)

    with pytest.raises(TemporaryError, match="Search Endpoint: ThrottlingException"):
        sweep(deps, reconcile_queue, "sweep-1")
