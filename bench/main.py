"""The benchmark run: for each N, seed, measure the controller's passes and the naive ones; cold start; layer size;
then the table, the targets, the JSON and the plot."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import platform
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from bench import coldstart, report, world
from bench.passes import Environment, Measured, apply_all, naive_actions, naive_pass, run, sweep_once
from bench.server import BenchServer
from localaws.calls import CallCounter, is_read

# (d): the heaviest endpoints of the mix without and with a CPU metric (two variants each; see bench.world).
RECONCILE_ONE = {"latency-step": "model-0009", "cpu-batch": "model-0006"}


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Powertools flushes EMF metrics to stdout; the benchmark's stdout is its table."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def measure_size(server: BenchServer, size: int, log: Any) -> list[Measured]:
    server.reset()
    url = server.endpoint_url
    started = time.perf_counter()
    seeded, queue_url = world.seed(url, size)
    log(f"N={size}: seeded in {time.perf_counter() - started:.1f}s")
    names = [e.name for e in seeded]
    counter = CallCounter()
    results: list[Measured] = []

    def keep(measured: Measured) -> Measured:
        results.append(measured)
        log(f"N={size}: {measured.way} {measured.name}: {measured.total} calls, {measured.seconds:.2f}s")
        return measured

    with quiet():
        # (a) first apply: the reconciler's environment, fresh.
        reconciler = Environment(url, counter)
        outcomes, measured = run("a", "controller", size, counter, lambda: apply_all(reconciler, names))
        measured.detail = {"statuses": dict(Counter(str(o.status) for o in outcomes))}
        keep(measured)

        # (b) sweep without drift: a fresh sweeper environment (cold), then the same one again (warm).
        cold, cold_again = Environment(url, counter), Environment(url, counter)
        swept, measured = run(
            "b",
            "controller",
            size,
            counter,
            lambda: sweep_once(cold, queue_url, "sweep-b"),
            again=lambda: sweep_once(cold_again, queue_url, "sweep-b"),
        )
        measured.detail = {"environment": "cold", "drifted": len(swept.drifted), "rejected": len(swept.rejected)}
        keep(measured)
        swept, measured = run(
            "b-warm",
            "controller",
            size,
            counter,
            lambda: sweep_once(cold, queue_url, "sweep-b2"),
            again=lambda: sweep_once(cold, queue_url, "sweep-b2"),
        )
        measured.detail = {"environment": "warm", "drifted": len(swept.drifted)}
        keep(measured)

        # (c) one field of one profile used by 10% of the endpoints changes; the warm sweeper finds the drift.
        world.put_profiles(url, world.CHANGED_TO)
        swept, measured = run(
            "c-sweep",
            "controller",
            size,
            counter,
            lambda: sweep_once(cold, queue_url, "sweep-c"),
            again=lambda: sweep_once(cold, queue_url, "sweep-c"),  # same ids: SQS drops the duplicates
        )
        enqueued = world.drain(url, queue_url)
        users = [e for e in seeded if e.profile == world.CHANGED_PROFILE]
        expected_writes = {"application-autoscaling:PutScalingPolicy": sum(len(e.variants) for e in users)}
        measured.detail = {
            "environment": "warm",
            "drifted": len(swept.drifted),
            "expected_drifted": len(users),
            "enqueued_equals_users": sorted(enqueued) == sorted(e.name for e in users),
        }
        keep(measured)
        # ... and the reconciler (warm) reconciles exactly the enqueued endpoints.
        outcomes, measured = run("c-reconcile", "controller", size, counter, lambda: apply_all(reconciler, enqueued))
        managed = {k: n for k, n in measured.calls.items() if not is_read(k.split(":")[1])}
        managed.pop("events:PutEvents", None)  # the outcome event: reporting, not configuration
        cleared = managed.pop("dynamodb:DeleteItem", 0)  # a written plan clears its refusal record (bookkeeping)
        measured.detail = {
            "enqueued": len(enqueued),
            "writes_to_scaling_configuration": managed,
            "expected_writes": expected_writes,
            "exact": managed == expected_writes,
            "outcome_events": measured.calls.get("events:PutEvents", 0),
            "refusal_records_cleared": cleared,
        }
        keep(measured)

        # (d) one event-driven reconcile without drift, in a fresh (cold) and in the warm reconciler environment.
        for category, name in RECONCILE_ONE.items():
            first, second = Environment(url, counter), Environment(url, counter)  # fresh: made before the clock
            known = len(first.aws._hardware)
            _, measured = run(
                f"d-{category}",
                "controller",
                1,
                counter,
                partial(apply_all, first, [name]),
                again=partial(apply_all, second, [name]),
            )
            endpoint = next(e for e in seeded if e.name == name)
            measured.detail = {
                "environment": "cold",
                "endpoint": name,
                "variants": len(endpoint.variants),
                "instance_type_lookups": len(first.aws._hardware) - known,  # instance types it had to look up
            }
            keep(measured)
            known = len(reconciler.aws._hardware)
            _, measured = run(
                f"d-{category}-warm",
                "controller",
                1,
                counter,
                partial(apply_all, reconciler, [name]),
                again=partial(apply_all, reconciler, [name]),
            )
            measured.detail = {
                "environment": "warm",
                "endpoint": name,
                "variants": len(endpoint.variants),
                "instance_type_lookups": len(reconciler.aws._hardware) - known,
            }
            keep(measured)

        measure_naive(url, seeded, counter, keep)
    return results


def measure_naive(url: str, seeded: list[world.SeededEndpoint], counter: CallCounter, keep: Any) -> None:
    """The naive way: the same passes, writing everything, reading nothing (its configuration is its own)."""
    names, size = [e.name for e in seeded], len(seeded)
    planner = Environment(url, CallCounter())
    actions = naive_actions(planner.aws, seeded)
    naive = Environment(url, counter)
    for name in ("a", "b", "c"):
        _, measured = run(
            name,
            "naive",
            size,
            counter,
            lambda: naive_pass(naive.aws, actions, names),
            again=lambda: naive_pass(naive.aws, actions, names),
        )
        keep(measured)
    for category, name in RECONCILE_ONE.items():
        _, measured = run(
            f"d-{category}",
            "naive",
            1,
            counter,
            partial(naive_pass, naive.aws, actions, [name]),
            again=partial(naive_pass, naive.aws, actions, [name]),
        )
        keep(measured)


def main(argv: list[str], cwd: Path) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--sizes", default="10,100,500", help="endpoint counts, comma-separated (default 10,100,500)")
    parser.add_argument("--out", default="bench-results", help="directory for results.json and bench.png")
    parser.add_argument("--runs", type=int, default=10, help="fresh interpreters per cold-start measurement")
    parser.add_argument("--build", action="store_true", help="run `make build` before measuring the layer")
    parser.add_argument("--no-coldstart", action="store_true", help="skip the cold-start measurement")
    parser.add_argument("--no-plot", action="store_true", help="skip the PNG plot")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    out = (cwd / args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(f"# {message}", file=sys.stderr, flush=True)  # progress; stdout is the table

    passes: list[Measured] = []
    with BenchServer() as server:
        for size in sizes:
            passes += measure_size(server, size, log)
    cold = [] if args.no_coldstart else coldstart.measure_all(args.runs)
    check = {} if args.no_coldstart else coldstart.measure_constraints_check(args.runs)
    layer = coldstart.layer_size(args.build)
    results: dict[str, Any] = {
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "sizes": sizes,
        "passes": [m.to_dict() for m in passes],
        "coldstart": cold,
        "constraints_check": check,
        "layer": layer,
    }
    results["targets"] = report.targets(results)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(report.table(results))
    if not args.no_plot:
        report.plot(results, out / "bench.png")
        print(f"\nwrote {out / 'results.json'} and {out / 'bench.png'}")
    else:
        print(f"\nwrote {out / 'results.json'}")
    return 0 if all(t["status"] == "PASS" for t in results["targets"]) else 1


def _cpus() -> int:
    import os

    return os.cpu_count() or 0
