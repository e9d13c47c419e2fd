"""Attendance as the clerk records it: each past duty's rostered lawyers and what is recorded for them."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from scheduler.core.names import pinyin_key
from scheduler.models import (
    Assignment,
    Attendance,
    Duty,
    Office,
    Roster,
    lawyer_offices,
)
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, duty_clause
from scheduler.rosters.duty_info import DutyInfo, Person, duty_infos, people_by_id

# --- attendance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    """A rostered lawyer on a published duty, what was recorded, and who could have substituted."""

    duty: DutyInfo
    lawyer: Person
    status: str | None  # None: nothing recorded yet
    substitute: Person | None
    note: str
    substitutes: tuple[Person, ...]


def attendance_lines(
    session: Session, start: dt.date, end: dt.date, scope: OfficeScope = EVERY_OFFICE
) -> list[AttendanceLine]:
    """Every lawyer the current published rosters put on a duty in [start, end] at an office `scope` holds, by
    date and duty (four queries)."""
    pairs = session.execute(
        select(Assignment.duty_id, Assignment.lawyer_id)
        .join(Roster, and_(Roster.id == Assignment.roster_id, Roster.status == "published"))
        .where(Assignment.date.between(start, end), duty_clause(scope, Assignment.duty_id))
        .order_by(Assignment.date, Assignment.duty_id, Assignment.slot)
    ).all()
    duties = {d.id: d for d in duty_infos(session, Duty.id.in_({p.duty_id for p in pairs}))} if pairs else {}
    recorded = {
        (a.duty_id, a.lawyer_id): a
        for a in session.scalars(select(Attendance).where(Attendance.duty_id.in_(duties.keys())))
    }
    offices = {d.office_code for d in duties.values()}
    serving: dict[str, list[int]] = defaultdict(list)
    for code, lawyer_id in session.execute(
        select(Office.code, lawyer_offices.c.lawyer_id)
        .join(lawyer_offices, lawyer_offices.c.office_id == Office.id)
        .where(Office.code.in_(offices))
    ):
        serving[code].append(lawyer_id)
    ids = {p.lawyer_id for p in pairs} | {x for group in serving.values() for x in group}
    ids |= {a.substitute_lawyer_id for a in recorded.values() if a.substitute_lawyer_id is not None}
    people = people_by_id(session, ids) if ids else {}
    teams: dict[int, set[int]] = defaultdict(set)
    for p in pairs:
        teams[p.duty_id].add(p.lawyer_id)
    lines = []
    for p in pairs:
        duty, entry = duties[p.duty_id], recorded.get((p.duty_id, p.lawyer_id))
        free = (people[x] for x in serving[duty.office_code] if x not in teams[p.duty_id])
        others = sorted(free, key=lambda q: (pinyin_key(q.name), q.id))
        lines.append(
            AttendanceLine(
                duty=duty,
                lawyer=people[p.lawyer_id],
                status=entry.status if entry else None,
                substitute=people.get(entry.substitute_lawyer_id) if entry and entry.substitute_lawyer_id else None,
                note=entry.note if entry else "",
                substitutes=tuple(others),
            )
        )
    return sorted(lines, key=lambda line: (line.duty.date, line.duty.start, line.duty.id, pinyin_key(line.lawyer.name)))
