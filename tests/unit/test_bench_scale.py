"""The scale benchmark's arithmetic (bench/scale_model.py): the paged-read floor and the projection. Not timed."""

from __future__ import annotations

import pytest

from bench.scale_model import Seeded, budget_calls, floor, pages, project, projection, targets

SEEDED = Seeded(
    endpoints=20_000,
    targets=26_667,
    policies=40_001,
    schedules=40_000,
    alarms=8_000,
    profiles=4,
    configs_needing_instance_types=4_000,
    instance_types=2,
)


@pytest.mark.parametrize(
    ("items", "size", "calls"), [(0, 50, 1), (1, 50, 1), (50, 50, 1), (51, 50, 2), (40_001, 10, 4001)]
)
def test_pages_rounds_up_and_an_empty_listing_is_one_call(items: int, size: int, calls: int) -> None:
    assert pages(items, size) == calls


def test_warm_floor_is_one_page_per_page_size_of_each_listing() -> None:
    assert floor(SEEDED, cold=False) == {
        "sagemaker:ListEndpoints": 200,
        "resourcegroupstaggingapi:GetResources": 200,
        "application-autoscaling:DescribeScalableTargets": 534,
        "application-autoscaling:DescribeScalingPolicies": 4001,
        "application-autoscaling:DescribeScheduledActions": 800,
        "cloudwatch:DescribeAlarms": 80,
        "dynamodb:Scan": 1,
        "ssm:GetParameters": 1,
    }


def test_cold_floor_adds_the_descriptions_and_the_instance_types() -> None:
    cold, warm = floor(SEEDED, cold=True), floor(SEEDED, cold=False)
    assert {k: v for k, v in cold.items() if k not in warm} == {
        "sagemaker:Search": 200,
        "sagemaker:DescribeEndpointConfig": 4000,
        "ec2:DescribeInstanceTypes": 1,
    }


def test_projection_is_calls_times_latency_against_the_timeout_and_lambdas_limit() -> None:
    slow, fast = projection(6000, timeout_seconds=300)
    assert slow == {"latency_ms": 100, "seconds": 600.0, "share_of_timeout": 2.0, "share_of_lambda_limit": 0.667}
    assert fast == {"latency_ms": 30, "seconds": 180.0, "share_of_timeout": 0.6, "share_of_lambda_limit": 0.2}


def _results(router_calls: list[int], longest: int, reconciles: int) -> dict[str, object]:
    sweep = {
        "environment": "warm",
        "calls": 110,
        "floor_total": 100,
        "ratio_to_floor": 1.1,
        "calls_per_endpoint": 0.11,
        "floor_per_endpoint": 0.1,
        "enqueued": 0,
        "invocations": 1,
        "longest_invocation": {"calls": longest, "seconds": 1.0},
    }
    sizes = [
        {
            "endpoints": n,
            "sweeps": [sweep],
            "router": [{"event": "AddTags", "environment": kind, "calls": calls} for kind in ("cold", "warm")],
        }
        for n, calls in zip((1000, 20_000), router_calls, strict=True)
    ]
    burst = {"messages": 1000, "endpoints": 100, "reconciles": reconciles, "reconciles_per_endpoint": reconciles / 100}
    return {"sizes": sizes, "sweeper_timeout_seconds": 300, "burst": burst | {"calls": 0}}


def _status(checks: list[dict[str, str]], starting: str) -> list[str]:
    return [c["status"] for c in checks if c["target"].startswith(starting)]


def test_targets_pass_at_the_limits() -> None:
    checks = targets(_results([3, 3], longest=1500, reconciles=150))  # 1500 x 100 ms = 150 s = 50% of 300 s
    assert {c["status"] for c in checks} == {"PASS"}


def test_targets_fail_past_the_limits() -> None:
    checks = targets(_results([3, 202], longest=1501, reconciles=151))
    assert _status(checks, "router") == ["FAIL", "FAIL"]
    assert _status(checks, "N=20000 warm sweep: no invocation") == ["FAIL"]
    assert _status(checks, "burst") == ["FAIL"]


def test_a_projected_size_has_its_own_floor_at_the_measured_ratio() -> None:
    measured = {
        "endpoints": 5000,
        "sweeps": [
            {
                "environment": "warm",
                "calls": 1500,
                "ratio_to_floor": 1.05,
                "invocations": 1,
                "longest_invocation": {"calls": 1500},
            },
        ],
    }
    (warm,) = project(SEEDED, measured, timeout_seconds=900)["sweeps"]
    floor_total = sum(floor(SEEDED, cold=False).values())  # 5817
    calls = round(floor_total * 1.05)
    # at 100 ms a call an invocation checkpoints after 450 s: 4,500 calls
    assert (warm["floor_total"], warm["calls"], warm["longest_invocation"], warm["invocations"]) == (
        floor_total,
        calls,
        {"calls": 4500},
        -(-calls // 4500),
    )


def test_an_invocation_checkpoints_after_half_its_timeout_in_calls() -> None:
    assert (budget_calls(900, 100), budget_calls(300, 100), budget_calls(900, 30)) == (4500, 1500, 15000)
