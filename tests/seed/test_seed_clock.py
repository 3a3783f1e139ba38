from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from czrm.seed.clock import BusinessClock
from czrm.seed.names import ascii_slug

LONDON = ZoneInfo("Europe/London")
HOURS = {day: [["09:00", "17:00"]] for day in ("mon", "tue", "wed", "thu", "fri")}
EASTER_2026 = [date(2026, 4, 3), date(2026, 4, 6)]


@pytest.fixture(scope="module")
def clock() -> BusinessClock:
    return BusinessClock("Europe/London", HOURS, EASTER_2026, date(2026, 1, 1), date(2026, 12, 31))


def local(*args: int) -> float:
    return datetime(*args, tzinfo=LONDON).timestamp()


def test_hours_skip_the_easter_weekend(clock: BusinessClock) -> None:
    # Thursday 16:00 + 2h: one hour on Thursday, Good Friday to Easter Monday closed.
    assert clock.add(local(2026, 4, 2, 16, 0), 2 * 3600) == local(2026, 4, 7, 10, 0)


def test_hours_follow_local_time_across_the_clock_change(clock: BusinessClock) -> None:
    # British Summer Time starts on Sunday 29 March 2026.
    assert clock.add(local(2026, 3, 27, 16, 30), 3600) == local(2026, 3, 30, 9, 30)


def test_closed_time_does_not_count(clock: BusinessClock) -> None:
    friday_close = clock.business(local(2026, 6, 12, 17, 0))
    assert clock.business(local(2026, 6, 13, 12, 0)) == friday_close
    assert clock.business(local(2026, 6, 15, 8, 59)) == friday_close
    assert clock.business(local(2026, 6, 15, 10, 0)) == friday_close + 3600


def test_a_full_day_ends_at_closing_time_not_the_next_opening(clock: BusinessClock) -> None:
    assert clock.add(local(2026, 6, 15, 9, 0), 8 * 3600) == local(2026, 6, 15, 17, 0)
    assert clock.add(local(2026, 6, 15, 9, 0), 40 * 3600) == local(2026, 6, 19, 17, 0)


def test_time_past_the_calendar_keeps_running(clock: BusinessClock) -> None:
    end = local(2026, 12, 31, 17, 0)
    later = clock.add(end, 400 * 3600)
    assert later > end and clock.business(later) == pytest.approx(clock.business(end) + 400 * 3600)


@pytest.mark.parametrize(
    ("text", "slug"),
    [("Siân O'Brien", "sian.obrien"), ("Łukasz Wójcik", "lukasz.wojcik"), ("Ann  Lee", "ann.lee")],
)
def test_ascii_slug(text: str, slug: str) -> None:
    assert ascii_slug(text) == slug
