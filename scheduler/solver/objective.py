"""The objective in plain Python: the executable form of docs/objective.md.

Everything here is a pure function of a `Problem` (and, for the term values, a roster).
The CP-SAT builders in `rules.py` take their constants from here (fairness targets,
leader points, pools); the checker evaluates a roster with `term_units`. Neither
direction touches the CP-SAT model, so the checker stays independent of it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scheduler.core.problem import LEADER_DAY, WINDOW, Duty, Lawyer, Problem

# Report order of the soft terms; every name is also a field of `Weights`.
TERMS = (
    "uncovered",
    "fairness",
    "undesired_weekday",
    "preferred_weekday",
    "spacing",
    "leader_fit",
    "language",
    "firm_diversity",
    "stability",
)

# Fairness compares 10 x duties with 10 x the target, so a tenth of a duty still counts
# while every quantity stays an integer that the checker recomputes exactly.
FAIRNESS_SCALE = 10
# Seniority stops mattering for leader days after this many years in practice.
LEADER_YEARS_CAP = 10
# Extra leader-day points for a lawyer without any specialty when the duty names none.
LEADER_NO_SPECIALTY = 3

Roster = Mapping[int, Sequence[int]]


def can_serve(lawyer: Lawyer, duty: Duty) -> bool:
    """True when the pair passes every rule that does not depend on the rest of the roster.

    Those rules are: the office, being active, being available that day, and the duty's
    requirements (years in practice on the duty date, specialty, language).
    """
    return (
        duty.office_id in lawyer.offices
        and lawyer.inactive_on(duty.date) is None
        and duty.date not in lawyer.unavailable
        and lawyer.years_in_practice(duty.date) >= duty.min_years
        and (duty.specialty is None or duty.specialty in lawyer.specialties)
        and (duty.language is None or duty.language in lawyer.languages)
    )


@dataclass(frozen=True)
class Pool:
    """Offices linked by lawyers who may serve more than one of them, with their lawyers and duties."""

    office_ids: tuple[int, ...]
    lawyer_ids: tuple[int, ...]
    duty_ids: tuple[int, ...]


def pools(problem: Problem) -> tuple[Pool, ...]:
    """Connected components of the lawyer-office graph (by `Lawyer.offices`), in a stable order.

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


def fairness_targets(problem: Problem, pool: Pool) -> dict[int, int]:
    """Scaled fair share (FAIRNESS_SCALE x duties) of each pool lawyer who can serve any pool duty.

    With D the places the pool's duties need, a_l the number of the pool's duty dates on
    which lawyer l can serve some pool duty, A the sum of a_l, h_l the history duties and
    H their sum over these lawyers: target_l = max(0, round_half_up(S * ((D + H) * a_l / A - h_l))).
    """
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    in_pool = set(pool.duty_ids)
    by_office: dict[int, list[Duty]] = defaultdict(list)
    for duty in problem.duties:
        if duty.id in in_pool:
            by_office[duty.office_id].append(duty)
    demand = sum(duty.needed for duties in by_office.values() for duty in duties)
    days = {
        lawyer_id: len(
            {
                duty.date
                for office_id in lawyers[lawyer_id].offices
                for duty in by_office.get(office_id, ())
                if can_serve(lawyers[lawyer_id], duty)
            }
        )
        for lawyer_id in pool.lawyer_ids
    }
    days = {lawyer_id: n for lawyer_id, n in days.items() if n > 0}
    total_days = sum(days.values())
    history = sum(lawyers[lawyer_id].history_duties for lawyer_id in days)
    targets = {}
    for lawyer_id, n in days.items():
        numerator = FAIRNESS_SCALE * ((demand + history) * n - lawyers[lawyer_id].history_duties * total_days)
        # floor(x + 1/2) on the exact fraction numerator / total_days.
        targets[lawyer_id] = max(0, (2 * numerator + total_days) // (2 * total_days))
    return targets


def fairness_deviation(count: int, target: int) -> int:
    """Distance, in 1/FAIRNESS_SCALE duties, between a lawyer's duties and their scaled target."""
    return abs(FAIRNESS_SCALE * count - target)


def leader_points(lawyer: Lawyer, duty: Duty) -> int:
    """Leader-day cost units of putting `lawyer` on `duty` (0 for any other kind of duty).

    One point per year in practice short of LEADER_YEARS_CAP on the duty date, plus
    LEADER_NO_SPECIALTY when the duty names no specialty and the lawyer has none. A duty
    that names a specialty already requires it, so every assignee matches.
    """
    if duty.kind != LEADER_DAY:
        return 0
    points = max(0, LEADER_YEARS_CAP - lawyer.years_in_practice(duty.date))
    if duty.specialty is None and not lawyer.specialties:
        points += LEADER_NO_SPECIALTY
    return points


def spacing_limit(problem: Problem) -> int:
    """Two duties of one lawyer whose dates differ by less than this many days pay `spacing`."""
    return 2 * problem.min_gap_days


def wanted_languages(problem: Problem) -> dict[int, frozenset[str]]:
    """Languages each office wants on its window duties, by office id (offices wanting none left out)."""
    return {office.id: office.wanted_languages for office in problem.offices if office.wanted_languages}


def language_applies(duty: Duty, wanted: Mapping[int, frozenset[str]]) -> frozenset[str]:
    """The languages the language term asks of `duty`: its office's wanted languages on a window duty."""
    return wanted.get(duty.office_id, frozenset()) if duty.kind == WINDOW else frozenset()


def month(day: dt.date) -> tuple[int, int]:
    """The calendar month a date falls in, as (year, month)."""
    return day.year, day.month


def term_units(problem: Problem, roster: Roster) -> dict[str, int]:
    """Each soft term's value before weighting, for a roster (duty id -> lawyer ids).

    Unknown duty or lawyer ids and repeated lawyers are ignored here; the checker reports them.
    """
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    served: dict[int, tuple[Lawyer, ...]] = {}
    for duty in problem.duties:
        ids = dict.fromkeys(roster.get(duty.id, ()))
        served[duty.id] = tuple(lawyers[i] for i in ids if i in lawyers)
    units = dict.fromkeys(TERMS, 0)
    wants = wanted_languages(problem)
    by_lawyer: dict[int, list[Duty]] = defaultdict(list)
    for duty in problem.duties:
        team = served[duty.id]
        units["uncovered"] += max(0, duty.needed - len(team))
        for lawyer in team:
            by_lawyer[lawyer.id].append(duty)
            weekday = duty.date.weekday()
            units["undesired_weekday"] += weekday in lawyer.undesired_weekdays
            units["preferred_weekday"] += bool(lawyer.preferred_weekdays) and (weekday not in lawyer.preferred_weekdays)
            units["leader_fit"] += leader_points(lawyer, duty)
        wanted = language_applies(duty, wants)
        if wanted and not any(lawyer.languages & wanted for lawyer in team):
            units["language"] += 1
        firms = [lawyer.firm_id for lawyer in team if lawyer.firm_id is not None]
        units["firm_diversity"] += len(firms) - len(set(firms))
    limit = spacing_limit(problem)
    for duties in by_lawyer.values():
        units["spacing"] += _close_pairs(sorted(d.date for d in duties), limit)
    for pool in pools(problem):
        for lawyer_id, target in fairness_targets(problem, pool).items():
            units["fairness"] += fairness_deviation(len(by_lawyer.get(lawyer_id, ())), target)
    duty_ids = {duty.id for duty in problem.duties}
    # A previous pair whose lawyer left the problem cannot be kept, so it counts too.
    units["stability"] = sum(
        1 for duty_id, lawyer_id in problem.previous if duty_id in duty_ids and lawyer_id not in roster.get(duty_id, ())
    )
    return units


def term_values(problem: Problem, roster: Roster) -> dict[str, int]:
    """Each soft term's weighted value for a roster; their sum is the objective."""
    units = term_units(problem, roster)
    return {name: getattr(problem.weights, name) * units[name] for name in TERMS}


def _close_pairs(dates: Iterable[dt.date], limit: int) -> int:
    ordered = list(dates)
    pairs = 0
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if (second - first).days >= limit:
                break
            pairs += 1
    return pairs
