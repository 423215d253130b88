"""How AWS failures leave the adapter: classified into the controller's error types (autoscaler/errors.py).

TemporaryError (retry later), EndpointNotReadyError (skip until IN_SERVICE), RefusedError (a write of a plan that AWS
refused for what it asked: permanent, see REFUSED_CODES), NotFoundError (a read of something that does not exist) and
AwsError for any other failure. No botocore exception leaves the adapter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from botocore.exceptions import BotoCoreError, ClientError, ConnectionError, HTTPClientError

from autoscaler.errors import AwsError, EndpointNotReadyError, NotFoundError, RefusedError, TemporaryError

TEMPORARY_CODES = frozenset(
    {
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "RequestLimitExceeded",
        "ConcurrentUpdateException",
        "InternalServiceException",
        "InternalFailure",
        "InternalServerError",
        "ServiceUnavailable",
        "FailedResourceAccessException",
        # The target or policy vanished under us (deregistered concurrently): the next pass rebuilds it.
        "ObjectNotFoundException",
    }
)
# AWS refused the request for what it asks: the same request is refused again, however often it is retried, so a
# write of a plan refused with one of these is a permanent configuration error (RefusedError), not a temporary one.
# - Application Auto Scaling (API Reference; botocore's application-autoscaling service model), ValidationException:
#   "An exception was thrown for a validation issue. Review the available parameters for the API request." Every
#   write the controller makes to it models it (RegisterScalableTarget, PutScalingPolicy, PutScheduledAction and the
#   deletes). The texts of NOT_READY_TEXTS are ValidationExceptions too, and are classified before this set.
# - CloudWatch (botocore's cloudwatch service model), the errors of a request whose values are wrong:
#   InvalidParameterValue ("The value of an input parameter is bad or out-of-range."), InvalidParameterCombination
#   ("Parameters were used together that cannot be used together."), MissingParameter ("An input parameter that is
#   required is missing."),
#   and ValidationError / ValidationException ("The request failed validation. One or more input parameters do not
#   satisfy the constraints that the operation requires.", CloudWatch / Client / exceptions / ValidationException).
# Deliberately not here:
# - LimitExceededException (AAS: "A per-account resource limit is exceeded"; its quotas count scalable targets per
#   account and policies or scheduled actions per target, hand-made ones included) and LimitExceeded (CloudWatch
#   PutMetricAlarm: "The quota for alarms for this customer has already been reached."): the request is not wrong, the
#   account is full. It clears without this endpoint's configuration changing (a quota increase, another endpoint's
#   resources released), so it must not be remembered as a refusal of this configuration: re-raised unclassified, the
#   message is retried and dead-lettered (the DLQ alarm calls the operator) and the next sweep enqueues it again.
# - ObjectNotFoundException, ConcurrentUpdateException, FailedResourceAccessException: the state of the moment
#   (TEMPORARY_CODES).
REFUSED_CODES = frozenset(
    {
        "ValidationException",
        "ValidationError",
        "InvalidParameterValue",
        "InvalidParameterCombination",
        "MissingParameter",
    }
)
# The texts of the ValidationException a write on an endpoint that is not InService is answered with
# (RegisterScalableTarget: "should be in 'InService'"; a SageMaker update: "Cannot update in-progress endpoint"). AWS
# documents neither text; src/localaws/fidelity/ answers with the same ones.
NOT_READY_TEXTS = ("should be in 'InService'", "Cannot update in-progress endpoint")
ENDPOINT_MISSING_TEXT = "Could not find endpoint"
# A read of something that does not exist: SSM GetParameter's ParameterNotFound and ParameterVersionNotFound (botocore's
# ssm service model, GetParameter errors), Service Quotas' NoSuchResourceException ("The specified resource does not
# exist.": GetServiceQuota when no applied value exists, Service Quotas API Reference), and SageMaker's
# ValidationException "Could not find ..." (DescribeEndpoint's "Could not find endpoint ..."; taken to be the same for
# DescribeInferenceComponent, for which AWS documents none).
NOT_FOUND_CODES = frozenset({"ParameterNotFound", "ParameterVersionNotFound", "NoSuchResourceException"})
NOT_FOUND_TEXT = "Could not find"


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


@contextmanager
def classified(what: str, *, refusable: bool = False) -> Iterator[None]:
    """Translate AWS failures into the controller's error types: the one place that tells a refused request
    (permanent) from throttling, 5xx and concurrent updates (temporary).

    ``refusable``: the call is a write of a plan, so a refusal of its values (REFUSED_CODES) is a RefusedError. For
    reads they are NotFoundError (NOT_FOUND_CODES, NOT_FOUND_TEXT) or AwsError, with AWS's code. A classified call
    inside a refusable one (``Aws.apply`` deleting alarms) is classified again as the refusable write.
    """
    try:
        yield
    except ClientError as exc:
        raise _classify(exc, what, refusable) from exc
    except (ConnectionError, HTTPClientError) as exc:
        raise TemporaryError(f"{what}: {exc}") from exc
    except AwsError as exc:
        if refusable and isinstance(exc.__cause__, ClientError):  # an inner classified read it as a read
            raise _classify(exc.__cause__, what, refusable) from exc.__cause__
        raise
    except BotoCoreError as exc:  # no answer from AWS: no credentials, no region, a parameter botocore refuses
        raise AwsError(what, "", type(exc).__name__, str(exc)) from exc


def _classify(exc: ClientError, what: str, refusable: bool) -> Exception:
    code = error_code(exc)
    message = str(exc.response.get("Error", {}).get("Message", ""))
    status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
    if code in TEMPORARY_CODES or status >= 500:
        return TemporaryError(f"{what}: {code or status}: {message}")
    if any(text in message for text in NOT_READY_TEXTS):
        return EndpointNotReadyError(f"{what}: {message}")
    if refusable and code in REFUSED_CODES:
        return RefusedError(what, exc.operation_name, code, message)
    if code in NOT_FOUND_CODES or (code == "ValidationException" and NOT_FOUND_TEXT in message):
        return NotFoundError(what, exc.operation_name, code, message)
    return AwsError(what, exc.operation_name, code, message)


def ignore_missing(call: Callable[[], object]) -> None:
    """Deletes are idempotent: something already gone is the state we wanted."""
    try:
        call()
    except ClientError as exc:
        if error_code(exc) != "ObjectNotFoundException":
            raise
