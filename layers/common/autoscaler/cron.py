"""The cron expressions of scheduled actions, as Application Auto Scaling reads them (``autoscaler.schedules``
runs them).

``at(yyyy-mm-ddThh:mm:ss)``, ``rate(N minute|minutes|hour|hours|day|days)`` and ``cron(min hour dom month dow year)``
in AWS syntax: ``*`` ``,`` ``-`` ``/`` everywhere; ``?`` in day-of-month or day-of-week; ``L`` and ``W`` (``15W``,
``LW``) in day-of-month; ``L`` (``6L``) and ``#`` (``2#1``) in day-of-week; months ``JAN``-``DEC``, days
``SUN``-``SAT`` (1 = Sunday); years 1970-2199. The Application Auto Scaling User Guide ("Schedule recurring scaling
actions using cron expressions") gives ``30 6 * * 2 *`` as "a scheduled action that recurs every Tuesday at 6:30 AM",
so a ``*`` in one day field beside a value in the other means the other decides; two values (``1`` and ``MON``) are
refused, as AWS documents no meaning for them. That page calls day 2 Tuesday, but the cron reference it points to
(EventBridge User Guide, "Cron expressions": day-of-week ``1-7 or SUN-SAT``) makes 1 Sunday and 2 Monday; the
numbers here follow the reference, which is what the rest of AWS's cron documentation uses (names such as ``TUE``
are unambiguous, and ``status`` shows each action's next run). The same page documents a seven-field form whose first
field is seconds ("you can use the first three fields to specify the time ... including the seconds"): accepted.
Times are wall-clock times in the action's IANA time zone ("When you specify a time zone that observes daylight saving
time, the action automatically adjusts for Daylight Saving Time (DST)"), so a ``cron(0 8 ...)`` in Europe/Berlin fires
at 08:00 local on both sides of a change. AWS does not document a time that a change skips or repeats; here a skipped
time (02:30 on the spring change) fires at the same instant one hour later on the wall clock, and a repeated one fires
once, at its first occurrence (Python's ``fold=0``, as java.time resolves them).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
# The years a cron Year field takes (EventBridge User Guide, "Cron expressions": Year 1970-2199); at() times and
# start/end are held to the same years, so no date arithmetic can leave Python's calendar.
FIRST_YEAR, LAST_YEAR = 1970, 2199


@dataclass(frozen=True)
class Cron:
    minutes: frozenset[int]
    hours: frozenset[int]
    months: frozenset[int]
    years: frozenset[int]
    days_of_month: frozenset[int] | None  # None: '?'
    dom_special: str | None  # 'L', 'LW' or 'nW'
    days_of_week: frozenset[int] | None  # None: '?'; 1 = Sunday
    dow_special: tuple[int, str, int] | None  # (weekday, 'L' | '#', n)
    seconds: frozenset[int] = frozenset({0})  # the seven-field form's first field

    def day_matches(self, day: date) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.days_of_month is not None or self.dom_special is not None:
            return self._dom_matches(day)
        return self._dow_matches(day)

    def moments(self, day: date, zone: ZoneInfo, *, latest_first: bool) -> list[datetime]:
        """The day's firing instants (UTC), in order."""
        local = [
            datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=zone)
            for hour in sorted(self.hours)
            for minute in sorted(self.minutes)
            for second in sorted(self.seconds)
        ]
        instants = sorted(moment.astimezone(UTC) for moment in local)
        return instants[::-1] if latest_first else instants

    def _dom_matches(self, day: date) -> bool:
        last = calendar.monthrange(day.year, day.month)[1]
        special = self.dom_special
        if special is None:
            return self.days_of_month is not None and day.day in self.days_of_month
        if special == "L":
            return day.day == last
        wanted = last if special == "LW" else min(int(special[:-1]), last)
        return day.day == _nearest_weekday(day.year, day.month, wanted, last)

    def _dow_matches(self, day: date) -> bool:
        weekday = day.isoweekday() % 7 + 1  # Sunday = 1
        if self.dow_special is None:
            return self.days_of_week is not None and weekday in self.days_of_week
        wanted, kind, n = self.dow_special
        if weekday != wanted:
            return False
        if kind == "L":
            return day.day + 7 > calendar.monthrange(day.year, day.month)[1]
        return (day.day - 1) // 7 + 1 == n


def _nearest_weekday(year: int, month: int, wanted: int, last: int) -> int:
    """AWS/Quartz 'W': the weekday nearest to day `wanted`, never leaving the month."""
    weekday = date(year, month, wanted).weekday()  # Monday = 0
    if weekday == 5:  # Saturday -> Friday, or Monday when the 1st is a Saturday
        return wanted - 1 if wanted > 1 else wanted + 2
    if weekday == 6:  # Sunday -> Monday, or Friday when it is the last day
        return wanted + 1 if wanted < last else wanted - 2
    return wanted


def _values(field: str, low: int, high: int, names: dict[str, int] | None = None) -> frozenset[int]:
    result: set[int] = set()
    for item in field.split(","):
        body, _, step_text = item.partition("/")
        step = _number(step_text, 1, high, "step") if step_text else 1
        if body == "*":
            start, end = low, high
        elif "-" in body:
            first, _, second = body.partition("-")
            start, end = _number(first, low, high, "value", names), _number(second, low, high, "value", names)
            if end < start:
                raise ValueError(f"range {body!r} goes backwards")
        else:
            start = _number(body, low, high, "value", names)
            end = high if step_text else start
        result.update(range(start, end + 1, step))
    return frozenset(result)


def _number(text: str, low: int, high: int, what: str, names: dict[str, int] | None = None) -> int:
    if names and text.upper() in names:
        return names[text.upper()]
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"{what} {text!r} is not a number")
    value = int(text)
    if not low <= value <= high:
        raise ValueError(f"{'' if what == 'value' else what + ' '}{value} is outside {low}-{high}")
    return value


def parse_cron(body: str) -> Cron:
    fields = body.split()
    if len(fields) not in (6, 7):
        raise ValueError(
            "cron needs 6 fields (minutes hours day-of-month month day-of-week year), or 7 with seconds first, "
            f"got {len(fields)}"
        )
    seconds = _values(fields.pop(0), 0, 59) if len(fields) == 7 else frozenset({0})
    minute, hour, dom, month, dow, year = fields
    if dom == "?" and dow == "?":
        raise ValueError("day-of-month and day-of-week cannot both be '?'")
    if dom != "?" and dow != "?":
        # AWS's own example `30 6 * * 2 *` recurs "every Tuesday": a '*' beside a value leaves the decision to it.
        if dow == "*":
            dow = "?"
        elif dom == "*":
            dom = "?"
        else:
            raise ValueError("one of day-of-month and day-of-week must be '?' (or '*')")
    dom_values: frozenset[int] | None = None
    dom_special: str | None = None
    if dom != "?":
        if dom in ("L", "LW") or re.fullmatch(r"([1-9]|[12][0-9]|3[01])W", dom):
            dom_special = dom
        else:
            dom_values = _values(dom, 1, 31)
    dow_values: frozenset[int] | None = None
    dow_special: tuple[int, str, int] | None = None
    if dow != "?":
        hash_match = re.fullmatch(r"([1-7A-Za-z]{1,3})#([1-5])", dow)
        last_match = re.fullmatch(r"([1-7A-Za-z]{1,3})?L", dow)
        if hash_match:
            dow_special = (_number(hash_match.group(1), 1, 7, "value", DAYS), "#", int(hash_match.group(2)))
        elif last_match:
            dow_special = (_number(last_match.group(1) or "7", 1, 7, "value", DAYS), "L", 0)
        else:
            dow_values = _values(dow, 1, 7, DAYS)
    return Cron(
        minutes=_values(minute, 0, 59),
        hours=_values(hour, 0, 23),
        months=_values(month, 1, 12, MONTHS),
        years=_values(year, FIRST_YEAR, LAST_YEAR),
        days_of_month=dom_values,
        dom_special=dom_special,
        days_of_week=dow_values,
        dow_special=dow_special,
        seconds=seconds,
    )
