"""Why a place stayed open: every lawyer checked against the rules, given the final roster.

Candidates are narrowed stage by stage, from rules that hold whatever the roster
(office, status, requirements, availability) to rules about the lawyer's other duties
in this roster (already here, same day, minimum gap, monthly limit). Each stage that
rules someone out becomes a reason with its count; lawyers left at the end could have
taken the place, and are reported as such rather than explained away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from scheduler.core.problem import Duty, Lawyer, Problem, serves
from scheduler.solver.check import pair_faults
from scheduler.solver.objective import month
from scheduler.solver.report import ParamValue, Reason, Unstaffed

# Requirement stages: (reason code, rule of `pair_faults`, parameters taken from the duty).
_REQUIREMENTS: tuple[tuple[str, str, Callable[[Duty], dict[str, ParamValue]]], ...] = (
    ("min_years", "min_years", lambda d: {"years": d.min_years}),
    ("specialty", "specialty", lambda d: {"specialty": d.specialty or ""}),
    ("language", "language", lambda d: {"language": d.language or ""}),
    ("unavailable", "available", lambda d: {}),
)


def explain_unstaffed(problem: Problem, assignments: Mapping[int, Sequence[int]]) -> tuple[Unstaffed, ...]:
    """Every duty with fewer lawyers than it needs in `assignments`, with the reasons found by checking."""
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    duties = {duty.id: duty for duty in problem.duties}
    own: dict[int, list[Duty]] = {}
    for duty_id, lawyer_ids in assignments.items():
        for lawyer_id in dict.fromkeys(lawyer_ids):
            if duty_id in duties and lawyer_id in lawyers:
                own.setdefault(lawyer_id, []).append(duties[duty_id])
    found = []
    for duty in sorted(problem.duties, key=lambda d: d.id):
        missing = duty.needed - len(set(assignments.get(duty.id, ())))
        if missing > 0:
            found.append(Unstaffed(duty.id, missing, _reasons(problem, duty, lawyers.values(), own)))
    return tuple(found)


def _reasons(
    problem: Problem, duty: Duty, everyone: Iterable[Lawyer], own: Mapping[int, list[Duty]]
) -> tuple[Reason, ...]:
    offices = {office.id: office for office in problem.offices}
    office = offices.get(duty.office_id)
    where: dict[str, ParamValue] = {"office": office.name if office else str(duty.office_id)}
    candidates = [lawyer for lawyer in everyone if serves(lawyer, duty)]
    if not candidates:
        return (Reason("no_office_lawyer", tuple(where.items())),)
    reasons: list[Reason] = []

    def narrow(code: str, rules_out: Callable[[Lawyer], bool], **params: ParamValue) -> None:
        nonlocal candidates
        kept = [lawyer for lawyer in candidates if not rules_out(lawyer)]
        if len(kept) < len(candidates):
            counts = {"count": len(candidates) - len(kept), "of": len(candidates)}
            reasons.append(Reason(code, tuple({**params, **counts}.items())))
        candidates = kept

    faults = {lawyer.id: {rule for rule, _ in pair_faults(lawyer, duty, offices)} for lawyer in candidates}
    narrow("inactive", lambda lawyer: "active" in faults[lawyer.id], **where, date=duty.date.isoformat())
    for code, rule, params in _REQUIREMENTS:
        narrow(code, _has_fault(faults, rule), **params(duty))

    def others(lawyer: Lawyer) -> list[Duty]:
        return [d for d in own.get(lawyer.id, ()) if d.id != duty.id]

    def gap(lawyer: Lawyer) -> bool:
        return any(0 < abs((d.date - duty.date).days) < problem.min_gap_days for d in others(lawyer))

    def full(lawyer: Lawyer) -> bool:
        same_month = [d for d in others(lawyer) if month(d.date) == month(duty.date)]
        return len(same_month) >= lawyer.max_per_month

    narrow("on_this_duty", lambda lawyer: any(d.id == duty.id for d in own.get(lawyer.id, ())))
    narrow("same_day", lambda lawyer: any(d.date == duty.date for d in others(lawyer)))
    narrow("min_gap", gap, gap=problem.min_gap_days)
    narrow("monthly_limit", full)
    if candidates:
        reasons.append(Reason("not_chosen", (("count", len(candidates)),)))
    return tuple(reasons)


def _has_fault(faults: Mapping[int, set[str]], rule: str) -> Callable[[Lawyer], bool]:
    return lambda lawyer: rule in faults[lawyer.id]
