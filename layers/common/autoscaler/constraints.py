"""Every request a desired state can lead to, checked against AWS's service models before anything is written.

``check_requests(spec)`` renders, with the renderer ``aws.Aws.apply`` sends (``actions.request``), each request the
controller could send for the spec: RegisterScalableTarget for each target with its bounds and SuspendedState, and for
the bounds each scheduled action leaves when it runs (the planner registers those: ``planner.effective_bounds``);
PutScalingPolicy for each target-tracking and step policy; PutMetricAlarm for each step alarm, its action a policy
ARN of AWS's format; PutScheduledAction for each scheduled action. Each is walked against the operation's input shape
in botocore's service model, the one boto3 sends it with, loaded through botocore once per execution environment.

botocore's own ParamValidator checks types, required members and ``min``, but neither ``max``, ``pattern`` nor
``enum`` (botocore/validate.py: ``VALIDATED_METADATA_ATTRS = {'required', 'min', 'document', 'union'}``), and it runs
only when the request is sent, one at a time, after earlier writes went through. This walker checks all of them,
before the first write: what AWS would refuse for breaking its model is a ConfigError, its source naming the spec
object (the variant, and the policy, alarm or schedule by the profile's name for it) and the request member.

``violations`` (the walker) is shared with the local AWS (``localaws.fidelity``), which refuses what breaks the model
as AWS does; the rules AWS documents that the model cannot express live there, on the AWS side, not here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from botocore.loaders import Loader, create_loader
from botocore.model import ServiceModel, Shape

from autoscaler.actions import (
    PutAlarm,
    PutScheduledAction,
    PutStepScalingPolicy,
    PutTargetTrackingPolicy,
    RegisterTarget,
    Request,
    request,
)
from autoscaler.constants import AAS_NAMESPACE
from autoscaler.errors import Problem
from autoscaler.spec import EndpointSpec, TargetKey, VariantKind, VariantSpec

# The ARN AAS gives a policy (Application Auto Scaling API Reference, PutScalingPolicy, example: "PolicyARN":
# "arn:aws:autoscaling:us-west-2:012345678910:scalingPolicy:6d8972f3-efc8-437c-92d1-6270f29a66e7:resource/ecs/
# service/default/web-app:policyName/web-app-cpu-gt-75"), with a made-up region, account and id of the same lengths
# as the commercial partition's: the alarm's AlarmActions member is checked with a value of a real one's length.
POLICY_ARN = (
    "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:00000000-0000-0000-0000-000000000000:"
    "resource/{namespace}/{resource_id}:policyName/{policy_name}"
)


def placeholder_policy_arn(target: TargetKey, policy_name: str) -> str:
    return POLICY_ARN.format(namespace=AAS_NAMESPACE, resource_id=target.resource_id, policy_name=policy_name)


# ------------------------------------------------------------------------------------------------ the service models


@cache
def _loader() -> Loader:
    # A loader alone, not a botocore session: the same search paths and files a session's clients read, for half
    # the cost of making a session (bench/coldstart.py, measure_constraints_check).
    return create_loader()


@cache
def service_model(service: str) -> ServiceModel:
    """botocore's model of ``service`` (the JSON boto3 ships), loaded once per execution environment."""
    return ServiceModel(_loader().load_service_model(service, "service-2"), service_name=service)


def input_shape(service: str, operation: str) -> Shape:
    shape = service_model(service).operation_model(operation).input_shape
    if shape is None:
        raise ValueError(f"{service} {operation} takes no input")
    return shape


# ------------------------------------------------------------------------------------------------ Java patterns

# botocore's patterns are the services' Java regular expressions (java.util.regex.Pattern), matched against the whole
# value. What Python's ``re`` reads differently is translated; anything else Java-only is refused, never guessed.
# java.util.regex.Pattern, "POSIX character classes (US-ASCII only)":
_POSIX = {
    "Lower": "a-z",
    "Upper": "A-Z",
    "ASCII": r"\x00-\x7F",
    "Alpha": "a-zA-Z",
    "Digit": "0-9",
    "Alnum": "a-zA-Z0-9",
    "Punct": r"!-/:-@\[-`{-~",
    "Graph": "!-~",
    "Print": " -~",
    "Blank": r" \t",
    "Cntrl": r"\x00-\x1F\x7F",
    "XDigit": "0-9a-fA-F",
    "Space": r" \t\n\x0B\f\r",
}
# java.util.regex.Pattern, "Line terminators": what '.' does not match and '$' may stand before, unlike Python's '\n'.
_LINE_TERMINATORS = r"\n\r\u0085\u2028\u2029"
_END = rf"(?=(?:\r\n|[{_LINE_TERMINATORS}])?\Z)"
# Escapes Java reads differently from Python (or Python not at all): \h \v \R \X \G \Q..\E \k<name> and octal \0.
_UNTRANSLATED = frozenset("hHvVRXGQEk0")
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")


def _code_point(pattern: str, i: int) -> tuple[int, int]:
    """The code point of the \\uXXXX escape at ``i`` (a UTF-16 surrogate pair as one), and the index after it."""
    if not _HEX4.fullmatch(pattern[i + 2 : i + 6]):
        raise ValueError(f"bad \\u escape at {i} in {pattern!r}")
    code, i = int(pattern[i + 2 : i + 6], 16), i + 6
    if 0xD800 <= code <= 0xDBFF and pattern.startswith("\\u", i) and _HEX4.fullmatch(pattern[i + 2 : i + 6]):
        low = int(pattern[i + 2 : i + 6], 16)
        if 0xDC00 <= low <= 0xDFFF:
            return 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00), i + 6
    return code, i


@cache
def java_regex(pattern: str) -> re.Pattern[str]:
    """A Python regex that matches what ``pattern`` matches in Java. ValueError for a construct not translated."""
    out: list[str] = []
    i, in_class, class_opened = 0, False, False
    while i < len(pattern):
        char = pattern[i]
        just_opened, class_opened = class_opened, False
        if char == "\\":
            escape = pattern[i + 1 : i + 2]
            if escape == "u":
                code, i = _code_point(pattern, i)
                out.append(f"\\U{code:08X}")
                continue
            if escape in ("p", "P"):
                name = re.match(r"\{(\w+)\}", pattern[i + 2 :])
                if name is None or name[1] not in _POSIX or (in_class and escape == "P"):
                    raise ValueError(f"untranslated class {pattern[i : i + 12]!r} in {pattern!r}")
                members = _POSIX[name[1]]
                out.append(members if in_class else f"[{'^' if escape == 'P' else ''}{members}]")
                i += 2 + len(name[0])
                continue
            if not escape or escape in _UNTRANSLATED:
                raise ValueError(f"untranslated escape {pattern[i : i + 2]!r} in {pattern!r}")
            out.append({"z": r"\Z", "Z": _END}.get(escape, pattern[i : i + 2]))
            i += 2
            continue
        if in_class:
            if char == "[" or pattern.startswith("&&", i) or (char == "]" and just_opened):
                raise ValueError(f"untranslated class syntax at {i} in {pattern!r}")  # Java unions, intersections
            in_class = char != "]"
            class_opened = char == "^" and just_opened and out[-1] == "["
            out.append(char)
        elif char == "[":
            in_class = class_opened = True
            out.append(char)
        else:
            out.append({".": f"[^{_LINE_TERMINATORS}]", "$": _END}.get(char, char))
        i += 1
    if in_class:
        raise ValueError(f"unclosed class in {pattern!r}")
    return re.compile("".join(out), re.ASCII)  # Java's \d \w \s \b are ASCII unless asked otherwise


# ------------------------------------------------------------------------------------------------ the walker


@dataclass(frozen=True)
class Violation:
    """One member of a request breaking a constraint of the model: ``kind`` is the constraint (required, unknown,
    type, enum, min, max, min_length, max_length, pattern), ``limit`` what the model sets for it."""

    path: tuple[str | int, ...]  # member names, and list indices
    kind: str
    value: Any = None
    limit: Any = None

    @property
    def member(self) -> str:
        return next((p for p in reversed(self.path) if isinstance(p, str)), "")

    def dotted(self) -> str:
        text = ""
        for part in self.path:
            text += f"[{part}]" if isinstance(part, int) else f"{'.' if text else ''}{part}"
        return text

    def describe(self) -> str:
        """What is wrong, with AWS's constraint, for an operator."""
        member, value, limit = self.member, self.value, self.limit
        size = f"{len(value)} characters long" if isinstance(value, str) else f"{_length(value)} items"
        return {
            "required": lambda: f"{member} is required",
            "unknown": lambda: f"{member} is not a member of {limit}",
            "type": lambda: f"{member} {value!r} is not of AWS type {limit}",
            "enum": lambda: f"{member} {value!r} is not one of {', '.join(limit)}",
            "min": lambda: f"{member} {value} is below AWS's minimum {limit}",
            "max": lambda: f"{member} {value} is above AWS's maximum {limit}",
            "min_length": lambda: f"{member} is {size}: AWS takes at least {limit}",
            "max_length": lambda: f"{member} is {size}: AWS takes at most {limit}",
            "pattern": lambda: f"{member} {value!r} does not match AWS's pattern {limit}",
        }[self.kind]()


def _length(value: Any) -> int:
    return len(value) if hasattr(value, "__len__") else 0


_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "double": (int, float),
    "float": (int, float),
    "boolean": (bool,),
    "timestamp": (datetime, date, int, float, str),
    "blob": (bytes, bytearray, str),
    "structure": (Mapping,),
    "map": (Mapping,),
    "list": (list, tuple),
}


def _fits(value: Any, kind: str) -> bool:
    """Whether ``value`` is of the model's type ``kind`` (a bool is no number, as in AWS's JSON)."""
    return isinstance(value, _TYPES.get(kind, (object,))) and (kind == "boolean" or not isinstance(value, bool))


def violations(shape: Shape, value: Any, path: tuple[str | int, ...] = ()) -> list[Violation]:
    """Every constraint of ``shape`` (and its members) that ``value`` breaks: types, required members, members the
    shape does not have, enum, numeric min/max, length min/max of strings, lists and maps, and patterns."""
    kind = shape.type_name
    if not _fits(value, kind):
        return [Violation(path, "type", value, kind)]
    found: list[Violation] = []
    meta = shape.metadata
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        found += [Violation((*path, name), "required") for name in meta.get("required", ()) if value.get(name) is None]
        for name, member_value in value.items():
            if name not in members:
                found.append(Violation((*path, name), "unknown", member_value, shape.name))
            elif member_value is not None:
                found += violations(members[name], member_value, (*path, name))
        return found
    if kind in ("string", "list", "map", "blob"):
        length = len(value)
        if "min" in meta and length < meta["min"]:
            found.append(Violation(path, "min_length", value, meta["min"]))
        if "max" in meta and length > meta["max"]:
            found.append(Violation(path, "max_length", value, meta["max"]))
    elif kind in ("integer", "long", "double", "float"):
        if isinstance(value, float) and not math.isfinite(value):
            return [Violation(path, "type", value, kind)]
        if "min" in meta and value < meta["min"]:
            found.append(Violation(path, "min", value, meta["min"]))
        if "max" in meta and value > meta["max"]:
            found.append(Violation(path, "max", value, meta["max"]))
    if kind == "string":
        enum = meta.get("enum")
        if enum and value not in enum:
            found.append(Violation(path, "enum", value, tuple(enum)))
        if "pattern" in meta and not java_regex(meta["pattern"]).fullmatch(value):
            found.append(Violation(path, "pattern", value, meta["pattern"]))
    elif kind == "list":
        for index, item in enumerate(value):
            found += violations(shape.member, item, (*path, index))  # type: ignore[attr-defined]
    elif kind == "map":
        for key, item in value.items():
            found += violations(shape.key, key, (*path, str(key)))  # type: ignore[attr-defined]
            found += violations(shape.value, item, (*path, str(key)))  # type: ignore[attr-defined]
    return found


# ------------------------------------------------------------------------------------------------ a spec's requests


@dataclass(frozen=True)
class PlannedRequest:
    source: str  # the spec object it comes from, as operators name it
    request: Request


def planned_requests(spec: EndpointSpec) -> Iterator[PlannedRequest]:
    """Every write request the controller could send for ``spec`` (deletes name only what exists already)."""
    for variant in spec.variants:
        yield from _variant_requests(variant)


def _variant_requests(variant: VariantSpec) -> Iterator[PlannedRequest]:
    kind = "inference component" if variant.kind is VariantKind.INFERENCE_COMPONENT else "variant"
    where, target = f"{kind} {variant.variant}", variant.target

    def register(low: int, high: int) -> Request:
        return request(RegisterTarget("", target, low, high, variant.suspended))

    yield PlannedRequest(f"{where}: min/max", register(variant.min_capacity, variant.max_capacity))
    for policy in variant.policies:
        rendered = request(PutTargetTrackingPolicy("", target, policy))
        yield PlannedRequest(f"{where}: target_tracking {policy.metric_key}", rendered)
    for step, alarm in variant.step_policies:
        yield PlannedRequest(f"{where}: step_scaling {step.step_key}", request(PutStepScalingPolicy("", target, step)))
        arn = placeholder_policy_arn(target, step.name)
        yield PlannedRequest(f"{where}: step_scaling {step.step_key} alarm", request(PutAlarm("", target, alarm, arn)))
    for action in variant.schedules:
        source = f"{where}: schedules {action.key or action.name}"
        yield PlannedRequest(source, request(PutScheduledAction("", target, action)))
        if action.min_capacity is not None or action.max_capacity is not None:
            low = variant.min_capacity if action.min_capacity is None else action.min_capacity
            high = variant.max_capacity if action.max_capacity is None else action.max_capacity
            yield PlannedRequest(f"{source} (the bounds once it runs)", register(low, high))


def check_requests(spec: EndpointSpec) -> tuple[Problem, ...]:
    """Every violation of AWS's service models in the requests ``spec`` can lead to, each naming its source and the
    request member (``variant V: step_scaling latency alarm: PutMetricAlarm.ExtendedStatistic``)."""
    problems = []
    for planned in planned_requests(spec):
        rendered = planned.request
        for found in violations(input_shape(rendered.service, rendered.operation), rendered.params):
            member = f"{rendered.operation}.{found.dotted()}"
            problems.append(Problem(f"{planned.source}: {member}", found.describe()))
    return tuple(problems)
