"""One CP-SAT builder per business rule, all listed in `RULES`.

A builder takes the model context of one pool. Hard rules add constraints and return
nothing; soft rules return (expression, weight) terms, which `model.py` gathers into
the one objective and evaluates term by term for the report. Eligibility (office,
status, availability, requirements) is not a builder: variables exist only for
eligible pairs, which is what keeps big problems small.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

from ortools.sat.python import cp_model

from scheduler.core.problem import Duty, Lawyer, Problem, by_staff_office, own_duties
from scheduler.solver import objective as obj

# A soft term: a literal, an integer variable, a linear expression or a constant, and its weight.
Term = tuple[cp_model.LinearExprT, int]
Own = list[tuple[Duty, cp_model.IntVar]]


@dataclass
class ModelContext:
    """A pool's problem, its CP-SAT model and the assignment variables of its eligible pairs."""

    problem: Problem
    model: cp_model.CpModel
    # (lawyer id, duty id) -> the variable saying that lawyer serves that duty.
    assign: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    # lawyer id -> (duty, variable), by date then duty id.
    by_lawyer: dict[int, Own] = field(default_factory=dict)
    # duty id -> (lawyer, variable), by lawyer id.
    by_duty: dict[int, list[tuple[Lawyer, cp_model.IntVar]]] = field(default_factory=dict)
    duties: dict[int, Duty] = field(default_factory=dict)
    lawyer_limit: dict[int, int] = field(default_factory=dict)
    # Set for a neighbourhood of a larger roster (see search.py): the whole pool's fairness targets,
    # and the dates of the duties each lawyer keeps outside the neighbourhood. Those count for the
    # lawyer's rules and terms, but are not variables.
    targets: dict[int, int] | None = None
    kept: dict[int, list[dt.date]] = field(default_factory=dict)
    base_counts: dict[int, int] = field(default_factory=dict)
    # The fairness load (sum of shares) of the duties kept outside, by lawyer.
    base_load: dict[int, int] = field(default_factory=dict)
    base_month: dict[tuple[int, tuple[int, int]], int] = field(default_factory=dict)

    def month_room(self, lawyer_id: int) -> Callable[[tuple[int, int]], int]:
        """How many more duties the lawyer may take in a month, besides those kept outside."""
        limit = self.lawyer_limit.get(lawyer_id, 0)
        return lambda month: max(0, limit - self.base_month.get((lawyer_id, month), 0))


def new_context(
    problem: Problem,
    kept: Mapping[int, Sequence[dt.date]] | None = None,
    targets: Mapping[int, int] | None = None,
    kept_load: Mapping[int, int] | None = None,
) -> ModelContext:
    """A fresh model with one Boolean `assign_l{lawyer}_d{duty}` per pair that passes `can_serve`.

    `kept` (lawyer id -> dates of duties held outside this model) and `targets` describe a
    neighbourhood: a pair too close to a kept date gets no variable, and the kept duties count
    towards the monthly limit, spacing and fairness; `kept_load` gives their fairness load (sum of
    shares) when some of them count less than a window day (default: a full share each).
    """
    ctx = ModelContext(problem, cp_model.CpModel())
    ctx.lawyer_limit = {lawyer.id: lawyer.max_per_month for lawyer in problem.lawyers}
    ctx.targets = dict(targets) if targets is not None else None
    gap = max(problem.min_gap_days, 1)
    for lawyer_id, dates in (kept or {}).items():
        ctx.kept[lawyer_id] = sorted(dates)
        ctx.base_counts[lawyer_id] = len(dates)
        ctx.base_load[lawyer_id] = (kept_load or {}).get(lawyer_id, obj.FAIRNESS_SCALE * len(dates))
        for day in dates:
            key = (lawyer_id, obj.month(day))
            ctx.base_month[key] = ctx.base_month.get(key, 0) + 1
    ordered = sorted(problem.duties, key=lambda d: (d.date, d.id))
    for duty in ordered:
        ctx.by_duty[duty.id] = []
        ctx.duties[duty.id] = duty
    by_office = by_staff_office(ordered)
    for lawyer in sorted(problem.lawyers, key=lambda lawyer: lawyer.id):
        own: Own = []
        for duty in own_duties(lawyer, by_office):
            if obj.can_serve(lawyer, duty) and not _near(ctx.kept.get(lawyer.id), duty.date, gap):
                var = ctx.model.new_bool_var(f"assign_l{lawyer.id}_d{duty.id}")
                ctx.assign[lawyer.id, duty.id] = var
                ctx.by_duty[duty.id].append((lawyer, var))
                own.append((duty, var))
        if own:
            ctx.by_lawyer[lawyer.id] = sorted(own, key=lambda pair: (pair[0].date, pair[0].id))
    return ctx


def _near(dates: list[dt.date] | None, day: dt.date, gap: int) -> bool:
    """Whether a sorted list of dates holds one less than `gap` days from `day` (the same day included)."""
    if not dates:
        return False
    i = bisect.bisect_left(dates, day)
    return (i < len(dates) and (dates[i] - day).days < gap) or (i > 0 and (day - dates[i - 1]).days < gap)


# --- hard rules ---------------------------------------------------------------------------------


def capacity(ctx: ModelContext) -> list[Term]:
    """A duty never holds more lawyers than it needs."""
    for duty in ctx.problem.duties:
        team = [var for _, var in ctx.by_duty[duty.id]]
        if len(team) > duty.needed:
            ctx.model.add(sum(team) <= duty.needed)
    return []


def fixed(ctx: ModelContext) -> list[Term]:
    """Fixed (duty, lawyer) pairs stay in the roster."""
    for duty_id, lawyer_id in sorted(ctx.problem.fixed):
        var = ctx.assign.get((lawyer_id, duty_id))
        if var is None:
            # An ineligible fixed pair makes the pool infeasible; `solve` reports such pairs before building.
            ctx.model.add_bool_or([])
        else:
            ctx.model.add(var == 1)
    return []


def one_per_day(ctx: ModelContext) -> list[Term]:
    """A lawyer serves at most one duty per day."""
    for own in ctx.by_lawyer.values():
        for _, same_day in groupby(own, key=lambda pair: pair[0].date):
            team = [var for _, var in same_day]
            if len(team) > 1:
                ctx.model.add_at_most_one(team)
    return []


def min_gap(ctx: ModelContext) -> list[Term]:
    """Two duties of one lawyer are at least `min_gap_days` days apart.

    Encoded as one at-most-one per maximal window of `min_gap_days` consecutive days,
    which forbids every close pair at once and propagates better than pairwise clauses.
    """
    gap = ctx.problem.min_gap_days
    if gap <= 1:
        return []  # any two duties on different days are far enough apart; `one_per_day` does the rest
    for own in ctx.by_lawyer.values():
        previous_end, end = -1, 0
        for start, (first, _) in enumerate(own):
            end = max(end, start)
            while end + 1 < len(own) and (own[end + 1][0].date - first.date).days < gap:
                end += 1
            # A window ending where the previous one ended lies inside it: nothing new to say.
            if end > max(start, previous_end):
                ctx.model.add_at_most_one(var for _, var in own[start : end + 1])
            previous_end = end
    return []


def monthly_limit(ctx: ModelContext) -> list[Term]:
    """A lawyer serves at most `max_per_month` duties per calendar month, fixed ones included."""
    for lawyer_id, own in ctx.by_lawyer.items():
        room = ctx.month_room(lawyer_id)
        for month, in_month in groupby(own, key=lambda pair: obj.month(pair[0].date)):
            team = [var for _, var in in_month]
            if len(team) > room(month):
                ctx.model.add(sum(team) <= room(month))
    return []


# --- soft terms ---------------------------------------------------------------------------------


def uncovered(ctx: ModelContext) -> list[Term]:
    """Each place a duty leaves open: needed minus the lawyers it holds."""
    weight = ctx.problem.weights.uncovered
    return [
        (duty.needed - cp_model.LinearExpr.sum([var for _, var in ctx.by_duty[duty.id]]), weight)
        for duty in ctx.problem.duties
    ]


def fairness(ctx: ModelContext) -> list[Term]:
    """floor((load - T)^2 / S) per judged lawyer of the pool (see objective.load_units).

    The load is the sum of the shares of the lawyer's duties (S per window day, less for a duty that
    counts a fraction of one), so it moves in steps of g, the greatest common divisor of the shares
    in play (S when all are window days: the load is S x the count). The units are a convex function
    f of the load, so `fair_sq_l{lawyer}` is bounded below by the chord of f between each two
    consecutive reachable multiples of g: exact at every such load, and the convex hull of the
    integer points for the LP relaxation.
    """
    weight = ctx.problem.weights.fairness
    fixed_load: dict[int, int] = defaultdict(int)
    for duty_id, lawyer_id in ctx.problem.fixed:
        duty = ctx.duties.get(duty_id)
        fixed_load[lawyer_id] += duty.share if duty is not None else obj.FAIRNESS_SCALE
    terms: list[Term] = []
    for pool in obj.pools(ctx.problem):
        targets = ctx.targets if ctx.targets is not None else obj.fairness_targets(ctx.problem, pool)
        for lawyer_id in sorted(pool.lawyer_ids):
            if lawyer_id not in targets:
                continue
            target = targets[lawyer_id]
            own = ctx.by_lawyer.get(lawyer_id, [])
            extra = ctx.base_load.get(lawyer_id, 0)
            low = extra + fixed_load[lawyer_id]
            high = extra + max(fixed_load[lawyer_id], _most_load(own, ctx.month_room(lawyer_id)))
            if not own or low >= high:
                terms.append((obj.load_units(low if not own else high, target), weight))
                continue
            # Counted in steps: with window days only the step is S and `count_l` is the duty count.
            step = math.gcd(extra, fixed_load[lawyer_id], *(duty.share for duty, _ in own)) or 1
            units = [obj.load_units(load, target) for load in range(low, high + 1, step)]
            square = ctx.model.new_int_var(min(units), max(units), f"fair_sq_l{lawyer_id}")
            count = ctx.model.new_int_var(low // step, high // step, f"count_l{lawyer_id}")
            steps = [duty.share // step for duty, _ in own]
            variables = [var for _, var in own]
            served = (
                cp_model.LinearExpr.sum(variables)
                if all(n == 1 for n in steps)
                else cp_model.LinearExpr.weighted_sum(variables, steps)
            )
            ctx.model.add(count == extra // step + served)
            for k in range(low // step, high // step):
                rise = units[k + 1 - low // step] - units[k - low // step]
                ctx.model.add(square >= units[k - low // step] + rise * (count - k))
            terms.append((square, weight))
    return terms


def _most_load(own: Own, room: Callable[[tuple[int, int]], int]) -> int:
    """An upper bound on a lawyer's load among `own`: the largest shares the month's room allows, month by month."""
    total = 0
    for month, in_month in groupby(own, key=lambda p: obj.month(p[0].date)):
        shares = sorted((duty.share for duty, _ in in_month), reverse=True)
        total += sum(shares[: room(month)])
    return total


def undesired_weekday(ctx: ModelContext) -> list[Term]:
    """Each assignment on a weekday the lawyer marked undesired."""
    weight = ctx.problem.weights.undesired_weekday
    return [
        (var, weight)
        for duty_id, team in ctx.by_duty.items()
        for lawyer, var in team
        if _weekday(ctx, duty_id) in lawyer.undesired_weekdays
    ]


def preferred_weekday(ctx: ModelContext) -> list[Term]:
    """Each assignment not on a preferred weekday, for lawyers who named preferred weekdays."""
    weight = ctx.problem.weights.preferred_weekday
    return [
        (var, weight)
        for duty_id, team in ctx.by_duty.items()
        for lawyer, var in team
        if lawyer.preferred_weekdays and _weekday(ctx, duty_id) not in lawyer.preferred_weekdays
    ]


def _weekday(ctx: ModelContext, duty_id: int) -> int:
    return ctx.duties[duty_id].date.weekday()


def spacing(ctx: ModelContext) -> list[Term]:
    """Each pair of one lawyer's duties less than 2 x min_gap_days apart (but allowed by the gap rule).

    Counted at the pair's first date t: the hard rules leave at most one duty in
    [t + gap, t + 2 x gap - 1] and none closer, so one Boolean per (lawyer, date) with
    close >= served(t) + served(window) - 1 counts every close pair exactly once.
    """
    weight = ctx.problem.weights.spacing
    limit = obj.spacing_limit(ctx.problem)
    allowed = max(ctx.problem.min_gap_days, 1)
    terms: list[Term] = []
    for lawyer_id, own in ctx.by_lawyer.items():
        days = [(date, [var for _, var in group]) for date, group in groupby(own, key=lambda p: p[0].date)]
        for i, (date, served) in enumerate(days):
            window: list[cp_model.IntVar] = []
            j = i + 1
            while j < len(days) and (days[j][0] - date).days < limit:
                if (days[j][0] - date).days >= allowed:
                    window += days[j][1]
                j += 1
            if not window:
                continue
            close = ctx.model.new_bool_var(f"close_l{lawyer_id}_{date:%Y%m%d}")
            ctx.model.add(close >= sum(served) + sum(window) - 1)
            terms.append((close, weight))
        # A duty kept outside the neighbourhood makes each close variable duty cost one pair by itself.
        kept = ctx.kept.get(lawyer_id)
        if kept:
            for duty, var in own:
                pairs = sum(1 for day in kept if allowed <= abs((day - duty.date).days) < limit)
                if pairs:
                    terms.append((var, weight * pairs))
    return terms


def leader_fit(ctx: ModelContext) -> list[Term]:
    """Leader-day assignments cost `leader_points` (juniors and generalists cost more)."""
    weight = ctx.problem.weights.leader_fit
    terms: list[Term] = []
    for duty_id, team in ctx.by_duty.items():
        for lawyer, var in team:
            points = obj.leader_points(lawyer, ctx.duties[duty_id])
            if points:
                terms.append((var, weight * points))
    return terms


def language(ctx: ModelContext) -> list[Term]:
    """Each window duty of an office wanting languages where no assigned lawyer speaks one of them."""
    weight = ctx.problem.weights.language
    wants = obj.wanted_languages(ctx.problem)
    terms: list[Term] = []
    for duty in ctx.problem.duties:
        wanted = obj.language_applies(duty, wants)
        if not wanted:
            continue
        speakers = [var for lawyer, var in ctx.by_duty[duty.id] if lawyer.languages & wanted]
        if not speakers:
            terms.append((1, weight))
            continue
        missing = ctx.model.new_bool_var(f"no_language_d{duty.id}")
        ctx.model.add(sum(speakers) + missing >= 1)
        terms.append((missing, weight))
    return terms


def firm_diversity(ctx: ModelContext) -> list[Term]:
    """Each lawyer on a duty beyond the first of the same firm."""
    weight = ctx.problem.weights.firm_diversity
    terms: list[Term] = []
    for duty in ctx.problem.duties:
        if duty.needed < 2:
            continue
        by_firm: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for lawyer, var in ctx.by_duty[duty.id]:
            if lawyer.firm_id is not None:
                by_firm[lawyer.firm_id].append(var)
        for firm_id, team in sorted(by_firm.items()):
            if len(team) < 2:
                continue
            extra = ctx.model.new_int_var(0, min(len(team), duty.needed) - 1, f"firm_extra_f{firm_id}_d{duty.id}")
            ctx.model.add(extra >= sum(team) - 1)
            terms.append((extra, weight))
    return terms


def stability(ctx: ModelContext) -> list[Term]:
    """Each (duty, lawyer) pair of the previous roster that the new roster drops."""
    weight = ctx.problem.weights.stability
    terms: list[Term] = []
    # A pair whose lawyer is not in this problem (left it, or belongs to another pool) cannot be kept.
    for duty_id, lawyer_id in sorted(ctx.problem.previous):
        if duty_id not in ctx.by_duty:
            continue
        var = ctx.assign.get((lawyer_id, duty_id))
        terms.append((1, weight) if var is None else (var.Not(), weight))
    return terms


@dataclass(frozen=True)
class Rule:
    """A business rule: hard (constraints only) or soft (terms weighted by `Weights.<name>`)."""

    name: str
    hard: bool
    build: Callable[[ModelContext], list[Term]]


RULES: tuple[Rule, ...] = (
    Rule("capacity", True, capacity),
    Rule("fixed", True, fixed),
    Rule("one_per_day", True, one_per_day),
    Rule("min_gap", True, min_gap),
    Rule("monthly_limit", True, monthly_limit),
    Rule("uncovered", False, uncovered),
    Rule("fairness", False, fairness),
    Rule("undesired_weekday", False, undesired_weekday),
    Rule("preferred_weekday", False, preferred_weekday),
    Rule("spacing", False, spacing),
    Rule("leader_fit", False, leader_fit),
    Rule("language", False, language),
    Rule("firm_diversity", False, firm_diversity),
    Rule("stability", False, stability),
)
