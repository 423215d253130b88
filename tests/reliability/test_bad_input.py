"""Bad input, each case -> rejected with an error naming its source, zero writes, the applied state intact, the
process alive.

A good configuration is applied once (``applied``); then each bad tag set or profile body replaces the good one,
the endpoint is reconciled, and the case is put back. Writes are counted at the botocore layer (CallCounter) on the
services the controller changes: Application Auto Scaling, CloudWatch and SageMaker (status tags).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from autoscaler.reconciler import Status
from localaws.seed import remove_tags, set_tags
from tests.functional.conftest import World
from tests.unit.test_profiles import invalid_profiles

from .conftest import PROFILE_PREFIX, snapshot

WRITE_SERVICES = ("application-autoscaling", "cloudwatch", "sagemaker")
GOOD: dict[str, Any] = {
    "version": 1,
    "min": 1,
    "max": 6,
    "limits": {"max": 10},
    "target_tracking": [{"metric": "invocations", "target": 70}],
    "step_scaling": [
        {
            "name": "latency",
            "metric": {"namespace": "AWS/SageMaker", "name": "ModelLatency"},
            "comparison": ">",
            "threshold": 500000,
            "adjustment_type": "change",
            "steps": [{"lower": 0, "upper": 100000, "adjustment": 1}, {"lower": 100000, "adjustment": 2}],
        }
    ],
    "schedules": [{"name": "night", "schedule": "cron(0 22 * * ? *)", "timezone": "Europe/Paris", "max": 3}],
}
GOOD_TAGS = {"autoscaling:enabled": "true", "autoscaling:profile": "good"}
TRIED: dict[str, int] = {}


class Applied:
    """The endpoint ``ep`` with GOOD applied; ``check_*`` run one bad case and put the good one back."""

    def __init__(self, world: World) -> None:
        self.world = world
        world.profile("good", GOOD)
        self.arn = world.endpoint("ep", GOOD_TAGS, ("Primary", "Canary"))
        assert world.reconcile("ep").status is Status.APPLIED
        self.before = snapshot(world.aws, "ep", ("Primary", "Canary"))
        assert all(self.before[kind] for kind in ("policies", "schedules", "alarms"))

    def reject(self, sources: tuple[str, ...], compare: bool) -> list[str]:
        """Reconcile and check the rejection; returns the errors."""
        world = self.world
        world.counter.reset()
        outcome = world.reconcile("ep")
        assert outcome.status is Status.REJECTED, outcome
        assert outcome.errors
        for error in outcome.errors:
            assert error.source.startswith(sources), f"{error} does not name one of {sources}"
            assert error.message
        assert not [k for k in world.counter.writes if k[0] in WRITE_SERVICES], world.counter.writes
        if compare:
            assert snapshot(world.aws, "ep", ("Primary", "Canary")) == self.before
        return [str(e) for e in outcome.errors]

    def retag(self, tags: dict[str, str]) -> None:
        """AddTags overwriting existing keys, as AWS does. (moto 5.2.5 appends a second tag with the same key, and
        its ListTags pagination then fails: removing the keys first keeps the test on AWS's behaviour.)"""
        remove_tags(self.world.aws.sagemaker, self.arn, list(tags))
        set_tags(self.world.aws.sagemaker, self.arn, tags)

    def check_tags(self, tags: dict[str, str], sources: tuple[str, ...] = (), compare: bool = True) -> list[str]:
        self.retag(tags)
        try:
            return self.reject(sources or tuple(tags), compare)
        finally:
            extra = [k for k in tags if k not in GOOD_TAGS]
            if extra:
                remove_tags(self.world.aws.sagemaker, self.arn, extra)
            overwritten = {k: v for k, v in GOOD_TAGS.items() if k in tags}
            if overwritten:
                self.retag(overwritten)

    def check_profile(self, body: str, kind: str = "String", compare: bool = True, name: str = "good") -> list[str]:
        ssm = self.world.aws.ssm
        full = f"{PROFILE_PREFIX}/{name}"
        ssm.delete_parameter(Name=full)  # the type of a parameter cannot change by overwriting it
        ssm.put_parameter(Name=full, Value=body, Type=kind, Tier="Advanced")
        try:
            return self.reject((f"profile {name}",), compare)
        finally:
            ssm.delete_parameter(Name=full)
            self.world.profile("good", GOOD)


@pytest.fixture
def applied(world: World) -> Iterator[Applied]:
    case = Applied(world)
    yield case
    # The good configuration still reconciles to nothing to do: nothing was lost and nothing is pending.
    again = world.reconcile("ep")
    assert (again.status, again.writes) == (Status.UNCHANGED, 0)


# --- tags ---------------------------------------------------------------------------------------------------------

TAG_CORPUS: list[tuple[str, dict[str, str]]] = [
    *[
        (f"min {v!r}", {"autoscaling:min": v})
        for v in ("-1", "1.5", "1.0", "1e3", "NaN", "nan", "Infinity", "inf", "", " ", "abc", "\u0661", "0x10", "+1")
    ],
    *[(f"max {v!r}", {"autoscaling:max": v}) for v in ("99999999999999999999", "-4", "4.0", "Infinity", "1 000")],
    ("max above the profile's limits", {"autoscaling:max": "11"}),
    ("max above the ceiling (via a variant)", {"autoscaling:Canary:max": "21"}),
    ("min > max", {"autoscaling:min": "5", "autoscaling:max": "2"}),
    ("min 0 on an instance variant", {"autoscaling:min": "0"}),
    *[
        (f"target-invocations {v!r}", {"autoscaling:target-invocations": v})
        for v in ("0", "-5", "NaN", "Infinity", "1e5", "abc", "0.0")
    ],
    ("target-cpu above 100", {"autoscaling:target-cpu": "101"}),
    ("target-memory NaN", {"autoscaling:target-memory": "NaN"}),
    ("cooldown above a day", {"autoscaling:scale-in-cooldown": "86401"}),
    ("cooldown as a float", {"autoscaling:scale-out-cooldown": "1.5"}),
    ("disable-scale-in yes", {"autoscaling:disable-scale-in": "yes"}),
    ("suspend unknown", {"autoscaling:suspend": "scale-sideways"}),
    ("adopt unknown", {"autoscaling:adopt": "merge"}),
    ("enabled ture", {"autoscaling:enabled": "ture"}),
    ("enabled TRUE with a space", {"autoscaling:enabled": "true "}),
    ("near-miss key", {"autoscaling:mxa": "4"}),
    ("near-miss variant key", {"autoscaling:Primary:taget-invocations": "4"}),
    ("profile per variant", {"autoscaling:Primary:profile": "good"}),
    ("adopt per variant", {"autoscaling:Primary:adopt": "replace"}),
    ("hold malformed", {"autoscaling:Primary:hold": "3@tomorrow"}),
    ("hold impossible date", {"autoscaling:Primary:hold": "3@2026-02-30T00:00:00Z"}),
    ("profile name with spaces", {"autoscaling:profile": "good profile"}),
    ("profile injection", {"autoscaling:profile": "good@evil"}),
    ("injection-looking max", {"autoscaling:max": "1 OR 1=1"}),
    ("injection-looking target", {"autoscaling:target-invocations": "70;rm -rf /"}),
    ("template-looking min", {"autoscaling:min": "{{7*7}}"}),
    ("unicode digits", {"autoscaling:max": "\uff15"}),
    ("control character", {"autoscaling:max": "4\x00"}),
    ("right-to-left override", {"autoscaling:enabled": "\u202etrue"}),
]


def test_hand_written_bad_tags_are_rejected_with_their_source(applied: Applied) -> None:
    failures = {}
    for case, tags in TAG_CORPUS:
        try:
            applied.check_tags(tags)
        except AssertionError as exc:
            failures[case] = str(exc).splitlines()[0]
    assert failures == {}


def test_min_greater_than_max_names_both_tags(applied: Applied) -> None:
    errors = applied.check_tags({"autoscaling:min": "5", "autoscaling:max": "2"}, ("autoscaling:min",))
    assert errors == ["autoscaling:min / autoscaling:max: min 5 is greater than max 2"] * 2  # one per variant


NUMERIC_KEYS = ("min", "max", "scale-in-cooldown", "scale-out-cooldown", "target-invocations", "target-concurrency")
# The SageMaker tag-value alphabet (letters, digits, spaces, _ . : / = + - @): what AWS lets anyone write.
TAG_ALPHABET = st.characters(categories=["L", "N", "Zs"], include_characters="_.:/=+-@")


def _not_a_valid_number(key: str, value: str) -> bool:
    if key.startswith("target-"):
        try:
            number = float(value)
        except ValueError:
            return True
        return not (value.replace(".", "", 1).isascii() and value.replace(".", "", 1).isdigit()) or not (
            math.isfinite(number) and number > 0
        )
    return not (value.isascii() and value.isdigit())


@st.composite
def invalid_tags(draw: st.DrawFn) -> dict[str, str]:
    kind = draw(st.sampled_from(["number", "boolean", "choice", "near-miss", "ceiling"]))
    scope = draw(st.sampled_from(["autoscaling:", "autoscaling:Primary:", "autoscaling:Canary:"]))
    if kind == "number":
        key = draw(st.sampled_from(NUMERIC_KEYS))
        value = draw(st.text(TAG_ALPHABET, max_size=12).filter(lambda v: _not_a_valid_number(key, v)))
        return {f"{scope}{key}": value}
    if kind == "boolean":
        key = draw(st.sampled_from(["disable-scale-in", "enabled"]))
        value = draw(st.text(TAG_ALPHABET, max_size=8).filter(lambda v: v.lower() not in ("true", "false")))
        return {f"autoscaling:{key}" if key == "enabled" else f"{scope}{key}": value}
    if kind == "choice":
        value = draw(st.text(TAG_ALPHABET, min_size=1, max_size=12))
        words = set(value.lower().replace("+", " ").split())
        if (words <= {"scale-in", "scale-out", "scheduled"} and words) or words in ({"none"}, {"all"}):
            value = "never"
        return {f"{scope}suspend": value}
    if kind == "near-miss":
        key = draw(st.sampled_from(["mni", "mxa", "enabeld", "target-invocation", "scale-in-coldown", "suspnd"]))
        return {f"{scope}{key}": draw(st.text(TAG_ALPHABET, max_size=6))}
    return {f"{scope}max": str(draw(st.integers(min_value=21, max_value=10**9)))}


@given(tags=invalid_tags())
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
def test_generated_invalid_tags_are_rejected_without_a_write(applied: Applied, tags: dict[str, str]) -> None:
    TRIED["tags"] = TRIED.get("tags", 0) + 1
    # Zero writes at the botocore layer every time; the state itself is compared on every tenth case.
    applied.check_tags(tags, compare=TRIED["tags"] % 10 == 0)


# --- profiles -----------------------------------------------------------------------------------------------------


def _with(**changes: Any) -> str:
    return json.dumps({**GOOD, **changes})


def _step(**changes: Any) -> str:
    return _with(step_scaling=[{**GOOD["step_scaling"][0], **changes}])


def _schedule(**changes: Any) -> str:
    return _with(schedules=[{**GOOD["schedules"][0], **changes}])


def _steps(*steps: dict[str, Any], adjustment_type: str = "change") -> str:
    return _step(steps=list(steps), adjustment_type=adjustment_type)


BOMB = "version: 1\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("bcdefgh", "cdefghi", strict=True)
)
PROFILE_CORPUS: list[tuple[str, str]] = [
    ("not a document", "{{{"),
    ("a list", "[1, 2]"),
    ("a string", '"min: 1"'),
    ("empty", " "),
    ("version 2", _with(version=2)),
    ("version true", _with(version=True)),
    ("version 1.0", _with(version=1.0)),
    ("min as a string", _with(min="1")),
    ("max as a list", _with(max=[4])),
    ("target_tracking as a mapping", _with(target_tracking={"metric": "invocations", "target": 70})),
    ("schedules as a string", _with(schedules="night")),
    ("negative min", _with(min=-1)),
    ("huge max", _with(max=10**20)),
    ("huge integer literal", '{"version": 1, "min": 1, "max": ' + "9" * 5000 + "}"),
    ("NaN target (JSON)", json.dumps({**GOOD, "target_tracking": [{"metric": "invocations", "target": math.nan}]})),
    ("Infinity threshold (JSON)", _step(threshold=math.inf)),
    ("-Infinity threshold (JSON)", _step(threshold=-math.inf)),
    ("YAML .nan target", "version: 1\nmin: 1\nmax: 4\ntarget_tracking: [{metric: invocations, target: .nan}]\n"),
    ("YAML .inf max", "version: 1\nmin: 1\nmax: .inf\n"),
    ("float min", _with(min=1.0)),
    ("float max", _with(max=4.5)),
    ("float cooldown", _with(target_tracking=[{"metric": "invocations", "target": 70, "scale_in_cooldown": 60.5}])),
    ("float step adjustment", _steps({"lower": 0, "adjustment": 1.5})),
    ("min > max", _with(min=5, max=2)),
    ("max above the ceiling", _with(max=50, limits={})),
    ("limits above the ceiling", _with(limits={"max": 100})),
    ("schedule max above the ceiling", _schedule(max=21)),
    ("schedule min > max", _schedule(min=4, max=3)),
    ("unknown top-level key", _with(mxa=4)),
    ("unknown step key", _step(treshold=1)),
    ("unknown schedule key", _schedule(timezon="UTC")),
    ("duplicate key (JSON)", '{"version": 1, "min": 1, "min": 2, "max": 3}'),
    ("duplicate key (YAML)", "version: 1\nmin: 1\nmin: 2\nmax: 3\n"),
    ("duplicate schedule names", _with(schedules=[GOOD["schedules"][0], GOOD["schedules"][0]])),
    ("duplicate tracking metric", _with(target_tracking=[GOOD["target_tracking"][0]] * 2)),
    ("duplicate step names", _with(step_scaling=[GOOD["step_scaling"][0]] * 2)),
    ("cron with both days", _schedule(schedule="cron(0 8 1 * MON-FRI *)")),
    ("cron minute 61", _schedule(schedule="cron(61 8 ? * * *)")),
    ("cron five fields", _schedule(schedule="cron(0 8 * * ?)")),
    ("cron zero step", _schedule(schedule="cron(0/0 8 * * ? *)")),
    ("rate zero", _schedule(schedule="rate(0 minutes)")),
    ("rate negative", _schedule(schedule="rate(-5 minutes)")),
    ("rate unit", _schedule(schedule="rate(5 fortnights)")),
    ("at month 13", _schedule(schedule="at(2026-13-01T00:00:00)")),
    ("at with a zone suffix", _schedule(schedule="at(2026-12-01T00:00:00Z)")),
    ("no expression kind", _schedule(schedule="every day")),
    ("unknown time zone", _schedule(timezone="Europe/Berln")),
    ("invented time zone", _schedule(timezone="Mars/Olympus_Mons")),
    ("offset as a time zone", _schedule(timezone="+02:00")),
    ("start after end", _schedule(start="2027-01-01T00:00:00Z", end="2026-01-01T00:00:00Z")),
    ("start without a zone", _schedule(start="2026-01-01T00:00:00")),
    ("steps with a gap", _steps({"lower": 0, "upper": 10, "adjustment": 1}, {"lower": 20, "adjustment": 2})),
    ("steps overlapping", _steps({"lower": 0, "upper": 30, "adjustment": 1}, {"lower": 20, "adjustment": 2})),
    ("two steps without lower", _steps({"upper": 0, "adjustment": -1}, {"upper": 10, "adjustment": 1})),
    ("two steps without upper", _steps({"lower": 0, "adjustment": 1}, {"lower": 10, "adjustment": 2})),
    ("negative lower, none unbounded below", _steps({"lower": -10, "upper": 0, "adjustment": -1})),
    ("positive upper, none unbounded above", _steps({"lower": 0, "upper": 10, "adjustment": 1})),
    ("upper not above lower", _steps({"lower": 10, "upper": 10, "adjustment": 1}, {"lower": 10, "adjustment": 1})),
    (
        "more than 20 steps",
        _steps(*[{"lower": i, "upper": i + 1, "adjustment": 1} for i in range(20)], {"lower": 20, "adjustment": 1}),
    ),
    ("exact capacity negative", _steps({"lower": 0, "adjustment": -1}, adjustment_type="exact")),
    ("unbounded both sides twice", _steps({"adjustment": 1}, {"adjustment": 2})),
    ("adjustment above 32 bits", _steps({"lower": 0, "adjustment": 2**31})),
    ("unknown comparison", _step(comparison="=>")),
    ("unknown adjustment type", _step(adjustment_type="double")),
    ("bad alarm period", _step(period=45)),
    ("more than 50 policies", _with(step_scaling=[{**GOOD["step_scaling"][0], "name": f"s{i}"} for i in range(51)])),
    (
        "more than 200 schedules",
        json.dumps({**GOOD, "schedules": [{"name": f"a{i}", "schedule": "rate(1 day)", "min": 1} for i in range(201)]}),
    ),
    ("oversized (over 8 KB; AWS would refuse to store it)", _with(padding="x" * 9000)),
    ("YAML alias bomb", BOMB),
    ("YAML anchor", "version: 1\nmin: &m 1\nmax: 4\n"),
    ("YAML custom tag", "version: 1\nmin: !!python/object:os.system 1\nmax: 4\n"),
    ("YAML two documents", "version: 1\nmin: 1\nmax: 4\n---\nversion: 1\n"),
    (
        "YAML 1.1 boolean",
        "version: 1\nmin: 1\nmax: 4\ntarget_tracking: [{metric: invocations, target: 7, disable_scale_in: off}]\n",
    ),
    ("YAML sexagesimal", "version: 1\nmin: 1\nmax: 1:30\n"),
    ("deeply nested JSON", "[" * 3000 + "]" * 3000),
    ("deeply nested mapping", '{"version": 1, "min": ' + '{"a": ' * 40 + "1" + "}" * 40 + ', "max": 4}'),
    ("deeply nested YAML", "version: 1\nmin: " + "[" * 2000 + "]" * 2000 + "\n"),
    (
        "NUL character",
        '{"version": 1, "min": 1, "max": 4, "schedules": [{"name": "a\\u0000b", "schedule": "rate(1 day)", "min": 1}]}',
    ),
    ("escape sequence in a name", _schedule(name="night\u001b[31m")),
    ("right-to-left override in a name", _schedule(name="night\u202e")),
    ("zero-width space in a time zone", _schedule(timezone="Europe/\u200bParis")),
    ("lone surrogate", '{"version": 1, "min": 1, "max": 4, "x": "\\ud800"}'),
    ("unicode variant name", _with(variants={"Prim\u00e4ry": {"max": 2}})),
    ("control character in a metric name", _step(metric={"namespace": "AWS/SageMaker", "name": "Model\nLatency"})),
    ("shell injection in a name", _schedule(name="x; rm -rf /")),
    ("JNDI lookup in a name", _schedule(name="${jndi:ldap://evil/a}")),
    ("SQL injection in a name", _schedule(name="' OR 1=1 --")),
    ("path traversal in a name", _step(name="../../etc/passwd")),
    ("script tag in a time zone", _schedule(timezone="<script>alert(1)</script>")),
    ("unknown dimension placeholder", _step(metric={"namespace": "A", "name": "B", "dimensions": {"E": "{account}"}})),
    (
        "metric-math without a name",
        _with(
            target_tracking=[
                {"metric": {"metrics": [{"id": "e1", "expression": "1", "return_data": True}]}, "target": 1}
            ]
        ),
    ),
]


def test_hand_written_bad_profiles_are_rejected_with_their_source(applied: Applied) -> None:
    failures = {}
    for case, body in PROFILE_CORPUS:
        try:
            applied.check_profile(body)
        except AssertionError as exc:
            failures[case] = str(exc).splitlines()[0]
    assert failures == {}


def test_secure_string_profile_is_rejected(applied: Applied) -> None:
    (error,) = applied.check_profile(json.dumps(GOOD), kind="SecureString")
    assert "profiles are String parameters" in error


def test_missing_profile_is_rejected_not_replaced_by_another(applied: Applied) -> None:
    (error,) = applied.check_tags({"autoscaling:profile": "nowhere"}, ("profile nowhere",))
    assert error.endswith("parameter /sagemaker-autoscaler/profiles/nowhere does not exist")


@pytest.mark.parametrize("ref", ["/elsewhere/p", "/sagemaker-autoscaler/profilesX/p", "/sagemaker-autoscaler/p"])
def test_profile_outside_the_prefix_is_rejected(applied: Applied, ref: str) -> None:
    (error,) = applied.check_tags({"autoscaling:profile": ref}, (f"profile {ref}",))
    assert "outside the profile prefix" in error


@given(body=invalid_profiles())
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
def test_generated_invalid_profiles_are_rejected_without_a_write(applied: Applied, body: str) -> None:
    TRIED["profiles"] = TRIED.get("profiles", 0) + 1
    applied.world.profile("good", body)
    try:
        applied.reject(("profile good",), compare=TRIED["profiles"] % 10 == 0)
    finally:
        applied.world.profile("good", GOOD)


def test_corpus_size() -> None:
    """The figures for docs/reliability.md (the generated counts are hypothesis's max_examples, run in full)."""
    print(
        f"\nRELIABILITY bad input corpus: {len(TAG_CORPUS)} tag cases, {len(PROFILE_CORPUS) + 1} profile bodies, "
        "5 profile references; generated: 200 tag sets and 200 profiles per run"
    )
    assert len(TAG_CORPUS) + len(PROFILE_CORPUS) >= 100
