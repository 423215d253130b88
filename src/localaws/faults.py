"""Fault injection at the botocore layer: answer chosen API calls with an AWS error instead of sending them.

``with inject(client, "RegisterScalableTarget", "ThrottlingException", when="fraud-detector"): ...`` makes every
RegisterScalableTarget call whose request mentions ``fraud-detector`` fail as AWS would fail it. The hook runs on
botocore's ``before-call`` event, so the error bypasses retries and surfaces as the ClientError a caller would see
after them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.awsrequest import AWSResponse, HTTPHeaders


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
        error = {"Error": {"Code": code, "Message": message}, "ResponseMetadata": {"HTTPStatusCode": status}}
        return AWSResponse(params.get("url", "https://aws.invalid"), status, HTTPHeaders(), None), error

    event = f"before-call.{client.meta.service_model.service_id.hyphenize()}.{operation}"
    client.meta.events.register(event, hook)
    try:
        yield hit
    finally:
        client.meta.events.unregister(event, hook)
