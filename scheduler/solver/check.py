"""An independent check of a roster: every hard rule, and the objective recomputed.

Nothing here looks at the CP-SAT model. Hard rules are written out one by one from
the problem; soft terms come from `objective.term_values`, the plain-Python definition
of the objective. Every full solve in the tests ends by passing its roster through here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.core.problem import Duty, Lawyer, Office, Problem, serves
from scheduler.solver.objective import Scorer, can_serve, month, term_values

# Hard rules in the order the checker reports them.
HARD_RULES = (
    "unknown_duty",
    "unknown_lawyer",
    "duplicate",
    "office",
    "active",
    "available",
    "min_years",
    "specialty",
    "language",
    "capacity",
    "fixed",
    "one_per_day",
    "min_gap",
    "monthly_limit",
)


@dataclass(frozen=True)
class Violation:
    """A broken hard rule, in words that name the duty, lawyer and date."""

    rule: str
    message: str
    duty_id: int | None = None
    lawyer_id: int | None = None


@dataclass(frozen=True)
class Move:
    """Taking duty `duty_id` from lawyer `giver` and giving it to `taker`, and the objective change."""

    duty_id: int
    giver: int
    taker: int
    delta: int


@dataclass(frozen=True)
class CheckResult:
    """The violations of a roster (empty when it keeps every hard rule) and its objective by term.

    `best_move` (only when asked for, and only for a valid roster) is the single move of one duty
    from one lawyer to another that lowers the objective most, or None when no move lowers it.
    """

    violations: tuple[Violation, ...]
    objective: int
    terms: dict[str, int]
    best_move: Move | None = None

    @property
    def ok(self) -> bool:
        """True when no hard rule is broken."""
        return not self.violations


def who(lawyer: Lawyer) -> str:
    """A lawyer as messages name them."""
    return f"lawyer {lawyer.id} ({lawyer.name})"


def office_label(offices: Mapping[int, Office], office_id: int) -> str:
    """An office as messages name it: code and name when known, else its id."""
    office = offices.get(office_id)
    return f"office {office.code} ({office.name})" if office else f"office {office_id}"


def pair_faults(lawyer: Lawyer, duty: Duty, offices: Mapping[int, Office]) -> list[tuple[str, str]]:
    """(rule, message) for each rule that forbids `lawyer` on `duty` whatever else the roster holds."""
    on = f"duty {duty.id} on {duty.date}"
    faults = []
    if not serves(lawyer, duty):
        faults.append(("office", f"{who(lawyer)} may not serve {office_label(offices, duty.office_id)} ({on})"))
    period = lawyer.inactive_on(duty.date)
    if period is not None:
        why = f": {period.reason}" if period.reason else ""
        faults.append(("active", f"{who(lawyer)} is {period.status} on {duty.date}{why} ({on})"))
    if duty.date in lawyer.unavailable:
        faults.append(("available", f"{who(lawyer)} is unavailable on {duty.date} ({on})"))
    years = lawyer.years_in_practice(duty.date)
    if years < duty.min_years:
        faults.append(("min_years", f"{on} needs {duty.min_years} years in practice; {who(lawyer)} has {years}"))
    if duty.specialty is not None and duty.specialty not in lawyer.specialties:
        faults.append(("specialty", f"{on} needs specialty {duty.specialty}; {who(lawyer)} does not have it"))
    if duty.language is not None and duty.language not in lawyer.languages:
        faults.append(("language", f"{on} needs a {duty.language} speaker; {who(lawyer)} does not speak it"))
    return faults


def check(problem: Problem, assignments: Mapping[int, Sequence[int]], moves: bool = False) -> CheckResult:
    """Check `assignments` (duty id -> lawyer ids; missing duties count as empty) against the problem.

    Returns every hard-rule violation and the objective with its per-term breakdown,
    computed from the problem alone. With `moves`, also the best improving single move
    (see `best_move`) when the roster is valid.
    """
    terms = term_values(problem, assignments)
    violations = hard_violations(problem, assignments)
    found = best_move(problem, assignments) if moves and not violations else None
    return CheckResult(violations, sum(terms.values()), terms, found)


def best_move(problem: Problem, assignments: Mapping[int, Sequence[int]]) -> Move | None:
    """The move of one duty from one lawyer to another that lowers the objective most, or None.

    A move takes a non-fixed assignment (d, a) and gives d to a lawyer b not on d who may serve it
    with every hard rule kept (eligibility, one duty a day, the gap, the monthly limit). Its change
    is computed from the duty's and the two lawyers' parts of the objective (`objective.Scorer`).
    At a proven optimum no move lowers the objective: the fairness property the tests check.
    """
    scorer = Scorer(problem)
    by_lawyer: dict[int, list[int]] = defaultdict(list)
    for duty_id, team in assignments.items():
        for lawyer_id in team:
            by_lawyer[lawyer_id].append(duty_id)
    serving: dict[int, list[Lawyer]] = defaultdict(list)
    for lawyer in problem.lawyers:
        for office_id in lawyer.offices:
            serving[office_id].append(lawyer)

    def takers_of(duty: Duty) -> list[Lawyer]:
        found = {x.id: x for office_id in sorted(duty.staff_offices) for x in serving[office_id]}
        return [found[i] for i in sorted(found)] if len(duty.staff_offices) > 1 else serving[duty.office_id]

    own_value = {lawyer_id: scorer.lawyer_value(lawyer_id, duties) for lawyer_id, duties in by_lawyer.items()}
    gap = max(problem.min_gap_days, 1)
    best: Move | None = None
    for duty_id, team in sorted(assignments.items()):
        duty = scorer.duties.get(duty_id)
        if duty is None:
            continue
        before = scorer.duty_value(duty_id, team)
        takers = []
        for taker in takers_of(duty):
            if taker.id in team or not can_serve(taker, duty):
                continue
            dates = [scorer.duties[d].date for d in by_lawyer.get(taker.id, ())]
            if any(abs((day - duty.date).days) < gap for day in dates):
                continue
            if sum(1 for day in dates if month(day) == month(duty.date)) >= taker.max_per_month:
                continue
            gain = scorer.lawyer_value(taker.id, [*by_lawyer.get(taker.id, ()), duty_id])
            takers.append((taker.id, gain - own_value.get(taker.id, scorer.lawyer_value(taker.id, ()))))
        for giver in team:
            if (duty_id, giver) in problem.fixed or giver not in scorer.lawyers:
                continue
            rest = [d for d in by_lawyer[giver] if d != duty_id]
            giving = scorer.lawyer_value(giver, rest) - own_value[giver]
            for taker_id, taking in takers:
                after = scorer.duty_value(duty_id, [taker_id if i == giver else i for i in team])
                delta = after - before + giving + taking
                if delta < 0 and (best is None or delta < best.delta):
                    best = Move(duty_id, giver, taker_id, delta)
    return best


def hard_violations(problem: Problem, assignments: Mapping[int, Sequence[int]]) -> tuple[Violation, ...]:
    """Every hard rule `assignments` breaks, in the order of HARD_RULES within each duty and lawyer."""
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    duties = {duty.id: duty for duty in problem.duties}
    offices = {office.id: office for office in problem.offices}
    violations: list[Violation] = []
    by_lawyer: dict[int, list[Duty]] = defaultdict(list)

    for duty_id, lawyer_ids in sorted(assignments.items()):
        duty = duties.get(duty_id)
        if duty is None:
            if lawyer_ids:
                violations.append(Violation("unknown_duty", f"duty {duty_id} is not part of the problem", duty_id))
            continue
        seen: set[int] = set()
        for lawyer_id in lawyer_ids:
            lawyer = lawyers.get(lawyer_id)
            if lawyer is None:
                message = f"lawyer {lawyer_id} on duty {duty_id} is not part of the problem"
                violations.append(Violation("unknown_lawyer", message, duty_id, lawyer_id))
                continue
            if lawyer_id in seen:
                message = f"{who(lawyer)} is listed twice on duty {duty_id}"
                violations.append(Violation("duplicate", message, duty_id, lawyer_id))
                continue
            seen.add(lawyer_id)
            by_lawyer[lawyer_id].append(duty)
            for rule, message in pair_faults(lawyer, duty, offices):
                violations.append(Violation(rule, message, duty_id, lawyer_id))
        if len(seen) > duty.needed:
            message = f"duty {duty_id} on {duty.date} has {len(seen)} lawyers but needs only {duty.needed}"
            violations.append(Violation("capacity", message, duty_id))

    for duty_id, lawyer_id in sorted(problem.fixed):
        if lawyer_id not in assignments.get(duty_id, ()):
            name = who(lawyers[lawyer_id]) if lawyer_id in lawyers else f"lawyer {lawyer_id}"
            message = f"the fixed assignment of {name} to duty {duty_id} is missing"
            violations.append(Violation("fixed", message, duty_id, lawyer_id))

    for lawyer_id, own in sorted(by_lawyer.items()):
        violations += _own_duty_violations(problem, lawyers[lawyer_id], own)

    return tuple(violations)


def _own_duty_violations(problem: Problem, lawyer: Lawyer, own: list[Duty]) -> list[Violation]:
    """One-per-day, minimum gap and monthly limit for one lawyer's duties."""
    found = []
    own = sorted(own, key=lambda d: (d.date, d.id))
    for i, first in enumerate(own):
        for second in own[i + 1 :]:
            days = (second.date - first.date).days
            if days == 0:
                message = f"{who(lawyer)} serves duties {first.id} and {second.id} on the same day {first.date}"
                found.append(Violation("one_per_day", message, second.id, lawyer.id))
            elif days < problem.min_gap_days:
                message = (
                    f"{who(lawyer)} serves duty {first.id} on {first.date} and duty {second.id} on "
                    f"{second.date}, {days} days apart; at least {problem.min_gap_days} are required"
                )
                found.append(Violation("min_gap", message, second.id, lawyer.id))
            else:
                break
    per_month: dict[tuple[int, int], int] = defaultdict(int)
    for duty in own:
        per_month[month(duty.date)] += 1
    for (year, number), count in sorted(per_month.items()):
        if count > lawyer.max_per_month:
            limit = lawyer.max_per_month
            message = f"{who(lawyer)} serves {count} duties in {year}-{number:02d}; the limit is {limit}"
            found.append(Violation("monthly_limit", message, None, lawyer.id))
    return found
