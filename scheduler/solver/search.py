"""Solve a roster problem: pools, time sharing, workers, and the search of each pool.

Pools (offices linked by shared lawyers) share no lawyer and no duty, so each is searched on its
own. Every pool first gets a greedy roster (`greedy.start_roster`, coverage first). Then:
- a pool small enough to prove is one CP-SAT model, searched single-threaded with the LP-guided
  branching (deterministic for a seed); up to `workers` such pools run side by side, each with a
  share of the time in proportion to its size;
- a pool too large to prove (and a small one left unproven) is improved by large-neighbourhood
  search (`lns.Lns`) with every worker, in the time the small pools left.

Before any model is built, the fixed pairs alone are checked against the hard rules: the rules
only ever forbid adding assignments, so the problem is infeasible exactly when its fixed pairs
already break one, and those pairs are named.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ortools.sat.python import cp_model

from scheduler.core.problem import Problem
from scheduler.solver import objective as obj
from scheduler.solver.check import hard_violations
from scheduler.solver.explain import explain_unstaffed
from scheduler.solver.greedy import open_places, start_roster
from scheduler.solver.lns import Lns
from scheduler.solver.measures import pool_fairness
from scheduler.solver.model import PoolModel, Result, Roster
from scheduler.solver.params import SolveParams
from scheduler.solver.pools import pools, restrict
from scheduler.solver.report import Progress, Solution, SolveReport, Status

ProgressCallback = Callable[[Progress], None]

# Part of the time limit kept back for polishing, explaining open places and the report.
_RESERVE_SHARE = 0.05
_RESERVE_MAX_S = 1.0
_STATUS_ORDER: tuple[Status, ...] = ("optimal", "feasible", "no_solution", "infeasible")
# A pool with more candidate pairs than this is not given to one CP-SAT model: LNS improves it.
LARGE_POOL_PAIRS = 40_000
# A pool with more pairs than this gets a short LNS before its proof, for LNS_FIRST_SHARE of its time.
QUICK_POOL_PAIRS = 2_000
LNS_FIRST_SHARE = 0.3
# Below this many seconds per pair a whole-pool proof is not tried (prefecture-year pools of about
# 8,000 pairs take 10 to 15 s of one core).
PROOF_S_PER_PAIR = 0.001


def solve(problem: Problem, params: SolveParams | None = None, on_progress: ProgressCallback | None = None) -> Solution:
    """The best roster found within `params.time_limit_s`, and a report on it.

    Every duty id is a key of `assignments`. With status "infeasible" the roster is empty and
    `conflicts` names the fixed pairs that break a hard rule. Each pool first gets a greedy roster,
    then a search; a pool the time limit leaves unsearched keeps its greedy roster (status
    "feasible"), and one reached before even that keeps only its fixed pairs (status "no_solution").
    `on_progress` receives each improving roster of the whole problem; it may be called from a
    worker thread.
    """
    params = params or SolveParams()
    clock = _Clock(params.time_limit_s)
    conflicts = tuple(f"{v.rule}: {v.message}" for v in hard_violations(problem, _fixed_only(problem)))
    if conflicts:
        report = SolveReport("infeasible", None, None, None, clock.elapsed(), None, {}, (), (), conflicts)
        return Solution({duty.id: () for duty in problem.duties}, report)

    subs = [restrict(problem, pool) for pool in pools(problem) if pool.duty_ids]
    starts = [_start(sub, clock) for sub in subs]
    tracker = _Tracker(clock, on_progress, [start.objective or 0 for start in starts])
    tracker.open = [open_places(sub, start.roster) for sub, start in zip(subs, starts, strict=True)]
    if all(start.objective is not None for start in starts):
        tracker.all_found()
    sizes = [_size(sub) for sub in subs]
    large = {i for i, size in enumerate(sizes) if size > LARGE_POOL_PAIRS}
    planner = _Planner(clock, sizes, params.workers)
    results = list(starts)
    small = [i for i in sorted(range(len(subs)), key=lambda i: -sizes[i]) if i not in large]
    with ThreadPoolExecutor(max_workers=min(params.workers, len(small)) or 1) as executor:
        # Biggest first, so that small pools fill the gaps at the end.
        futures = {i: executor.submit(_solve_pool, subs[i], starts[i], i, params, planner, tracker) for i in small}
        for i, future in futures.items():
            results[i] = future.result()
    # What the small pools left goes to the large pools and to those left unproven, biggest first.
    again = sorted(
        [i for i in range(len(subs)) if i in large or (results[i].status == "feasible" and results[i].searched)],
        key=lambda i: -sizes[i],
    )
    waiting = sum(sizes[i] for i in again)
    for i in again:
        if results[i].objective is None or clock.left() <= 0.05:
            continue
        share = sizes[i] / max(1, waiting)
        waiting -= sizes[i]
        results[i] = _improve(subs[i], results[i], i, params, clock, tracker, clock.left() * share)

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


def _size(problem: Problem) -> int:
    """A cheap estimate of how much a pool's search has to decide: lawyer-duty pairs that share an office, on
    duties with a place left open by the fixed pairs. A duty whose places are all fixed decides nothing, so a
    repair (everything fixed but the vacated places) counts as the small problem it is and is proven at once
    instead of going through the large-pool search first."""
    serving: dict[int, int] = {}
    for lawyer in problem.lawyers:
        for office_id in lawyer.offices:
            serving[office_id] = serving.get(office_id, 0) + 1
    fixed: dict[int, int] = {}
    for duty_id, _lawyer_id in problem.fixed:
        fixed[duty_id] = fixed.get(duty_id, 0) + 1
    return 1 + sum(
        sum(serving.get(o, 0) for o in d.staff_offices) for d in problem.duties if fixed.get(d.id, 0) < d.needed
    )


def _start(problem: Problem, clock: _Clock) -> Result:
    """The pool's greedy roster and its terms, or only its fixed pairs when no time is left."""
    if clock.left() <= 0:
        return Result("no_solution", {k: tuple(v) for k, v in _fixed_only(problem).items()}, None, 0, {})
    roster = start_roster(problem)
    terms = obj.term_values(problem, roster)
    return Result("feasible", roster, sum(terms.values()), 0, terms)


def _solve_pool(
    problem: Problem, start: Result, index: int, params: SolveParams, planner: _Planner, tracker: _Tracker
) -> Result:
    """Build and search one pool as one model; keep the greedy roster when the search finds nothing better."""
    if start.objective is None or planner.start(index) <= 0:
        return start
    clock = planner.clock
    budget = planner.budget(index)
    deadline = clock.elapsed() + budget
    pairs = _size(problem)
    if pairs > QUICK_POOL_PAIRS:
        # A pool that takes CP-SAT seconds to prove: first a large-neighbourhood search (on one worker),
        # whose roster is then the hint of the proof, so a proof cut short still hands back a good
        # roster. When the time is too short for a proof anyway, the search gets all of it (measured
        # on province-year at 10 s: the LP-guided search alone ended without beating the greedy roster).
        hopeless = budget < PROOF_S_PER_PAIR * pairs
        lns_s = budget if hopeless else LNS_FIRST_SHARE * budget
        start = _improve(problem, start, index, params, clock, tracker, lns_s, workers=1)
        if hopeless:
            return start
    model = PoolModel(problem)
    model.hint(start.roster)
    # Settling a roster found without proof takes milliseconds; it comes out of the reserve.
    polish_s = max(0.1, clock.reserve_s)
    search_s = min(clock.left(), deadline - clock.elapsed())
    if search_s <= 0:
        return start
    watcher = _Watcher(tracker, index, model.open_places)
    found = model.search(params, search_s, watcher, polish_s, deterministic_s=params.deterministic_time_s)
    # Every term is at least 0, so a bound below 0 (a search stopped early) says nothing more than 0.
    bound = max(0, found.bound, start.bound)
    tracker.finished(index, bound)
    if found.objective is None or (start.objective is not None and found.objective > start.objective):
        # The search ran out of time without beating the roster it started from: hand that back.
        return dataclasses.replace(start, bound=bound, searched=True)
    return dataclasses.replace(found, bound=bound, searched=True)


def _improve(
    problem: Problem,
    start: Result,
    index: int,
    params: SolveParams,
    clock: _Clock,
    tracker: _Tracker,
    seconds: float,
    workers: int | None = None,
) -> Result:
    """Large-neighbourhood search on one pool's roster for `seconds`, with `workers` (default: all)."""
    until = clock.elapsed() + seconds
    search = Lns(problem, start.roster, params, salt=index)

    def left() -> float:
        return min(clock.left(), max(0.0, until - clock.elapsed()))

    def improved(objective: int) -> None:
        tracker.solution(index, objective, start.bound, open_places(problem, search.roster))

    limit = params.neighbourhoods
    search.run(left, workers or params.workers, improved, limit)
    if search.objective >= (start.objective or 0) and start.searched:
        return start
    terms = obj.term_values(problem, search.roster)
    return Result("feasible", dict(search.roster), sum(terms.values()), start.bound, terms, searched=True)


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
    open: list[int] = dataclasses.field(default_factory=list)
    first_solution_s: float | None = None
    best_solution_s: float | None = None
    reported: int | None = None
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.bounds = [0] * len(self.best)

    def all_found(self) -> None:
        """Every pool has its greedy roster: the first roster of the whole problem."""
        with self.lock:
            self.first_solution_s = self.best_solution_s = self.clock.elapsed()
            self._report()

    def solution(self, index: int, objective: int, bound: int, open_places: int | None = None) -> None:
        """An improving roster found by the search of pool `index` (with its open places, when known)."""
        with self.lock:
            self.bounds[index] = max(self.bounds[index], bound)
            if objective < self.best[index]:
                self.best[index] = objective
                if open_places is not None and index < len(self.open):
                    self.open[index] = open_places
                self.best_solution_s = self.clock.elapsed()
                self._report()

    def _report(self) -> None:
        total = sum(self.best)
        if self.first_solution_s is not None and self.on_progress and (self.reported is None or total < self.reported):
            self.reported = total
            opened = sum(self.open) if self.open else None
            self.on_progress(Progress(total, min(total, sum(self.bounds)), self.clock.elapsed(), opened))

    def finished(self, index: int, bound: int) -> None:
        with self.lock:
            self.bounds[index] = max(self.bounds[index], bound)


class _Watcher(cp_model.CpSolverSolutionCallback):
    """Hands each improving solution of one pool's search to the tracker."""

    def __init__(
        self, tracker: _Tracker, index: int, open_places: Callable[[cp_model.CpSolverSolutionCallback], int]
    ) -> None:
        super().__init__()
        self.tracker = tracker
        self.index = index
        self.open_places = open_places

    def on_solution_callback(self) -> None:
        objective = round(self.objective_value)
        # Counting open places costs a pass over the variables: only for a roster that improves.
        known = self.open_places(self) if objective < self.tracker.best[self.index] else None
        self.tracker.solution(self.index, objective, round(self.best_objective_bound), known)


def _report(
    problem: Problem, roster: Roster, results: list[Result], status: Status, tracker: _Tracker, clock: _Clock
) -> SolveReport:
    solved = status in ("optimal", "feasible")
    objective = sum(r.objective or 0 for r in results) if solved else None
    bound = sum(r.bound for r in results)
    terms = {name: sum(r.terms.get(name, 0) for r in results) for name in obj.TERMS} if solved else {}
    fairness = pool_fairness(problem, roster) if solved else ()
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
        best_solution_s=tracker.best_solution_s,
        open_places=open_places(problem, roster) if solved else 0,
    )
