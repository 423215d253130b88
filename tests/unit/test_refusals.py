"""Pure parts of refusals: how AWS errors are classified, the plan fingerprint, the record, the crash boundary."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from botocore.exceptions import ClientError, NoCredentialsError

from autoscaler.actions import PutAlarm, PutTargetTrackingPolicy, RegisterTarget
from autoscaler.aws import classified
from autoscaler.errors import (
    AutoscalerError,
    AwsError,
    EndpointNotReadyError,
    EvaluationError,
    NotFoundError,
    RefusedError,
    TemporaryError,
)
from autoscaler.reconciler import rejecting_crashes
from autoscaler.refusals import REFUSAL_TTL, Refusal, fingerprint
from autoscaler.spec import (
    AlarmSpec,
    CustomMetric,
    PredefinedMetric,
    SuspendedState,
    TargetKey,
    TargetTrackingPolicy,
    VariantKind,
)

NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
TARGET = TargetKey.for_variant("fraud-detector", "AllTraffic", VariantKind.INSTANCE)
REGISTER = RegisterTarget("not registered", TARGET, 1, 4, SuspendedState())
POLICY = PutTargetTrackingPolicy(
    "new",
    TARGET,
    TargetTrackingPolicy(
        "autoscaler-AllTraffic-invocations",
        "invocations",
        PredefinedMetric("SageMakerVariantInvocationsPerInstance"),
        70.0,
        300,
        300,
        False,
    ),
)
ALARM = PutAlarm(
    "new",
    TARGET,
    AlarmSpec(
        "autoscaler/fraud-detector/AllTraffic/latency",
        CustomMetric("AWS/SageMaker", "OverheadLatency", "Average"),
        "GreaterThanOrEqualToThreshold",
        100000.0,
        60,
        1,
        1,
        "missing",
        policy_name="autoscaler-AllTraffic-step-latency",
    ),
    None,
)


def client_error(
    code: str, message: str = "refused", status: int = 400, operation: str = "PutScalingPolicy"
) -> ClientError:
    return ClientError(
        {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )


def raised(error: Exception, *, refusable: bool = True) -> BaseException:
    """What ``classified`` turns ``error`` into."""
    with pytest.raises(AutoscalerError) as caught, classified("x", refusable=refusable):
        raise error
    return caught.value


# --- classification -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        "ValidationException",
        "ValidationError",
        "InvalidParameterValue",
        "InvalidParameterCombination",
        "MissingParameter",
    ],
)
def test_a_write_aws_refuses_for_its_values_is_a_refusal_naming_the_operation(code: str) -> None:
    error = raised(client_error(code, "Maximum capacity cannot be less than minimum capacity"))

    assert isinstance(error, RefusedError)
    assert (error.operation, error.code, error.message) == (
        "PutScalingPolicy",
        code,
        "Maximum capacity cannot be less than minimum capacity",
    )


def test_a_read_of_something_missing_is_not_found_for_its_caller_to_read() -> None:
    missing = client_error("ValidationException", "Could not find endpoint x", operation="DescribeEndpoint")
    error = raised(missing, refusable=False)

    assert isinstance(error, NotFoundError)
    assert type(error) is NotFoundError
    assert (error.operation, error.code) == ("DescribeEndpoint", "ValidationException")
    assert error.message == "Could not find endpoint x"


@pytest.mark.parametrize("code", ["ParameterNotFound", "ParameterVersionNotFound"])
def test_a_missing_parameter_or_version_is_not_found(code: str) -> None:
    assert type(raised(client_error(code, operation="GetParameter"), refusable=False)) is NotFoundError


def test_a_read_refused_for_another_reason_is_an_aws_error_with_its_code() -> None:
    error = raised(client_error("ValidationException", "1 validation error detected"), refusable=False)

    assert isinstance(error, AwsError)
    assert type(error) is AwsError
    assert error.code == "ValidationException"


def test_a_failure_without_an_answer_from_aws_is_an_aws_error_naming_it() -> None:
    error = raised(NoCredentialsError())

    assert isinstance(error, AwsError)
    assert type(error) is AwsError
    assert error.code == "NoCredentialsError"


def test_a_read_inside_a_write_of_a_plan_is_refused_as_the_write() -> None:
    """``Aws.apply`` deletes alarms through ``delete_alarms``, itself classified as a read: the refusal is the
    write's."""
    outer, inner = classified("DeleteAlarms of a plan", refusable=True), classified("DeleteAlarms")
    with pytest.raises(RefusedError) as caught, outer, inner:
        raise client_error("ValidationError", "bad name", operation="DeleteAlarms")

    assert (caught.value.what, caught.value.operation) == ("DeleteAlarms of a plan", "DeleteAlarms")


@pytest.mark.parametrize(
    ("code", "status"),
    [("ThrottlingException", 400), ("ConcurrentUpdateException", 400), ("InternalServiceException", 500), ("X", 503)],
)
def test_throttling_5xx_and_concurrent_updates_are_temporary_even_for_writes(code: str, status: int) -> None:
    assert isinstance(raised(client_error(code, status=status)), TemporaryError)


def test_an_endpoint_that_is_not_in_service_is_not_ready_not_refused() -> None:
    message = "The status should be in 'InService' to register it as a scalable target"

    assert isinstance(raised(client_error("ValidationException", message)), EndpointNotReadyError)


@pytest.mark.parametrize("code", ["LimitExceededException", "LimitExceeded", "AccessDeniedException"])
def test_quotas_and_permissions_are_not_refusals_of_the_configuration(code: str) -> None:
    error = raised(client_error(code))

    assert isinstance(error, AwsError)
    assert type(error) is AwsError
    assert error.code == code


# --- the fingerprint of a plan --------------------------------------------------------------------------------------


def test_the_fingerprint_is_of_the_requests_not_of_the_reasons() -> None:
    assert fingerprint([REGISTER, POLICY]) == fingerprint([replace(REGISTER, reason="bounds changed"), POLICY])


def test_the_fingerprint_ignores_the_alarm_policy_arn_known_only_after_the_put() -> None:
    assert fingerprint([ALARM]) == fingerprint([replace(ALARM, policy_arn="arn:aws:autoscaling:policy/x")])


def test_another_request_or_order_is_another_fingerprint() -> None:
    plan = fingerprint([REGISTER, POLICY])

    assert fingerprint([replace(REGISTER, max_capacity=5), POLICY]) != plan
    assert fingerprint([POLICY, REGISTER]) != plan
    assert fingerprint([POLICY]) != plan


def test_the_fingerprint_is_stable_across_processes() -> None:
    """A sha256 of sorted JSON: the value is fixed, not a hash() that changes with PYTHONHASHSEED."""
    assert fingerprint([REGISTER]) == fingerprint([RegisterTarget("x", TARGET, 1, 4, SuspendedState())])
    assert len(fingerprint([REGISTER])) == 64


# --- the record -----------------------------------------------------------------------------------------------------


def test_a_refusal_survives_its_item_and_expires_after_its_ttl() -> None:
    error = RefusedError("PutTargetTrackingPolicy x", "PutScalingPolicy", "ValidationException", "out of range")
    refusal = Refusal.of("fraud-detector", error, POLICY, (), 1, NOW)

    assert Refusal.from_item(refusal.item()) == refusal
    assert refusal.item()["expires_at"] == {"N": str(int((NOW + REFUSAL_TTL).timestamp()))}
    assert refusal.holds_for([POLICY], NOW + REFUSAL_TTL - timedelta(seconds=1))
    assert not refusal.holds_for([POLICY], NOW + REFUSAL_TTL)
    assert not refusal.holds_for([], NOW)


# --- the boundary of an endpoint's own data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error", [KeyError("schedules"), OverflowError("date value out of range"), ValueError("x"), RecursionError("deep")]
)
def test_a_crash_in_pure_code_becomes_the_endpoints_evaluation_error(error: Exception) -> None:
    with pytest.raises(EvaluationError) as caught, rejecting_crashes("fraud-detector"):
        raise error

    assert [str(p) for p in caught.value.problems] == [
        f"endpoint fraud-detector: evaluating its configuration failed: {type(error).__name__}: {error}"
    ]
    assert caught.value.__cause__ is error


@pytest.mark.parametrize(
    "error",
    [
        AwsError("PutScalingPolicy x", "PutScalingPolicy", "AccessDeniedException", "refused"),
        NotFoundError("GetParameter p", "GetParameter", "ParameterNotFound", "missing"),
        TemporaryError("throttled"),
        EndpointNotReadyError("Updating"),
        MemoryError(),
    ],
)
def test_aws_failures_and_the_controllers_own_errors_pass_the_boundary_unchanged(error: BaseException) -> None:
    with pytest.raises(type(error)) as caught, rejecting_crashes("fraud-detector"):
        raise error

    assert caught.value is error
