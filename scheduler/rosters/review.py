"""Reviewing rosters: each period with its draft and published versions, and one version's review (score,
open places, fairness per pool, changes from the published version).

Loaders return plain frozen dataclasses and run a fixed number of queries whatever the roster's size.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
    Roster,
)
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.errors import RosterNotFound
from scheduler.rosters.review_tables import (
    DutyInfo,
    LawyerLine,
    OfficeName,
    Person,
    RosterTable,
    lawyer_lines,
    roster_table,
)
from scheduler.rosters.version_score import RESCORED
from scheduler.solver.measures import pool_fairness
from scheduler.solver.objective import pools
from scheduler.solver.pools import Pool

# --- periods and solve jobs ----------------------------------------------------------------------


@dataclass(frozen=True)
class RosterBrief:
    id: int
    start: dt.date
    end: dt.date
    version: int
    status: str
    provisional: bool
    solver_status: str
    objective: int | None
    bound: int | None
    wall_s: float | None
    created_at: dt.datetime
    published_at: dt.datetime | None


_BRIEF = (
    Roster.id,
    Roster.period_start,
    Roster.period_end,
    Roster.version,
    Roster.status,
    Roster.provisional,
    Roster.solver_status,
    Roster.objective,
    Roster.bound,
    Roster.wall_s,
    Roster.created_at,
    Roster.published_at,
)


def _brief(row: Any) -> RosterBrief:
    return RosterBrief(*row)


def roster_brief(session: Session, roster_id: int) -> RosterBrief:
    """Roster `roster_id`'s period, version and state (one query)."""
    row = session.execute(select(*_BRIEF).where(Roster.id == roster_id)).first()
    if row is None:
        raise RosterNotFound()
    return _brief(row)


@dataclass(frozen=True)
class PeriodRow:
    """A planning period with its draft, its current published version and its number of versions."""

    start: dt.date
    end: dt.date
    draft: RosterBrief | None
    published: RosterBrief | None
    versions: int


def period_rows(session: Session, limit: int = 20) -> list[PeriodRow]:
    """The newest periods that have a roster, latest start first (one query)."""
    rosters = [_brief(r) for r in session.execute(select(*_BRIEF).order_by(Roster.period_start.desc(), Roster.id))]
    grouped: dict[tuple[dt.date, dt.date], list[RosterBrief]] = defaultdict(list)
    for r in rosters:
        grouped[(r.start, r.end)].append(r)
    rows = [
        PeriodRow(
            start,
            end,
            next((r for r in group if r.status == "draft"), None),
            next((r for r in group if r.status == "published"), None),
            sum(1 for r in group if r.status != "draft"),
        )
        for (start, end), group in grouped.items()
    ]
    return sorted(rows, key=lambda row: (row.start, row.end), reverse=True)[:limit]


# --- reviewing a roster --------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyLabel:
    """How a review names a duty: date, hours, office and type."""

    id: int
    date: dt.date
    start: dt.time
    end: dt.time
    office_name: str
    office_name_en: str
    type_zh: str
    type_en: str


@dataclass(frozen=True)
class ReasonText:
    zh: str
    en: str


@dataclass(frozen=True)
class UnstaffedLine:
    duty: DutyLabel | None  # None: the duty was deleted since the solve
    duty_id: int
    missing: int
    reasons: tuple[ReasonText, ...]


@dataclass(frozen=True)
class DiffLine:
    """A duty whose lawyers differ between the roster and the one it is compared with."""

    duty: DutyLabel
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class LawyerBar:
    name: str
    duties: int


@dataclass(frozen=True)
class PoolBars:
    """Duties per lawyer of one pool (offices linked by lawyers who may serve several of them)."""

    offices: tuple[tuple[str, str], ...]  # (name, English name) of each office
    bars: tuple[LawyerBar, ...]

    @property
    def min(self) -> int:
        return min((b.duties for b in self.bars), default=0)

    @property
    def max(self) -> int:
        return max((b.duties for b in self.bars), default=0)

    @property
    def median(self) -> float:
        return float(statistics.median(b.duties for b in self.bars)) if self.bars else 0.0


@dataclass(frozen=True)
class PoolMeasures:
    """Measures of one pool that the solver does not optimise, from the version's own assignments: the sum of
    squared duties per lawyer, and the most and fewest duties among lawyers with the same eligibility and
    history (the widest such group); a fair roster keeps that spread at 0 or 1."""

    offices: tuple[tuple[str, str], ...]  # (name, English name) of each office
    lawyers: int
    fewest: int
    most: int
    sum_squares: int
    group_most: int
    group_fewest: int

    @property
    def spread(self) -> int:
        return self.group_most - self.group_fewest


@dataclass(frozen=True)
class RosterReview:
    """Everything the review page of a roster version shows."""

    roster: RosterBrief
    compared_with: RosterBrief | None  # the published version (for a draft) or the version before
    versions: tuple[RosterBrief, ...]
    terms: tuple[tuple[str, int], ...]
    gap: float | None
    duties: int
    places: int
    filled: int
    unstaffed: tuple[UnstaffedLine, ...]
    conflicts: tuple[str, ...]
    diff: tuple[DiffLine, ...]
    pools: tuple[PoolBars, ...]
    measures: tuple[PoolMeasures, ...] = ()
    table: RosterTable | None = None
    lawyers: tuple[LawyerLine, ...] = ()
    rescored: bool = False  # a version made by a change, scored on its own assignments (no solver bound)


def roster_review(session: Session, roster_id: int) -> RosterReview:
    """The review of roster `roster_id`: score, open places, changes, fairness, the roster as a table and
    each lawyer's duties (a fixed number of queries, the period's problem built once)."""
    head = session.execute(select(*_BRIEF, Roster.report).where(Roster.id == roster_id)).first()
    if head is None:
        raise RosterNotFound()
    roster, report = _brief(head[:-1]), dict(head.report or {})
    versions = tuple(
        _brief(r)
        for r in session.execute(
            select(*_BRIEF)
            .where(Roster.period_start == roster.start, Roster.period_end == roster.end)
            .order_by(Roster.version, Roster.id)
        )
    )
    if roster.status == "draft":
        other = next((v for v in versions if v.status == "published"), None)
    else:
        other = next((v for v in versions if v.version == roster.version - 1 and v.status != "draft"), None)
    duty_rows = session.execute(
        select(
            Duty,
            Office.name.label("office_name"),
            Office.name_en.label("office_name_en"),
            DutyType.code.label("kind"),
            DutyType.name_zh.label("type_zh"),
            DutyType.name_en.label("type_en"),
        )
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(Duty.date.between(roster.start, roster.end))
        .order_by(Duty.date, Duty.start, Duty.id)
    ).all()
    labels = {
        r.Duty.id: DutyLabel(
            r.Duty.id, r.Duty.date, r.Duty.start, r.Duty.end, r.office_name, r.office_name_en, r.type_zh, r.type_en
        )
        for r in duty_rows
    }
    infos = [
        DutyInfo(
            r.Duty.id,
            r.Duty.office_id,
            r.Duty.date,
            r.Duty.start,
            r.Duty.end,
            r.kind,
            r.type_zh,
            r.type_en,
            r.Duty.needed,
            r.Duty.cancelled_at is not None,
        )
        for r in duty_rows
    ]
    teams: dict[int, dict[int, list[int]]] = {
        roster.id: defaultdict(list),
        **({other.id: defaultdict(list)} if other else {}),
    }
    for a in session.execute(
        select(Assignment.roster_id, Assignment.duty_id, Assignment.lawyer_id)
        .where(Assignment.roster_id.in_(teams.keys()))
        .order_by(Assignment.duty_id, Assignment.slot)
    ):
        teams[a.roster_id][a.duty_id].append(a.lawyer_id)
    people = {
        r.id: Person(r.name, r.firm or "")
        for r in session.execute(
            select(Lawyer.id, Lawyer.name, LawFirm.name.label("firm")).outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
        )
    }
    names = {lawyer_id: person.name for lawyer_id, person in people.items()}
    mine = teams[roster.id]

    diff: tuple[DiffLine, ...] = ()
    if other is not None:
        theirs = teams[other.id]
        diff = tuple(
            DiffLine(
                labels[d],
                tuple(names.get(x, "?") for x in theirs.get(d, [])),
                tuple(names.get(x, "?") for x in mine.get(d, [])),
            )
            for d in labels
            if set(theirs.get(d, [])) != set(mine.get(d, []))
        )
    unstaffed = tuple(
        UnstaffedLine(
            labels.get(int(u["duty_id"])),
            int(u["duty_id"]),
            int(u.get("missing", 0)),
            tuple(ReasonText(str(r.get("zh", "")), str(r.get("en", ""))) for r in u.get("reasons", [])),
        )
        for u in report.get("unstaffed", [])
    )
    objective, bound = report.get("objective"), report.get("bound")
    gap = abs(objective - bound) / max(1, abs(objective)) if objective is not None and bound is not None else None
    # One problem and one set of pools serve the bars, the measures and the per-lawyer list.
    problem = build_problem(session, roster.start, roster.end).problem
    offices = {
        o.id: OfficeName(o.id, o.name, o.name_en or "")
        for o in session.execute(select(Office.id, Office.name, Office.name_en))
    }
    codes = {o.code: offices[o.id] for o in problem.offices if o.id in offices}
    found = pools(problem)
    removed = frozenset(
        lawyer.id
        for lawyer in problem.lawyers
        if any(period.status == "removed" and period.start <= roster.start for period in lawyer.inactive)
    )
    return RosterReview(
        roster=roster,
        compared_with=other,
        versions=versions,
        terms=tuple((str(k), int(v)) for k, v in dict(report.get("terms", {})).items()),
        gap=gap,
        duties=len(duty_rows),
        places=sum(r.Duty.needed for r in duty_rows),
        filled=sum(len(mine.get(d, [])) for d in labels),
        unstaffed=unstaffed,
        conflicts=tuple(str(c) for c in report.get("conflicts", [])),
        diff=diff,
        pools=_pool_bars(found, offices, mine, names, removed),
        measures=tuple(
            PoolMeasures(
                tuple(
                    (codes[code].name, codes[code].name_en) if code in codes else (code, code)
                    for code in pool.pool.split("+")
                ),
                pool.lawyers,
                pool.min,
                pool.max,
                pool.sum_squares,
                pool.group_most,
                pool.group_fewest,
            )
            for pool in pool_fairness(problem, mine, found)
        ),
        table=roster_table(infos, offices, mine, people),
        lawyers=lawyer_lines(problem, found, infos, mine, people, removed),
        rescored=bool(report.get(RESCORED)),
    )


def _pool_bars(
    found: Sequence[Pool],
    offices: dict[int, OfficeName],
    team: dict[int, list[int]],
    names: dict[int, str],
    removed: frozenset[int],
) -> tuple[PoolBars, ...]:
    """Duties per lawyer in each pool that has duties in the period, most duties first.

    Lawyers removed before the period are left out: they cannot be given a duty, so their zero says
    nothing about fairness.
    """
    counts: dict[int, int] = defaultdict(int)
    for lawyers in team.values():
        for lawyer_id in lawyers:
            counts[lawyer_id] += 1
    bars = []
    for pool in found:
        if not pool.duty_ids:
            continue
        ordered = sorted(
            (LawyerBar(names.get(x, "?"), counts.get(x, 0)) for x in pool.lawyer_ids if x not in removed),
            key=lambda b: (-b.duties, b.name),
        )
        bars.append(PoolBars(tuple((offices[o].name, offices[o].name_en) for o in pool.office_ids), tuple(ordered)))
    return tuple(bars)
