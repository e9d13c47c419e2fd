"""Quick rosters that keep every hard rule: the starting point of every search.

`coverage_first` staffs the hardest places first: at each step the open place with the fewest
free eligible lawyers left for its missing places, given to the lawyer whose taking it blocks
the fewest other places (a lookahead over the gap and monthly limits), then the one furthest below
their fair share. `date_order` is the plain baseline (duties by date, fewest duties so far), kept
so that `start_roster` never leaves more places open than it.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import Counter, defaultdict
from collections.abc import Mapping

from scheduler.core.problem import Duty, Lawyer, Problem
from scheduler.solver import objective as obj

Roster = dict[int, tuple[int, ...]]


def start_roster(problem: Problem, targets: Mapping[int, int] | None = None) -> Roster:
    """`coverage_first`, or `date_order` when that leaves fewer places open."""
    targets = obj.all_fairness_targets(problem) if targets is None else targets
    first, baseline = coverage_first(problem, targets), date_order(problem)
    # Ties go to the coverage-first roster, which also balances the load (measured: its objective is
    # about half the date-order one on every benchmark); evaluating both objectives would cost more.
    return baseline if open_places(problem, baseline) < open_places(problem, first) else first


def open_places(problem: Problem, roster: Roster) -> int:
    """Places the roster leaves open."""
    return sum(max(0, duty.needed - len(roster.get(duty.id, ()))) for duty in problem.duties)


class _State:
    """A roster being built, with what the hard rules need to know about each lawyer."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.gap = max(problem.min_gap_days, 1)
        self.duties = {duty.id: duty for duty in problem.duties}
        self.lawyers = {lawyer.id: lawyer for lawyer in problem.lawyers}
        self.teams: dict[int, list[int]] = {duty_id: [] for duty_id in self.duties}
        self.dates: dict[int, list[dt.date]] = defaultdict(list)  # sorted
        self.load: Counter[int] = Counter()  # the fairness load: shares of the lawyer's duties
        self.per_month: Counter[tuple[int, tuple[int, int]]] = Counter()
        self.months = {duty_id: obj.month(duty.date) for duty_id, duty in self.duties.items()}
        for duty_id, lawyer_id in sorted(problem.fixed):
            if duty_id in self.duties and lawyer_id in self.lawyers:
                self.assign(self.duties[duty_id], lawyer_id)

    def assign(self, duty: Duty, lawyer_id: int) -> None:
        self.teams[duty.id].append(lawyer_id)
        bisect.insort(self.dates[lawyer_id], duty.date)
        self.load[lawyer_id] += duty.share
        self.per_month[lawyer_id, self.months[duty.id]] += 1

    def free(self, lawyer: Lawyer, duty: Duty) -> bool:
        """Whether the lawyer (eligible for the duty) may still take it under every hard rule."""
        if lawyer.id in self.teams[duty.id] or self.per_month[lawyer.id, self.months[duty.id]] >= lawyer.max_per_month:
            return False
        dates = self.dates.get(lawyer.id)
        if not dates:
            return True
        i = bisect.bisect_left(dates, duty.date)
        if i < len(dates) and (dates[i] - duty.date).days < self.gap:
            return False
        return not (i > 0 and (duty.date - dates[i - 1]).days < self.gap)

    def roster(self) -> Roster:
        return {duty_id: tuple(sorted(team)) for duty_id, team in self.teams.items()}


def date_order(problem: Problem) -> Roster:
    """Duties by date; each open place to the free eligible lawyer with the fewest duties so far.

    Ties go to less history, then the lower id. This is the baseline of bench/greedy.py.
    """
    state = _State(problem)
    by_office: dict[int, list[Lawyer]] = defaultdict(list)
    for lawyer in problem.lawyers:
        for office_id in lawyer.offices:
            by_office[office_id].append(lawyer)
    for duty in sorted(problem.duties, key=lambda d: (d.date, d.start, d.id)):
        staff = (
            by_office[duty.office_id]
            if not duty.served_from
            else sorted({x.id: x for o in duty.staff_offices for x in by_office[o]}.values(), key=lambda x: x.id)
        )
        while len(state.teams[duty.id]) < duty.needed:
            free = [x for x in staff if obj.can_serve(x, duty) and state.free(x, duty)]
            if not free:
                break
            chosen = min(free, key=lambda x: (len(state.dates[x.id]), x.history_duties, x.id))
            state.assign(duty, chosen.id)
    return state.roster()


def coverage_first(problem: Problem, targets: Mapping[int, int]) -> Roster:
    """Hardest place first, to the lawyer whose taking it hurts the other open places least."""
    state = _State(problem)
    eligible: dict[int, list[Lawyer]] = {duty_id: [] for duty_id in state.duties}
    own: dict[int, list[Duty]] = defaultdict(list)
    for lawyer in sorted(problem.lawyers, key=lambda x: x.id):
        for duty in problem.duties:
            if obj.can_serve(lawyer, duty):
                eligible[duty.id].append(lawyer)
                own[lawyer.id].append(duty)
    own_dates: dict[int, list[dt.date]] = {}
    own_months: dict[tuple[int, tuple[int, int]], list[int]] = defaultdict(list)
    for lawyer_id, duties in own.items():
        duties.sort(key=lambda d: (d.date, d.id))
        own_dates[lawyer_id] = [d.date for d in duties]
        for d in duties:
            own_months[lawyer_id, state.months[d.id]].append(d.id)

    missing = {duty_id: duty.needed - len(state.teams[duty_id]) for duty_id, duty in state.duties.items()}
    need = missing.__getitem__

    def free_count(duty_id: int) -> int:
        duty = state.duties[duty_id]
        return sum(1 for x in eligible[duty_id] if state.free(x, duty))

    count = {duty_id: free_count(duty_id) for duty_id in state.duties if need(duty_id) > 0}
    # Heap of (slack, date, duty id): slack = free candidates minus missing places, the hardest first.
    heap = [(count[d] - need(d), state.duties[d].date, d) for d in count]
    heapq.heapify(heap)

    def blocked(lawyer: Lawyer, duty: Duty) -> list[int]:
        """Other open duties the lawyer could take now but no longer after taking `duty`."""
        dates, duties = own_dates[lawyer.id], own[lawyer.id]
        low = bisect.bisect_left(dates, duty.date - dt.timedelta(days=state.gap - 1))
        high = bisect.bisect_right(dates, duty.date + dt.timedelta(days=state.gap - 1))
        hit = {d.id for d in duties[low:high]}
        month = state.months[duty.id]
        if state.per_month[lawyer.id, month] + 1 >= lawyer.max_per_month:
            hit.update(own_months[lawyer.id, month])
        hit.discard(duty.id)
        return [d for d in hit if d in count and missing[d] > 0 and state.free(lawyer, state.duties[d])]

    while heap:
        slack, _, duty_id = heapq.heappop(heap)
        if duty_id not in count or need(duty_id) <= 0 or slack != count[duty_id] - need(duty_id):
            continue  # a stale entry: the place was filled or its slack changed since
        duty = state.duties[duty_id]
        free = [x for x in eligible[duty_id] if state.free(x, duty)]
        if not free:
            del count[duty_id]
            continue

        def cost(lawyer: Lawyer, duty: Duty = duty) -> tuple[int, int, float, int]:
            hits = blocked(lawyer, duty)
            critical = sum(1 for d in hits if count[d] - 1 < need(d))
            pressure = sum(1.0 / max(1, count[d] - need(d)) for d in hits)
            below = state.load[lawyer.id] - targets.get(lawyer.id, 0)
            return critical, below, pressure, lawyer.id

        chosen = min(free, key=cost)
        touched = blocked(chosen, duty)
        state.assign(duty, chosen.id)
        missing[duty_id] -= 1
        # The chosen lawyer is no longer free for this duty nor for the ones taking it blocks.
        for other in [duty_id, *touched]:
            if need(other) <= 0:
                count.pop(other, None)
                continue
            count[other] -= 1
            heapq.heappush(heap, (count[other] - need(other), state.duties[other].date, other))
    return state.roster()
