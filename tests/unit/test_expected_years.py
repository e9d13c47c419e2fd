"""The shipped expected arrangements follow the national holiday rules as amended in November 2024.

Since 2025 the Spring Festival has four statutory days: 除夕 (New Year's Eve) and the first three days
of the first lunar month. Every expected year the product ships must put them off, and must name the
make-up workdays (调休) the usual pattern implies, or a window would open on a day the office is shut.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import pytest

from scheduler.core.workdays import WorkdayCalendar, package_knows
from scheduler.planning.holidays import read_overrides

# First day of the first lunar month (正月初一), from the Hong Kong Observatory's Gregorian-lunar
# conversion tables; a year added here needs its date from the same source.
SPRING_FESTIVAL = {
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
    2027: dt.date(2027, 2, 6),
    2028: dt.date(2028, 1, 26),
    2029: dt.date(2029, 2, 13),
    2030: dt.date(2030, 2, 3),
}


def _expected_files() -> list[Path]:
    data = resources.files("scheduler.data")
    return sorted(Path(str(p)) for p in data.iterdir() if p.name.startswith("holidays-") and p.name.endswith(".csv"))


def test_there_is_an_expected_file_for_a_year_the_package_does_not_know() -> None:
    years = [int(p.name.split("-")[1]) for p in _expected_files()]
    assert years and all(not package_knows(y) for y in years)


@pytest.mark.parametrize("path", _expected_files(), ids=lambda p: p.name)
def test_every_expected_year_puts_chuxi_and_the_first_three_days_of_spring_festival_off(path: Path) -> None:
    overrides = read_overrides(path, confirmed=False)
    year = overrides[0].date.year
    assert year in SPRING_FESTIVAL, f"add the {year} Spring Festival date to SPRING_FESTIVAL"
    cal = WorkdayCalendar(overrides)
    first = SPRING_FESTIVAL[year]
    statutory = [first - dt.timedelta(days=1), *(first + dt.timedelta(days=i) for i in range(3))]
    assert [d for d in statutory if cal.is_workday(d)] == []
    assert cal.holiday_name(first - dt.timedelta(days=1))  # 除夕 is named as a holiday, not a plain weekend


@pytest.mark.parametrize("path", _expected_files(), ids=lambda p: p.name)
def test_every_expected_year_names_its_make_up_workdays(path: Path) -> None:
    overrides = read_overrides(path, confirmed=False)
    makeup = [o.date for o in overrides if o.kind == "workday"]
    # Every make-up workday is a weekend day next to a long holiday; the usual pattern has at least
    # one for the Spring Festival (a nine-day break needs two working weekend days).
    assert makeup and all(d.weekday() >= 5 for d in makeup)
    first = SPRING_FESTIVAL[overrides[0].date.year]
    assert sum(abs((d - first).days) <= 10 for d in makeup) == 2


def test_expected_2027_spring_festival_matches_the_usual_pattern() -> None:
    path = next(p for p in _expected_files() if p.name == "holidays-2027-expected.csv")
    cal = WorkdayCalendar(read_overrides(path, confirmed=False))
    D = dt.date
    assert not cal.is_workday(D(2027, 2, 5))  # Fri, 除夕
    assert cal.is_workday(D(2027, 1, 31)) and cal.is_workday(D(2027, 2, 14))  # Sundays, 调休
    assert cal.is_workday(D(2027, 9, 26)) and cal.is_workday(D(2027, 10, 9))  # 国庆 调休
    assert [d for d in (D(2027, 2, 4), D(2027, 2, 15)) if not cal.is_workday(d)] == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_rule_holds_for_the_official_years_the_package_knows(year: int) -> None:
    """The same rule on the published arrangements, so SPRING_FESTIVAL is checked against real data."""
    cal = WorkdayCalendar()
    first = SPRING_FESTIVAL[year]
    assert [d for d in (first + dt.timedelta(days=i) for i in range(-1, 3)) if cal.is_workday(d)] == []
