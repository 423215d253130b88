"""The scale benchmark: ``python -m bench scale [--sizes 1000,5000,20000]`` (``make bench-scale``).

For each N, a fresh local AWS (``bench.server``: moto_server with the fidelity layer, AWS's page sizes) is seeded with
N endpoints of ``bench.world``'s mix and the controller's first apply of each, inside the server process
(``bench.seeding``: fast, and not measured). Then, counting the controller's calls only:

- the no-drift sweep, cold (a fresh execution environment) and warm (the same one again): calls, calls per endpoint,
  the paged-read floor and the ratio to it (``bench.scale_model``), wall time, peak memory (tracemalloc, in a second
  run of the same pass), the invocations and the longest one, projected to real AWS at 100 ms and 30 ms per call
  against the sweeper's timeout (template.yaml) and Lambda's 900 s;
- the router: AWS calls for one tag event of one endpoint (CloudTrail AddTags, and Tag Change on Resource), cold and
  warm;
- once, on the first N's world: a burst of reconcile messages (default 1,000 over 100 endpoints, nothing changed in
  between) delivered to the reconciler's handler in FIFO batches of 10 as Lambda's event source mapping does:
  reconciles per endpoint and AWS calls.

It prints a table and PASS/FAIL per target, and writes ``docs/bench-scale.json`` (``--out``).
"""

from __future__ import annotations

import argparse
import copy
import gc
import json
import platform
import resource
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import boto3
from botocore import serialize

from autoscaler import coalesce
from autoscaler.actions import CLOUDWATCH, PutAlarm, request
from autoscaler.aws import Aws
from autoscaler.events import enqueue, route
from autoscaler.messages import ReconcileRequest
from autoscaler.reconciler import Deps
from bench import scale_model, world
from bench.main import quiet
from bench.passes import SETTINGS, Environment, naive_actions
from bench.seeding import POLICY_ARN_PLACEHOLDER
from bench.server import BenchServer
from localaws.calls import CallCounter
from localaws.pipeline import EventSourceMapping, Function, Template
from localaws.sweeps import create_place
from localaws.sweeps import run_sweep as run_local_sweep

ROOT = Path(__file__).resolve().parent.parent
EVENTS = {
    "CloudTrail AddTags": ROOT / "events" / "cloudtrail-addtags.json",
    "Tag Change on Resource": ROOT / "events" / "tag-change-on-resource-endpoint.json",
}
ROUTED_ENDPOINT = world.endpoint_name(1)
TEMPLATE_OPERATIONS: dict[str, dict[str, int]] = {}  # of the last world seeded: for the projected sizes


# ------------------------------------------------------------------------------------------------ the sweep driver


@dataclass(frozen=True)
class InvocationStats:
    """One Lambda invocation of the sweeper: the AWS calls it made and its wall time."""

    calls: int
    seconds: float


def run_sweep(deps: Deps, queue_url: str, sweep_id: str, calls: Callable[[], int]) -> list[InvocationStats]:
    """One whole sweep as the sweeper function runs it (``localaws.sweeps.run_sweep``: the scheduled invocation, then
    every continuation and shard message of the sweep queue, each its own invocation), one ``InvocationStats`` per
    invocation, in order; its calls include the sweep's own S3, SQS and DynamoDB calls. Each invocation's budget is
    what the handler's would be on real AWS at the projection's latency: it is spent when the calls it made
    (``calls``, the running total of the counted calls) at ``scale_model.LATENCIES_MS[0]`` each fill half the sweeper's
    timeout, so a fleet the benchmark measures splits into invocations where a real one would."""
    # The stack's bucket, queue and table exist before any sweep: made with an Aws of their own, not counted.
    sqs = deps.aws.client("sqs")
    place = create_place(Aws.create(endpoint_url=sqs.meta.endpoint_url), name=sweep_id)
    limit = scale_model.budget_calls(sweeper_timeout(), scale_model.LATENCIES_MS[0])

    def budget() -> Callable[[], bool]:
        started = calls()
        return lambda: calls() - started >= limit

    runs = run_local_sweep(deps, queue_url, place, budget, sweep_id=sweep_id)
    return [InvocationStats(run.call_count, run.seconds) for run in runs]


# ------------------------------------------------------------------------------------------------ seeding


def templates(url: str) -> dict[str, list[dict[str, Any]]]:
    """The first apply of one period of the mix, planned by the library (uncounted) and rendered as the reconciler
    sends it: AAS requests serialised as botocore does (so the server sees what HTTP would carry), alarms as
    parameters with a placeholder for their policy's ARN."""
    seeded = world.endpoint_mix(world.MIX_PERIOD)
    planner = Environment(url, CallCounter())
    service = boto3.session.Session(region_name=world.REGION)._session.get_service_model("application-autoscaling")
    serializer = serialize.create_serializer(service.metadata["protocol"], include_validation=True)
    found: dict[str, list[dict[str, Any]]] = {}
    for name, actions in naive_actions(planner.aws, seeded).items():
        rendered = []
        for action in actions:
            arn = POLICY_ARN_PLACEHOLDER % action.alarm.policy_name if isinstance(action, PutAlarm) else None
            one = request(action, arn)
            if one.service == CLOUDWATCH:
                params = json.loads(json.dumps(dict(one.params)))
            else:
                body = serializer.serialize_to_request(dict(one.params), service.operation_model(one.operation))
                params = json.loads(body["body"])
            rendered.append({"operation": one.operation, "params": params})
        found[name] = rendered
    return found


def template_operations(rendered: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, int]]:
    """Per template endpoint: how many of each write its first apply makes."""
    return {name: dict(Counter(r["operation"] for r in requests)) for name, requests in rendered.items()}


def seeded_counts(size: int, operations: dict[str, dict[str, int]]) -> scale_model.Seeded:
    """What N endpoints of the mix hold once applied (``operations``: ``template_operations``)."""
    mix = world.endpoint_mix(size)
    per = Counter[str]()
    for i in range(size):
        per.update(operations[world.endpoint_name(i % world.MIX_PERIOD)])
    cpu = [e for e in mix if e.category == "cpu-batch"]  # the profile with a CPU target
    return scale_model.Seeded(
        endpoints=size,
        targets=per["RegisterScalableTarget"],
        policies=per["PutScalingPolicy"],
        schedules=per["PutScheduledAction"],
        alarms=per["PutMetricAlarm"],
        profiles=len({e.profile or "default" for e in mix}),
        configs_needing_instance_types=len(cpu),
        instance_types=len({world.instance_type(e, v) for e in cpu for v in e.variants}),
    )


def seed(server: BenchServer, size: int, log: Callable[[str], None]) -> tuple[str, scale_model.Seeded, float]:
    """The shared resources over HTTP, the endpoints and their first apply inside the server (``bench.seeding``)."""
    started = time.perf_counter()
    queue_url = world.seed_shared(server.endpoint_url)
    made = server.command("create_endpoints", count=size)
    log(f"N={size}: {size} endpoints created in the server in {made['seconds']:.1f}s")
    rendered = templates(server.endpoint_url)
    TEMPLATE_OPERATIONS.update(template_operations(rendered))
    applied = server.command("apply_templates", count=size, templates=rendered)
    log(f"N={size}: first apply seeded ({applied['result']} writes) in {applied['seconds']:.1f}s")
    return queue_url, seeded_counts(size, template_operations(rendered)), time.perf_counter() - started


# ------------------------------------------------------------------------------------------------ measuring


@contextmanager
def traced() -> Iterator[Callable[[], int]]:
    gc.collect()
    tracemalloc.start()
    try:
        yield lambda: tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure_sweeps(
    url: str, queue_url: str, seeded: scale_model.Seeded, timeout: int, memory: str, log: Callable[[str], None]
) -> list[dict[str, Any]]:
    counter = CallCounter()
    total = lambda: sum(counter.calls.values())  # noqa: E731
    env = Environment(url, counter)  # cold for the first sweep, warm for the second
    rows = []
    for kind in ("cold", "warm"):
        gc.collect()
        counter.reset()
        peak = None
        if memory == "same":  # timed under tracemalloc: one sweep for both
            with traced() as peak_now:
                invocations = run_sweep(env.deps(), queue_url, f"scale-{kind}", total)
                peak = round(peak_now() / 2**20, 2)
        else:
            invocations = run_sweep(env.deps(), queue_url, f"scale-{kind}", total)
        by_operation = {f"{s}:{op}": n for (s, op), n in sorted(counter.calls.items())}
        enqueued = len(world.drain(url, queue_url))
        if memory == "again":  # the same pass again, in the same kind of environment, under tracemalloc
            again = Environment(url, CallCounter()) if kind == "cold" else env
            with traced() as peak_now:
                run_sweep(again.deps(), queue_url, f"scale-{kind}-memory", lambda: 0)
                peak = round(peak_now() / 2**20, 2)
            world.drain(url, queue_url)
        rows.append(sweep_row(kind, seeded, by_operation, invocations, enqueued, peak, timeout))
        rows[-1]["timed_under_tracemalloc"] = memory == "same"
        log(
            f"N={seeded.endpoints}: {kind} sweep {rows[-1]['calls']} calls, {rows[-1]['seconds']:.1f}s, "
            f"ratio to floor {rows[-1]['ratio_to_floor']:.3f}, peak {peak} MiB"
        )
    return rows


def sweep_row(
    kind: str,
    seeded: scale_model.Seeded,
    by_operation: dict[str, int],
    invocations: list[InvocationStats],
    enqueued: int,
    peak_mib: float | None,
    timeout: int,
) -> dict[str, Any]:
    calls = sum(by_operation.values())
    floor = scale_model.floor(seeded, cold=kind == "cold")
    floor_total = sum(floor.values())
    longest = max(invocations, key=lambda i: i.calls)
    return {
        "environment": kind,
        "calls": calls,
        "calls_per_endpoint": round(calls / seeded.endpoints, 4),
        "by_operation": by_operation,
        "floor": floor,
        "floor_total": floor_total,
        "floor_per_endpoint": round(floor_total / seeded.endpoints, 4),
        "ratio_to_floor": round(calls / floor_total, 4),
        "above_floor": {k: by_operation.get(k, 0) - floor.get(k, 0) for k in sorted({*by_operation, *floor})},
        "seconds": round(sum(i.seconds for i in invocations), 3),
        "peak_mib": peak_mib,
        "invocations": len(invocations),
        "invocation_stats": [{"calls": i.calls, "seconds": round(i.seconds, 3)} for i in invocations],
        "longest_invocation": {"calls": longest.calls, "seconds": round(longest.seconds, 3)},
        "projection": scale_model.projection(longest.calls, timeout),
        "enqueued": enqueued,
    }


def tag_event(path: Path, endpoint: str) -> dict[str, Any]:
    """A sample tag event, about ``endpoint`` (its ARN lower-cases the name, as AWS's do)."""
    event = json.loads(path.read_text())
    arn = f"arn:aws:sagemaker:{world.REGION}:123456789012:endpoint/{endpoint.lower()}"
    text = json.dumps(event).replace("arn:aws:sagemaker:us-east-1:123456789012:endpoint/myendpoint", arn)
    return dict(json.loads(text))


def measure_router(url: str, queue_url: str) -> list[dict[str, Any]]:
    """route + enqueue, as the router's handler does, for one tag event: in a fresh environment, then again in it."""
    rows = []
    for label, path in EVENTS.items():
        counter = CallCounter()
        env = Environment(url, counter)
        for kind in ("cold", "warm"):
            event = tag_event(path, ROUTED_ENDPOINT)
            event["id"] = f"{event['id']}-{kind}"
            counter.reset()
            routing = route(event, SETTINGS, env.aws)
            sent = enqueue(env.aws, queue_url, routing.event_id, routing.requests())
            rows.append(
                {
                    "event": label,
                    "environment": kind,
                    "calls": sum(counter.calls.values()),
                    "by_operation": {f"{s}:{op}": n for (s, op), n in sorted(counter.calls.items())},
                    "enqueued": sent,
                }
            )
    world.drain(url, queue_url)
    return rows


def measure_burst(url: str, messages: int, endpoints: int, log: Callable[[str], None]) -> dict[str, Any]:
    """``messages`` reconcile requests spread over the first ``endpoints`` endpoints (round after round, distinct
    deduplication ids), received in batches of 10 and delivered to the reconciler's handler."""
    queue_url = world.create_queue(url, "burst.fifo")
    setup = Environment(url, CallCounter())
    names = [world.endpoint_name(i) for i in range(endpoints)]
    for round_ in range(messages // endpoints):
        enqueue(setup.aws, queue_url, f"burst-{round_}", [ReconcileRequest(n, "burst") for n in names])
    counter = CallCounter()
    env = Environment(url, counter)
    function = Function(Template.load(), "ReconcilerFunction", {"REFUSALS_TABLE": world.REFUSALS_TABLE})
    module: Any = function.module
    # The handler's execution environment: one Deps for the whole burst (the handler caches its own), counted, on
    # the wall clock: coalescing compares SQS's SentTimestamp with when a reconcile started (autoscaler/recent.py),
    # which a fixed planning clock in the past would never let cover anything.
    burst_deps = Deps(SETTINGS, env.aws)
    module.deps = lambda: burst_deps
    runs = Counter[str]()
    calling: Any = coalesce  # the handler's record handler calls coalesce.reconcile_endpoint (autoscaler/coalesce.py)
    reconcile = calling.reconcile_endpoint

    def counted(name: str, *args: Any, **kwargs: Any) -> Any:
        runs[name] += 1
        return reconcile(name, *args, **kwargs)

    calling.reconcile_endpoint = counted
    mapping = EventSourceMapping(world.client(url, "sqs"), queue_url, partial(_deliver, function), batch_size=10)
    started = time.perf_counter()
    try:
        delivered = mapping.drain(max_batches=messages)
    finally:
        calling.reconcile_endpoint = reconcile
    seconds = time.perf_counter() - started
    described = counter.calls.get(("sagemaker", "DescribeEndpoint"), 0)
    reconciles = max(sum(runs.values()), described)  # whichever the handler's path shows more of
    log(f"burst: {delivered} messages, {reconciles} reconciles, {sum(counter.calls.values())} calls, {seconds:.1f}s")
    return {
        "messages": messages,
        "endpoints": endpoints,
        "batch_size": 10,
        "batches": len(mapping.delivered),
        "delivered": delivered,
        "failed": len(mapping.failed),
        "reconciles": reconciles,
        "reconcile_calls_seen": sum(runs.values()),
        "describe_endpoint_calls": described,
        "reconciles_per_endpoint": round(reconciles / endpoints, 3),
        "calls": sum(counter.calls.values()),
        "by_operation": {f"{s}:{op}": n for (s, op), n in sorted(counter.calls.items())},
        "seconds": round(seconds, 2),
    }


def _deliver(function: Function, event: dict[str, Any]) -> Any:
    with quiet():
        return function(copy.deepcopy(event))


# ------------------------------------------------------------------------------------------------ the run


def sweeper_timeout() -> int:
    """The sweeper's Timeout in template.yaml: the limit of each of its invocations."""
    timeout = Template.load().resources["SweeperFunction"]["Properties"]["Timeout"]
    if isinstance(timeout, dict):  # !Ref SweeperTimeout: its default
        return int(Template.load().parameters()[timeout["Ref"]])
    return int(timeout)


def measure_size(
    size: int, memory: str, burst: tuple[int, int] | None, timeout: int, log: Callable[[str], None]
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    with BenchServer() as server:
        queue_url, seeded, seconds = seed(server, size, log)
        with quiet():
            sweeps = measure_sweeps(server.endpoint_url, queue_url, seeded, timeout, memory, log)
            router = measure_router(server.endpoint_url, queue_url)
            bursted = measure_burst(server.endpoint_url, *burst, log) if burst else None
    row = {
        "endpoints": size,
        "seeded": seeded.__dict__,
        "seed_seconds": round(seconds, 1),
        "sweeps": sweeps,
        "router": router,
        "max_rss_mib_so_far": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    return row, bursted


def main(argv: list[str], cwd: Path) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench scale", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", "--scale-sizes", default="1000,5000,20000", help="endpoint counts, comma-separated")
    parser.add_argument("--out", default="docs/bench-scale.json", help="where the results go (JSON)")
    parser.add_argument(
        "--memory",
        choices=("again", "same", "none"),
        default="again",
        help="peak memory from a second run of each sweep under tracemalloc (again: the timed run is not traced), "
        "from the timed run itself (same: one sweep, timed under tracemalloc), or not at all",
    )
    parser.add_argument(
        "--project",
        default="20000",
        help="sizes not measured, projected from the largest measured N (its ratio to the floor), comma-separated",
    )
    parser.add_argument("--burst", default="1000,100", help="messages,endpoints of the burst (on the first N), or none")
    parser.add_argument(
        "--merge",
        nargs="+",
        metavar="JSON",
        help="measure nothing: combine the results of runs made in parallel (each its own sizes) into --out",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    projected = [int(s) for s in args.project.split(",") if s.strip() and int(s) not in sizes]
    burst = None if args.burst == "none" else tuple(int(n) for n in args.burst.split(","))
    if burst is not None and (len(burst) != 2 or burst[1] > sizes[0] or burst[0] % burst[1]):
        parser.error(f"--burst {args.burst}: the endpoints must be among the first N and divide the messages")
    timeout = sweeper_timeout()
    out = (cwd / args.out).resolve()
    if args.merge:
        every = [int(s) for s in args.project.split(",") if s.strip()]  # merge projects past the largest N it has
        return merge([json.loads((cwd / path).read_text()) for path in args.merge], every, out)

    def log(message: str) -> None:
        print(f"# {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "sweeper_timeout_seconds": timeout,
        "lambda_limit_seconds": scale_model.LAMBDA_LIMIT_SECONDS,
        "latencies_ms": list(scale_model.LATENCIES_MS),
        "sizes": [],
        "burst": None,
    }
    for i, size in enumerate(sizes):
        row, found = measure_size(size, args.memory, burst if i == 0 else None, timeout, log)
        results["sizes"].append(row)
        results["burst"] = results["burst"] or found
        results["projected"] = [
            scale_model.project(seeded_counts(n, TEMPLATE_OPERATIONS), results["sizes"][-1], timeout)
            for n in projected
            if n > size
        ]
        results["targets"] = scale_model.targets(results)
        results["run_seconds"] = round(time.perf_counter() - started, 1)
        results["template_operations"] = TEMPLATE_OPERATIONS
        out.write_text(json.dumps(results, indent=2) + "\n")  # after each N: a long run keeps what it measured
        log(f"N={size} done after {results['run_seconds']:.0f} s; wrote {out}")
    print(scale_model.table(results))
    print(f"\nrun: {results['run_seconds']:.0f} s; wrote {out}")
    return 0 if all(t["status"] != "FAIL" for t in results["targets"]) else 1


def merge(runs: list[dict[str, Any]], projected: list[int], out: Path) -> int:
    """Runs made side by side (``--sizes 1000`` and ``--sizes 5000`` at once: on a loaded machine, two processes get
    more of it than one) as one result: their sizes in order, the burst, the projections from the largest N."""
    results = dict(runs[0])
    results["sizes"] = sorted((row for run in runs for row in run["sizes"]), key=lambda row: row["endpoints"])
    results["burst"] = next((run["burst"] for run in runs if run.get("burst")), None)
    results["run_seconds"] = max(run["run_seconds"] for run in runs)  # side by side: the longest
    results["merged_runs"] = [
        {"sizes": [r["endpoints"] for r in run["sizes"]], "seconds": run["run_seconds"]} for run in runs
    ]
    largest = results["sizes"][-1]
    operations = next(run["template_operations"] for run in runs if run["sizes"][-1] is largest)
    timeout = results["sweeper_timeout_seconds"]
    results["projected"] = [
        scale_model.project(seeded_counts(n, operations), largest, timeout)
        for n in projected
        if n > largest["endpoints"]
    ]
    results["targets"] = scale_model.targets(results)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(scale_model.table(results))
    print(f"\nrun: {results['run_seconds']:.0f} s (the longest of {len(runs)} side by side); wrote {out}")
    return 0 if all(t["status"] != "FAIL" for t in results["targets"]) else 1
