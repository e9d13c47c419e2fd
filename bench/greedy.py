"""A simple greedy roster, the baseline the solver must beat in bench/solver.py.

Duties are taken in date order; each open place goes to the eligible lawyer with the fewest
duties so far. Every hard rule is kept (the same ones `scheduler.solver.check` verifies), but
no soft goal is looked at: no weekday wishes, languages, firms, seniority or history. The
algorithm lives in `scheduler.solver.greedy.date_order`, so that the solver's starting roster can
be held to never leave more places open than it.
"""

from __future__ import annotations

from scheduler.core.problem import Problem
from scheduler.solver.greedy import date_order


def greedy(problem: Problem) -> dict[int, tuple[int, ...]]:
    """A roster (every duty id -> lawyer ids) that keeps all hard rules, found greedily.

    Fixed assignments are placed first, as they are; a place no lawyer can take stays open.
    """
    return date_order(problem)
