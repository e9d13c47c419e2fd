"""Storing rosters: a solved draft of a period, written in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.core import problem as p
from scheduler.models import Assignment, Roster
from scheduler.models.rosters import utcnow


def current_draft(session: Session, start: dt.date, end: dt.date) -> Roster | None:
    return session.scalar(
        select(Roster).where(Roster.period_start == start, Roster.period_end == end, Roster.status == "draft")
    )


def next_version(session: Session, start: dt.date, end: dt.date) -> int:
    highest = session.scalar(
        select(func.max(Roster.version)).where(
            Roster.period_start == start, Roster.period_end == end, Roster.status != "draft"
        )
    )
    return (highest or 0) + 1


def save_draft(
    session: Session,
    problem: p.Problem,
    assignments: Mapping[int, Sequence[int]],
    *,
    report: dict[str, Any],
    provisional: bool,
    actor: str,
    reason: str = "",
) -> Roster:
    """Replace the period's draft with `assignments` (duty id -> lawyer ids) and log it."""
    old = current_draft(session, problem.start, problem.end)
    before = None
    if old is not None:
        before = {"roster_id": old.id, "objective": old.objective}
        session.execute(delete(Assignment).where(Assignment.roster_id == old.id))
        session.delete(old)
        session.flush()
    duties = {d.id: d for d in problem.duties}
    roster = Roster(
        period_start=problem.start,
        period_end=problem.end,
        version=next_version(session, problem.start, problem.end),
        status="draft",
        provisional=provisional,
        solver_status=str(report.get("status", "")),
        objective=report.get("objective"),
        bound=report.get("bound"),
        wall_s=report.get("wall_s"),
        report=report,
        changelog=[
            {"at": utcnow().isoformat(timespec="seconds"), "actor": actor, "what": "draft solved", "why": reason}
        ],
    )
    session.add(roster)
    session.flush()
    now = utcnow()
    session.add_all(
        Assignment(
            roster_id=roster.id,
            duty_id=duty_id,
            lawyer_id=lawyer_id,
            date=duties[duty_id].date,
            slot=slot,
            places=duties[duty_id].needed,
            origin="solver",
            changed_at=now,
        )
        for duty_id, lawyer_ids in sorted(assignments.items())
        for slot, lawyer_id in enumerate(sorted(lawyer_ids))
    )
    session.flush()
    record(
        session,
        actor,
        "roster.draft",
        entity="roster",
        entity_id=roster.id,
        reason=reason,
        before=before,
        after={
            "period": [str(problem.start), str(problem.end)],
            "version": roster.version,
            "assignments": sum(len(v) for v in assignments.values()),
            "objective": roster.objective,
            "provisional": provisional,
        },
    )
    return roster
