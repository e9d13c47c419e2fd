"""Pools: the one place where a problem is split into independent parts and restricted to one.

A pool is a connected component of the graph linking each lawyer to the offices they may serve, and
each duty's office to the offices whose lawyers may serve it (a prefecture hotline served from several
offices links them all into one pool).
Pools share no lawyer and no duty, so each is solved, judged for fairness and checked on its own.
The solver, the repair of a roster and the suggestions all cut problems with `restrict`.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.core.problem import Problem


@dataclass(frozen=True)
class Pool:
    """Offices linked by lawyers who may serve more than one of them, with their lawyers and duties."""

    office_ids: tuple[int, ...]
    lawyer_ids: tuple[int, ...]
    duty_ids: tuple[int, ...]


def pools(problem: Problem) -> tuple[Pool, ...]:
    """Connected components of the lawyer-office graph (by `Lawyer.offices` and `Duty.served_from`), in a stable order.

    Pools share no lawyer and no duty, so each can be solved and judged on its own.
    """
    parent: dict[int, int] = {}

    def find(office: int) -> int:
        parent.setdefault(office, office)
        while parent[office] != office:
            parent[office] = parent[parent[office]]
            office = parent[office]
        return office

    for office in problem.offices:
        find(office.id)
    for duty in problem.duties:
        find(duty.office_id)
        for other in duty.served_from:
            parent[find(other)] = find(duty.office_id)
    for lawyer in problem.lawyers:
        ordered = sorted(lawyer.offices)
        for other in ordered[1:]:
            parent[find(other)] = find(ordered[0])

    offices: dict[int, list[int]] = defaultdict(list)
    lawyers: dict[int, list[int]] = defaultdict(list)
    duties: dict[int, list[int]] = defaultdict(list)
    for office_id in list(parent):
        offices[find(office_id)].append(office_id)
    # A lawyer who may serve no office forms a pool of their own with nothing to do.
    found = [Pool((), (lawyer.id,), ()) for lawyer in problem.lawyers if not lawyer.offices]
    for lawyer in problem.lawyers:
        if lawyer.offices:
            lawyers[find(min(lawyer.offices))].append(lawyer.id)
    for duty in problem.duties:
        duties[find(duty.office_id)].append(duty.id)
    found += [
        Pool(tuple(sorted(ids)), tuple(sorted(lawyers[root])), tuple(sorted(duties[root])))
        for root, ids in offices.items()
    ]
    return tuple(sorted(found, key=lambda p: (p.office_ids, p.lawyer_ids)))


def pools_of(problem: Problem, duty_ids: Iterable[int]) -> tuple[Pool, ...]:
    """The pools holding at least one of `duty_ids`, in the order of `pools`."""
    wanted = set(duty_ids)
    return tuple(pool for pool in pools(problem) if wanted.intersection(pool.duty_ids))


def restrict(problem: Problem, part: Pool | Iterable[Pool]) -> Problem:
    """The problem cut down to one pool (or the union of several): its offices, lawyers, duties and pairs.

    Fixed and previous pairs are kept when their duty is kept. Because pools share no lawyer and no
    duty, the objective of the whole problem is the sum of the objectives of its pools' problems.
    """
    chosen = (part,) if isinstance(part, Pool) else tuple(part)
    offices = {office_id for pool in chosen for office_id in pool.office_ids}
    lawyers = {lawyer_id for pool in chosen for lawyer_id in pool.lawyer_ids}
    duties = {duty_id for pool in chosen for duty_id in pool.duty_ids}
    return dataclasses.replace(
        problem,
        offices=tuple(o for o in problem.offices if o.id in offices),
        lawyers=tuple(lawyer for lawyer in problem.lawyers if lawyer.id in lawyers),
        duties=tuple(d for d in problem.duties if d.id in duties),
        fixed=frozenset(pair for pair in problem.fixed if pair[0] in duties),
        previous=frozenset(pair for pair in problem.previous if pair[0] in duties),
    )
