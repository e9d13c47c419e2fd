"""Hotline duties in the solver: a share of a window day in fairness, served from several offices."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scheduler.core.problem import HOTLINE, Duty, Problem
from scheduler.solver import Solution, check
from scheduler.solver.format_writing import problem_to_json
from scheduler.solver.greedy import coverage_first, date_order
from scheduler.solver.objective import FAIRNESS_SCALE, all_fairness_targets, can_serve, load_units
from scheduler.solver.pools import pools
from scheduler.solver.problem_format import problem_from_json
from tests.builders import duty, lawyer, office, only, problem, solve_and_check
from tests.unit.solver.test_solver_properties import SETTINGS, all_rosters, problems


def hotline(id: int, when: int, share: int = 5) -> Duty:
    """A 9:00-17:00 hotline day at office 1 that only a lawyer with the "consult" specialty may answer."""
    return duty(id, when, kind=HOTLINE, start=dt.time(9), end=dt.time(17), share=share, specialty="consult")


def busy_problem(share: int) -> Problem:
    """Lawyer 1 alone may answer four hotline days; six window days are open to both lawyers."""
    duties = [hotline(i, i, share) for i in range(1, 5)] + [duty(10 + i, 4 + i) for i in range(6)]
    lawyers = [lawyer(1, specialties={"consult"}, max_per_month=20), lawyer(2, max_per_month=20)]
    return problem(lawyers, duties, weights=only(uncovered=10_000, fairness=10), min_gap_days=0)


def windows_of(solution: Solution, lawyer_id: int) -> int:
    return sum(1 for d, team in solution.assignments.items() if d >= 10 and lawyer_id in team)


@pytest.mark.parametrize(("share", "windows"), [(5, 2), (10, 1)])
def test_a_lawyer_with_hotline_days_gets_fewer_window_days_by_the_hotline_share(share: int, windows: int) -> None:
    solution = solve_and_check(busy_problem(share))
    assert solution.report.status == "optimal"
    assert all(1 in solution.assignments[d] for d in range(1, 5))
    # Four hotline days at half a window day each are two window days' work: 2 windows against 4.
    assert windows_of(solution, 1) == windows
    assert windows_of(solution, 2) == 6 - windows


def test_the_fair_share_counts_each_place_by_its_share() -> None:
    targets = all_fairness_targets(busy_problem(5))
    # 6 window places x 10 + 4 hotline places x 5 = 80 tenths, split between two equally available lawyers.
    assert targets == {1: 40, 2: 40}


def test_fairness_units_are_convex_in_the_load_so_the_chords_are_exact() -> None:
    for target in range(0, 120):
        units = [load_units(load, target) for load in range(0, 200)]
        assert all(units[i + 1] - 2 * units[i] + units[i - 1] >= 0 for i in range(1, 199))
    assert load_units(5 * FAIRNESS_SCALE, 0) == 250


def test_a_hotline_served_from_two_offices_links_their_pools_and_their_lawyers_may_answer_it() -> None:
    duties = [
        duty(1, 0),
        duty(2, 1, office_id=2),
        duty(3, 2, office_id=1, kind=HOTLINE, share=5, served_from=frozenset({1, 2})),
    ]
    lawyers = [lawyer(1, offices={1}), lawyer(2, offices={2})]
    separate = problem(lawyers, duties[:2])
    assert len(pools(separate)) == 2
    linked = problem(lawyers, duties, offices=[office(1), office(2)], min_gap_days=0)
    assert len(pools(linked)) == 1
    solution = solve_and_check(linked)
    assert solution.report.status == "optimal"
    assert len(solution.assignments[3]) == 1
    # The lawyer of office 2 may answer it: the checker accepts them on it.
    assert check(linked, {1: (1,), 2: (2,), 3: (2,)}).ok
    outsider = problem([*lawyers, lawyer(3, offices={3})], duties, offices=[office(1), office(2), office(3)])
    faults = check(outsider, {1: (1,), 2: (2,), 3: (3,)}).violations
    assert [v.rule for v in faults] == ["office"]


def test_the_greedy_starts_staff_a_remote_hotline() -> None:
    p = problem(
        [lawyer(1, offices={1}), lawyer(2, offices={2})],
        [duty(1, 0, office_id=1, kind=HOTLINE, share=5, served_from=frozenset({1, 2})), duty(2, 0, office_id=2)],
        offices=[office(1), office(2)],
    )
    for roster in (date_order(p), coverage_first(p, all_fairness_targets(p))):
        assert check(p, roster).ok
        assert len(roster[1]) == 1 and len(roster[2]) == 1


def test_problem_files_carry_the_share_and_the_offices_and_old_files_still_load() -> None:
    p = problem(
        [lawyer(1, offices={1})],
        [duty(1, 0, kind=HOTLINE, share=5, served_from=frozenset({1, 2})), duty(2, 1)],
        offices=[office(1), office(2)],
    )
    doc = problem_to_json(p)
    window = next(d for d in doc["duties"] if d["id"] == 2)
    assert "share" not in window and "served_from" not in window
    assert problem_from_json(json.loads(json.dumps(doc))) == p
    hotline_doc = next(d for d in doc["duties"] if d["id"] == 1)
    del hotline_doc["share"], hotline_doc["served_from"]
    old = problem_from_json(doc)
    assert old.duties[0].share == FAIRNESS_SCALE and old.duties[0].served_from == frozenset()


@st.composite
def hotline_problems(draw: st.DrawFn, max_lawyers: int, max_duties: int) -> Problem:
    """The random problems of the property tests, some duties made hotline days: a fraction of a
    window day in fairness (3, 5 or 7 tenths) and maybe served from every office."""
    p = draw(problems(max_lawyers=max_lawyers, max_duties=max_duties))
    office_ids = frozenset(o.id for o in p.offices)
    duties = []
    for d in p.duties:
        if draw(st.booleans()):
            share = draw(st.sampled_from([3, 5, 7]))
            served = draw(st.sampled_from([frozenset(), office_ids]))
            d = dataclasses.replace(d, kind=HOTLINE, share=share, served_from=served)
        duties.append(d)
    pairs = {(d.id, x.id) for d in duties for x in p.lawyers if can_serve(x, d)}
    return dataclasses.replace(p, duties=tuple(duties), fixed=frozenset(p.fixed & pairs))


@SETTINGS
@given(hotline_problems(max_lawyers=4, max_duties=4))
def test_with_hotline_days_the_solver_still_finds_the_brute_force_optimum(p: Problem) -> None:
    valid = [result.objective for roster in all_rosters(p) if (result := check(p, roster)).ok]
    report = solve_and_check(p).report
    if not valid:
        assert report.status == "infeasible"
    else:
        assert report.status == "optimal"
        assert report.objective == min(valid)


@SETTINGS
@given(hotline_problems(max_lawyers=6, max_duties=8))
def test_with_hotline_days_no_single_move_improves_a_proven_optimum(p: Problem) -> None:
    solution = solve_and_check(p)
    if solution.report.status != "optimal":
        return
    result = check(p, solution.assignments, moves=True)
    assert result.ok and result.best_move is None
