"""Convex fairness, the checker's best single move, the coverage-first start, pools and the LNS."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given

from bench.generate import generate
from scheduler.core.problem import Problem
from scheduler.solver import Progress, SolveParams, check, search, solve
from scheduler.solver.check import best_move
from scheduler.solver.greedy import coverage_first, date_order, start_roster
from scheduler.solver.objective import all_fairness_targets, term_values
from scheduler.solver.pools import pools, pools_of, restrict
from tests.builders import duty, lawyer, office, only, problem, sample_region, solve_and_check
from tests.unit.solver.test_solver_properties import SETTINGS, problems


def open_places(p: Problem, roster: dict[int, tuple[int, ...]]) -> int:
    return sum(max(0, d.needed - len(roster.get(d.id, ()))) for d in p.duties)


@SETTINGS
@given(problems(max_lawyers=6, max_duties=8))
def test_at_a_proven_optimum_no_single_move_improves(p: Problem) -> None:
    solution = solve_and_check(p)
    if solution.report.status != "optimal":
        return
    result = check(p, solution.assignments, moves=True)
    assert result.ok and result.best_move is None


@SETTINGS
@given(problems(max_lawyers=6, max_duties=8))
def test_the_best_move_changes_the_objective_by_what_it_says(p: Problem) -> None:
    roster = date_order(p)
    if not check(p, roster).ok:
        return
    move = best_move(p, roster)
    if move is None:
        return
    moved = dict(roster)
    moved[move.duty_id] = tuple(sorted(move.taker if x == move.giver else x for x in roster[move.duty_id]))
    after = check(p, moved)
    assert after.ok
    assert after.objective - check(p, roster).objective == move.delta < 0


def test_a_piled_roster_has_an_improving_move_that_spreads_the_work() -> None:
    p = problem([lawyer(1), lawyer(2)], [duty(i, 7 * i) for i in range(4)], weights=only(uncovered=1000, fairness=1))
    piled = {0: (1,), 1: (1,), 2: (1,), 3: (2,)}
    move = check(p, piled, moves=True).best_move
    assert move is not None and (move.giver, move.taker) == (1, 2)
    assert move.delta == -20  # 3-1 costs 10 + 10 against targets of 2 each; 2-2 costs 0


def test_coverage_first_never_leaves_more_places_open_than_the_date_order_greedy() -> None:
    for seed in range(4):
        p = sample_region(seed, offices=4, lawyers=20, weeks=13, leader_days=10)
        assert open_places(p, start_roster(p)) <= open_places(p, date_order(p))
        assert check(p, coverage_first(p, all_fairness_targets(p))).ok
    p = generate("prefecture-interlocked")
    assert check(p, coverage_first(p, all_fairness_targets(p))).ok
    assert open_places(p, start_roster(p)) <= open_places(p, date_order(p))


def test_restrict_cuts_a_problem_to_its_pools_and_objectives_add_up() -> None:
    lawyers = [lawyer(1), lawyer(2, offices={1, 2}), lawyer(3, offices={3})]
    duties = [duty(1, 0), duty(2, 7, office_id=2), duty(3, 0, office_id=3)]
    p = problem(lawyers, duties, [office(1), office(2), office(3)])
    found = pools(p)
    assert [pool.office_ids for pool in found] == [(1, 2), (3,)]
    assert pools_of(p, [3]) == (found[1],)
    roster = {1: (1,), 2: (2,), 3: (3,)}
    whole = sum(term_values(p, roster).values())
    parts = [restrict(p, pool) for pool in found]
    assert [len(part.duties) for part in parts] == [2, 1]
    assert whole == sum(sum(term_values(part, roster).values()) for part in parts)


@pytest.fixture
def everything_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send every pool to the large-neighbourhood search, however small."""
    monkeypatch.setattr(search, "LARGE_POOL_PAIRS", 0)


@pytest.mark.usefixtures("everything_is_large")
def test_the_neighbourhood_search_is_repeatable_with_a_fixed_number_of_neighbourhoods() -> None:
    p = sample_region(7, offices=4, lawyers=24, weeks=13, leader_days=8)
    params = SolveParams(time_limit_s=60, workers=2, seed=5, neighbourhoods=12)
    first = solve(p, params)
    second = solve(p, params)
    assert first.assignments == second.assignments
    assert check(p, first.assignments).objective == first.report.objective


@pytest.mark.usefixtures("everything_is_large")
def test_the_neighbourhood_search_improves_the_start_and_reports_progress() -> None:
    p = sample_region(8, offices=4, lawyers=24, weeks=13, leader_days=8)
    start = check(p, start_roster(p)).objective
    steps: list[Progress] = []
    solution = solve(p, SolveParams(time_limit_s=4, workers=2), steps.append)
    seen = [step.objective for step in steps]
    checked = check(p, solution.assignments)
    assert checked.ok and checked.objective == solution.report.objective <= start
    assert solution.report.status == "feasible"
    assert seen and seen == sorted(seen, reverse=True) and seen[-1] == solution.report.objective
    assert solution.report.open_places == open_places(p, solution.assignments) == steps[-1].open_places


def test_progress_counts_open_places_for_whole_pool_searches_too() -> None:
    p = sample_region(2, offices=3, lawyers=12, weeks=13, leader_days=8)
    steps: list[Progress] = []
    solution = solve(p, SolveParams(time_limit_s=20), steps.append)
    assert steps and all(step.open_places is not None for step in steps)
    assert steps[-1].open_places == solution.report.open_places == open_places(p, solution.assignments)


def test_the_report_shows_the_spread_among_equally_eligible_lawyers_and_the_sum_of_squares() -> None:
    # Two identical lawyers, six weekly duties: 3 and 3 is the only fair roster.
    p = problem(
        [lawyer(1), lawyer(2)],
        [duty(i, 7 * i) for i in range(6)],
        weights=dataclasses.replace(only(), uncovered=1000, fairness=1),
    )
    (pool,) = solve_and_check(p).report.fairness
    assert (pool.spread, pool.group_most, pool.group_fewest, pool.sum_squares) == (0, 3, 3, 18)


def test_a_repair_counts_only_the_places_left_open_so_it_is_proven_without_the_large_pool_search() -> None:
    # Forty lawyers, sixty duties: all but one duty fully held by fixed pairs (a repair's step one).
    lawyers = [lawyer(i, max_per_month=31) for i in range(1, 41)]
    duties = [duty(i, i) for i in range(1, 61)]
    everything = search._size(problem(lawyers, duties))
    held = {(d.id, 1 + d.id % 40) for d in duties if d.id != 60}
    repair = problem(lawyers, duties, fixed=held)
    assert everything > search.QUICK_POOL_PAIRS >= search._size(repair) == 1 + 40
    solved = solve_and_check(repair, workers=1, seed=0)
    assert solved.report.status == "optimal" and solved.report.open_places == 0
