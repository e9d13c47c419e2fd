"""Lawyers' standing as the clerk sees it: who is removed or suspended, from when, and why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduler.models import (
    Lawyer,
    StatusPeriod,
)
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, lawyer_clause
from scheduler.rosters.duty_info import Person

# --- standing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingRow:
    lawyer: Person
    status: str
    start: dt.date
    end: dt.date | None
    reason: str


def standing_rows(session: Session, today: dt.date, scope: OfficeScope = EVERY_OFFICE) -> list[StandingRow]:
    """Suspensions and removals in force today or later of lawyers serving an office `scope` holds, by start
    (one query)."""
    rows = session.execute(
        select(StatusPeriod, Lawyer.name, Lawyer.licence_no)
        .join(Lawyer, Lawyer.id == StatusPeriod.lawyer_id)
        .where(or_(StatusPeriod.end.is_(None), StatusPeriod.end >= today), lawyer_clause(scope, Lawyer.id))
        .order_by(StatusPeriod.start, Lawyer.name_key)
    )
    return [
        StandingRow(
            Person(r.StatusPeriod.lawyer_id, r.name, licence_no=r.licence_no),
            r.StatusPeriod.status,
            r.StatusPeriod.start,
            r.StatusPeriod.end,
            r.StatusPeriod.reason,
        )
        for r in rows
    ]
