"""localaws.calls: the one read/write classification of AWS calls, and the counter's attach and detach."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from localaws.calls import CallCounter, is_read


@pytest.mark.parametrize(
    ("operation", "read"),
    [
        ("DescribeAlarms", True),
        ("ListTags", True),
        ("GetParameter", True),
        ("SearchResources", True),
        ("Scan", True),
        ("PutItem", False),
        ("DeleteItem", False),
        ("PutScalingPolicy", False),
        ("RegisterScalableTarget", False),
        ("SendMessageBatch", False),
        ("DeleteAlarms", False),
    ],
)
def test_is_read(operation: str, read: bool) -> None:
    assert is_read(operation) is read


@pytest.fixture(autouse=True)
def _aws() -> Iterator[None]:
    with mock_aws():
        yield


def call_twice(client: Any) -> None:
    client.describe_alarms()
    client.delete_alarms(AlarmNames=["a"])


def test_a_client_attached_twice_counts_each_call_once_until_detached() -> None:
    client = boto3.session.Session().client("cloudwatch")
    counter = CallCounter(client)
    counter.attach(client)
    call_twice(client)
    assert counter.reads == {("cloudwatch", "DescribeAlarms"): 1}
    assert counter.writes == {("cloudwatch", "DeleteAlarms"): 1}
    counter.detach()
    call_twice(client)
    assert sum(counter.calls.values()) == 2


def test_a_session_counts_the_clients_it_makes_later() -> None:
    session = boto3.session.Session()
    counter, other = CallCounter(), CallCounter()
    counter.attach_session(session)
    other.attach_session(session)
    client = session.client("cloudwatch")
    counter.attach(client)  # already counted through the session: still once, and now reached by detach
    call_twice(client)
    assert counter.calls == other.calls == {("cloudwatch", "DescribeAlarms"): 1, ("cloudwatch", "DeleteAlarms"): 1}
    counter.detach()
    call_twice(client)
    assert sum(counter.calls.values()) == 2
    assert sum(other.calls.values()) == 4  # another counter on the same session is not detached
