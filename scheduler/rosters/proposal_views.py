"""Proposals as the clerk sees them: the changes, the rule check, what stays unfilled; the open ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.changes.apply import Change
from scheduler.changes.reasons import ReasonText, reason_text
from scheduler.core.errors import Message, typed
from scheduler.models import (
    Duty,
    Proposal,
    Roster,
)
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, held_proposals
from scheduler.rosters.duty_info import DutyInfo, Person, duty_infos, people_by_id
from scheduler.rosters.errors import ProposalNotFound
from scheduler.rosters.violations import violation_message

# --- proposals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    duty: DutyInfo
    removed: tuple[Person, ...]
    added: tuple[Person, ...]


@dataclass(frozen=True)
class ViolationLine:
    rule: str
    message: Message  # worded by the page


@dataclass(frozen=True)
class UnfilledLine:
    duty: DutyInfo | None
    missing: int
    reasons: tuple[ReasonText, ...]


@dataclass(frozen=True)
class ProposalView:
    """A proposal with the rule check and the objective change computed when it was made."""

    id: int
    kind: str
    state: str
    reason: Message | None  # worded by the page (scheduler.web.i18n.word)
    created_by: str
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    period: tuple[dt.date, dt.date]
    base_version: int
    base_current: bool  # the version it was made on is still the published one
    changes: tuple[ChangeLine, ...]
    violations: tuple[ViolationLine, ...]
    objective_before: int | None
    objective_after: int | None
    terms_delta: tuple[tuple[str, int], ...]
    unfilled: tuple[UnfilledLine, ...]
    moved_others: bool
    swap_request_id: int | None

    @property
    def objective_delta(self) -> int | None:
        if self.objective_before is None or self.objective_after is None:
            return None
        return self.objective_after - self.objective_before


def reason_of(proposal: Proposal) -> Message | None:
    """A proposal's reason: as data when the service worded it, else as typed (None when there is none)."""
    if proposal.reason_message:
        return Message.from_json(proposal.reason_message)
    return typed(proposal.reason) if proposal.reason else None


def proposal_view(session: Session, proposal_id: int) -> ProposalView:
    """Proposal `proposal_id` with its changes by duty and lawyer (four queries)."""
    row = session.execute(
        select(Proposal, Roster.version, Roster.status, Roster.period_start, Roster.period_end)
        .join(Roster, Roster.id == Proposal.base_roster_id)
        .where(Proposal.id == proposal_id)
    ).first()
    if row is None:
        raise ProposalNotFound(number=proposal_id)
    proposal: Proposal = row.Proposal
    evaluation = dict(proposal.evaluation or {})
    changes = [Change.from_json(c) for c in proposal.changes]
    unfilled_json = list(evaluation.get("unfilled", []))
    duty_ids = {c.duty_id for c in changes} | {int(u["duty_id"]) for u in unfilled_json}
    duties = {d.id: d for d in duty_infos(session, Duty.id.in_(duty_ids))}
    people = people_by_id(session, [x for c in changes for x in (*c.remove, *c.add)])
    return ProposalView(
        id=proposal.id,
        kind=proposal.kind,
        state=proposal.state,
        reason=reason_of(proposal),
        created_by=proposal.created_by,
        created_at=proposal.created_at,
        decided_by=proposal.decided_by,
        decided_at=proposal.decided_at,
        period=(row.period_start, row.period_end),
        base_version=row.version,
        base_current=row.status == "published",
        changes=tuple(
            ChangeLine(duties[c.duty_id], tuple(people[x] for x in c.remove), tuple(people[x] for x in c.add))
            for c in changes
            if c.duty_id in duties
        ),
        violations=tuple(
            ViolationLine(str(v.get("rule", "")), violation_message(session, v))
            for v in evaluation.get("new_violations", [])
        ),
        objective_before=evaluation.get("objective_before"),
        objective_after=evaluation.get("objective_after"),
        terms_delta=tuple(sorted((str(k), int(v)) for k, v in dict(evaluation.get("terms_delta", {})).items())),
        unfilled=tuple(
            UnfilledLine(
                duties.get(int(u["duty_id"])),
                int(u.get("missing", 0)),
                tuple(reason_text(r) for r in u.get("reasons", ())),
            )
            for u in unfilled_json
        ),
        moved_others=bool(evaluation.get("moved_others", False)),
        swap_request_id=proposal.swap_request_id,
    )


@dataclass(frozen=True)
class ProposalRow:
    id: int
    kind: str
    reason: Message | None
    created_by: str
    created_at: dt.datetime
    changes: int
    violations: int
    base_current: bool


def open_proposals(session: Session, scope: OfficeScope = EVERY_OFFICE) -> list[ProposalRow]:
    """Proposals waiting for a decision whose duties are all at offices `scope` holds, oldest first (one query,
    two for a scope of some offices)."""
    found = session.execute(
        select(Proposal, Roster.status)
        .join(Roster, Roster.id == Proposal.base_roster_id)
        .where(Proposal.state == "open")
        .order_by(Proposal.id)
    ).all()
    held = {p.id for p in held_proposals(session, [r.Proposal for r in found], scope)}
    rows = [r for r in found if r.Proposal.id in held]
    return [
        ProposalRow(
            r.Proposal.id,
            r.Proposal.kind,
            reason_of(r.Proposal),
            r.Proposal.created_by,
            r.Proposal.created_at,
            len(r.Proposal.changes),
            len((r.Proposal.evaluation or {}).get("new_violations", [])),
            r.status == "published",
        )
        for r in rows
    ]
