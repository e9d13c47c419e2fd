"""Swap requests between lawyers: offer a duty or propose an exchange; the colleague answers; a clerk
approves (or approval is automatic where configured and no rule is broken).

States: proposed -> accepted | declined | withdrawn; accepted -> approved | rejected | withdrawn;
proposed or accepted -> expired once the duty has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from scheduler.audit import record
from scheduler.core.errors import typed
from scheduler.models import Duty, Lawyer
from scheduler.models.changes import Proposal, SwapRequest
from scheduler.models.rosters import utcnow
from scheduler.rosters.errors import (
    SWAP_STATE,
    DutyNotFound,
    DutyPassed,
    LawyerNotOnDuty,
    OnlyAcceptedDecided,
    OnlyAskedMayAnswer,
    OnlyMakerMayWithdraw,
    SwapChangedMeanwhile,
    SwapRequestNotFound,
    SwapRequestReason,
    SwapRequestReasonSaying,
    SwapStateRefused,
    SwapWithSelf,
    duty_name,
    lawyer_name,
    state_word,
)
from scheduler.rosters.proposals import accept, propose_cover, propose_swap
from scheduler.rosters.versions import assignments_of, roster_for_day

OPEN = ("proposed", "accepted")


def _duty(session: Session, duty_id: int) -> Duty:
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise DutyNotFound()
    return duty


def _require_on_duty(session: Session, duty: Duty, lawyer_id: int) -> None:
    roster = roster_for_day(session, duty.date)
    if lawyer_id not in assignments_of(roster).get(duty.id, ()):
        who = session.get(Lawyer, lawyer_id)
        raise LawyerNotOnDuty(
            lawyer=lawyer_name(who) if who else lawyer_id, duty=duty_name(duty), version=roster.version
        )


def _snapshot(r: SwapRequest) -> dict[str, object]:
    return {
        "state": r.state,
        "duty_id": r.duty_id,
        "exchange_duty_id": r.exchange_duty_id,
        "from": r.from_lawyer_id,
        "to": r.to_lawyer_id,
    }


def create(
    session: Session,
    duty_id: int,
    from_lawyer_id: int,
    to_lawyer_id: int,
    *,
    exchange_duty_id: int | None = None,
    message: str = "",
    today: dt.date | None = None,
) -> SwapRequest:
    """Lawyer A offers duty `duty_id` to lawyer B, or (with `exchange_duty_id`) proposes an exchange."""
    today = today or dt.date.today()
    if from_lawyer_id == to_lawyer_id:
        raise SwapWithSelf()
    duty = _duty(session, duty_id)
    if duty.date < today:
        raise DutyPassed(duty=duty_name(duty))
    _require_on_duty(session, duty, from_lawyer_id)
    expires = duty.date
    if exchange_duty_id is not None:
        other = _duty(session, exchange_duty_id)
        if other.date < today:
            raise DutyPassed(duty=duty_name(other))
        _require_on_duty(session, other, to_lawyer_id)
        expires = min(expires, other.date)
    request = SwapRequest(
        duty_id=duty_id,
        from_lawyer_id=from_lawyer_id,
        to_lawyer_id=to_lawyer_id,
        exchange_duty_id=exchange_duty_id,
        message=message,
        expires_on=expires,
    )
    session.add(request)
    session.flush()
    record(
        session,
        f"lawyer:{from_lawyer_id}",
        "swap_request.create",
        entity="swap_request",
        entity_id=request.id,
        after=_snapshot(request),
    )
    return request


def get(session: Session, request_id: int) -> SwapRequest:
    request = session.get(SwapRequest, request_id)
    if request is None:
        raise SwapRequestNotFound()
    return request


def _move(session: Session, request: SwapRequest, allowed: Sequence[str], new_state: str, actor: str) -> None:
    if request.state not in allowed:
        raise SwapStateRefused(state=state_word(SWAP_STATE, request.state), wanted=state_word(SWAP_STATE, new_state))
    before = _snapshot(request)
    request.state = new_state
    request.updated_at = utcnow()
    try:
        session.flush()
    except StaleDataError as exc:
        raise SwapChangedMeanwhile() from exc
    record(
        session,
        actor,
        f"swap_request.{new_state}",
        entity="swap_request",
        entity_id=request.id,
        before=before,
        after=_snapshot(request),
    )


def respond(
    session: Session,
    request_id: int,
    lawyer_id: int,
    agree: bool,
    *,
    auto_approve: bool = False,
    today: dt.date | None = None,
) -> SwapRequest:
    """The colleague accepts or declines. With `auto_approve`, an accepted request that breaks no rule
    is approved at once."""
    request = get(session, request_id)
    if lawyer_id != request.to_lawyer_id:
        raise OnlyAskedMayAnswer()
    _move(session, request, ("proposed",), "accepted" if agree else "declined", f"lawyer:{lawyer_id}")
    if agree and auto_approve:
        proposal = _proposal(session, request, "auto", today)
        if not proposal.evaluation.get("new_violations"):
            _approve(session, request, proposal.id, "auto", today)
    return request


def withdraw(session: Session, request_id: int, lawyer_id: int) -> SwapRequest:
    request = get(session, request_id)
    if lawyer_id != request.from_lawyer_id:
        raise OnlyMakerMayWithdraw()
    _move(session, request, OPEN, "withdrawn", f"lawyer:{lawyer_id}")
    return request


def _proposal(session: Session, request: SwapRequest, actor: str, today: dt.date | None) -> Proposal:
    giver, taker = session.get(Lawyer, request.from_lawyer_id), session.get(Lawyer, request.to_lawyer_id)
    names = {"giver": giver.name if giver else "", "taker": taker.name if taker else ""}
    why = (
        SwapRequestReasonSaying(**names, message=typed(request.message))
        if request.message
        else SwapRequestReason(**names)
    )
    if request.exchange_duty_id is None:
        proposal = propose_cover(
            session, request.duty_id, request.from_lawyer_id, request.to_lawyer_id, actor, why, today=today
        )
    else:
        proposal = propose_swap(
            session,
            request.duty_id,
            request.from_lawyer_id,
            request.exchange_duty_id,
            request.to_lawyer_id,
            actor,
            why,
            today=today,
        )
    proposal.swap_request_id = request.id
    return proposal


def _approve(session: Session, request: SwapRequest, proposal_id: int, actor: str, today: dt.date | None) -> None:
    accept(session, proposal_id, actor, today=today)
    _move(session, request, ("accepted",), "approved", actor)
    request.decided_by = actor


def decide(
    session: Session, request_id: int, approve: bool, actor: str, *, today: dt.date | None = None
) -> SwapRequest:
    """A clerk approves (the roster changes, if no rule is broken) or rejects an accepted request."""
    request = get(session, request_id)
    if request.state != "accepted":
        raise OnlyAcceptedDecided(state=state_word(SWAP_STATE, request.state))
    if approve:
        proposal = _proposal(session, request, actor, today)
        _approve(session, request, proposal.id, actor, today)
    else:
        _move(session, request, ("accepted",), "rejected", actor)
        request.decided_by = actor
    return request


def expire(session: Session, today: dt.date | None = None) -> int:
    """Mark every open request whose duty has passed as expired; returns how many."""
    today = today or dt.date.today()
    stale = session.scalars(
        select(SwapRequest).where(SwapRequest.state.in_(OPEN), SwapRequest.expires_on < today)
    ).all()
    for request in stale:
        _move(session, request, OPEN, "expired", "system")
    return len(stale)


def for_lawyer(session: Session, lawyer_id: int) -> Sequence[SwapRequest]:
    return session.scalars(
        select(SwapRequest)
        .where(or_(SwapRequest.from_lawyer_id == lawyer_id, SwapRequest.to_lawyer_id == lawyer_id))
        .order_by(SwapRequest.id.desc())
    ).all()
