"""Characterisation of the profile schema: what ``parse_profile`` gives for several hundred documents, valid and
invalid, recorded from the hand-written reader before the schema became a table, so that the table reads every document
the same way: the same value objects, and the same problems (place and message) in the same order.

Each invalid document is listed with every problem it gives, as (path under the profile's source, message); each valid
one with the whole Profile. The documents cover every field of every section, nesting, lists and their limits, unknown
fields with and without a did-you-mean, wrong types, required fields, defaults, and the rules that read one field
against another (min/max, datapoints/evaluation periods, step bounds, duplicates)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from autoscaler.errors import ConfigError
from autoscaler.profiles import Profile, ProfileScope, ScheduleEntry, StepEntry, TrackingEntry, parse_profile
from autoscaler.spec import CustomMetric, MetricMath, MetricQuery, StepAdjustment, SuspendedState

SOURCE = "profile c"
DROP = object()  # an override that removes the field


def doc(**fields: Any) -> dict[str, Any]:
    return {"version": 1, **fields}


def _with(entry: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    for key, value in overrides.items():
        if value is DROP:
            entry.pop(key)
        else:
            entry[key] = value
    return entry


def tt(**overrides: Any) -> dict[str, Any]:
    return _with({"metric": "invocations", "target": 10}, overrides)


def st(**overrides: Any) -> dict[str, Any]:
    entry = {
        "name": "s",
        "metric": {"namespace": "N", "name": "M"},
        "comparison": ">",
        "threshold": 1,
        "adjustment_type": "change",
        "steps": [{"lower": 0, "adjustment": 1}],
    }
    return _with(entry, overrides)


def sc(**overrides: Any) -> dict[str, Any]:
    return _with({"name": "a", "schedule": "rate(1 day)", "min": 1}, overrides)


def steps(*entries: Any, **overrides: Any) -> dict[str, Any]:
    return doc(step_scaling=[st(steps=list(entries), **overrides)])


def math(*queries: Any, **overrides: Any) -> dict[str, Any]:
    return doc(target_tracking=[tt(metric={"metrics": list(queries)}, name="mm", **overrides)])


def custom(**metric: Any) -> dict[str, Any]:
    return doc(target_tracking=[tt(metric={"namespace": "N", "name": "M", **metric})])


def alarm(**metric: Any) -> dict[str, Any]:
    return doc(step_scaling=[st(metric={"namespace": "N", "name": "M", **metric})])


def _two(i: int) -> str:
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return alphabet[i // 36] + alphabet[i % 36]


M1 = {"id": "m1", "metric": {"namespace": "N", "name": "M"}, "return_data": False}
E1 = {"id": "e1", "expression": "m1 * 2"}


def text_of(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)


def problems_of(text: str) -> list[tuple[str, str]]:
    with pytest.raises(ConfigError) as caught:
        parse_profile(text, SOURCE)
    found = []
    for problem in caught.value.problems:
        assert problem.source == SOURCE or problem.source.startswith(f"{SOURCE}: "), problem
        found.append((problem.source[len(SOURCE) + 2 :], problem.message))
    return found


INVALID = [
    pytest.param(
        [1],
        [("", "must be a mapping, not a list")],
        id="document-list",
    ),
    pytest.param(
        '"x"',
        [("", "must be a mapping, not a string")],
        id="document-string",
    ),
    pytest.param(
        None,
        [("", "must be a mapping, not null")],
        id="document-null",
    ),
    pytest.param(
        3,
        [("", "must be a mapping, not int")],
        id="document-number",
    ),
    pytest.param(
        "version: 1\nmin: 1\nmin: 2\n",
        [("", "duplicate key 'min' (line 3)")],
        id="document-yaml-duplicate",
    ),
    pytest.param(
        '{"version": 1, "min": NaN}',
        [("", "NaN is not a number a profile accepts")],
        id="document-json-nan",
    ),
    pytest.param(
        {"min": 1},
        [("version", "is required")],
        id="version-missing",
    ),
    pytest.param(
        {"mxa": 1, "min": -1},
        [("mxa", "unknown field; did you mean 'max'?"), ("version", "is required"), ("min", "-1 is outside 0..inf")],
        id="version-missing-with-others",
    ),
    pytest.param(
        doc(version=2),
        [("version", "2: this controller reads version 1")],
        id="version-2",
    ),
    pytest.param(
        doc(version="1"),
        [("version", "'1': this controller reads version 1")],
        id="version-string",
    ),
    pytest.param(
        '{"version": 1.0}',
        [("version", "1.0: this controller reads version 1")],
        id="version-float",
    ),
    pytest.param(
        '{"version": true}',
        [("version", "True: this controller reads version 1")],
        id="version-bool",
    ),
    pytest.param(
        doc(version=None),
        [("version", "None: this controller reads version 1")],
        id="version-null",
    ),
    pytest.param(
        doc(mxa=1),
        [("mxa", "unknown field; did you mean 'max'?")],
        id="unknown-near",
    ),
    pytest.param(
        doc(banana=1),
        [("banana", "unknown field")],
        id="unknown-far",
    ),
    pytest.param(
        {"zz": 1, "mni": 1, "version": 1, "tagret_tracking": []},
        [
            ("zz", "unknown field"),
            ("mni", "unknown field; did you mean 'min'?"),
            ("tagret_tracking", "unknown field; did you mean 'target_tracking'?"),
        ],
        id="unknown-several-in-document-order",
    ),
    pytest.param(
        doc(MAX=3),
        [("MAX", "unknown field; did you mean 'max'?")],
        id="unknown-case",
    ),
    pytest.param(
        doc(mx=3),
        [("mx", "unknown field; did you mean 'max'?")],
        id="unknown-short-word",
    ),
    pytest.param(
        doc(inference_component={}),
        [("inference_component", "unknown field; did you mean 'inference_components'?")],
        id="unknown-components-typo",
    ),
    pytest.param(
        doc(min=-1),
        [("min", "-1 is outside 0..inf")],
        id="min-negative",
    ),
    pytest.param(
        doc(min="1"),
        [("min", "'1' is not a whole number")],
        id="min-string",
    ),
    pytest.param(
        doc(min=1.0),
        [("min", "1.0 is not a whole number")],
        id="min-float",
    ),
    pytest.param(
        doc(min=True),
        [("min", "True is not a whole number")],
        id="min-bool",
    ),
    pytest.param(
        doc(min=None),
        [("min", "None is not a whole number")],
        id="min-null",
    ),
    pytest.param(
        doc(min=[1]),
        [("min", "[1] is not a whole number")],
        id="min-list",
    ),
    pytest.param(
        doc(max=0),
        [("max", "0 is outside 1..inf")],
        id="max-zero",
    ),
    pytest.param(
        doc(max=False),
        [("max", "False is not a whole number")],
        id="max-false",
    ),
    pytest.param(
        doc(min=5, max=2),
        [("min", "5 is greater than max 2")],
        id="min-above-max",
    ),
    pytest.param(
        doc(min=5, max="2"),
        [("max", "'2' is not a whole number")],
        id="min-above-invalid-max",
    ),
    pytest.param(
        doc(min="5", max=0),
        [("min", "'5' is not a whole number"), ("max", "0 is outside 1..inf")],
        id="invalid-min-max",
    ),
    pytest.param(
        "version: 1\nmin: .inf\n",
        [("min", "inf is not a whole number")],
        id="min-yaml-inf",
    ),
    pytest.param(
        '{"version": 1, "max": 1e999}',
        [("max", "inf is not a whole number")],
        id="max-huge-json",
    ),
    pytest.param(
        doc(limits=[1]),
        [("limits", "must be a mapping, not a list")],
        id="limits-list",
    ),
    pytest.param(
        doc(limits={"mx": 3}),
        [("limits.mx", "unknown field; did you mean 'max'?")],
        id="limits-unknown",
    ),
    pytest.param(
        doc(limits={"min": 3, "max": 4}),
        [("limits.min", "unknown field")],
        id="limits-unknown-far",
    ),
    pytest.param(
        doc(limits={"max": 0}),
        [("limits.max", "0 is outside 1..inf")],
        id="limits-max-zero",
    ),
    pytest.param(
        doc(limits={"max": "9"}),
        [("limits.max", "'9' is not a whole number")],
        id="limits-max-string",
    ),
    pytest.param(
        doc(limits=None),
        [("limits", "must be a mapping, not null")],
        id="limits-null",
    ),
    pytest.param(
        doc(variants=[{"A": {}}]),
        [("variants", "must be a mapping, not a list")],
        id="variants-list",
    ),
    pytest.param(
        doc(variants="A"),
        [("variants", "must be a mapping, not a string")],
        id="variants-string",
    ),
    pytest.param(
        doc(variants={"a_b": {"max": 1}, "B": {"max": 0}}),
        [("variants.a_b", "not a SageMaker variant name"), ("variants.B.max", "0 is outside 1..inf")],
        id="variant-bad-name",
    ),
    pytest.param(
        doc(variants={"-x": 1, "Good": {"mni": 1}}),
        [("variants.-x", "not a SageMaker variant name"), ("variants.Good.mni", "unknown field; did you mean 'min'?")],
        id="variant-bad-name-then-good",
    ),
    pytest.param(
        doc(variants={"A": [1]}),
        [("variants.A", "must be a mapping, not a list")],
        id="variant-body-list",
    ),
    pytest.param(
        doc(variants={"A": None}),
        [("variants.A", "must be a mapping, not null")],
        id="variant-body-null",
    ),
    pytest.param(
        doc(variants={"A": {"version": 1, "limits": {}, "mni": 2}}),
        [
            ("variants.A.version", "unknown field"),
            ("variants.A.limits", "unknown field"),
            ("variants.A.mni", "unknown field; did you mean 'min'?"),
        ],
        id="variant-unknown-fields",
    ),
    pytest.param(
        doc(variants={"A": {"variants": {}}}),
        [("variants.A.variants", "unknown field")],
        id="variant-nested-variants",
    ),
    pytest.param(
        doc(variants={"A": {"min": 3, "max": 1}}),
        [("variants.A.min", "3 is greater than max 1")],
        id="variant-min-above-max",
    ),
    pytest.param(
        doc(
            variants={
                "A": {"min": -1, "max": "x", "target_tracking": {}, "step_scaling": 1, "schedules": "x", "suspend": 5}
            }
        ),
        [
            ("variants.A.min", "-1 is outside 0..inf"),
            ("variants.A.max", "'x' is not a whole number"),
            ("variants.A.target_tracking", "must be a list"),
            ("variants.A.step_scaling", "must be a list"),
            ("variants.A.schedules", "must be a list"),
            ("variants.A.suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')"),
        ],
        id="variant-every-field-bad",
    ),
    pytest.param(
        doc(
            variants={
                "A": {
                    "target_tracking": [tt(target=0)],
                    "step_scaling": [st(period=15)],
                    "schedules": [sc(timezone="Mars/Base")],
                }
            }
        ),
        [
            ("variants.A.target_tracking[0].target", "0 must be greater than 0"),
            ("variants.A.step_scaling[0].period", "15: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds"),
            ("variants.A.schedules[0].timezone", "'Mars/Base' is not an IANA time zone"),
        ],
        id="variant-entries-name-their-path",
    ),
    pytest.param(
        doc(inference_components={"ic_1": {"max": 1}}),
        [("inference_components.ic_1", "not a SageMaker inference component name")],
        id="components-bad-name",
    ),
    pytest.param(
        doc(inference_components=["ic"]),
        [("inference_components", "must be a mapping, not a list")],
        id="components-list",
    ),
    pytest.param(
        doc(inference_components={"ic-1": {"min": 2, "max": 1, "mxa": 1}}),
        [
            ("inference_components.ic-1.mxa", "unknown field; did you mean 'max'?"),
            ("inference_components.ic-1.min", "2 is greater than max 1"),
        ],
        id="components-scope",
    ),
    pytest.param(
        doc(inference_components={"ic-1": "max"}),
        [("inference_components.ic-1", "must be a mapping, not a string")],
        id="components-body-string",
    ),
    pytest.param(
        {
            "suspend": 5,
            "schedules": [sc(min=-1)],
            "step_scaling": [st(threshold="x")],
            "target_tracking": [tt(target=-1)],
            "max": "m",
            "min": "n",
            "inference_components": {"-": {}},
            "variants": {"A": {"min": -2}},
            "limits": {"max": 0},
            "version": 9,
            "oops": 1,
        },
        [
            ("oops", "unknown field"),
            ("version", "9: this controller reads version 1"),
            ("limits.max", "0 is outside 1..inf"),
            ("variants.A.min", "-2 is outside 0..inf"),
            ("inference_components.-", "not a SageMaker inference component name"),
            ("min", "'n' is not a whole number"),
            ("max", "'m' is not a whole number"),
            ("target_tracking[0].target", "-1 must be greater than 0"),
            ("step_scaling[0].threshold", "'x' is not a finite number"),
            ("schedules[0].min", "-1 is outside 0..inf"),
            ("suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')"),
        ],
        id="order-across-sections",
    ),
    pytest.param(
        {"mxa": 1, "min": "x"},
        [
            ("mxa", "unknown field; did you mean 'max'?"),
            ("version", "is required"),
            ("min", "'x' is not a whole number"),
        ],
        id="order-unknown-before-required",
    ),
    pytest.param(
        doc(target_tracking=tt()),
        [("target_tracking", "must be a list")],
        id="tracking-mapping",
    ),
    pytest.param(
        doc(target_tracking="cpu"),
        [("target_tracking", "must be a list")],
        id="tracking-string",
    ),
    pytest.param(
        doc(target_tracking=None),
        [("target_tracking", "must be a list")],
        id="tracking-null",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "name": f"m{i}"}) for i in range(51)]),
        [("target_tracking", "51 entries: AWS allows at most 50 per scalable target")],
        id="tracking-51",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "name": f"m{i}"}) for i in range(50)] + [tt(target=0)]),
        [
            ("target_tracking", "51 entries: AWS allows at most 50 per scalable target"),
            ("target_tracking[50].target", "0 must be greater than 0"),
        ],
        id="tracking-51-with-a-bad-one",
    ),
    pytest.param(
        doc(target_tracking=["cpu", 5, None, []]),
        [
            ("target_tracking[0]", "must be a mapping, not a string"),
            ("target_tracking[1]", "must be a mapping, not int"),
            ("target_tracking[2]", "must be a mapping, not null"),
            ("target_tracking[3]", "must be a mapping, not a list"),
        ],
        id="tracking-entry-not-mapping",
    ),
    pytest.param(
        doc(target_tracking=[{"metric": "cpu"}]),
        [("target_tracking[0].target", "is required")],
        id="tracking-missing-target",
    ),
    pytest.param(
        doc(target_tracking=[{"target": 1}]),
        [("target_tracking[0].metric", "is required")],
        id="tracking-missing-metric",
    ),
    pytest.param(
        doc(target_tracking=[{}]),
        [("target_tracking[0].metric", "is required"), ("target_tracking[0].target", "is required")],
        id="tracking-missing-both",
    ),
    pytest.param(
        doc(target_tracking=[{"metric": "bogus", "name": "a b"}]),
        [("target_tracking[0].target", "is required")],
        id="tracking-missing-target-bad-metric",
    ),
    pytest.param(
        doc(target_tracking=[{"metric": "cpu", "taget": 1}]),
        [
            ("target_tracking[0].taget", "unknown field; did you mean 'target'?"),
            ("target_tracking[0].target", "is required"),
        ],
        id="tracking-missing-target-unknown",
    ),
    pytest.param(
        doc(target_tracking=[tt(scale_in=1, cooldown=3, zzz=1)]),
        [
            ("target_tracking[0].scale_in", "unknown field"),
            ("target_tracking[0].cooldown", "unknown field"),
            ("target_tracking[0].zzz", "unknown field"),
        ],
        id="tracking-unknown-fields",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="invocatons")]),
        [
            (
                "target_tracking[0].metric",
                (
                    "'invocatons' is not a metric (invocations | concurrency | cpu | memory | gpu | gpu-memory "
                    "| backlog | provisioned-concurrency); did you mean 'invocations'?"
                ),
            )
        ],
        id="tracking-metric-near",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="CPU")]),
        [
            (
                "target_tracking[0].metric",
                (
                    "'CPU' is not a metric (invocations | concurrency | cpu | memory | gpu | gpu-memory | "
                    "backlog | provisioned-concurrency); did you mean 'cpu'?"
                ),
            )
        ],
        id="tracking-metric-near-case",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="latency")]),
        [
            (
                "target_tracking[0].metric",
                (
                    "'latency' is not a metric (invocations | concurrency | cpu | memory | gpu | gpu-memory | "
                    "backlog | provisioned-concurrency)"
                ),
            )
        ],
        id="tracking-metric-far",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="")]),
        [
            (
                "target_tracking[0].metric",
                (
                    "'' is not a metric (invocations | concurrency | cpu | memory | gpu | gpu-memory | backlog "
                    "| provisioned-concurrency)"
                ),
            )
        ],
        id="tracking-metric-empty",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric=5)]),
        [("target_tracking[0].metric", "must be a mapping, not int")],
        id="tracking-metric-number",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric=["cpu"])]),
        [("target_tracking[0].metric", "must be a mapping, not a list")],
        id="tracking-metric-list",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric=None)]),
        [("target_tracking[0].metric", "must be a mapping, not null")],
        id="tracking-metric-null",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric=True)]),
        [("target_tracking[0].metric", "must be a mapping, not a boolean")],
        id="tracking-metric-bool",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=0)]),
        [("target_tracking[0].target", "0 must be greater than 0")],
        id="target-zero",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=-0.5)]),
        [("target_tracking[0].target", "-0.5 must be greater than 0")],
        id="target-negative-float",
    ),
    pytest.param(
        doc(target_tracking=[tt(target="70")]),
        [("target_tracking[0].target", "'70' is not a finite number")],
        id="target-string",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=False)]),
        [("target_tracking[0].target", "False is not a finite number")],
        id="target-bool",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=None)]),
        [("target_tracking[0].target", "None is not a finite number")],
        id="target-null",
    ),
    pytest.param(
        "version: 1\ntarget_tracking: [{metric: cpu, target: .nan}]\n",
        [("target_tracking[0].target", "nan is not a finite number")],
        id="target-yaml-nan",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="cpu", target=101)]),
        [("target_tracking[0].target", "101 is a percent of one instance: at most 100")],
        id="target-percent-101",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="gpu-memory", target=100.5)]),
        [("target_tracking[0].target", "100.5 is a percent of one instance: at most 100")],
        id="target-percent-100.5",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="provisioned-concurrency", target=1.5)]),
        [("target_tracking[0].target", "1.5 is a utilisation ratio: at most 1")],
        id="target-ratio-above-1",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=2.0**361)]),
        [("target_tracking[0].target", "4.69709e+108 is above 2^360, the largest target value AWS accepts")],
        id="target-above-2-360",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="memory", target=2.0**361)]),
        [
            ("target_tracking[0].target", "4.69709e+108 is a percent of one instance: at most 100"),
            ("target_tracking[0].target", "4.69709e+108 is above 2^360, the largest target value AWS accepts"),
        ],
        id="target-percent-above-2-360",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=1e300)]),
        [("target_tracking[0].target", "1e+300 is above 2^360, the largest target value AWS accepts")],
        id="target-1e300",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "name": "M"}, target=2.0**400)]),
        [("target_tracking[0].target", "2.58225e+120 is above 2^360, the largest target value AWS accepts")],
        id="target-above-2-360-custom",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="nope", target="x")]),
        [
            (
                "target_tracking[0].metric",
                (
                    "'nope' is not a metric (invocations | concurrency | cpu | memory | gpu | gpu-memory | "
                    "backlog | provisioned-concurrency)"
                ),
            ),
            ("target_tracking[0].target", "'x' is not a finite number"),
        ],
        id="target-invalid-and-metric-invalid",
    ),
    pytest.param(
        doc(target_tracking=[tt(name="a b")]),
        [("target_tracking[0].name", "'a b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")],
        id="tracking-name-space",
    ),
    pytest.param(
        doc(target_tracking=[tt(name="n" * 64)]),
        [
            (
                "target_tracking[0].name",
                "'" + "n" * 64 + "': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
            )
        ],
        id="tracking-name-64",
    ),
    pytest.param(
        doc(target_tracking=[tt(name=5)]),
        [("target_tracking[0].name", "5: 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")],
        id="tracking-name-number",
    ),
    pytest.param(
        doc(target_tracking=[tt(name="step-1")]),
        [("target_tracking[0].name", "names starting with 'step-' are kept for step-scaling policies")],
        id="tracking-name-step",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": [E1]})]),
        [("target_tracking[0].name", "a metric-math policy needs a name (it becomes part of the policy name)")],
        id="tracking-math-without-name",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": [E1]}, name="-x")]),
        [
            ("target_tracking[0].name", "'-x': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
            ("target_tracking[0].name", "a metric-math policy needs a name (it becomes part of the policy name)"),
        ],
        id="tracking-math-invalid-name",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": [E1]}, target=0)]),
        [
            ("target_tracking[0].target", "0 must be greater than 0"),
            ("target_tracking[0].name", "a metric-math policy needs a name (it becomes part of the policy name)"),
        ],
        id="tracking-math-without-name-bad-target",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": [E1]}, name="step-x")]),
        [("target_tracking[0].name", "names starting with 'step-' are kept for step-scaling policies")],
        id="tracking-math-step-name",
    ),
    pytest.param(
        doc(target_tracking=[tt(scale_in_cooldown=-1, scale_out_cooldown=86401, disable_scale_in="no")]),
        [
            ("target_tracking[0].scale_in_cooldown", "-1 is outside 0..86400"),
            ("target_tracking[0].scale_out_cooldown", "86401 is outside 0..86400"),
            ("target_tracking[0].disable_scale_in", "'no' is not true or false"),
        ],
        id="tracking-settings-bad",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="bogus", scale_in_cooldown=-1, disable_scale_in=0)]),
        [
            (
                "target_tracking[0].metric",
                (
                    "'bogus' is not a metric (invocations | concurrency | cpu | memory | gpu | gpu-memory | "
                    "backlog | provisioned-concurrency)"
                ),
            )
        ],
        id="tracking-settings-bad-after-bad-metric",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=0, scale_out_cooldown="x")]),
        [("target_tracking[0].target", "0 must be greater than 0")],
        id="tracking-settings-bad-after-bad-target",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=2.0**361, scale_out_cooldown="x")]),
        [("target_tracking[0].target", "4.69709e+108 is above 2^360, the largest target value AWS accepts")],
        id="tracking-settings-bad-after-too-large-target",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="cpu", target=150, scale_out_cooldown="x")]),
        [
            ("target_tracking[0].target", "150 is a percent of one instance: at most 100"),
            ("target_tracking[0].scale_out_cooldown", "'x' is not a whole number"),
        ],
        id="tracking-settings-bad-after-percent-target",
    ),
    pytest.param(
        doc(target_tracking=[tt(name="a b", scale_out_cooldown=1.5)]),
        [
            (
                "target_tracking[0].name",
                "'a b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit",
            ),
            ("target_tracking[0].scale_out_cooldown", "1.5 is not a whole number"),
        ],
        id="tracking-settings-bad-after-bad-name",
    ),
    pytest.param(
        doc(target_tracking=[tt(scale_in_cooldown=60.0)]),
        [("target_tracking[0].scale_in_cooldown", "60.0 is not a whole number")],
        id="tracking-cooldown-float",
    ),
    pytest.param(
        doc(target_tracking=[tt(disable_scale_in=None)]),
        [("target_tracking[0].disable_scale_in", "None is not true or false")],
        id="tracking-disable-null",
    ),
    pytest.param(
        doc(target_tracking=[tt(), tt(target=20)]),
        [("target_tracking[1]", "duplicate metric 'invocations'")],
        id="tracking-duplicate-metric",
    ),
    pytest.param(
        doc(target_tracking=[tt(), tt(metric="cpu"), tt(), tt(metric="cpu")]),
        [("target_tracking[2]", "duplicate metric 'invocations'"), ("target_tracking[3]", "duplicate metric 'cpu'")],
        id="tracking-duplicate-third",
    ),
    pytest.param(
        doc(target_tracking=[tt(), tt(scale_in_cooldown=-1)]),
        [
            ("target_tracking[1].scale_in_cooldown", "-1 is outside 0..86400"),
            ("target_tracking[1]", "duplicate metric 'invocations'"),
        ],
        id="tracking-duplicate-with-bad-settings",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=0), tt(), tt()]),
        [
            ("target_tracking[0].target", "0 must be greater than 0"),
            ("target_tracking[2]", "duplicate metric 'invocations'"),
        ],
        id="tracking-duplicate-after-invalid",
    ),
    pytest.param(
        doc(target_tracking=[tt(), tt(target=0)]),
        [("target_tracking[1].target", "0 must be greater than 0")],
        id="tracking-invalid-not-a-duplicate",
    ),
    pytest.param(
        doc(target_tracking=[tt(name="x"), tt(metric="cpu", name="x")]),
        [("target_tracking[1]", "duplicate metric 'x'")],
        id="tracking-duplicate-name",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric="cpu"), tt(name="cpu")]),
        [("target_tracking[1]", "duplicate metric 'cpu'")],
        id="tracking-duplicate-name-and-metric-key",
    ),
    pytest.param(
        doc(
            target_tracking=[
                tt(metric={"namespace": "N", "name": "Model Latency"}),
                tt(metric={"namespace": "O", "name": "model--latency"}),
            ]
        ),
        [("target_tracking[1]", "duplicate metric 'model-latency'")],
        id="tracking-duplicate-custom-slug",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "name": "!!"}), tt(metric={"namespace": "N", "name": "??"})]),
        [("target_tracking[1]", "duplicate metric 'custom'")],
        id="tracking-duplicate-custom-fallback-slug",
    ),
    pytest.param(
        doc(
            target_tracking=[
                tt(metric={"metrics": [E1]}, name="x"),
                tt(metric={"metrics": [{"id": "E", "expression": "1"}]}, name="x"),
            ]
        ),
        [
            (
                "target_tracking[1].metric.metrics[0].id",
                "'E': starts with a lower-case letter; letters, digits and _ only",
            ),
            ("target_tracking[1]", "duplicate metric 'x'"),
        ],
        id="tracking-duplicate-math-with-bad-query",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"name": "M"})]),
        [("target_tracking[0].metric.namespace", "is required")],
        id="custom-missing-namespace",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"nmae": "M"})]),
        [
            ("target_tracking[0].metric.nmae", "unknown field; did you mean 'name'?"),
            ("target_tracking[0].metric.namespace", "is required"),
            ("target_tracking[0].metric.name", "is required"),
        ],
        id="custom-missing-both-with-unknown",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "unit": "x"})]),
        [("target_tracking[0].metric.name", "is required")],
        id="custom-missing-name-bad-unit",
    ),
    pytest.param(
        custom(statstic="Average"),
        [("target_tracking[0].metric.statstic", "unknown field; did you mean 'statistic'?")],
        id="custom-unknown-near",
    ),
    pytest.param(
        custom(period=60),
        [("target_tracking[0].metric.period", "unknown field")],
        id="custom-unknown-far",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": ":N", "name": "M"})]),
        [("target_tracking[0].metric.namespace", "':N': CloudWatch namespaces cannot start with ':'")],
        id="custom-namespace-colon",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "", "name": "M"})]),
        [("target_tracking[0].metric.namespace", "'' is not a non-empty printable string of at most 255 characters")],
        id="custom-namespace-empty",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "n" * 256, "name": "M"})]),
        [
            (
                "target_tracking[0].metric.namespace",
                "'" + "n" * 256 + "' is not a non-empty printable string of at most 255 characters",
            )
        ],
        id="custom-namespace-256",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": 5, "name": "M"})]),
        [("target_tracking[0].metric.namespace", "5 is not a non-empty printable string of at most 255 characters")],
        id="custom-namespace-number",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "name": "a\tb"})]),
        [("target_tracking[0].metric.name", "'a\\tb' is not a non-empty printable string of at most 255 characters")],
        id="custom-name-control",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "", "name": "", "statistic": "", "unit": ""})]),
        [
            ("target_tracking[0].metric.namespace", "'' is not a non-empty printable string of at most 255 characters"),
            ("target_tracking[0].metric.name", "'' is not a non-empty printable string of at most 255 characters"),
            ("target_tracking[0].metric.statistic", "'' is not a non-empty printable string of at most 64 characters"),
            ("target_tracking[0].metric.unit", "'' is not a non-empty printable string of at most 64 characters"),
        ],
        id="custom-every-text-bad",
    ),
    pytest.param(
        custom(statistic="p99"),
        [("target_tracking[0].metric.statistic", "'p99' is not one of Average, Maximum, Minimum, SampleCount, Sum")],
        id="custom-statistic-percentile",
    ),
    pytest.param(
        custom(statistic="average"),
        [
            (
                "target_tracking[0].metric.statistic",
                "'average' is not one of Average, Maximum, Minimum, SampleCount, Sum",
            )
        ],
        id="custom-statistic-lower",
    ),
    pytest.param(
        custom(statistic=5),
        [("target_tracking[0].metric.statistic", "5 is not a non-empty printable string of at most 64 characters")],
        id="custom-statistic-number",
    ),
    pytest.param(
        custom(unit="seconds"),
        [
            (
                "target_tracking[0].metric.unit",
                (
                    "'seconds' is not a CloudWatch unit; did you mean 'Seconds'? (Seconds, Milliseconds, "
                    "Bytes, Percent, Count, Count/Second, None, ...)"
                ),
            )
        ],
        id="custom-unit-near",
    ),
    pytest.param(
        custom(unit="Secnods"),
        [
            (
                "target_tracking[0].metric.unit",
                (
                    "'Secnods' is not a CloudWatch unit; did you mean 'Seconds'? (Seconds, Milliseconds, "
                    "Bytes, Percent, Count, Count/Second, None, ...)"
                ),
            )
        ],
        id="custom-unit-near-2",
    ),
    pytest.param(
        custom(unit="Furlongs"),
        [
            (
                "target_tracking[0].metric.unit",
                (
                    "'Furlongs' is not a CloudWatch unit (Seconds, Milliseconds, Bytes, Percent, Count, "
                    "Count/Second, None, ...)"
                ),
            )
        ],
        id="custom-unit-far",
    ),
    pytest.param(
        custom(unit="Furlongs", dimensions=5),
        [
            (
                "target_tracking[0].metric.unit",
                (
                    "'Furlongs' is not a CloudWatch unit (Seconds, Milliseconds, Bytes, Percent, Count, "
                    "Count/Second, None, ...)"
                ),
            )
        ],
        id="custom-unit-unknown-stops-dimensions",
    ),
    pytest.param(
        custom(unit="", dimensions=5),
        [
            ("target_tracking[0].metric.unit", "'' is not a non-empty printable string of at most 64 characters"),
            ("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}"),
        ],
        id="custom-unit-invalid-text-then-dimensions",
    ),
    pytest.param(
        custom(statistic="p50", unit="Furlongs", dimensions=5),
        [
            ("target_tracking[0].metric.statistic", "'p50' is not one of Average, Maximum, Minimum, SampleCount, Sum"),
            (
                "target_tracking[0].metric.unit",
                (
                    "'Furlongs' is not a CloudWatch unit (Seconds, Milliseconds, Bytes, Percent, Count, "
                    "Count/Second, None, ...)"
                ),
            ),
        ],
        id="custom-unit-unknown-after-bad-statistic",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"namespace": "N", "name": "M", "unit": "x"}, target=0)]),
        [
            (
                "target_tracking[0].metric.unit",
                (
                    "'x' is not a CloudWatch unit (Seconds, Milliseconds, Bytes, Percent, Count, Count/Second, "
                    "None, ...)"
                ),
            ),
            ("target_tracking[0].target", "0 must be greater than 0"),
        ],
        id="custom-unit-unknown-target-invalid",
    ),
    pytest.param(
        custom(dimensions="EndpointName"),
        [("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}")],
        id="dimensions-string",
    ),
    pytest.param(
        custom(dimensions=5),
        [("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}")],
        id="dimensions-number",
    ),
    pytest.param(
        custom(dimensions=None),
        [("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}")],
        id="dimensions-null",
    ),
    pytest.param(
        custom(dimensions=["E"]),
        [("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}")],
        id="dimensions-list-of-strings",
    ),
    pytest.param(
        custom(dimensions=[{"name": "E"}]),
        [("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}")],
        id="dimensions-list-missing-value",
    ),
    pytest.param(
        custom(dimensions=[{"name": "E", "value": "v", "x": 1}]),
        [("target_tracking[0].metric.dimensions", "must be a mapping of name: value, or a list of {name, value}")],
        id="dimensions-list-extra-key",
    ),
    pytest.param(
        custom(dimensions={"A": "", "B": 5, "": "v", "C": None, "D": "ok"}),
        [
            ("target_tracking[0].metric.dimensions", "dimension 'A': names and values are non-empty strings"),
            ("target_tracking[0].metric.dimensions", "dimension 'B': names and values are non-empty strings"),
            ("target_tracking[0].metric.dimensions", "dimension '': names and values are non-empty strings"),
            ("target_tracking[0].metric.dimensions", "dimension 'C': names and values are non-empty strings"),
        ],
        id="dimensions-values-bad",
    ),
    pytest.param(
        custom(dimensions=[{"name": 5, "value": "v"}, {"name": "E", "value": ""}]),
        [
            ("target_tracking[0].metric.dimensions", "dimension 5: names and values are non-empty strings"),
            ("target_tracking[0].metric.dimensions", "dimension 'E': names and values are non-empty strings"),
        ],
        id="dimensions-list-values-bad",
    ),
    pytest.param(
        custom(dimensions={f"D{i}": "v" for i in range(31)}),
        [("target_tracking[0].metric.dimensions", "CloudWatch allows at most 30 dimensions")],
        id="dimensions-31",
    ),
    pytest.param(
        custom(dimensions={**{f"D{i}": "v" for i in range(30)}, "X": "{x}"}),
        [
            ("target_tracking[0].metric.dimensions", "CloudWatch allows at most 30 dimensions"),
            ("target_tracking[0].metric.dimensions.X", "unknown placeholder(s) ['x']: use {endpoint} or {variant}"),
        ],
        id="dimensions-31-with-bad",
    ),
    pytest.param(
        custom(dimensions={"A": "{endpont}", "B": "{x}-{y}-{variant}", "C": "{}", "D": "{endpoint}"}),
        [
            (
                "target_tracking[0].metric.dimensions.A",
                "unknown placeholder(s) ['endpont']: use {endpoint} or {variant}",
            ),
            (
                "target_tracking[0].metric.dimensions.B",
                "unknown placeholder(s) ['x', 'y']: use {endpoint} or {variant}",
            ),
            ("target_tracking[0].metric.dimensions.C", "unknown placeholder(s) ['']: use {endpoint} or {variant}"),
        ],
        id="dimensions-placeholders",
    ),
    pytest.param(
        custom(dimensions=[{"name": "EndpointName", "value": "p-{Endpoint}"}]),
        [
            (
                "target_tracking[0].metric.dimensions.EndpointName",
                "unknown placeholder(s) ['Endpoint']: use {endpoint} or {variant}",
            )
        ],
        id="dimensions-placeholder-in-list",
    ),
    pytest.param(
        custom(statistic="Avg", dimensions={"A": "{z}"}),
        [
            ("target_tracking[0].metric.statistic", "'Avg' is not one of Average, Maximum, Minimum, SampleCount, Sum"),
            ("target_tracking[0].metric.dimensions.A", "unknown placeholder(s) ['z']: use {endpoint} or {variant}"),
        ],
        id="dimensions-bad-and-statistic-bad",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": [E1], "period": 60}, name="mm")]),
        [("target_tracking[0].metric.period", "unknown field")],
        id="math-unknown",
    ),
    pytest.param(
        math(),
        [("target_tracking[0].metric.metrics", "must be a non-empty list of queries")],
        id="math-metrics-empty",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": E1}, name="mm")]),
        [("target_tracking[0].metric.metrics", "must be a non-empty list of queries")],
        id="math-metrics-mapping",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": None}, name="mm")]),
        [("target_tracking[0].metric.metrics", "must be a non-empty list of queries")],
        id="math-metrics-null",
    ),
    pytest.param(
        doc(target_tracking=[tt(metric={"metrics": []})]),
        [("target_tracking[0].metric.metrics", "must be a non-empty list of queries")],
        id="math-metrics-empty-without-name",
    ),
    pytest.param(
        math("m1", E1),
        [("target_tracking[0].metric.metrics[0]", "must be a mapping, not a string")],
        id="math-query-not-mapping",
    ),
    pytest.param(
        math({**E1, "retrun_data": True}),
        [("target_tracking[0].metric.metrics[0].retrun_data", "unknown field; did you mean 'return_data'?")],
        id="math-query-unknown",
    ),
    pytest.param(
        math({"expression": "1"}),
        [
            ("target_tracking[0].metric.metrics[0].id", "is required"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-missing-id",
    ),
    pytest.param(
        math({"expression": "", "label": 5}),
        [
            ("target_tracking[0].metric.metrics[0].id", "is required"),
            (
                "target_tracking[0].metric.metrics[0].expression",
                "'' is not a non-empty printable string of at most 2048 characters",
            ),
            (
                "target_tracking[0].metric.metrics[0].label",
                "5 is not a non-empty printable string of at most 255 characters",
            ),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-missing-id-and-more",
    ),
    pytest.param(
        math({"label": "l"}),
        [
            ("target_tracking[0].metric.metrics[0].id", "is required"),
            ("target_tracking[0].metric.metrics[0]", "give exactly one of metric (with stat) or expression"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-missing-id-neither",
    ),
    pytest.param(
        math({"id": "M1", "expression": "1"}),
        [
            (
                "target_tracking[0].metric.metrics[0].id",
                "'M1': starts with a lower-case letter; letters, digits and _ only",
            )
        ],
        id="math-query-id-pattern",
    ),
    pytest.param(
        math({"id": "1m", "expression": "1"}, {"id": "m_", "expression": "2", "return_data": False}),
        [
            (
                "target_tracking[0].metric.metrics[0].id",
                "'1m': starts with a lower-case letter; letters, digits and _ only",
            )
        ],
        id="math-query-id-pattern-two",
    ),
    pytest.param(
        math({"id": "", "expression": "1"}),
        [
            (
                "target_tracking[0].metric.metrics[0].id",
                "'' is not a non-empty printable string of at most 255 characters",
            ),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-id-empty",
    ),
    pytest.param(
        math({"id": 5, "expression": "1"}),
        [
            (
                "target_tracking[0].metric.metrics[0].id",
                "5 is not a non-empty printable string of at most 255 characters",
            ),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-id-number",
    ),
    pytest.param(
        math({"id": "q", "label": 5}),
        [
            ("target_tracking[0].metric.metrics[0]", "give exactly one of metric (with stat) or expression"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-neither",
    ),
    pytest.param(
        math({"id": "q", "metric": {"namespace": "N", "name": "M"}, "expression": "1", "label": ""}),
        [
            ("target_tracking[0].metric.metrics[0]", "give exactly one of metric (with stat) or expression"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-both",
    ),
    pytest.param(
        math({"id": "Q", "metric": 5, "expression": "1"}),
        [
            (
                "target_tracking[0].metric.metrics[0].id",
                "'Q': starts with a lower-case letter; letters, digits and _ only",
            ),
            ("target_tracking[0].metric.metrics[0]", "give exactly one of metric (with stat) or expression"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-both-bad-id",
    ),
    pytest.param(
        math({"id": "m1", "metric": "cpu"}, E1),
        [("target_tracking[0].metric.metrics[0].metric", "must be a mapping, not a string")],
        id="math-query-metric-not-mapping",
    ),
    pytest.param(
        math({"id": "m1", "metric": {"namespace": "N"}, "return_data": False}, E1),
        [("target_tracking[0].metric.metrics[0].metric.name", "is required")],
        id="math-query-metric-missing-name",
    ),
    pytest.param(
        math({"id": "m1", "metric": {"namespace": "N", "name": "M", "stat": "p9"}, "return_data": False}, E1),
        [("target_tracking[0].metric.metrics[0].metric.stat", "unknown field")],
        id="math-query-metric-unknown",
    ),
    pytest.param(
        math({**M1, "stat": ""}, E1),
        [
            (
                "target_tracking[0].metric.metrics[0].stat",
                "'' is not a non-empty printable string of at most 64 characters",
            ),
            (
                "target_tracking[0].metric.metrics[0].metric.statistic",
                "None is not a non-empty printable string of at most 64 characters",
            ),
        ],
        id="math-query-stat-bad",
    ),
    pytest.param(
        math({**M1, "stat": 5}, E1),
        [
            (
                "target_tracking[0].metric.metrics[0].stat",
                "5 is not a non-empty printable string of at most 64 characters",
            ),
            (
                "target_tracking[0].metric.metrics[0].metric.statistic",
                "None is not a non-empty printable string of at most 64 characters",
            ),
        ],
        id="math-query-stat-number",
    ),
    pytest.param(
        math({**M1, "stat": "median"}, E1),
        [
            (
                "target_tracking[0].metric.metrics[0].metric.stat",
                (
                    "'median' is not a CloudWatch statistic (Average, Maximum, Minimum, SampleCount, Sum, or "
                    "an extended one: pNN, tmNN, wmNN, tcNN, tsNN, IQM, PR(n:m), TM/WM/TC/TS(X%:X%))"
                ),
            )
        ],
        id="math-query-stat-not-statistic",
    ),
    pytest.param(
        math({"id": "m1", "metric": [1], "stat": ""}, E1),
        [
            (
                "target_tracking[0].metric.metrics[0].stat",
                "'' is not a non-empty printable string of at most 64 characters",
            ),
            ("target_tracking[0].metric.metrics[0].metric", "must be a mapping, not a list"),
        ],
        id="math-query-stat-bad-metric-not-mapping",
    ),
    pytest.param(
        math(
            {
                "id": "m1",
                "metric": {"namespace": "N", "name": "M", "statistic": "Sum"},
                "stat": "p",
                "return_data": False,
            },
            E1,
        ),
        [
            (
                "target_tracking[0].metric.metrics[0].metric.stat",
                (
                    "'p' is not a CloudWatch statistic (Average, Maximum, Minimum, SampleCount, Sum, or an "
                    "extended one: pNN, tmNN, wmNN, tcNN, tsNN, IQM, PR(n:m), TM/WM/TC/TS(X%:X%))"
                ),
            )
        ],
        id="math-query-metric-statistic-overridden-bad-stat",
    ),
    pytest.param(
        math({"id": "m1", "metric": {"namespace": ":N", "name": "M"}, "return_data": False}, E1),
        [
            (
                "target_tracking[0].metric.metrics[0].metric.namespace",
                "':N': CloudWatch namespaces cannot start with ':'",
            )
        ],
        id="math-query-metric-namespace-colon",
    ),
    pytest.param(
        math({"id": "m1", "metric": {"namespace": "N", "name": "M", "unit": "Bits/second"}, "return_data": False}, E1),
        [
            (
                "target_tracking[0].metric.metrics[0].metric.unit",
                (
                    "'Bits/second' is not a CloudWatch unit; did you mean 'Bits/Second'? (Seconds, "
                    "Milliseconds, Bytes, Percent, Count, Count/Second, None, ...)"
                ),
            )
        ],
        id="math-query-metric-unit",
    ),
    pytest.param(
        math({"id": "e1", "expression": ""}),
        [
            (
                "target_tracking[0].metric.metrics[0].expression",
                "'' is not a non-empty printable string of at most 2048 characters",
            )
        ],
        id="math-query-expression-bad",
    ),
    pytest.param(
        math({"id": "e1", "expression": "x" * 2049}),
        [
            (
                "target_tracking[0].metric.metrics[0].expression",
                "'" + "x" * 2049 + "' is not a non-empty printable string of at most 2048 characters",
            )
        ],
        id="math-query-expression-long",
    ),
    pytest.param(
        math({**E1, "label": "l" * 256}),
        [
            (
                "target_tracking[0].metric.metrics[0].label",
                "'" + "l" * 256 + "' is not a non-empty printable string of at most 255 characters",
            )
        ],
        id="math-query-label-long",
    ),
    pytest.param(
        math({**E1, "return_data": "yes"}),
        [
            ("target_tracking[0].metric.metrics[0].return_data", "'yes' is not true or false"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-query-return-data-string",
    ),
    pytest.param(
        math({**M1, "return_data": "no"}, E1),
        [("target_tracking[0].metric.metrics[0].return_data", "'no' is not true or false")],
        id="math-query-return-data-bad-metric-query",
    ),
    pytest.param(
        math({**M1, "return_data": True}, E1),
        [("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)")],
        id="math-two-return",
    ),
    pytest.param(
        math({**E1, "return_data": False}),
        [("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)")],
        id="math-none-return",
    ),
    pytest.param(
        math({"id": "m1", "metric": {"namespace": "N", "name": "M"}}),
        [("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)")],
        id="math-metric-query-returns-by-default-no",
    ),
    pytest.param(
        math({"id": "q", "label": "x", "return_data": True}, E1),
        [("target_tracking[0].metric.metrics[0]", "give exactly one of metric (with stat) or expression")],
        id="math-dropped-query-not-counted",
    ),
    pytest.param(
        math({"expression": "1"}, E1),
        [("target_tracking[0].metric.metrics[0].id", "is required")],
        id="math-missing-id-not-counted",
    ),
    pytest.param(
        math(5, {"id": "A"}, {"expression": 5}, {"id": "b", "metric": {}, "expression": 1}),
        [
            ("target_tracking[0].metric.metrics[0]", "must be a mapping, not int"),
            (
                "target_tracking[0].metric.metrics[1].id",
                "'A': starts with a lower-case letter; letters, digits and _ only",
            ),
            ("target_tracking[0].metric.metrics[1]", "give exactly one of metric (with stat) or expression"),
            ("target_tracking[0].metric.metrics[2].id", "is required"),
            (
                "target_tracking[0].metric.metrics[2].expression",
                "5 is not a non-empty printable string of at most 2048 characters",
            ),
            ("target_tracking[0].metric.metrics[3]", "give exactly one of metric (with stat) or expression"),
            ("target_tracking[0].metric.metrics", "exactly one query must return data (return_data: true)"),
        ],
        id="math-every-query-bad",
    ),
    pytest.param(
        doc(step_scaling=st()),
        [("step_scaling", "must be a list")],
        id="step-mapping",
    ),
    pytest.param(
        "version: 1\nstep_scaling: ["
        + ",".join(
            f"{{name: s{i}, metric: {{namespace: n, name: m}}, comparison: '>', threshold: 1, "
            "adjustment_type: change, steps: [{lower: 0, adjustment: 1}]}"
            for i in range(51)
        )
        + "]\n",
        [("step_scaling", "51 entries: AWS allows at most 50 per scalable target")],
        id="step-51",
    ),
    pytest.param(
        doc(step_scaling=[1, "s"]),
        [("step_scaling[0]", "must be a mapping, not int"), ("step_scaling[1]", "must be a mapping, not a string")],
        id="step-policy-not-mapping",
    ),
    pytest.param(
        doc(step_scaling=[{}]),
        [
            ("step_scaling[0].name", "is required"),
            ("step_scaling[0].metric", "is required"),
            ("step_scaling[0].comparison", "is required"),
            ("step_scaling[0].threshold", "is required"),
            ("step_scaling[0].adjustment_type", "is required"),
            ("step_scaling[0].steps", "is required"),
        ],
        id="step-missing-all",
    ),
    pytest.param(
        doc(step_scaling=[st(name=DROP, threshold="x", period=7, zz=1)]),
        [("step_scaling[0].zz", "unknown field"), ("step_scaling[0].name", "is required")],
        id="step-missing-name-others-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(steps=DROP)]),
        [("step_scaling[0].steps", "is required")],
        id="step-missing-steps",
    ),
    pytest.param(
        doc(step_scaling=[st(threshhold=1, alarm="a")]),
        [
            ("step_scaling[0].threshhold", "unknown field; did you mean 'threshold'?"),
            ("step_scaling[0].alarm", "unknown field"),
        ],
        id="step-unknown",
    ),
    pytest.param(
        doc(step_scaling=[st(name="a/b")]),
        [("step_scaling[0].name", "'a/b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")],
        id="step-name-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(metric="invocations")]),
        [("step_scaling[0].metric", "must be a mapping, not a string")],
        id="step-metric-string",
    ),
    pytest.param(
        doc(step_scaling=[st(metric={"metrics": [E1]})]),
        [
            ("step_scaling[0].metric.metrics", "unknown field"),
            ("step_scaling[0].metric.namespace", "is required"),
            ("step_scaling[0].metric.name", "is required"),
        ],
        id="step-metric-math",
    ),
    pytest.param(
        doc(step_scaling=[st(metric={"namespace": "N"})]),
        [("step_scaling[0].metric.name", "is required")],
        id="step-metric-missing-name",
    ),
    pytest.param(
        alarm(statistic="TM(5%:95%)"),
        [
            (
                "step_scaling[0].metric.statistic",
                (
                    "'TM(5%:95%)' is not a CloudWatch statistic (Average, Maximum, Minimum, SampleCount, Sum, "
                    "or an extended one: pNN, tmNN, wmNN, tcNN, tsNN, IQM, PR(n:m), TM/WM/TC/TS(X%:X%) with X "
                    "from 10 to 90)"
                ),
            )
        ],
        id="step-metric-statistic-alarm-range",
    ),
    pytest.param(
        alarm(statistic="p101"),
        [
            (
                "step_scaling[0].metric.statistic",
                (
                    "'p101' is not a CloudWatch statistic (Average, Maximum, Minimum, SampleCount, Sum, or an "
                    "extended one: pNN, tmNN, wmNN, tcNN, tsNN, IQM, PR(n:m), TM/WM/TC/TS(X%:X%) with X from "
                    "10 to 90)"
                ),
            )
        ],
        id="step-metric-statistic-alarm-bad",
    ),
    pytest.param(
        alarm(unit="Furlongs"),
        [
            (
                "step_scaling[0].metric.unit",
                (
                    "'Furlongs' is not a CloudWatch unit (Seconds, Milliseconds, Bytes, Percent, Count, "
                    "Count/Second, None, ...)"
                ),
            )
        ],
        id="step-metric-unit-far",
    ),
    pytest.param(
        doc(step_scaling=[st(comparison="=>")]),
        [
            (
                "step_scaling[0].comparison",
                (
                    "'=>': expected one of >=, >, <, <=, GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
                    "LessThanThreshold, LessThanOrEqualToThreshold"
                ),
            )
        ],
        id="step-comparison-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(comparison=1)]),
        [
            (
                "step_scaling[0].comparison",
                (
                    "1: expected one of >=, >, <, <=, GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
                    "LessThanThreshold, LessThanOrEqualToThreshold"
                ),
            )
        ],
        id="step-comparison-number",
    ),
    pytest.param(
        doc(step_scaling=[st(threshold="1")]),
        [("step_scaling[0].threshold", "'1' is not a finite number")],
        id="step-threshold-string",
    ),
    pytest.param(
        doc(step_scaling=[st(threshold=True)]),
        [("step_scaling[0].threshold", "True is not a finite number")],
        id="step-threshold-bool",
    ),
    pytest.param(
        doc(step_scaling=[st(period=15)]),
        [("step_scaling[0].period", "15: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds")],
        id="step-period-15",
    ),
    pytest.param(
        doc(step_scaling=[st(period=90)]),
        [("step_scaling[0].period", "90: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds")],
        id="step-period-90",
    ),
    pytest.param(
        doc(step_scaling=[st(period=5)]),
        [("step_scaling[0].period", "5 is outside 10..86400")],
        id="step-period-5",
    ),
    pytest.param(
        doc(step_scaling=[st(period=86460)]),
        [("step_scaling[0].period", "86460 is outside 10..86400")],
        id="step-period-86460",
    ),
    pytest.param(
        doc(step_scaling=[st(period=60.0)]),
        [("step_scaling[0].period", "60.0 is not a whole number")],
        id="step-period-float",
    ),
    pytest.param(
        doc(step_scaling=[st(evaluation_periods=0)]),
        [("step_scaling[0].evaluation_periods", "0 is outside 1..100")],
        id="step-evaluations-0",
    ),
    pytest.param(
        doc(step_scaling=[st(evaluation_periods=101)]),
        [("step_scaling[0].evaluation_periods", "101 is outside 1..100")],
        id="step-evaluations-101",
    ),
    pytest.param(
        doc(step_scaling=[st(evaluation_periods="3", datapoints_to_alarm=5)]),
        [("step_scaling[0].evaluation_periods", "'3' is not a whole number")],
        id="step-evaluations-bad-datapoints-given",
    ),
    pytest.param(
        doc(step_scaling=[st(evaluation_periods=-1)]),
        [("step_scaling[0].evaluation_periods", "-1 is outside 1..100")],
        id="step-evaluations-bad-datapoints-default",
    ),
    pytest.param(
        doc(step_scaling=[st(datapoints_to_alarm=0)]),
        [("step_scaling[0].datapoints_to_alarm", "0 is outside 1..100")],
        id="step-datapoints-0",
    ),
    pytest.param(
        doc(step_scaling=[st(evaluation_periods=2, datapoints_to_alarm=3)]),
        [("step_scaling[0].datapoints_to_alarm", "3 is more than evaluation_periods 2")],
        id="step-datapoints-above-evaluations",
    ),
    pytest.param(
        doc(step_scaling=[st(datapoints_to_alarm=2)]),
        [("step_scaling[0].datapoints_to_alarm", "2 is more than evaluation_periods 1")],
        id="step-datapoints-above-default-evaluations",
    ),
    pytest.param(
        doc(step_scaling=[st(period=1800, evaluation_periods=49)]),
        [
            (
                "step_scaling[0].evaluation_periods",
                (
                    "period 1800 s x 49 = 88200 s: CloudWatch alarms evaluate at most 86400 s (one day for "
                    "periods under an hour)"
                ),
            )
        ],
        id="step-window-short-period",
    ),
    pytest.param(
        doc(step_scaling=[st(period=86400, evaluation_periods=8)]),
        [
            (
                "step_scaling[0].evaluation_periods",
                "period 86400 s x 8 = 691200 s: CloudWatch alarms evaluate at most 604800 s (seven days)",
            )
        ],
        id="step-window-long-period",
    ),
    pytest.param(
        doc(step_scaling=[st(period=1800, evaluation_periods=49, datapoints_to_alarm=50)]),
        [
            ("step_scaling[0].datapoints_to_alarm", "50 is more than evaluation_periods 49"),
            (
                "step_scaling[0].evaluation_periods",
                (
                    "period 1800 s x 49 = 88200 s: CloudWatch alarms evaluate at most 86400 s (one day for "
                    "periods under an hour)"
                ),
            ),
        ],
        id="step-window-and-datapoints",
    ),
    pytest.param(
        doc(step_scaling=[st(period=1801, evaluation_periods=49)]),
        [
            ("step_scaling[0].period", "1801: CloudWatch alarms take 10, 20, 30 or a multiple of 60 seconds"),
            (
                "step_scaling[0].evaluation_periods",
                (
                    "period 1801 s x 49 = 88249 s: CloudWatch alarms evaluate at most 86400 s (one day for "
                    "periods under an hour)"
                ),
            ),
        ],
        id="step-window-bad-period",
    ),
    pytest.param(
        doc(step_scaling=[st(treat_missing_data="notbreaching")]),
        [
            (
                "step_scaling[0].treat_missing_data",
                "'notbreaching': expected one of missing, notBreaching, breaching, ignore",
            )
        ],
        id="step-treat-missing-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(adjustment_type="chnage")]),
        [
            (
                "step_scaling[0].adjustment_type",
                (
                    "'chnage': expected one of change, percent, exact, ChangeInCapacity, "
                    "PercentChangeInCapacity, ExactCapacity"
                ),
            )
        ],
        id="step-adjustment-type-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(min_adjustment_magnitude=1)]),
        [("step_scaling[0].min_adjustment_magnitude", "applies only to adjustment_type percent")],
        id="step-magnitude-with-change",
    ),
    pytest.param(
        doc(step_scaling=[st(min_adjustment_magnitude="1")]),
        [
            ("step_scaling[0].min_adjustment_magnitude", "'1' is not a whole number"),
            ("step_scaling[0].min_adjustment_magnitude", "applies only to adjustment_type percent"),
        ],
        id="step-magnitude-invalid-with-change",
    ),
    pytest.param(
        doc(step_scaling=[st(adjustment_type="x", min_adjustment_magnitude=1)]),
        [
            (
                "step_scaling[0].adjustment_type",
                (
                    "'x': expected one of change, percent, exact, ChangeInCapacity, PercentChangeInCapacity, "
                    "ExactCapacity"
                ),
            )
        ],
        id="step-magnitude-with-bad-type",
    ),
    pytest.param(
        doc(step_scaling=[st(adjustment_type="percent", min_adjustment_magnitude=0)]),
        [("step_scaling[0].min_adjustment_magnitude", "0 is outside 1..2147483647")],
        id="step-magnitude-zero-percent",
    ),
    pytest.param(
        doc(step_scaling=[st(adjustment_type="percent", min_adjustment_magnitude=2**31)]),
        [("step_scaling[0].min_adjustment_magnitude", "2147483648 is outside 1..2147483647")],
        id="step-magnitude-huge-percent",
    ),
    pytest.param(
        doc(step_scaling=[st(metric_aggregation="Sum")]),
        [("step_scaling[0].metric_aggregation", "'Sum': expected one of Average, Minimum, Maximum")],
        id="step-aggregation-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(cooldown=-1)]),
        [("step_scaling[0].cooldown", "-1 is outside 0..86400")],
        id="step-cooldown-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(cooldown=1.5)]),
        [("step_scaling[0].cooldown", "1.5 is not a whole number")],
        id="step-cooldown-float",
    ),
    pytest.param(
        doc(
            step_scaling=[
                st(
                    name="",
                    metric=5,
                    comparison="",
                    threshold=None,
                    period=1,
                    evaluation_periods=0,
                    datapoints_to_alarm=0,
                    treat_missing_data=1,
                    adjustment_type=None,
                    min_adjustment_magnitude=0,
                    metric_aggregation=None,
                    steps=[],
                    cooldown=None,
                )
            ]
        ),
        [
            ("step_scaling[0].name", "'': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
            ("step_scaling[0].metric", "must be a mapping, not int"),
            (
                "step_scaling[0].comparison",
                (
                    "'': expected one of >=, >, <, <=, GreaterThanOrEqualToThreshold, GreaterThanThreshold, "
                    "LessThanThreshold, LessThanOrEqualToThreshold"
                ),
            ),
            ("step_scaling[0].threshold", "None is not a finite number"),
            ("step_scaling[0].period", "1 is outside 10..86400"),
            ("step_scaling[0].evaluation_periods", "0 is outside 1..100"),
            ("step_scaling[0].datapoints_to_alarm", "0 is outside 1..100"),
            ("step_scaling[0].treat_missing_data", "1: expected one of missing, notBreaching, breaching, ignore"),
            (
                "step_scaling[0].adjustment_type",
                (
                    "None: expected one of change, percent, exact, ChangeInCapacity, PercentChangeInCapacity, "
                    "ExactCapacity"
                ),
            ),
            ("step_scaling[0].min_adjustment_magnitude", "0 is outside 1..2147483647"),
            ("step_scaling[0].metric_aggregation", "None: expected one of Average, Minimum, Maximum"),
            ("step_scaling[0].steps", "must be a non-empty list of {lower, upper, adjustment}"),
            ("step_scaling[0].cooldown", "None is not a whole number"),
        ],
        id="step-every-field-bad",
    ),
    pytest.param(
        doc(step_scaling=[st(), st()]),
        [("step_scaling[1]", "duplicate name 's'")],
        id="step-duplicate",
    ),
    pytest.param(
        doc(step_scaling=[st(), st(cooldown=-5)]),
        [("step_scaling[1].cooldown", "-5 is outside 0..86400"), ("step_scaling[1]", "duplicate name 's'")],
        id="step-duplicate-with-bad-cooldown",
    ),
    pytest.param(
        doc(step_scaling=[st(), st(min_adjustment_magnitude=1)]),
        [
            ("step_scaling[1].min_adjustment_magnitude", "applies only to adjustment_type percent"),
            ("step_scaling[1]", "duplicate name 's'"),
        ],
        id="step-duplicate-with-bad-magnitude",
    ),
    pytest.param(
        doc(step_scaling=[st(), st(period=7)]),
        [("step_scaling[1].period", "7 is outside 10..86400")],
        id="step-invalid-not-a-duplicate",
    ),
    pytest.param(
        doc(step_scaling=[st(name="b", threshold="x"), st(), st(), st(name="b")]),
        [("step_scaling[0].threshold", "'x' is not a finite number"), ("step_scaling[2]", "duplicate name 's'")],
        id="step-duplicate-after-invalid",
    ),
    pytest.param(
        steps(),
        [("step_scaling[0].steps", "must be a non-empty list of {lower, upper, adjustment}")],
        id="steps-empty",
    ),
    pytest.param(
        doc(step_scaling=[st(steps={"lower": 0, "adjustment": 1})]),
        [("step_scaling[0].steps", "must be a non-empty list of {lower, upper, adjustment}")],
        id="steps-mapping",
    ),
    pytest.param(
        doc(step_scaling=[st(steps="1")]),
        [("step_scaling[0].steps", "must be a non-empty list of {lower, upper, adjustment}")],
        id="steps-string",
    ),
    pytest.param(
        doc(step_scaling=[st(steps=None)]),
        [("step_scaling[0].steps", "must be a non-empty list of {lower, upper, adjustment}")],
        id="steps-null",
    ),
    pytest.param(
        steps(
            {"upper": 0, "adjustment": 0},
            *({"lower": i, "upper": i + 1, "adjustment": 1} for i in range(19)),
            {"lower": 19, "adjustment": 2},
        ),
        [("step_scaling[0].steps", "21 steps: AWS allows at most 20")],
        id="steps-21",
    ),
    pytest.param(
        steps(
            {"upper": 0, "adjustment": 0},
            *({"lower": i, "upper": i + 1, "adjustment": 1} for i in range(19)),
            {"lower": 30, "upper": 31, "adjustment": 1},
            {"lower": 31, "adjustment": 2},
        ),
        [
            ("step_scaling[0].steps", "22 steps: AWS allows at most 20"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper 19 then lower 30"),
        ],
        id="steps-22-with-a-gap",
    ),
    pytest.param(
        steps(1, {"lower": 0, "adjustment": 1}),
        [("step_scaling[0].steps[0]", "must be a mapping, not int")],
        id="step-entry-not-mapping",
    ),
    pytest.param(
        steps({"lower": 0}),
        [("step_scaling[0].steps[0].adjustment", "is required")],
        id="step-entry-missing-adjustment",
    ),
    pytest.param(
        steps({"lower": "x", "uper": 1}),
        [
            ("step_scaling[0].steps[0].uper", "unknown field; did you mean 'upper'?"),
            ("step_scaling[0].steps[0].adjustment", "is required"),
        ],
        id="step-entry-missing-adjustment-bad-lower",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": 1, "uper": 3}),
        [("step_scaling[0].steps[0].uper", "unknown field; did you mean 'upper'?")],
        id="step-entry-unknown",
    ),
    pytest.param(
        steps({"lower": "0", "adjustment": 1}),
        [
            ("step_scaling[0].steps[0].lower", "'0' is not a finite number"),
            ("step_scaling[0].steps[0]", "give lower, upper or both: AWS refuses a step with neither bound"),
        ],
        id="step-entry-lower-string",
    ),
    pytest.param(
        steps({"lower": "0", "upper": 5, "adjustment": 1}),
        [
            ("step_scaling[0].steps[0].lower", "'0' is not a finite number"),
            ("step_scaling[0].steps", "a positive upper bound needs a step with no upper bound"),
        ],
        id="step-entry-lower-string-with-upper",
    ),
    pytest.param(
        steps({"lower": 0, "upper": True, "adjustment": 1}),
        [("step_scaling[0].steps[0].upper", "True is not a finite number")],
        id="step-entry-upper-bool",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": 1.5}),
        [("step_scaling[0].steps[0].adjustment", "1.5 is not a whole number")],
        id="step-entry-adjustment-float",
    ),
    pytest.param(
        steps({"lower": 5, "upper": 1, "adjustment": "x"}),
        [("step_scaling[0].steps[0].adjustment", "'x' is not a whole number")],
        id="step-entry-adjustment-bad-skips-checks",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": 2**31}),
        [("step_scaling[0].steps[0].adjustment", "2147483648 is outside -2147483647..2147483647")],
        id="step-entry-adjustment-huge",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": -(2**31)}),
        [("step_scaling[0].steps[0].adjustment", "-2147483648 is outside -2147483647..2147483647")],
        id="step-entry-adjustment-very-negative",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": -1}, adjustment_type="exact"),
        [("step_scaling[0].steps[0].adjustment", "exact capacity cannot be negative")],
        id="step-entry-exact-negative",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": -1}, adjustment_type="ExactCapacity"),
        [("step_scaling[0].steps[0].adjustment", "exact capacity cannot be negative")],
        id="step-entry-exact-negative-named",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": -1}, adjustment_type="exactly"),
        [
            (
                "step_scaling[0].adjustment_type",
                (
                    "'exactly': expected one of change, percent, exact, ChangeInCapacity, "
                    "PercentChangeInCapacity, ExactCapacity"
                ),
            )
        ],
        id="step-entry-negative-bad-type",
    ),
    pytest.param(
        steps({"lower": 10, "upper": 10, "adjustment": 1}),
        [
            ("step_scaling[0].steps[0]", "upper 10 must be greater than lower 10"),
            ("step_scaling[0].steps", "a positive upper bound needs a step with no upper bound"),
        ],
        id="step-entry-upper-not-above-lower",
    ),
    pytest.param(
        steps({"lower": 10, "upper": 5, "adjustment": -1}, {"adjustment": -2}, adjustment_type="exact"),
        [
            ("step_scaling[0].steps[0].adjustment", "exact capacity cannot be negative"),
            ("step_scaling[0].steps[0]", "upper 5 must be greater than lower 10"),
            ("step_scaling[0].steps[1].adjustment", "exact capacity cannot be negative"),
            ("step_scaling[0].steps[1]", "give lower, upper or both: AWS refuses a step with neither bound"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper none then lower 10"),
        ],
        id="step-entry-checks-in-order",
    ),
    pytest.param(
        steps({"adjustment": 1}),
        [("step_scaling[0].steps[0]", "give lower, upper or both: AWS refuses a step with neither bound")],
        id="step-entry-neither-bound",
    ),
    pytest.param(
        steps({"adjustment": 1}, {"adjustment": 2}),
        [
            ("step_scaling[0].steps[0]", "give lower, upper or both: AWS refuses a step with neither bound"),
            ("step_scaling[0].steps[1]", "give lower, upper or both: AWS refuses a step with neither bound"),
            ("step_scaling[0].steps", "at most one step may have no lower bound"),
            ("step_scaling[0].steps", "at most one step may have no upper bound"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper none then lower none"),
        ],
        id="step-entry-neither-bound-twice",
    ),
    pytest.param(
        steps({"upper": 0, "adjustment": -1}, {"upper": 10, "adjustment": 1}, {"lower": 10, "adjustment": 2}),
        [
            ("step_scaling[0].steps", "at most one step may have no lower bound"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper 0 then lower none"),
        ],
        id="steps-two-unbounded-below",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": 1}, {"lower": 10, "adjustment": 2}),
        [
            ("step_scaling[0].steps", "at most one step may have no upper bound"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper none then lower 10"),
        ],
        id="steps-two-unbounded-above",
    ),
    pytest.param(
        steps({"lower": 0, "upper": 10, "adjustment": 1}, {"lower": 20, "adjustment": 2}),
        [("step_scaling[0].steps", "steps must meet without gap or overlap: upper 10 then lower 20")],
        id="steps-gap",
    ),
    pytest.param(
        steps({"lower": 0, "upper": 20, "adjustment": 1}, {"lower": 10, "adjustment": 2}),
        [("step_scaling[0].steps", "steps must meet without gap or overlap: upper 20 then lower 10")],
        id="steps-overlap",
    ),
    pytest.param(
        steps({"lower": 0.5, "upper": 1.25, "adjustment": 1}, {"lower": 1.5, "adjustment": 2}),
        [("step_scaling[0].steps", "steps must meet without gap or overlap: upper 1.25 then lower 1.5")],
        id="steps-gap-floats",
    ),
    pytest.param(
        steps({"lower": -10, "adjustment": 1}),
        [("step_scaling[0].steps", "a negative lower bound needs a step with no lower bound")],
        id="steps-negative-lower",
    ),
    pytest.param(
        steps({"upper": 10, "adjustment": 1}),
        [("step_scaling[0].steps", "a positive upper bound needs a step with no upper bound")],
        id="steps-positive-upper",
    ),
    pytest.param(
        steps(
            {"lower": -5, "upper": 1, "adjustment": 1},
            {"lower": 3, "upper": 4, "adjustment": 1},
            {"lower": 2, "upper": 9, "adjustment": 1},
        ),
        [
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper 1 then lower 2"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper 9 then lower 3"),
            ("step_scaling[0].steps", "a negative lower bound needs a step with no lower bound"),
            ("step_scaling[0].steps", "a positive upper bound needs a step with no upper bound"),
        ],
        id="steps-every-list-rule",
    ),
    pytest.param(
        steps({"lower": 0, "upper": 10, "adjustment": 1}, {"lower": 20, "adjustment": "2"}),
        [("step_scaling[0].steps[1].adjustment", "'2' is not a whole number")],
        id="steps-list-rules-skipped-when-an-entry-is-bad",
    ),
    pytest.param(
        steps({"lower": 0, "upper": 10, "adjustment": 1}, {"lower": 20}),
        [("step_scaling[0].steps[1].adjustment", "is required")],
        id="steps-list-rules-skipped-for-missing-adjustment",
    ),
    pytest.param(
        steps({"lower": 0, "upper": 10, "adjustment": 1}, {"lower": "20", "adjustment": 2}),
        [
            ("step_scaling[0].steps[1].lower", "'20' is not a finite number"),
            ("step_scaling[0].steps[1]", "give lower, upper or both: AWS refuses a step with neither bound"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper none then lower 0"),
        ],
        id="steps-list-rules-with-bad-lower",
    ),
    pytest.param(
        steps(
            {"lower": 20, "adjustment": 2}, {"upper": 0, "adjustment": -1}, {"lower": 0, "upper": 10, "adjustment": 1}
        ),
        [("step_scaling[0].steps", "steps must meet without gap or overlap: upper 10 then lower 20")],
        id="steps-unordered-gap",
    ),
    pytest.param(
        doc(schedules=sc()),
        [("schedules", "must be a list")],
        id="schedules-mapping",
    ),
    pytest.param(
        "version: 1\nschedules: ["
        + ",".join(f"{{name: {_two(i)},schedule: rate(1 day),max: 1}}" for i in range(201))
        + "]\n",
        [("schedules", "201 entries: AWS allows at most 200 per scalable target")],
        id="schedules-201",
    ),
    pytest.param(
        doc(schedules=[5, [], "x"]),
        [
            ("schedules[0]", "must be a mapping, not int"),
            ("schedules[1]", "must be a mapping, not a list"),
            ("schedules[2]", "must be a mapping, not a string"),
        ],
        id="schedule-entry-not-mapping",
    ),
    pytest.param(
        doc(schedules=[sc(name=DROP, timezone="Mars/Base")]),
        [("schedules[0].name", "is required")],
        id="schedule-missing-name",
    ),
    pytest.param(
        doc(schedules=[{"min": 1}]),
        [("schedules[0].name", "is required"), ("schedules[0].schedule", "is required")],
        id="schedule-missing-both",
    ),
    pytest.param(
        doc(schedules=[sc(timezon="UTC", minimum=1)]),
        [
            ("schedules[0].timezon", "unknown field; did you mean 'timezone'?"),
            ("schedules[0].minimum", "unknown field"),
        ],
        id="schedule-unknown",
    ),
    pytest.param(
        doc(schedules=[sc(name="a:b")]),
        [("schedules[0].name", "'a:b': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")],
        id="schedule-name-colon",
    ),
    pytest.param(
        doc(schedules=[sc(name=1)]),
        [("schedules[0].name", "1: 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit")],
        id="schedule-name-number",
    ),
    pytest.param(
        doc(schedules=[sc(schedule=5)]),
        [("schedules[0].schedule", "5 is not a non-empty printable string of at most 256 characters")],
        id="schedule-expression-number",
    ),
    pytest.param(
        doc(schedules=[sc(schedule="rate(" + "1" * 260 + " days)")]),
        [
            (
                "schedules[0].schedule",
                "'rate(" + "1" * 260 + " days)' is not a non-empty printable string of at most 256 characters",
            )
        ],
        id="schedule-expression-long",
    ),
    pytest.param(
        doc(schedules=[sc(schedule="cron(0 8 * * ?)")]),
        [
            (
                "schedules[0].schedule",
                (
                    "'cron(0 8 * * ?)': cron needs 6 fields (minutes hours day-of-month month day-of-week "
                    "year), or 7 with seconds first, got 5"
                ),
            )
        ],
        id="schedule-expression-cron-5",
    ),
    pytest.param(
        doc(schedules=[sc(schedule="cron(0 8 1 * MON *)")]),
        [("schedules[0].schedule", "'cron(0 8 1 * MON *)': one of day-of-month and day-of-week must be '?' (or '*')")],
        id="schedule-expression-cron-both-days",
    ),
    pytest.param(
        doc(schedules=[sc(schedule="rate(0 minutes)")]),
        [
            (
                "schedules[0].schedule",
                (
                    "'rate(0 minutes)' is not at(yyyy-mm-ddThh:mm:ss), rate(N "
                    "minute|minutes|hour|hours|day|days) or cron(6 fields)"
                ),
            )
        ],
        id="schedule-expression-rate-zero",
    ),
    pytest.param(
        doc(schedules=[sc(schedule="at(2026-02-30T00:00:00)")]),
        [("schedules[0].schedule", "'at(2026-02-30T00:00:00)': not a real date and time")],
        id="schedule-expression-at-bad-date",
    ),
    pytest.param(
        doc(schedules=[sc(schedule="every day")]),
        [
            (
                "schedules[0].schedule",
                (
                    "'every day' is not at(yyyy-mm-ddThh:mm:ss), rate(N minute|minutes|hour|hours|day|days) or "
                    "cron(6 fields)"
                ),
            )
        ],
        id="schedule-expression-words",
    ),
    pytest.param(
        doc(schedules=[sc(timezone="Europe/Berln")]),
        [("schedules[0].timezone", "'Europe/Berln' is not an IANA time zone; did you mean 'Europe/Berlin'?")],
        id="schedule-timezone-near",
    ),
    pytest.param(
        doc(schedules=[sc(timezone="europe/berlin")]),
        [("schedules[0].timezone", "'europe/berlin' is not an IANA time zone; did you mean 'Europe/Berlin'?")],
        id="schedule-timezone-case",
    ),
    pytest.param(
        doc(schedules=[sc(timezone="Mars/Olympus")]),
        [("schedules[0].timezone", "'Mars/Olympus' is not an IANA time zone")],
        id="schedule-timezone-far",
    ),
    pytest.param(
        doc(schedules=[sc(timezone="../etc/passwd")]),
        [("schedules[0].timezone", "'../etc/passwd' is not an IANA time zone")],
        id="schedule-timezone-path",
    ),
    pytest.param(
        doc(schedules=[sc(timezone="US/Pacific")]),
        [
            (
                "schedules[0].timezone",
                "'US/Pacific' is an alias of 'America/Los_Angeles': AWS takes canonical IANA time zone names",
            )
        ],
        id="schedule-timezone-alias",
    ),
    pytest.param(
        doc(schedules=[sc(timezone="")]),
        [("schedules[0].timezone", "'' is not a non-empty printable string of at most 64 characters")],
        id="schedule-timezone-empty",
    ),
    pytest.param(
        doc(schedules=[sc(timezone=1)]),
        [("schedules[0].timezone", "1 is not a non-empty printable string of at most 64 characters")],
        id="schedule-timezone-number",
    ),
    pytest.param(
        doc(schedules=[sc(start="2026-01-01T00:00:00")]),
        [
            (
                "schedules[0].start",
                "'2026-01-01T00:00:00' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)",
            )
        ],
        id="schedule-start-without-zone",
    ),
    pytest.param(
        doc(schedules=[sc(start="2026-01-01")]),
        [("schedules[0].start", "'2026-01-01' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")],
        id="schedule-start-date",
    ),
    pytest.param(
        doc(schedules=[sc(start=5)]),
        [("schedules[0].start", "5 is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")],
        id="schedule-start-number",
    ),
    pytest.param(
        doc(schedules=[sc(start="2026-01-01T00:00:00z")]),
        [
            (
                "schedules[0].start",
                "'2026-01-01T00:00:00z' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)",
            )
        ],
        id="schedule-start-lower-z",
    ),
    pytest.param(
        doc(schedules=[sc(start="1969-12-31T23:00:00Z")]),
        [("schedules[0].start", "'1969-12-31T23:00:00Z' is outside 1970-2199, the years AWS schedules take")],
        id="schedule-start-1969",
    ),
    pytest.param(
        doc(schedules=[sc(end="2200-01-01T00:00:00Z")]),
        [("schedules[0].end", "'2200-01-01T00:00:00Z' is outside 1970-2199, the years AWS schedules take")],
        id="schedule-end-2200",
    ),
    pytest.param(
        doc(schedules=[sc(end="9999-12-31T23:59:59-10:00")]),
        [("schedules[0].end", "'9999-12-31T23:59:59-10:00' is outside 1970-2199, the years AWS schedules take")],
        id="schedule-end-year-9999-offset",
    ),
    pytest.param(
        "version: 1\nschedules:\n  - {name: a, schedule: rate(1 day), min: 1, start: 2026-01-01}\n",
        [("schedules[0].start", "'2026-01-01' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")],
        id="schedule-yaml-date-start",
    ),
    pytest.param(
        doc(schedules=[sc(start="2026-01-02T00:00:00Z", end="2026-01-01T00:00:00Z")]),
        [("schedules[0].end", "must be after start")],
        id="schedule-end-before-start",
    ),
    pytest.param(
        doc(schedules=[sc(start="2026-01-01T00:00:00Z", end="2026-01-01T01:00:00+01:00")]),
        [("schedules[0].end", "must be after start")],
        id="schedule-end-equals-start-offset",
    ),
    pytest.param(
        doc(schedules=[sc(start="2026-01-01T00:00:00Z", end="x")]),
        [("schedules[0].end", "'x' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)")],
        id="schedule-end-bad-and-start",
    ),
    pytest.param(
        doc(schedules=[sc(min=-1)]),
        [("schedules[0].min", "-1 is outside 0..inf")],
        id="schedule-min-negative",
    ),
    pytest.param(
        doc(schedules=[sc(max=2.0)]),
        [("schedules[0].max", "2.0 is not a whole number")],
        id="schedule-max-float",
    ),
    pytest.param(
        doc(schedules=[sc(min=DROP)]),
        [("schedules[0]", "a scheduled action sets min, max or both")],
        id="schedule-neither-bound",
    ),
    pytest.param(
        doc(schedules=[sc(min=DROP, timezone="x")]),
        [
            ("schedules[0].timezone", "'x' is not an IANA time zone"),
            ("schedules[0]", "a scheduled action sets min, max or both"),
        ],
        id="schedule-neither-bound-bad-timezone",
    ),
    pytest.param(
        doc(schedules=[sc(min=5, max=2)]),
        [("schedules[0].min", "5 is greater than max 2")],
        id="schedule-min-above-max",
    ),
    pytest.param(
        doc(schedules=[sc(min="5", max="x")]),
        [("schedules[0].min", "'5' is not a whole number"), ("schedules[0].max", "'x' is not a whole number")],
        id="schedule-min-invalid-max",
    ),
    pytest.param(
        doc(schedules=[{"name": "", "schedule": "", "timezone": "", "start": "", "end": "", "min": "", "max": ""}]),
        [
            ("schedules[0].name", "'': 1-63 letters, digits, '_', '.' or '-', starting with a letter or digit"),
            ("schedules[0].schedule", "'' is not a non-empty printable string of at most 256 characters"),
            ("schedules[0].timezone", "'' is not a non-empty printable string of at most 64 characters"),
            ("schedules[0].start", "'' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)"),
            ("schedules[0].end", "'' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)"),
            ("schedules[0].min", "'' is not a whole number"),
            ("schedules[0].max", "'' is not a whole number"),
        ],
        id="schedule-every-field-bad",
    ),
    pytest.param(
        doc(schedules=[sc(), sc()]),
        [("schedules[1]", "duplicate name 'a'")],
        id="schedule-duplicate",
    ),
    pytest.param(
        doc(schedules=[sc(), sc(start="x")]),
        [
            ("schedules[1].start", "'x' is not an ISO-8601 time with a zone (e.g. 2026-01-01T00:00:00Z)"),
            ("schedules[1]", "duplicate name 'a'"),
        ],
        id="schedule-duplicate-bad-start",
    ),
    pytest.param(
        doc(schedules=[sc(), sc(timezone="x")]),
        [("schedules[1].timezone", "'x' is not an IANA time zone")],
        id="schedule-invalid-not-a-duplicate",
    ),
    pytest.param(
        doc(schedules=[sc(name="b", schedule=DROP), sc(), sc()]),
        [("schedules[0].schedule", "is required"), ("schedules[2]", "duplicate name 'a'")],
        id="schedule-duplicate-after-invalid",
    ),
    pytest.param(
        doc(suspend=5),
        [("suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")],
        id="suspend-number",
    ),
    pytest.param(
        doc(suspend=True),
        [("suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")],
        id="suspend-bool",
    ),
    pytest.param(
        doc(suspend=None),
        [("suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")],
        id="suspend-null",
    ),
    pytest.param(
        doc(suspend={"scale-in": True}),
        [("suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")],
        id="suspend-mapping",
    ),
    pytest.param(
        doc(suspend=["scale-in", 5]),
        [("suspend", "a list of scale-in, scale-out, scheduled (or 'all' / 'none')")],
        id="suspend-list-with-number",
    ),
    pytest.param(
        doc(suspend=["scale-in", "bogus"]),
        [
            (
                "suspend",
                ("'scale-in bogus': expected none, all, or any of scale-in scale-out scheduled (joined by ' ' or '+')"),
            )
        ],
        id="suspend-unknown-word",
    ),
    pytest.param(
        doc(suspend="scale_in"),
        [("suspend", "'scale_in': expected none, all, or any of scale-in scale-out scheduled (joined by ' ' or '+')")],
        id="suspend-unknown-string",
    ),
    pytest.param(
        doc(suspend=""),
        [("suspend", "'': expected none, all, or any of scale-in scale-out scheduled (joined by ' ' or '+')")],
        id="suspend-empty-string",
    ),
    pytest.param(
        doc(suspend="all scale-in"),
        [
            (
                "suspend",
                ("'all scale-in': expected none, all, or any of scale-in scale-out scheduled (joined by ' ' or '+')"),
            )
        ],
        id="suspend-all-and-more",
    ),
    pytest.param(
        doc(
            min=0,
            max=0,
            limits={"max": "x"},
            target_tracking=[tt(metric="cpu", target=200), tt(metric="cpu", target=50)],
            step_scaling=[st(steps=[{"lower": 0, "upper": 5, "adjustment": 1}, {"lower": 6, "adjustment": 2}])],
            schedules=[sc(timezone="Europe/Berln"), sc(name="b", schedule="cron(1 2 3)")],
            suspend="sometimes",
        ),
        [
            ("limits.max", "'x' is not a whole number"),
            ("max", "0 is outside 1..inf"),
            ("target_tracking[0].target", "200 is a percent of one instance: at most 100"),
            ("target_tracking[1]", "duplicate metric 'cpu'"),
            ("step_scaling[0].steps", "steps must meet without gap or overlap: upper 5 then lower 6"),
            ("schedules[0].timezone", "'Europe/Berln' is not an IANA time zone; did you mean 'Europe/Berlin'?"),
            (
                "schedules[1].schedule",
                (
                    "'cron(1 2 3)': cron needs 6 fields (minutes hours day-of-month month day-of-week year), "
                    "or 7 with seconds first, got 3"
                ),
            ),
            (
                "suspend",
                "'sometimes': expected none, all, or any of scale-in scale-out scheduled (joined by ' ' or '+')",
            ),
        ],
        id="many-at-once",
    ),
]

VALID = [
    pytest.param(
        doc(),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=None,
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="minimal",
    ),
    pytest.param(
        doc(
            target_tracking=[],
            step_scaling=[],
            schedules=[],
            variants={},
            inference_components={},
            limits={},
            suspend=[],
        ),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=(),
                step_scaling=(),
                schedules=(),
                suspend=SuspendedState(scale_in=False, scale_out=False, scheduled=False),
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="empty-collections",
    ),
    pytest.param(
        doc(target_tracking=[tt()], step_scaling=[st()], schedules=[sc()]),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=(
                    TrackingEntry(
                        key="invocations",
                        metric="invocations",
                        target=10.0,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=False,
                    ),
                ),
                step_scaling=(
                    StepEntry(
                        name="s",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="GreaterThanThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="missing",
                        adjustment_type="ChangeInCapacity",
                        steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                ),
                schedules=(
                    ScheduleEntry(
                        name="a",
                        schedule="rate(1 day)",
                        timezone="UTC",
                        start=None,
                        end=None,
                        min_capacity=1,
                        max_capacity=None,
                    ),
                ),
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="defaults",
    ),
    pytest.param(
        doc(
            min=0,
            max=8,
            limits={"max": 12},
            suspend="scale-in+scheduled",
            target_tracking=[
                tt(
                    metric="cpu",
                    target=100,
                    name="cpu-n",
                    scale_in_cooldown=0,
                    scale_out_cooldown=86400,
                    disable_scale_in=True,
                ),
                tt(metric="provisioned-concurrency", target=1),
                tt(
                    metric={
                        "namespace": "AWS/SageMaker",
                        "name": "Model Latency",
                        "statistic": "Maximum",
                        "unit": "Microseconds",
                        "dimensions": [
                            {"name": "VariantName", "value": "{variant}"},
                            {"name": "EndpointName", "value": "prefix-{endpoint}"},
                        ],
                    },
                    target=2.0**360,
                ),
                tt(metric={"namespace": "Acme/Queue", "name": "!!!"}, target=5),
                tt(metric={"namespace": "Acme", "name": "A" * 60}, target=0.001),
                tt(
                    name="math",
                    target=60,
                    metric={
                        "metrics": [
                            {
                                "id": "m1",
                                "metric": {
                                    "namespace": "/aws/sagemaker/Endpoints",
                                    "name": "CPUUtilization",
                                    "dimensions": {"EndpointName": "{endpoint}", "VariantName": "{variant}"},
                                    "statistic": "Sum",
                                    "unit": "Percent",
                                },
                                "stat": "p99",
                                "label": "cpu",
                                "return_data": False,
                            },
                            {"id": "m_2", "metric": {"namespace": "N", "name": "M"}, "return_data": False},
                            {
                                "id": "e1",
                                "expression": "m1 / 4 + m_2",
                                "label": "cpu per core",
                                "stat": "ignored for an expression",
                            },
                        ]
                    },
                ),
            ],
            step_scaling=[
                st(
                    name="every.field_1",
                    metric={
                        "namespace": "AWS/SageMaker",
                        "name": "OverheadLatency",
                        "statistic": "p99.9",
                        "unit": "Microseconds",
                        "dimensions": {"EndpointName": "{endpoint}"},
                    },
                    comparison="LessThanOrEqualToThreshold",
                    threshold=-2.5,
                    period=30,
                    evaluation_periods=100,
                    datapoints_to_alarm=7,
                    treat_missing_data="breaching",
                    adjustment_type="percent",
                    min_adjustment_magnitude=2**31 - 1,
                    metric_aggregation="Maximum",
                    cooldown=0,
                    steps=[
                        {"lower": 10, "adjustment": 2**31 - 1},
                        {"upper": -5, "adjustment": -(2**31 - 1)},
                        {"lower": -5, "upper": 10, "adjustment": 0},
                    ],
                ),
                st(
                    name="s2",
                    comparison="<",
                    adjustment_type="ExactCapacity",
                    period=86400,
                    evaluation_periods=7,
                    metric={"namespace": "N", "name": "M", "statistic": "TM(10%:90%)"},
                    steps=[{"lower": None, "upper": 0, "adjustment": 0}, {"lower": 0, "upper": None, "adjustment": 3}],
                ),
            ],
            schedules=[
                sc(
                    name="peak",
                    schedule="cron(0 8 ? * MON-FRI *)",
                    timezone="Europe/Berlin",
                    start="2026-01-01T01:00:00+01:00",
                    end="2199-12-31T23:59:59Z",
                    min=2,
                    max=8,
                ),
                sc(name="at", schedule="at(2030-01-01T00:00:00)", min=DROP, max=0),
                sc(name="Rate.1", schedule="rate(5 minutes)", timezone="Etc/GMT+9", min=0, max=0),
            ],
            variants={
                "AllTraffic": {
                    "min": 1,
                    "max": 12,
                    "suspend": "none",
                    "target_tracking": [tt(metric="gpu", target=50)],
                    "step_scaling": [st()],
                    "schedules": [sc()],
                },
                "Blue--v2": {},
            },
            inference_components={
                "ic-1": {"min": 0, "max": 3, "target_tracking": [tt(metric="concurrency", target=4.5)]}
            },
        ),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=0,
                max_capacity=8,
                target_tracking=(
                    TrackingEntry(
                        key="cpu-n",
                        metric="cpu",
                        target=100.0,
                        scale_in_cooldown=0,
                        scale_out_cooldown=86400,
                        disable_scale_in=True,
                        default_dimensions=False,
                    ),
                    TrackingEntry(
                        key="provisioned-concurrency",
                        metric="provisioned-concurrency",
                        target=1.0,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=False,
                    ),
                    TrackingEntry(
                        key="model-latency",
                        metric=CustomMetric(
                            namespace="AWS/SageMaker",
                            name="Model Latency",
                            statistic="Maximum",
                            dimensions=(("EndpointName", "prefix-{endpoint}"), ("VariantName", "{variant}")),
                            unit="Microseconds",
                        ),
                        target=2.3485425827738332e108,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=False,
                    ),
                    TrackingEntry(
                        key="custom",
                        metric=CustomMetric(
                            namespace="Acme/Queue", name="!!!", statistic="Average", dimensions=(), unit=None
                        ),
                        target=5.0,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=True,
                    ),
                    TrackingEntry(
                        key="a" * 40,
                        metric=CustomMetric(
                            namespace="Acme", name="A" * 60, statistic="Average", dimensions=(), unit=None
                        ),
                        target=0.001,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=True,
                    ),
                    TrackingEntry(
                        key="math",
                        metric=MetricMath(
                            queries=(
                                MetricQuery(
                                    id="m1",
                                    metric=CustomMetric(
                                        namespace="/aws/sagemaker/Endpoints",
                                        name="CPUUtilization",
                                        statistic="p99",
                                        dimensions=(("EndpointName", "{endpoint}"), ("VariantName", "{variant}")),
                                        unit="Percent",
                                    ),
                                    expression=None,
                                    label="cpu",
                                    return_data=False,
                                ),
                                MetricQuery(
                                    id="m_2",
                                    metric=CustomMetric(
                                        namespace="N", name="M", statistic="Average", dimensions=(), unit=None
                                    ),
                                    expression=None,
                                    label=None,
                                    return_data=False,
                                ),
                                MetricQuery(
                                    id="e1",
                                    metric=None,
                                    expression="m1 / 4 + m_2",
                                    label="cpu per core",
                                    return_data=True,
                                ),
                            )
                        ),
                        target=60.0,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=False,
                    ),
                ),
                step_scaling=(
                    StepEntry(
                        name="every.field_1",
                        metric=CustomMetric(
                            namespace="AWS/SageMaker",
                            name="OverheadLatency",
                            statistic="p99.9",
                            dimensions=(("EndpointName", "{endpoint}"),),
                            unit="Microseconds",
                        ),
                        default_dimensions=False,
                        comparison="LessThanOrEqualToThreshold",
                        threshold=-2.5,
                        period=30,
                        evaluation_periods=100,
                        datapoints_to_alarm=7,
                        treat_missing_data="breaching",
                        adjustment_type="PercentChangeInCapacity",
                        steps=(
                            StepAdjustment(adjustment=-2147483647, lower=None, upper=-5.0),
                            StepAdjustment(adjustment=0, lower=-5.0, upper=10.0),
                            StepAdjustment(adjustment=2147483647, lower=10.0, upper=None),
                        ),
                        cooldown=0,
                        metric_aggregation="Maximum",
                        min_adjustment_magnitude=2147483647,
                    ),
                    StepEntry(
                        name="s2",
                        metric=CustomMetric(namespace="N", name="M", statistic="TM(10%:90%)", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="LessThanThreshold",
                        threshold=1.0,
                        period=86400,
                        evaluation_periods=7,
                        datapoints_to_alarm=7,
                        treat_missing_data="missing",
                        adjustment_type="ExactCapacity",
                        steps=(
                            StepAdjustment(adjustment=0, lower=None, upper=0.0),
                            StepAdjustment(adjustment=3, lower=0.0, upper=None),
                        ),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                ),
                schedules=(
                    ScheduleEntry(
                        name="peak",
                        schedule="cron(0 8 ? * MON-FRI *)",
                        timezone="Europe/Berlin",
                        start=datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
                        end=datetime(2199, 12, 31, 23, 59, 59, tzinfo=UTC),
                        min_capacity=2,
                        max_capacity=8,
                    ),
                    ScheduleEntry(
                        name="at",
                        schedule="at(2030-01-01T00:00:00)",
                        timezone="UTC",
                        start=None,
                        end=None,
                        min_capacity=None,
                        max_capacity=0,
                    ),
                    ScheduleEntry(
                        name="Rate.1",
                        schedule="rate(5 minutes)",
                        timezone="Etc/GMT+9",
                        start=None,
                        end=None,
                        min_capacity=0,
                        max_capacity=0,
                    ),
                ),
                suspend=SuspendedState(scale_in=True, scale_out=False, scheduled=True),
            ),
            limits_max=12,
            variants=(
                (
                    "AllTraffic",
                    ProfileScope(
                        min_capacity=1,
                        max_capacity=12,
                        target_tracking=(
                            TrackingEntry(
                                key="gpu",
                                metric="gpu",
                                target=50.0,
                                scale_in_cooldown=300,
                                scale_out_cooldown=300,
                                disable_scale_in=False,
                                default_dimensions=False,
                            ),
                        ),
                        step_scaling=(
                            StepEntry(
                                name="s",
                                metric=CustomMetric(
                                    namespace="N", name="M", statistic="Average", dimensions=(), unit=None
                                ),
                                default_dimensions=True,
                                comparison="GreaterThanThreshold",
                                threshold=1.0,
                                period=60,
                                evaluation_periods=1,
                                datapoints_to_alarm=1,
                                treat_missing_data="missing",
                                adjustment_type="ChangeInCapacity",
                                steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                                cooldown=300,
                                metric_aggregation="Average",
                                min_adjustment_magnitude=None,
                            ),
                        ),
                        schedules=(
                            ScheduleEntry(
                                name="a",
                                schedule="rate(1 day)",
                                timezone="UTC",
                                start=None,
                                end=None,
                                min_capacity=1,
                                max_capacity=None,
                            ),
                        ),
                        suspend=SuspendedState(scale_in=False, scale_out=False, scheduled=False),
                    ),
                ),
                (
                    "Blue--v2",
                    ProfileScope(
                        min_capacity=None,
                        max_capacity=None,
                        target_tracking=None,
                        step_scaling=None,
                        schedules=None,
                        suspend=None,
                    ),
                ),
            ),
            warnings=(),
            components=(
                (
                    "ic-1",
                    ProfileScope(
                        min_capacity=0,
                        max_capacity=3,
                        target_tracking=(
                            TrackingEntry(
                                key="concurrency",
                                metric="concurrency",
                                target=4.5,
                                scale_in_cooldown=300,
                                scale_out_cooldown=300,
                                disable_scale_in=False,
                                default_dimensions=False,
                            ),
                        ),
                        step_scaling=None,
                        schedules=None,
                        suspend=None,
                    ),
                ),
            ),
        ),
        id="every-field",
    ),
    pytest.param(
        doc(
            step_scaling=[
                st(name="a", comparison=">=", treat_missing_data="ignore", adjustment_type="exact"),
                st(
                    name="b",
                    comparison="<=",
                    treat_missing_data="notBreaching",
                    adjustment_type="PercentChangeInCapacity",
                    metric_aggregation="Minimum",
                ),
                st(
                    name="c",
                    comparison="GreaterThanThreshold",
                    treat_missing_data="missing",
                    adjustment_type="ChangeInCapacity",
                ),
            ]
        ),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=(
                    StepEntry(
                        name="a",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="GreaterThanOrEqualToThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="ignore",
                        adjustment_type="ExactCapacity",
                        steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                    StepEntry(
                        name="b",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="LessThanOrEqualToThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="notBreaching",
                        adjustment_type="PercentChangeInCapacity",
                        steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                        cooldown=300,
                        metric_aggregation="Minimum",
                        min_adjustment_magnitude=None,
                    ),
                    StepEntry(
                        name="c",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="GreaterThanThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="missing",
                        adjustment_type="ChangeInCapacity",
                        steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                ),
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="comparisons-and-choices",
    ),
    pytest.param(
        doc(suspend="all"),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=None,
                schedules=None,
                suspend=SuspendedState(scale_in=True, scale_out=True, scheduled=True),
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="suspend-all",
    ),
    pytest.param(
        doc(suspend=["scale-out", "scheduled"]),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=None,
                schedules=None,
                suspend=SuspendedState(scale_in=False, scale_out=True, scheduled=True),
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="suspend-list",
    ),
    pytest.param(
        doc(suspend="SCALE-IN + scale-out"),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=None,
                schedules=None,
                suspend=SuspendedState(scale_in=True, scale_out=True, scheduled=False),
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="suspend-plus",
    ),
    pytest.param(
        "version: 1\nmin: 1\nmax: 010\nschedules:\n"
        "  - {name: x, schedule: 'cron(0 8 ? * MON-FRI *)', start: 2026-01-01T00:00:00Z, min: 1}\n"
        "suspend: [scale-in]\n",
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=1,
                max_capacity=10,
                target_tracking=None,
                step_scaling=None,
                schedules=(
                    ScheduleEntry(
                        name="x",
                        schedule="cron(0 8 ? * MON-FRI *)",
                        timezone="UTC",
                        start=datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
                        end=None,
                        min_capacity=1,
                        max_capacity=None,
                    ),
                ),
                suspend=SuspendedState(scale_in=True, scale_out=False, scheduled=False),
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="yaml",
    ),
    pytest.param(
        custom(dimensions={}),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=(
                    TrackingEntry(
                        key="m",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        target=10.0,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=False,
                    ),
                ),
                step_scaling=None,
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="dimensions-empty-mapping",
    ),
    pytest.param(
        alarm(statistic="p99"),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=(
                    StepEntry(
                        name="s",
                        metric=CustomMetric(namespace="N", name="M", statistic="p99", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="GreaterThanThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="missing",
                        adjustment_type="ChangeInCapacity",
                        steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                ),
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="step-metric-statistic-alarm-extended",
    ),
    pytest.param(
        steps({"lower": None, "upper": 0, "adjustment": -1}, {"lower": 0, "upper": None, "adjustment": 1}),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=(
                    StepEntry(
                        name="s",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="GreaterThanThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="missing",
                        adjustment_type="ChangeInCapacity",
                        steps=(
                            StepAdjustment(adjustment=-1, lower=None, upper=0.0),
                            StepAdjustment(adjustment=1, lower=0.0, upper=None),
                        ),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                ),
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="steps-explicit-null-bounds",
    ),
    pytest.param(
        doc(schedules=[sc(min=DROP, max=0)]),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=None,
                schedules=(
                    ScheduleEntry(
                        name="a",
                        schedule="rate(1 day)",
                        timezone="UTC",
                        start=None,
                        end=None,
                        min_capacity=None,
                        max_capacity=0,
                    ),
                ),
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="schedule-only-max-zero",
    ),
    pytest.param(
        doc(target_tracking=[tt(target=2.0**360)]),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=(
                    TrackingEntry(
                        key="invocations",
                        metric="invocations",
                        target=2.3485425827738332e108,
                        scale_in_cooldown=300,
                        scale_out_cooldown=300,
                        disable_scale_in=False,
                        default_dimensions=False,
                    ),
                ),
                step_scaling=None,
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="target-2-360",
    ),
    pytest.param(
        steps({"lower": 0, "adjustment": 1}),
        Profile(
            source="profile c",
            top=ProfileScope(
                min_capacity=None,
                max_capacity=None,
                target_tracking=None,
                step_scaling=(
                    StepEntry(
                        name="s",
                        metric=CustomMetric(namespace="N", name="M", statistic="Average", dimensions=(), unit=None),
                        default_dimensions=True,
                        comparison="GreaterThanThreshold",
                        threshold=1.0,
                        period=60,
                        evaluation_periods=1,
                        datapoints_to_alarm=1,
                        treat_missing_data="missing",
                        adjustment_type="ChangeInCapacity",
                        steps=(StepAdjustment(adjustment=1, lower=0.0, upper=None),),
                        cooldown=300,
                        metric_aggregation="Average",
                        min_adjustment_magnitude=None,
                    ),
                ),
                schedules=None,
                suspend=None,
            ),
            limits_max=None,
            variants=(),
            warnings=(),
            components=(),
        ),
        id="steps-one-step-open-above-from-zero",
    ),
]


@pytest.mark.parametrize(("document", "expected"), INVALID)
def test_an_invalid_document_gives_exactly_these_problems_in_this_order(
    document: Any, expected: list[tuple[str, str]]
) -> None:
    assert problems_of(text_of(document)) == expected


@pytest.mark.parametrize(("document", "expected"), VALID)
def test_a_valid_document_gives_exactly_this_profile(document: Any, expected: Profile) -> None:
    assert parse_profile(text_of(document), SOURCE) == expected


@pytest.mark.parametrize(("document", "expected"), [p for p in INVALID if isinstance(p.values[0], dict)])
def test_the_same_invalid_document_as_yaml_gives_the_same_problems(
    document: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert problems_of(yaml.safe_dump(document, sort_keys=False)) == expected


@pytest.mark.parametrize(("document", "expected"), [p for p in VALID if isinstance(p.values[0], dict)])
def test_the_same_valid_document_as_yaml_gives_the_same_profile(document: dict[str, Any], expected: Profile) -> None:
    assert parse_profile(yaml.safe_dump(document, sort_keys=False), SOURCE) == expected


def test_every_case_has_its_own_name() -> None:
    ids = [p.id for p in [*INVALID, *VALID]]
    assert len(ids) == len(set(ids)) > 300
