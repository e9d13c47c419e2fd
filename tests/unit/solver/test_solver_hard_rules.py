"""Each hard rule alone: a small pattern that is feasible, infeasible (fixed pairs) or leaves a place open."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.core.problem import InactivePeriod
from scheduler.solver import Solution
from tests.builders import day, duty, lawyer, only, problem, solve_and_check

COVER = only(uncovered=1000)  # coverage only: nothing but the hard rules decides


def reasons(solution: Solution, duty_id: int) -> list[str]:
    """The reason codes given for the open places of one duty."""
    found = [u for u in solution.report.unstaffed if u.duty_id == duty_id]
    assert found, f"duty {duty_id} is not listed as unstaffed"
    return [r.code for r in found[0].reasons]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"offices": {2}}, "no_office_lawyer"),
        ({"inactive": (InactivePeriod(day(0), None, "removed"),)}, "inactive"),
        ({"unavailable": {day(0)}}, "unavailable"),
        ({"first_practice_year": 2024}, "min_years"),
    ],
)
def test_a_lawyer_who_breaks_a_pair_rule_is_never_put_on_the_duty(change: dict, code: str) -> None:
    p = problem([lawyer(1, **change)], [duty(1, 0, min_years=5)], weights=COVER)
    solution = solve_and_check(p)
    assert solution.assignments == {1: ()}
    assert solution.report.status == "optimal"
    assert code in reasons(solution, 1)


def test_a_duty_needing_a_specialty_gets_only_a_lawyer_with_it() -> None:
    p = problem([lawyer(1), lawyer(2, specialties={"land"})], [duty(1, 0, specialty="land")], weights=COVER)
    assert solve_and_check(p).assignments == {1: (2,)}


def test_a_duty_needing_a_language_nobody_speaks_stays_open_with_the_language_reason() -> None:
    p = problem([lawyer(1, languages={"mandarin"})], [duty(1, 0, language="buyi")], weights=COVER)
    assert reasons(solve_and_check(p), 1) == ["language"]


def test_a_suspension_covers_only_its_dates() -> None:
    suspended = (InactivePeriod(day(0), day(6), "suspended", "纪律处分"),)
    p = problem([lawyer(1, inactive=suspended)], [duty(1, 6), duty(2, 7)], weights=COVER, min_gap_days=0)
    assert solve_and_check(p).assignments == {1: (), 2: (1,)}


def test_a_lawyer_serves_at_most_one_duty_a_day() -> None:
    p = problem([lawyer(1, offices={1, 2})], [duty(1, 0), duty(2, 0, office_id=2)], weights=COVER, min_gap_days=0)
    solution = solve_and_check(p)
    assert sorted(len(team) for team in solution.assignments.values()) == [0, 1]
    open_duty = next(d for d, team in solution.assignments.items() if not team)
    assert reasons(solution, open_duty) == ["same_day"]


def test_two_duties_closer_than_the_minimum_gap_go_to_different_lawyers_or_stay_open() -> None:
    p = problem([lawyer(1)], [duty(1, 0), duty(2, 6)], weights=COVER, min_gap_days=7)
    solution = solve_and_check(p)
    assert solution.report.objective == 1000
    open_duty = next(d for d, team in solution.assignments.items() if not team)
    assert reasons(solution, open_duty) == ["min_gap"]


def test_duties_exactly_the_minimum_gap_apart_may_go_to_one_lawyer() -> None:
    p = problem([lawyer(1)], [duty(1, 0), duty(2, 7)], weights=COVER, min_gap_days=7)
    assert solve_and_check(p).assignments == {1: (1,), 2: (1,)}


def test_the_monthly_limit_counts_calendar_months() -> None:
    # day(0) is 2 March 2026: days 0 and 14 are in March, day 30 is in April.
    p = problem([lawyer(1, max_per_month=1)], [duty(1, 0), duty(2, 14), duty(3, 30)], weights=COVER)
    solution = solve_and_check(p)
    assert solution.report.terms["uncovered"] == 1000
    assert solution.assignments[3] == (1,)
    open_duty = next(d for d, team in solution.assignments.items() if not team)
    assert reasons(solution, open_duty) == ["monthly_limit"]


def test_fixed_assignments_count_towards_the_monthly_limit() -> None:
    p = problem([lawyer(1, max_per_month=1), lawyer(2)], [duty(1, 0), duty(2, 14)], weights=COVER, fixed={(2, 1)})
    assert solve_and_check(p).assignments == {1: (2,), 2: (1,)}


def test_a_fixed_assignment_stays_even_when_it_costs() -> None:
    monday = {0}
    lawyers = [lawyer(1, undesired_weekdays=monday), lawyer(2)]
    p = problem(lawyers, [duty(1, 0)], weights=only(uncovered=1000, undesired_weekday=5), fixed={(1, 1)})
    solution = solve_and_check(p)
    assert solution.assignments == {1: (1,)}
    assert solution.report.objective == 5


def test_a_duty_never_holds_more_lawyers_than_it_needs() -> None:
    p = problem([lawyer(i) for i in range(1, 5)], [duty(1, 0, needed=2)], weights=COVER)
    assert len(solve_and_check(p).assignments[1]) == 2


@pytest.mark.parametrize(
    ("lawyers", "duties", "fixed", "rule"),
    [
        ([lawyer(1, unavailable={day(0)})], [duty(1, 0)], {(1, 1)}, "available"),
        ([lawyer(1, offices={2})], [duty(1, 0)], {(1, 1)}, "office"),
        ([lawyer(1, first_practice_year=2025)], [duty(1, 0, min_years=3)], {(1, 1)}, "min_years"),
        ([lawyer(1)], [duty(1, 0, specialty="land")], {(1, 1)}, "specialty"),
        ([lawyer(1)], [duty(1, 0, language="miao")], {(1, 1)}, "language"),
        ([lawyer(1, inactive=(InactivePeriod(day(0), None, "removed"),))], [duty(1, 0)], {(1, 1)}, "active"),
        ([lawyer(1), lawyer(2)], [duty(1, 0)], {(1, 1), (1, 2)}, "capacity"),
        ([lawyer(1)], [duty(1, 0), duty(2, 3)], {(1, 1), (2, 1)}, "min_gap"),
        ([lawyer(1, max_per_month=1)], [duty(1, 0), duty(2, 14)], {(1, 1), (2, 1)}, "monthly_limit"),
        ([lawyer(1)], [duty(1, 0)], {(1, 9)}, "unknown_lawyer"),
        ([lawyer(1)], [duty(1, 0)], {(7, 1)}, "unknown_duty"),
    ],
)
def test_a_fixed_pair_that_breaks_a_hard_rule_makes_the_problem_infeasible(
    lawyers: list, duties: list, fixed: set, rule: str
) -> None:
    solution = solve_and_check(problem(lawyers, duties, fixed=fixed))
    report = solution.report
    assert report.status == "infeasible"
    assert report.objective is None and report.terms == {}
    assert any(c.startswith(f"{rule}: ") for c in report.conflicts), report.conflicts
    assert all(team == () for team in solution.assignments.values())


def test_two_fixed_duties_of_one_lawyer_on_one_day_are_named_as_the_conflict() -> None:
    duties = [duty(10, 0), duty(11, 0, office_id=2)]
    p = problem([lawyer(7, offices={1, 2})], duties, fixed={(10, 7), (11, 7)})
    report = solve_and_check(p).report
    assert report.status == "infeasible"
    assert len(report.conflicts) == 1
    conflict = report.conflicts[0]
    assert conflict.startswith("one_per_day: ")
    assert "lawyer 7" in conflict and "duties 10 and 11" in conflict and str(dt.date(2026, 3, 2)) in conflict
