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

from scheduler.core.problem import FULL_SHARE, LEADER_DAY, WINDOW, Duty, Lawyer, Problem, by_staff_office, serves
from scheduler.solver.pools import Pool, pools

__all__ = ["Pool", "pools"]  # re-exported: pools used to live here

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
# while every quantity stays an integer that the checker recomputes exactly. A duty's `share`
# is in the same tenths: a window day counts 10, a hotline day counting half a window day 5.
FAIRNESS_SCALE = FULL_SHARE
# Seniority stops mattering for leader days after this many years in practice.
LEADER_YEARS_CAP = 10
# Extra leader-day points for a lawyer without any specialty when the duty names none.
LEADER_NO_SPECIALTY = 3

Roster = Mapping[int, Sequence[int]]


def can_serve(lawyer: Lawyer, duty: Duty) -> bool:
    """True when the pair passes every rule that does not depend on the rest of the roster.

    Those rules are: the office (one the duty may be served from), being active, being available
    that day, and the duty's requirements (years in practice on the duty date, specialty, language).
    """
    return (
        serves(lawyer, duty)
        and lawyer.inactive_on(duty.date) is None
        and duty.date not in lawyer.unavailable
        and lawyer.years_in_practice(duty.date) >= duty.min_years
        and (duty.specialty is None or duty.specialty in lawyer.specialties)
        and (duty.language is None or duty.language in lawyer.languages)
    )


def available_dates(lawyer: Lawyer, dates: Iterable[dt.date]) -> int:
    """How many of `dates` the lawyer is active on and has not marked unavailable."""
    return sum(1 for day in dates if day not in lawyer.unavailable and lawyer.inactive_on(day) is None)


def judged_lawyers(problem: Problem, pool: Pool) -> dict[int, int]:
    """The lawyers fairness judges in a pool, with their availability a(l).

    A lawyer is judged when they can serve at least one of the pool's duties. a(l) counts the pool's
    duty dates (every office's) on which the lawyer is active and available: how much of the period
    they could work, not how many offices or kinds of duty they qualify for.
    """
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    in_pool = set(pool.duty_ids)
    by_office = by_staff_office(duty for duty in problem.duties if duty.id in in_pool)
    dates = sorted({duty.date for duties in by_office.values() for duty in duties})
    judged = {}
    for lawyer_id in pool.lawyer_ids:
        lawyer = lawyers[lawyer_id]
        if any(can_serve(lawyer, duty) for office_id in lawyer.offices for duty in by_office.get(office_id, ())):
            judged[lawyer_id] = available_dates(lawyer, dates)
    return {lawyer_id: days for lawyer_id, days in judged.items() if days > 0}


def fairness_targets(problem: Problem, pool: Pool) -> dict[int, int]:
    """Scaled fair share (FAIRNESS_SCALE x duties) of each judged lawyer of the pool.

    With D the places the pool's duties need, each weighted by its share (FAIRNESS_SCALE for a window
    day, less for a duty that counts a fraction of one, like a hotline day), a_l the lawyer's
    availability (`judged_lawyers`), A the sum of a_l, h_l the history duties and H their sum over the judged lawyers:
    target_l = max(0, round_half_up((D + S * H) * a_l / A - S * h_l)), D already in scaled units.
    """
    lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
    in_pool = set(pool.duty_ids)
    demand = sum(duty.needed * duty.share for duty in problem.duties if duty.id in in_pool)
    days = judged_lawyers(problem, pool)
    total_days = sum(days.values())
    history = sum(lawyers[lawyer_id].history_duties for lawyer_id in days)
    targets = {}
    for lawyer_id, n in days.items():
        numerator = (demand + FAIRNESS_SCALE * history) * n - FAIRNESS_SCALE * lawyers[
            lawyer_id
        ].history_duties * total_days
        # floor(x + 1/2) on the exact fraction numerator / total_days.
        targets[lawyer_id] = max(0, (2 * numerator + total_days) // (2 * total_days))
    return targets


def all_fairness_targets(problem: Problem) -> dict[int, int]:
    """`fairness_targets` of every pool of the problem, in one mapping (pools share no lawyer)."""
    targets: dict[int, int] = {}
    for pool in pools(problem):
        targets.update(fairness_targets(problem, pool))
    return targets


def fairness_units(count: int, target: int) -> int:
    """Fairness units of a lawyer with `count` duties and scaled target `target`: floor((S*c - T)^2 / S).

    The square spreads extra work: two duties above the share cost four times one. Dividing by S
    keeps one duty away from the share at S units, as the linear term of format version 1 had; the
    floor only drops a constant (T^2 mod S)/S, since (S*c - T)^2 = S*(S*c^2 - 2*c*T) + T^2.
    """
    return load_units(FAIRNESS_SCALE * count, target)


def load_units(load: int, target: int) -> int:
    """Fairness units of a lawyer whose duties' shares add up to `load`: floor((load - T)^2 / S).

    `fairness_units` is the case of whole window days (load = S x count). The function is convex in
    the integer load (checked for every target in the tests), which the CP-SAT chords rely on.
    """
    deviation = load - target
    return deviation * deviation // FAIRNESS_SCALE


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


class Scorer:
    """The objective split into parts: one per duty (who is on it) and one per lawyer (which duties).

    Every term is a sum of such parts (fairness targets are fixed per pool), so the change a few
    moved assignments make is the change of the touched duties' and lawyers' parts. `term_units`
    sums all parts; the checker's best move, the large-neighbourhood search and the suggestions
    evaluate changes with the same parts, so they agree with the checker by construction.
    """

    def __init__(self, problem: Problem, targets: Mapping[int, int] | None = None) -> None:
        self.problem = problem
        self.lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
        self.duties = {duty.id: duty for duty in problem.duties}
        self.targets = dict(all_fairness_targets(problem) if targets is None else targets)
        self.wants = wanted_languages(problem)
        self.limit = spacing_limit(problem)
        self.previous: dict[int, set[int]] = defaultdict(set)
        for duty_id, lawyer_id in problem.previous:
            if duty_id in self.duties:
                self.previous[duty_id].add(lawyer_id)
        self.weights = tuple(getattr(problem.weights, name) for name in TERMS)

    def duty_units(self, duty_id: int, team: Iterable[int]) -> dict[str, int]:
        """Units of the terms that belong to one duty, with `team` (lawyer ids) on it."""
        duty = self.duties[duty_id]
        ids = dict.fromkeys(team)
        members = [self.lawyers[i] for i in ids if i in self.lawyers]
        units = dict.fromkeys(TERMS, 0)
        units["uncovered"] = max(0, duty.needed - len(members))
        weekday = duty.date.weekday()
        for lawyer in members:
            units["undesired_weekday"] += weekday in lawyer.undesired_weekdays
            units["preferred_weekday"] += bool(lawyer.preferred_weekdays) and (weekday not in lawyer.preferred_weekdays)
            units["leader_fit"] += leader_points(lawyer, duty)
        wanted = language_applies(duty, self.wants)
        if wanted and not any(lawyer.languages & wanted for lawyer in members):
            units["language"] = 1
        firms = [lawyer.firm_id for lawyer in members if lawyer.firm_id is not None]
        units["firm_diversity"] = len(firms) - len(set(firms))
        # A previous pair whose lawyer left the problem cannot be kept, so it counts too.
        units["stability"] = len(self.previous.get(duty_id, set()) - ids.keys())
        return units

    def lawyer_units(self, lawyer_id: int, duty_ids: Iterable[int]) -> dict[str, int]:
        """Units of the terms that belong to one lawyer (spacing, fairness), serving `duty_ids`."""
        own = [self.duties[d] for d in duty_ids]
        dates = sorted(duty.date for duty in own)
        units = dict.fromkeys(TERMS, 0)
        units["spacing"] = _close_pairs(dates, self.limit)
        if lawyer_id in self.targets:
            units["fairness"] = load_units(sum(duty.share for duty in own), self.targets[lawyer_id])
        return units

    def value(self, units: Mapping[str, int]) -> int:
        """The weighted sum of some units."""
        return sum(weight * units[name] for name, weight in zip(TERMS, self.weights, strict=True))

    def duty_value(self, duty_id: int, team: Iterable[int]) -> int:
        """The weighted cost of one duty's part."""
        return self.value(self.duty_units(duty_id, team))

    def lawyer_value(self, lawyer_id: int, duty_ids: Iterable[int]) -> int:
        """The weighted cost of one lawyer's part."""
        return self.value(self.lawyer_units(lawyer_id, duty_ids))


def term_units(problem: Problem, roster: Roster, scorer: Scorer | None = None) -> dict[str, int]:
    """Each soft term's value before weighting, for a roster (duty id -> lawyer ids).

    Unknown duty or lawyer ids and repeated lawyers are ignored here; the checker reports them.
    """
    scorer = scorer or Scorer(problem)
    units = dict.fromkeys(TERMS, 0)
    by_lawyer: dict[int, list[int]] = defaultdict(list)
    for duty in problem.duties:
        team = [i for i in dict.fromkeys(roster.get(duty.id, ())) if i in scorer.lawyers]
        for lawyer_id in team:
            by_lawyer[lawyer_id].append(duty.id)
        for name, value in scorer.duty_units(duty.id, team).items():
            units[name] += value
    for lawyer_id in scorer.lawyers:
        for name, value in scorer.lawyer_units(lawyer_id, by_lawyer.get(lawyer_id, ())).items():
            units[name] += value
    return units


def term_values(problem: Problem, roster: Roster) -> dict[str, int]:
    """Each soft term's weighted value for a roster; their sum is the objective."""
    units = term_units(problem, roster)
    return {name: getattr(problem.weights, name) * units[name] for name in TERMS}


def _close_pairs(dates: Sequence[dt.date], limit: int) -> int:
    pairs = 0
    for i, first in enumerate(dates):
        for second in dates[i + 1 :]:
            if (second - first).days >= limit:
                break
            pairs += 1
    return pairs
