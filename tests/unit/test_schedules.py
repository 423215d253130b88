"""Scheduled-action expressions in AWS syntax, when they last fired and the bounds they leave, on a frozen clock."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from autoscaler.cron import parse_cron
from autoscaler.schedules import (
    Bounds,
    desired_bounds,
    last_fired,
    next_run,
    parse_timezone,
    validate_schedule,
)
from autoscaler.spec import ScheduledAction


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def action(
    schedule: str,
    timezone: str = "UTC",
    *,
    name: str = "a",
    start: datetime | None = None,
    end: datetime | None = None,
    low: int | None = None,
    high: int | None = None,
) -> ScheduledAction:
    return ScheduledAction(name, schedule, timezone, start, end, low, high)


def fired(schedule: str, now: datetime, timezone: str = "UTC", **kwargs: datetime) -> datetime | None:
    return last_fired(action(schedule, timezone, **kwargs), now)


FIELDS = "cron needs 6 fields (minutes hours day-of-month month day-of-week year), or 7 with seconds first"
NOT_AN_EXPRESSION = "is not at(yyyy-mm-ddThh:mm:ss), rate(N minute|minutes|hour|hours|day|days) or cron(6 fields)"

# ------------------------------------------------------------------ validate_schedule: accepted


@pytest.mark.parametrize(
    "expression",
    [
        "at(2026-06-01T08:00:00)",
        "at(2028-02-29T23:59:59)",
        "rate(1 minute)",
        "rate(5 minutes)",
        "rate(1 hour)",
        "rate(2 hours)",
        "rate(1 day)",
        "rate(3 days)",
        "cron(0 8 ? * MON-FRI *)",
        "cron(0 8 * * ? *)",
        "cron(0/15 * * * ? *)",
        "cron(*/15 * * * ? *)",
        "cron(0 8 1,15 * ? 2026-2027)",
        "cron(0 8 ? * MON-FRI 2026/2)",
        "cron(0 8 1-5/2 * ? *)",
        "cron(0 8 L * ? *)",
        "cron(0 8 LW * ? *)",
        "cron(0 8 15W * ? *)",
        "cron(0 8 1W * ? *)",
        "cron(0 8 31W * ? *)",
        "cron(0 8 ? * 6L *)",
        "cron(0 8 ? * L *)",
        "cron(0 8 ? * FRIL *)",
        "cron(0 8 ? * 2#1 *)",
        "cron(0 8 ? * MON#1 *)",
        "cron(0 8 ? * 7#5 *)",
        "cron(0 8 ? JAN-DEC SUN-SAT *)",
        "cron(0 8 ? jan,Jul mon-fri *)",
        "cron(59 23 31 12 ? 2199)",
        "cron(0 0 1 1 ? 1970)",
        # The Application Auto Scaling User Guide's own examples ("Schedule recurring scaling actions using cron
        # expressions"), including `30 6 * * 2 *` ("recurs every Tuesday at 6:30 AM") and the seven-field form.
        "cron(30 6 * * 2 *)",
        "cron(0 10 * * ? *)",
        "cron(15 12 * * ? *)",
        "cron(0 18 ? * MON-FRI *)",
        "cron(0 8 1 * ? *)",
        "cron(0/10 * ? * MON-FRI *)",
        "cron(0/5 8-17 ? * MON-FRI *)",
        "cron(0 8 * * * *)",
        "cron(0 8 1 * * *)",
        "cron(30 0 8 * * ? *)",
        "at(1970-01-01T00:00:00)",
        "at(2199-12-31T23:59:59)",
    ],
)
def test_aws_schedule_expression_is_accepted(expression: str) -> None:
    validate_schedule(expression)


# ------------------------------------------------------------------ validate_schedule: rejected


@pytest.mark.parametrize(
    "expression",
    [
        "at(2026-1-01T00:00:00)",
        "at( 2026-01-01T00:00:00)",
        "at(2026-01-01 00:00:00)",
        "rate(0 minutes)",
        "rate(-1 minutes)",
        "rate(05 minutes)",
        "rate(5  minutes)",
        "rate(5 weeks)",
        "rate(5)",
        "every day",
        "CRON(0 8 * * ? *)",
        " cron(0 8 * * ? *)",
        "cron(0 8 * * ? *) ",
        "",
    ],
)
def test_malformed_expression_is_rejected_with_the_accepted_forms(expression: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(f'{expression!r} {NOT_AN_EXPRESSION}')}$"):
        validate_schedule(expression)


@pytest.mark.parametrize(
    "expression",
    ["at(2026-02-30T00:00:00)", "at(2026-02-29T00:00:00)", "at(2026-02-28T24:00:00)", "at(2026-13-01T00:00:00)"],
)
def test_at_with_an_impossible_date_or_time_is_rejected(expression: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(f'{expression!r}: not a real date and time')}$"):
        validate_schedule(expression)


@pytest.mark.parametrize(
    ("expression", "year"),
    [("at(0001-01-01T00:00:00)", 1), ("at(9999-12-31T23:59:59)", 9999), ("at(2200-01-01T00:00:00)", 2200)],
)
def test_at_outside_the_years_aws_schedules_take_is_rejected(expression: str, year: int) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(f'{expression!r}: year {year} is outside 1970-2199')}$"):
        validate_schedule(expression)


def test_a_star_beside_a_day_of_week_leaves_the_day_of_week_to_decide() -> None:
    # AWS's example form `30 6 * * 2 *`: the '*' day of month defers to the day of week.
    tuesdays = parse_cron("30 6 * * TUE *")
    assert tuesdays.days_of_month is None
    assert tuesdays.days_of_week == frozenset({3})
    # 9 June 2026 is a Tuesday; on Friday 12 June it last ran on the 9th at 06:30.
    assert fired("cron(30 6 * * TUE *)", utc(2026, 6, 12)) == utc(2026, 6, 9, 6, 30)


def test_day_of_week_numbers_follow_the_cron_reference_where_the_guide_disagrees() -> None:
    # The guide calls `30 6 * * 2 *` Tuesday; the cron reference it links to numbers SUN-SAT 1-7, so 2 is Monday
    # (8 June 2026). The controller follows the reference (module docstring).
    assert fired("cron(30 6 * * 2 *)", utc(2026, 6, 12)) == utc(2026, 6, 8, 6, 30)


def test_a_star_beside_a_day_of_month_leaves_the_day_of_month_to_decide() -> None:
    assert fired("cron(0 8 1 * * *)", utc(2026, 6, 12)) == utc(2026, 6, 1, 8)


def test_seven_fields_put_the_seconds_first() -> None:
    assert parse_cron("30 0 8 * * ? *").seconds == frozenset({30})
    assert fired("cron(30 0 8 * * ? *)", utc(2026, 6, 12, 9)) == utc(2026, 6, 12, 8, 0, 30)
    assert fired("cron(30 0 8 * * ? *)", utc(2026, 6, 12, 8, 0, 29)) == utc(2026, 6, 11, 8, 0, 30)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("cron(0 8 * * ?)", f"{FIELDS}, got 5"),
        ("cron(0 0 8 * * ? * *)", f"{FIELDS}, got 8"),
        ("cron()", f"{FIELDS}, got 0"),
        ("cron(60 0 8 * * ? *)", "60 is outside 0-59"),
        ("cron(0 8 ? * ? *)", "day-of-month and day-of-week cannot both be '?'"),
        ("cron(0 8 1 * MON *)", "one of day-of-month and day-of-week must be '?' (or '*')"),
        ("cron(60 8 * * ? *)", "60 is outside 0-59"),
        ("cron(0 24 * * ? *)", "24 is outside 0-23"),
        ("cron(0 8 32 * ? *)", "32 is outside 1-31"),
        ("cron(0 8 0 * ? *)", "0 is outside 1-31"),
        ("cron(0 8 * 13 ? *)", "13 is outside 1-12"),
        ("cron(0 8 * 0 ? *)", "0 is outside 1-12"),
        ("cron(0 8 ? * 8 *)", "8 is outside 1-7"),
        ("cron(0 8 ? * 0 *)", "0 is outside 1-7"),
        ("cron(0 8 * * ? 1969)", "1969 is outside 1970-2199"),
        ("cron(0 8 * * ? 2200)", "2200 is outside 1970-2199"),
        ("cron(0 8 * * ? 2026-2300)", "2300 is outside 1970-2199"),
        ("cron(0 8 10-5 * ? *)", "range '10-5' goes backwards"),
        ("cron(0 8 ? FOO * *)", "value 'FOO' is not a number"),
        ("cron(0 8 ? * FOO *)", "value 'FOO' is not a number"),
        ("cron(a 8 * * ? *)", "value 'a' is not a number"),
        ("cron(0 8 32W * ? *)", "value '32W' is not a number"),
        ("cron(0 8 0W * ? *)", "value '0W' is not a number"),
        ("cron(0 8 W * ? *)", "value 'W' is not a number"),
        ("cron(0 8 ? * 2#6 *)", "value '2#6' is not a number"),
        ("cron(0 8 ? * 2#0 *)", "value '2#0' is not a number"),
        ("cron(0 8 ? * 0L *)", "value '0L' is not a number"),
        ("cron(0 8 ? * ,, *)", "value '' is not a number"),
        ("cron(0 8 ? * MON- *)", "value '' is not a number"),
        ("cron(0 8 ? * \u0661 *)", "value '\u0661' is not a number"),
        ("cron(0 8 L * MON *)", "one of day-of-month and day-of-week must be '?' (or '*')"),
    ],
)
def test_invalid_cron_is_rejected_with_the_reason(expression: str, reason: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(f'{expression!r}: {reason}')}$"):
        validate_schedule(expression)


@pytest.mark.parametrize("expression", ["cron(0/0 * * * ? *)", "cron(0 8 * * ? 2026/0)", "cron(1-5/0 8 * * ? *)"])
def test_cron_zero_step_is_rejected_with_a_message_about_the_step(expression: str) -> None:
    with pytest.raises(ValueError, match="step") as caught:
        validate_schedule(expression)
    assert "range()" not in str(caught.value)


# ------------------------------------------------------------------ parse_cron


def test_cron_names_map_to_aws_numbers_with_sunday_as_one() -> None:
    cron = parse_cron("0 8 ? JAN,MAR-APR SUN,MON-FRI,SAT *")
    assert cron.months == frozenset({1, 3, 4})
    assert cron.days_of_week == frozenset({1, 2, 3, 4, 5, 6, 7})
    assert parse_cron("0 8 ? * MON-FRI *").days_of_week == frozenset({2, 3, 4, 5, 6})
    assert parse_cron("0 8 ? * sun *").days_of_week == frozenset({1})


def test_cron_ranges_lists_and_steps_expand() -> None:
    cron = parse_cron("0/15 9-17/4 1,15 * ? 2026-2028")
    assert cron.minutes == frozenset({0, 15, 30, 45})
    assert cron.hours == frozenset({9, 13, 17})
    assert cron.days_of_month == frozenset({1, 15})
    assert cron.months == frozenset(range(1, 13))
    assert cron.years == frozenset({2026, 2027, 2028})
    assert cron.days_of_week is None
    assert cron.dom_special is None


def test_cron_step_from_a_single_value_runs_to_the_end_of_the_field() -> None:
    assert parse_cron("5/20 * * * ? *").minutes == frozenset({5, 25, 45})
    assert parse_cron("0 8 * * ? 2190/5").years == frozenset({2190, 2195})


def test_cron_special_day_fields_are_kept() -> None:
    assert parse_cron("0 8 L * ? *").dom_special == "L"
    assert parse_cron("0 8 LW * ? *").dom_special == "LW"
    assert parse_cron("0 8 15W * ? *").dom_special == "15W"
    assert parse_cron("0 8 ? * 6L *").dow_special == (6, "L", 0)
    assert parse_cron("0 8 ? * L *").dow_special == (7, "L", 0)
    assert parse_cron("0 8 ? * 2#1 *").dow_special == (2, "#", 1)
    assert parse_cron("0 8 ? * FRI#3 *").dow_special == (6, "#", 3)


# ------------------------------------------------------------------ parse_timezone


@pytest.mark.parametrize(
    "name", ["UTC", "Europe/Berlin", "America/New_York", "America/Argentina/Buenos_Aires", "Etc/GMT+5"]
)
def test_iana_time_zone_is_accepted(name: str) -> None:
    assert parse_timezone(name).key == name


@pytest.mark.parametrize(
    "name",
    ["Europe/Berln", "europe/berlin", "", "../etc/passwd", "/etc/localtime", "Europe//Berlin", "CET 1", "+01:00"],
)
def test_unknown_or_malformed_time_zone_is_rejected(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(f'{name!r} is not an IANA time zone')}"):
        parse_timezone(name)


def test_a_misspelt_time_zone_gets_a_did_you_mean() -> None:
    with pytest.raises(ValueError, match=r"^'Europe/Berln' is not an IANA time zone; did you mean 'Europe/Berlin'\?$"):
        parse_timezone("Europe/Berln")


@pytest.mark.parametrize("name", ["Etc/GMT+9", "Pacific/Tahiti"])
def test_aws_example_time_zones_are_accepted(name: str) -> None:
    # "the canonical names of the IANA time zones supported by Joda-Time (such as Etc/GMT+9 or Pacific/Tahiti)"
    assert parse_timezone(name).key == name


@pytest.mark.parametrize("name", ["Europe/Amsterdam", "Europe/Oslo", "Asia/Kolkata", "Etc/UTC"])
def test_country_zones_that_tz_made_links_stay_canonical(name: str) -> None:
    assert parse_timezone(name).key == name


@pytest.mark.parametrize(
    ("alias", "zone"),
    [("US/Pacific", "America/Los_Angeles"), ("GB", "Europe/London"), ("Asia/Calcutta", "Asia/Kolkata")],
)
def test_an_alias_is_rejected_naming_the_canonical_zone(alias: str, zone: str) -> None:
    expected = f"{alias!r} is an alias of {zone!r}: AWS takes canonical IANA time zone names"
    with pytest.raises(ValueError, match=f"^{re.escape(expected)}$"):
        parse_timezone(alias)


@pytest.mark.parametrize("name", ["Factory", "localtime", "posixrules", "zone.tab", "tzdata.zi"])
def test_names_that_are_not_time_zones_are_rejected(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(f'{name!r} is not an IANA time zone')}"):
        parse_timezone(name)


# ------------------------------------------------------------------ last_fired: cron across daylight saving


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 28, 12), utc(2026, 3, 28, 7)),  # CET: 08:00 = 07:00 UTC
        (utc(2026, 3, 29, 12), utc(2026, 3, 29, 6)),  # the change day, already CEST: 06:00 UTC
        (utc(2026, 3, 29, 6, 59), utc(2026, 3, 29, 6)),
        (utc(2026, 3, 29, 5, 59), utc(2026, 3, 28, 7)),
        (utc(2026, 3, 30, 12), utc(2026, 3, 30, 6)),
        (utc(2026, 10, 24, 12), utc(2026, 10, 24, 6)),  # still CEST
        (utc(2026, 10, 25, 6, 30), utc(2026, 10, 24, 6)),  # back to CET: 08:00 has not come yet
        (utc(2026, 10, 25, 7), utc(2026, 10, 25, 7)),
        (utc(2026, 10, 26, 12), utc(2026, 10, 26, 7)),
    ],
)
def test_cron_in_berlin_fires_at_eight_local_across_both_changes_of_2026(now: datetime, expected: datetime) -> None:
    assert fired("cron(0 8 * * ? *)", now, "Europe/Berlin") == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 3, 7, 14), utc(2026, 3, 7, 13)),  # EST: 08:00 = 13:00 UTC
        (utc(2026, 3, 8, 11, 59), utc(2026, 3, 7, 13)),
        (utc(2026, 3, 8, 12), utc(2026, 3, 8, 12)),  # EDT from 8 March: 12:00 UTC
        (utc(2026, 10, 31, 13), utc(2026, 10, 31, 12)),
        (utc(2026, 11, 1, 12, 30), utc(2026, 10, 31, 12)),  # EST again on 1 November
        (utc(2026, 11, 1, 13), utc(2026, 11, 1, 13)),
    ],
)
def test_cron_in_new_york_fires_at_eight_local_across_both_changes_of_2026(now: datetime, expected: datetime) -> None:
    assert fired("cron(0 8 * * ? *)", now, "America/New_York") == expected


def test_weekday_cron_in_berlin_skips_the_weekend_of_the_spring_change() -> None:
    # Friday 27 March (CET) is the last weekday firing before Monday 30 March (CEST).
    assert fired("cron(0 8 ? * MON-FRI *)", utc(2026, 3, 29, 20), "Europe/Berlin") == utc(2026, 3, 27, 7)
    assert fired("cron(0 8 ? * MON-FRI *)", utc(2026, 3, 30, 6), "Europe/Berlin") == utc(2026, 3, 30, 6)


def test_cron_local_date_decides_the_day_not_the_utc_date() -> None:
    # 23:30 in New York on Monday 5 January is already Tuesday in UTC.
    assert fired("cron(30 23 ? * MON *)", utc(2026, 1, 6, 5), "America/New_York") == utc(2026, 1, 6, 4, 30)


def test_cron_fires_at_or_before_now_inclusive() -> None:
    assert fired("cron(0 8 * * ? *)", utc(2026, 5, 5, 8)) == utc(2026, 5, 5, 8)
    assert fired("cron(0 8 * * ? *)", utc(2026, 5, 5, 7, 59, 59)) == utc(2026, 5, 4, 8)


def test_cron_with_minute_steps_returns_the_latest_slot() -> None:
    assert fired("cron(0/15 * * * ? *)", utc(2026, 5, 5, 10, 44)) == utc(2026, 5, 5, 10, 30)


def test_cron_restricted_to_past_years_reports_its_last_firing() -> None:
    assert fired("cron(0 8 1 1 ? 2025)", utc(2026, 6, 1)) == utc(2025, 1, 1, 8)


def test_cron_only_in_future_years_has_not_fired() -> None:
    assert fired("cron(0 8 1 1 ? 2027)", utc(2026, 6, 1)) is None


# ------------------------------------------------------------------ last_fired: L, W, # in the calendar


def test_last_day_of_month_in_a_leap_february() -> None:
    assert fired("cron(0 8 L * ? *)", utc(2028, 3, 15)) == utc(2028, 2, 29, 8)


def test_last_day_of_month_in_a_common_february() -> None:
    assert fired("cron(0 8 L * ? *)", utc(2026, 3, 15)) == utc(2026, 2, 28, 8)


def test_last_day_of_a_thirty_day_month() -> None:
    assert fired("cron(0 8 L * ? *)", utc(2026, 5, 15)) == utc(2026, 4, 30, 8)


def test_15w_when_the_15th_is_a_saturday_fires_on_friday_the_14th() -> None:
    # 15 August 2026 is a Saturday.
    assert fired("cron(0 8 15W * ? *)", utc(2026, 8, 20)) == utc(2026, 8, 14, 8)


def test_15w_when_the_15th_is_a_sunday_fires_on_monday_the_16th() -> None:
    # 15 March 2026 is a Sunday.
    assert fired("cron(0 8 15W * ? *)", utc(2026, 3, 20)) == utc(2026, 3, 16, 8)
    assert fired("cron(0 8 15W * ? *)", utc(2026, 3, 16, 7)) == utc(2026, 2, 16, 8)  # 15 Feb 2026 is a Sunday too


def test_15w_on_a_weekday_fires_on_the_15th() -> None:
    # 15 April 2026 is a Wednesday.
    assert fired("cron(0 8 15W * ? *)", utc(2026, 4, 20)) == utc(2026, 4, 15, 8)


def test_1w_when_the_1st_is_a_saturday_fires_on_monday_the_3rd() -> None:
    # 1 August 2026 is a Saturday; W never leaves the month.
    assert fired("cron(0 8 1W * ? *)", utc(2026, 8, 10)) == utc(2026, 8, 3, 8)


def test_1w_when_the_1st_is_a_sunday_fires_on_monday_the_2nd() -> None:
    # 1 February 2026 is a Sunday.
    assert fired("cron(0 8 1W * ? *)", utc(2026, 2, 10)) == utc(2026, 2, 2, 8)


def test_lw_when_the_last_day_is_a_saturday_fires_on_friday() -> None:
    # 31 January 2026 is a Saturday.
    assert fired("cron(0 8 LW * ? *)", utc(2026, 2, 10)) == utc(2026, 1, 30, 8)


def test_lw_when_the_last_day_is_a_sunday_fires_on_friday() -> None:
    # 31 May 2026 is a Sunday.
    assert fired("cron(0 8 LW * ? *)", utc(2026, 6, 10)) == utc(2026, 5, 29, 8)


def test_lw_when_the_last_day_is_a_weekday_fires_on_it() -> None:
    # 30 April 2026 is a Thursday.
    assert fired("cron(0 8 LW * ? *)", utc(2026, 5, 10)) == utc(2026, 4, 30, 8)


def test_6l_is_the_last_friday_of_the_month() -> None:
    assert fired("cron(0 8 ? * 6L *)", utc(2026, 2, 10)) == utc(2026, 1, 30, 8)
    assert fired("cron(0 8 ? * FRIL *)", utc(2026, 6, 1)) == utc(2026, 5, 29, 8)


def test_l_alone_in_day_of_week_is_the_last_saturday() -> None:
    assert fired("cron(0 8 ? * L *)", utc(2026, 2, 10)) == utc(2026, 1, 31, 8)


def test_2_hash_1_is_the_first_monday_of_the_month() -> None:
    assert fired("cron(0 8 ? * 2#1 *)", utc(2026, 2, 20)) == utc(2026, 2, 2, 8)
    assert fired("cron(0 8 ? * 2#1 *)", utc(2026, 3, 1)) == utc(2026, 2, 2, 8)
    assert fired("cron(0 8 ? * MON#1 *)", utc(2026, 3, 2, 8)) == utc(2026, 3, 2, 8)


def test_fifth_weekday_only_fires_in_months_that_have_one() -> None:
    # Saturdays of 2026: January has five (31st), February has four.
    assert fired("cron(0 8 ? * 7#5 *)", utc(2026, 3, 20)) == utc(2026, 1, 31, 8)


def test_day_of_week_number_one_is_sunday() -> None:
    # 7 June 2026 is a Sunday.
    assert fired("cron(0 8 ? * 1 *)", utc(2026, 6, 9)) == utc(2026, 6, 7, 8)


# ------------------------------------------------------------------ last_fired: start and end


def test_cron_has_not_fired_before_its_start() -> None:
    start = utc(2026, 6, 1)
    assert fired("cron(0 8 * * ? *)", utc(2026, 5, 31, 12), start=start) is None


def test_cron_runs_at_its_start_time_then_on_its_recurrence() -> None:
    # AWS: "If you specify a start time, Application Auto Scaling performs the action at this time, and then
    # performs the action based on the specified recurrence." The last 08:00 before now was before the start.
    assert fired("cron(0 8 * * ? *)", utc(2026, 6, 1, 7), start=utc(2026, 6, 1)) == utc(2026, 6, 1)
    assert fired("cron(0 8 * * ? *)", utc(2026, 6, 1, 9), start=utc(2026, 6, 1)) == utc(2026, 6, 1, 8)


def test_cron_firing_exactly_at_start_counts() -> None:
    assert fired("cron(0 8 * * ? *)", utc(2026, 6, 1, 9), start=utc(2026, 6, 1, 8)) == utc(2026, 6, 1, 8)


def test_cron_is_capped_at_its_end() -> None:
    end = utc(2026, 6, 10, 12)
    assert fired("cron(0 8 * * ? *)", utc(2026, 7, 1), end=end) == utc(2026, 6, 10, 8)
    assert fired("cron(0 8 * * ? *)", utc(2026, 7, 1), end=utc(2026, 6, 10, 8)) == utc(2026, 6, 10, 8)
    assert fired("cron(0 8 * * ? *)", utc(2026, 7, 1), end=utc(2026, 6, 10, 7, 59)) == utc(2026, 6, 9, 8)


def test_cron_whose_window_holds_no_recurrence_runs_only_at_its_start() -> None:
    start, end = utc(2026, 6, 1, 9), utc(2026, 6, 2, 7)
    assert fired("cron(0 8 * * ? *)", utc(2026, 7, 1), start=start, end=end) == start
    assert fired("cron(0 8 * * ? *)", utc(2026, 6, 1, 8, 59), start=start, end=end) is None


# ------------------------------------------------------------------ last_fired: at


def test_at_is_read_in_its_time_zone() -> None:
    # 08:00 in Berlin on 1 July 2026 (CEST) is 06:00 UTC.
    assert fired("at(2026-07-01T08:00:00)", utc(2026, 7, 1, 6), "Europe/Berlin") == utc(2026, 7, 1, 6)
    assert fired("at(2026-07-01T08:00:00)", utc(2026, 7, 1, 5, 59), "Europe/Berlin") is None


def test_at_in_new_york_winter() -> None:
    assert fired("at(2026-01-15T08:00:00)", utc(2026, 2, 1), "America/New_York") == utc(2026, 1, 15, 13)


def test_at_in_utc_by_default() -> None:
    assert fired("at(2026-01-15T08:00:00)", utc(2026, 2, 1)) == utc(2026, 1, 15, 8)


def test_at_after_end_has_not_fired() -> None:
    assert fired("at(2026-01-15T08:00:00)", utc(2026, 2, 1), end=utc(2026, 1, 15, 7)) is None


def test_at_before_start_has_not_fired() -> None:
    assert fired("at(2026-01-15T08:00:00)", utc(2026, 2, 1), start=utc(2026, 1, 16)) is None


# ------------------------------------------------------------------ last_fired: rate (see the module docstring)


def test_rate_with_a_start_fires_at_start_plus_whole_intervals() -> None:
    start = utc(2026, 1, 1, 0, 0)
    assert fired("rate(5 minutes)", utc(2026, 1, 1, 0, 12, 30), start=start) == utc(2026, 1, 1, 0, 10)
    assert fired("rate(2 hours)", utc(2026, 1, 1, 5, 0), start=start) == utc(2026, 1, 1, 4, 0)
    assert fired("rate(3 days)", utc(2026, 1, 8, 12), start=start) == utc(2026, 1, 7)
    assert fired("rate(1 day)", utc(2026, 1, 1, 0, 0), start=start) == start


def test_rate_with_a_start_in_the_future_has_not_fired() -> None:
    assert fired("rate(1 hour)", utc(2026, 1, 1), start=utc(2026, 1, 2)) is None


def test_rate_with_a_start_is_capped_at_its_end() -> None:
    start, end = utc(2026, 1, 1), utc(2026, 1, 1, 5, 30)
    assert fired("rate(1 hour)", utc(2026, 2, 1), start=start, end=end) == utc(2026, 1, 1, 5)


def test_rate_without_a_start_counts_as_just_fired() -> None:
    now = utc(2026, 4, 4, 4, 4)
    assert fired("rate(1 day)", now) == now


def test_rate_without_a_start_but_ended_counts_as_fired_at_its_end() -> None:
    end = utc(2026, 4, 1)
    assert fired("rate(1 day)", utc(2026, 4, 4), end=end) == end


def test_last_fired_refuses_something_that_is_not_an_expression() -> None:
    with pytest.raises(ValueError, match=r"^not a schedule expression: 'sometimes'$"):
        last_fired(action("sometimes"), utc(2026, 1, 1))


# ------------------------------------------------------------------ desired_bounds: the fold of what ran


def bounds(actions: tuple[ScheduledAction, ...], low: int, high: int, now: datetime) -> tuple[int, int]:
    found = desired_bounds(actions, low, high, now)
    return found.low, found.high


def test_no_action_fired_leaves_the_spec_bounds() -> None:
    later = action("at(2027-01-01T00:00:00)", low=5, high=9)
    assert desired_bounds((later,), 1, 4, utc(2026, 6, 1)) == Bounds(1, 4)


def test_no_actions_leaves_the_spec_bounds() -> None:
    assert desired_bounds((), 2, 3, utc(2026, 6, 1)) == Bounds(2, 3)


def test_the_most_recently_fired_action_wins() -> None:
    morning = action("cron(0 8 ? * MON-FRI *)", "Europe/Berlin", name="peak", low=3, high=8)
    evening = action("cron(0 19 ? * MON-FRI *)", "Europe/Berlin", name="evening", low=1, high=2)
    # Wednesday 10 June 2026, 12:00 UTC = 14:00 CEST: the morning one fired last.
    assert desired_bounds((morning, evening), 1, 4, utc(2026, 6, 10, 12)) == Bounds(3, 8, morning, morning)
    # 20:00 CEST: the evening one.
    assert desired_bounds((morning, evening), 1, 4, utc(2026, 6, 10, 18)) == Bounds(1, 2, evening, evening)
    # Saturday: Friday evening's still holds.
    assert bounds((evening, morning), 1, 4, utc(2026, 6, 13, 12)) == (1, 2)


def test_an_action_that_sets_only_min_keeps_the_spec_max() -> None:
    only_min = action("at(2026-01-01T00:00:00)", low=3)
    assert desired_bounds((only_min,), 1, 8, utc(2026, 6, 1)) == Bounds(3, 8, only_min, None)


def test_an_action_that_sets_only_max_keeps_the_spec_min() -> None:
    only_max = action("at(2026-01-01T00:00:00)", high=2)
    assert desired_bounds((only_max,), 1, 8, utc(2026, 6, 1)) == Bounds(1, 2, None, only_max)


def test_a_partial_action_keeps_the_bound_an_earlier_action_set() -> None:
    # AWS keeps the bound an action leaves out as it is: A (min 3, max 10) then B (min 1) holds (1, 10), not the
    # profile's max 8.
    first = action("at(2026-01-01T00:00:00)", name="a", low=3, high=10)
    second = action("at(2026-02-01T00:00:00)", name="b", low=1)
    assert desired_bounds((first, second), 1, 8, utc(2026, 6, 1)) == Bounds(1, 10, second, first)
    assert desired_bounds((second, first), 1, 8, utc(2026, 6, 1)) == Bounds(1, 10, second, first)


def test_recurring_partial_actions_fold_in_the_order_they_ran() -> None:
    # Weekdays: 08:00 raises min to 3, 12:00 raises max to 12, 19:00 lowers min to 1 (max stays 12 overnight).
    raise_min = action("cron(0 8 ? * MON-FRI *)", name="m1", low=3)
    raise_max = action("cron(0 12 ? * MON-FRI *)", name="m2", high=12)
    lower_min = action("cron(0 19 ? * MON-FRI *)", name="m3", low=1)
    every = (raise_min, raise_max, lower_min)
    assert bounds(every, 2, 8, utc(2026, 6, 10, 9)) == (3, 12)  # Wed 09:00: Tuesday's 12:00 max still holds
    assert bounds(every, 2, 8, utc(2026, 6, 10, 20)) == (1, 12)
    assert bounds(every, 2, 8, utc(2026, 6, 13, 12)) == (1, 12)  # Saturday


def test_ties_are_broken_by_name_whatever_the_order() -> None:
    alpha = action("at(2026-01-01T00:00:00)", name="alpha", low=1, high=1)
    beta = action("at(2026-01-01T00:00:00)", name="beta", low=2, high=2)
    now = utc(2026, 6, 1)
    assert bounds((alpha, beta), 1, 8, now) == (2, 2)
    assert bounds((beta, alpha), 1, 8, now) == (2, 2)


def test_an_ended_action_keeps_what_it_set_until_another_runs() -> None:
    # AWS: "Application Auto Scaling does not keep track of previous values and revert back to those previous values
    # after the end time."
    ended = action("cron(0 8 * * ? *)", name="ended", end=utc(2026, 1, 1), low=6, high=6)
    assert bounds((ended,), 1, 8, utc(2026, 6, 1, 12)) == (6, 6)
    current = action("cron(0 7 * * ? *)", name="current", start=utc(2026, 5, 1), low=2, high=3)
    assert bounds((ended, current), 1, 8, utc(2026, 6, 1, 12)) == (2, 3)
    not_started = action("cron(0 8 * * ? *)", name="ns", start=utc(2026, 7, 1), low=6, high=6)
    assert bounds((not_started,), 1, 8, utc(2026, 6, 1, 12)) == (1, 8)


def test_a_cron_with_a_start_holds_its_bounds_from_the_start_until_another_runs() -> None:
    # Start Monday 8 June 2026 at 00:00 UTC; the recurrence is 20:00 every day, the other action 12:00 every day.
    launch = action("cron(0 20 * * ? *)", name="launch", start=utc(2026, 6, 8), low=5, high=10)
    noon = action("cron(0 12 * * ? *)", name="noon", low=2, high=10)
    assert bounds((launch, noon), 1, 8, utc(2026, 6, 8, 9)) == (5, 10)  # ran at its start, 00:00
    assert bounds((launch, noon), 1, 8, utc(2026, 6, 8, 13)) == (2, 10)


def test_same_wall_clock_time_in_different_zones_is_ordered_by_the_instant() -> None:
    berlin = action("cron(0 8 * * ? *)", "Europe/Berlin", name="z-berlin", low=2, high=2)
    new_york = action("cron(0 8 * * ? *)", "America/New_York", name="a-new-york", low=3, high=3)
    # 14:00 UTC: Berlin fired at 06:00 UTC, New York at 12:00 UTC.
    assert bounds((berlin, new_york), 1, 8, utc(2026, 6, 10, 14)) == (3, 3)


def test_a_wall_clock_time_the_spring_change_skips_runs_an_hour_later() -> None:
    # 29 March 2026, Berlin: 02:00 CET becomes 03:00 CEST; 02:30 does not exist and runs at 03:30 CEST (01:30 UTC).
    assert fired("cron(30 2 * * ? *)", utc(2026, 3, 29, 12), "Europe/Berlin") == utc(2026, 3, 29, 1, 30)


def test_a_wall_clock_time_the_autumn_change_repeats_runs_once_at_its_first_occurrence() -> None:
    # 25 October 2026, Berlin: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
    assert fired("cron(30 2 * * ? *)", utc(2026, 10, 25, 12), "Europe/Berlin") == utc(2026, 10, 25, 0, 30)


def test_next_run_of_a_cron_with_a_future_start_is_its_start() -> None:
    start = utc(2026, 6, 8, 0, 0)
    upcoming = next_run(action("cron(0 20 * * ? *)", start=start), utc(2026, 6, 1))
    assert upcoming == start


def test_next_run_of_a_tuesday_cron_is_the_next_tuesday() -> None:
    assert next_run(action("cron(30 6 * * TUE *)"), utc(2026, 6, 10)) == utc(2026, 6, 16, 6, 30)
