"""Reading roster versions: a period's published version, the one covering a day, a numbered version, the
lawyers of each duty, and the duties whose lawyers differ between two versions.

Queries only: the use cases that make versions are in `scheduler.rosters.publishing`, and the calendars
read the published version from here without depending on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.models import Roster
from scheduler.rosters.errors import NoPublishedRoster, NoSuchVersion


def assignments_of(roster: Roster) -> dict[int, tuple[int, ...]]:
    """{duty id: sorted lawyer ids} of a roster."""
    result: dict[int, list[int]] = {}
    for a in roster.assignments:
        result.setdefault(a.duty_id, []).append(a.lawyer_id)
    return {duty: tuple(sorted(lawyers)) for duty, lawyers in result.items()}


def current_published(session: Session, start: dt.date, end: dt.date, *, lock: bool = False) -> Roster | None:
    """The period's published version; `lock` takes a row lock (PostgreSQL) until the transaction ends."""
    query = select(Roster).where(Roster.period_start == start, Roster.period_end == end, Roster.status == "published")
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


def roster_for_day(session: Session, day: dt.date) -> Roster:
    """The published roster whose period contains `day`."""
    roster = session.scalar(
        select(Roster).where(Roster.status == "published", Roster.period_start <= day, Roster.period_end >= day)
    )
    if roster is None:
        raise NoPublishedRoster(day=day)
    return roster


def version(session: Session, start: dt.date, end: dt.date, number: int) -> Roster:
    roster = session.scalar(
        select(Roster)
        .where(Roster.period_start == start, Roster.period_end == end, Roster.version == number)
        .options(selectinload(Roster.assignments))
    )
    if roster is None:
        raise NoSuchVersion(start=start, end=end, number=number)
    return roster


def versions(session: Session, start: dt.date, end: dt.date) -> Sequence[Roster]:
    return session.scalars(
        select(Roster).where(Roster.period_start == start, Roster.period_end == end).order_by(Roster.version)
    ).all()


@dataclass(frozen=True)
class DutyDiff:
    duty_id: int
    old: tuple[int, ...]
    new: tuple[int, ...]


def compare(a: Roster, b: Roster) -> list[DutyDiff]:
    """Each duty whose lawyers differ between versions `a` and `b`."""
    old, new = assignments_of(a), assignments_of(b)
    return [
        DutyDiff(duty, old.get(duty, ()), new.get(duty, ()))
        for duty in sorted(set(old) | set(new))
        if set(old.get(duty, ())) != set(new.get(duty, ()))
    ]
