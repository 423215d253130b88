"""CloudWatch statistic names, as the APIs the controller calls accept them.

- Target tracking with a single custom metric: "Statistic" is the MetricStatistic enum (Application Auto Scaling API
  Reference, CustomizedMetricSpecification): Average, Minimum, Maximum, SampleCount, Sum.
- Target tracking with metric math: a query's "Stat" "can include any CloudWatch statistic or extended statistic"
  (Application Auto Scaling API Reference, TargetTrackingMetricStat).
- A step-scaling alarm: Statistic (the five) or ExtendedStatistic, whose valid values are "p90, tm90, tc90, ts90,
  wm90, IQM, PR(n:m) where n and m are values of the metric, TC(X%:X%) where X is between 10 and 90 inclusive",
  and the same for TM, TS and WM (CloudWatch API Reference, PutMetricAlarm).

The extended forms follow "CloudWatch statistics definitions" (CloudWatch User Guide): percentile ``pNN``, and trimmed
mean, winsorized mean, trimmed count and trimmed sum (``tmNN`` ``wmNN`` ``tcNN`` ``tsNN``, or ``TM(a:b)`` with
"one or two numbers between 0 and 100, up to 10 decimal places ... absolute values or percentages"); interquartile
mean ``IQM``; percentile rank ``PR(a:b)`` over metric values ("PR(:300)").
"""

from __future__ import annotations

import re

from autoscaler.constants import STANDARD_STATISTICS

_NUMBER = r"(?:\d{1,3}(?:\.\d{1,10})?)"
_SHORT = re.compile(rf"(p|tm|wm|tc|ts)({_NUMBER})")
_RANGE = re.compile(r"(TM|WM|TC|TS)\(([^:()]*):([^:()]*)\)")
_RANK = re.compile(r"PR\(([^:()]*):([^:()]*)\)")
_PERCENT = re.compile(rf"({_NUMBER})%")
_VALUE = re.compile(r"-?\d+(?:\.\d+)?")
STANDARD = ", ".join(sorted(STANDARD_STATISTICS))


def statistic_problem(text: str, *, extended: bool, alarm: bool = False) -> str | None:
    """Why ``text`` is not a statistic the API takes, or None. ``extended``: extended statistics allowed too;
    ``alarm``: PutMetricAlarm's narrower ExtendedStatistic forms (range bounds are percentages from 10 to 90)."""
    if text in STANDARD_STATISTICS:
        return None
    if not extended:
        return f"{text!r} is not one of {STANDARD}"
    if text == "IQM" or _valid_short(text) or _valid_rank(text) or _valid_range(text, alarm):
        return None
    forms = "pNN, tmNN, wmNN, tcNN, tsNN, IQM, PR(n:m), TM/WM/TC/TS(X%:X%)"
    bounds = " with X from 10 to 90" if alarm else ""
    return f"{text!r} is not a CloudWatch statistic ({STANDARD}, or an extended one: {forms}{bounds})"


def is_standard(text: str) -> bool:
    return text in STANDARD_STATISTICS


def _valid_short(text: str) -> bool:
    match = _SHORT.fullmatch(text)
    return match is not None and float(match.group(2)) <= 100


def _valid_rank(text: str) -> bool:
    match = _RANK.fullmatch(text)
    if match is None or not (match.group(1) or match.group(2)):
        return False
    return all(not bound or _VALUE.fullmatch(bound) for bound in match.groups())


def _valid_range(text: str, alarm: bool) -> bool:
    match = _RANGE.fullmatch(text)
    if match is None:
        return False
    low, high = match.group(2), match.group(3)
    if alarm:
        percents = [_PERCENT.fullmatch(b) for b in (low, high)]
        return all(p is not None and 10 <= float(p.group(1)) <= 90 for p in percents) and float(low[:-1]) < float(
            high[:-1]
        )
    if not (low or high):
        return False
    for bound in (low, high):
        if not bound:
            continue
        percent = _PERCENT.fullmatch(bound)
        if percent is not None:
            if float(percent.group(1)) > 100:
                return False
        elif not _VALUE.fullmatch(bound):
            return False
    return True
