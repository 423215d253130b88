"""The issue-7 targets, the table, and the plot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

LAYER_LIMIT_BYTES = 15 * 10**6
IMPORT_RATIO_LIMIT = 1.6
AAS = "application-autoscaling"


def _pass(results: dict[str, Any], name: str, way: str, size: int | None = None) -> dict[str, Any] | None:
    return next(
        (
            p
            for p in results["passes"]
            if p["pass"] == name and p["way"] == way and (size is None or p["endpoints"] == size)
        ),
        None,
    )


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []

    def check(target: str, ok: bool, measured: str) -> None:
        checks.append({"target": target, "status": "PASS" if ok else "FAIL", "measured": measured})

    largest = max(results["sizes"])
    at = f"N={largest}" + ("" if largest >= 500 else " (below 500: run --sizes ...,500 for the issue's check)")

    # (d): 0 writes and at most 4 + 2 x variants reads, + 1 per profile, + 1 per uncached instance-type lookup.
    for one in (p for p in results["passes"] if p["pass"].startswith("d-") and p["way"] == "controller"):
        if one["endpoints"] != 1 or id(_pass(results, one["pass"], "controller")) != id(one):
            continue  # the first size's (d) is the one checked; the others repeat it
        variants = one["detail"]["variants"]
        lookups = one["detail"]["instance_type_lookups"]  # instance types not in the environment's cache
        budget = 4 + 2 * variants + 1 + lookups
        check(
            f"(d) {one['pass']} ({one['detail']['environment']} environment): 0 writes to scaling configuration, "
            f"reads <= 4 + 2x{variants} + 1 profile + {lookups} uncached instance-type lookup(s) = {budget}",
            one["writes"] - one["by_operation"].get("events:PutEvents", 0) == 0 and one["reads"] <= budget,
            f"{one['writes']} writes, {one['reads']} reads: "
            + ", ".join(f"{k} {n}" for k, n in one["by_operation"].items()),
        )

    # (b) at the largest N: 0 writes; AAS <= 0.35 / endpoint; all <= 1.6 / endpoint; <= 1/4 of the naive wall time.
    naive = _pass(results, "b", "naive", largest)
    for name in ("b", "b-warm"):
        found = _pass(results, name, "controller", largest)
        if found is None or naive is None:
            continue
        where = f"{at}, {found['detail']['environment']} sweeper"
        aas = sum(n for key, n in found["by_operation"].items() if key.startswith(f"{AAS}:"))
        check(f"(b) {where}: 0 writes", found["writes"] == 0, f"{found['writes']} writes")
        check(
            f"(b) {where}: Application Auto Scaling calls <= 0.35 per endpoint",
            aas <= 0.35 * largest,
            f"{aas} = {aas / largest:.3f} per endpoint",
        )
        check(
            f"(b) {where}: all calls <= 1.6 per endpoint",
            found["calls"] <= 1.6 * largest,
            f"{found['calls']} = {found['calls'] / largest:.3f} per endpoint",
        )
        check(
            f"(b) {where}: wall time <= 1/4 of the naive pass",
            found["seconds"] <= naive["seconds"] / 4,
            f"{found['seconds']:.2f}s vs naive {naive['seconds']:.2f}s "
            f"(ratio {found['seconds'] / naive['seconds']:.3f})",
        )

    # (c): the sweep enqueues exactly the profile's users; their reconciles write exactly what the drift needs.
    for size in results["sizes"]:
        sweep = _pass(results, "c-sweep", "controller", size)
        applied = _pass(results, "c-reconcile", "controller", size)
        if sweep is None or applied is None:
            continue
        detail = applied["detail"]
        check(
            f"(c) N={size}: exactly the writes the drift needs",
            sweep["detail"]["enqueued_equals_users"]
            and detail["exact"]
            and sweep["writes"] == sweep["by_operation"].get("sqs:SendMessageBatch", 0),
            f"enqueued {detail['enqueued']} of {sweep['detail']['expected_drifted']} users; writes "
            f"{detail['writes_to_scaling_configuration']} vs needed {detail['expected_writes']}; "
            f"the sweep wrote only SendMessageBatch x{sweep['by_operation'].get('sqs:SendMessageBatch', 0)}",
        )

    for found in results["coldstart"]:
        check(
            f"handler import {found['handler']}: <= {IMPORT_RATIO_LIMIT}x import boto3 + the same "
            f"{len(found['clients'])} client(s), no X-Ray SDK",
            found["ratio"] <= IMPORT_RATIO_LIMIT and not found["xray_imported"],
            f"{found['handler_median_ms']} ms vs {found['baseline_median_ms']} ms = {found['ratio']}x"
            + (", aws_xray_sdk imported" if found["xray_imported"] else ""),
        )
    if not results["coldstart"]:
        checks.append({"target": "handler import", "status": "SKIPPED", "measured": "--no-coldstart"})

    layer = results["layer"]
    if "bytes" in layer:
        measured = f"{layer['mb']} MB ({layer['directory']})"
        check("built layer <= 15 MB unzipped", layer["bytes"] <= LAYER_LIMIT_BYTES, measured)
    else:
        checks.append({"target": "built layer <= 15 MB unzipped", "status": "SKIPPED", "measured": layer["skipped"]})
    return checks


def table(results: dict[str, Any]) -> str:
    lines = [
        "",
        f"{'pass':<26} {'way':<10} {'N':>5} {'calls':>7} {'reads':>7} {'writes':>7} {'/endpt':>7} {'AAS':>6} "
        f"{'seconds':>8} {'peak MiB':>9}",
    ]
    for p in results["passes"]:
        aas = sum(n for key, n in p["by_operation"].items() if key.startswith(f"{AAS}:"))
        per = p["calls_per_endpoint"]
        lines.append(
            f"{p['pass']:<26} {p['way']:<10} {p['endpoints']:>5} {p['calls']:>7} {p['reads']:>7} {p['writes']:>7} "
            f"{per:>7.3f} {aas:>6} {p['seconds']:>7.2f}{'*' if p['timed_under_tracemalloc'] else ' '} "
            f"{p['peak_mib']:>9.2f}"
        )
    lines.append("* timed under tracemalloc (a pass that writes cannot be repeated for a separate memory run)")
    largest = max(results["sizes"])
    lines.append(f"\ncalls by operation at N={largest}:")
    for p in results["passes"]:
        if p["endpoints"] == largest and p["pass"] in ("b", "b-warm", "c-sweep", "c-reconcile", "a"):
            ops = ", ".join(f"{k} {n}" for k, n in p["by_operation"].items())
            lines.append(f"  {p['way']} {p['pass']}: {ops}")
    if results["coldstart"]:
        lines.append("\ncold start (median of fresh interpreters): handler import + its clients vs import boto3 + them")
        for c in results["coldstart"]:
            lines.append(
                f"  {c['handler']:<11} {c['handler_median_ms']:>7.1f} ms vs {c['baseline_median_ms']:>7.1f} ms "
                f"= {c['ratio']:.2f}x  clients: {', '.join(c['clients'])}  X-Ray SDK imported: {c['xray_imported']}"
            )
    check = results.get("constraints_check") or {}
    if check:
        lines.append(
            f"  constraints check (botocore models): import {check['import_ms']:.1f} ms, first check "
            f"{check['first_ms']:.1f} ms, then {check['again_ms']:.2f} ms per spec"
        )
    layer = results["layer"]
    skipped = f" ({layer['skipped']})" if "skipped" in layer else ""
    lines.append(f"\nlayer: {layer.get('mb', '-')} MB unzipped{skipped}")
    lines.append("\ntargets:")
    for t in results["targets"]:
        lines.append(f"  {t['status']:<7} {t['target']}\n          {t['measured']}")
    return "\n".join(lines)


def plot(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    figure, (calls_axis, time_axis) = plt.subplots(1, 2, figsize=(12, 4.8))
    series = [
        ("a", "controller", "(a) first apply (timed under tracemalloc)", "tab:blue", "-"),
        ("b", "controller", "(b) sweep, no drift (cold)", "tab:green", "-"),
        ("b-warm", "controller", "(b) sweep, no drift (warm)", "tab:olive", "-"),
        ("c-sweep", "controller", "(c) sweep after a profile change", "tab:purple", "-"),
        ("a", "naive", "naive pass (every pass: a, b, c)", "tab:red", "--"),
    ]
    for name, way, label, colour, style in series:
        found = [_pass(results, name, way, size) for size in sizes]
        if any(f is None for f in found):
            continue
        calls_axis.plot(sizes, [f["calls"] for f in found], style, marker="o", color=colour, label=label)  # type: ignore[index]
        time_axis.plot(sizes, [f["seconds"] for f in found], style, marker="o", color=colour, label=label)  # type: ignore[index]
    for axis, title, unit in ((calls_axis, "AWS API calls", "calls"), (time_axis, "wall time", "seconds")):
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.set_xlabel("opted-in endpoints (N)")
        axis.set_ylabel(unit)
        axis.set_title(title)
        axis.grid(True, which="both", alpha=0.3)
    calls_axis.legend(fontsize=8)
    figure.suptitle("sagemaker-autoscaler: the controller against the naive way (moto_server, AWS page sizes)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
