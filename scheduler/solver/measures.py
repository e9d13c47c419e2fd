"""Measures of a roster that the solver does not optimise, to judge it independently.

The sum of squared duties per lawyer, and the spread (most minus fewest duties) among lawyers
with the same eligibility and the same history. Both are reported per pool (`PoolFairness`) and
printed by bench/solver.py, so that a fault the objective hides still shows.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Mapping, Sequence

from scheduler.core.problem import Duty, Lawyer, Problem, by_staff_office, own_duties, serves
from scheduler.solver import objective as obj
from scheduler.solver.pools import Pool
from scheduler.solver.report import PoolFairness


def eligible_ignoring_dates(lawyer: Lawyer, duty: Duty) -> bool:
    """Whether the lawyer meets the duty's office and requirements, availability and status aside."""
    return (
        serves(lawyer, duty)
        and lawyer.years_in_practice(duty.date) >= duty.min_years
        and (duty.specialty is None or duty.specialty in lawyer.specialties)
        and (duty.language is None or duty.language in lawyer.languages)
    )


def duty_counts(roster: Mapping[int, Sequence[int]]) -> dict[int, int]:
    """Duties per lawyer in a roster."""
    counts: dict[int, int] = defaultdict(int)
    for team in roster.values():
        for lawyer_id in team:
            counts[lawyer_id] += 1
    return dict(counts)


def pool_fairness(
    problem: Problem, roster: Mapping[int, Sequence[int]], found: Sequence[Pool] | None = None
) -> tuple[PoolFairness, ...]:
    """Per pool, over the lawyers fairness judges: count, min, median, max, sum of squares and spread.

    `found` are the problem's pools when the caller has them already (the review builds them once)."""
    counts = duty_counts(roster)
    codes = {office.id: office.code for office in problem.offices}
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    duties = {duty.id: duty for duty in problem.duties}
    summary = []
    for pool in obj.pools(problem) if found is None else found:
        judged = obj.judged_lawyers(problem, pool)
        served = [counts.get(lawyer_id, 0) for lawyer_id in judged]
        if not served:
            continue
        groups: dict[tuple[frozenset[int], int], list[int]] = defaultdict(list)
        by_office = by_staff_office(duties[duty_id] for duty_id in pool.duty_ids)
        for lawyer_id in judged:
            lawyer = lawyers[lawyer_id]
            own = own_duties(lawyer, by_office)
            open_to = frozenset(d.id for d in own if eligible_ignoring_dates(lawyer, d))
            groups[open_to, lawyer.history_duties].append(counts.get(lawyer_id, 0))
        widest = max(groups.values(), key=lambda group: (max(group) - min(group), len(group)))
        label = "+".join(codes.get(office_id, str(office_id)) for office_id in pool.office_ids)
        summary.append(
            PoolFairness(
                label,
                len(served),
                min(served),
                float(statistics.median(served)),
                max(served),
                sum(c * c for c in served),
                max(widest) - min(widest),
                max(widest),
                min(widest),
            )
        )
    return tuple(summary)


def sum_squares(fairness: Sequence[PoolFairness]) -> int:
    """The sum of squared duties per judged lawyer over all pools."""
    return sum(pool.sum_squares for pool in fairness)


def spread(fairness: Sequence[PoolFairness]) -> int:
    """The largest spread among equally eligible lawyers (same history) over all pools."""
    return max((pool.spread for pool in fairness), default=0)
