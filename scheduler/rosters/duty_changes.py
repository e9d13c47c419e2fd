"""Changing the duties of a period that may already be published: add a leader day, cancel, move or edit a
duty, delete a leader day entered by mistake.

Before publication a change only edits the duties (the next solve staffs them). On a published
period every change also becomes a proposal of the next version, made like a repair: the new or
changed places are staffed and nothing else moves unless that is impossible. The page and the
command call these same functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.audit_details import duty_details
from scheduler.changes.apply import Change
from scheduler.core.errors import FieldError
from scheduler.core.languages import to_code
from scheduler.core.problem import LEADER_DAY
from scheduler.models import Assignment, Duty, Roster
from scheduler.models.changes import Proposal
from scheduler.models.rosters import utcnow
from scheduler.planning.duties import LeaderDaySpec, add_leader_day
from scheduler.planning.holidays import load_calendar
from scheduler.rosters.errors import (
    AlreadyCancelled,
    CancelledCannotChange,
    CancelPast,
    DutyEndsBeforeStart,
    DutyNotFound,
    LeaderDayAdded,
    NeededRange,
    NotLeaderDay,
    NotWorkingDay,
    NotWorkingDayNamed,
    OutsidePeriod,
    PastCannotChange,
    ReasonMissing,
    SameDutyThen,
    duty_name,
)
from scheduler.rosters.proposals import RosterState, propose_staffing, roster_state
from scheduler.rosters.publishing import VersionChange, create_version
from scheduler.rosters.staffing import plan_staffing
from scheduler.rosters.versions import assignments_of
from scheduler.solver import SolveParams
from scheduler.solver.objective import can_serve


@dataclass(frozen=True)
class DutyOutcome:
    """A changed duty, and the proposal that staffs it in the published roster (None before publication)."""

    duty: Duty
    proposal: Proposal | None


def published_roster_on(session: Session, day: dt.date) -> Roster | None:
    """The published roster whose period contains `day`, if any."""
    return session.scalar(
        select(Roster).where(Roster.status == "published", Roster.period_start <= day, Roster.period_end >= day)
    )


def add_leader_day_to_roster(
    session: Session,
    spec: LeaderDaySpec,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> DutyOutcome:
    """Add a leader reception day; on a published period, propose staffing it with the fewest changes."""
    duty = add_leader_day(session, spec, actor)
    roster = published_roster_on(session, duty.date)
    if roster is None:
        return DutyOutcome(duty, None)
    reason = LeaderDayAdded(duty=duty_name(duty), start=duty.start, end=duty.end)
    proposal = propose_staffing(session, roster, {duty.id: ()}, actor, reason, today=today, params=params)
    return DutyOutcome(duty, proposal)


def _duty(session: Session, duty_id: int) -> Duty:
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise DutyNotFound()
    return duty


def _label(duty: Duty) -> str:
    return f"{duty.office.code} {duty.date} {duty.start:%H:%M}-{duty.end:%H:%M} ({duty.duty_type.name_zh})"


def _json(duty: Duty) -> dict[str, object]:
    return {
        "date": str(duty.date),
        "start": f"{duty.start:%H:%M}",
        "end": f"{duty.end:%H:%M}",
        "needed": duty.needed,
        "min_years": duty.min_years,
        "specialty": duty.specialty,
        "language": duty.language,
        "note": duty.note,
        "cancelled": duty.cancelled_at is not None,
    }


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ReasonMissing()
    return reason


def clear_from_draft(session: Session, duty: Duty) -> None:
    """Take the draft's lawyers off a duty that was cancelled or moved."""
    # Before publication a change only edits the duties: the draft must not keep lawyers on a
    # cancelled or moved duty (the next solve, or the planner, staffs it again).
    draft = session.scalar(
        select(Roster).where(Roster.status == "draft", Roster.period_start <= duty.date, Roster.period_end >= duty.date)
    )
    if draft is not None:
        session.execute(delete(Assignment).where(Assignment.roster_id == draft.id, Assignment.duty_id == duty.id))


def cancel_duty(
    session: Session, duty_id: int, reason: str, actor: str, *, today: dt.date | None = None
) -> DutyChangeResult:
    """Cancel a duty (an office closed that day, a leader day called off, a duty entered by mistake).

    The duty stays (earlier versions name it) but is no longer staffed. On a published period the
    next version has nobody on it: the calendars show it CANCELLED, its lawyers get a notice, and the
    public notice shows it as 已取消 until its day has passed.
    """
    reason = _require_reason(reason)
    today = today or dt.date.today()
    duty = _duty(session, duty_id)
    if duty.cancelled_at is not None:
        raise AlreadyCancelled(duty=duty_name(duty), day=duty.cancelled_at.date())
    if duty.date < today:
        raise CancelPast(duty=duty_name(duty))
    before = _json(duty)
    roster = published_roster_on(session, duty.date)
    duty.cancelled_at = utcnow()
    duty.cancel_reason = reason
    session.flush()
    record(session, actor, "duty.cancel", entity="duty", entity_id=duty.id, reason=reason, before=before,
           after=_json(duty))  # fmt: skip
    if roster is None:
        clear_from_draft(session, duty)
        return DutyChangeResult(duty, None)
    lawyers = assignments_of(roster).get(duty.id, ())
    change = VersionChange(
        (Change(duty.id, tuple(lawyers), ()),) if lawyers else (),
        f"cancelled {_label(duty)}",
        reason,
        "manual",
        "roster.cancel_duty",
    )
    return DutyChangeResult(duty, create_version(session, roster, change, actor))


@dataclass(frozen=True)
class DutyChangeResult:
    """A changed duty and the published version that shows it (None before publication)."""

    duty: Duty
    version: Roster | None


@dataclass(frozen=True)
class DutyEdit:
    """The new date and hours of a duty, and (for a leader day) its requirements; None keeps a field."""

    date: dt.date | None = None
    start: dt.time | None = None
    end: dt.time | None = None
    needed: int | None = None
    min_years: int | None = None
    specialty: str | None = None
    language: str | None = None
    note: str | None = None


def edit_duty(
    session: Session,
    duty_id: int,
    edit: DutyEdit,
    reason: str,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> DutyChangeResult:
    """Move a duty (date, hours) or change a leader day's requirements.

    On a published period the next version keeps the duty's lawyers who are still free and eligible
    on the new date; the places of the others are refilled as a repair (fewest changes). The calendars
    update the event (higher SEQUENCE) and queue a notice to each lawyer concerned.
    """
    reason = _require_reason(reason)
    today = today or dt.date.today()
    duty = _duty(session, duty_id)
    if duty.cancelled_at is not None:
        raise CancelledCannotChange(duty=duty_name(duty))
    new_date = edit.date or duty.date
    start, end = edit.start or duty.start, edit.end or duty.end
    if min(duty.date, new_date) < today:
        raise PastCannotChange(duty=duty_name(duty))
    if end <= start:
        raise FieldError("end", DutyEndsBeforeStart(end=end, start=start))
    calendar = load_calendar(session)
    if not calendar.is_workday(new_date):
        name = calendar.holiday_name(new_date)
        raise FieldError("date", NotWorkingDayNamed(day=new_date, name=name) if name else NotWorkingDay(day=new_date))
    roster = published_roster_on(session, duty.date)
    if roster is not None and not roster.period_start <= new_date <= roster.period_end:
        raise FieldError("date", OutsidePeriod(day=new_date, start=roster.period_start, end=roster.period_end))
    clash = session.scalar(
        select(Duty.id).where(
            Duty.id != duty.id,
            Duty.office_id == duty.office_id,
            Duty.duty_type_id == duty.duty_type_id,
            Duty.date == new_date,
            Duty.start == start,
        )
    )
    if clash is not None:
        raise FieldError("date", SameDutyThen(office=duty.office.name, day=new_date, start=start))
    language = duty.language if edit.language is None else (to_code(edit.language) if edit.language else None)
    if edit.needed is not None and not 1 <= edit.needed <= 10:
        raise FieldError("needed", NeededRange())
    before = _json(duty)
    old_date = duty.date
    duty.date, duty.start, duty.end = new_date, start, end
    duty.needed = edit.needed if edit.needed is not None else duty.needed
    duty.min_years = edit.min_years if edit.min_years is not None else duty.min_years
    duty.specialty = duty.specialty if edit.specialty is None else (edit.specialty.strip() or None)
    duty.language = language
    duty.note = duty.note if edit.note is None else edit.note.strip()
    session.flush()
    if _json(duty) == before:
        return DutyChangeResult(duty, None)
    moved = (old_date, before["start"], before["end"]) != (new_date, f"{start:%H:%M}", f"{end:%H:%M}")
    action = "duty.move" if moved else "duty.edit"
    record(session, actor, action, entity="duty", entity_id=duty.id, reason=reason, before=before, after=_json(duty))
    if roster is None:
        clear_from_draft(session, duty)
        return DutyChangeResult(duty, None)
    return DutyChangeResult(duty, _restaff(session, roster, duty, reason, actor, today, params))


def _restaff(
    session: Session,
    roster: Roster,
    duty: Duty,
    reason: str,
    actor: str,
    today: dt.date,
    params: SolveParams | None,
) -> Roster:
    """The next version after a duty changed: its lawyers stay where they still can, the rest is repaired."""
    state = roster_state(session, roster, today)
    table = state.assignments
    lawyers = {lw.id: lw for lw in state.problem.lawyers}
    target = next(d for d in state.problem.duties if d.id == duty.id)
    busy = {lw for d, ls in table.items() if d != duty.id for lw in ls if _date_of(state, d) == duty.date}
    keep = tuple(
        lw for lw in table.get(duty.id, ()) if lw in lawyers and lw not in busy and can_serve(lawyers[lw], target)
    )[: duty.needed]
    plan = plan_staffing(state.problem, table, {duty.id: keep}, today, params)
    change = VersionChange(plan.changes, f"changed {_label(duty)}", reason, "replacement", "roster.change_duty")
    return create_version(session, roster, change, actor)


def _date_of(state: RosterState, duty_id: int) -> dt.date | None:
    return next((d.date for d in state.problem.duties if d.id == duty_id), None)


def delete_leader_day(
    session: Session, duty_id: int, reason: str, actor: str, *, today: dt.date | None = None
) -> DutyChangeResult:
    """Delete a leader day entered by mistake; once published it is cancelled instead (versions name it)."""
    reason = _require_reason(reason)
    duty = _duty(session, duty_id)
    if duty.duty_type.code != LEADER_DAY:
        raise NotLeaderDay(duty=duty_name(duty))
    published = session.scalar(
        select(Assignment.id)
        .join(Roster, Roster.id == Assignment.roster_id)
        .where(Assignment.duty_id == duty.id, Roster.status != "draft")
        .limit(1)
    )
    shown = published_roster_on(session, duty.date)
    if published is not None or shown is not None:
        return cancel_duty(session, duty_id, reason, actor, today=today)
    before, named = _json(duty), duty_details(duty)  # named: the log's sentence names the deleted duty
    session.execute(delete(Assignment).where(Assignment.duty_id == duty.id))
    session.delete(duty)
    session.flush()
    record(session, actor, "duty.delete", entity="duty", entity_id=duty_id, reason=reason, before=before,
           details={"duties": [named]}, offices=[named["office_id"]])  # fmt: skip
    return DutyChangeResult(duty, None)
