"""The CP-SAT model of one pool (or of one neighbourhood of a pool's roster), and one search of it.

Every rule of `rules.RULES` is built; soft terms are gathered into one objective. A term whose
weight is 0 is not built at all. `search.py` decides which model to build, for how long, with how
many workers, and from which roster.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from ortools.sat.python import cp_model

from scheduler.core.problem import Problem
from scheduler.solver.params import SolveParams
from scheduler.solver.report import Status
from scheduler.solver.rules import RULES, ModelContext, Term, new_context

Roster = dict[int, tuple[int, ...]]
NEIGHBOURHOOD_LINEARIZATION = 1


@dataclasses.dataclass
class Result:
    """What one search of a pool gives back: a roster with its terms, or none."""

    status: Status
    roster: Roster
    objective: int | None
    bound: int
    terms: dict[str, int]
    searched: bool = False  # whether CP-SAT has searched the pool (else it is the greedy roster)


class PoolModel:
    """The CP-SAT model of one pool: hard rules, and the soft terms by name (switched-off ones not built).

    With `kept` and `targets` (see `rules.new_context`) it is the model of a neighbourhood: the
    problem holds only the neighbourhood's duties, and the rest of the roster is constant.
    """

    def __init__(
        self,
        problem: Problem,
        kept: Mapping[int, Sequence[dt.date]] | None = None,
        targets: Mapping[int, int] | None = None,
        kept_load: Mapping[int, int] | None = None,
    ) -> None:
        self.problem = problem
        self.ctx: ModelContext = new_context(problem, kept, targets, kept_load)
        self.terms: dict[str, list[Term]] = {}
        for rule in RULES:
            if not rule.hard and getattr(problem.weights, rule.name) == 0:
                continue
            built = rule.build(self.ctx)
            if not rule.hard:
                self.terms[rule.name] = built
        self.ctx.model.minimize(weighted(t for terms in self.terms.values() for t in terms))
        previous = {(lawyer_id, duty_id) for duty_id, lawyer_id in problem.previous}
        if previous:
            for pair, var in self.ctx.assign.items():
                self.ctx.model.add_hint(var, pair in previous)

    def hint(self, roster: Mapping[int, Sequence[int]]) -> None:
        """Start the search from `roster` (instead of the previous roster of the problem)."""
        self.ctx.model.clear_hints()
        chosen = {(lawyer_id, duty_id) for duty_id, team in roster.items() for lawyer_id in team}
        for pair, var in self.ctx.assign.items():
            self.ctx.model.add_hint(var, pair in chosen)

    def open_places(self, values: cp_model.CpSolverSolutionCallback) -> int:
        """Places left open by the solution a solution callback is looking at."""
        return sum(
            max(0, self.ctx.duties[duty_id].needed - sum(values.boolean_value(var) for _, var in team))
            for duty_id, team in self.ctx.by_duty.items()
        )

    def search(
        self,
        params: SolveParams,
        budget_s: float,
        callback: cp_model.CpSolverSolutionCallback | None = None,
        polish_s: float = 1.0,
        workers: int = 1,
        deterministic_s: float | None = None,
        settle: bool = True,
    ) -> Result:
        """Search for at most `budget_s` seconds (plus `polish_s` to settle a roster found without
        proof); the best roster found with its terms, or none.

        `workers` > 1 runs CP-SAT's own portfolio; `deterministic_s` also bounds the search in
        CP-SAT's deterministic time, which makes a single-worker search repeatable. Without `settle`
        the terms of a roster found without proof may be above their true value (the roster is right)."""
        solver = make_solver(params, budget_s, workers, deterministic_s, prove=settle)
        outcome = solver.solve(self.ctx.model, callback)
        if outcome == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT rejected the model: {self.ctx.model.validate()}")
        bound = round(solver.best_objective_bound)
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # INFEASIBLE cannot happen once the fixed pairs are checked; it would show as no roster.
            return Result("no_solution", {}, None, bound, {})
        values = {var.index: solver.boolean_value(var) for var in self.ctx.assign.values()}
        status: Status = "optimal" if outcome == cp_model.OPTIMAL else "feasible"
        if status == "feasible" and settle:
            # Helper variables only bound the terms from below; at a mere feasible solution they may
            # sit above their least value, so settle them with the assignments held fixed.
            solver = self._polish(params, values, polish_s) or solver
        terms = {name: sum(w * round(solver.value(e)) for e, w in built) for name, built in self.terms.items()}
        teams: dict[int, list[int]] = {duty_id: [] for duty_id in self.ctx.by_duty}
        for (lawyer_id, duty_id), var in self.ctx.assign.items():
            if values[var.index]:
                teams[duty_id].append(lawyer_id)
        roster = {duty_id: tuple(sorted(team)) for duty_id, team in teams.items()}
        return Result(status, roster, sum(terms.values()), min(bound, sum(terms.values())), terms)

    def _polish(self, params: SolveParams, values: dict[int, bool], budget_s: float) -> cp_model.CpSolver | None:
        model = self.ctx.model
        model.clear_hints()
        for var in self.ctx.assign.values():
            model.add(var == int(values[var.index]))
        solver = make_solver(params, budget_s)
        return solver if solver.solve(model) == cp_model.OPTIMAL else None


def make_solver(
    params: SolveParams,
    budget_s: float,
    workers: int = 1,
    deterministic_s: float | None = None,
    prove: bool = True,
) -> cp_model.CpSolver:
    """A CP-SAT solver with the time limit, seed and search settings every search here uses.

    With `prove` (a whole pool), a single worker branches on the LP; without it (a neighbourhood of
    a large pool), CP-SAT's default search, which starts from the hinted roster at once: measured on
    province-interlocked neighbourhoods of 100 to 250 places, the LP-guided search often found no
    roster at all within a second, the default one always improved on the hint."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(budget_s, 0.001)
    if deterministic_s is not None:
        solver.parameters.max_deterministic_time = max(deterministic_s, 0.001)
    solver.parameters.random_seed = params.seed
    solver.parameters.num_workers = workers
    if workers == 1 and prove:
        # The LP of the full linearisation (at-most-ones and clauses included) is nearly tight here:
        # it gives the bound that proves optimality, and branching on its solution finds the rosters
        # (measured on prefecture-year problems: the proof is both faster and far less seed-dependent
        # than with the default branching).
        solver.parameters.linearization_level = 2
        solver.parameters.search_branching = cp_model.LP_SEARCH
    elif not prove:
        # A neighbourhood: the full linearisation proves neighbourhoods of 20 to 30 places four times
        # faster, yet over a whole run the default one improved rosters as fast or faster (measured on
        # province-interlocked, within noise); the default branching starts from the hinted roster.
        solver.parameters.linearization_level = NEIGHBOURHOOD_LINEARIZATION
    else:
        # The portfolio: its workers pick their own branching; `interleave_search` keeps it repeatable.
        solver.parameters.interleave_search = deterministic_s is not None
    return solver


def weighted(terms: Iterable[Term]) -> cp_model.LinearExprT:
    """The weighted sum of soft terms, constants folded into one number."""
    exprs: list[cp_model.LinearExprT] = []
    weights: list[int] = []
    constant = 0
    for expr, weight in terms:
        if isinstance(expr, int):
            constant += weight * expr
        else:
            exprs.append(expr)
            weights.append(weight)
    return cp_model.LinearExpr.weighted_sum(exprs, weights) + constant
