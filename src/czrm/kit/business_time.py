"""Business-hours calendar maths: how much working time lies between two moments.

Service levels are promised in *working* time: "respond within 2 working days"
means the clock only runs while the council is open. A ``BusinessCalendar``
holds the opening hours (local wall-clock intervals per weekday), the timezone
they are read in, and the public holidays on which the clock does not run.

Rules shared by every function here:

* Opening hours are local wall-clock times, so a 09:00-17:00 day is eight hours
  long even on the days the clocks change.
* A local time that does not exist (skipped when the clocks go forward) is read
  as the instant the clocks jumped; a local time that happens twice (when the
  clocks go back) is read as its first occurrence.
* Every instant passed in must carry a timezone (any zone); instants returned
  are in UTC.

Pure calculation: no I/O, no database, standard library only.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "BusinessCalendar",
    "add_business_minutes",
    "business_minutes_between",
    "due_at",
]

DAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_MINUTES_PER_DAY = 24 * 60
_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(days=7)
_ONE_MINUTE = timedelta(minutes=1)
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)")

# Opening intervals of one weekday, in minutes after local midnight: ((540, 1020), ...)
_DayIntervals = tuple[tuple[int, int], ...]


def _parse_clock(value: object, *, where: str, is_end: bool) -> int:
    """Minutes after midnight for an ``HH:MM`` 24-hour time; ``24:00`` may only end a day."""
    if not isinstance(value, str):
        raise ValueError(f"{where}: time {value!r} must be a string in HH:MM form")
    if value == "24:00":
        if is_end:
            return _MINUTES_PER_DAY
        raise ValueError(f"{where}: 24:00 may only be used as an end time, not a start time")
    match = _CLOCK.fullmatch(value)
    if match is None:
        raise ValueError(
            f"{where}: time {value!r} is not a valid HH:MM 24-hour time (e.g. '09:00', '17:30')"
        )
    return int(match.group(1)) * 60 + int(match.group(2))


def _parse_day(day: str, intervals: object) -> tuple[_DayIntervals, tuple[tuple[str, str], ...]]:
    """Check one weekday's opening intervals; returns them parsed and as sorted text pairs."""
    if isinstance(intervals, str | bytes) or not isinstance(intervals, Sequence):
        raise ValueError(
            f"working_hours[{day!r}] must be a list of [start, end] pairs, got {intervals!r}"
        )
    parsed: list[tuple[int, int, tuple[str, str]]] = []
    for position, interval in enumerate(intervals, start=1):
        where = f"working_hours[{day!r}] interval {position} {interval!r}"
        if (
            isinstance(interval, str | bytes)
            or not isinstance(interval, Sequence)
            or len(interval) != 2
        ):
            raise ValueError(f"{where}: must be a [start, end] pair such as ['09:00', '17:00']")
        start_text, end_text = interval[0], interval[1]
        start = _parse_clock(start_text, where=where, is_end=False)
        end = _parse_clock(end_text, where=where, is_end=True)
        if end <= start:
            raise ValueError(f"{where}: end {end_text} must be later than start {start_text}")
        parsed.append((start, end, (start_text, end_text)))
    parsed.sort()
    for earlier, later in zip(parsed, parsed[1:], strict=False):
        if later[0] < earlier[1]:
            raise ValueError(
                f"working_hours[{day!r}]: intervals {list(earlier[2])} and {list(later[2])} overlap"
            )
    return (
        tuple((start, end) for start, end, _ in parsed),
        tuple(text for _, _, text in parsed),
    )


@dataclass(frozen=True)
class BusinessCalendar:
    """When the working clock runs: weekly opening hours in one timezone, minus holidays.

    ``working_hours`` maps ``mon``..``sun`` to ``[start, end]`` pairs of local
    ``HH:MM`` times (``24:00`` may end a day); a day that is missing or empty is
    closed. On a date in ``holidays`` (local dates) nothing counts. The whole
    week must contain some working time, otherwise a deadline could never fall
    due. The configuration is checked on construction; mistakes raise
    ``ValueError`` naming the offending day or interval.
    """

    timezone: str
    working_hours: Mapping[str, Sequence[Sequence[str]]]
    holidays: frozenset[date] = frozenset()

    _zone: ZoneInfo = field(init=False, repr=False, compare=False)
    _week: tuple[_DayIntervals, ...] = field(init=False, repr=False, compare=False)
    _week_length: timedelta = field(init=False, repr=False, compare=False)
    _sorted_holidays: tuple[date, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.timezone, str) or not self.timezone:
            raise ValueError(
                f"timezone must be an IANA name such as 'Europe/London', got {self.timezone!r}"
            )
        try:
            zone = ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ValueError(
                f"unknown timezone {self.timezone!r}; use an IANA name such as 'Europe/London'"
            ) from exc

        if not isinstance(self.working_hours, Mapping):
            raise ValueError(
                "working_hours must map day keys (mon..sun) to lists of [start, end] pairs"
            )
        for key in self.working_hours:
            if key not in DAY_KEYS:
                raise ValueError(
                    f"working_hours has unknown day key {key!r}; use {', '.join(DAY_KEYS)}"
                )
        week: list[_DayIntervals] = []
        normalised: dict[str, tuple[tuple[str, str], ...]] = {}
        for day in DAY_KEYS:
            parsed, text = _parse_day(day, self.working_hours.get(day, ()))
            week.append(parsed)
            if text:
                normalised[day] = text
        week_minutes = sum(end - start for day in week for start, end in day)
        if week_minutes == 0:
            raise ValueError(
                "working_hours has no working time on any day of the week; "
                "at least one day needs an opening interval"
            )

        holidays = frozenset(self.holidays)
        for holiday in holidays:
            if isinstance(holiday, datetime) or not isinstance(holiday, date):
                raise ValueError(f"holiday {holiday!r} must be a date (not a datetime)")

        # Keep an immutable snapshot so later changes to the caller's dict cannot
        # put the parsed week out of step with what the calendar reports.
        object.__setattr__(self, "working_hours", MappingProxyType(normalised))
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "_zone", zone)
        object.__setattr__(self, "_week", tuple(week))
        object.__setattr__(self, "_week_length", timedelta(minutes=week_minutes))
        object.__setattr__(self, "_sorted_holidays", tuple(sorted(holidays)))

    @classmethod
    def from_config(
        cls,
        timezone: str,
        working_hours: Mapping[str, Any],
        holidays: Iterable[date] = (),
    ) -> BusinessCalendar:
        """Build a calendar from configuration data, rejecting anything ambiguous.

        Raises ``ValueError`` for a badly written time, an interval whose end is
        not after its start, overlapping intervals on one day, an unknown day
        key, an unknown timezone, or a week with no working time at all.
        """
        return cls(timezone=timezone, working_hours=working_hours, holidays=frozenset(holidays))

    # -- local wall-clock to UTC ------------------------------------------------

    def _to_utc(self, wall: datetime) -> datetime:
        """The UTC instant of a naive local wall-clock time in this calendar's zone.

        A time that occurs twice (clocks going back) is its first occurrence; a
        time that never occurs (clocks going forward) is the instant of the jump.
        Both choices keep later wall times at later-or-equal instants, so opening
        intervals never overlap once converted.
        """
        zone = self._zone
        instant = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            return instant
        # In a gap: ``fold=1`` reads the wall time with the offset after the jump,
        # giving an instant before it; ``instant`` (offset before) lies after it.
        # The jump is the first whole second whose wall time is later than ``wall``.
        before = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
        low, high = 0, int((instant - before).total_seconds())
        while low < high:
            middle = (low + high) // 2
            probe = before + timedelta(seconds=middle)
            if probe.astimezone(zone).replace(tzinfo=None) > wall:
                high = middle
            else:
                low = middle + 1
        return before + timedelta(seconds=low)

    def _midnight_utc(self, day: date) -> datetime:
        return self._to_utc(datetime.combine(day, time()))

    def _is_holiday(self, day: date) -> bool:
        index = bisect_left(self._sorted_holidays, day)
        return index < len(self._sorted_holidays) and self._sorted_holidays[index] == day

    def _intervals(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The working intervals of one local date, as UTC instants, in order."""
        if self._is_holiday(day):
            return
        midnight = datetime.combine(day, time())
        for start, end in self._week[day.weekday()]:
            opens = self._to_utc(midnight + timedelta(minutes=start))
            closes = self._to_utc(midnight + timedelta(minutes=end))
            if closes > opens:  # an interval wholly inside a skipped hour is empty
                yield opens, closes

    def _is_plain_week(self, first_day: date) -> bool:
        """Whether the seven local dates from ``first_day`` hold exactly the nominal week.

        True when none of them is a holiday and the week is exactly 7 x 24 hours
        long (no change of UTC offset), so its working time is the sum of the
        configured intervals and the week can be skipped in one step.
        """
        index = bisect_left(self._sorted_holidays, first_day)
        if (
            index < len(self._sorted_holidays)
            and self._sorted_holidays[index] < first_day + _ONE_WEEK
        ):
            return False
        span = self._midnight_utc(first_day + _ONE_WEEK) - self._midnight_utc(first_day)
        return span == _ONE_WEEK


def _require_aware(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"{name} must be a datetime, got {value!r}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value.isoformat()}")
    return value.astimezone(UTC)


def add_business_minutes(calendar: BusinessCalendar, start: datetime, minutes: int) -> datetime:
    """The instant at which ``minutes`` of working time have elapsed since ``start``.

    The clock runs only inside opening hours on non-holiday dates; if ``start``
    is outside them, counting begins at the next opening. The answer is the
    exact moment the budget is used up, so a budget that runs out at a closing
    time gives that closing time, not the next opening. Zero minutes gives
    ``start`` itself. ``start`` may be in any timezone; the answer is in UTC.
    """
    cursor = _require_aware(start, "start")
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise ValueError(f"minutes must be a whole number, got {minutes!r}")
    if minutes < 0:
        raise ValueError(f"minutes must not be negative, got {minutes}")
    if minutes == 0:
        return cursor

    remaining = timedelta(minutes=minutes)
    day = cursor.astimezone(calendar._zone).date()
    first_day = True
    while True:
        # Whole weeks are skipped in one step when they are certainly nominal and
        # the budget reaches past them; the landing week is always walked.
        if not first_day and remaining > calendar._week_length and calendar._is_plain_week(day):
            remaining -= calendar._week_length
            day += _ONE_WEEK
            continue
        first_day = False
        for opens, closes in calendar._intervals(day):
            if closes <= cursor:
                continue
            begin = max(opens, cursor)
            available = closes - begin
            if remaining <= available:
                return begin + remaining
            remaining -= available
            cursor = closes
        day += _ONE_DAY


def business_minutes_between(calendar: BusinessCalendar, start: datetime, end: datetime) -> int:
    """Whole minutes of working time in ``[start, end)``, rounded down; 0 if ``end <= start``.

    Only time inside opening hours on non-holiday dates counts. ``start`` and
    ``end`` may be in any timezones.
    """
    begin = _require_aware(start, "start")
    finish = _require_aware(end, "end")
    if finish <= begin:
        return 0

    total = timedelta(0)
    day = begin.astimezone(calendar._zone).date()
    first_day = True
    while calendar._midnight_utc(day) < finish:
        if (
            not first_day
            and calendar._midnight_utc(day + _ONE_WEEK) <= finish
            and calendar._is_plain_week(day)
        ):
            total += calendar._week_length
            day += _ONE_WEEK
            continue
        first_day = False
        for opens, closes in calendar._intervals(day):
            overlap = min(closes, finish) - max(opens, begin)
            if overlap > timedelta(0):
                total += overlap
        day += _ONE_DAY
    return total // _ONE_MINUTE


def due_at(
    calendar: BusinessCalendar,
    opened_at: datetime,
    target_hours: float,
    paused_minutes: int = 0,
) -> datetime:
    """When a case falls due: ``target_hours`` of working time after it was opened.

    The target is rounded to the nearest minute. The service-level clock stops
    while a case waits on the citizen, so the working minutes spent paused are
    added to the budget and push the due time later. The answer is in UTC.
    """
    budget = round(target_hours * 60) + paused_minutes
    return add_business_minutes(calendar, opened_at, budget)
