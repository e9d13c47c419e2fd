"""Repairing a roster after a lawyer is removed, suspended or becomes unavailable: as few changes as possible.

Pure domain logic on plain values (no ORM). First minimise the number of changed assignments, then
the usual objective:
1. Vacate every assignment on or after `from_date` whose lawyer may no longer serve it.
2. Try to refill only the vacated places with everyone else fixed: when that works, the number of
   changes equals the number of vacated places, the least possible.
3. Otherwise solve again with the other assignments free but each one moved costing a large
   stability weight, so the solver moves people only to fill a place that could not be filled
   otherwise. Assignments before `from_date` (and before today) never move.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from scheduler.changes.apply import Assignments, Change, diff
from scheduler.core.problem import Problem
from scheduler.solver import SolveParams, Unstaffed, solve
from scheduler.solver.objective import can_serve
from scheduler.solver.pools import pools_of, restrict

# A moved assignment costs this much in step 3: more than any wish of one lawyer, less than a
# place left open (Weights.uncovered), so people move only to fill a place.
REPAIR_STABILITY = 1_000


@dataclass(frozen=True)
class RepairPlan:
    vacated: tuple[tuple[int, int], ...]  # (duty id, lawyer id) pairs that had to go
    changes: tuple[Change, ...]
    assignments: dict[int, tuple[int, ...]]
    unfilled: tuple[Unstaffed, ...]  # vacated places nobody could take, with the reasons
    moved_others: bool  # step 3 was needed: assignments besides the vacated ones changed

    @property
    def changed(self) -> int:
        return sum(len(c.add) for c in self.changes)


def vacated_pairs(problem: Problem, current: Assignments, from_date: dt.date) -> list[tuple[int, int]]:
    """Assignments on or after `from_date` whose lawyer can no longer serve that duty."""
    lawyers = {lw.id: lw for lw in problem.lawyers}
    out = []
    for duty in problem.duties:
        if duty.date < from_date:
            continue
        for lawyer_id in current.get(duty.id, ()):
            if not can_serve(lawyers[lawyer_id], duty):
                out.append((duty.id, lawyer_id))
    return out


def plan_repair(
    problem: Problem,
    current: Assignments,
    from_date: dt.date,
    today: dt.date,
    params: SolveParams | None = None,
) -> RepairPlan:
    """The smallest change to `current` that refills every place its lawyer can no longer serve."""
    params = params or SolveParams(time_limit_s=10.0)
    start = max(from_date, today)
    vacated = vacated_pairs(problem, current, start)
    gone = set(vacated)
    kept = {d: tuple(lw for lw in ls if (d, lw) not in gone) for d, ls in current.items()}
    if not vacated:
        return RepairPlan((), (), {d: tuple(ls) for d, ls in current.items()}, (), False)
    # Pools share no lawyer: only those holding a vacated place can change, so only they are solved.
    problem = _affected_pools(problem, {d for d, _ in vacated})
    # Each duty keeps the number of lawyers it had: a repair refills, it does not staff more.
    places = {d: len(ls) for d, ls in current.items()}
    duties = tuple(
        dataclasses.replace(duty, needed=places[duty.id]) for duty in problem.duties if places.get(duty.id, 0) > 0
    )
    in_problem = {duty.id for duty in duties}
    kept_pairs = frozenset((d, lw) for d, ls in kept.items() if d in in_problem for lw in ls)
    local = dataclasses.replace(problem, duties=duties, fixed=kept_pairs, previous=frozenset())
    first = solve(local, params)
    filled = first.report.status in ("optimal", "feasible")
    if filled and not _open_vacated(first.report.unstaffed, gone):
        return _plan(vacated, current, first.assignments, first.report.unstaffed, moved=False)
    dates = {duty.id: duty.date for duty in problem.duties}
    early = frozenset((d, lw) for (d, lw) in kept_pairs if dates[d] < start)
    weights = dataclasses.replace(problem.weights, stability=REPAIR_STABILITY)
    wide = dataclasses.replace(problem, duties=duties, fixed=early, previous=kept_pairs, weights=weights)
    second = solve(wide, params)
    if second.report.status not in ("optimal", "feasible"):
        # Keep what step 1 found (or the roster without the vacated pairs): never lose a place held.
        best = first.assignments if filled else kept
        return _plan(vacated, current, best, first.report.unstaffed, moved=False)
    return _plan(vacated, current, second.assignments, second.report.unstaffed, moved=True)


def _affected_pools(problem: Problem, duty_ids: set[int]) -> Problem:
    return restrict(problem, pools_of(problem, duty_ids))


def _open_vacated(unstaffed: tuple[Unstaffed, ...], gone: set[tuple[int, int]]) -> bool:
    vacated_duties = {d for d, _ in gone}
    return any(u.duty_id in vacated_duties for u in unstaffed)


def _plan(
    vacated: list[tuple[int, int]],
    current: Assignments,
    new: Assignments,
    unstaffed: tuple[Unstaffed, ...],
    moved: bool,
) -> RepairPlan:
    vacated_duties = {d for d, _ in vacated}
    merged = {d: tuple(sorted(ls)) for d, ls in current.items()}
    merged.update({d: tuple(sorted(ls)) for d, ls in new.items()})
    changes = tuple(diff(current, merged))
    open_places = tuple(u for u in unstaffed if u.duty_id in vacated_duties)
    return RepairPlan(tuple(vacated), changes, merged, open_places, moved and len(changes) > len(vacated_duties))
