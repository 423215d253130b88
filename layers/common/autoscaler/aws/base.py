"""What every per-service part of the adapter shares: the clients, made on first use, and paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LazyClient:
    """A boto3 client made on its first attribute access (``client.describe_endpoint``, ``client.meta``).

    Making a client loads its service model (tens of milliseconds each); a handler needs only some of the six.
    """

    def __init__(self, make: Callable[[], Any]) -> None:
        self._make = make
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if name in ("_make", "_client"):  # not set yet (copy, pickle): no client to make
            raise AttributeError(name)
        if self._client is None:
            self._client = self._make()
        return getattr(self._client, name)


class Clients:
    """The clients and the caches of one execution environment, as the per-service parts use them (the fields of
    ``autoscaler.aws.Aws``, which composes the parts)."""

    sagemaker: Any
    autoscaling: Any
    cloudwatch: Any
    events: Any
    ssm: Any
    ec2: Any
    _make_client: Callable[[str], Any] | None
    _extra_clients: dict[str, Any]

    def client(self, service: str) -> Any:
        """A client of one more service (the Tagging API, SQS), made like the others by ``create()``: same region,
        retry configuration and endpoint URL (a local emulator's, or AWS's own), created once and kept."""
        if service not in self._extra_clients:
            if self._make_client is None:
                raise RuntimeError(f"no {service} client: build Aws with Aws.create()")
            self._extra_clients[service] = self._make_client(service)
        return self._extra_clients[service]

    @staticmethod
    def _pages(client: Any, operation: str, key: str, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        for page in client.get_paginator(operation).paginate(**kwargs):
            items += page.get(key, ())
        return items


def page_size(size: int) -> dict[str, Any]:
    return {"PaginationConfig": {"PageSize": size}}
