"""A sweep at any size: one invocation while it fits, else checkpoints, continuations and shards on SQS.

The scheduled invocation takes the sweep's lock (a conditional PutItem in the sweep table; a sweep still running
when the next schedule fires makes that one skip, counted as ``SweepSkipped``) and reads the six page streams
concurrently until half its remaining time is used (``time_budget``). A fleet that fits is planned in the same
invocation, exactly as ``autoscaler.sweep.sweep``. Otherwise the invocation checkpoints: what it read goes to the
stack's bucket partitioned by endpoint into ``SWEEP_SHARDS`` shards (``autoscaler.sweep_store``), and a continuation
message with each stream's page token goes to the sweep queue, whose event source mapping invokes the sweeper again.
Continuations add SageMaker Search as a seventh stream, so the shards describe no endpoint Search shows. When every
stream is done, the last one sends one message per shard. Each shard worker plans its endpoints
(``autoscaler.sweep.plan_part``), enqueues its drifted ones, deletes its orphan alarms and releases its orphan
components, and adds its counts to the lock item with one conditional UpdateItem (ADD), which names the shard, so a
retried shard counts once; the shard whose update completes the set reports the sweep and releases the lock.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.metrics import MetricUnit

from autoscaler.aws.pages import SEARCH, STREAMS
from autoscaler.observability import logger, metrics
from autoscaler.reconciler import Deps
from autoscaler.sweep import SweepInput, SweepResult, plan_part, report_sweep
from autoscaler.sweep_store import (
    COMPONENTS,
    Reads,
    advance_streams,
    empty_reads,
    load_part,
    merge_reads,
    namespace_of,
    partition_reads,
    records_of,
    shard_of,
    store_parts,
    tagged_of,
)

LOCK = {"pk": {"S": "lock"}}
LOCK_SECONDS = 3600  # a lock left by a sweep that died expires: renewed by every continuation
COUNTED = (
    "endpoints",
    "drifted",
    "rejected",
    "skipped",
    "deleted_alarms",
    "released_components",
    "scalable_targets",
)


def time_budget(remaining_ms: int, clock: Callable[[], float] = time.monotonic) -> Callable[[], bool]:
    """Whether half the invocation's remaining time (``context.get_remaining_time_in_millis()``) is used. The other
    half is the margin for the call in flight when it is, the checkpoint's writes and retries."""
    deadline = clock() + remaining_ms / 2000
    return lambda: clock() >= deadline


@dataclass(frozen=True)
class Place:
    """Where a sweep keeps itself between invocations (the stack's SweepBucket, SweepQueue, SweepTable)."""

    bucket: str
    queue_url: str
    table: str
    shards: int


def run_sweep_step(
    event: Mapping[str, Any], deps: Deps, queue_url: str, place: Place, spent: Callable[[], bool], sweep_id: str
) -> dict[str, Any]:
    """The sweeper's one entry: the schedule starts a sweep; a sweep-queue message continues one."""
    records = event.get("Records")
    if isinstance(records, list) and records:
        return {"messages": [_sweep_message(r, deps, queue_url, place, spent) for r in records]}
    return start_sweep(deps, queue_url, place, spent, sweep_id)


def start_sweep(deps: Deps, queue_url: str, place: Place, spent: Callable[[], bool], sweep_id: str) -> dict[str, Any]:
    aws, now = deps.aws, int(deps.clock().timestamp())
    item = {
        **LOCK,
        "sweep_id": {"S": sweep_id},
        "expires_at": {"N": str(now + LOCK_SECONDS)},
        "read_segment": {"N": "0"},
    }
    if not aws.put_sweep_item(
        place.table, item, "attribute_not_exists(pk) OR expires_at < :now", {":now": {"N": str(now)}}
    ):
        logger.warning("sweep skipped: the previous sweep is still running", extra={"sweep": sweep_id})
        metrics.add_metric(name="SweepSkipped", unit=MetricUnit.Count, value=1)
        return {"skipped": sweep_id}
    try:
        reads, pending = empty_reads(), dict.fromkeys(STREAMS, "")
        advance_streams(aws, deps.settings, pending, reads, spent)
        if not pending:
            found = _sweep_input(deps, reads, len(reads["endpoints"]), None, prune=True)
            result = plan_part(deps, queue_url, sweep_id, found, spent)
            if result is not None:
                report_sweep(deps.aws, result.sweep_counts(), **result.to_dict())
                _release_lock(deps, place, sweep_id)
                return result.to_dict()
            logger.info("sweep: planning outgrew the budget, sharding", extra={"sweep": sweep_id})
        else:
            pending[SEARCH] = ""
        return _checkpoint_reads(deps, place, sweep_id, 0, 0, "", pending, reads)
    except Exception:
        _release_lock(deps, place, sweep_id)  # the next schedule starts afresh
        raise


def _sweep_message(
    record: Mapping[str, Any], deps: Deps, queue_url: str, place: Place, spent: Callable[[], bool]
) -> dict[str, Any]:
    try:
        message = json.loads(record["body"])
        phase, sweep_id = message["phase"], str(message["sweep"])
    except (KeyError, TypeError, ValueError) as exc:  # not the sweeper's own message: dropped with its reason
        reason = f"sweep queue message is not a sweep step: {type(exc).__name__}: {exc}"
        logger.warning("sweep: message dropped", extra={"reason": reason})
        return {"dropped": reason}
    if phase == "read":
        return _continue_reads(deps, place, spent, sweep_id, message, str(record.get("messageId", "")))
    if phase == "shard":
        return _sweep_shard(deps, queue_url, place, sweep_id, message)
    logger.warning("sweep: message dropped", extra={"reason": f"unknown phase {phase!r}"})
    return {"dropped": f"unknown phase {phase!r}"}


def _continue_reads(
    deps: Deps, place: Place, spent: Callable[[], bool], sweep_id: str, message: Mapping[str, Any], message_id: str
) -> dict[str, Any]:
    reads, pending = empty_reads(), dict(message["pending"])
    advance_streams(deps.aws, deps.settings, pending, reads, spent)
    return _checkpoint_reads(
        deps, place, sweep_id, int(message["segment"]), int(message["among"]), message_id, pending, reads
    )


def _checkpoint_reads(
    deps: Deps,
    place: Place,
    sweep_id: str,
    segment: int,
    among: int,
    message_id: str,
    pending: dict[str, str],
    reads: Reads,
) -> dict[str, Any]:
    """Stores this invocation's reads as segment ``segment``, claims the step in the lock item (a retried message
    claims it again; a stale one, of a sweep the lock no longer holds, stops), then continues or fans out."""
    aws = deps.aws
    store_parts(aws, place.bucket, sweep_id, segment, partition_reads(reads, place.shards, deps.settings.name_prefix))
    among += len(reads["endpoints"])
    expires = int(deps.clock().timestamp()) + LOCK_SECONDS
    claimed = aws.update_sweep_item(
        place.table,
        LOCK,
        "SET read_segment = :next, claimed_by = :by, expires_at = :exp",
        "sweep_id = :id AND (read_segment = :cur OR (read_segment = :next AND claimed_by = :by))",
        {
            ":id": {"S": sweep_id},
            ":cur": {"N": str(segment)},
            ":next": {"N": str(segment + 1)},
            ":by": {"S": message_id or "start"},
            ":exp": {"N": str(expires)},
        },
    )
    if claimed is None:
        logger.warning("sweep: step of a sweep no longer running dropped", extra={"sweep": sweep_id})
        return {"stale": sweep_id}
    step = {"sweep": sweep_id, "segments": segment + 1, "among": among}
    if pending:
        body = {"phase": "read", "sweep": sweep_id, "segment": segment + 1, "among": among, "pending": pending}
        aws.send_sweep_messages(place.queue_url, [json.dumps(body)])
        logger.info("sweep: checkpoint", extra={**step, "pending": sorted(pending)})
        return {"checkpoint": step}
    searched = segment > 0  # continuations read Search
    shards = [
        json.dumps({"phase": "shard", "shard": k, "shards": place.shards, "searched": searched, **step})
        for k in range(place.shards)
    ]
    aws.send_sweep_messages(place.queue_url, shards)
    logger.info("sweep: reads done, shards sent", extra={**step, "shards": place.shards})
    return {"shards": step}


def _sweep_shard(deps: Deps, queue_url: str, place: Place, sweep_id: str, message: Mapping[str, Any]) -> dict[str, Any]:
    shard, shards, segments = int(message["shard"]), int(message["shards"]), int(message["segments"])
    mine = load_part(deps.aws, place.bucket, sweep_id, segments, str(shard))
    reads = merge_reads([mine, load_part(deps.aws, place.bucket, sweep_id, segments, COMPONENTS)])
    records = records_of(reads) if message.get("searched") else None
    found = _sweep_input(deps, reads, int(message["among"]), records, prune=False)
    found = SweepInput(
        found.listed, found.tagged, found.namespace, found.among, records, lambda c: shard_of(c, shards) == shard
    )
    result = plan_part(deps, queue_url, sweep_id, found)
    assert result is not None  # no budget: a shard always finishes
    logger.info("sweep: shard done", extra={"sweep": sweep_id, "shard": shard, **result.to_dict()})
    _complete_shard(deps, place, sweep_id, shard, shards, result)
    return {"shard": shard, **result.to_dict()}


def _complete_shard(deps: Deps, place: Place, sweep_id: str, shard: int, shards: int, result: SweepResult) -> None:
    counts = result.sweep_counts()
    values = {f":{name}": {"N": str(counts[name])} for name in COUNTED}
    after = deps.aws.update_sweep_item(
        place.table,
        LOCK,
        "ADD finished_shards :shard, " + ", ".join(f"count_{name} :{name}" for name in COUNTED),
        "sweep_id = :id AND NOT contains(finished_shards, :name)",
        {**values, ":shard": {"SS": [str(shard)]}, ":name": {"S": str(shard)}, ":id": {"S": sweep_id}},
    )
    if after is None:  # counted already (a retried shard), or the sweep is no longer the lock's
        return
    if len(after.get("finished_shards", {}).get("SS", ())) == shards:
        totals = {name: int(after.get(f"count_{name}", {}).get("N", "0")) for name in COUNTED}
        report_sweep(deps.aws, totals, sweep=sweep_id, shards=shards)
        _release_lock(deps, place, sweep_id)


def _release_lock(deps: Deps, place: Place, sweep_id: str) -> None:
    deps.aws.delete_sweep_item(place.table, LOCK, "sweep_id = :id", {":id": {"S": sweep_id}})


def _sweep_input(
    deps: Deps, reads: Reads, among: int, records: Mapping[str, dict[str, Any]] | None, *, prune: bool
) -> SweepInput:
    listed = deps.aws.endpoint_summaries(reads["endpoints"], prune=prune)
    return SweepInput(listed, tagged_of(reads), namespace_of(reads), among, records)
