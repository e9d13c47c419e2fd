"""Staffing places in a published roster with the fewest changes: a new duty, a moved one, a window added
after a calendar change. The counterpart of scheduler.changes.repair (which refills places whose lawyer
may no longer serve) for places that are new or emptied on purpose.

Pure logic on plain values. First every other assignment stays fixed and only the target places are
solved; only when some target place cannot be filled that way are the others freed, each move costing
a large stability weight, so people move only to fill a place that could not be filled otherwise.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.changes.apply import Change, diff
from scheduler.changes.repair import REPAIR_STABILITY
from scheduler.core.problem import Problem
from scheduler.solver import SolveParams, Unstaffed, solve
from scheduler.solver.objective import can_serve, pools


@dataclass(frozen=True)
class StaffingPlan:
    """The changes that staff the target places, and the places nobody could take."""

    changes: tuple[Change, ...]
    assignments: dict[int, tuple[int, ...]]
    unfilled: tuple[Unstaffed, ...]
    moved_others: bool  # assignments outside the target duties had to change

    @property
    def changed(self) -> int:
        return sum(len(c.add) + len(c.remove) for c in self.changes)


def repair_context(
    problem: Problem, current: Mapping[int, Sequence[int]], cut: dt.date
) -> tuple[Problem, dict[int, tuple[int, ...]]]:
    """`problem` as a change sees it from `cut` on: the duties before the cut are history, never changed, and
    only those the rules still count stay, as fixed context: the cut's month (the monthly limit) and the gap
    before it (two duties too close). Older duties are dropped.

    Without them a repair from the 20th could give a lawyer a third duty in a month or a duty two days after
    one already served, which the check at acceptance then refuses. A context duty keeps only its lawyers who
    may still serve it: a removal dated before a duty the lawyer already served (removed from 11-20, served on
    11-24, repaired on 11-28) would make that served duty break the removal and the whole repair infeasible.
    Its places are that many, so a change never touches it. Returns the problem and the roster to change.
    """
    start = min(cut.replace(day=1), cut - dt.timedelta(days=problem.min_gap_days))
    lawyers = {lw.id: lw for lw in problem.lawyers}
    duties, fixed = [], set()
    roster = {d: tuple(ls) for d, ls in current.items()}
    for duty in problem.duties:
        if duty.date >= cut:
            duties.append(duty)
        elif duty.date >= start:
            team = tuple(lw for lw in current.get(duty.id, ()) if lw in lawyers and can_serve(lawyers[lw], duty))
            roster[duty.id] = team
            if team:
                duties.append(dataclasses.replace(duty, needed=len(team)))
                fixed |= {(duty.id, lw) for lw in team}
    kept = {d.id for d in duties if d.date >= cut}
    cut_problem = dataclasses.replace(
        problem,
        duties=tuple(duties),
        # Before the cut, exactly the context pairs (a pinned pair of a lawyer who may no longer serve is history).
        fixed=frozenset(p for p in problem.fixed if p[0] in kept) | frozenset(fixed),
        previous=frozenset(p for p in problem.previous if p[0] in kept or p in fixed),
    )
    return cut_problem, roster


def plan_staffing(
    problem: Problem,
    current: Mapping[int, Sequence[int]],
    targets: Mapping[int, Sequence[int]],
    today: dt.date,
    params: SolveParams | None = None,
) -> StaffingPlan:
    """Staff every target duty (id -> lawyers it keeps) up to its `needed`, changing as little else as possible.

    `current` is the published roster; a target's lawyers not in `targets` leave it (a moved duty
    keeps only those still free). Duties before `today` never change; those of this month and of the gap
    before today stay in the problem as fixed context (see `repair_context`), so the rules still count them.
    """
    params = params or SolveParams(time_limit_s=10.0)
    cut, base = repair_context(problem, current, today)
    start = {**base, **{d: tuple(ls) for d, ls in targets.items()}}
    problem = _pools_of(cut, set(targets))
    context = frozenset(p for p in problem.fixed if p[0] not in targets)
    needed = {d.id: d.needed for d in problem.duties}
    # Every other duty keeps the number of lawyers it has: this staffs the targets, it does not restaff.
    places = {d: (needed.get(d, 0) if d in targets else len(ls)) for d, ls in start.items()}
    for duty_id in targets:
        places[duty_id] = needed.get(duty_id, 0)
    duties = tuple(
        dataclasses.replace(duty, needed=places[duty.id]) for duty in problem.duties if places.get(duty.id, 0) > 0
    )
    in_problem = {duty.id for duty in duties}
    held = frozenset((d, lw) for d, ls in start.items() if d in in_problem for lw in ls)
    local = dataclasses.replace(problem, duties=duties, fixed=held, previous=frozenset())
    first = solve(local, params)
    filled = first.report.status in ("optimal", "feasible")
    if filled and not any(u.duty_id in targets for u in first.report.unstaffed):
        return _plan(base, start, first.assignments, first.report.unstaffed, set(targets))
    weights = dataclasses.replace(problem.weights, stability=REPAIR_STABILITY)
    # Everything may move at a cost, but the context before today: that was served.
    wide = dataclasses.replace(problem, duties=duties, fixed=context, previous=held, weights=weights)
    second = solve(wide, params)
    if second.report.status not in ("optimal", "feasible"):
        best = first.assignments if filled else {}
        return _plan(base, start, best, first.report.unstaffed, set(targets))
    return _plan(base, start, second.assignments, second.report.unstaffed, set(targets))


def _pools_of(problem: Problem, duty_ids: set[int]) -> Problem:
    # Pools share no lawyer: only the pools holding a target duty can change, so only they are solved.
    offices: set[int] = set()
    lawyers: set[int] = set()
    duties: set[int] = set()
    for pool in pools(problem):
        if duty_ids & set(pool.duty_ids):
            offices.update(pool.office_ids)
            lawyers.update(pool.lawyer_ids)
            duties.update(pool.duty_ids)
    return dataclasses.replace(
        problem,
        offices=tuple(o for o in problem.offices if o.id in offices),
        lawyers=tuple(lw for lw in problem.lawyers if lw.id in lawyers),
        duties=tuple(d for d in problem.duties if d.id in duties),
        fixed=frozenset(p for p in problem.fixed if p[0] in duties),
        previous=frozenset(p for p in problem.previous if p[0] in duties),
    )


def _plan(
    current: Mapping[int, Sequence[int]],
    start: Mapping[int, Sequence[int]],
    new: Mapping[int, Sequence[int]],
    unstaffed: tuple[Unstaffed, ...],
    targets: set[int],
) -> StaffingPlan:
    merged = {d: tuple(sorted(ls)) for d, ls in start.items()}
    merged.update({d: tuple(sorted(ls)) for d, ls in new.items() if ls or d in merged})
    changes = tuple(diff(current, merged))
    moved = any(c.duty_id not in targets for c in changes)
    return StaffingPlan(changes, merged, tuple(u for u in unstaffed if u.duty_id in targets), moved)
