"""Fault injection at the botocore layer: answer chosen API calls with an AWS error instead of sending them.

``with inject(client, "RegisterScalableTarget", "ThrottlingException", when="fraud-detector"): ...`` makes every
RegisterScalableTarget call whose request mentions ``fraud-detector`` fail as AWS would fail it. The hook runs on
botocore's ``before-call`` event, so the error bypasses retries and surfaces as the ClientError a caller would see
after them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders
from botocore.exceptions import ReadTimeoutError


def _error_response(params: dict[str, Any], code: str, message: str, status: int) -> tuple[AWSResponse, dict[str, Any]]:
    """What a ``before-call`` handler returns to answer the call with an AWS error instead of sending it."""
    error = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}
    return AWSResponse(params.get("url", "https://aws.invalid"), status, HTTPHeaders(), None), error


@contextmanager
def _hooked(clients: Iterable[Any], *hooks: tuple[str, Any], last: str = "") -> Iterator[None]:
    """Registers each (event, handler) on every client for the block (the ``last`` event's handler after every
    other handler of that event), and unregisters them after it."""
    clients = tuple(clients)
    for client in clients:
        for event, handler in hooks:
            register = client.meta.events.register_last if event == last else client.meta.events.register
            register(event, handler)
    try:
        yield
    finally:
        for client in clients:
            for event, handler in hooks:
                client.meta.events.unregister(event, handler)


def _event(stage: str, client: Any, operation: str) -> str:
    return f"{stage}.{client.meta.service_model.service_id.hyphenize()}.{operation}"


@contextmanager
def inject(
    client: Any, operation: str, code: str, *, when: str = "", status: int = 400, message: str = "Rate exceeded"
) -> Iterator[list[str]]:
    """Yields the list of request bodies that were failed, so a test can check the fault was actually hit."""
    hit: list[str] = []

    def hook(params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        body = params.get("body", b"")
        text = body.decode() if isinstance(body, bytes) else json.dumps(body, default=str)
        if when not in text:
            return None
        hit.append(text)
        return _error_response(params, code, message, status)

    with _hooked([client], (_event("before-call", client, operation), hook)):
        yield hit


# --- every call in turn: the enumeration and the injection used by tests/reliability --------------------------------

# AWS error code -> the HTTP status AWS answers it with.
ERROR_FAULTS: dict[str, int] = {
    "ThrottlingException": 400,
    "ConcurrentUpdateException": 400,
    "InternalServiceException": 500,
}
READ_TIMEOUT = "ReadTimeout"
FAULT_KINDS: tuple[str, ...] = (*ERROR_FAULTS, READ_TIMEOUT)


def _operation(model: Any) -> tuple[str, str]:
    return str(model.service_model.service_name), str(model.name)


@contextmanager
def record_calls(*clients: Any) -> Iterator[list[tuple[str, str]]]:
    """Yields the list of (service, operation) of every API call made through ``clients``, in call order: one entry
    per call (botocore's ``before-call``, so a retried call is one entry, and each page of a paginator is one)."""
    calls: list[tuple[str, str]] = []

    def hook(model: Any, **_: Any) -> None:
        calls.append(_operation(model))

    with _hooked(clients, ("before-call", hook)):
        yield calls


@contextmanager
def fail_call(clients: Any, position: int, kind: str) -> Iterator[list[tuple[str, str]]]:
    """Fails the ``position``-th API call (1-based, counted over ``clients`` in call order, as ``record_calls``
    numbers them) with ``kind``, one of FAULT_KINDS; every other call goes through. Yields the calls seen so far.

    - an AWS error (ThrottlingException, ConcurrentUpdateException: HTTP 400; InternalServiceException: HTTP 500) is
      answered on ``before-call``, so it is what a caller sees once botocore's retries are spent;
    - ``ReadTimeout`` raises botocore's ReadTimeoutError on ``before-send``, registered last: under ``moto.mock_aws``
      moto's own ``before-send`` handler has processed the request by then, so the write happened and only the
      response is lost (the harder case: the caller cannot know). It goes through botocore's retry handler, which
      retries it when ``max_attempts`` allows.
    """
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}: one of {FAULT_KINDS}")
    calls: list[tuple[str, str]] = []
    armed: list[bool] = [False]

    def on_call(model: Any, params: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]] | None:
        calls.append(_operation(model))
        if len(calls) != position:
            return None
        if kind == READ_TIMEOUT:
            armed[0] = True
            return None
        return _error_response(params, kind, f"injected {kind} on call {position}", ERROR_FAULTS[kind])

    def on_send(request: Any, **_: Any) -> None:
        if armed[0]:
            armed[0] = False
            raise ReadTimeoutError(endpoint_url=request.url)

    with _hooked(clients, ("before-call", on_call), ("before-send", on_send), last="before-send"):
        yield calls


class _Body:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


@contextmanager
def throttle_sends(client: Any, operation: str, times: int = 1) -> Iterator[list[str]]:
    """Answers the first ``times`` HTTP sends of ``operation`` with a ThrottlingException response, at the transport
    (``before-send``), so botocore's retry handler sees them as it would see AWS's. For JSON-protocol services, over
    real HTTP (``LocalAws``): under ``mock_aws`` moto's own handler would still process the request. Yields the URLs
    of the throttled sends."""
    throttled: list[str] = []
    body = json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"}).encode()

    def hook(request: Any, **_: Any) -> AWSResponse | None:
        if len(throttled) >= times:
            return None
        throttled.append(request.url)
        headers = HTTPHeaders()
        headers["Content-Type"] = "application/x-amz-json-1.1"
        return AWSResponse(request.url, 400, headers, _Body(body))

    with _hooked([client], (_event("before-send", client, operation), hook)):
        yield throttled
