"""Business-hours calendar maths: working-time deadlines, DST, holidays, validation."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from czrm.kit.business_time import (
    BusinessCalendar,
    add_business_minutes,
    business_minutes_between,
    due_at,
)

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

NINE_TO_FIVE = [["09:00", "17:00"]]
WEEKDAYS = {day: NINE_TO_FIVE for day in ("mon", "tue", "wed", "thu", "fri")}
EVERY_DAY = {day: NINE_TO_FIVE for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
LUNCH_BREAK = [["09:00", "12:30"], ["13:30", "17:00"]]
SPLIT_WEEKDAYS = {day: LUNCH_BREAK for day in ("mon", "tue", "wed", "thu", "fri")}
ROUND_THE_CLOCK = {
    day: [["00:00", "24:00"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
}

# England and Wales bank holidays, 2026.
BANK_HOLIDAYS_2026 = [
    date(2026, 1, 1),
    date(2026, 4, 3),
    date(2026, 4, 6),
    date(2026, 5, 4),
    date(2026, 5, 25),
    date(2026, 8, 31),
    date(2026, 12, 25),
    date(2026, 12, 28),
]

OFFICE = BusinessCalendar.from_config("Europe/London", WEEKDAYS)
OFFICE_WITH_HOLIDAYS = BusinessCalendar.from_config("Europe/London", WEEKDAYS, BANK_HOLIDAYS_2026)
SPLIT_OFFICE = BusinessCalendar.from_config("Europe/London", SPLIT_WEEKDAYS)
SEVEN_DAY = BusinessCalendar.from_config("Europe/London", EVERY_DAY)
ALWAYS_OPEN = BusinessCalendar.from_config("Europe/London", ROUND_THE_CLOCK)


def london(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


# -- add_business_minutes: ordinary weeks ------------------------------------------


def test_within_one_working_day() -> None:
    assert add_business_minutes(OFFICE, london(2026, 1, 5, 10, 0), 90) == utc(2026, 1, 5, 11, 30)


def test_friday_afternoon_carries_over_the_weekend() -> None:
    result = add_business_minutes(OFFICE, london(2026, 1, 9, 16, 0), 120)
    assert result == utc(2026, 1, 12, 10, 0)
    assert result.tzinfo is UTC


def test_public_holiday_does_not_count() -> None:
    # Monday 4 May 2026 is a bank holiday: Friday 16:00 + 2h lands on Tuesday 10:00 BST.
    start = london(2026, 5, 1, 16, 0)
    assert add_business_minutes(OFFICE_WITH_HOLIDAYS, start, 120) == utc(2026, 5, 5, 9, 0)
    assert add_business_minutes(OFFICE, start, 120) == utc(2026, 5, 4, 9, 0)
    # Friday and Tuesday count, the weekend and the holiday Monday do not.
    end = london(2026, 5, 6, 9, 0)
    assert business_minutes_between(OFFICE_WITH_HOLIDAYS, start - timedelta(hours=7), end) == 960


@pytest.mark.parametrize(
    ("start", "minutes", "expected"),
    [
        pytest.param(london(2026, 1, 5, 7, 30), 30, utc(2026, 1, 5, 9, 30), id="before-opening"),
        pytest.param(london(2026, 1, 5, 18, 0), 30, utc(2026, 1, 6, 9, 30), id="after-closing"),
        pytest.param(london(2026, 1, 10, 12, 0), 60, utc(2026, 1, 12, 10, 0), id="saturday"),
        pytest.param(london(2026, 1, 11, 23, 59), 1, utc(2026, 1, 12, 9, 1), id="sunday-night"),
    ],
)
def test_counting_starts_at_the_next_opening(
    start: datetime, minutes: int, expected: datetime
) -> None:
    assert add_business_minutes(OFFICE, start, minutes) == expected


def test_lunch_break_is_skipped() -> None:
    # 30 minutes before lunch, the other 30 after it.
    assert add_business_minutes(SPLIT_OFFICE, london(2026, 1, 5, 12, 0), 60) == utc(
        2026, 1, 5, 14, 0
    )
    # Starting during lunch waits for the afternoon opening.
    assert add_business_minutes(SPLIT_OFFICE, london(2026, 1, 5, 13, 0), 15) == utc(
        2026, 1, 5, 13, 45
    )
    assert business_minutes_between(
        SPLIT_OFFICE, london(2026, 1, 5, 0, 0), london(2026, 1, 6, 0, 0)
    ) == (7 * 60)


def test_budget_running_out_at_closing_lands_on_the_closing_time() -> None:
    assert add_business_minutes(OFFICE, london(2026, 1, 5, 16, 0), 60) == utc(2026, 1, 5, 17, 0)
    assert add_business_minutes(OFFICE, london(2026, 1, 9, 9, 0), 480) == utc(2026, 1, 9, 17, 0)
    # Same at the start of a lunch break; one minute more moves past it.
    assert add_business_minutes(SPLIT_OFFICE, london(2026, 1, 5, 12, 0), 30) == utc(
        2026, 1, 5, 12, 30
    )
    assert add_business_minutes(SPLIT_OFFICE, london(2026, 1, 5, 12, 0), 31) == utc(
        2026, 1, 5, 13, 31
    )


def test_zero_minutes_returns_start_unchanged_even_outside_hours() -> None:
    saturday = london(2026, 1, 10, 12, 0, 30)
    result = add_business_minutes(OFFICE, saturday, 0)
    assert result == saturday
    assert result.tzinfo is UTC


def test_negative_or_fractional_budget_is_rejected() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_business_minutes(OFFICE, london(2026, 1, 5, 9, 0), -1)
    with pytest.raises(ValueError, match="whole number"):
        add_business_minutes(OFFICE, london(2026, 1, 5, 9, 0), 1.5)  # type: ignore[arg-type]


def test_start_in_another_timezone() -> None:
    # 11:00 in New York on a Friday in January is 16:00 in London.
    start = datetime(2026, 1, 9, 11, 0, tzinfo=NEW_YORK)
    result = add_business_minutes(OFFICE, start, 120)
    assert result == utc(2026, 1, 12, 10, 0)
    assert result.utcoffset() == timedelta(0)
    tokyo_end = datetime(2026, 1, 12, 19, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # 10:00 UTC
    assert business_minutes_between(OFFICE, start, tokyo_end) == 120


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_business_minutes(OFFICE, datetime(2026, 1, 5, 9, 0), 10),
        lambda: business_minutes_between(OFFICE, datetime(2026, 1, 5, 9, 0), utc(2026, 1, 6)),
        lambda: business_minutes_between(OFFICE, utc(2026, 1, 5), datetime(2026, 1, 6, 9, 0)),
        lambda: due_at(OFFICE, datetime(2026, 1, 5, 9, 0), 1.0),
    ],
    ids=["add", "between-start", "between-end", "due_at"],
)
def test_naive_datetimes_are_rejected(call: Any) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call()


# -- daylight saving time in Europe/London ---------------------------------------------


def test_spring_forward_day_is_still_eight_hours() -> None:
    # Clocks go forward at 01:00 UTC on Sunday 29 March 2026.
    assert business_minutes_between(SEVEN_DAY, london(2026, 3, 29), london(2026, 3, 30)) == 480
    # 09:00 BST is 08:00 UTC; 17:00 BST is 16:00 UTC.
    assert add_business_minutes(SEVEN_DAY, london(2026, 3, 29, 9, 0), 480) == utc(
        2026, 3, 29, 16, 0
    )
    # Saturday (GMT) then Sunday (BST).
    assert add_business_minutes(SEVEN_DAY, london(2026, 3, 28, 9, 0), 960) == utc(
        2026, 3, 29, 16, 0
    )


def test_fall_back_day_is_still_eight_hours() -> None:
    # Clocks go back at 01:00 UTC on Sunday 25 October 2026.
    assert business_minutes_between(SEVEN_DAY, london(2026, 10, 25), london(2026, 10, 26)) == 480
    assert add_business_minutes(SEVEN_DAY, london(2026, 10, 25, 9, 0), 480) == utc(
        2026, 10, 25, 17, 0
    )
    # Saturday (BST) then Sunday (GMT).
    assert add_business_minutes(SEVEN_DAY, london(2026, 10, 24, 9, 0), 960) == utc(
        2026, 10, 25, 17, 0
    )


def test_weekend_crossings_in_dst_change_weeks() -> None:
    # Friday 16:00 GMT + 2h -> Monday 10:00 BST.
    assert add_business_minutes(OFFICE, london(2026, 3, 27, 16, 0), 120) == utc(2026, 3, 30, 9, 0)
    # Friday 16:00 BST + 2h -> Monday 10:00 GMT.
    assert add_business_minutes(OFFICE, london(2026, 10, 23, 16, 0), 120) == utc(
        2026, 10, 26, 10, 0
    )
    # A Mon-Fri week is 40 hours either side of each change.
    for monday in (london(2026, 3, 23), london(2026, 3, 30), london(2026, 10, 19)):
        assert business_minutes_between(OFFICE, monday, monday + timedelta(days=7)) == 2400


def test_round_the_clock_calendar_follows_real_elapsed_time_over_dst() -> None:
    assert business_minutes_between(ALWAYS_OPEN, london(2026, 3, 29), london(2026, 3, 30)) == (
        23 * 60
    )
    assert business_minutes_between(ALWAYS_OPEN, london(2026, 10, 25), london(2026, 10, 26)) == (
        25 * 60
    )
    start = utc(2026, 3, 28, 22, 15)
    assert add_business_minutes(ALWAYS_OPEN, start, 6 * 60) == start + timedelta(hours=6)


def test_opening_hours_inside_the_skipped_hour() -> None:
    night = BusinessCalendar.from_config(
        "Europe/London", {"sun": [["00:30", "01:30"], ["02:00", "03:00"]]}
    )
    # 29 March: 00:30-01:30 is cut short by the jump at 01:00 UTC (-> 30 min), then
    # 02:00-03:00 BST is 01:00-02:00 UTC; nothing is counted twice.
    assert business_minutes_between(night, london(2026, 3, 29), london(2026, 3, 30)) == 90
    assert business_minutes_between(night, london(2026, 3, 22), london(2026, 3, 23)) == 120
    assert add_business_minutes(night, london(2026, 3, 29), 30) == utc(2026, 3, 29, 1, 0)
    assert add_business_minutes(night, london(2026, 3, 29), 31) == utc(2026, 3, 29, 1, 1)
    # 25 October: the repeated 01:00-02:00 is read at its first occurrence.
    assert business_minutes_between(night, london(2026, 10, 25), london(2026, 10, 26)) == 120

    # An opening time that never happens starts at the moment the clocks jump.
    late = BusinessCalendar.from_config("Europe/London", {"sun": [["01:30", "03:00"]]})
    assert add_business_minutes(late, utc(2026, 3, 29, 0, 0), 1) == utc(2026, 3, 29, 1, 1)
    assert business_minutes_between(late, london(2026, 3, 29), london(2026, 3, 30)) == 60


# -- business_minutes_between ------------------------------------------------------------


def test_minutes_between_counts_only_open_time() -> None:
    assert business_minutes_between(OFFICE, london(2026, 1, 5, 9, 0), london(2026, 1, 6, 12)) == (
        660
    )
    # Friday 16:00 to Monday 10:00 is two working hours.
    assert business_minutes_between(OFFICE, london(2026, 1, 9, 16), london(2026, 1, 12, 10)) == 120


def test_minutes_between_is_zero_for_empty_or_reversed_ranges() -> None:
    moment = london(2026, 1, 5, 10, 0)
    assert business_minutes_between(OFFICE, moment, moment) == 0
    assert business_minutes_between(OFFICE, moment, moment - timedelta(hours=3)) == 0


def test_minutes_between_rounds_partial_minutes_down() -> None:
    start = london(2026, 1, 5, 9, 0)
    assert business_minutes_between(OFFICE, start, start + timedelta(seconds=659.9)) == 10
    assert business_minutes_between(OFFICE, start, start + timedelta(seconds=59)) == 0


@pytest.mark.parametrize("seed", range(20))
def test_minutes_between_round_trips_add_business_minutes(seed: int) -> None:
    rng = random.Random(seed)
    calendars = [OFFICE_WITH_HOLIDAYS, SPLIT_OFFICE, SEVEN_DAY, ALWAYS_OPEN]
    for _ in range(25):
        calendar = rng.choice(calendars)
        start = utc(2026, 1, 1) + timedelta(seconds=rng.randrange(365 * 24 * 3600))
        minutes = rng.choice([rng.randrange(1, 60), rng.randrange(1, 3000), rng.randrange(50_000)])
        end = add_business_minutes(calendar, start, minutes)
        assert business_minutes_between(calendar, start, end) == minutes
        if minutes:
            # The result is the earliest such moment: a second earlier is short.
            assert business_minutes_between(calendar, start, end - timedelta(seconds=1)) == (
                minutes - 1
            )


def _brute_force_minutes(
    calendar_hours: dict[str, list[list[str]]], start: datetime, end: datetime, holidays: set[date]
) -> int:
    """Reference count: walk minute by minute, checking each local wall time."""
    names = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    count = 0
    moment = start
    while moment < end:
        local = moment.astimezone(LONDON)
        clock = local.strftime("%H:%M")
        if local.date() not in holidays:
            for opens, closes in calendar_hours.get(names[local.weekday()], []):
                if opens <= clock < closes:
                    count += 1
                    break
        moment += timedelta(minutes=1)
    return count


@pytest.mark.parametrize("seed", range(8))
def test_minutes_between_matches_minute_by_minute_count(seed: int) -> None:
    rng = random.Random(1000 + seed)
    start = utc(2026, 1, 1) + timedelta(minutes=rng.randrange(365 * 24 * 60))
    end = start + timedelta(minutes=rng.randrange(10 * 24 * 60))
    holidays = set(BANK_HOLIDAYS_2026)
    assert business_minutes_between(OFFICE_WITH_HOLIDAYS, start, end) == _brute_force_minutes(
        WEEKDAYS, start, end, holidays
    )
    assert business_minutes_between(SPLIT_OFFICE, start, end) == _brute_force_minutes(
        SPLIT_WEEKDAYS, start, end, set()
    )


def test_large_budgets_are_exact() -> None:
    # 100,000 minutes = 208 eight-hour days + 2h40: 41 weeks, 3 days, 160 minutes.
    start = london(2026, 1, 5, 9, 0)
    assert add_business_minutes(OFFICE, start, 100_000) == utc(2026, 10, 22, 10, 40)
    # Five bank holidays fall in that span, pushing it five working days later (and into GMT).
    assert add_business_minutes(OFFICE_WITH_HOLIDAYS, start, 100_000) == utc(2026, 10, 29, 11, 40)
    # Roughly 48 years of working time still resolves and round-trips.
    far = add_business_minutes(OFFICE_WITH_HOLIDAYS, start, 6_000_000)
    assert business_minutes_between(OFFICE_WITH_HOLIDAYS, start, far) == 6_000_000


# -- due_at --------------------------------------------------------------------------------


def test_due_at_counts_target_hours_of_working_time() -> None:
    opened = london(2026, 1, 5, 15, 0)
    assert due_at(OFFICE, opened, 2) == utc(2026, 1, 5, 17, 0)
    assert due_at(OFFICE, opened, 16) == utc(2026, 1, 7, 15, 0)
    # Fractional targets round to the nearest minute.
    assert due_at(OFFICE, opened, 1.5) == utc(2026, 1, 5, 16, 30)
    assert due_at(OFFICE, opened, 0.01) == utc(2026, 1, 5, 15, 1)


def test_due_at_is_pushed_later_by_paused_time() -> None:
    opened = london(2026, 1, 9, 15, 0)  # Friday
    assert due_at(OFFICE, opened, 2) == utc(2026, 1, 9, 17, 0)
    # 90 working minutes spent waiting on the citizen carry it into Monday.
    assert due_at(OFFICE, opened, 2, paused_minutes=90) == utc(2026, 1, 12, 10, 30)


# -- configuration ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("timezone", "hours", "holidays", "message"),
    [
        ("Europe/London", {"mon": [["9:00", "17:00"]]}, [], r"'mon'.*'9:00' is not a valid HH:MM"),
        ("Europe/London", {"tue": [["09:00", "25:00"]]}, [], r"'tue'.*'25:00' is not a valid"),
        ("Europe/London", {"wed": [["09:60", "17:00"]]}, [], r"'wed'.*'09:60' is not a valid"),
        ("Europe/London", {"thu": [[900, "17:00"]]}, [], r"'thu'.*must be a string"),
        ("Europe/London", {"fri": [["24:00", "24:00"]]}, [], r"'fri'.*only be used as an end"),
        (
            "Europe/London",
            {"tue": [["09:00", "12:30"], ["14:00", "13:30"]]},
            [],
            r"working_hours\['tue'\] interval 2 .*end 13:30 must be later than start 14:00",
        ),
        ("Europe/London", {"mon": [["09:00", "09:00"]]}, [], r"'mon'.*must be later than start"),
        (
            "Europe/London",
            {"sat": [["09:00", "13:00"], ["12:00", "17:00"]]},
            [],
            r"working_hours\['sat'\]: intervals \['09:00', '13:00'\] and \['12:00', '17:00'\] "
            r"overlap",
        ),
        ("Europe/London", {"mon": [["09:00"]]}, [], r"'mon'\] interval 1 .*\[start, end\] pair"),
        (
            "Europe/London",
            {"mon": ["09:00-17:00"]},
            [],
            r"'mon'\] interval 1 .*\[start, end\] pair",
        ),
        ("Europe/London", {"mon": "09:00-17:00"}, [], r"working_hours\['mon'\] must be a list"),
        ("Europe/London", {"monday": NINE_TO_FIVE}, [], r"unknown day key 'monday'"),
        ("Mars/Olympus_Mons", WEEKDAYS, [], r"unknown timezone 'Mars/Olympus_Mons'"),
        ("Europe", WEEKDAYS, [], r"unknown timezone 'Europe'"),
        ("", WEEKDAYS, [], r"timezone must be an IANA name"),
        ("Europe/London", {}, [], r"no working time on any day"),
        ("Europe/London", {"mon": [], "sun": []}, [], r"no working time on any day"),
        ("Europe/London", WEEKDAYS, [datetime(2026, 5, 4, tzinfo=UTC)], r"must be a date"),
    ],
    ids=[
        "one-digit-hour",
        "hour-out-of-range",
        "minute-out-of-range",
        "not-a-string",
        "24:00-as-start",
        "end-before-start",
        "empty-interval",
        "overlap",
        "not-a-pair",
        "interval-as-string",
        "day-as-string",
        "unknown-day",
        "unknown-timezone",
        "timezone-directory",
        "empty-timezone",
        "no-days",
        "only-closed-days",
        "holiday-datetime",
    ],
)
def test_from_config_rejects_bad_configuration(
    timezone: str, hours: dict[str, Any], holidays: list[date], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar.from_config(timezone, hours, holidays)


def test_direct_construction_is_validated_too() -> None:
    with pytest.raises(ValueError, match="must be later than start"):
        BusinessCalendar("Europe/London", {"mon": [["17:00", "09:00"]]})


def test_from_config_normalises_and_snapshots_the_configuration() -> None:
    hours: dict[str, Any] = {
        "mon": [["13:30", "24:00"], ["09:00", "12:30"]],  # out of order, ends at midnight
        "tue": [["09:00", "12:00"], ["12:00", "17:00"]],  # touching intervals are fine
        "sat": [],
    }
    calendar = BusinessCalendar.from_config("Europe/London", hours, [date(2026, 1, 6)])
    assert dict(calendar.working_hours) == {
        "mon": (("09:00", "12:30"), ("13:30", "24:00")),
        "tue": (("09:00", "12:00"), ("12:00", "17:00")),
    }
    assert calendar.holidays == frozenset({date(2026, 1, 6)})
    assert calendar == BusinessCalendar.from_config("Europe/London", hours, [date(2026, 1, 6)])
    hours["wed"] = NINE_TO_FIVE  # later edits to the source do not leak in
    assert "wed" not in calendar.working_hours
    # Monday 23:00 + 90 minutes: an hour to midnight, then Monday next week (Tuesday is a holiday).
    assert add_business_minutes(calendar, london(2026, 1, 5, 23, 0), 90) == utc(2026, 1, 12, 9, 30)
