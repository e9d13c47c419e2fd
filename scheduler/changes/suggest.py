"""Ranked suggestions: who could take a duty, and with whom a lawyer could swap.

Every suggestion is feasible (the independent checker finds no new broken rule) and ranked by its
effect on the objective. Only the duty's pool (offices linked by shared lawyers) is checked:
pools share no lawyer, so the rest of the roster cannot change the verdict.
"""

from __future__ import annotations

import itertools
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.changes.apply import Assignments, Change, apply_changes
from scheduler.core.names import pinyin_key
from scheduler.core.problem import Problem
from scheduler.solver.objective import TERMS, Scorer, can_serve, month
from scheduler.solver.pools import pools_of, restrict


@dataclass(frozen=True)
class Suggestion:
    """A feasible change and what it does to the objective (negative is better)."""

    changes: tuple[Change, ...]
    lawyer_id: int  # who takes the duty
    partner_duty_id: int | None  # for a swap: the duty the first lawyer takes in return
    delta: int
    terms_delta: dict[str, int]
    duties: int  # the taker's duties in the period now
    pool_average: float  # duties per lawyer in the duty's pool

    @property
    def reason(self) -> str:
        """The figures in words (English; the web pages word them in the reader's language)."""
        return f"{self.duties} duties this period, pool average {self.pool_average:.1f}"


def _pool_problem(problem: Problem, duty_id: int) -> Problem:
    return restrict(problem, pools_of(problem, [duty_id]))


class _Judge:
    """Judges candidate changes of one pool by what they touch: the changed duties and lawyers.

    Every soft term is a sum of parts per duty and per lawyer (`objective.Scorer`; fairness targets are
    fixed per pool, and the convex fairness of a lawyer depends on their own count only), so the
    objective's change is the change of those parts alone; the hard rules a change can newly break are
    the touched lawyers' day, gap and monthly rules and the fixed pairs. tests/unit/test_repair_and_suggest.py
    compares both with the full independent checker. This keeps a suggestion list within milliseconds.
    """

    def __init__(self, problem: Problem, assignments: Assignments) -> None:
        self.problem = problem
        self.scorer = Scorer(problem)
        self.duties = self.scorer.duties
        self.lawyers = self.scorer.lawyers
        self.assignments = {d: tuple(ls) for d, ls in assignments.items() if d in self.duties}
        self.by_lawyer: dict[int, set[int]] = defaultdict(set)
        for duty_id, team in self.assignments.items():
            for lawyer_id in team:
                self.by_lawyer[lawyer_id].add(duty_id)
        counts: Counter[int] = Counter({lw: len(ds) for lw, ds in self.by_lawyer.items()})
        self.counts = counts
        self.average = statistics.mean(counts.get(lw.id, 0) for lw in problem.lawyers) if problem.lawyers else 0.0

    def _duty_units(self, duty_id: int, team: Iterable[int]) -> Counter[str]:
        return Counter(self.scorer.duty_units(duty_id, team))

    def _lawyer_units(self, lawyer_id: int, duty_ids: set[int]) -> Counter[str]:
        return Counter(self.scorer.lawyer_units(lawyer_id, duty_ids))

    def _breaks(self, lawyer_id: int, duty_ids: set[int], added: set[int]) -> bool:
        lawyer = self.lawyers[lawyer_id]
        if any(not can_serve(lawyer, self.duties[d]) for d in added):
            return True
        dates = sorted(self.duties[d].date for d in duty_ids)
        if len(set(dates)) < len(dates):
            return True
        if any((b - a).days < self.problem.min_gap_days for a, b in itertools.pairwise(dates)):
            return True
        per_month = Counter(month(day) for day in dates)
        return any(n > lawyer.max_per_month for n in per_month.values())

    def judge(self, changes: list[Change]) -> tuple[int, dict[str, int]] | None:
        """(objective change, weighted change per term) of `changes`, or None when they break a hard rule."""
        after = apply_changes(self.assignments, changes)
        touched_duties = {c.duty_id for c in changes}
        touched = {lw for c in changes for lw in (*c.remove, *c.add)}
        new_sets = {}
        for lawyer_id in touched:
            duty_ids = {d for d in self.by_lawyer.get(lawyer_id, set()) if d not in touched_duties}
            duty_ids |= {d for d in touched_duties if lawyer_id in after.get(d, ())}
            added = duty_ids - self.by_lawyer.get(lawyer_id, set())
            if lawyer_id not in self.lawyers or self._breaks(lawyer_id, duty_ids, added):
                return None
            new_sets[lawyer_id] = duty_ids
        for duty_id in touched_duties:
            if len(after.get(duty_id, ())) > self.duties[duty_id].needed:
                return None
            kept = set(after.get(duty_id, ()))
            if any(d == duty_id and lw not in kept for d, lw in self.problem.fixed):
                return None
        delta: Counter[str] = Counter()
        for duty_id in touched_duties:
            delta.update(self._duty_units(duty_id, after.get(duty_id, ())))
            delta.subtract(self._duty_units(duty_id, self.assignments.get(duty_id, ())))
        for lawyer_id, duty_ids in new_sets.items():
            delta.update(self._lawyer_units(lawyer_id, duty_ids))
            delta.subtract(self._lawyer_units(lawyer_id, self.by_lawyer.get(lawyer_id, set())))
        weighted = {name: getattr(self.problem.weights, name) * delta[name] for name in TERMS}
        return sum(weighted.values()), {k: v for k, v in weighted.items() if v}

    def figures(self, lawyer_id: int) -> tuple[int, float]:
        """(the lawyer's duties in the period, the pool's average), for the suggestion's reason."""
        return self.counts.get(lawyer_id, 0), round(self.average, 1)


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
            found.append(Suggestion(tuple(changes), lawyer.id, None, verdict[0], verdict[1], *judge.figures(lawyer.id)))
    names = {lw.id: lw.name for lw in sub.lawyers}  # equal suggestions in pinyin order of the lawyer's name
    return sorted(found, key=lambda s: (s.delta, pinyin_key(names[s.lawyer_id]), s.lawyer_id))[:limit]


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
                    Suggestion(tuple(changes), partner, other_duty, verdict[0], verdict[1], *judge.figures(partner))
                )
    rank = lambda s: (s.delta, pinyin_key(lawyers[s.lawyer_id].name), s.lawyer_id, s.partner_duty_id or 0)  # noqa: E731
    return sorted(found, key=rank)[:limit]


def _held(assignments: Assignments, skip: int) -> Iterable[tuple[int, tuple[int, ...]]]:
    return ((d, tuple(ls)) for d, ls in sorted(assignments.items()) if d != skip and ls)
