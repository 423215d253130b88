"""The reconcile request on the queue: what it carries, and what it refuses."""

from __future__ import annotations

import pytest

from autoscaler.messages import BadMessageError, ReconcileRequest


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
