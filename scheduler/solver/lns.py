"""Large-neighbourhood search (LNS) around CP-SAT, for a pool too large to prove optimal.

The incumbent roster is always kept. Each step frees the places of a neighbourhood (some duties;
everyone on them may move), keeps the rest of the roster fixed, and re-solves the neighbourhood
exactly with CP-SAT from the incumbent as hint. The result is judged with `objective.Scorer`
(the checker's own parts of the objective) and accepted when it is no worse.

Neighbourhoods, by kind (chosen with weights that grow with each kind's successes):
- `window`: the places nearest in time to a random place, over a connected region of offices;
- `open`: the same around an open place, over every office its eligible lawyers serve (so that
  chains of moves can free someone for it);
- `loaded`: the duties of one of the most loaded lawyers, and the places nearest to them in time;
- `block`: a run of consecutive places of one to three neighbouring offices.
Their size (number of duties) adapts: it grows while neighbourhoods are solved to optimality within
their time, and shrinks when they are not.

Between neighbourhoods, a descent by single moves hands duties from the most loaded lawyers to less
loaded colleagues while that lowers the objective (cheap, and most of the early gain).

`workers` threads solve neighbourhoods at once (CP-SAT releases the GIL while it searches). Without a
limit on their number, each thread loops on its own and changes the incumbent under a lock. With a
limit (`SolveParams.neighbourhoods`), they go in rounds of `workers` neighbourhoods of the same
incumbent, each bounded by CP-SAT's deterministic time, whose results are applied one by one in a
fixed order, each checked again against the roster as it is by then: the outcome then depends only on
the seed, the number of workers and the number of neighbourhoods.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import threading
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from scheduler.core.problem import Duty, Problem, own_duties
from scheduler.solver import objective as obj
from scheduler.solver.model import PoolModel, Roster
from scheduler.solver.params import SolveParams

KINDS = ("window", "open", "loaded", "block", "balance")
_MIN_SIZE, _MAX_SIZE, _START_SIZE = 12.0, 1500.0, 60.0
# Wall seconds and deterministic time one neighbourhood may take.
_HOOD_S = 0.15
_HOOD_DETERMINISTIC = 0.5
# Lawyers whose duties the descent by single moves tries to hand on while one round of neighbourhoods runs.
_DESCENT_SLICE = 30


@dataclass(frozen=True)
class Hood:
    """A neighbourhood: the duties to free, and the kind that chose them."""

    kind: str
    duty_ids: tuple[int, ...]


class Lns:
    """The LNS state of one pool: the incumbent roster, its objective, and the neighbourhood choice."""

    def __init__(self, problem: Problem, roster: Roster, params: SolveParams, salt: int = 0) -> None:
        self.problem = problem
        self.params = params
        self.targets = obj.all_fairness_targets(problem)
        self.scorer = obj.Scorer(problem, self.targets)
        self.duties: dict[int, Duty] = self.scorer.duties
        self.lawyers = self.scorer.lawyers
        self.fixed = set(problem.fixed)
        self.eligible: dict[int, list[int]] = {d: [] for d in self.duties}
        self.by_office: dict[int, list[Duty]] = defaultdict(list)
        for duty in sorted(problem.duties, key=lambda d: (d.date, d.id)):
            for office_id in sorted(duty.staff_offices):
                self.by_office[office_id].append(duty)
        self.neighbours: dict[int, set[int]] = defaultdict(set)
        for lawyer in problem.lawyers:
            for office_id in lawyer.offices:
                self.neighbours[office_id] |= lawyer.offices
            for duty in own_duties(lawyer, self.by_office):
                if obj.can_serve(lawyer, duty):
                    self.eligible[duty.id].append(lawyer.id)
        self.roster: Roster = {d: tuple(sorted(roster.get(d, ()))) for d in self.duties}
        self.by_lawyer: dict[int, set[int]] = defaultdict(set)
        for duty_id, team in self.roster.items():
            for lawyer_id in team:
                self.by_lawyer[lawyer_id].add(duty_id)
        self.objective = self.scorer.value(obj.term_units(problem, self.roster, self.scorer))
        self.rng = random.Random(params.seed * 1_000_003 + salt)
        self.size = _START_SIZE
        self.successes = Counter(dict.fromkeys(KINDS, 1))
        self.hoods = 0
        self.gap = max(problem.min_gap_days, 1)
        self.order: list[int] = []
        self.cursor = 0

    # --- the search -------------------------------------------------------------------------------

    def run(
        self,
        left: Callable[[], float],
        workers: int,
        on_improve: Callable[[int], None],
        limit: int | None = None,
    ) -> None:
        """Solve neighbourhoods, `workers` at a time, until `left()` is 0 or `limit` neighbourhoods are done."""
        deterministic = limit is not None
        if self.descend(left):
            on_improve(self.objective)
        if not deterministic:
            self._run_freely(left, workers, on_improve)
            return
        with ThreadPoolExecutor(max_workers=workers) as executor:
            while left() > 0.05 and (limit is None or self.hoods < limit):
                count = workers if limit is None else min(workers, limit - self.hoods)
                hoods = self._disjoint(count)
                budget = min(_HOOD_S, left()) if not deterministic else left()
                # What a neighbourhood keeps fixed is read here, so that the descent below may change the
                # roster while CP-SAT works (it releases the GIL); `apply` checks each result again.
                futures = [
                    executor.submit(self.solve_hood, *self._frozen(hood), budget, deterministic) for hood in hoods
                ]
                moved = self.descend(left, passes=1, givers=self._next_givers())
                results = [future.result() for future in futures]
                self.hoods += count
                improved = moved > 0
                for hood, (teams, proven) in zip(hoods, results, strict=True):
                    self.size = min(_MAX_SIZE, self.size * 1.08) if proven else max(_MIN_SIZE, self.size * 0.85)
                    if teams is None:
                        continue
                    before = self.objective
                    if self.apply(teams) and self.objective < before:
                        self.successes[hood.kind] += 1
                        improved = True
                if improved:
                    on_improve(self.objective)

    def _run_freely(self, left: Callable[[], float], workers: int, on_improve: Callable[[int], None]) -> None:
        """Without a neighbourhood limit, each worker loops on its own: no one waits for the slowest of a
        round. The incumbent is changed under a lock only; the calling thread runs the descent meanwhile."""
        lock = threading.Lock()
        failures: list[BaseException] = []

        def work() -> None:
            try:
                loop()
            except BaseException as error:  # handed to the calling thread below
                failures.append(error)

        def loop() -> None:
            while left() > 0.05 and not failures:
                with lock:
                    hood = self.pick()
                    frozen = self._frozen(hood)
                teams, proven = self.solve_hood(*frozen, min(_HOOD_S, left()), False)
                with lock:
                    self.hoods += 1
                    self.size = min(_MAX_SIZE, self.size * 1.08) if proven else max(_MIN_SIZE, self.size * 0.85)
                    before = self.objective
                    if teams is not None and self.apply(teams) and self.objective < before:
                        self.successes[hood.kind] += 1
                        on_improve(self.objective)

        threads = [threading.Thread(target=work, name=f"lns-{n}", daemon=True) for n in range(workers)]
        for thread in threads:
            thread.start()
        idle = 0
        while left() > 0.05 and not failures and any(thread.is_alive() for thread in threads):
            with lock:
                moved = self.descend(left, passes=1, givers=self._next_givers())
                if moved:
                    on_improve(self.objective)
            # Once a whole turn over the lawyers found nothing, the descent rests between slices.
            idle = 0 if moved else idle + 1
            time.sleep(0.05 if idle * _DESCENT_SLICE >= len(self.lawyers) else 0.001)
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]

    def _next_givers(self) -> list[int]:
        """The next slice of lawyers for the descent between rounds, most loaded first, round and round."""
        if self.cursor >= len(self.order):
            self.order = sorted(self.by_lawyer, key=lambda i: (-self._excess(i), i))
            self.cursor = 0
        chosen = self.order[self.cursor : self.cursor + _DESCENT_SLICE]
        self.cursor += _DESCENT_SLICE
        return chosen

    def _frozen(self, hood: Hood) -> tuple[set[int], dict[int, list[dt.date]], Roster]:
        """A neighbourhood's freed duties, its lawyers' kept dates and its hint, read from the incumbent."""
        freed = set(hood.duty_ids)
        lawyer_ids = {lawyer_id for d in freed for lawyer_id in self.eligible[d]}
        kept = {i: [self.duties[d].date for d in self.by_lawyer.get(i, ()) if d not in freed] for i in lawyer_ids}
        return freed, kept, {d: self.roster[d] for d in freed}

    def solve_hood(
        self, freed: set[int], kept: dict[int, list[dt.date]], hint: Roster, budget_s: float, deterministic: bool
    ) -> tuple[Roster | None, bool]:
        """Re-solve the neighbourhood with the rest of the roster fixed: its new teams, and whether proven."""
        sub = replace(
            self.problem,
            duties=tuple(self.duties[d] for d in sorted(freed)),
            lawyers=tuple(self.lawyers[i] for i in sorted(kept)),
            fixed=frozenset(pair for pair in self.problem.fixed if pair[0] in freed),
            previous=frozenset(pair for pair in self.problem.previous if pair[0] in freed),
        )
        kept_load = {i: sum(self.duties[d].share for d in self.by_lawyer.get(i, ()) if d not in freed) for i in kept}
        model = PoolModel(sub, kept, self.targets, kept_load)
        model.hint(hint)
        determinism = (self.params.deterministic_time_s or _HOOD_DETERMINISTIC) if deterministic else None
        found = model.search(self.params, budget_s, None, workers=1, deterministic_s=determinism, settle=False)
        if found.objective is None:
            return None, False
        return found.roster, found.status == "optimal"

    def apply(self, teams: Roster) -> bool:
        """Put `teams` into the incumbent when the roster stays valid and gets no worse; whether it did."""
        changed = {d: tuple(sorted(team)) for d, team in teams.items() if set(team) != set(self.roster[d])}
        if not changed:
            return False
        sets: dict[int, set[int]] = {}
        for duty_id, team in changed.items():
            old = set(self.roster[duty_id])
            for lawyer_id in old ^ set(team):
                sets.setdefault(lawyer_id, set(self.by_lawyer.get(lawyer_id, set())))
                if lawyer_id in old:
                    sets[lawyer_id].discard(duty_id)
                else:
                    sets[lawyer_id].add(duty_id)
        if not all(self._valid(duty_id, team) for duty_id, team in changed.items()):
            return False
        if not all(self._valid_lawyer(lawyer_id, duty_ids) for lawyer_id, duty_ids in sets.items()):
            return False
        scorer = self.scorer
        delta = sum(scorer.duty_value(d, team) - scorer.duty_value(d, self.roster[d]) for d, team in changed.items())
        delta += sum(
            scorer.lawyer_value(i, duty_ids) - scorer.lawyer_value(i, self.by_lawyer.get(i, ()))
            for i, duty_ids in sets.items()
        )
        if delta > 0:
            return False
        self.roster.update(changed)
        for lawyer_id, duty_ids in sets.items():
            self.by_lawyer[lawyer_id] = duty_ids
        self.objective += delta
        return True

    def _valid(self, duty_id: int, team: Sequence[int]) -> bool:
        duty = self.duties[duty_id]
        if len(team) > duty.needed or len(set(team)) < len(team):
            return False
        if any(pair[0] == duty_id and pair[1] not in team for pair in self.fixed):
            return False
        return all(lawyer_id in self.eligible[duty_id] for lawyer_id in team)

    def _valid_lawyer(self, lawyer_id: int, duty_ids: set[int]) -> bool:
        dates = sorted(self.duties[d].date for d in duty_ids)
        if any((b - a).days < self.gap for a, b in itertools.pairwise(dates)):
            return False
        per_month = Counter(obj.month(day) for day in dates)
        return all(n <= self.lawyers[lawyer_id].max_per_month for n in per_month.values())

    def descend(self, left: Callable[[], float], passes: int = 3, givers: Sequence[int] | None = None) -> int:
        """Single moves of one duty from a lawyer to a less loaded one, while they lower the objective.

        Cheap where CP-SAT neighbourhoods are not: each move is judged by the few parts of the objective
        it touches. Ends after `passes` passes or at a local optimum; how many moves it made.
        """
        scorer, made = self.scorer, 0
        value: dict[int, int] = {}

        def current(lawyer_id: int) -> int:
            if lawyer_id not in value:
                value[lawyer_id] = scorer.lawyer_value(lawyer_id, self.by_lawyer.get(lawyer_id, ()))
            return value[lawyer_id]

        for _ in range(passes):
            moved = 0
            order = givers if givers is not None else sorted(self.by_lawyer, key=lambda i: (-self._excess(i), i))
            for giver in order:
                if left() <= 0:
                    return made
                excess = self._excess(giver)
                for duty_id in sorted(self.by_lawyer[giver]):
                    if (duty_id, giver) in self.fixed or duty_id not in self.by_lawyer[giver]:
                        continue
                    team = self.roster[duty_id]
                    giving = scorer.lawyer_value(giver, self.by_lawyer[giver] - {duty_id}) - current(giver)
                    before = scorer.duty_value(duty_id, team)
                    best: tuple[int, int] | None = None
                    for taker in self.eligible[duty_id]:
                        if taker in team or self._excess(taker) >= excess or not self._free(taker, duty_id):
                            continue
                        taking = scorer.lawyer_value(taker, self.by_lawyer.get(taker, set()) | {duty_id}) - current(
                            taker
                        )
                        after = scorer.duty_value(duty_id, [taker if i == giver else i for i in team])
                        delta = after - before + giving + taking
                        if delta < 0 and (best is None or delta < best[0]):
                            best = (delta, taker)
                    if best is not None:
                        new_team = tuple(sorted(best[1] if i == giver else i for i in team))
                        if self.apply({duty_id: new_team}):
                            moved += 1
                            for i in (giver, best[1]):
                                value[i] = scorer.lawyer_value(i, self.by_lawyer.get(i, ()))
                            excess = self._excess(giver)
            made += moved
            if not moved:
                break
        return made

    def _free(self, lawyer_id: int, duty_id: int) -> bool:
        """Whether the lawyer could take one more duty on this date under the gap and monthly rules."""
        duty = self.duties[duty_id]
        own = [self.duties[d].date for d in self.by_lawyer.get(lawyer_id, ())]
        if any(abs((day - duty.date).days) < self.gap for day in own):
            return False
        month = obj.month(duty.date)
        return sum(1 for day in own if obj.month(day) == month) < self.lawyers[lawyer_id].max_per_month

    # --- neighbourhoods ---------------------------------------------------------------------------

    def pick(self) -> Hood:
        """The next neighbourhood: a kind chosen by past successes, of about the current size."""
        kinds = [k for k in KINDS if k != "open" or self._open_duties()]
        kind = self.rng.choices(kinds, [self.successes[k] for k in kinds])[0]
        size = max(1, round(self.size * self.rng.uniform(0.7, 1.3)))
        all_duties = sorted(self.duties)
        if kind == "open":
            center = self.duties[self.rng.choice(self._open_duties())]
            region = {o for i in self.eligible[center.id] for o in self.lawyers[i].offices}
            return Hood(kind, self._nearest(region, [center.date], size))
        if kind == "loaded":
            ranked = sorted(
                self.by_lawyer,
                key=lambda i: (-self._excess(i), i),
            )
            chosen = self.rng.choice(ranked[:10]) if ranked else None
            if chosen is not None and self.by_lawyer[chosen]:
                lawyer = self.lawyers[chosen]
                region = set(lawyer.offices) | {o for x in lawyer.offices for o in self.neighbours[x]}
                dates = [self.duties[d].date for d in self.by_lawyer[chosen]]
                own = sorted(self.by_lawyer[chosen])
                rest = [d for d in self._nearest(region, dates, size) if d not in self.by_lawyer[chosen]]
                return Hood(kind, tuple(own + rest)[: max(size, len(own))])
            kind = "window"
        if kind == "balance":
            found = self._balance(size)
            if found:
                return Hood(kind, found)
            kind = "window"
        center = self.duties[self.rng.choice(all_duties)]
        if kind == "block":
            region = self._region(center.office_id, self.rng.randint(1, 3))
            duties = sorted((d for o in region for d in self.by_office.get(o, ())), key=lambda d: (d.date, d.id))
            first = self.rng.randrange(max(1, len(duties) - size + 1))
            return Hood(kind, tuple(d.id for d in duties[first : first + size]))
        region = self._region(center.office_id, self.rng.randint(2, 8))
        return Hood("window", self._nearest(region, [center.date], size))

    def _disjoint(self, count: int, tries: int = 5) -> list[Hood]:
        """`count` neighbourhoods for one round, sharing no duty when a few tries allow it: results
        of overlapping neighbourhoods of the same roster mostly exclude each other."""
        hoods: list[Hood] = []
        taken: set[int] = set()
        for _ in range(count):
            hood = self.pick()
            for _ in range(tries):
                if taken.isdisjoint(hood.duty_ids):
                    break
                hood = self.pick()
            hoods.append(hood)
            taken.update(hood.duty_ids)
        return hoods

    def _excess(self, lawyer_id: int) -> int:
        load = sum(self.duties[d].share for d in self.by_lawyer.get(lawyer_id, ()))
        return load - self.targets.get(lawyer_id, 0)

    def _balance(self, size: int) -> tuple[int, ...]:
        """Every duty of one of the most loaded lawyers and of the least loaded colleagues of their offices."""
        ranked = sorted(self.targets, key=lambda i: (-self._excess(i), i))
        if not ranked:
            return ()
        heavy = self.lawyers[self.rng.choice(ranked[:20])]
        colleagues = sorted(
            {i for o in heavy.offices for d in self.by_office.get(o, ()) for i in self.eligible[d.id]} - {heavy.id},
            key=lambda i: (self._excess(i), i),
        )
        chosen: list[int] = sorted(self.by_lawyer.get(heavy.id, ()))
        for lawyer_id in colleagues[: self.rng.randint(2, 6)]:
            chosen += sorted(self.by_lawyer.get(lawyer_id, ()))
            if len(chosen) >= size:
                break
        return tuple(dict.fromkeys(chosen))[: max(size, 1)]

    def _open_duties(self) -> list[int]:
        return [d for d, team in sorted(self.roster.items()) if len(team) < self.duties[d].needed and self.eligible[d]]

    def _region(self, office_id: int, count: int) -> set[int]:
        """Up to `count` offices reached from `office_id` through shared lawyers, breadth first."""
        seen, queue = {office_id}, deque([office_id])
        while queue and len(seen) < count:
            for other in sorted(self.neighbours[queue.popleft()]):
                if other not in seen and len(seen) < count:
                    seen.add(other)
                    queue.append(other)
        return seen

    def _nearest(self, region: set[int], dates: Sequence, size: int) -> tuple[int, ...]:
        """The `size` duties of `region` nearest in time to any of `dates`."""
        # A remote duty is listed under each office it is served from: each once.
        duties = list({d.id: d for o in sorted(region) for d in self.by_office.get(o, ())}.values())
        duties.sort(key=lambda d: (min(abs((d.date - day).days) for day in dates), d.id))
        return tuple(d.id for d in duties[:size])
