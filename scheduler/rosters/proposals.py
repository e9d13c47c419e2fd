"""Proposals: a swap, a cover or a repair is computed first, shown, and changes nothing until accepted."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from scheduler.audit import record
from scheduler.changes.apply import Change, apply_changes, evaluate
from scheduler.changes.reasons import reason_json
from scheduler.changes.repair import plan_repair
from scheduler.core.errors import Message
from scheduler.core.problem import Problem
from scheduler.models import Duty, Lawyer, Roster
from scheduler.models.changes import Proposal
from scheduler.models.rosters import utcnow
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.errors import (
    PROPOSAL_STATE,
    AlreadyOnDuty,
    BreaksHardRules,
    DifferentPeriods,
    DutyNotFound,
    LawyerNotOnDuty,
    NoOpenPlace,
    ProposalDecided,
    ProposalNotFound,
    ProposalOutdated,
    SwapNeedsTwo,
    duty_name,
    lawyer_name,
    state_word,
)
from scheduler.rosters.publishing import VersionChange, create_version
from scheduler.rosters.staffing import plan_staffing, repair_context
from scheduler.rosters.versions import assignments_of, roster_for_day
from scheduler.rosters.violations import violation_messages
from scheduler.solver import SolveParams

ORIGINS = {"swap": "swap", "cover": "manual", "repair": "replacement"}


@dataclass(frozen=True)
class RosterState:
    """A published version with the problem it solves: what every proposal is judged against."""

    roster: Roster
    problem: Problem
    assignments: dict[int, tuple[int, ...]]


def roster_state(session: Session, roster: Roster, today: dt.date | None = None) -> RosterState:
    built = build_problem(session, roster.period_start, roster.period_end, today=today)
    return RosterState(roster, built.problem, assignments_of(roster))


def _duty(session: Session, duty_id: int) -> Duty:
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise DutyNotFound()
    return duty


def _lawyer_name(session: Session, lawyer_id: int) -> str:
    lawyer = session.get(Lawyer, lawyer_id)
    return f"{lawyer.name}（{lawyer.licence_no}）" if lawyer else str(lawyer_id)


def _store(
    session: Session,
    state: RosterState,
    kind: str,
    changes: list[Change],
    actor: str,
    reason: str | Message,
    extra: dict[str, Any] | None = None,
) -> Proposal:
    after = apply_changes(state.assignments, changes)
    evaluation = evaluate(state.problem, state.assignments, after).to_json() | (extra or {})
    proposal = Proposal(
        kind=kind,
        base_roster_id=state.roster.id,
        changes=[c.to_json() for c in changes],
        evaluation=evaluation,
        reason=str(reason),
        reason_message=reason.to_json() if isinstance(reason, Message) and reason.code else None,
        created_by=actor,
    )
    session.add(proposal)
    session.flush()
    return proposal


def _on_duty(state: RosterState, duty_id: int, lawyer_id: int) -> None:
    if lawyer_id not in state.assignments.get(duty_id, ()):
        session = object_session(state.roster)
        duty, lawyer = (session.get(Duty, duty_id), session.get(Lawyer, lawyer_id)) if session else (None, None)
        raise LawyerNotOnDuty(
            lawyer=lawyer_name(lawyer) if lawyer else lawyer_id,
            duty=duty_name(duty) if duty else duty_id,
            version=state.roster.version,
        )


def propose_swap(
    session: Session,
    duty_a: int,
    lawyer_a: int,
    duty_b: int,
    lawyer_b: int,
    actor: str,
    reason: str | Message = "",
    *,
    today: dt.date | None = None,
) -> Proposal:
    """Lawyer A (on duty A) and lawyer B (on duty B) exchange their duties."""
    if duty_a == duty_b:
        raise SwapNeedsTwo()
    first, second = _duty(session, duty_a), _duty(session, duty_b)
    roster = roster_for_day(session, first.date)
    if roster_for_day(session, second.date).id != roster.id:
        raise DifferentPeriods(first=duty_name(first), second=duty_name(second))
    state = roster_state(session, roster, today)
    _on_duty(state, duty_a, lawyer_a)
    _on_duty(state, duty_b, lawyer_b)
    changes = [Change(duty_a, (lawyer_a,), (lawyer_b,)), Change(duty_b, (lawyer_b,), (lawyer_a,))]
    return _store(session, state, "swap", changes, actor, reason)


def propose_cover(
    session: Session,
    duty_id: int,
    lawyer_out: int | None,
    lawyer_in: int,
    actor: str,
    reason: str | Message = "",
    *,
    today: dt.date | None = None,
) -> Proposal:
    """`lawyer_in` takes `lawyer_out`'s place on the duty (or an open place when `lawyer_out` is None)."""
    duty = _duty(session, duty_id)
    state = roster_state(session, roster_for_day(session, duty.date), today)
    if lawyer_out is not None:
        _on_duty(state, duty_id, lawyer_out)
    elif len(state.assignments.get(duty_id, ())) >= duty.needed:
        raise NoOpenPlace(duty=duty_name(duty))
    if lawyer_in in state.assignments.get(duty_id, ()):
        raise AlreadyOnDuty(lawyer=_lawyer_name(session, lawyer_in), duty=duty_name(duty))
    change = Change(duty_id, (lawyer_out,) if lawyer_out is not None else (), (lawyer_in,))
    return _store(session, state, "cover", [change], actor, reason)


def propose_repair(
    session: Session,
    roster: Roster,
    from_date: dt.date,
    actor: str,
    reason: str | Message,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> Proposal | None:
    """Refill every place on or after `from_date` whose lawyer can no longer serve; None if none."""
    today = today or dt.date.today()
    state = roster_state(session, roster, today)
    problem, roster_now = repair_context(state.problem, state.assignments, max(from_date, today))
    plan = plan_repair(problem, roster_now, from_date, today, params)
    if not plan.vacated:
        return None
    extra = {
        "vacated": [list(p) for p in plan.vacated],
        "changed": plan.changed,
        "moved_others": plan.moved_others,
        "unfilled": [
            {"duty_id": u.duty_id, "missing": u.missing, "reasons": [reason_json(r) for r in u.reasons]}
            for u in plan.unfilled
        ],
    }
    return _store(session, state, "repair", list(plan.changes), actor, reason, extra)


def propose_staffing(
    session: Session,
    roster: Roster,
    targets: dict[int, tuple[int, ...]],
    actor: str,
    reason: str | Message,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> Proposal | None:
    """Staff the target duties (id -> lawyers each keeps) of a published roster with the fewest changes.

    For a duty added to a published period, a moved one, a window added by a calendar change: the
    other places stay as they are unless a target cannot be filled otherwise. None if nothing changes.
    """
    today = today or dt.date.today()
    state = roster_state(session, roster, today)
    plan = plan_staffing(state.problem, state.assignments, targets, today, params)
    if not plan.changes:
        return None
    extra = {
        "staffed": sorted(targets),
        "changed": plan.changed,
        "moved_others": plan.moved_others,
        "unfilled": [
            {"duty_id": u.duty_id, "missing": u.missing, "reasons": [reason_json(r) for r in u.reasons]}
            for u in plan.unfilled
        ],
    }
    return _store(session, state, "repair", list(plan.changes), actor, reason, extra)


def get_proposal(session: Session, proposal_id: int) -> Proposal:
    proposal = session.get(Proposal, proposal_id)
    if proposal is None:
        raise ProposalNotFound()
    return proposal


def accept(
    session: Session,
    proposal_id: int,
    actor: str,
    override_reason: str | None = None,
    *,
    today: dt.date | None = None,
) -> Roster:
    """Apply an open proposal as the next published version.

    Refused when its version is no longer current, and when it breaks a hard rule unless a planner
    overrides with a reason (the caller checks the role; the reason is recorded).
    """
    proposal = get_proposal(session, proposal_id)
    if proposal.state != "open":
        raise ProposalDecided(state=state_word(PROPOSAL_STATE, proposal.state))
    base = proposal.base_roster
    if base.status != "published":
        current = session.scalar(
            select(Roster).where(
                Roster.period_start == base.period_start,
                Roster.period_end == base.period_end,
                Roster.status == "published",
            )
        )
        ids = [int(c["duty_id"]) for c in proposal.changes]
        duties = [duty_name(d) for d in session.scalars(select(Duty).where(Duty.id.in_(ids)).order_by(Duty.date))]
        raise ProposalOutdated(duties=duties, base=base.version, current=current.version if current else "—")
    changes = [Change.from_json(c) for c in proposal.changes]
    state = roster_state(session, base, today)
    verdict = evaluate(state.problem, state.assignments, apply_changes(state.assignments, changes))
    if verdict.new_violations and not override_reason:
        raise BreaksHardRules(rules=violation_messages(session, verdict.new_violations))
    why = proposal.reason + (f"（不顾规则冲突：{override_reason}）" if override_reason else "")
    what = _describe(session, proposal.kind, changes)
    change = VersionChange(tuple(changes), what, why, ORIGINS[proposal.kind], f"roster.{proposal.kind}")
    roster = create_version(session, base, change, actor)
    proposal.state = "accepted"
    proposal.decided_by = actor
    proposal.decided_at = utcnow()
    proposal.result_roster_id = roster.id
    if override_reason:
        record(
            session,
            actor,
            "roster.override",
            entity="proposal",
            entity_id=proposal.id,
            reason=override_reason,
            after={"violations": [v.message for v in verdict.new_violations]},
        )
    return roster


def discard(session: Session, proposal_id: int, actor: str) -> None:
    proposal = get_proposal(session, proposal_id)
    if proposal.state != "open":
        raise ProposalDecided(state=state_word(PROPOSAL_STATE, proposal.state))
    proposal.state = "discarded"
    proposal.decided_by = actor
    proposal.decided_at = utcnow()
    record(session, actor, "proposal.discard", entity="proposal", entity_id=proposal.id)


def _describe(session: Session, kind: str, changes: list[Change]) -> str:
    parts = []
    for c in changes:
        out = ", ".join(_lawyer_name(session, lw) for lw in c.remove) or "open place"
        into = ", ".join(_lawyer_name(session, lw) for lw in c.add) or "nobody"
        parts.append(f"duty {c.duty_id}: {out} -> {into}")
    return f"{kind}: " + "; ".join(parts)
