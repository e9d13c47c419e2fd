"""The two tables a planner reads before publishing: the whole roster (date × office, with names and firms)
and each lawyer's duties against their fair share.

Pure functions over values the review has already loaded; no queries here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scheduler.core import problem as p
from scheduler.solver.objective import FAIRNESS_SCALE, fairness_targets
from scheduler.solver.pools import Pool


@dataclass(frozen=True)
class OfficeName:
    id: int
    name: str
    name_en: str


@dataclass(frozen=True)
class Person:
    """A lawyer as the review names them: name and firm."""

    name: str
    firm: str
    firm_en: str = ""


@dataclass(frozen=True)
class DutyInfo:
    """A duty of the period as the review's tables need it."""

    id: int
    office_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    kind: str
    type_zh: str
    type_en: str
    needed: int
    cancelled: bool = False


@dataclass(frozen=True)
class Cell:
    """One duty in the roster table: who serves it and how many places are still open."""

    duty: DutyInfo
    people: tuple[Person, ...]
    open_places: int


@dataclass(frozen=True)
class TableRow:
    date: dt.date
    cells: tuple[tuple[Cell, ...], ...]  # one tuple of duties per column (office)


@dataclass(frozen=True)
class RosterTable:
    """The roster as a table: one row per date with duties, one column per office with duties."""

    offices: tuple[OfficeName, ...]
    rows: tuple[TableRow, ...]


def roster_table(
    duties: Sequence[DutyInfo],
    offices: Mapping[int, OfficeName],
    team: Mapping[int, Sequence[int]],
    people: Mapping[int, Person],
) -> RosterTable:
    """The table of `duties` (in date order) with the lawyers of `team` (duty id -> lawyer ids)."""
    columns = sorted({d.office_id for d in duties}, key=lambda o: (offices[o].name, o) if o in offices else ("", o))
    index = {office_id: i for i, office_id in enumerate(columns)}
    by_date: dict[dt.date, list[list[Cell]]] = {}
    for duty in duties:
        row = by_date.setdefault(duty.date, [[] for _ in columns])
        serving = tuple(people.get(x, Person("?", "")) for x in team.get(duty.id, ()))
        open_places = 0 if duty.cancelled else max(0, duty.needed - len(serving))
        row[index[duty.office_id]].append(Cell(duty, serving, open_places))
    return RosterTable(
        tuple(offices.get(o, OfficeName(o, str(o), str(o))) for o in columns),
        tuple(TableRow(day, tuple(tuple(c) for c in cells)) for day, cells in sorted(by_date.items())),
    )


@dataclass(frozen=True)
class LawyerLine:
    """One lawyer's duties in the period, with their fair share (None when fairness does not judge them)."""

    person: Person
    duties: tuple[DutyInfo, ...]
    share: float | None

    @property
    def count(self) -> int:
        return len(self.duties)

    @property
    def off_share(self) -> bool:
        """More than one duty away from the share: worth a second look."""
        return self.share is not None and abs(self.count - self.share) > 1


def lawyer_lines(
    problem: p.Problem,
    pools: Sequence[Pool],
    duties: Sequence[DutyInfo],
    team: Mapping[int, Sequence[int]],
    people: Mapping[int, Person],
    left_out: frozenset[int] = frozenset(),
) -> tuple[LawyerLine, ...]:
    """Every lawyer who serves in the period or belongs to a pool with duties, pool by pool, most duties first.

    The share is the fair number of duties the solver aims at (its fairness target, history included).
    """
    by_lawyer: dict[int, list[DutyInfo]] = defaultdict(list)
    known = {d.id: d for d in duties}
    for duty_id, lawyer_ids in team.items():
        for lawyer_id in lawyer_ids:
            if duty_id in known:
                by_lawyer[lawyer_id].append(known[duty_id])
    lines: list[LawyerLine] = []
    seen: set[int] = set()
    for pool in pools:
        if not pool.duty_ids:
            continue
        targets = fairness_targets(problem, pool)
        members = [x for x in pool.lawyer_ids if x not in left_out or by_lawyer.get(x)]
        seen.update(members)
        lines.extend(
            sorted(
                (
                    LawyerLine(
                        people.get(x, Person("?", "")),
                        tuple(sorted(by_lawyer.get(x, ()), key=lambda d: (d.date, d.start))),
                        targets[x] / FAIRNESS_SCALE if x in targets else None,
                    )
                    for x in members
                ),
                key=lambda line: (-line.count, line.person.name),
            )
        )
    # A lawyer on a duty outside every pool (no longer linked to its office, say) is still listed.
    for lawyer_id in sorted(set(by_lawyer) - seen, key=lambda x: people.get(x, Person("?", "")).name):
        lines.append(LawyerLine(people.get(lawyer_id, Person("?", "")), tuple(by_lawyer[lawyer_id]), None))
    return tuple(lines)
