"""A simple greedy roster, the baseline the solver must beat in bench/solver.py.

Duties are taken in date order; each open place goes to the eligible lawyer with the fewest
duties so far. Every hard rule is kept (the same ones `scheduler.solver.check` verifies), but
no soft goal is looked at: no weekday wishes, languages, firms, seniority or history.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from scheduler.core.problem import Duty, Lawyer, Problem
from scheduler.solver.objective import can_serve, month


def greedy(problem: Problem) -> dict[int, tuple[int, ...]]:
    """A roster (every duty id -> lawyer ids) that keeps all hard rules, found greedily.

    Fixed assignments are placed first, as they are; a place no lawyer can take stays open.
    """
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    by_office: dict[int, list[Lawyer]] = defaultdict(list)
    for lawyer in problem.lawyers:
        for office_id in lawyer.offices:
            by_office[office_id].append(lawyer)
    roster: dict[int, list[int]] = {duty.id: [] for duty in problem.duties}
    dates: dict[int, list[dt.date]] = defaultdict(list)
    per_month: Counter[tuple[int, tuple[int, int]]] = Counter()
    duties = {duty.id: duty for duty in problem.duties}

    def assign(duty: Duty, lawyer_id: int) -> None:
        roster[duty.id].append(lawyer_id)
        dates[lawyer_id].append(duty.date)
        per_month[lawyer_id, month(duty.date)] += 1

    for duty_id, lawyer_id in sorted(problem.fixed):
        if duty_id in duties and lawyer_id in lawyers:
            assign(duties[duty_id], lawyer_id)

    def free(lawyer: Lawyer, duty: Duty) -> bool:
        return (
            lawyer.id not in roster[duty.id]
            and can_serve(lawyer, duty)
            and per_month[lawyer.id, month(duty.date)] < lawyer.max_per_month
            and all(abs((duty.date - day).days) >= max(1, problem.min_gap_days) for day in dates[lawyer.id])
        )

    for duty in sorted(problem.duties, key=lambda d: (d.date, d.start, d.id)):
        while len(roster[duty.id]) < duty.needed:
            candidates = [lawyer for lawyer in by_office[duty.office_id] if free(lawyer, duty)]
            if not candidates:
                break
            # Ties go to the lawyer with less history, then the lower id, so the result is repeatable.
            chosen = min(candidates, key=lambda lw: (len(dates[lw.id]), lw.history_duties, lw.id))
            assign(duty, chosen.id)
    return {duty_id: tuple(lawyer_ids) for duty_id, lawyer_ids in roster.items()}
