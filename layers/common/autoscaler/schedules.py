"""Scheduled-action expressions as Application Auto Scaling reads them, and when they last fired.

``at(yyyy-mm-ddThh:mm:ss)``, ``rate(N minute|minutes|hour|hours|day|days)`` and ``cron(min hour dom month dow year)``
in AWS syntax: ``*`` ``,`` ``-`` ``/`` everywhere; ``?`` in day-of-month or day-of-week (exactly one of the two must be
``?``); ``L`` and ``W`` (``15W``, ``LW``) in day-of-month; ``L`` (``6L``) and ``#`` (``2#1``) in day-of-week; months
``JAN``-``DEC``, days ``SUN``-``SAT`` (1 = Sunday); years 1970-2199. Times are wall-clock times in the action's IANA
time zone, so a ``cron(0 8 ...)`` in Europe/Berlin fires at 08:00 local on both sides of a daylight-saving change.

``last_fired(action, now)`` answers the question the desired-bounds rule asks (DESIGN §5): which scheduled action
has fired most recently by ``now``, within its start and end. A rate action has no anchor that AWS reports (it runs
every N units from when it was put or from its start time): with a start time its fire times are start + k x N; without
one it is taken to have fired within the last interval, i.e. its bounds are the current ones.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from autoscaler.spec import ScheduledAction

MONTHS = {m.upper(): i for i, m in enumerate(calendar.month_abbr) if m}
DAYS = {"SUN": 1, "MON": 2, "TUE": 3, "WED": 4, "THU": 5, "FRI": 6, "SAT": 7}
LOOKBACK_DAYS = 366 * 5
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_RATE = re.compile(r"rate\(([1-9][0-9]{0,8}) (minute|minutes|hour|hours|day|days)\)")
_CRON = re.compile(r"cron\(([^()]*)\)")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@cache
def _iana_names() -> frozenset[str]:
    return frozenset(available_timezones())


def parse_timezone(name: str) -> ZoneInfo:
    """An IANA time-zone name (not a file that merely exists in the host's zoneinfo folder, like `localtime`)."""
    if name not in _iana_names():
        raise ValueError(f"{name!r} is not an IANA time zone")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA time zone") from None


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

    def day_matches(self, day: date) -> bool:
        if day.year not in self.years or day.month not in self.months:
            return False
        if self.days_of_month is not None or self.dom_special is not None:
            return self._dom_matches(day)
        return self._dow_matches(day)

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
    if len(fields) != 6:
        raise ValueError(f"cron needs 6 fields (minutes hours day-of-month month day-of-week year), got {len(fields)}")
    minute, hour, dom, month, dow, year = fields
    if (dom == "?") == (dow == "?"):
        raise ValueError("exactly one of day-of-month and day-of-week must be '?'")
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
        years=_values(year, 1970, 2199),
        days_of_month=dom_values,
        dom_special=dom_special,
        days_of_week=dow_values,
        dow_special=dow_special,
    )


def validate_schedule(expression: str) -> None:
    """Raises ValueError with the reason when AAS would not accept the expression."""
    if _AT.fullmatch(expression):
        try:
            datetime.strptime(expression[3:-1], "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            raise ValueError(f"{expression!r}: not a real date and time") from None
        return
    rate = _RATE.fullmatch(expression)
    if rate:
        return
    cron = _CRON.fullmatch(expression)
    if cron:
        try:
            parse_cron(cron.group(1))
        except ValueError as exc:
            raise ValueError(f"{expression!r}: {exc}") from None
        return
    raise ValueError(
        f"{expression!r} is not at(yyyy-mm-ddThh:mm:ss), rate(N minute|minutes|hour|hours|day|days) or cron(6 fields)"
    )


def last_fired(action: ScheduledAction, now: datetime) -> datetime | None:
    """When `action` last fired at or before `now` (aware, UTC), within its start/end; None if it has not."""
    if action.start is not None and now < action.start:
        return None
    horizon = now if action.end is None else min(now, action.end)
    zone = parse_timezone(action.timezone)
    expression = action.schedule
    fired: datetime | None
    if at := _AT.fullmatch(expression):
        local = datetime.strptime(at.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=zone)
        fired = local.astimezone(UTC) if local.astimezone(UTC) <= horizon else None
    elif rate := _RATE.fullmatch(expression):
        every = timedelta(seconds=int(rate.group(1)) * _UNIT_SECONDS[rate.group(2).rstrip("s")])
        start = action.start
        fired = horizon if start is None else start + every * ((horizon - start) // every)
    elif cron := _CRON.fullmatch(expression):
        fired = _cron_last_fired(parse_cron(cron.group(1)), horizon, zone)
    else:
        raise ValueError(f"not a schedule expression: {expression!r}")
    if fired is None or (action.start is not None and fired < action.start):
        return None
    return fired


def _cron_last_fired(cron: Cron, horizon: datetime, zone: ZoneInfo) -> datetime | None:
    local_now = horizon.astimezone(zone)
    for back in range(LOOKBACK_DAYS):
        day = local_now.date() - timedelta(days=back)
        if not cron.day_matches(day):
            continue
        for hour in sorted(cron.hours, reverse=True):
            for minute in sorted(cron.minutes, reverse=True):
                moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone).astimezone(UTC)
                if moment <= horizon:
                    return moment
    return None


def next_run(action: ScheduledAction, now: datetime) -> datetime | None:
    """When `action` fires next after `now`, in its own time zone; None if never (ended, past at(), unknown rate)."""
    zone = parse_timezone(action.timezone)
    after = now if action.start is None else max(now, action.start - timedelta(microseconds=1))
    expression = action.schedule
    upcoming: datetime | None = None
    if at := _AT.fullmatch(expression):
        local = datetime.strptime(at.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=zone)
        upcoming = local if local.astimezone(UTC) > after else None
    elif rate := _RATE.fullmatch(expression):
        every = timedelta(seconds=int(rate.group(1)) * _UNIT_SECONDS[rate.group(2).rstrip("s")])
        start = action.start
        if start is not None:
            steps = max(0, (after - start) // every + 1) if after >= start else 0
            upcoming = (start + every * steps).astimezone(zone)
    elif cron := _CRON.fullmatch(expression):
        upcoming = _cron_next(parse_cron(cron.group(1)), after, zone)
    if upcoming is None or (action.end is not None and upcoming.astimezone(UTC) > action.end):
        return None
    return upcoming


def _cron_next(cron: Cron, after: datetime, zone: ZoneInfo) -> datetime | None:
    local_after = after.astimezone(zone)
    for ahead in range(LOOKBACK_DAYS):
        day = local_after.date() + timedelta(days=ahead)
        if not cron.day_matches(day):
            continue
        for hour in sorted(cron.hours):
            for minute in sorted(cron.minutes):
                moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)
                if moment.astimezone(UTC) > after:
                    return moment
    return None


def desired_bounds(
    actions: tuple[ScheduledAction, ...], min_capacity: int, max_capacity: int, now: datetime
) -> tuple[int, int, ScheduledAction | None]:
    """The spec's bounds overridden by the scheduled action that fired most recently (DESIGN §5)."""
    fired = [(when, action.name, action) for action in actions if (when := last_fired(action, now)) is not None]
    if not fired:
        return min_capacity, max_capacity, None
    _, _, latest = max(fired, key=lambda item: (item[0], item[1]))
    low = latest.min_capacity if latest.min_capacity is not None else min_capacity
    high = latest.max_capacity if latest.max_capacity is not None else max_capacity
    return low, high, latest
