"""Whole solves: status, report, determinism, the time limit, progress, pools and hints."""

from __future__ import annotations

import math

import pytest

from scheduler.core.errors import InputError
from scheduler.core.problem import Weights
from scheduler.solver import Progress, SolveParams, solve
from scheduler.solver.objective import can_serve
from tests.builders import duty, lawyer, office, only, problem, sample_region, solve_and_check


def test_a_small_region_is_solved_to_optimality_with_a_full_report() -> None:
    p = sample_region(3, offices=3, lawyers=24, weeks=8, leader_days=6)
    report = solve_and_check(p).report
    assert report.status == "optimal"
    assert report.bound == report.objective and report.gap == 0
    assert report.first_solution_s is not None and 0 <= report.first_solution_s <= report.wall_s
    assert report.conflicts == ()
    (fairness,) = report.fairness  # the three offices share lawyers: one pool
    assert fairness.min <= fairness.median <= fairness.max
    assert fairness.lawyers <= 24


def test_the_same_seed_gives_the_same_roster_whatever_the_number_of_workers() -> None:
    p = sample_region(5, offices=3, lawyers=30, weeks=13, leader_days=8)
    first = solve_and_check(p, seed=3)
    assert solve_and_check(p, seed=3).assignments == first.assignments
    assert solve_and_check(p, seed=3, workers=1).assignments == first.assignments


def test_the_time_limit_is_respected() -> None:
    p = sample_region(1, offices=8, lawyers=120, weeks=52, leader_days=80)
    solution = solve_and_check(p, time_limit_s=1.5)
    assert solution.report.wall_s <= 1.5 + 0.5
    assert solution.report.status in ("optimal", "feasible")


def test_a_limit_too_short_to_search_at_all_returns_the_fixed_pairs_as_no_solution() -> None:
    p = problem([lawyer(1), lawyer(2, offices={2})], [duty(1, 0), duty(2, 0, office_id=2)], fixed={(1, 1)})
    solution = solve_and_check(p, time_limit_s=1e-9)
    assert solution.report.status == "no_solution"
    assert solution.report.objective is None and solution.report.terms == {}
    assert solution.assignments == {1: (1,), 2: ()}


def test_progress_reports_improving_objectives_with_valid_bounds() -> None:
    seen: list[Progress] = []
    p = sample_region(2, offices=3, lawyers=30, weeks=13, leader_days=8)
    solution = solve(p, SolveParams(time_limit_s=20), seen.append)
    assert seen
    objectives = [step.objective for step in seen]
    assert objectives == sorted(objectives, reverse=True) and len(set(objectives)) == len(objectives)
    assert all(step.bound <= step.objective for step in seen)
    assert [step.elapsed_s for step in seen] == sorted(step.elapsed_s for step in seen)
    assert solution.report.status == "optimal"
    assert objectives[-1] == solution.report.objective


def test_pools_that_share_no_lawyer_are_solved_apart_and_merged() -> None:
    lawyers = [lawyer(1), lawyer(2), lawyer(3, offices={2}), lawyer(4, offices={2})]
    duties = [duty(1, 0), duty(2, 7), duty(3, 0, office_id=2, needed=2), duty(4, 3, office_id=2)]
    p = problem(lawyers, duties, min_gap_days=7)
    whole = solve_and_check(p).report
    assert [f.pool for f in whole.fairness] == ["522301", "522302"]
    apart = [solve_and_check(problem([x for x in lawyers if o in x.offices], [d for d in duties if d.office_id == o]))
             for o in (1, 2)]  # fmt: skip
    assert whole.objective == sum(s.report.objective or 0 for s in apart)
    assert whole.terms["uncovered"] == Weights().uncovered  # duty 4 is 3 days after duty 3, both lawyers busy


def test_a_duty_at_an_office_nobody_serves_is_reported_and_the_rest_is_solved() -> None:
    p = problem([lawyer(1)], [duty(1, 0), duty(2, 0, office_id=9)], [office(1), office(9)])
    report = solve_and_check(p).report
    assert report.status == "optimal"
    assert [(u.duty_id, u.reasons[0].code) for u in report.unstaffed] == [(2, "no_office_lawyer")]


def test_a_problem_without_duties_is_trivially_optimal() -> None:
    solution = solve_and_check(problem([lawyer(1)], []))
    assert solution.assignments == {}
    assert solution.report.status == "optimal" and solution.report.objective == 0


def test_resolving_with_the_published_roster_as_previous_keeps_it() -> None:
    p = sample_region(4, offices=2, lawyers=16, weeks=8, leader_days=4)
    first = solve_and_check(p).assignments
    previous = {(duty_id, lawyer_id) for duty_id, team in first.items() for lawyer_id in team}
    again = solve_and_check(problem(p.lawyers, p.duties, p.offices, previous=previous, start=p.start, end=p.end))
    assert again.report.terms["stability"] == 0
    assert again.assignments == first


def test_fixed_pairs_stay_in_a_whole_solve() -> None:
    p = sample_region(6, offices=2, lawyers=16, weeks=8, leader_days=4)
    fixed: set[tuple[int, int]] = set()
    for d in sorted(p.duties, key=lambda d: d.id)[:3]:
        used = {lawyer_id for _, lawyer_id in fixed}
        chosen = next(x for x in p.lawyers if x.id not in used and can_serve(x, d))
        fixed.add((d.id, chosen.id))
    pinned = problem(p.lawyers, p.duties, p.offices, fixed=fixed, start=p.start, end=p.end)
    solution = solve_and_check(pinned)
    assert solution.report.status == "optimal"
    assert all(lawyer_id in solution.assignments[duty_id] for duty_id, lawyer_id in fixed)


@pytest.mark.parametrize(
    "settings",
    [{"time_limit_s": 0}, {"time_limit_s": -1}, {"time_limit_s": math.nan}, {"time_limit_s": math.inf}, {"workers": 0}],
)
def test_solve_params_refuse_nonsense(settings: dict) -> None:
    with pytest.raises(InputError):
        SolveParams(**settings)


def test_weights_of_zero_everywhere_give_an_empty_roster_at_no_cost() -> None:
    report = solve_and_check(problem([lawyer(1)], [duty(1, 0)], weights=only())).report
    assert report.objective == 0
    assert [r.code for r in report.unstaffed[0].reasons] == ["not_chosen"]
