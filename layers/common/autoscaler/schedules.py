"""Scheduled-action expressions as Application Auto Scaling reads them, and the bounds its actions leave in effect
(the cron syntax is ``autoscaler.cron``).

``last_fired(action, now)``: when an action last ran by ``now``, within its start and end.

- cron: "If you specify a start time, Application Auto Scaling performs the action at this time, and then performs
  the action based on the specified recurrence" (same page), so the start time is a firing too.
- rate: from its start time, at start + k x N. Without one, AWS does not document when the first run is; it is taken
  to have run within its last interval, i.e. its bounds are the current ones. That is only honest for an action
  alone on its target, so ``sources`` refuses a rate action without ``start`` beside other scheduled actions.
- at: once, at its time. AWS does not document what an ``at()`` already past when it is put does; the controller
  counts it as run, which is stable whichever AWS does (if AAS runs it at once, the bounds agree; if never, the
  controller's registration is the only writer of them).
- end: "the action stops repeating after this time. Application Auto Scaling does not keep track of previous values
  and revert back to those previous values after the end time" (same page): its last run before the end still counts.

``desired_bounds`` folds every action that has run, in the order they ran, over the spec's bounds: "The request can
optionally include only one of these sizes" (Application Auto Scaling User Guide, "Scheduled scaling"), and an action
that sets only one bound leaves the other as it was. Over the whole history that is: min from the action that set a
min most recently, max from the one that set a max most recently. Actions that run at the same instant run in name
order here; AWS says only that "The order in which scheduled actions run is guaranteed for the same scalable target".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from autoscaler.cron import FIRST_YEAR, LAST_YEAR, Cron, parse_cron
from autoscaler.spec import ScheduledAction
from autoscaler.tags import did_you_mean

EARLIEST = datetime(FIRST_YEAR, 1, 1, tzinfo=UTC)
LATEST = datetime(LAST_YEAR, 12, 31, 23, 59, 59, tzinfo=UTC)
LOOKBACK_DAYS = 366 * 5
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_RATE = re.compile(r"rate\(([1-9][0-9]{0,8}) (minute|minutes|hour|hours|day|days)\)")
_CRON = re.compile(r"cron\(([^()]*)\)")
_UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
# The time zone AAS uses when none is given ("If a time zone is not provided, UTC is used by default": Application
# Auto Scaling API Reference, PutScheduledAction); tzdata spells it as a link to Etc/UTC, Joda-Time as its own id.
DEFAULT_TIMEZONE = "UTC"


@dataclass(frozen=True)
class TimeZones:
    """The IANA names AAS accepts: "the canonical names of the IANA time zones supported by Joda-Time (such as
    Etc/GMT+9 or Pacific/Tahiti)" (Application Auto Scaling API Reference, PutScheduledAction, Timezone).

    Canonical: a Zone of the tz database, or a name its zone.tab lists for a country (tz 2022 turned some of those,
    such as Europe/Amsterdam, into links, but they remain the names of their countries' zones), and UTC. Not
    canonical: the compatibility links (US/Pacific, GB, Etc/Universal), reported with the zone they stand for, and
    Factory, a tz placeholder for "local time unknown". Read from the pinned tzdata package, not the host's files, so
    the Lambda runtime and an operator's laptop agree.
    """

    canonical: frozenset[str]
    aliases: dict[str, str]  # link name -> the zone it points to


@cache
def time_zones() -> TimeZones:
    folder = resources.files("tzdata").joinpath("zoneinfo")
    zones: set[str] = set()
    links: dict[str, str] = {}
    for line in folder.joinpath("tzdata.zi").read_text(encoding="utf-8").splitlines():
        kind, _, rest = line.partition(" ")
        if kind == "Z":
            zones.add(rest.split(" ", 1)[0])
        elif kind == "L":
            target, alias = rest.split(" ")[:2]
            links[alias] = target
    for line in folder.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            zones.add(line.split("\t")[2])
    canonical = (zones - {"Factory"}) | {DEFAULT_TIMEZONE}
    return TimeZones(frozenset(canonical), {a: t for a, t in links.items() if a not in canonical})


def parse_timezone(name: str) -> ZoneInfo:
    """A canonical IANA time-zone name (``TimeZones``); ValueError naming the canonical one for an alias."""
    zones = time_zones()
    if name not in zones.canonical:
        if name in zones.aliases:
            raise ValueError(
                f"{name!r} is an alias of {zones.aliases[name]!r}: AWS takes canonical IANA time zone names"
            )
        by_lower = {zone.lower(): zone for zone in zones.canonical}
        hint = did_you_mean(name, frozenset(by_lower))
        raise ValueError(f"{name!r} is not an IANA time zone{f'; did you mean {by_lower[hint]!r}?' if hint else ''}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"{name!r} is not an IANA time zone") from None


def _at_time(text: str) -> datetime:
    """The wall-clock time of an at() expression; ValueError outside the real calendar or the years AWS takes."""
    moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%S")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise ValueError(f"year {moment.year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return moment


def validate_schedule(expression: str) -> None:
    """Raises ValueError with the reason when AAS would not accept the expression."""
    if at := _AT.fullmatch(expression):
        try:
            _at_time(at.group(1))
        except ValueError as exc:
            reason = str(exc) if str(exc).startswith("year") else "not a real date and time"
            raise ValueError(f"{expression!r}: {reason}") from None
        return
    if _RATE.fullmatch(expression):
        return
    if cron := _CRON.fullmatch(expression):
        try:
            parse_cron(cron.group(1))
        except ValueError as exc:
            raise ValueError(f"{expression!r}: {exc}") from None
        return
    raise ValueError(
        f"{expression!r} is not at(yyyy-mm-ddThh:mm:ss), rate(N minute|minutes|hour|hours|day|days) or cron(6 fields)"
    )


def is_rate(expression: str) -> bool:
    return _RATE.fullmatch(expression) is not None


def _rate_interval(match: re.Match[str]) -> timedelta:
    return timedelta(seconds=int(match.group(1)) * _UNIT_SECONDS[match.group(2).rstrip("s")])


def last_fired(action: ScheduledAction, now: datetime) -> datetime | None:
    """When `action` last ran at or before `now` (aware, UTC), within its start/end; None if it has not (see the
    module docstring for each kind)."""
    start = action.start
    if start is not None and now < start:
        return None
    horizon = now if action.end is None else min(now, action.end)
    zone = parse_timezone(action.timezone)
    expression = action.schedule
    fired: datetime | None
    if at := _AT.fullmatch(expression):
        moment = _at_time(at.group(1)).replace(tzinfo=zone).astimezone(UTC)
        fired = moment if moment <= horizon else None
    elif rate := _RATE.fullmatch(expression):
        every = _rate_interval(rate)
        fired = horizon if start is None else start + every * ((horizon - start) // every)
    elif cron := _CRON.fullmatch(expression):
        fired = _cron_last_fired(parse_cron(cron.group(1)), horizon, zone)
        if start is not None and start <= horizon and (fired is None or fired < start):
            fired = start  # "performs the action at this time, and then ... based on the specified recurrence"
    else:
        raise ValueError(f"not a schedule expression: {expression!r}")
    if fired is None or (start is not None and fired < start):
        return None
    return fired


def _cron_last_fired(cron: Cron, horizon: datetime, zone: ZoneInfo) -> datetime | None:
    local_now = horizon.astimezone(zone)
    for back in range(LOOKBACK_DAYS):
        day = local_now.date() - timedelta(days=back)
        if day.year < FIRST_YEAR:
            return None
        if cron.day_matches(day):
            moment = next((m for m in cron.moments(day, zone, latest_first=True) if m <= horizon), None)
            if moment is not None:
                return moment
    return None


def next_run(action: ScheduledAction, now: datetime) -> datetime | None:
    """When `action` runs next after `now`, in its own time zone; None if never (ended, past at(), rate without a
    start, whose anchor AWS does not report)."""
    zone = parse_timezone(action.timezone)
    start = action.start
    if start is not None and now < start and not _AT.fullmatch(action.schedule):
        upcoming: datetime | None = start.astimezone(zone)  # cron and rate run at their start time first
    elif at := _AT.fullmatch(action.schedule):
        local = _at_time(at.group(1)).replace(tzinfo=zone)
        after = now if start is None else max(now, start - timedelta(microseconds=1))
        upcoming = local if local.astimezone(UTC) > after else None
    elif rate := _RATE.fullmatch(action.schedule):
        every = _rate_interval(rate)
        upcoming = None if start is None else (start + every * ((now - start) // every + 1)).astimezone(zone)
    elif cron := _CRON.fullmatch(action.schedule):
        upcoming = _cron_next(parse_cron(cron.group(1)), now, zone)
    else:
        upcoming = None
    if upcoming is None or (action.end is not None and upcoming.astimezone(UTC) > action.end):
        return None
    return upcoming


def _cron_next(cron: Cron, after: datetime, zone: ZoneInfo) -> datetime | None:
    local_after = after.astimezone(zone)
    for ahead in range(LOOKBACK_DAYS):
        day = local_after.date() + timedelta(days=ahead)
        if day.year > LAST_YEAR:
            return None
        if cron.day_matches(day):
            moment = next((m for m in cron.moments(day, zone, latest_first=False) if m > after), None)
            if moment is not None:
                return moment.astimezone(zone)
    return None


@dataclass(frozen=True)
class Bounds:
    """The bounds in effect, and the scheduled action that set each (None: the spec's own)."""

    low: int
    high: int
    low_from: ScheduledAction | None = None
    high_from: ScheduledAction | None = None


def desired_bounds(actions: tuple[ScheduledAction, ...], min_capacity: int, max_capacity: int, now: datetime) -> Bounds:
    """The spec's bounds with every action that has run by ``now`` applied in the order they ran (the module
    docstring): each sets the bounds it names and leaves the other as it was."""
    ran = sorted(
        ((when, action.name, action) for action in actions if (when := last_fired(action, now)) is not None),
        key=lambda item: (item[0], item[1]),
    )
    bounds = Bounds(min_capacity, max_capacity)
    for _, _, action in ran:
        if action.min_capacity is not None:
            bounds = Bounds(action.min_capacity, bounds.high, action, bounds.high_from)
        if action.max_capacity is not None:
            bounds = Bounds(bounds.low, action.max_capacity, bounds.low_from, action)
    return bounds
