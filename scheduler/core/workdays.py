"""China's official working-day calendar, and the window days it gives each office.

Statutory days off are not working days; make-up workdays (调休) on weekends are. Years the
`chinesecalendar` package knows come from it; other years only from an override table (the State
Council publishes each year's arrangement in November or December). The product never guesses: a
year with neither raises `CalendarUnknown`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

import chinese_calendar

from scheduler.core.errors import (
    CalendarUnknown,
    LeaderDayOff,
    NoWorkingDay,
    Outcome,
    UnknownDayOffPolicy,
    require_period,
)

CHINESE_FESTIVALS = {str(h.value): str(h.chinese) for h in chinese_calendar.Holiday}
DayOffNamed = Outcome("calendar.day_off_named", "法定休息日（{name}）")
NotWorkday = Outcome("calendar.not_workday", "非工作日")


@dataclass(frozen=True)
class Override:
    """One day of an imported arrangement."""

    date: dt.date
    kind: str  # "off" or "workday"
    name: str = ""
    confirmed: bool = True


@dataclass(frozen=True)
class WindowDay:
    """A day an office's reception window opens; `moved_from` is set when a day off moved it."""

    date: dt.date
    moved_from: dt.date | None = None


@cache
def package_knows(year: int) -> bool:
    """Whether chinesecalendar has the official arrangement for `year`."""
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class WorkdayCalendar:
    """Answers 'is this an official working day?' from the package and the override table."""

    def __init__(self, overrides: Iterable[Override] = ()) -> None:
        self._overrides = {o.date: o for o in overrides}
        self._override_years = {d.year for d in self._overrides}
        self._provisional_years = {o.date.year for o in self._overrides.values() if not o.confirmed}

    def knows(self, year: int) -> bool:
        return year in self._override_years or package_knows(year)

    def require(self, start: dt.date, end: dt.date) -> None:
        """Raise CalendarUnknown naming the first year in [start, end] without an arrangement."""
        for year in range(start.year, end.year + 1):
            if not self.knows(year):
                raise CalendarUnknown(year=year, last=_last_package_year())

    def is_workday(self, day: dt.date) -> bool:
        """True on an official working day, including make-up workdays on weekends."""
        if day.year in self._override_years:
            override = self._overrides.get(day)
            if override is not None:
                return override.kind == "workday"
            return day.weekday() < 5
        if not package_knows(day.year):
            self.require(day, day)
        return bool(chinese_calendar.is_workday(day))

    def holiday_name(self, day: dt.date) -> str:
        """The festival's name for a statutory day off, or '' (weekends and working days)."""
        override = self._overrides.get(day)
        if override is not None:
            return override.name if override.kind == "off" else ""
        if day.year in self._override_years or not package_knows(day.year):
            return ""
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
        # The package names festivals in English ("National Day"); a bureau reads 国庆节.
        return CHINESE_FESTIVALS.get(str(name), str(name)) if on_holiday and name else ""

    def is_provisional(self, day: dt.date) -> bool:
        """True when `day` falls in a year whose arrangement is only expected, not confirmed."""
        return day.year in self._provisional_years

    def provisional_years(self, start: dt.date, end: dt.date) -> list[int]:
        return sorted(y for y in self._provisional_years if start.year <= y <= end.year)

    def next_workday(self, day: dt.date, limit_days: int = 31) -> dt.date:
        """The first working day after `day`."""
        for offset in range(1, limit_days + 1):
            candidate = day + dt.timedelta(days=offset)
            if self.is_workday(candidate):
                return candidate
        raise NoWorkingDay(day=day, limit=limit_days)

    def check_leader_day(self, day: dt.date) -> None:
        """Refuse a leader reception day that falls on a day off."""
        if not self.is_workday(day):
            name = self.holiday_name(day)
            raise LeaderDayOff(day=day, what=DayOffNamed(name=name) if name else NotWorkday())


def _last_package_year() -> int:
    year = dt.date.today().year + 1
    while not package_knows(year):
        year -= 1
    return year


def _weekly(start: dt.date, end: dt.date, weekday: int) -> Iterator[dt.date]:
    day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
    while day <= end:
        yield day
        day += dt.timedelta(days=7)


def window_days(
    calendar: WorkdayCalendar,
    weekday: int,
    policy: str,
    start: dt.date,
    end: dt.date,
) -> list[WindowDay]:
    """An office's window days in [start, end] from its weekday and its day-off policy.

    policy "skip": a window on a day off does not open that week.
    policy "next_workday": it opens on the next working day instead, unless that day is already a
    window day. A window moved from the week before `start` into the period belongs to this period,
    and one moved past `end` belongs to the next: every moved window is planned exactly once.
    """
    if policy not in ("skip", "next_workday"):
        raise UnknownDayOffPolicy(value=policy)
    require_period(start, end)
    calendar.require(start - dt.timedelta(days=7), end)
    regular = list(_weekly(start - dt.timedelta(days=7), end, weekday))
    taken = {d for d in regular if calendar.is_workday(d)}
    days: list[WindowDay] = []
    for day in regular:
        if day in taken:
            if day >= start:
                days.append(WindowDay(day))
            continue
        if policy == "skip":
            continue
        moved = calendar.next_workday(day)
        if moved in taken or not (start <= moved <= end):
            continue
        taken.add(moved)
        days.append(WindowDay(moved, moved_from=day))
    return sorted(days, key=lambda w: w.date)
