"""The reconcile request on the queue: what it carries, and what it refuses."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import botocore.session
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autoscaler.messages import BadMessageError, ReconcileRequest, is_endpoint_name
from tests.mutations import DEPTH_BOMB, JSON_VALUES, SIZE_BOMB, nested_text


@pytest.mark.parametrize(
    "request_",
    [ReconcileRequest("fraud-detector", "sweep"), ReconcileRequest("llm-host", "sweep", components=True)],
)
def test_a_request_survives_the_queue(request_: ReconcileRequest) -> None:
    assert ReconcileRequest.parse(request_.to_json()) == request_


def test_the_components_flag_is_written_only_when_set_and_read_only_when_true() -> None:
    assert "components" not in ReconcileRequest("e", "sweep").to_json()
    assert ReconcileRequest.parse('{"endpoint": "e", "components": "yes"}').components is False
    assert ReconcileRequest.parse('{"endpoint": "e", "components": true}').components is True


@pytest.mark.parametrize("body", ["not json", "[]", '{"endpoint": "-bad"}', '{"endpoint": 3}'])
def test_what_is_not_a_request_is_refused(body: str) -> None:
    with pytest.raises(BadMessageError):
        ReconcileRequest.parse(body)


# --- names SageMaker forbids, and bodies that are not requests ------------------------------------------------------

LONGEST = "a" + "-" * 61 + "b"  # 63 characters: the most the EndpointName shape allows


@pytest.mark.parametrize(
    "name",
    [
        "a" + "-" * 70 + "b",  # matches the pattern's letters-and-digits bound, but has 72 characters
        "e" * 64,
        LONGEST + "c",
        "",
        "bad-",
        "a_b",
        "a--b\n",
        "ep\u00e9",
    ],
)
def test_a_request_naming_an_endpoint_sagemaker_forbids_is_refused(name: str) -> None:
    body = json.dumps({"endpoint": name, "trigger": "test"})

    with pytest.raises(BadMessageError, match="is not a SageMaker endpoint name"):
        ReconcileRequest.parse(body)
    with pytest.raises(BadMessageError):
        ReconcileRequest(name)  # nor can such a request be built


@pytest.mark.parametrize("name", [LONGEST, "e" * 63, "a", "A-9", "a---b"])
def test_a_request_naming_the_longest_and_shortest_names_sagemaker_allows_is_read(name: str) -> None:
    assert ReconcileRequest.parse(json.dumps({"endpoint": name})).endpoint == name


@cache
def _endpoint_name_shape() -> dict[str, Any]:
    """EndpointName in botocore's SageMaker service model (what the SageMaker API Reference documents)."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    return dict(model.shape_for("EndpointName").metadata)


@given(st.text(alphabet="aZ09-_.", max_size=80))
@settings(max_examples=300, deadline=None)  # the first example loads the service model
def test_the_endpoint_name_rule_is_botocores_sagemaker_endpointname_shape(name: str) -> None:
    shape = _endpoint_name_shape()
    allowed = len(name) <= shape["max"] and re.fullmatch(shape["pattern"], name) is not None

    assert is_endpoint_name(name) is allowed


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (nested_text(2_000), "message body nests deeper than 4 levels"),
        (nested_text(DEPTH_BOMB), "message body has 20000 characters: more than 4096"),
        ('{"endpoint": "e", "x": ' + nested_text(2_000) + "}", "message body nests deeper than 4 levels"),
        (json.dumps({"endpoint": "e", "trigger": "x" * SIZE_BOMB}), "characters: more than 4096"),
        ('{"endpoint": "e",', "message body is not JSON"),
        (None, "message body is null, not text"),
        (b'{"endpoint": "e"}', "message body is bytes, not text"),
        ('"fraud-detector"', "message body is a string, not a JSON object"),
        ("{}", "message body has no 'endpoint'"),
        (json.dumps({"endpoint": "e", "trigger": ["sweep"]}), "'trigger' a list is not a string"),
        (json.dumps({"endpoint": "e", "trigger": "t" * 257}), "is not a string of at most 256 characters"),
    ],
)
def test_a_body_that_is_no_request_is_refused_with_its_reason_never_a_recursion_error(
    body: object, reason: str
) -> None:
    with pytest.raises(BadMessageError) as refused:
        ReconcileRequest.parse(body)

    assert reason in str(refused.value)
    assert len(str(refused.value)) < 300  # the reason does not carry the body


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    request = ReconcileRequest.parse(json.dumps({"endpoint": "e", "trigger": '[[[[[[[[{{{{{{\\"]]'}))

    assert request.trigger == '[[[[[[[[{{{{{{\\"]]'


@given(body=JSON_VALUES.map(json.dumps) | st.text(max_size=50) | st.builds(nested_text, st.integers(1, DEPTH_BOMB)))
@settings(max_examples=300, deadline=None)
def test_any_body_is_a_request_or_a_bad_message_never_another_error(body: str) -> None:
    try:
        request: ReconcileRequest | BadMessageError = ReconcileRequest.parse(body)
    except BadMessageError as refused:
        request = refused

    if isinstance(request, BadMessageError):
        assert str(request)  # a reason, not an empty message
    else:
        assert is_endpoint_name(request.endpoint)
