"""Nothing AWS would refuse reaches AWS: whatever configuration validation accepts, AWS accepts every request of it.

Generated profiles (JSON or YAML, with out-of-range numbers, odd statistics and units, every time zone zoneinfo knows
and its aliases, far dates, cron/rate/at expressions, step lists) and tag sets go through ``desire``; whenever it
accepts, the plan is applied to moto in-process with the fidelity layer, which refuses what AWS refuses (the service
model's constraints and AWS's documented rules, ``localaws.fidelity``), at several moments so that the bounds of
scheduled actions that have run are registered too. Every request must be accepted.
"""

from __future__ import annotations

import itertools
import json
import zoneinfo
from datetime import timedelta
from typing import Any

import yaml
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from autoscaler.actions import PutStepScalingPolicy
from autoscaler.errors import ConfigError
from autoscaler.planner import plan
from autoscaler.profiles import parse_profile
from autoscaler.sources import desire
from autoscaler.state import Hardware

from ..reliability.test_bad_input import TAG_ALPHABET
from .conftest import NOW, World

ENDPOINTS = itertools.count()
# Every name zoneinfo knows (canonical zones, their aliases such as US/Pacific, Factory), and a typo.
TIME_ZONES = [*sorted(zoneinfo.available_timezones()), "UTC", "Europe/Berln"]
# Extended statistics CloudWatch alarms take (target tracking with one metric does not), and what no API takes.
ODD = [
    "p99",
    "p99.9",
    "tm90",
    "IQM",
    "TM(10%:90%)",
    "PR(:300)",
    "p101",
    "avg",
    "P99",
    "TM(2%:98%)",
    "wm",
    "",
    "average",
]
UNITS = [None, None, None, "Percent", "Count", "Microseconds", "Furlongs", "percent"]
NUMBERS = st.one_of(
    st.floats(min_value=-1e3, max_value=1e5, allow_nan=False),
    st.integers(min_value=-10, max_value=10**6),
    st.sampled_from([0, 1e-300, 2.0**360, 2.0**361, 1e308, -(2.0**361)]),
)


def mostly(usual: Any, *odd: Any) -> st.SearchStrategy[Any]:
    """``usual`` 24 times in 25, else one of ``odd``: one odd value anywhere rejects a whole profile, so each is rare
    enough for a good share of documents to be accepted and applied."""
    return sometimes(st.just(usual), st.sampled_from(odd)) if odd else st.just(usual)


def sometimes(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """A value of ``usual`` 24 times in 25, else one of ``odd``."""
    return st.integers(0, 24).flatmap(lambda roll: odd if roll == 0 else usual)


def far_date() -> st.SearchStrategy[str]:
    return st.builds(
        lambda y, m, d, h: f"{y:04d}-{m:02d}-{d:02d}T{h:02d}:00:00Z",
        sometimes(st.integers(2025, 2030), st.integers(1900, 2300)),
        st.integers(1, 12),
        st.integers(1, 28),
        st.integers(0, 23),
    )


def expression() -> st.SearchStrategy[str]:
    cron = st.builds(
        lambda *fields: f"cron({' '.join(fields)})",
        mostly("0", "0/15", "*", "59", "60"),
        mostly("8", "*", "23", "24", "8-18"),
        mostly("?", "*", "1", "L", "15W", "31"),
        mostly("*", "JAN", "1-6", "13"),
        st.sampled_from(["MON-FRI", "*", "SUN", "2#1", "6L"]),
        mostly("*", "2026", "2100-2199", "1969"),
    )
    rate = st.builds(
        lambda n, unit: f"rate({n} {unit})",
        mostly(5, 1, 30, 0, 10**9),
        mostly("minutes", "minute", "hours", "day", "days", "weeks"),
    )
    at = st.builds(lambda moment: f"at({moment[:-1]})", far_date())
    return st.one_of(cron, cron, rate, at)


def custom_metric() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "namespace": mostly("AWS/SageMaker", "Custom/App", ":bad"),
            "name": mostly("ModelLatency", "OverheadLatency", "M" * 256),
            "statistic": sometimes(st.sampled_from(["Average", "Average", "Sum", "Maximum"]), st.sampled_from(ODD)),
        },
        optional={"unit": st.sampled_from(UNITS)},
    ).map(lambda metric: {k: v for k, v in metric.items() if v is not None})


def tracking() -> st.SearchStrategy[dict[str, Any]]:
    predefined = st.sampled_from(["invocations", "invocations", "concurrency", "cpu", "memory", "gpu", "backlog"])
    return st.fixed_dictionaries(
        {"metric": st.one_of(predefined, predefined, custom_metric()), "target": sometimes(st.just(70), NUMBERS)},
        optional={
            "name": mostly("latency", "x" * 70),
            "scale_in_cooldown": sometimes(st.integers(0, 3600), st.integers(-1, 100_000)),
            "scale_out_cooldown": st.integers(0, 3600),
            "disable_scale_in": st.booleans(),
        },
    )


@st.composite
def step_lists(draw: st.DrawFn, exact: bool) -> list[dict[str, Any]]:
    """Steps that meet without gap or overlap (AWS's rules), or now and then any list at all."""
    adjustment = st.integers(0 if exact else -5, 5)
    if draw(st.integers(0, 9)) == 0:
        bound = st.sampled_from([None, -10, 0, 10, 50.5])
        any_step = st.fixed_dictionaries({"adjustment": adjustment}, optional={"lower": bound, "upper": bound})
        return draw(st.lists(any_step, max_size=3))
    points = sorted(draw(st.sets(st.sampled_from([-20, -10, 0, 10, 20, 50.5]), min_size=1, max_size=3)))
    steps: list[dict[str, Any]] = []
    if points[0] < 0:
        steps.append({"upper": points[0], "adjustment": draw(adjustment)})
    for low, high in itertools.pairwise(points):
        steps.append({"lower": low, "upper": high, "adjustment": draw(adjustment)})
    steps.append({"lower": points[-1], "adjustment": draw(adjustment)})
    return steps


@st.composite
def step(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["change", "percent", "exact"]))
    entry: dict[str, Any] = {
        "name": draw(mostly("latency", "overhead", "errors", "a:b", "n" * 70)),
        "metric": draw(custom_metric()),
        "comparison": draw(mostly(">=", ">", "<", "LessThanOrEqualToThreshold", "gt")),
        "threshold": draw(sometimes(st.just(100), NUMBERS)),
        "adjustment_type": kind,
        "steps": draw(step_lists(exact=kind == "exact")),
    }
    periods = draw(st.integers(1, 3))
    optional = {
        "period": mostly(60, 10, 20, 30, 45, 120, 3600, 7200, 86400),
        "evaluation_periods": sometimes(st.just(periods), st.integers(1, 2000)),
        "datapoints_to_alarm": sometimes(st.integers(1, periods), st.integers(1, 5)),
        "treat_missing_data": mostly("missing", "notBreaching", "breaching", "ignore", "zero"),
        "cooldown": sometimes(st.integers(0, 600), st.integers(-1, 10_000)),
        "metric_aggregation": mostly("Average", "Maximum", "Median"),
    }
    if kind == "percent":
        optional["min_adjustment_magnitude"] = sometimes(st.integers(1, 5), st.integers(-1, 0))
    for key, strategy in optional.items():
        if draw(st.booleans()):
            entry[key] = draw(strategy)
    return entry


def schedule() -> st.SearchStrategy[dict[str, Any]]:
    capacity = sometimes(st.integers(0, 8), st.integers(-1, 25))
    return st.fixed_dictionaries(
        {"name": mostly("peak", "night", "weekend", "a:b", "x" * 70), "schedule": expression(), "min": capacity},
        optional={
            "timezone": st.sampled_from(TIME_ZONES),
            "start": far_date(),
            "end": far_date().map(lambda moment: moment.replace(moment[:4], str(int(moment[:4]) + 1), 1)),
            "max": capacity,
        },
    )


def unique(entries: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return list({json.dumps(e[key], sort_keys=True): e for e in entries}.values())


@st.composite
def profiles(draw: st.DrawFn) -> str:
    body: dict[str, Any] = {"version": 1, "min": draw(mostly(1, 0, 2, -1, 30)), "max": draw(mostly(8, 1, 4, 20, 21))}
    for key, strategy, by in (
        ("target_tracking", tracking(), "metric"),
        ("step_scaling", step(), "name"),
        ("schedules", schedule(), "name"),
    ):
        entries = unique(draw(st.lists(strategy, max_size=2)), by)
        if entries:
            body[key] = entries
    if "target_tracking" not in body and draw(st.booleans()):
        body["target_tracking"] = [{"metric": "invocations", "target": 70}]
    if draw(st.booleans()):
        return yaml.safe_dump(body, sort_keys=False)
    return json.dumps(body)


@st.composite
def tag_sets(draw: st.DrawFn) -> dict[str, str]:
    tags = {"autoscaling:enabled": "true"}
    values = {
        "min": mostly("1", "0", "2", "30"),
        "max": mostly("8", "1", "4", "21"),
        "target-invocations": mostly("70", "0.5", "1e400", "120"),
        "scale-in-cooldown": st.sampled_from(["0", "300", "86400"]),
        "suspend": st.sampled_from(["none", "scheduled", "scale-in+scale-out", "all"]),
        "disable-scale-in": st.sampled_from(["true", "false"]),
        "note": st.text(TAG_ALPHABET, max_size=8),
    }
    for key in draw(st.lists(st.sampled_from(sorted(values)), max_size=3, unique=True)):
        tags[f"autoscaling:{key}"] = draw(values[key])
    return tags


@given(profile=profiles(), tags=tag_sets(), later=st.lists(st.integers(1, 400 * 24), min_size=1, max_size=2))
@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_every_request_of_an_accepted_configuration_is_accepted_by_aws(
    world: World, profile: str, tags: dict[str, str], later: list[int]
) -> None:
    # given a generated profile and tags on an InService endpoint
    name = f"generated-{next(ENDPOINTS)}"
    world.endpoint(name)
    endpoint = world.aws.read_endpoint(name)
    assert endpoint is not None
    settings_ = world.settings
    # when the controller validates them
    try:
        parsed = parse_profile(profile, "profile generated")
        desired = desire(endpoint, tags, settings_, profiles=lambda _: parsed, hardware=lambda _: Hardware(4, 1))
    except ConfigError:
        event("rejected")
        return
    event("accepted")
    # then every request of its plan, now and at later moments (scheduled actions having run), is accepted by AWS
    for moment in (NOW, *(NOW + timedelta(hours=h) for h in sorted(later))):
        planned = plan(desired.spec, world.aws.read_state(endpoint, settings_.name_prefix), moment)
        arns: dict[str, str] = {}
        for action in planned.actions:
            try:
                arn = world.aws.apply(action, arns)
            except ClientError as refused:
                raise AssertionError(f"AWS refused {action.describe()}: {refused}") from None
            if arn is not None and isinstance(action, PutStepScalingPolicy):
                arns[action.policy.name] = arn
