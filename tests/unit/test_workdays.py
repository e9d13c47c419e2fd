"""China's working-day calendar and the window days it gives an office."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.core.errors import CalendarUnknown, InputError
from scheduler.core.workdays import Override, WorkdayCalendar, window_days

D = dt.date


def _span(a: dt.date, b: dt.date) -> set[dt.date]:
    return {a + dt.timedelta(days=i) for i in range((b - a).days + 1)}


# The State Council's arrangements, as published (see ../shared/DOMAIN.md).
OFFICIAL = {
    2025: {
        "off": [(D(2025, 1, 1), D(2025, 1, 1)), (D(2025, 1, 28), D(2025, 2, 4)), (D(2025, 4, 4), D(2025, 4, 6)),
                (D(2025, 5, 1), D(2025, 5, 5)), (D(2025, 5, 31), D(2025, 6, 2)), (D(2025, 10, 1), D(2025, 10, 8))],
        "workday": [D(2025, 1, 26), D(2025, 2, 8), D(2025, 4, 27), D(2025, 9, 28), D(2025, 10, 11)],
    },
    2026: {
        "off": [(D(2026, 1, 1), D(2026, 1, 3)), (D(2026, 2, 15), D(2026, 2, 23)), (D(2026, 4, 4), D(2026, 4, 6)),
                (D(2026, 5, 1), D(2026, 5, 5)), (D(2026, 6, 19), D(2026, 6, 21)), (D(2026, 9, 25), D(2026, 9, 27)),
                (D(2026, 10, 1), D(2026, 10, 7))],
        "workday": [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 9, 20), D(2026, 10, 10)],
    },
}


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_of_the_year_matches_the_official_arrangement(year: int) -> None:
    cal = WorkdayCalendar()
    off = set().union(*(_span(a, b) for a, b in OFFICIAL[year]["off"]))
    makeup = set(OFFICIAL[year]["workday"])
    wrong = []
    for day in sorted(_span(D(year, 1, 1), D(year, 12, 31))):
        expected = day in makeup or (day.weekday() < 5 and day not in off)
        if cal.is_workday(day) != expected:
            wrong.append(day)
    assert wrong == []


def test_planning_into_an_unknown_year_fails_naming_the_year_and_the_remedy() -> None:
    with pytest.raises(CalendarUnknown) as err:
        window_days(WorkdayCalendar(), 2, "skip", D(2026, 12, 1), D(2027, 2, 28))
    assert "2027" in str(err.value)
    assert "scheduler holidays import" in str(err.value)


def test_an_override_makes_an_unknown_year_plannable_and_provisional() -> None:
    cal = WorkdayCalendar([Override(D(2027, 1, 1), "off", "元旦", confirmed=False)])
    days = [w.date for w in window_days(cal, 4, "skip", D(2026, 12, 21), D(2027, 1, 10))]
    assert days == [D(2026, 12, 25), D(2027, 1, 8)]  # Fri Jan 1 2027 is off, skipped
    assert cal.is_provisional(D(2027, 1, 8))
    assert not cal.is_provisional(D(2026, 12, 25))
    assert cal.provisional_years(D(2026, 12, 21), D(2027, 1, 10)) == [2027]


def test_a_confirmed_override_is_not_provisional_and_weekends_are_off() -> None:
    cal = WorkdayCalendar([Override(D(2027, 2, 20), "workday", "春节调休")])
    assert cal.is_workday(D(2027, 2, 20))  # a Saturday made a workday
    assert not cal.is_workday(D(2027, 2, 21))  # a plain Sunday
    assert not cal.is_provisional(D(2027, 2, 20))


def test_a_wednesday_window_on_a_day_off_moves_to_the_next_working_day() -> None:
    days = window_days(WorkdayCalendar(), 2, "next_workday", D(2026, 2, 1), D(2026, 10, 31))
    moved = {w.moved_from: w.date for w in days if w.moved_from}
    assert moved[D(2026, 2, 18)] == D(2026, 2, 24)
    assert moved[D(2026, 10, 7)] == D(2026, 10, 8)
    assert len({w.date for w in days}) == len(days)


def test_a_window_on_a_day_off_is_skipped_under_the_skip_policy() -> None:
    days = [w.date for w in window_days(WorkdayCalendar(), 2, "skip", D(2026, 2, 1), D(2026, 2, 28))]
    assert days == [D(2026, 2, 4), D(2026, 2, 11), D(2026, 2, 25)]


def test_a_window_moved_out_of_the_previous_week_belongs_to_this_period_only() -> None:
    cal = WorkdayCalendar()
    first = window_days(cal, 2, "next_workday", D(2026, 2, 1), D(2026, 2, 22))
    second = window_days(cal, 2, "next_workday", D(2026, 2, 23), D(2026, 3, 8))
    assert D(2026, 2, 24) not in {w.date for w in first}
    assert D(2026, 2, 24) in {w.date for w in second}


def test_a_make_up_saturday_opens_a_saturday_window() -> None:
    days = [w.date for w in window_days(WorkdayCalendar(), 5, "skip", D(2026, 2, 9), D(2026, 3, 1))]
    assert days == [D(2026, 2, 14), D(2026, 2, 28)]


def test_a_leader_day_on_a_day_off_is_refused_with_its_name() -> None:
    cal = WorkdayCalendar()
    with pytest.raises(InputError, match=r"2026-10-01.*National Day"):
        cal.check_leader_day(D(2026, 10, 1))
    cal.check_leader_day(D(2026, 10, 10))  # a make-up Saturday is fine


def test_reversed_period_and_unknown_policy_are_refused() -> None:
    with pytest.raises(InputError, match="before it starts"):
        window_days(WorkdayCalendar(), 2, "skip", D(2026, 3, 1), D(2026, 2, 1))
    with pytest.raises(InputError, match="policy"):
        window_days(WorkdayCalendar(), 2, "sometimes", D(2026, 2, 1), D(2026, 3, 1))
