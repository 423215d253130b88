"""A new event source, added the way autoscaler/events.py's docstring says: a parser and its row in the table of
event sources. The row is passed to ``route`` here instead of being added to ``SOURCES``; nothing else changes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from autoscaler.event_fields import endpoint_in_arn, text_member
from autoscaler.event_sources import SOURCES
from autoscaler.events import route
from autoscaler.settings import Settings
from autoscaler.triggers import EventSource, Trigger
from autoscaler.untrusted import BadInputError, shown

from .test_events import FakeDirectory

SETTINGS = Settings()


def _model_promoted(
    event: Mapping[str, Any], detail: Mapping[str, Any], label: str, event_id: str, settings: Settings
) -> Trigger:
    """A made-up "Model Promoted" event naming the endpoint that now serves the model, by ARN."""
    arn = text_member(detail, "endpointArn", "detail")
    name = endpoint_in_arn(arn)
    if name is None:
        raise BadInputError(f"detail.endpointArn is {shown(arn)}, not a SageMaker endpoint ARN")
    return Trigger(label, event_id, arn_names=(name,), arns=(arn,), via="endpoint ARN of the promotion")


PROMOTED = EventSource("example.models", "Model Promoted", _model_promoted, lambda detail: "example:promoted")
WITH_PROMOTED = {**SOURCES, PROMOTED.key: PROMOTED}


def promotion(arn: object) -> dict[str, Any]:
    return {
        "id": "0d2b8c8e-7c3f-4d1e-9a55-000000000001",
        "source": "example.models",
        "detail-type": "Model Promoted",
        "time": "2026-11-25T12:00:00Z",
        "detail": {"endpointArn": arn},
    }


def test_a_new_source_in_the_table_routes_its_endpoint_by_the_real_name() -> None:
    directory = FakeDirectory()
    event = promotion("arn:aws:sagemaker:us-east-1:123456789012:endpoint/myendpoint")

    routing = route(event, SETTINGS, directory, WITH_PROMOTED)

    assert (routing.trigger, routing.endpoints) == ("example:promoted", ("MyEndpoint",))
    assert routing.reason == "endpoint ARN of the promotion, name resolved"
    assert [r.trigger for r in routing.requests()] == ["example:promoted"]
    assert directory.calls == [
        "DescribeEndpoint myendpoint",
        "Search arn:aws:sagemaker:us-east-1:123456789012:endpoint/myendpoint",
    ]


def test_a_malformed_event_of_the_new_source_is_dropped_naming_the_field() -> None:
    routing = route(promotion(["not", "an", "arn"]), SETTINGS, FakeDirectory(), WITH_PROMOTED)

    assert (routing.endpoints, routing.malformed) == ((), True)
    assert routing.reason == "detail.endpointArn is a list, not a string"


def test_without_its_row_the_same_event_is_one_no_rule_sends() -> None:
    routing = route(
        promotion("arn:aws:sagemaker:us-east-1:123456789012:endpoint/myendpoint"), SETTINGS, FakeDirectory()
    )

    assert (routing.endpoints, routing.unknown) == ((), True)
    assert routing.reason == "no trigger for source 'example.models' and detail-type 'Model Promoted'"
