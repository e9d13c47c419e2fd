"""Ranked suggestions: who could take a duty, and with whom a lawyer could swap.

Every suggestion is feasible (the independent checker finds no new broken rule) and ranked by its
effect on the objective. Only the duty's pool (offices linked by shared lawyers) is checked:
pools share no lawyer, so the rest of the roster cannot change the verdict.
"""

from __future__ import annotations

import dataclasses
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.changes import Assignments, Change, apply_changes
from scheduler.problem import Problem
from scheduler.solver import CheckResult, check
from scheduler.solver.objective import can_serve, pools


@dataclass(frozen=True)
class Suggestion:
    """A feasible change and what it does to the objective (negative is better)."""

    changes: tuple[Change, ...]
    lawyer_id: int  # who takes the duty
    partner_duty_id: int | None  # for a swap: the duty the first lawyer takes in return
    delta: int
    terms_delta: dict[str, int]
    reason: str


def _pool_problem(problem: Problem, duty_id: int) -> Problem:
    pool = next(p for p in pools(problem) if duty_id in p.duty_ids)
    offices, lawyers, duties = set(pool.office_ids), set(pool.lawyer_ids), set(pool.duty_ids)
    return dataclasses.replace(
        problem,
        offices=tuple(o for o in problem.offices if o.id in offices),
        lawyers=tuple(lw for lw in problem.lawyers if lw.id in lawyers),
        duties=tuple(d for d in problem.duties if d.id in duties),
        fixed=frozenset(p for p in problem.fixed if p[0] in duties),
        previous=frozenset(p for p in problem.previous if p[0] in duties),
    )


def _keys(result: CheckResult) -> set[tuple[str, int | None, int | None]]:
    return {(v.rule, v.duty_id, v.lawyer_id) for v in result.violations}


class _Judge:
    """Checks candidate rosters of one pool against the roster as it is."""

    def __init__(self, problem: Problem, assignments: Assignments) -> None:
        self.problem = problem
        duties = {d.id for d in problem.duties}
        self.assignments = {d: tuple(ls) for d, ls in assignments.items() if d in duties}
        self.before = check(problem, self.assignments)
        self.known = _keys(self.before)
        counts: Counter[int] = Counter(lw for ls in self.assignments.values() for lw in ls)
        self.counts = counts
        self.average = statistics.mean(counts.get(lw.id, 0) for lw in problem.lawyers) if problem.lawyers else 0.0

    def judge(self, changes: list[Change]) -> tuple[int, dict[str, int]] | None:
        after = check(self.problem, apply_changes(self.assignments, changes))
        if _keys(after) - self.known:
            return None
        delta = {k: after.terms.get(k, 0) - self.before.terms.get(k, 0) for k in after.terms}
        return after.objective - self.before.objective, {k: v for k, v in delta.items() if v}

    def reason(self, lawyer_id: int) -> str:
        return f"{self.counts.get(lawyer_id, 0)} duties this period, pool average {self.average:.1f}"


def suggest_cover(
    problem: Problem, assignments: Assignments, duty_id: int, lawyer_out: int | None, limit: int = 10
) -> list[Suggestion]:
    """Lawyers who could take `lawyer_out`'s place on the duty (or an open place), best first."""
    sub = _pool_problem(problem, duty_id)
    judge = _Judge(sub, assignments)
    duty = next(d for d in sub.duties if d.id == duty_id)
    on_duty = set(judge.assignments.get(duty_id, ()))
    found = []
    for lawyer in sub.lawyers:
        if lawyer.id in on_duty or not can_serve(lawyer, duty):
            continue
        changes = [Change(duty_id, (lawyer_out,) if lawyer_out is not None else (), (lawyer.id,))]
        verdict = judge.judge(changes)
        if verdict is not None:
            found.append(Suggestion(tuple(changes), lawyer.id, None, verdict[0], verdict[1], judge.reason(lawyer.id)))
    return sorted(found, key=lambda s: (s.delta, s.lawyer_id))[:limit]


def suggest_swaps(
    problem: Problem, assignments: Assignments, duty_id: int, lawyer_id: int, limit: int = 10
) -> list[Suggestion]:
    """Colleagues with whom `lawyer_id` could exchange the duty, and the duty they would give, best first."""
    sub = _pool_problem(problem, duty_id)
    judge = _Judge(sub, assignments)
    duties = {d.id: d for d in sub.duties}
    lawyers = {lw.id: lw for lw in sub.lawyers}
    mine = duties[duty_id]
    me = lawyers[lawyer_id]
    found = []
    for other_duty, team in _held(judge.assignments, duty_id):
        theirs = duties[other_duty]
        if lawyer_id in team or not can_serve(me, theirs):
            continue
        for partner in team:
            if partner in judge.assignments.get(duty_id, ()) or not can_serve(lawyers[partner], mine):
                continue
            changes = [Change(duty_id, (lawyer_id,), (partner,)), Change(other_duty, (partner,), (lawyer_id,))]
            verdict = judge.judge(changes)
            if verdict is not None:
                found.append(
                    Suggestion(tuple(changes), partner, other_duty, verdict[0], verdict[1], judge.reason(partner))
                )
    return sorted(found, key=lambda s: (s.delta, s.lawyer_id, s.partner_duty_id or 0))[:limit]


def _held(assignments: Assignments, skip: int) -> Iterable[tuple[int, tuple[int, ...]]]:
    return ((d, tuple(ls)) for d, ls in sorted(assignments.items()) if d != skip and ls)
