"""The scale benchmark's arithmetic: the paged-read floor of a sweep, the projection to real AWS, the targets, the
table. Pure (no AWS, no clock): ``tests/unit/test_bench_scale.py`` checks it.

The floor is the fewest calls AWS's APIs allow for the reads a sweep must make of a namespace, from the page sizes
AWS documents and the seeded counts:

- every listing is read in pages of its largest size (at least one call, even when empty): ListEndpoints 100,
  Resource Groups Tagging API GetResources 100 (ResourcesPerPage "a minimum of 1 and a maximum value of 100"),
  DescribeScalableTargets 50, DescribeScalingPolicies 10, DescribeScheduledActions 50 (Application Auto Scaling API
  Reference, MaxResults), CloudWatch DescribeAlarms 100, the refusals table's DynamoDB Scan (1 MB per page: one page
  here);
- the profiles in as few SSM GetParameters calls as it takes (10 names per call);
- a cold sweep (an execution environment that holds no descriptions) also reads every endpoint's description from
  SageMaker Search (100 per page), one DescribeEndpointConfig per endpoint whose plan needs its variants' instance
  types (a CPU target is normalised by the instance's vCPUs; no listing returns a config's instance types), and the
  instance types in EC2 DescribeInstanceTypes calls of up to 100 types.

The projection: a sweep invocation makes its calls one after another, so at a per-call latency L its AWS time is
calls x L; the controller's own CPU time and moto's are left out (both are in the measured wall time). An invocation
must finish within its function's timeout: the template's sweeper Timeout, at most Lambda's 900 seconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

LAMBDA_LIMIT_SECONDS = 900  # Lambda's maximum function timeout
LATENCIES_MS = (100, 30)  # per-call latency of the projection
FLOOR_RATIO_LIMIT = 1.1
INVOCATION_SHARE_LIMIT = 0.5  # of its limit, at the first (slowest) latency, at the largest N
BURST_RECONCILES_LIMIT = 1.5  # reconciles per endpoint

PAGE_SIZES = {
    "sagemaker:ListEndpoints": 100,
    "resourcegroupstaggingapi:GetResources": 100,
    "application-autoscaling:DescribeScalableTargets": 50,
    "application-autoscaling:DescribeScalingPolicies": 10,
    "application-autoscaling:DescribeScheduledActions": 50,
    "cloudwatch:DescribeAlarms": 100,
}
SEARCH_PAGE = 100
PARAMETERS_PER_CALL = 10
INSTANCE_TYPES_PER_CALL = 100


@dataclass(frozen=True)
class Seeded:
    """What a namespace holds, as seeded."""

    endpoints: int
    targets: int
    policies: int
    schedules: int
    alarms: int
    profiles: int
    configs_needing_instance_types: int
    instance_types: int

    def listed(self) -> dict[str, int]:
        return {
            "sagemaker:ListEndpoints": self.endpoints,
            "resourcegroupstaggingapi:GetResources": self.endpoints,
            "application-autoscaling:DescribeScalableTargets": self.targets,
            "application-autoscaling:DescribeScalingPolicies": self.policies,
            "application-autoscaling:DescribeScheduledActions": self.schedules,
            "cloudwatch:DescribeAlarms": self.alarms,
        }


def pages(items: int, size: int) -> int:
    """Calls to read ``items`` in pages of ``size``: at least one (an empty listing is one call too)."""
    return max(1, math.ceil(items / size))


def floor(seeded: Seeded, cold: bool) -> dict[str, int]:
    """The fewest calls of a no-drift sweep, by operation (see the module docstring)."""
    found = {operation: pages(seeded.listed()[operation], size) for operation, size in PAGE_SIZES.items()}
    found["dynamodb:Scan"] = 1
    found["ssm:GetParameters"] = pages(seeded.profiles, PARAMETERS_PER_CALL) if seeded.profiles else 0
    if cold:
        found["sagemaker:Search"] = pages(seeded.endpoints, SEARCH_PAGE)
        found["sagemaker:DescribeEndpointConfig"] = seeded.configs_needing_instance_types
        found["ec2:DescribeInstanceTypes"] = (
            pages(seeded.instance_types, INSTANCE_TYPES_PER_CALL) if seeded.instance_types else 0
        )
    return found


def projected_seconds(calls: int, latency_ms: float) -> float:
    """Serial AWS time of ``calls`` at ``latency_ms`` per call."""
    return calls * latency_ms / 1000


def budget_calls(timeout_seconds: int, latency_ms: float) -> int:
    """The calls one sweep invocation makes before it checkpoints, at ``latency_ms`` per call: it works until half
    its remaining time is used (``autoscaler.sweep_shards.time_budget``)."""
    return int(timeout_seconds / 2 * 1000 / latency_ms)


def share_of_limit(seconds: float, limit_seconds: float) -> float:
    return seconds / limit_seconds


def projection(calls: int, timeout_seconds: int) -> list[dict[str, Any]]:
    """The longest invocation's calls projected at each latency, against the function's timeout and Lambda's."""
    rows = []
    for latency in LATENCIES_MS:
        seconds = projected_seconds(calls, latency)
        rows.append(
            {
                "latency_ms": latency,
                "seconds": round(seconds, 1),
                "share_of_timeout": round(share_of_limit(seconds, timeout_seconds), 3),
                "share_of_lambda_limit": round(share_of_limit(seconds, LAMBDA_LIMIT_SECONDS), 3),
            }
        )
    return rows


def project(seeded: Seeded, measured: Mapping[str, Any], timeout_seconds: int) -> dict[str, Any]:
    """A size not measured: its floor (exact: the same arithmetic), its calls assumed at the ratio to the floor
    measured at the largest N (``measured``, a size row), its longest invocation at most the calls of one
    invocation's budget (``budget_calls``), as the sweep checkpoints there."""
    sweeps = []
    for sweep in measured["sweeps"]:
        floor_total = sum(floor(seeded, cold=sweep["environment"] == "cold").values())
        calls = round(floor_total * sweep["ratio_to_floor"])
        # A read invocation checkpoints when half its time is used, so none makes more than the budget's calls
        # (and a shard's share of the planning calls is smaller still).
        longest = min(calls, budget_calls(timeout_seconds, LATENCIES_MS[0]))
        sweeps.append(
            {
                "environment": sweep["environment"],
                "calls": calls,
                "calls_per_endpoint": round(calls / seeded.endpoints, 4),
                "floor_total": floor_total,
                "ratio_to_floor": sweep["ratio_to_floor"],
                "invocations": max(sweep["invocations"], math.ceil(calls / longest)),
                "longest_invocation": {"calls": longest},
                "projection": projection(longest, timeout_seconds),
            }
        )
    return {"endpoints": seeded.endpoints, "from_measured": measured["endpoints"], "sweeps": sweeps}


def targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    checks: list[dict[str, Any]] = []

    def check(target: str, ok: bool, measured: str) -> None:
        checks.append({"target": target, "status": "PASS" if ok else "FAIL", "measured": measured})

    sizes: Sequence[dict[str, Any]] = results["sizes"]
    for size in sizes:
        for sweep in size["sweeps"]:
            check(
                f"N={size['endpoints']} {sweep['environment']} no-drift sweep: calls within "
                f"{FLOOR_RATIO_LIMIT}x the paged-read floor",
                sweep["ratio_to_floor"] <= FLOOR_RATIO_LIMIT,
                f"{sweep['calls']} calls vs floor {sweep['floor_total']} = {sweep['ratio_to_floor']:.3f}x "
                f"({sweep['calls_per_endpoint']:.4f} vs {sweep['floor_per_endpoint']:.4f} per endpoint)",
            )
            check(
                f"N={size['endpoints']} {sweep['environment']} no-drift sweep: nothing enqueued (the seeded world "
                "is what the controller writes)",
                sweep["enqueued"] == 0,
                f"{sweep['enqueued']} enqueued",
            )
    for kind in ("cold", "warm"):
        for event in sorted({r["event"] for s in sizes for r in s["router"]}):
            found = [
                (s["endpoints"], r["calls"])
                for s in sizes
                for r in s["router"]
                if r["event"] == event and r["environment"] == kind
            ]
            target = f"router, {event} ({kind} environment): AWS calls per event constant in N"
            shown = ", ".join(f"N={n}: {calls}" for n, calls in found)
            if len(found) < 2:
                checks.append({"target": target, "status": "SKIPPED", "measured": f"{shown} (one N only)"})
                continue
            check(target, len({calls for _, calls in found}) == 1, shown)
    largest = max([*sizes, *results.get("projected", ())], key=lambda s: s["endpoints"])
    how = f" (projected from N={largest['from_measured']})" if "from_measured" in largest else ""
    timeout = results["sweeper_timeout_seconds"]
    latency = LATENCIES_MS[0]
    for sweep in largest["sweeps"]:
        longest = sweep["longest_invocation"]
        seconds = projected_seconds(longest["calls"], latency)
        share = share_of_limit(seconds, timeout)
        check(
            f"N={largest['endpoints']}{how} {sweep['environment']} sweep: no invocation over "
            f"{INVOCATION_SHARE_LIMIT:.0%} of its {timeout} s timeout at {latency} ms per call",
            share <= INVOCATION_SHARE_LIMIT,
            f"{sweep['invocations']} invocation(s); the longest {longest['calls']} calls -> {seconds:.0f} s = "
            f"{share:.0%} of {timeout} s ({share_of_limit(seconds, LAMBDA_LIMIT_SECONDS):.0%} of Lambda's "
            f"{LAMBDA_LIMIT_SECONDS} s)",
        )
    burst = results.get("burst")
    if burst:
        check(
            f"burst: {burst['messages']} reconcile messages over {burst['endpoints']} endpoints: <= "
            f"{BURST_RECONCILES_LIMIT} reconciles per endpoint",
            burst["reconciles_per_endpoint"] <= BURST_RECONCILES_LIMIT,
            f"{burst['reconciles']} reconciles = {burst['reconciles_per_endpoint']:.2f} per endpoint, "
            f"{burst['calls']} AWS calls",
        )
    return checks


def table(results: Mapping[str, Any]) -> str:
    timeout = results["sweeper_timeout_seconds"]
    lines = [
        "",
        "no-drift sweep (calls counted at botocore; floor: the fewest paged reads AWS allows; projection: the longest "
        "invocation's calls x latency)",
        f"{'N':>6} {'env':<5} {'calls':>7} {'/endpt':>7} {'floor':>6} {'ratio':>6} {'seconds':>8} {'peak MiB':>9} "
        f"{'invoc':>5} {'longest':>8} {'@100ms':>8} {'@30ms':>7} {f'% of {timeout}s':>10} {'% of 900s':>9}",
    ]
    for size in results["sizes"]:
        for sweep in size["sweeps"]:
            longest = sweep["longest_invocation"]
            slow, fast = sweep["projection"]
            peak = sweep.get("peak_mib")
            lines.append(
                f"{size['endpoints']:>6} {sweep['environment']:<5} {sweep['calls']:>7} "
                f"{sweep['calls_per_endpoint']:>7.4f} {sweep['floor_total']:>6} {sweep['ratio_to_floor']:>6.3f} "
                f"{sweep['seconds']:>8.1f} {'-' if peak is None else f'{peak:.1f}':>9} {sweep['invocations']:>5} "
                f"{longest['calls']:>8} {slow['seconds']:>7.0f}s {fast['seconds']:>6.0f}s "
                f"{slow['share_of_timeout']:>10.0%} {slow['share_of_lambda_limit']:>9.0%}"
            )
    for size in results.get("projected", ()):
        for sweep in size["sweeps"]:
            slow, fast = sweep["projection"]
            lines.append(
                f"{size['endpoints']:>6} {sweep['environment']:<5} {sweep['calls']:>7} "
                f"{sweep['calls_per_endpoint']:>7.4f} {sweep['floor_total']:>6} {sweep['ratio_to_floor']:>6.3f} "
                f"{'-':>8} {'-':>9} {sweep['invocations']:>5} {sweep['longest_invocation']['calls']:>8} "
                f"{slow['seconds']:>7.0f}s {fast['seconds']:>6.0f}s "
                f"{slow['share_of_timeout']:>10.0%} {slow['share_of_lambda_limit']:>9.0%}  "
                f"projected from N={size['from_measured']}"
            )
    lines.append("\ncalls above the floor, by operation (measured - floor):")
    for size in results["sizes"]:
        for sweep in size["sweeps"]:
            extra = {k: v for k, v in sweep["above_floor"].items() if v}
            lines.append(
                f"  N={size['endpoints']} {sweep['environment']}: " + ", ".join(f"{k} {v:+d}" for k, v in extra.items())
            )
    lines.append("\nrouter: AWS calls per tag event (one endpoint)")
    for size in results["sizes"]:
        for r in size["router"]:
            ops = ", ".join(f"{k} {v}" for k, v in r["by_operation"].items())
            lines.append(f"  N={size['endpoints']} {r['event']} ({r['environment']}): {r['calls']} ({ops})")
    burst = results.get("burst")
    if burst:
        lines.append(
            f"\nburst: {burst['messages']} messages over {burst['endpoints']} endpoints in FIFO batches of "
            f"{burst['batch_size']}: {burst['batches']} batches, {burst['reconciles']} reconciles "
            f"({burst['reconciles_per_endpoint']:.2f} per endpoint), {burst['calls']} AWS calls, "
            f"{burst['seconds']:.1f} s"
        )
    lines.append("\ntargets:")
    for t in results["targets"]:
        lines.append(f"  {t['status']:<7} {t['target']}\n          {t['measured']}")
    return "\n".join(lines)
