"""One CP-SAT builder per business rule, all listed in `RULES`.

A builder takes the model context of one pool. Hard rules add constraints and return
nothing; soft rules return (expression, weight) terms, which `model.py` gathers into
the one objective and evaluates term by term for the report. Eligibility (office,
status, availability, requirements) is not a builder: variables exist only for
eligible pairs, which is what keeps big problems small.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import groupby

from ortools.sat.python import cp_model

from scheduler.core.problem import Duty, Lawyer, Problem
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


def new_context(problem: Problem) -> ModelContext:
    """A fresh model with one Boolean `assign_l{lawyer}_d{duty}` per pair that passes `can_serve`."""
    ctx = ModelContext(problem, cp_model.CpModel())
    by_office: dict[int, list[Duty]] = defaultdict(list)
    for duty in sorted(problem.duties, key=lambda d: (d.date, d.id)):
        by_office[duty.office_id].append(duty)
        ctx.by_duty[duty.id] = []
        ctx.duties[duty.id] = duty
    for lawyer in sorted(problem.lawyers, key=lambda lawyer: lawyer.id):
        own: Own = []
        for office_id in lawyer.offices:
            for duty in by_office.get(office_id, ()):
                if obj.can_serve(lawyer, duty):
                    var = ctx.model.new_bool_var(f"assign_l{lawyer.id}_d{duty.id}")
                    ctx.assign[lawyer.id, duty.id] = var
                    ctx.by_duty[duty.id].append((lawyer, var))
                    own.append((duty, var))
        if own:
            ctx.by_lawyer[lawyer.id] = sorted(own, key=lambda pair: (pair[0].date, pair[0].id))
    return ctx


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
    lawyers = {lawyer.id: lawyer for lawyer in ctx.problem.lawyers}
    for lawyer_id, own in ctx.by_lawyer.items():
        for _, in_month in groupby(own, key=lambda pair: obj.month(pair[0].date)):
            team = [var for _, var in in_month]
            if len(team) > lawyers[lawyer_id].max_per_month:
                ctx.model.add(sum(team) <= lawyers[lawyer_id].max_per_month)
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
    """|S x duties - scaled target| per lawyer who can serve in the pool (see objective.fairness_targets)."""
    weight = ctx.problem.weights.fairness
    scale = obj.FAIRNESS_SCALE
    fixed_count: dict[int, int] = defaultdict(int)
    for _, lawyer_id in ctx.problem.fixed:
        fixed_count[lawyer_id] += 1
    lawyers = {lawyer.id: lawyer for lawyer in ctx.problem.lawyers}
    terms: list[Term] = []
    for pool in obj.pools(ctx.problem):
        for lawyer_id, target in sorted(obj.fairness_targets(ctx.problem, pool).items()):
            own = ctx.by_lawyer.get(lawyer_id, [])
            low, high = fixed_count[lawyer_id], _most_duties(own, lawyers[lawyer_id].max_per_month)
            if low >= high:
                terms.append((abs(scale * low - target), weight))
                continue
            deviation = [abs(scale * count - target) for count in range(low, high + 1)]
            dev = ctx.model.new_int_var(min(deviation), max(deviation), f"fair_dev_l{lawyer_id}")
            count = cp_model.LinearExpr.sum([var for _, var in own])
            ctx.model.add(dev >= scale * count - target)
            ctx.model.add(dev >= target - scale * count)
            # The chord through the two integer counts around the target: with it the LP
            # relaxation is the convex hull of the integer points, so bounds come fast.
            base, rest = divmod(target, scale)
            if rest:
                ctx.model.add(dev >= rest + (scale - 2 * rest) * (count - base))
            terms.append((dev, weight))
    return terms


def _most_duties(own: Own, max_per_month: int) -> int:
    """An upper bound on a lawyer's duties: eligible duties, capped month by month."""
    return sum(
        min(max_per_month, len(list(in_month))) for _, in_month in groupby(own, key=lambda p: obj.month(p[0].date))
    )


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
