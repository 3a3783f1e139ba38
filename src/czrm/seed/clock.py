"""Business time on a jurisdiction's calendar, for seeding in bulk.

Times are POSIX seconds (floats) so a million cases need no datetime
arithmetic. Business time is counted in seconds from the first working
period in range; it does not run at weekends, outside working hours or on
public holidays.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Used past the last computed day: 40 business hours a calendar week.
_BUSINESS_SHARE = 40 / 168


class BusinessClock:
    def __init__(
        self,
        timezone: str,
        working_hours: dict[str, Any],
        holidays: Iterable[date],
        first_day: date,
        last_day: date,
    ) -> None:
        self.tz = ZoneInfo(timezone)
        closed = set(holidays)
        starts: list[float] = []
        ends: list[float] = []
        day = first_day
        while day <= last_day:
            if day not in closed:
                for start, end in working_hours.get(DAY_KEYS[day.weekday()], []):
                    starts.append(self._instant(day, start))
                    ends.append(self._instant(day, end))
            day += timedelta(days=1)
        if not starts:
            raise ValueError("the calendar has no working time in range")
        self._starts = starts
        self._ends = ends
        cumulative = [0.0]
        for start, end in zip(starts, ends, strict=True):
            cumulative.append(cumulative[-1] + end - start)
        # _before[i]: business seconds before period i; _upto[i]: up to its end.
        self._before = cumulative[:-1]
        self._upto = cumulative[1:]

    def _instant(self, day: date, hhmm: str) -> float:
        hours, minutes = (int(part) for part in hhmm.split(":"))
        return datetime.combine(day, time(hours, minutes), tzinfo=self.tz).timestamp()

    def midnight(self, day: date) -> float:
        return datetime.combine(day, time(0), tzinfo=self.tz).timestamp()

    def business(self, ts: float) -> float:
        """Business seconds elapsed from the start of the calendar to ``ts``."""
        i = bisect_right(self._starts, ts) - 1
        if i < 0:
            return 0.0
        if i == len(self._starts) - 1 and ts > self._ends[i]:
            return self._upto[i] + (ts - self._ends[i]) * _BUSINESS_SHARE
        return self._before[i] + min(ts - self._starts[i], self._ends[i] - self._starts[i])

    def at(self, business: float) -> float:
        """The instant when ``business`` seconds have elapsed; a period's end,
        not the next one's start, when it falls exactly on a boundary."""
        if business <= 0:
            return self._starts[0]
        i = bisect_left(self._upto, business)
        if i == len(self._upto):
            return self._ends[-1] + (business - self._upto[-1]) / _BUSINESS_SHARE
        return self._starts[i] + (business - self._before[i])

    def add(self, ts: float, seconds: float) -> float:
        return self.at(self.business(ts) + seconds)
