"""SageMaker endpoint names and ARNs: an endpoint's ARN lower-cases its name, names are unique regardless of case, and
Search over endpoints filters on an ARN or a tag.

What AWS documents about case: "The name is case-insensitive in CreateEndpoint, but the case is preserved and must
be matched in InvokeEndpoint" (SageMaker API Reference, CreateEndpoint, EndpointName), and the endpoint's ARN carries
the name lower-cased (SageMaker Developer Guide, "Log Amazon SageMaker AI API calls using AWS CloudTrail": its
CreateEndpoint entry has requestParameters.endpointName as typed and responseElements.endpointArn lower-cased).
Whether DescribeEndpoint, or ListEndpoints' NameContains, ignore case is not documented: here they match the name
exactly (moto's behaviour, kept), so nothing that passes here depends on an undocumented leniency.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import FakeEndpoint, SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter


def _endpoint_arn_lower_cases_the_name(endpoint_name: str, account_id: str, region_name: str) -> str:
    """``arn:aws:sagemaker:<region>:<account>:endpoint/<name lower-cased>`` (see the module docstring)."""
    return arn_formatter("endpoint", endpoint_name.lower(), account_id, region_name)


def refuse_a_name_taken_in_any_case(backend: SageMakerModelBackend, endpoint_name: str) -> None:
    """CreateEndpoint of a name another endpoint has in another case fails ("The name is case-insensitive in
    CreateEndpoint", see the module docstring); moto would create a second endpoint. The message is AWS's for a taken
    name as far as known (unverified)."""
    for existing in backend.endpoints.values():
        if existing.endpoint_name.lower() == endpoint_name.lower():
            raise ValidationError(message=f'Cannot create already existing endpoint "{existing.arn}".')


def endpoint_by_arn(backend: SageMakerModelBackend, arn: str) -> FakeEndpoint:
    """The endpoint an ARN names (AddTags, ListTags, DeleteTags): moto looks the ARN's name up as the exact name,
    which the lower-cased ARN of a mixed-case endpoint never is."""
    for endpoint in backend.endpoints.values():
        if endpoint.arn == arn:
            return endpoint
    raise ValidationError(message=f"Could not find endpoint with name {arn.rsplit('/', 1)[-1]}")


def matches(record: Mapping[str, Any], expression: Mapping[str, Any] | None) -> bool:
    """Whether an Endpoint record of Search satisfies a SearchExpression of the two kinds of filter this layer
    implements; any other expression is refused, never ignored.

    AWS facts (SageMaker API Reference, Search and the Filter data type): a filter names "A resource property name"
    (``EndpointArn``) or a tag as ``Tags.<key>``; Operator ``Equals`` ("The value of Name equals Value", also when only
    a Value is given) or ``Exists`` ("The Name property exists"); the filters of one expression are combined with its
    Operator, And by default. Equals compares exactly here (an endpoint's ARN is lower case, so a lower-case ARN
    matches it whatever Search does with case).
    """
    if not expression:
        return True
    unknown = set(expression) - {"Filters", "Operator"}
    combine = expression.get("Operator") or "And"
    if unknown or combine not in ("And", "Or"):
        raise ValidationError(
            message=f"the fidelity layer does not implement {sorted(unknown) or combine} for Endpoint"
        )
    results = [_filter_holds(record, f) for f in expression.get("Filters") or ()]
    return all(results) if combine == "And" else any(results)


def _filter_holds(record: Mapping[str, Any], given: Mapping[str, Any]) -> bool:
    name, value = given.get("Name"), given.get("Value")
    operator = given.get("Operator") or "Equals"
    tags: Sequence[Mapping[str, str]] = record.get("Tags") or ()
    if isinstance(name, str) and name.startswith("Tags.") and operator == "Exists":
        return any(t["Key"] == name.removeprefix("Tags.") for t in tags)
    if name == "EndpointArn" and operator == "Equals":
        return record.get("EndpointArn") == value
    raise ValidationError(message=f"the fidelity layer does not implement the filter {name} {operator} for Endpoint")


PATCHES: tuple[tuple[object, str, object], ...] = (
    (FakeEndpoint, "arn_formatter", staticmethod(_endpoint_arn_lower_cases_the_name)),
)
