"""A sweep's reads as it keeps them between invocations: the page streams advanced in threads until the time budget
is spent, and what they read, partitioned by endpoint into shards and stored compactly (gzip JSON) in S3."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from autoscaler.aws import Aws
from autoscaler.aws.pages import SEARCH, STREAMS
from autoscaler.names import parse_alarm_name
from autoscaler.settings import Settings
from autoscaler.tags import OPT_IN, tag_key

COMPONENTS = "components"  # the part every shard reads: the inference components' targets, policies and schedules
Reads = dict[str, list[dict[str, Any]]]  # stream -> items
# Alarm members no plan reads, and the largest (CloudWatch's state texts): left out of what is stored.
_UNREAD_ALARM_MEMBERS = ("StateReason", "StateReasonData")


def empty_reads() -> Reads:
    return {stream: [] for stream in (*STREAMS, SEARCH)}


def advance_streams(
    aws: Aws, settings: Settings, pending: dict[str, str], reads: Reads, spent: Callable[[], bool]
) -> None:
    """Reads the ``pending`` streams (stream -> next page token, empty at the start) concurrently, one thread per
    stream (each is its own API, or its own call of one), each at least one page and then until ``spent`` says the
    budget is used. Finished streams leave ``pending``; the others keep the token to resume from."""
    opted_in = tag_key(settings.tag_prefix, OPT_IN)
    for client in (aws.sagemaker, aws.autoscaling, aws.cloudwatch):
        client.meta  # noqa: B018 - make the (lazy) clients once, before the threads share them
    aws.client("resourcegroupstaggingapi")

    def _read_stream(stream: str) -> str:
        token, first = pending[stream], True
        while first or not spent():
            first = False
            page = aws.read_page(stream, token, tag_key=opted_in, name_prefix=settings.name_prefix)
            reads[stream].extend(page.items)  # each stream's list is its own thread's
            if not page.token:
                return ""
            token = page.token
        return token

    streams = list(pending)
    with ThreadPoolExecutor(max_workers=len(streams)) as pool:
        tokens = dict(zip(streams, pool.map(_read_stream, streams), strict=True))
    for stream, token in tokens.items():
        if token:
            pending[stream] = token
        else:
            del pending[stream]


def shard_of(name: str, shards: int) -> int:
    """An endpoint's (or a component's) shard: a stable hash of its lower-cased name, since the Tagging API's ARNs
    lower-case the name that AAS resource ids and alarm names spell as created."""
    return zlib.crc32(name.lower().encode()) % shards


def partition_reads(reads: Reads, shards: int, name_prefix: str) -> dict[str, Reads]:
    """The reads by shard (``"0"``..), each endpoint's items in its own shard; the inference components' targets,
    policies and schedules in ``COMPONENTS``, which every shard reads (a component's endpoint is known only from the
    component listing)."""
    parts = {str(k): empty_reads() for k in range(shards)} | {COMPONENTS: empty_reads()}

    def _put_item(stream: str, name: str, item: dict[str, Any]) -> None:
        parts[str(shard_of(name, shards))][stream].append(item)

    for item in reads["endpoints"]:
        _put_item("endpoints", item["EndpointName"], item)
    for item in reads["tagged"]:
        _put_item("tagged", item["ResourceARN"].rsplit("/", 1)[-1], item)
    for stream in ("targets", "policies", "schedules"):
        for item in reads[stream]:
            kind, name = item["ResourceId"].split("/")[:2]
            if kind == "inference-component":
                parts[COMPONENTS][stream].append(item)
            else:
                _put_item(stream, name, item)
    for item in reads["alarms"]:
        owner = parse_alarm_name(name_prefix, item["AlarmName"])
        if owner is not None:  # else not the controller's: no plan reads it
            _put_item("alarms", owner.endpoint, {k: v for k, v in item.items() if k not in _UNREAD_ALARM_MEMBERS})
    for item in reads[SEARCH]:
        record = item.get("Endpoint") or {}
        if "EndpointName" in record:
            _put_item(SEARCH, record["EndpointName"], {"Endpoint": record})
    return parts


def merge_reads(parts: Iterable[Reads]) -> Reads:
    merged = empty_reads()
    for part in parts:
        for stream, items in part.items():
            merged[stream].extend(items)
    return merged


def namespace_of(reads: Reads) -> Mapping[str, list[dict[str, Any]]]:
    """The raw namespace pages as ``group_namespace`` takes them."""
    return {stream: reads[stream] for stream in ("targets", "policies", "schedules", "alarms")}


def tagged_of(reads: Reads) -> tuple[tuple[str, dict[str, str]], ...]:
    """(ARN, tags) of the opted-in endpoints, as ``Aws.read_tagged_endpoints`` gives them."""
    return tuple((r["ResourceARN"], {t["Key"]: t["Value"] for t in r.get("Tags", ())}) for r in reads["tagged"])


def records_of(reads: Reads) -> dict[str, dict[str, Any]]:
    """The Search records by ARN, as ``Aws.search_endpoints`` gives them."""
    endpoints = (r.get("Endpoint") or {} for r in reads[SEARCH])
    return {e["EndpointArn"]: e for e in endpoints if "EndpointArn" in e}


def encode_reads(reads: Reads) -> bytes:
    """gzip JSON; datetimes (AWS's timestamps) as ``{"$t": ISO 8601}``."""

    def _stored_value(value: Any) -> Any:
        if isinstance(value, datetime):
            return {"$t": value.isoformat()}
        raise TypeError(f"{type(value).__name__} is not stored")

    return gzip.compress(json.dumps(reads, default=_stored_value, separators=(",", ":")).encode(), mtime=0)


def decode_reads(body: bytes, source: str) -> Reads:
    """``encode``'s inverse; a body that is not one raises ValueError naming ``source``."""

    def _stored_object(value: dict[str, Any]) -> Any:
        return datetime.fromisoformat(value["$t"]) if value.keys() == {"$t"} else value

    try:
        found = json.loads(gzip.decompress(body), object_hook=_stored_object)
    except (OSError, ValueError) as exc:
        raise ValueError(f"{source}: not a stored sweep read: {exc}") from exc
    if not isinstance(found, dict):
        raise TypeError(f"{source}: not a stored sweep read: {type(found).__name__}")
    return {**empty_reads(), **found}


def object_key(sweep_id: str, segment: int, part: str) -> str:
    return f"sweeps/{sweep_id}/{segment}/{part}.json.gz"


def store_parts(aws: Aws, bucket: str, sweep_id: str, segment: int, parts: Mapping[str, Reads]) -> None:
    """One object per part for this segment (the reads of one invocation), written together in threads."""
    aws.client("s3")  # made once, before the threads share it
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(
            pool.map(
                lambda p: aws.put_sweep_object(bucket, object_key(sweep_id, segment, p), encode_reads(parts[p])), parts
            )
        )


def load_part(aws: Aws, bucket: str, sweep_id: str, segments: int, part: str) -> Reads:
    """A part's reads over every segment of the sweep."""
    aws.client("s3")

    def _one_segment(segment: int) -> Reads:
        key = object_key(sweep_id, segment, part)
        return decode_reads(aws.get_sweep_object(bucket, key), f"s3://{bucket}/{key}")

    with ThreadPoolExecutor(max_workers=8) as pool:
        return merge_reads(pool.map(_one_segment, range(segments)))
