"""Minimal-change repair and ranked suggestions, on plain problems, judged by the independent checker."""

from __future__ import annotations

import dataclasses
import datetime as dt

from scheduler.changes.apply import Change, apply_changes, diff
from scheduler.changes.repair import plan_repair, vacated_pairs
from scheduler.changes.suggest import suggest_cover, suggest_swaps
from scheduler.core.problem import InactivePeriod, Lawyer, Problem
from scheduler.solver import SolveParams, check, solve
from tests.builders import day, duty, lawyer, problem, sample_region

PARAMS = SolveParams(time_limit_s=20, workers=2, seed=3)


def _solved(p: Problem) -> dict[int, tuple[int, ...]]:
    solution = solve(p, PARAMS)
    assert check(p, solution.assignments).violations == ()
    return solution.assignments


def _remove(p: Problem, lawyer_id: int, on: dt.date) -> Problem:
    lawyers = tuple(
        dataclasses.replace(lw, inactive=(InactivePeriod(on, None, "removed", "test"),)) if lw.id == lawyer_id else lw
        for lw in p.lawyers
    )
    return dataclasses.replace(p, lawyers=lawyers)


def test_repair_after_a_removal_changes_exactly_the_vacated_places() -> None:
    p = sample_region(7, offices=3, lawyers=40, weeks=13, leader_days=10)
    roster = _solved(p)
    busy = max(p.lawyers, key=lambda lw: sum(lw.id in ls for ls in roster.values()))
    cut = p.start + dt.timedelta(weeks=4)
    removed = _remove(p, busy.id, cut)
    vacated = vacated_pairs(removed, roster, cut)
    dates = {d.id: d.date for d in p.duties}
    assert vacated and all(dates[d] >= cut and lw == busy.id for d, lw in vacated)

    plan = plan_repair(removed, roster, cut, today=p.start, params=PARAMS)

    assert plan.changed == len(vacated) and not plan.moved_others and plan.unfilled == ()
    assert sorted(c.duty_id for c in plan.changes) == sorted(d for d, _ in vacated)
    assert all(c.remove == (busy.id,) and len(c.add) == 1 for c in plan.changes)
    assert check(removed, plan.assignments).violations == ()
    assert all(plan.assignments[d] == roster[d] for d in roster if dates[d] < cut)


def test_repair_moves_others_only_when_a_place_cannot_be_filled_otherwise() -> None:
    # Lawyer 1 leaves day 0. Lawyer 3 is away that day and lawyer 2, on day 7, is too close under an
    # 8-day gap: the place is filled only by moving lawyer 2 to day 0 and lawyer 3 to day 7.
    lawyers = [lawyer(1), lawyer(2), lawyer(3, unavailable={day(0)})]
    p = problem(lawyers, [duty(1, 0), duty(2, 7)], min_gap_days=8)
    roster = {1: (1,), 2: (2,)}
    removed = _remove(p, 1, day(0))
    plan = plan_repair(removed, roster, day(0), today=day(0), params=PARAMS)
    assert check(removed, plan.assignments).violations == ()
    assert plan.assignments == {1: (2,), 2: (3,)}
    assert plan.moved_others and plan.changed == 2 and plan.unfilled == ()


def test_a_place_nobody_can_take_is_reported_with_its_reason() -> None:
    p = problem([lawyer(1), lawyer(2, unavailable={day(0)})], [duty(1, 0)])
    plan = plan_repair(_remove(p, 1, day(0)), {1: (1,)}, day(0), today=day(0), params=PARAMS)
    assert plan.assignments[1] == ()
    assert [u.duty_id for u in plan.unfilled] == [1]
    assert any("unavailable" in r.text("en") for r in plan.unfilled[0].reasons)


def test_cover_suggestions_are_feasible_and_ranked_by_their_effect() -> None:
    p = sample_region(11, offices=3, lawyers=30, weeks=13, leader_days=8)
    roster = _solved(p)
    duty_id, team = next((d, ls) for d, ls in sorted(roster.items()) if ls)
    found = suggest_cover(p, roster, duty_id, team[0], limit=50)
    assert found
    before = check(p, roster)
    for s in found:
        after = check(p, apply_changes(roster, s.changes))
        assert after.violations == ()
        assert after.objective - before.objective == s.delta
        assert "pool average" in s.reason
    assert [s.delta for s in found] == sorted(s.delta for s in found)
    # Complete too: exactly the lawyers the full checker accepts are suggested.
    accepted = {
        lw.id
        for lw in p.lawyers
        if lw.id not in team
        and not {
            (v.rule, v.duty_id, v.lawyer_id)
            for v in check(p, apply_changes(roster, [_cover(duty_id, team[0], lw.id)])).violations
        }
        - {(v.rule, v.duty_id, v.lawyer_id) for v in before.violations}
    }
    assert {s.lawyer_id for s in suggest_cover(p, roster, duty_id, team[0], limit=1000)} == accepted
    # Nobody suggested is already on the duty or barred from it.
    duty = next(d for d in p.duties if d.id == duty_id)
    assert all(s.lawyer_id not in team and duty.date not in _lawyer(p, s.lawyer_id).unavailable for s in found)


def test_swap_suggestions_exchange_two_duties_without_breaking_a_rule() -> None:
    p = sample_region(5, offices=2, lawyers=24, weeks=8, leader_days=4)
    roster = _solved(p)
    duty_id, team = next((d, ls) for d, ls in sorted(roster.items()) if ls)
    found = suggest_swaps(p, roster, duty_id, team[0], limit=20)
    for s in found:
        new = apply_changes(roster, s.changes)
        assert check(p, new).violations == ()
        assert s.partner_duty_id is not None and team[0] in new[s.partner_duty_id]
        assert len(diff(roster, new)) == 2


def _cover(duty_id: int, out: int, into: int) -> Change:
    return Change(duty_id, (out,), (into,))


def _lawyer(p: Problem, lawyer_id: int) -> Lawyer:
    return next(lw for lw in p.lawyers if lw.id == lawyer_id)
