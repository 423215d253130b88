"""The fidelity layer makes moto behave like AWS, and each rule is needed: plain moto behaves differently.

Rule tests run twice, with the layer ("fidelity") and without it ("plain-moto"), and state what each does.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws

from localaws import fidelity
from localaws.fidelity import FidelityConfig, shared
from localaws.seed import VariantSeed, create_endpoint

from .conftest import FakeClock

ACCEPTED = "accepted"

# --- helpers shared with test_fidelity_inference_components.py and tests/e2e/test_localaws_server.py ----------------

TRANSITION_SECONDS = 60.0
RESOURCE_ID = "endpoint/ep/variant/AllTraffic"
CONCURRENCY = "SageMakerVariantConcurrentRequestsPerModelHighResolution"
INSTANCES = "sagemaker:variant:DesiredInstanceCount"


@dataclass
class Aws:
    """Clients of a moto (in-process or over HTTP) with the fidelity layer, and the layer's clock."""

    sagemaker: Any
    autoscaling: Any
    clock: FakeClock
    cloudwatch: Any = None

    def wait_transition(self) -> None:
        """Moves the clock by one Creating/Updating transition (TRANSITION_SECONDS)."""
        self.clock.advance(TRANSITION_SECONDS)


class AwsError(NamedTuple):
    code: str
    message: str
    status: int


def error_of(call: Callable[[], object]) -> AwsError:
    """The AWS error the call must fail with."""
    with pytest.raises(ClientError) as raised:
        call()
    response = raised.value.response
    return AwsError(
        response["Error"]["Code"], response["Error"]["Message"], response["ResponseMetadata"]["HTTPStatusCode"]
    )


def distinct_stamps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each time stamp the layer writes (LastModifiedTime) is one second after the one before: real stamps taken in
    one test often share a millisecond, and then no order, and no missing update, shows."""
    start, seconds = shared.utcnow(), itertools.count(1)
    monkeypatch.setattr(shared, "utcnow", lambda: start + timedelta(seconds=next(seconds)))


def in_service_endpoint(
    aws: Aws, name: str = "ep", variants: tuple[VariantSeed, ...] = (VariantSeed("AllTraffic"),)
) -> None:
    create_endpoint(aws.sagemaker, name, variants)
    aws.wait_transition()


def register(aws: Aws, resource_id: str = RESOURCE_ID, dimension: str = INSTANCES, minimum: int = 1) -> None:
    aws.autoscaling.register_scalable_target(
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=dimension,
        MinCapacity=minimum,
        MaxCapacity=4,
    )


def deregister(aws: Aws, resource_id: str = RESOURCE_ID) -> None:
    aws.autoscaling.deregister_scalable_target(
        ServiceNamespace="sagemaker", ResourceId=resource_id, ScalableDimension=INSTANCES
    )


def put_policy(
    aws: Aws,
    resource_id: str = RESOURCE_ID,
    name: str = "invocations",
    target: float = 70.0,
    metric: str = "SageMakerVariantInvocationsPerInstance",
) -> None:
    aws.autoscaling.put_scaling_policy(
        PolicyName=name,
        ServiceNamespace="sagemaker",
        ResourceId=resource_id,
        ScalableDimension=INSTANCES,
        PolicyType="TargetTrackingScaling",
        TargetTrackingScalingPolicyConfiguration={
            "TargetValue": target,
            "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
        },
    )


def put_schedule(aws: Aws, resource_id: str = RESOURCE_ID, name: str = "nightly") -> None:
    aws.autoscaling.put_scheduled_action(
        ServiceNamespace="sagemaker",
        ScheduledActionName=name,
        ResourceId=resource_id,
        ScalableDimension=INSTANCES,
        Schedule="cron(0 22 * * ? *)",
        ScalableTargetAction={"MinCapacity": 1, "MaxCapacity": 1},
    )


# --- this module's set-up -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clients() -> tuple[Any, Any, Any]:
    """Clients are slow to build; moto intercepts them whenever a mock is active, so one set serves every test."""
    return boto3.client("sagemaker"), boto3.client("application-autoscaling"), boto3.client("cloudwatch")


@pytest.fixture
def aws(request: pytest.FixtureRequest, clients: tuple[Any, Any, Any]) -> Iterator[Aws]:
    """moto in-process, with the fidelity layer installed unless the test is parametrized with False."""
    sagemaker, autoscaling, cloudwatch = clients
    world = Aws(sagemaker, autoscaling, FakeClock(), cloudwatch)
    with mock_aws():
        if getattr(request, "param", True):
            config = FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=world.clock)
            with fidelity.fidelity(config):
                yield world
        else:
            yield world


def with_and_without_layer(with_layer: object, plain_moto: object) -> pytest.MarkDecorator:
    """Runs the test with the layer and without it, passing what each should produce as ``expected``."""
    return pytest.mark.parametrize(
        ("aws", "expected"), [(True, with_layer), (False, plain_moto)], indirect=["aws"], ids=["fidelity", "plain-moto"]
    )


def outcome(call: Callable[[], object]) -> str:
    """The AWS error code a call fails with, or ACCEPTED."""
    try:
        call()
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return ACCEPTED


def status(aws: Aws, name: str = "ep") -> str:
    return str(aws.sagemaker.describe_endpoint(EndpointName=name)["EndpointStatus"])


def variant(aws: Aws, name: str = "ep") -> dict[str, Any]:
    return dict(aws.sagemaker.describe_endpoint(EndpointName=name)["ProductionVariants"][0])


# --- rule (a): RegisterScalableTarget needs an existing InService endpoint and variant ------------------------------


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_register_rejects_endpoint_that_is_creating(aws: Aws, expected: str) -> None:
    create_endpoint(aws.sagemaker, "ep")

    assert outcome(lambda: register(aws)) == expected
    if expected != ACCEPTED:
        assert error_of(lambda: register(aws)).message == (
            "The status should be in 'InService' to register it as a scalable target"
        )


def test_register_accepts_endpoint_once_it_is_in_service(aws: Aws) -> None:
    in_service_endpoint(aws)

    register(aws)

    targets = aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    assert [target["ResourceId"] for target in targets] == [RESOURCE_ID]


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_register_rejects_endpoint_that_is_updating(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws)
    aws.sagemaker.update_endpoint_weights_and_capacities(
        EndpointName="ep", DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 2}]
    )

    assert outcome(lambda: register(aws)) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_register_rejects_endpoint_that_does_not_exist(aws: Aws, expected: str) -> None:
    assert outcome(lambda: register(aws, "endpoint/missing/variant/AllTraffic")) == expected
    if expected != ACCEPTED:
        assert error_of(lambda: register(aws, "endpoint/missing/variant/AllTraffic")).message == (
            "Could not find endpoint 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/missing'."
        )


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_register_rejects_variant_that_the_endpoint_does_not_have(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws)

    assert outcome(lambda: register(aws, "endpoint/ep/variant/Missing")) == expected
    if expected != ACCEPTED:
        assert error_of(lambda: register(aws, "endpoint/ep/variant/Missing")).message == (
            'The variant name(s) "Missing" is/are not present within endpoint configuration "ep".'
        )


# --- new dimensions -------------------------------------------------------------------------------------------------


@with_and_without_layer(with_layer=ACCEPTED, plain_moto="ValidationException")
def test_register_accepts_provisioned_concurrency_of_a_serverless_variant(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws, variants=(VariantSeed("AllTraffic", serverless=(2048, 10)),))

    assert outcome(lambda: register(aws, dimension="sagemaker:variant:DesiredProvisionedConcurrency")) == expected


@with_and_without_layer(with_layer=ACCEPTED, plain_moto="ValidationException")
def test_register_accepts_copy_count_of_an_inference_component(aws: Aws, expected: str) -> None:
    if fidelity.installed():  # the layer also requires an InService component (plain moto has none)
        in_service_endpoint(aws)
        aws.sagemaker.create_inference_component(
            InferenceComponentName="ic", EndpointName="ep", VariantName="AllTraffic", RuntimeConfig={"CopyCount": 1}
        )
        aws.wait_transition()
    assert (
        outcome(lambda: register(aws, "inference-component/ic", "sagemaker:inference-component:DesiredCopyCount"))
        == expected
    )


def test_register_still_rejects_a_dimension_that_does_not_match_the_resource(aws: Aws) -> None:
    mismatched = "sagemaker:variant:DesiredProvisionedConcurrency"

    assert outcome(lambda: register(aws, "inference-component/ic", mismatched)) == "ValidationException"


# --- rule (b): PutScalingPolicy / PutScheduledAction need a registered target ---------------------------------------


@with_and_without_layer(with_layer="ObjectNotFoundException", plain_moto=ACCEPTED)
def test_put_scaling_policy_requires_a_registered_target(aws: Aws, expected: str) -> None:
    assert outcome(lambda: put_policy(aws, "endpoint/x/variant/y")) == expected
    if expected != ACCEPTED:
        assert error_of(lambda: put_policy(aws, "endpoint/x/variant/y")) == AwsError(
            "ObjectNotFoundException",
            "No scalable target registered for service namespace: sagemaker, resource ID: "
            "endpoint/x/variant/y, scalable dimension: sagemaker:variant:DesiredInstanceCount",
            400,
        )


@with_and_without_layer(with_layer="ObjectNotFoundException", plain_moto=ACCEPTED)
def test_put_scheduled_action_requires_a_registered_target(aws: Aws, expected: str) -> None:
    assert outcome(lambda: put_schedule(aws, "endpoint/x/variant/y")) == expected


def test_put_scaling_policy_on_a_registered_target_is_accepted(aws: Aws) -> None:
    in_service_endpoint(aws)
    register(aws)

    put_policy(aws)
    put_schedule(aws)

    assert len(aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]) == 1
    assert len(aws.autoscaling.describe_scheduled_actions(ServiceNamespace="sagemaker")["ScheduledActions"]) == 1


# --- rule (c): DeregisterScalableTarget deletes policies and scheduled actions, not alarms --------------------------


@with_and_without_layer(with_layer=(0, 0), plain_moto=(1, 1))
def test_deregister_deletes_the_targets_policies_and_scheduled_actions(aws: Aws, expected: tuple[int, int]) -> None:
    in_service_endpoint(aws)
    register(aws)
    put_policy(aws)
    put_schedule(aws)
    aws.cloudwatch.put_metric_alarm(
        AlarmName="step-alarm",
        MetricName="CPUUtilization",
        Namespace="/aws/sagemaker/Endpoints",
        Statistic="Average",
        Period=60,
        EvaluationPeriods=1,
        Threshold=80.0,
        ComparisonOperator="GreaterThanThreshold",
    )

    aws.autoscaling.deregister_scalable_target(
        ServiceNamespace="sagemaker", ResourceId=RESOURCE_ID, ScalableDimension=INSTANCES
    )

    policies = aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
    actions = aws.autoscaling.describe_scheduled_actions(ServiceNamespace="sagemaker")["ScheduledActions"]
    assert (len(policies), len(actions)) == expected
    assert [alarm["AlarmName"] for alarm in aws.cloudwatch.describe_alarms()["MetricAlarms"]] == ["step-alarm"]


# --- deleting or deregistering what does not exist: ObjectNotFoundException ----------------------------------------


def delete_policy(aws: Aws) -> None:
    aws.autoscaling.delete_scaling_policy(
        PolicyName="invocations", ServiceNamespace="sagemaker", ResourceId=RESOURCE_ID, ScalableDimension=INSTANCES
    )


def delete_schedule(aws: Aws) -> None:
    aws.autoscaling.delete_scheduled_action(
        ScheduledActionName="nightly", ServiceNamespace="sagemaker", ResourceId=RESOURCE_ID, ScalableDimension=INSTANCES
    )


@with_and_without_layer(with_layer="ObjectNotFoundException", plain_moto="ValidationException")
def test_deleting_a_missing_scaling_policy_fails_with_object_not_found(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws)
    register(aws)

    assert outcome(lambda: delete_policy(aws)) == expected


@with_and_without_layer(with_layer="ObjectNotFoundException", plain_moto=ACCEPTED)
def test_deleting_a_missing_scheduled_action_fails_with_object_not_found(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws)
    register(aws)

    assert outcome(lambda: delete_schedule(aws)) == expected


@with_and_without_layer(with_layer="ObjectNotFoundException", plain_moto="ValidationException")
def test_deregistering_a_missing_target_fails_with_object_not_found(aws: Aws, expected: str) -> None:
    assert outcome(lambda: deregister(aws)) == expected


def test_deletes_work_once_then_fail_with_object_not_found(aws: Aws) -> None:
    in_service_endpoint(aws)
    register(aws)
    put_policy(aws)
    put_schedule(aws)
    target = f"service namespace: sagemaker, resource ID: {RESOURCE_ID}, scalable dimension: {INSTANCES}"

    delete_policy(aws)
    delete_schedule(aws)
    deregister(aws)

    assert [error_of(lambda: delete_policy(aws)), error_of(lambda: delete_schedule(aws))] == [
        AwsError("ObjectNotFoundException", f"No scaling policy found for {target}, policy name: invocations", 400),
        AwsError(
            "ObjectNotFoundException", f"No scheduled action found for {target}, scheduled action name: nightly", 400
        ),
    ]
    assert error_of(lambda: deregister(aws)).message == f"No scalable target registered for {target}"


# --- rule (d): endpoint lifecycle -----------------------------------------------------------------------------------


@with_and_without_layer(with_layer=["Creating", "Creating", "InService"], plain_moto=["InService"] * 3)
def test_endpoint_is_creating_until_the_transition_time_has_passed(aws: Aws, expected: list[str]) -> None:
    create_endpoint(aws.sagemaker, "ep")
    seen = [status(aws)]
    aws.clock.advance(TRANSITION_SECONDS - 1)
    seen.append(aws.sagemaker.list_endpoints()["Endpoints"][0]["EndpointStatus"])
    aws.clock.advance(1)
    seen.append(status(aws))

    assert seen == expected


def test_list_endpoints_filters_on_the_current_status(aws: Aws) -> None:
    create_endpoint(aws.sagemaker, "ep")

    assert len(aws.sagemaker.list_endpoints(StatusEquals="InService")["Endpoints"]) == 0
    aws.wait_transition()
    assert len(aws.sagemaker.list_endpoints(StatusEquals="InService")["Endpoints"]) == 1


def snapshot(aws: Aws) -> tuple[str, int, int, float | None]:
    """(status, current instances, desired instances, current weight) of the endpoint's first variant."""
    seen = variant(aws)
    return status(aws), seen["CurrentInstanceCount"], seen["DesiredInstanceCount"], seen.get("CurrentWeight")


@with_and_without_layer(
    with_layer=[("Updating", 1, 3, 1.0), ("InService", 3, 3, 1.0)],
    plain_moto=[("InService", 3, 3, None), ("InService", 3, 3, None)],
)
def test_update_weights_and_capacities_goes_through_updating_and_keeps_the_weight(
    aws: Aws, expected: list[tuple[str, int, int, float | None]]
) -> None:
    in_service_endpoint(aws)

    aws.sagemaker.update_endpoint_weights_and_capacities(
        EndpointName="ep", DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 3}]
    )
    during = snapshot(aws)
    aws.wait_transition()

    assert [during, snapshot(aws)] == expected


def update_weights(aws: Aws, name: str = "ep") -> None:
    aws.sagemaker.update_endpoint_weights_and_capacities(
        EndpointName=name, DesiredWeightsAndCapacities=[{"VariantName": "AllTraffic", "DesiredInstanceCount": 2}]
    )


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_update_of_an_endpoint_that_is_creating_is_rejected(aws: Aws, expected: str) -> None:
    create_endpoint(aws.sagemaker, "ep")

    assert outcome(lambda: update_weights(aws)) == expected
    if expected != ACCEPTED:
        assert error_of(lambda: update_weights(aws)).message == (
            'Cannot update in-progress endpoint "arn:aws:sagemaker:us-east-1:123456789012:endpoint/ep".'
        )


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_update_of_an_endpoint_that_is_updating_is_rejected(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws)
    update_weights(aws)

    assert outcome(lambda: update_weights(aws)) == expected


def create_config_v2(aws: Aws, **variant: Any) -> None:
    """The endpoint config ep-v2: ep's variant AllTraffic (its model), with ``variant``'s fields."""
    aws.sagemaker.create_endpoint_config(
        EndpointConfigName="ep-v2",
        ProductionVariants=[{"VariantName": "AllTraffic", "ModelName": "ep-AllTraffic", **variant}],
    )


def test_update_endpoint_switches_the_config_through_updating(aws: Aws) -> None:
    in_service_endpoint(aws)
    create_config_v2(aws, InstanceType="ml.m5.xlarge", InitialInstanceCount=2)

    aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep-v2")
    during = aws.sagemaker.describe_endpoint(EndpointName="ep")
    rejected = outcome(lambda: aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep-v2"))
    aws.wait_transition()
    after = aws.sagemaker.describe_endpoint(EndpointName="ep")

    assert (during["EndpointStatus"], during["EndpointConfigName"], rejected) == (
        "Updating",
        "ep",
        "ValidationException",
    )
    assert (after["EndpointStatus"], after["EndpointConfigName"]) == ("InService", "ep-v2")
    assert after["ProductionVariants"][0]["CurrentInstanceCount"] == 2


def test_update_endpoint_retaining_variant_properties_keeps_the_current_counts(aws: Aws) -> None:
    in_service_endpoint(aws)
    update_weights(aws)
    fidelity.settle()

    aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep", RetainAllVariantProperties=True)
    fidelity.settle()

    assert variant(aws)["CurrentInstanceCount"] == 2


def test_update_endpoint_retaining_variant_properties_takes_the_rest_from_the_new_config(aws: Aws) -> None:
    """Only instance counts and weights are retained: a new serverless MaxConcurrency shows."""
    in_service_endpoint(aws, variants=(VariantSeed("S", serverless=(2048, 10)),))
    aws.sagemaker.create_endpoint_config(
        EndpointConfigName="ep-v2",
        ProductionVariants=[
            {
                "VariantName": "S",
                "ModelName": "ep-S",
                "InitialVariantWeight": 1.0,
                "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 20},
            }
        ],
    )

    aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep-v2", RetainAllVariantProperties=True)
    fidelity.settle()

    seen = variant(aws)
    assert (seen["CurrentServerlessConfig"]["MaxConcurrency"], seen["DesiredServerlessConfig"]["MaxConcurrency"]) == (
        20,
        20,
    )
    assert (seen["CurrentWeight"], seen["DesiredWeight"]) == (1.0, 1.0)


# --- rule: an endpoint's variant summaries carry ManagedInstanceScaling ----------------------------------------------

SCALES_TO_ZERO = {"Status": "ENABLED", "MinInstanceCount": 0, "MaxInstanceCount": 2}


@with_and_without_layer(with_layer=SCALES_TO_ZERO, plain_moto=None)
def test_describe_endpoint_shows_the_variants_managed_instance_scaling(aws: Aws, expected: object) -> None:
    # Given an endpoint whose config turns managed instance scaling on, down to zero instances
    in_service_endpoint(aws, variants=(VariantSeed("AllTraffic", managed_instance_scaling=(0, 2)),))

    # When its variants are described, by DescribeEndpoint and by a Search record
    described = variant(aws).get("ManagedInstanceScaling")
    (record,) = aws.sagemaker.search(Resource="Endpoint")["Results"]

    # Then both show it as the config has it (plain moto keeps it in the config only)
    config = aws.sagemaker.describe_endpoint_config(EndpointConfigName="ep")["ProductionVariants"][0]
    assert config["ManagedInstanceScaling"] == SCALES_TO_ZERO
    assert (described, record["Endpoint"]["ProductionVariants"][0].get("ManagedInstanceScaling")) == (
        expected,
        expected,
    )


def test_a_variant_without_managed_instance_scaling_shows_none(aws: Aws) -> None:
    in_service_endpoint(aws)
    assert "ManagedInstanceScaling" not in variant(aws)


def test_update_endpoint_shows_the_new_configs_managed_instance_scaling_once_in_service(aws: Aws) -> None:
    # Given an endpoint without managed instance scaling, updated to a config that has it
    in_service_endpoint(aws)
    create_config_v2(aws, InstanceType="ml.m5.large", InitialInstanceCount=1, ManagedInstanceScaling=SCALES_TO_ZERO)

    # When the update runs, then completes
    aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep-v2", RetainAllVariantProperties=True)
    during = variant(aws).get("ManagedInstanceScaling")
    aws.wait_transition()

    # Then the old variants show while Updating, the new config's setting once InService
    assert (during, variant(aws).get("ManagedInstanceScaling")) == (None, SCALES_TO_ZERO)


@pytest.mark.parametrize("aws", [False], indirect=True, ids=["plain-moto"])
def test_plain_moto_does_not_implement_update_endpoint(aws: Aws) -> None:
    in_service_endpoint(aws)

    with pytest.raises(NotImplementedError):
        aws.sagemaker.update_endpoint(EndpointName="ep", EndpointConfigName="ep")


def test_settle_completes_every_pending_transition(aws: Aws) -> None:
    in_service_endpoint(aws, "ep")
    update_weights(aws)
    create_endpoint(aws.sagemaker, "creating")
    assert (status(aws, "creating"), status(aws, "ep")) == ("Creating", "Updating")

    fidelity.settle()

    assert (status(aws, "creating"), status(aws, "ep")) == ("InService", "InService")


# --- rule (e): DeleteEndpoint deregisters the endpoint's scalable targets -------------------------------------------


OTHER_RESOURCE_ID = "endpoint/other/variant/AllTraffic"


@with_and_without_layer(with_layer=([OTHER_RESOURCE_ID], 0), plain_moto=([RESOURCE_ID, OTHER_RESOURCE_ID], 1))
def test_delete_endpoint_deregisters_its_scalable_targets(aws: Aws, expected: tuple[list[str], int]) -> None:
    in_service_endpoint(aws)
    in_service_endpoint(aws, "other")
    register(aws)
    register(aws, OTHER_RESOURCE_ID)
    put_policy(aws)

    aws.sagemaker.delete_endpoint(EndpointName="ep")

    targets = aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker")["ScalableTargets"]
    policies = aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker")["ScalingPolicies"]
    assert (sorted(target["ResourceId"] for target in targets), len(policies)) == expected


# --- rule (f): DescribeScalingPolicies matches ResourceId and PolicyNames exactly -----------------------------------

VARIANT_A = "endpoint/ep/variant/A"
VARIANT_AB = "endpoint/ep/variant/AB"


def two_variants_a_and_ab(aws: Aws) -> None:
    """An endpoint whose variant names are a prefix of one another (A, AB), each a registered target."""
    in_service_endpoint(aws, variants=(VariantSeed("A"), VariantSeed("AB")))
    register(aws, VARIANT_A)
    register(aws, VARIANT_AB)


@with_and_without_layer(with_layer=[VARIANT_AB], plain_moto=[VARIANT_A, VARIANT_AB])
def test_describe_scaling_policies_matches_the_resource_id_exactly(aws: Aws, expected: list[str]) -> None:
    two_variants_a_and_ab(aws)
    put_policy(aws, VARIANT_A)
    put_policy(aws, VARIANT_AB)

    found = aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker", ResourceId=VARIANT_AB)

    assert [policy["ResourceId"] for policy in found["ScalingPolicies"]] == expected


@with_and_without_layer(with_layer=["cpu"], plain_moto=["invocations", "cpu"])
def test_describe_scaling_policies_filters_by_policy_names(aws: Aws, expected: list[str]) -> None:
    in_service_endpoint(aws)
    register(aws)
    put_policy(aws, name="invocations")
    put_policy(aws, name="cpu", metric=CONCURRENCY)  # AWS takes one target-tracking policy per metric

    found = aws.autoscaling.describe_scaling_policies(ServiceNamespace="sagemaker", PolicyNames=["cpu"])

    assert [policy["PolicyName"] for policy in found["ScalingPolicies"]] == expected


@with_and_without_layer(with_layer=([VARIANT_AB], [VARIANT_AB]), plain_moto=([VARIANT_AB], [VARIANT_AB]))
def test_moto_already_matches_resource_ids_of_targets_and_scheduled_actions_exactly(
    aws: Aws, expected: tuple[list[str], list[str]]
) -> None:
    """No rule needed: moto's DescribeScalableTargets and DescribeScheduledActions compare resource ids with ==."""
    two_variants_a_and_ab(aws)
    put_schedule(aws, VARIANT_A)
    put_schedule(aws, VARIANT_AB)

    targets = aws.autoscaling.describe_scalable_targets(ServiceNamespace="sagemaker", ResourceIds=[VARIANT_AB])
    actions = aws.autoscaling.describe_scheduled_actions(
        ServiceNamespace="sagemaker", ResourceId=VARIANT_AB, ScheduledActionNames=["nightly"]
    )

    assert (
        [target["ResourceId"] for target in targets["ScalableTargets"]],
        [action["ResourceId"] for action in actions["ScheduledActions"]],
    ) == expected


# --- rule (g): Search over endpoints sorts and pages AWS's Endpoint records (moto: creation order, one page) -----


def search_pages(aws: Aws, **kwargs: Any) -> list[list[dict[str, Any]]]:
    pages = aws.sagemaker.get_paginator("search").paginate(Resource="Endpoint", **kwargs)
    return [[r["Endpoint"] for r in page["Results"]] for page in pages]


def async_endpoint(aws: Aws, name: str) -> None:
    aws.sagemaker.create_model(
        ModelName=name, PrimaryContainer={"Image": "img"}, ExecutionRoleArn="arn:aws:iam::1:role/r"
    )
    aws.sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "V", "ModelName": name, "InstanceType": "ml.m5.large", "InitialInstanceCount": 1}
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://bucket/out"}},
    )
    aws.sagemaker.create_endpoint(EndpointName=name, EndpointConfigName=name, Tags=[{"Key": "team", "Value": "ml"}])
    aws.wait_transition()


@with_and_without_layer(with_layer=[["a", "b"], ["c"]], plain_moto=[["c", "a", "b"]])
def test_search_pages_endpoints_in_the_order_asked(aws: Aws, expected: list[list[str]]) -> None:
    for name in ("c", "a", "b"):
        in_service_endpoint(aws, name)

    pages = search_pages(aws, SortBy="EndpointName", SortOrder="Ascending", PaginationConfig={"PageSize": 2})

    assert [[e["EndpointName"] for e in page] for page in pages] == expected


def test_search_sorts_by_last_modified_time_descending_by_default(aws: Aws, monkeypatch: pytest.MonkeyPatch) -> None:
    distinct_stamps(monkeypatch)
    for name in ("a", "b", "c"):
        in_service_endpoint(aws, name)
    update_weights(aws, "a")  # now the most recently modified, though the first created and the first by name
    aws.wait_transition()

    (page,) = search_pages(aws)

    assert [e["EndpointName"] for e in page] == ["a", "c", "b"]


def test_search_records_are_the_endpoint_shape_with_tags_and_without_async_config(aws: Aws) -> None:
    async_endpoint(aws, "ep")

    ((record,),) = search_pages(aws)

    shape = set(aws.sagemaker.meta.service_model.shape_for("Endpoint").members)
    assert ("AsyncInferenceConfig" in record, set(record) <= shape) == (False, True)
    assert record["Tags"] == [{"Key": "team", "Value": "ml"}]
    assert record["ProductionVariants"][0]["VariantName"] == "V"
    assert record["EndpointStatus"] == "InService"


def test_search_records_show_serverless_variants_and_the_current_status(aws: Aws) -> None:
    create_endpoint(aws.sagemaker, "ep", (VariantSeed("S", serverless=(2048, 20)),))

    ((creating,),) = search_pages(aws)
    aws.wait_transition()
    ((ready,),) = search_pages(aws)

    assert (creating["EndpointStatus"], ready["EndpointStatus"]) == ("Creating", "InService")
    assert ready["ProductionVariants"][0]["CurrentServerlessConfig"]["MaxConcurrency"] == 20


def test_search_refuses_what_the_layer_does_not_implement_for_endpoints(aws: Aws) -> None:
    in_service_endpoint(aws)
    expression = {"Filters": [{"Name": "EndpointName", "Operator": "Equals", "Value": "ep"}]}

    refused = [
        error_of(lambda: aws.sagemaker.search(Resource="Endpoint", SearchExpression=expression)).code,
        error_of(lambda: aws.sagemaker.search(Resource="Endpoint", SortBy="FailureReason")).code,
    ]

    assert refused == ["ValidationException", "ValidationException"]


# --- rule (h): endpoint ARNs lower-case the name; names are unique in any case; exact lookups ------------------------


@with_and_without_layer(
    with_layer=("arn:aws:sagemaker:us-east-1:123456789012:endpoint/myendpoint", "ValidationException"),
    plain_moto=("arn:aws:sagemaker:us-east-1:123456789012:endpoint/MyEndpoint", ACCEPTED),
)
def test_an_endpoint_arn_lower_cases_its_name_and_the_name_is_taken_in_any_case(
    aws: Aws, expected: tuple[str, str]
) -> None:
    arn = create_endpoint(aws.sagemaker, "MyEndpoint")

    assert (arn, outcome(lambda: create_endpoint(aws.sagemaker, "myendpoint"))) == expected


def test_describe_and_name_contains_match_the_name_exactly_and_tags_work_on_the_lower_cased_arn(aws: Aws) -> None:
    arn = create_endpoint(aws.sagemaker, "MyEndpoint")
    aws.sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "team", "Value": "ml"}])

    described = aws.sagemaker.describe_endpoint(EndpointName="MyEndpoint")
    listed = aws.sagemaker.list_endpoints(NameContains="myendpoint")["Endpoints"]

    assert (described["EndpointArn"], outcome(lambda: status(aws, "myendpoint")), listed) == (
        arn,
        "ValidationException",
        [],
    )
    assert aws.sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "team", "Value": "ml"}]


def test_search_finds_an_endpoint_by_its_arn_and_endpoints_by_a_tag(aws: Aws) -> None:
    arn = create_endpoint(aws.sagemaker, "MyEndpoint", tags={"autoscaling:enabled": "true"})
    create_endpoint(aws.sagemaker, "other")
    by_arn = {"Filters": [{"Name": "EndpointArn", "Operator": "Equals", "Value": arn}]}
    by_tag = {"Filters": [{"Name": "Tags.autoscaling:enabled", "Operator": "Exists"}]}

    found = [
        [e["EndpointName"] for page in search_pages(aws, SearchExpression=x) for e in page] for x in (by_arn, by_tag)
    ]

    assert found == [["MyEndpoint"], ["MyEndpoint"]]


def test_endpoint_record_fields_are_the_service_model_s() -> None:
    model = boto3.client("sagemaker", region_name="us-east-1").meta.service_model
    assert set(fidelity.ENDPOINT_RECORD_FIELDS) == set(model.shape_for("Endpoint").members)


# --- installation ---------------------------------------------------------------------------------------------------


def moto_attributes() -> dict[tuple[str, str], object]:
    return {(repr(owner), name): vars(owner).get(name) for owner, name, _ in fidelity.PATCHES}


def test_uninstall_restores_moto_exactly() -> None:
    before = moto_attributes()
    assert not fidelity.installed()

    fidelity.install()
    fidelity.install()  # idempotent
    patched = moto_attributes()
    fidelity.uninstall()

    assert fidelity.installed() is False
    assert all(patched[key] is not before[key] for key in before)
    assert all(moto_attributes()[key] is before[key] for key in before)


def test_fidelity_context_restores_the_previous_config() -> None:
    outer = FidelityConfig(endpoint_transition_seconds=1.0)
    inner = FidelityConfig(endpoint_transition_seconds=2.0)
    with fidelity.fidelity(outer):
        with fidelity.fidelity(inner):
            assert shared._state.config is inner
        assert shared._state.config is outer
    assert not fidelity.installed()


def test_uninstall_completes_pending_transitions() -> None:
    clock = FakeClock()
    with mock_aws():
        sagemaker = boto3.client("sagemaker")
        with fidelity.fidelity(FidelityConfig(endpoint_transition_seconds=TRANSITION_SECONDS, clock=clock)):
            create_endpoint(sagemaker, "ep")

        assert sagemaker.describe_endpoint(EndpointName="ep")["EndpointStatus"] == "InService"


# --- what AWS refuses: the service model's constraints, and the rules AWS documents beside them -----------------------

ALARM = {
    "AlarmName": "autoscaler/ep/AllTraffic/latency",
    "Namespace": "AWS/SageMaker",
    "MetricName": "ModelLatency",
    "Statistic": "Average",
    "Period": 60,
    "EvaluationPeriods": 2,
    "Threshold": 500.0,
    "ComparisonOperator": "GreaterThanThreshold",
}
STEP = {"MetricIntervalLowerBound": 0.0, "ScalingAdjustment": 1}


def put_alarm(aws: Aws, **changes: Any) -> None:
    aws.cloudwatch.put_metric_alarm(**{key: value for key, value in {**ALARM, **changes}.items() if value is not None})


def put_step_policy(aws: Aws, *steps: dict[str, Any]) -> None:
    aws.autoscaling.put_scaling_policy(
        PolicyName="step",
        ServiceNamespace="sagemaker",
        ResourceId=RESOURCE_ID,
        ScalableDimension=INSTANCES,
        PolicyType="StepScaling",
        StepScalingPolicyConfiguration={"AdjustmentType": "ChangeInCapacity", "StepAdjustments": list(steps)},
    )


def schedule(aws: Aws, **changes: Any) -> None:
    aws.autoscaling.put_scheduled_action(
        **{
            "ServiceNamespace": "sagemaker",
            "ScheduledActionName": "peak",
            "ResourceId": RESOURCE_ID,
            "ScalableDimension": INSTANCES,
            "Schedule": "cron(0 8 * * ? *)",
            "ScalableTargetAction": {"MinCapacity": 2},
            **changes,
        }
    )


def registered(aws: Aws) -> None:
    in_service_endpoint(aws)
    register(aws)


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
def test_put_metric_alarm_refuses_a_statistic_outside_the_models_enum(aws: Aws, expected: str) -> None:
    assert outcome(lambda: put_alarm(aws, Statistic="p99")) == expected


def test_a_model_violation_is_worded_as_aws_words_it(aws: Aws) -> None:
    error = error_of(lambda: put_alarm(aws, Statistic="p99"))
    assert (error.code, error.status) == ("ValidationError", 400)
    assert error.message == (
        "1 validation error detected: Value 'p99' at 'statistic' failed to satisfy constraint: Member must satisfy "
        "enum value set: [SampleCount, Average, Sum, Minimum, Maximum]"
    )


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
def test_put_metric_alarm_refuses_a_name_longer_than_the_model_allows(aws: Aws, expected: str) -> None:
    assert outcome(lambda: put_alarm(aws, AlarmName="a" * 256)) == expected


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
def test_put_metric_alarm_refuses_a_namespace_outside_the_models_pattern(aws: Aws, expected: str) -> None:
    assert outcome(lambda: put_alarm(aws, Namespace=":AWS/SageMaker")) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_put_scheduled_action_refuses_a_name_outside_the_models_pattern(aws: Aws, expected: str) -> None:
    registered(aws)
    assert outcome(lambda: schedule(aws, ScheduledActionName="peak:weekday")) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_put_scaling_policy_refuses_a_policy_name_outside_the_models_pattern(aws: Aws, expected: str) -> None:
    registered(aws)
    assert outcome(lambda: put_policy(aws, name="caf\u00e9")) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_register_refuses_a_min_above_the_max(aws: Aws, expected: str) -> None:
    in_service_endpoint(aws)
    assert outcome(lambda: register(aws, minimum=5)) == expected  # MaxCapacity 4


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_register_refuses_a_min_above_the_registered_max_it_leaves(aws: Aws, expected: str) -> None:
    registered(aws)
    call = lambda: aws.autoscaling.register_scalable_target(  # noqa: E731
        ServiceNamespace="sagemaker", ResourceId=RESOURCE_ID, ScalableDimension=INSTANCES, MinCapacity=5
    )
    assert outcome(call) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_a_step_adjustment_with_neither_bound_is_refused(aws: Aws, expected: str) -> None:
    registered(aws)
    assert outcome(lambda: put_step_policy(aws, {"ScalingAdjustment": 1})) == expected


def test_the_step_refusal_quotes_aws(aws: Aws) -> None:
    registered(aws)
    assert error_of(lambda: put_step_policy(aws, {"ScalingAdjustment": 1})).message == (
        "The upper and lower bound can't be null in the same step adjustment"
    )


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
@pytest.mark.parametrize(
    "steps",
    [
        (
            {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
            {**STEP, "MetricIntervalLowerBound": 20.0},
        ),
        (
            {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 30.0, "ScalingAdjustment": 1},
            {**STEP, "MetricIntervalLowerBound": 20.0},
        ),
        (STEP, {**STEP, "ScalingAdjustment": 2}),
        ({"MetricIntervalLowerBound": -10.0, "MetricIntervalUpperBound": 0.0, "ScalingAdjustment": -1}, STEP),
        ({"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},),
        (
            {"MetricIntervalLowerBound": 10.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
            {**STEP, "MetricIntervalLowerBound": 10.0},
        ),
    ],
    ids=[
        "gap",
        "overlap",
        "two-null-uppers",
        "negative-lower-without-null-lower",
        "positive-upper-without-null-upper",
        "upper-not-above-lower",
    ],
)
def test_step_adjustments_that_aws_rules_out_are_refused(
    aws: Aws, expected: str, steps: tuple[dict[str, Any], ...]
) -> None:
    registered(aws)
    assert outcome(lambda: put_step_policy(aws, *steps)) == expected


def test_aws_documented_step_examples_are_accepted(aws: Aws) -> None:
    # "To initiate the adjustment when the metric is greater than or equal to 50 and less than 60, specify a lower
    # bound of 0 and an upper bound of 10. ... greater than 40 and less than or equal to 50, specify a lower bound
    # of -10 and an upper bound of 0" (Application Auto Scaling API Reference, StepAdjustment), closed on both sides
    registered(aws)
    steps = (
        {"MetricIntervalUpperBound": -10.0, "ScalingAdjustment": -2},
        {"MetricIntervalLowerBound": -10.0, "MetricIntervalUpperBound": 0.0, "ScalingAdjustment": -1},
        {"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 10.0, "ScalingAdjustment": 1},
        {"MetricIntervalLowerBound": 10.0, "ScalingAdjustment": 2},
    )
    assert outcome(lambda: put_step_policy(aws, *steps)) == ACCEPTED


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_a_target_value_beyond_two_to_the_360_is_refused(aws: Aws, expected: str) -> None:
    registered(aws)
    assert outcome(lambda: put_policy(aws, name="huge", target=2.0**361)) == expected
    assert outcome(lambda: put_policy(aws, name="largest", target=2.0**360)) == ACCEPTED


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_a_second_target_tracking_policy_on_the_same_metric_is_refused(aws: Aws, expected: str) -> None:
    registered(aws)
    put_policy(aws, name="first")
    assert outcome(lambda: put_policy(aws, name="second")) == expected
    assert outcome(lambda: put_policy(aws, name="first", target=80.0)) == ACCEPTED  # the same policy, updated
    assert outcome(lambda: put_policy(aws, name="other", metric=CONCURRENCY)) == ACCEPTED


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
@pytest.mark.parametrize("period", [45, 90, 1])
def test_an_alarm_period_other_than_10_20_30_or_a_multiple_of_60_is_refused(
    aws: Aws, expected: str, period: int
) -> None:
    assert outcome(lambda: put_alarm(aws, Period=period)) == expected
    assert outcome(lambda: put_alarm(aws, Period=10)) == ACCEPTED


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
@pytest.mark.parametrize(("period", "periods"), [(60, 1441), (3600, 169), (600, 145)])
def test_an_alarm_window_over_cloudwatchs_limits_is_refused(aws: Aws, expected: str, period: int, periods: int) -> None:
    # one day for periods under an hour, seven days otherwise
    assert outcome(lambda: put_alarm(aws, Period=period, EvaluationPeriods=periods)) == expected
    assert outcome(lambda: put_alarm(aws, Period=period, EvaluationPeriods=periods - 1)) == ACCEPTED


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
@pytest.mark.parametrize(
    "statistics",
    [{"Statistic": None}, {"ExtendedStatistic": "p99"}, {"Statistic": None, "ExtendedStatistic": "p101"}],
    ids=["neither", "both", "not-a-percentile"],
)
def test_an_alarm_needs_exactly_one_valid_statistic(aws: Aws, expected: str, statistics: dict[str, Any]) -> None:
    assert outcome(lambda: put_alarm(aws, **statistics)) == expected


@pytest.mark.parametrize(
    "extended", ["p90", "p99.9", "tm90", "tc90", "ts90", "wm90", "IQM", "PR(:300)", "PR(100:2000)", "TM(10%:90%)"]
)
def test_the_extended_statistics_cloudwatch_lists_are_accepted(aws: Aws, extended: str) -> None:
    assert outcome(lambda: put_alarm(aws, Statistic=None, ExtendedStatistic=extended)) == ACCEPTED


@pytest.mark.parametrize("extended", ["p100.5", "TM(2%:98%)", "tm", "P99", "avg"])
def test_extended_statistics_outside_the_alarm_forms_are_refused(aws: Aws, extended: str) -> None:
    assert outcome(lambda: put_alarm(aws, Statistic=None, ExtendedStatistic=extended)) == "ValidationError"


@with_and_without_layer(with_layer="ValidationError", plain_moto=ACCEPTED)
def test_an_alarm_treating_missing_data_outside_cloudwatchs_values_is_refused(aws: Aws, expected: str) -> None:
    assert outcome(lambda: put_alarm(aws, TreatMissingData="zero")) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
@pytest.mark.parametrize("zone", ["US/Pacific", "Factory", "Europe/Berln", "Etc/Universal"])
def test_a_scheduled_action_in_a_time_zone_that_is_not_canonical_is_refused(aws: Aws, expected: str, zone: str) -> None:
    registered(aws)
    assert outcome(lambda: schedule(aws, Timezone=zone)) == expected


@pytest.mark.parametrize("zone", ["UTC", "Etc/GMT+9", "Pacific/Tahiti", "America/Los_Angeles", "Europe/Amsterdam"])
def test_awss_own_time_zone_examples_and_canonical_names_are_accepted(aws: Aws, zone: str) -> None:
    registered(aws)
    assert outcome(lambda: schedule(aws, Timezone=zone)) == ACCEPTED


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
@pytest.mark.parametrize(
    "times",
    [
        {"StartTime": datetime(2300, 1, 1, tzinfo=UTC)},
        {"EndTime": datetime(1960, 1, 1, tzinfo=UTC)},
        {"StartTime": datetime(2030, 1, 2, tzinfo=UTC), "EndTime": datetime(2030, 1, 1, tzinfo=UTC)},
    ],
    ids=["start-after-2199", "end-before-1970", "end-before-start"],
)
def test_a_scheduled_action_with_times_out_of_range_is_refused(aws: Aws, expected: str, times: dict[str, Any]) -> None:
    registered(aws)
    assert outcome(lambda: schedule(aws, **times)) == expected


@with_and_without_layer(with_layer="ValidationException", plain_moto=ACCEPTED)
def test_a_scheduled_action_whose_min_is_above_its_max_is_refused(aws: Aws, expected: str) -> None:
    registered(aws)
    assert outcome(lambda: schedule(aws, ScalableTargetAction={"MinCapacity": 3, "MaxCapacity": 2})) == expected
