"""Solve a roster problem with CP-SAT, one independent model per pool, and report on it.

Pools (offices linked by shared lawyers) share no lawyer and no duty, so each is its own
model, and up to `SolveParams.workers` pools are searched at once. Each search is
single-threaded: CP-SAT is then deterministic for a seed, and on these models one
LP-driven worker proves optimality about as fast as the default two-worker portfolio.

Before any model is built, the fixed pairs alone are checked against the hard rules: the
rules only ever forbid adding assignments, so the problem is infeasible exactly when its
fixed pairs already break one, and those pairs are named.
"""

from __future__ import annotations

import dataclasses
import statistics
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from ortools.sat.python import cp_model

from scheduler.core.problem import Lawyer, Problem
from scheduler.solver import objective as obj
from scheduler.solver.check import hard_violations
from scheduler.solver.explain import explain_unstaffed
from scheduler.solver.params import SolveParams
from scheduler.solver.report import PoolFairness, Progress, Solution, SolveReport, Status
from scheduler.solver.rules import RULES, ModelContext, Term, new_context

ProgressCallback = Callable[[Progress], None]
Roster = dict[int, tuple[int, ...]]

# Part of the time limit kept back for polishing, explaining open places and the report.
_RESERVE_SHARE = 0.05
_RESERVE_MAX_S = 1.0
_STATUS_ORDER: tuple[Status, ...] = ("optimal", "feasible", "no_solution", "infeasible")


def solve(problem: Problem, params: SolveParams | None = None, on_progress: ProgressCallback | None = None) -> Solution:
    """The best roster found within `params.time_limit_s`, and a report on it.

    Every duty id is a key of `assignments`. With status "infeasible" the roster is empty and
    `conflicts` names the fixed pairs that break a hard rule. Each pool first gets a quick
    greedy roster, then a CP-SAT search; a pool the time limit leaves unsearched keeps its greedy
    roster (status "feasible"), and one reached before even that keeps only its fixed pairs
    (status "no_solution"). `on_progress` receives each improving roster of the whole problem;
    it may be called from a worker thread.
    """
    params = params or SolveParams()
    clock = _Clock(params.time_limit_s)
    conflicts = tuple(f"{v.rule}: {v.message}" for v in hard_violations(problem, _fixed_only(problem)))
    if conflicts:
        report = SolveReport("infeasible", None, None, None, clock.elapsed(), None, {}, (), (), conflicts)
        return Solution({duty.id: () for duty in problem.duties}, report)

    subs = _pool_problems(problem)
    starts = [_start(sub, clock) for sub in subs]
    tracker = _Tracker(clock, on_progress, [start.objective or 0 for start in starts])
    if all(start.objective is not None for start in starts):
        tracker.all_found()
    planner = _Planner(clock, [_size(sub) for sub in subs], params.workers)
    with ThreadPoolExecutor(max_workers=min(params.workers, len(subs)) or 1) as pool:
        # Biggest first, so that small pools fill the gaps at the end.
        order = sorted(range(len(subs)), key=lambda i: -planner.sizes[i])
        futures = {i: pool.submit(_solve_pool, subs[i], starts[i], i, params, planner, tracker) for i in order}
        results = [futures[i].result() for i in range(len(subs))]
        # Pools share the time in advance; one that needed more than its share gets a second search,
        # from its best roster, in whatever time the others left.
        again = [i for i in order if results[i].status == "feasible" and results[i].searched]
        if again and clock.left() > 0:
            planner = _Planner(clock, [planner.sizes[i] if i in again else 0 for i in range(len(subs))], params.workers)
            futures = {i: pool.submit(_solve_pool, subs[i], results[i], i, params, planner, tracker) for i in again}
            for i, future in futures.items():
                results[i] = future.result()

    roster: Roster = {duty.id: () for duty in problem.duties}
    for result in results:
        roster.update(result.roster)
    status: Status = max((r.status for r in results), key=_STATUS_ORDER.index, default="optimal")
    return Solution(roster, _report(problem, roster, results, status, tracker, clock))


class _Clock:
    """Seconds since the call started, and how many the searches may still use."""

    def __init__(self, limit_s: float) -> None:
        self.started = time.monotonic()
        self.limit_s = limit_s
        self.reserve_s = min(_RESERVE_MAX_S, limit_s * _RESERVE_SHARE)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def left(self) -> float:
        return max(0.0, self.limit_s - self.reserve_s - self.elapsed())


def _fixed_only(problem: Problem) -> dict[int, list[int]]:
    roster: dict[int, list[int]] = {}
    for duty_id, lawyer_id in sorted(problem.fixed):
        roster.setdefault(duty_id, []).append(lawyer_id)
    return roster


def _pool_problems(problem: Problem) -> list[Problem]:
    """One problem per pool that has duties, holding only that pool's offices, lawyers and pairs."""
    subs = []
    for pool in obj.pools(problem):
        if not pool.duty_ids:
            continue
        offices, lawyers, duties = set(pool.office_ids), set(pool.lawyer_ids), set(pool.duty_ids)
        subs.append(
            dataclasses.replace(
                problem,
                offices=tuple(o for o in problem.offices if o.id in offices),
                lawyers=tuple(lawyer for lawyer in problem.lawyers if lawyer.id in lawyers),
                duties=tuple(d for d in problem.duties if d.id in duties),
                fixed=frozenset(pair for pair in problem.fixed if pair[0] in duties),
                previous=frozenset(pair for pair in problem.previous if pair[0] in duties),
            )
        )
    return subs


def _size(problem: Problem) -> int:
    """A cheap estimate of a pool's model size: lawyer-duty pairs that share an office."""
    serving: dict[int, int] = {}
    for lawyer in problem.lawyers:
        for office_id in lawyer.offices:
            serving[office_id] = serving.get(office_id, 0) + 1
    return 1 + sum(serving.get(duty.office_id, 0) for duty in problem.duties)


class PoolModel:
    """The CP-SAT model of one pool: hard rules, and the soft terms by name (switched-off ones not built)."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.ctx: ModelContext = new_context(problem)
        self.terms: dict[str, list[Term]] = {}
        for rule in RULES:
            if not rule.hard and getattr(problem.weights, rule.name) == 0:
                continue
            built = rule.build(self.ctx)
            if not rule.hard:
                self.terms[rule.name] = built
        self.ctx.model.minimize(_weighted(t for terms in self.terms.values() for t in terms))
        previous = {(lawyer_id, duty_id) for duty_id, lawyer_id in problem.previous}
        if previous:
            for pair, var in self.ctx.assign.items():
                self.ctx.model.add_hint(var, pair in previous)

    def hint(self, roster: Roster) -> None:
        """Start the search from `roster` (instead of the previous roster of the problem)."""
        self.ctx.model.clear_hints()
        chosen = {(lawyer_id, duty_id) for duty_id, team in roster.items() for lawyer_id in team}
        for pair, var in self.ctx.assign.items():
            self.ctx.model.add_hint(var, pair in chosen)

    def search(
        self, params: SolveParams, budget_s: float, callback: cp_model.CpSolverSolutionCallback, polish_s: float = 1.0
    ) -> _Result:
        """Search for at most `budget_s` seconds (plus `polish_s` to settle a roster found without
        proof); the best roster found with its terms, or none."""
        solver = _solver(params, budget_s)
        outcome = solver.solve(self.ctx.model, callback)
        if outcome == cp_model.MODEL_INVALID:
            raise RuntimeError(f"CP-SAT rejected the model: {self.ctx.model.validate()}")
        bound = round(solver.best_objective_bound)
        if outcome not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # INFEASIBLE cannot happen once the fixed pairs are checked; it would show as no roster.
            return _Result("no_solution", {}, None, bound, {})
        values = {var.index: solver.boolean_value(var) for var in self.ctx.assign.values()}
        status: Status = "optimal" if outcome == cp_model.OPTIMAL else "feasible"
        if status == "feasible":
            # Helper variables only bound the terms from below; at a mere feasible solution they may
            # sit above their least value, so settle them with the assignments held fixed.
            solver = self._polish(params, values, polish_s) or solver
        terms = {name: sum(w * round(solver.value(e)) for e, w in built) for name, built in self.terms.items()}
        teams: dict[int, list[int]] = {duty_id: [] for duty_id in self.ctx.by_duty}
        for (lawyer_id, duty_id), var in self.ctx.assign.items():
            if values[var.index]:
                teams[duty_id].append(lawyer_id)
        roster = {duty_id: tuple(sorted(team)) for duty_id, team in teams.items()}
        return _Result(status, roster, sum(terms.values()), min(bound, sum(terms.values())), terms)

    def _polish(self, params: SolveParams, values: dict[int, bool], budget_s: float) -> cp_model.CpSolver | None:
        model = self.ctx.model
        model.clear_hints()
        for var in self.ctx.assign.values():
            model.add(var == int(values[var.index]))
        solver = _solver(params, budget_s)
        return solver if solver.solve(model) == cp_model.OPTIMAL else None


def _solver(params: SolveParams, budget_s: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(budget_s, 0.001)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = params.seed
    # The LP of the full linearisation (at-most-ones and clauses included) is nearly tight here:
    # it gives the bound that proves optimality, and branching on its solution finds the rosters
    # (measured on prefecture-year problems: the proof is both faster and far less seed-dependent
    # than with the default branching).
    solver.parameters.linearization_level = 2
    solver.parameters.search_branching = cp_model.LP_SEARCH
    return solver


def _weighted(terms: Iterable[Term]) -> cp_model.LinearExprT:
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


@dataclasses.dataclass
class _Result:
    status: Status
    roster: Roster
    objective: int | None
    bound: int
    terms: dict[str, int]
    searched: bool = False  # whether CP-SAT has searched the pool (else it is the greedy roster)


def _start(problem: Problem, clock: _Clock) -> _Result:
    """The pool's greedy roster and its terms, or only its fixed pairs when no time is left."""
    if clock.left() <= 0:
        return _Result("no_solution", {k: tuple(v) for k, v in _fixed_only(problem).items()}, None, 0, {})
    roster = _starter_roster(problem)
    terms = obj.term_values(problem, roster)
    return _Result("feasible", roster, sum(terms.values()), 0, terms)


def _solve_pool(
    problem: Problem, start: _Result, index: int, params: SolveParams, planner: _Planner, tracker: _Tracker
) -> _Result:
    """Build and search one pool; keep the greedy roster when the search finds nothing better."""
    if start.objective is None or planner.start(index) <= 0:
        return start
    model = PoolModel(problem)
    if start.searched:
        model.hint(start.roster)
    # Settling a roster found without proof takes milliseconds; it comes out of the reserve.
    polish_s = max(0.1, planner.clock.reserve_s)
    found = model.search(params, planner.budget(index), _Watcher(tracker, index), polish_s)
    # Every term is at least 0, so a bound below 0 (a search stopped early) says nothing more than 0.
    bound = max(0, found.bound, start.bound)
    tracker.finished(index, bound)
    if found.objective is None or found.objective > start.objective:
        # The search ran out of time without beating the roster it started from: hand that back.
        return dataclasses.replace(start, bound=bound, searched=True)
    return dataclasses.replace(found, bound=bound, searched=True)


def _starter_roster(problem: Problem) -> Roster:
    """A quick greedy roster that keeps every hard rule, so a search cut short still hands back
    something sensible: duties by date, each place to the eligible lawyer furthest below their
    fair share (then the lowest id)."""
    targets: dict[int, int] = {}
    for pool in obj.pools(problem):
        targets.update(obj.fairness_targets(problem, pool))
    by_office: dict[int, list[Lawyer]] = defaultdict(list)
    for lawyer in problem.lawyers:
        for office_id in lawyer.offices:
            by_office[office_id].append(lawyer)
    duties = {duty.id: duty for duty in problem.duties}
    teams: dict[int, list[int]] = {duty_id: [] for duty_id in duties}
    dates: dict[int, list] = defaultdict(list)
    per_month: Counter[tuple[int, tuple[int, int]]] = Counter()
    for duty_id, lawyer_id in sorted(problem.fixed):
        teams[duty_id].append(lawyer_id)
        dates[lawyer_id].append(duties[duty_id].date)
        per_month[lawyer_id, obj.month(duties[duty_id].date)] += 1
    gap = max(problem.min_gap_days, 1)
    for duty in sorted(duties.values(), key=lambda d: (d.date, d.id)):
        month = obj.month(duty.date)
        free = [
            lawyer
            for lawyer in by_office[duty.office_id]
            if lawyer.id not in teams[duty.id]
            and per_month[lawyer.id, month] < lawyer.max_per_month
            and all(abs((other - duty.date).days) >= gap for other in dates[lawyer.id])
            and obj.can_serve(lawyer, duty)
        ]
        free.sort(
            key=lambda lawyer: (obj.FAIRNESS_SCALE * len(dates[lawyer.id]) - targets.get(lawyer.id, 0), lawyer.id)
        )
        for lawyer in free[: max(0, duty.needed - len(teams[duty.id]))]:
            teams[duty.id].append(lawyer.id)
            dates[lawyer.id].append(duty.date)
            per_month[lawyer.id, month] += 1
    return {duty_id: tuple(sorted(team)) for duty_id, team in teams.items()}


class _Planner:
    """Shares the time limit among pools in proportion to their size, over the worker threads."""

    def __init__(self, clock: _Clock, sizes: list[int], workers: int) -> None:
        self.clock = clock
        self.sizes = sizes
        self.workers = workers
        self.waiting = sum(sizes)
        self.shares: dict[int, float] = {}
        self.lock = threading.Lock()

    def start(self, index: int) -> float:
        """Book the pool's share of the remaining time; what is left when it starts."""
        with self.lock:
            left = self.clock.left()
            parallel = min(self.workers, max(1, len(self.sizes)))
            self.shares[index] = min(1.0, parallel * self.sizes[index] / max(1, self.waiting))
            self.waiting -= self.sizes[index]
            return left

    def budget(self, index: int) -> float:
        """Seconds the pool's search may take now (its building time already spent)."""
        return self.clock.left() * self.shares[index]


@dataclasses.dataclass
class _Tracker:
    """The objective of the whole problem as pools improve, passed on when it drops."""

    clock: _Clock
    on_progress: ProgressCallback | None
    best: list[int]
    bounds: list[int] = dataclasses.field(default_factory=list)
    first_solution_s: float | None = None
    reported: int | None = None
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.bounds = [0] * len(self.best)

    def all_found(self) -> None:
        """Every pool has its greedy roster: the first roster of the whole problem."""
        with self.lock:
            self.first_solution_s = self.clock.elapsed()
            self._report()

    def solution(self, index: int, objective: int, bound: int) -> None:
        """An improving roster found by the search of pool `index`."""
        with self.lock:
            self.bounds[index] = max(self.bounds[index], bound)
            if objective < self.best[index]:
                self.best[index] = objective
                self._report()

    def _report(self) -> None:
        total = sum(self.best)
        if self.first_solution_s is not None and self.on_progress and (self.reported is None or total < self.reported):
            self.reported = total
            self.on_progress(Progress(total, sum(self.bounds), self.clock.elapsed()))

    def finished(self, index: int, bound: int) -> None:
        with self.lock:
            self.bounds[index] = max(self.bounds[index], bound)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Hands each improving solution of one pool's search to the tracker."""

    def __init__(self, tracker: _Tracker, index: int) -> None:
        super().__init__()
        self.tracker = tracker
        self.index = index

    def on_solution_callback(self) -> None:
        self.tracker.solution(self.index, round(self.objective_value), round(self.best_objective_bound))


def _report(
    problem: Problem, roster: Roster, results: list[_Result], status: Status, tracker: _Tracker, clock: _Clock
) -> SolveReport:
    solved = status in ("optimal", "feasible")
    objective = sum(r.objective or 0 for r in results) if solved else None
    bound = sum(r.bound for r in results)
    terms = {name: sum(r.terms.get(name, 0) for r in results) for name in obj.TERMS} if solved else {}
    fairness = _fairness(problem, roster) if solved else ()
    unstaffed = explain_unstaffed(problem, roster) if solved else ()
    return SolveReport(
        status=status,
        objective=objective,
        bound=bound,
        gap=(objective - bound) / max(1, abs(objective)) if objective is not None else None,
        wall_s=clock.elapsed(),
        first_solution_s=tracker.first_solution_s,
        terms=terms,
        fairness=fairness,
        unstaffed=unstaffed,
        conflicts=(),
    )


def _fairness(problem: Problem, roster: Roster) -> tuple[PoolFairness, ...]:
    """Duties per lawyer in each pool, over the lawyers the fairness term judges."""
    counts: dict[int, int] = {}
    for team in roster.values():
        for lawyer_id in team:
            counts[lawyer_id] = counts.get(lawyer_id, 0) + 1
    codes = {office.id: office.code for office in problem.offices}
    summary = []
    for pool in obj.pools(problem):
        served = [counts.get(lawyer_id, 0) for lawyer_id in obj.fairness_targets(problem, pool)]
        if served:
            label = "+".join(codes.get(office_id, str(office_id)) for office_id in pool.office_ids)
            median = float(statistics.median(served))
            summary.append(PoolFairness(label, len(served), min(served), median, max(served)))
    return tuple(summary)
