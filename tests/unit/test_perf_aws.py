"""The cheap paths of autoscaler.aws: clients made on first use, AWS's largest pages, descriptions without the
endpoint config (read only when an instance type is needed)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber

from autoscaler.aws import Aws, EndpointSummary
from autoscaler.spec import VariantKind

CREATED = datetime(2026, 1, 1, tzinfo=UTC)
ARN = "arn:aws:sagemaker:us-east-1:123456789012:endpoint/async-ep"


class CountingSession:
    """A boto3 session that counts the clients made from it."""

    def __init__(self) -> None:
        self.session = boto3.session.Session(region_name="us-east-1")
        self.made: list[str] = []

    def client(self, name: str, **kwargs: Any) -> Any:
        self.made.append(name)
        return self.session.client(name, **kwargs)  # type: ignore[call-overload]


def test_clients_are_made_on_first_use_and_extras_share_the_session() -> None:
    session = CountingSession()
    aws = Aws.create(session, max_attempts=3)  # type: ignore[arg-type]
    assert session.made == []

    aws.sagemaker.meta  # noqa: B018 - the first use
    aws.client("sqs")
    aws.client("sqs")

    assert session.made == ["sagemaker", "sqs"]
    assert aws.client("sqs").meta.config.retries == {"mode": "standard", "total_max_attempts": 3}


def test_the_sweeper_rate_limits_its_clients_and_keeps_the_attempts(monkeypatch: Any) -> None:
    """botocore's adaptive mode (client-side rate limiting) with total_max_attempts as AWS_MAX_ATTEMPTS sets it."""
    import importlib

    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "4")
    monkeypatch.setenv("QUEUE_URL", "https://sqs.us-east-1.amazonaws.com/123456789012/reconcile.fifo")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    sweeper = importlib.import_module("functions.sweeper.app")
    sweeper.deps.cache_clear()
    try:
        deps, _ = sweeper.deps()
        assert deps.aws.sagemaker.meta.config.retries == {"mode": "adaptive", "total_max_attempts": 4}
        assert deps.aws.client("sqs").meta.config.retries == {"mode": "adaptive", "total_max_attempts": 4}
    finally:
        sweeper.deps.cache_clear()


def stubbed(service: str) -> tuple[Any, Stubber]:
    client = boto3.client(service, region_name="us-east-1")  # type: ignore[call-overload]
    return client, Stubber(client)


def test_the_namespace_is_read_in_aws_largest_pages() -> None:
    autoscaling, aas = stubbed("application-autoscaling")
    cloudwatch, cw = stubbed("cloudwatch")
    scope = {"ServiceNamespace": "sagemaker"}
    aas.add_response("describe_scalable_targets", {"ScalableTargets": []}, {**scope, "MaxResults": 50})
    aas.add_response("describe_scaling_policies", {"ScalingPolicies": []}, {**scope, "MaxResults": 10})
    aas.add_response("describe_scheduled_actions", {"ScheduledActions": []}, {**scope, "MaxResults": 50})
    cw.add_response(
        "describe_alarms",
        {"MetricAlarms": []},
        {"AlarmNamePrefix": "autoscaler/", "AlarmTypes": ["MetricAlarm"], "MaxRecords": 100},
    )
    aws = Aws(None, autoscaling, cloudwatch, None, None, None)

    with aas, cw:
        assert aws.read_namespace("autoscaler") == {"targets": [], "policies": [], "schedules": [], "alarms": []}


def describe_async_endpoint(modified: datetime) -> dict[str, Any]:
    return {
        "EndpointName": "async-ep",
        "EndpointArn": ARN,
        "EndpointConfigName": "async-ep-config",
        "EndpointStatus": "InService",
        "CreationTime": CREATED,
        "LastModifiedTime": modified,
        "AsyncInferenceConfig": {"OutputConfig": {"S3OutputPath": "s3://bucket/out"}},
        "ProductionVariants": [{"VariantName": "AllTraffic", "CurrentInstanceCount": 1}],
    }


def test_a_description_without_the_config_reads_it_once_when_an_instance_type_is_needed() -> None:
    sagemaker, sm = stubbed("sagemaker")
    ec2, ec = stubbed("ec2")
    sm.add_response("describe_endpoint", describe_async_endpoint(CREATED), {"EndpointName": "async-ep"})
    sm.add_response(
        "describe_endpoint_config",
        {
            "EndpointConfigName": "async-ep-config",
            "EndpointConfigArn": f"{ARN}-config",
            "CreationTime": CREATED,
            "ProductionVariants": [{"VariantName": "AllTraffic", "ModelName": "m", "InstanceType": "ml.g5.xlarge"}],
        },
        {"EndpointConfigName": "async-ep-config"},
    )
    aws = Aws(sagemaker, None, None, None, None, ec2)

    with sm, ec:
        endpoint = aws.read_endpoint("async-ep", instance_types=False)
        assert endpoint is not None
        assert [(v.name, v.kind, v.instance_type) for v in endpoint.variants] == [
            ("AllTraffic", VariantKind.ASYNC, None)
        ]
        assert endpoint.instance_type("AllTraffic") == "ml.g5.xlarge"
        assert endpoint.instance_type("AllTraffic") == "ml.g5.xlarge"  # the config is cached
        assert endpoint.instance_type("Other") is None


def test_a_listed_description_is_reused_while_the_version_holds() -> None:
    sagemaker, sm = stubbed("sagemaker")
    later = datetime(2026, 2, 1, tzinfo=UTC)
    sm.add_response("describe_endpoint", describe_async_endpoint(CREATED), {"EndpointName": "async-ep"})
    sm.add_response("describe_endpoint", describe_async_endpoint(later), {"EndpointName": "async-ep"})
    aws = Aws(sagemaker, None, None, None, None, None)
    version = f"{CREATED}|{CREATED}"

    with sm:
        first = aws.describe_listed(EndpointSummary("async-ep", ARN, "InService", version))
        again = aws.describe_listed(EndpointSummary("async-ep", ARN, "InService", version))
        updated = aws.describe_listed(EndpointSummary("async-ep", ARN, "InService", f"{CREATED}|{later}"))

    assert first is again
    assert updated is not None
    assert updated.version == f"{CREATED}|{later}"
    sm.assert_no_pending_responses()


def test_a_listed_endpoint_that_is_not_in_service_is_described_every_time() -> None:
    sagemaker, sm = stubbed("sagemaker")
    updating = {**describe_async_endpoint(CREATED), "EndpointStatus": "Updating"}
    sm.add_response("describe_endpoint", updating, {"EndpointName": "async-ep"})
    sm.add_response("describe_endpoint", updating, {"EndpointName": "async-ep"})
    aws = Aws(sagemaker, None, None, None, None, None)
    listed = EndpointSummary("async-ep", ARN, "Updating", f"{CREATED}|{CREATED}")

    with sm:
        assert aws.describe_listed(listed) is not None
        assert aws.describe_listed(listed) is not None
    sm.assert_no_pending_responses()


def search_record(name: str, variant: dict[str, Any], modified: datetime = CREATED) -> dict[str, Any]:
    """A SageMaker Search record of an endpoint, as the Endpoint data type has it (no AsyncInferenceConfig)."""
    return {
        "Endpoint": {
            "EndpointName": name,
            "EndpointArn": f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{name}",
            "EndpointConfigName": name,
            "ProductionVariants": [variant],
            "EndpointStatus": "InService",
            "CreationTime": CREATED,
            "LastModifiedTime": modified,
            "Tags": [],
        }
    }


def described(name: str, variant: dict[str, Any]) -> dict[str, Any]:
    """The DescribeEndpoint answer for the same endpoint (it has no Tags member)."""
    return {k: v for k, v in search_record(name, variant)["Endpoint"].items() if k != "Tags"}


def listing(name: str, modified: datetime = CREATED) -> EndpointSummary:
    return EndpointSummary(
        name, f"arn:aws:sagemaker:us-east-1:123456789012:endpoint/{name}", "InService", f"{CREATED}|{modified}"
    )


def test_uncached_endpoints_come_from_one_search_page_when_that_is_fewer_calls() -> None:
    sagemaker, sm = stubbed("sagemaker")
    serverless = {"VariantName": "S", "CurrentServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 20}}
    sm.add_response(
        "search",
        {
            "Results": [
                search_record("chat", serverless),
                search_record("ranker", {"VariantName": "A", "CurrentInstanceCount": 2}),
                search_record("stale", {"VariantName": "A"}, modified=datetime(2025, 1, 1, tzinfo=UTC)),
            ]
        },
        {"Resource": "Endpoint", "SortBy": "EndpointName", "SortOrder": "Ascending", "MaxResults": 100},
    )
    stale = listing("stale")
    sm.add_response("describe_endpoint", described("stale", {"VariantName": "A"}), {"EndpointName": "stale"})
    aws = Aws(sagemaker, None, None, None, None, None)

    with sm:
        found = aws.describe_all_listed([listing("chat"), listing("ranker"), stale], among=3)
    sm.assert_no_pending_responses()

    chat, ranker, stale_one = (found.endpoints[n] for n in ("chat", "ranker", "stale"))
    assert chat is not None
    assert ranker is not None
    assert stale_one is not None
    assert (found.searched, found.described) == (2, 1)  # the record behind the listing was described
    assert [(v.kind, v.max_concurrency) for v in chat.variants] == [(VariantKind.SERVERLESS, 20)]
    assert [(v.kind, v.current_count) for v in ranker.variants] == [(VariantKind.INSTANCE, 2)]
    assert (chat.kinds_known, ranker.kinds_known, stale_one.kinds_known) == (False, False, True)
    assert [v.kind for v in ranker.as_asynchronous().variants] == [VariantKind.ASYNC]
    assert [v.kind for v in chat.as_asynchronous().variants] == [VariantKind.SERVERLESS]


def test_one_uncached_endpoint_among_many_is_described_not_searched() -> None:
    sagemaker, sm = stubbed("sagemaker")
    sm.add_response("describe_endpoint", described("ranker", {"VariantName": "A"}), {"EndpointName": "ranker"})
    aws = Aws(sagemaker, None, None, None, None, None)

    with sm:
        found = aws.describe_all_listed([listing("ranker")], among=100)  # one DescribeEndpoint < one Search page

    sm.assert_no_pending_responses()
    assert (found.searched, found.described) == (0, 1)
