"""Storing rosters: a solved draft of a period, written in one transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.core import problem as p
from scheduler.models import Assignment, Roster
from scheduler.models.rosters import utcnow
from scheduler.rosters.errors import NoDraft

BASED_ON = "based_on_version"


def based_on(draft: Roster) -> int:
    """The published version `draft` was solved against (0: none was published)."""
    value = draft.report.get(BASED_ON) if isinstance(draft.report, dict) else None
    return int(value) if isinstance(value, int) else draft.version - 1


@dataclass(frozen=True)
class StaleDraft:
    """A draft made against an older published version: the published roster changed since."""

    draft_id: int
    draft_version: int
    based_on: int
    current: int


def stale_draft(session: Session, start: dt.date, end: dt.date) -> StaleDraft | None:
    """The period's draft if the published roster changed since it was made, else None."""
    draft = current_draft(session, start, end)
    if draft is None:
        return None
    published = session.scalar(
        select(func.max(Roster.version)).where(
            Roster.period_start == start, Roster.period_end == end, Roster.status == "published"
        )
    )
    if published is None or published <= based_on(draft):
        return None
    return StaleDraft(draft.id, draft.version, based_on(draft), published)


def make_room(session: Session, start: dt.date, end: dt.date, version: int) -> None:
    """Let a live change take `version`: a draft holding that number moves up one (it stays a draft).

    A change to the published roster (a swap, a cover, a repair) must not wait for a planner's draft,
    nor fail as if someone else had changed the roster at the same moment. The draft keeps the version
    it was based on, so it is then reported as stale (rebase or discard it).
    """
    draft = current_draft(session, start, end)
    if draft is not None and draft.version <= version:
        draft.report = {**draft.report, BASED_ON: based_on(draft)}
        draft.version = version + 1
        session.flush()


def discard_draft(session: Session, start: dt.date, end: dt.date, actor: str, reason: str = "") -> int:
    """Delete the period's draft (nothing published changes); returns its version. NotFound without one."""
    draft = current_draft(session, start, end)
    if draft is None:
        raise NoDraft(start=start, end=end)
    version, roster_id = draft.version, draft.id
    session.execute(delete(Assignment).where(Assignment.roster_id == roster_id))
    session.delete(draft)
    session.flush()
    record(
        session,
        actor,
        "roster.discard_draft",
        entity="roster",
        entity_id=roster_id,
        reason=reason,
        before={"period": [str(start), str(end)], "version": version},
    )
    return version


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
    version = next_version(session, problem.start, problem.end)
    # The published version the draft was made against: a live change after it makes the draft stale.
    report = {**report, BASED_ON: version - 1}
    roster = Roster(
        period_start=problem.start,
        period_end=problem.end,
        version=version,
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
