"""A lawyer's standing and availability after publication: removal, suspension, reinstatement,
new unavailability. Each records the fact, then proposes a repair of every published roster it
touches (the clerk accepts the proposal; the duties before the date are never touched)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.core.errors import Message, NotFound, ReversedPeriod, require_period, typed
from scheduler.models import Lawyer, Roster, StatusPeriod, Unavailability
from scheduler.models.changes import Proposal
from scheduler.people.errors import (
    STANDING,
    AlreadyRemoved,
    AlreadyStanding,
    LawyerNotFound,
    NotSuspended,
    ReasonRequired,
    RemovalReason,
    SuspensionReason,
    UnavailableReason,
)
from scheduler.rosters.proposals import propose_repair
from scheduler.solver import SolveParams


def lawyer_by_licence(session: Session, licence: str) -> Lawyer:
    lawyer = session.scalar(select(Lawyer).where(Lawyer.licence_no == licence))
    if lawyer is None:
        raise LawyerNotFound(value=licence)
    return lawyer


def _published_from(session: Session, day: dt.date, until: dt.date | None) -> Sequence[Roster]:
    query = select(Roster).where(Roster.status == "published", Roster.period_end >= day)
    if until is not None:
        query = query.where(Roster.period_start <= until)
    return session.scalars(query.order_by(Roster.period_start)).all()


def _repairs(
    session: Session,
    day: dt.date,
    until: dt.date | None,
    actor: str,
    reason: Message,
    today: dt.date | None,
    params: SolveParams | None,
) -> list[Proposal]:
    proposals = []
    for roster in _published_from(session, day, until):
        proposal = propose_repair(session, roster, day, actor, reason, today=today, params=params)
        if proposal is not None:
            proposals.append(proposal)
    return proposals


def _standing(lawyer: Lawyer) -> list[dict[str, str | None]]:
    return [
        {"status": p.status, "start": str(p.start), "end": str(p.end) if p.end else None, "reason": p.reason}
        for p in lawyer.status_periods
    ]


def _add_period(session: Session, lawyer: Lawyer, period: StatusPeriod, actor: str) -> None:
    """Record a removal or suspension with its audit event (lawyer.remove / lawyer.suspend)."""
    before = _standing(lawyer)
    lawyer.status_periods.append(period)
    session.flush()
    action = "lawyer.remove" if period.status == "removed" else "lawyer.suspend"
    record(session, actor, action, entity="lawyer", entity_id=lawyer.id, reason=period.reason,
           before=before, after=_standing(lawyer))  # fmt: skip


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ReasonRequired()
    return reason


def remove(
    session: Session,
    licence: str,
    from_date: dt.date,
    reason: str,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> list[Proposal]:
    """Remove a lawyer from petition duty (取消资格) from `from_date` on, and propose the repairs."""
    reason = _require_reason(reason)
    lawyer = lawyer_by_licence(session, licence)
    if any(p.status == "removed" for p in lawyer.status_periods):
        raise AlreadyRemoved(name=lawyer.name, licence=licence)
    _add_period(session, lawyer, StatusPeriod(status="removed", start=from_date, end=None, reason=reason), actor)
    why = RemovalReason(name=lawyer.name, start=from_date, reason=typed(reason))
    return _repairs(session, from_date, None, actor, why, today, params)


def suspend(
    session: Session,
    licence: str,
    from_date: dt.date,
    to_date: dt.date,
    reason: str,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> list[Proposal]:
    """Suspend a lawyer from `from_date` to `to_date` (inclusive) and propose the repairs."""
    reason = _require_reason(reason)
    if to_date < from_date:
        raise ReversedPeriod(from_date, to_date)
    lawyer = lawyer_by_licence(session, licence)
    for p in lawyer.status_periods:
        if p.start <= to_date and (p.end is None or p.end >= from_date):
            raise AlreadyStanding(name=lawyer.name, licence=licence, standing=STANDING[p.status](), start=p.start)
    _add_period(session, lawyer, StatusPeriod(status="suspended", start=from_date, end=to_date, reason=reason), actor)
    why = SuspensionReason(name=lawyer.name, start=from_date, end=to_date, reason=typed(reason))
    return _repairs(session, from_date, to_date, actor, why, today, params)


def reinstate(session: Session, licence: str, on: dt.date, reason: str, actor: str) -> None:
    """End a suspension (or removal) the day before `on`: eligible again, and nobody is moved."""
    reason = _require_reason(reason)
    lawyer = lawyer_by_licence(session, licence)
    current = [p for p in lawyer.status_periods if p.end is None or p.end >= on]
    if not current:
        raise NotSuspended(name=lawyer.name, licence=licence, day=on)
    before = _standing(lawyer)
    for p in current:
        if p.start >= on:
            lawyer.status_periods.remove(p)
        else:
            p.status, p.end = "suspended", on - dt.timedelta(days=1)
    session.flush()
    record(
        session,
        actor,
        "lawyer.reinstate",
        entity="lawyer",
        entity_id=lawyer.id,
        reason=reason,
        before=before,
        after=_standing(lawyer),
    )


def add_unavailability(
    session: Session,
    licence: str,
    start: dt.date,
    end: dt.date,
    reason: str,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> list[Proposal]:
    """Record days a lawyer cannot serve (a court date, illness) and propose repairs of the duties hit."""
    if end < start:
        raise ReversedPeriod(start, end)
    lawyer = lawyer_by_licence(session, licence)
    span = Unavailability(lawyer=lawyer, start=start, end=end, reason=reason.strip())
    session.add(span)
    session.flush()
    record(
        session,
        actor,
        "lawyer.unavailable",
        entity="lawyer",
        entity_id=lawyer.id,
        reason=reason,
        after={"start": str(start), "end": str(end)},
    )
    why = UnavailableReason(name=lawyer.name, start=start, end=end, reason=typed(reason))
    return _repairs(session, start, end, actor, why, today, params)


class UnavailabilityNotFound(NotFound):
    code = "people.unavailability_not_found"
    template = "这条不可值班记录不存在"


def _span(session: Session, span_id: int) -> Unavailability:
    span = session.get(Unavailability, span_id)
    if span is None:
        raise UnavailabilityNotFound()
    return span


def _span_json(span: Unavailability) -> dict[str, str]:
    return {"start": str(span.start), "end": str(span.end), "reason": span.reason}


def change_unavailability(
    session: Session,
    span_id: int,
    start: dt.date | None,
    end: dt.date | None,
    reason: str | None,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> list[Proposal]:
    """Correct a period a lawyer cannot serve (None keeps a field); propose repairs of the duties it now hits.

    Duties the shortened period no longer hits are not handed back: their replacements were published and
    told, and the planner may swap back by hand."""
    span = _span(session, span_id)
    new_start, new_end = start or span.start, end or span.end
    require_period(new_start, new_end)
    before = _span_json(span)
    span.start, span.end = new_start, new_end
    if reason is not None:
        span.reason = reason.strip()
    session.flush()
    after = _span_json(span)
    if after == before:
        return []
    record(session, actor, "unavailability.update", entity="unavailability", entity_id=span.id,
           reason=span.reason, before=before, after=after)  # fmt: skip
    why = UnavailableReason(name=span.lawyer.name, start=new_start, end=new_end, reason=typed(span.reason))
    return _repairs(session, new_start, new_end, actor, why, today, params)


def remove_unavailability(session: Session, span_id: int, actor: str) -> None:
    """Delete a period entered by mistake (the duties it freed are not changed back)."""
    span = _span(session, span_id)
    before = _span_json(span) | {"lawyer_id": span.lawyer_id}
    session.delete(span)
    session.flush()
    record(session, actor, "unavailability.delete", entity="unavailability", entity_id=span_id, before=before)
