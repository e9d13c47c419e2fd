"""Published versions of a roster: publish a draft, make version N+1 from a change, compare versions.

Versions are immutable: a change never edits a published roster, it copies it into the next version
with the change applied, in one transaction with the audit event and the calendars' bookkeeping.
Two clerks changing the same period at once both aim at version N+1; the database lets exactly one
of them have it (unique period and version, one published roster per period) and the other gets a
Conflict naming the newer version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.calendars.sync import sync_published
from scheduler.changes.apply import Change, apply_changes
from scheduler.models import Assignment, Duty, Roster
from scheduler.models.rosters import utcnow
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.drafts import based_on, current_draft, make_room
from scheduler.rosters.errors import (
    ChangedMeanwhile,
    ChangedMeanwhileFor,
    DraftOutdated,
    NoDraftToPublish,
    VersionMovedOn,
    duty_name,
)
from scheduler.rosters.version_score import rescored_report
from scheduler.rosters.versions import assignments_of, current_published


def _changelog(roster: Roster, actor: str, what: str, why: str) -> list[dict[str, str]]:
    line = {"at": utcnow().isoformat(timespec="seconds"), "actor": actor, "what": what, "why": why}
    return [*roster.changelog, line]


def _flush_or_conflict(session: Session, start: dt.date, end: dt.date, duties: Sequence[object] = ()) -> None:
    try:
        session.flush()
    except IntegrityError as exc:
        # The unique (period, version) and one-published-per-period constraints caught a concurrent change.
        if duties:
            raise ChangedMeanwhileFor(duties=duties, start=start, end=end) from exc
        raise ChangedMeanwhile(start=start, end=end) from exc


def _after_change(session: Session, start: dt.date, end: dt.date, actor: str) -> None:
    # The calendars keep their own publication state (SEQUENCE, cancellations, notices) in step.
    sync_published(session, start, end, actor, utcnow())


def publish_draft(session: Session, start: dt.date, end: dt.date, actor: str, reason: str = "") -> Roster:
    """Turn the period's draft into the published version; the version before becomes superseded."""
    previous = current_published(session, start, end, lock=True)
    draft = current_draft(session, start, end)
    if draft is None:
        raise NoDraftToPublish(start=start, end=end)
    if previous is not None and (draft.version <= previous.version or based_on(draft) < previous.version):
        raise DraftOutdated(base=based_on(draft), current=previous.version)
    old = assignments_of(previous) if previous else {}
    revisions = _revisions(previous)
    if previous is not None:
        previous.status = "superseded"
        _flush_or_conflict(session, start, end)
    now = utcnow()
    new = assignments_of(draft)
    for a in draft.assignments:
        unchanged = set(old.get(a.duty_id, ())) == set(new.get(a.duty_id, ()))
        base = revisions.get(a.duty_id, 0)
        a.revision = max(base, 1) if unchanged else base + 1
        if not unchanged:
            a.changed_at = now
    draft.status = "published"
    draft.published_at = now
    draft.changelog = _changelog(draft, actor, f"published version {draft.version}", reason)
    _flush_or_conflict(session, start, end)
    record(
        session,
        actor,
        "roster.publish",
        entity="roster",
        entity_id=draft.id,
        reason=reason,
        before={"version": previous.version} if previous else None,
        after={"version": draft.version, "period": [str(start), str(end)]},
    )
    _after_change(session, start, end, actor)
    return draft


def _revisions(roster: Roster | None) -> dict[int, int]:
    revisions: dict[int, int] = {}
    for a in roster.assignments if roster else ():
        revisions[a.duty_id] = max(revisions.get(a.duty_id, 0), a.revision)
    return revisions


@dataclass(frozen=True)
class VersionChange:
    """A change to apply to the current version, with what the changelog and audit say of it."""

    changes: tuple[Change, ...]
    what: str
    why: str
    origin: str  # "manual", "swap" or "replacement"
    action: str  # the audit action, e.g. "roster.swap"


def create_version(session: Session, base: Roster, change: VersionChange, actor: str) -> Roster:
    """Copy `base` (the current published version) into version N+1 with `change` applied.

    Raises Conflict when `base` is no longer the current version, naming the newer one.
    """
    start, end = base.period_start, base.period_end
    current = current_published(session, start, end, lock=True)
    if current is None or current.id != base.id:
        named = [
            duty_name(d) for d in session.scalars(select(Duty).where(Duty.id.in_(c.duty_id for c in change.changes)))
        ]
        raise VersionMovedOn(duties=named)
    new_map = apply_changes(assignments_of(base), change.changes)
    touched = {c.duty_id for c in change.changes}
    revisions = _revisions(base)
    duties = {d.id: d for d in session.scalars(select(Duty).where(Duty.id.in_(new_map.keys())))}
    what = [duty_name(duties[d]) for d in sorted(touched) if d in duties]
    # Scored while `base` is still the published version, so the stability term counts what this change moved.
    report = rescored_report(build_problem(session, start, end).problem, base.report, new_map)
    make_room(session, start, end, base.version + 1)
    base.status = "superseded"
    _flush_or_conflict(session, start, end, what)
    roster = Roster(
        period_start=start,
        period_end=end,
        version=base.version + 1,
        status="published",
        provisional=base.provisional,
        solver_status=base.solver_status,
        objective=report["objective"],
        bound=None,
        wall_s=base.wall_s,
        report=report,
        changelog=_changelog(base, actor, change.what, change.why),
        published_at=utcnow(),
    )
    session.add(roster)
    _flush_or_conflict(session, start, end, what)
    now = utcnow()
    old_rows = {(a.duty_id, a.lawyer_id): a for a in base.assignments}
    for duty_id, lawyer_ids in sorted(new_map.items()):
        slots = _slots(old_rows, duty_id, lawyer_ids)
        for lawyer_id in lawyer_ids:
            old = old_rows.get((duty_id, lawyer_id))
            moved = duty_id in touched
            session.add(
                Assignment(
                    roster_id=roster.id,
                    duty_id=duty_id,
                    lawyer_id=lawyer_id,
                    date=duties[duty_id].date,
                    slot=slots[lawyer_id],
                    places=duties[duty_id].needed,
                    origin=old.origin if old is not None else change.origin,
                    pinned=old.pinned if old is not None else False,
                    revision=revisions.get(duty_id, 0) + 1 if moved else (old.revision if old else 1),
                    changed_at=now if moved or old is None else old.changed_at,
                )
            )
    _flush_or_conflict(session, start, end, what)
    record(
        session,
        actor,
        change.action,
        entity="roster",
        entity_id=roster.id,
        reason=change.why,
        before={"version": base.version, "duties": {str(d): list(assignments_of(base).get(d, ())) for d in touched}},
        after={"version": roster.version, "duties": {str(d): list(new_map.get(d, ())) for d in touched}},
    )
    _after_change(session, start, end, actor)
    return roster


def _slots(old_rows: Mapping[tuple[int, int], Assignment], duty_id: int, lawyer_ids: Iterable[int]) -> dict[int, int]:
    """Staying lawyers keep their places; newcomers take the lowest free ones."""
    slots = {lw: old_rows[(duty_id, lw)].slot for lw in lawyer_ids if (duty_id, lw) in old_rows}
    free = (s for s in range(100) if s not in slots.values())
    for lawyer_id in lawyer_ids:
        if lawyer_id not in slots:
            slots[lawyer_id] = next(free)
    return slots
