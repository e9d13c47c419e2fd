"""The offices an account may see and change: computed once at the edge from the signed-in account and passed
down into read models and use cases.

A clerk or planner account holds some offices (the user_offices table) or all of them (the prefecture
bureau's staff, `all_offices`); an admin holds all of them. A change touching several offices (a swap between
a 望谟 duty and a 兴义 duty) needs an account that holds every one of them; a list shows only what touches an
office the account holds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session

from scheduler.core.errors import SchedulerError
from scheduler.models import Duty, Lawyer, Office, Proposal, Roster, SwapRequest, lawyer_offices
from scheduler.models.accounts import OFFICE_ROLES, User, user_offices


class OutOfScope(SchedulerError):
    """The account does not hold an office the request touches (the web answers 403)."""

    code = "account.out_of_scope"
    template = "此账户无权查看或更改其他信访局的值班、律师或排班"


@dataclass(frozen=True)
class OfficeScope:
    """The offices an account holds; `office_ids` None: every office (also those created later)."""

    office_ids: frozenset[int] | None = None

    @property
    def everything(self) -> bool:
        return self.office_ids is None

    def holds(self, office_ids: Iterable[int]) -> bool:
        """True when the account holds every office of `office_ids` (an empty set: nothing to refuse)."""
        return self.office_ids is None or set(office_ids) <= self.office_ids

    def touches(self, office_ids: Iterable[int]) -> bool:
        """True when one of `office_ids` is held: the thing may be listed to this account."""
        return self.office_ids is None or not self.office_ids.isdisjoint(office_ids)

    def clause(self, office_column: Any) -> ColumnElement[bool]:
        """A WHERE clause keeping rows whose `office_column` is held."""
        return true() if self.office_ids is None else office_column.in_(sorted(self.office_ids))

    def require(self, office_ids: Iterable[int]) -> None:
        """OutOfScope unless every office of `office_ids` is held."""
        if not self.holds(office_ids):
            raise OutOfScope()


EVERY_OFFICE = OfficeScope(None)


def scope_of(session: Session, user: User) -> OfficeScope:
    """The offices `user` holds: all for admins and all-office staff, the linked ones for other clerks and
    planners, none for a lawyer's account (its pages are the lawyer's own, never an office's)."""
    if user.role == "admin" or (user.role in OFFICE_ROLES and user.all_offices):
        return EVERY_OFFICE
    if user.role not in OFFICE_ROLES:
        return OfficeScope(frozenset())
    ids = session.scalars(select(user_offices.c.office_id).where(user_offices.c.user_id == user.id))
    return OfficeScope(frozenset(ids))


def duty_offices(session: Session, duty_ids: Collection[int | None]) -> set[int]:
    """The offices of the duties `duty_ids` (unknown ids have none: the use case reports them)."""
    ids = sorted({d for d in duty_ids if d is not None})
    if not ids:
        return set()
    return set(session.scalars(select(Duty.office_id).where(Duty.id.in_(ids))))


def proposal_duty_ids(proposal: Proposal) -> set[int]:
    """The duties a proposal changes."""
    return {int(c["duty_id"]) for c in proposal.changes or ()}


def proposal_offices(session: Session, proposal_id: int) -> set[int]:
    """The offices of the duties proposal `proposal_id` changes."""
    proposal = session.get(Proposal, proposal_id)
    return duty_offices(session, proposal_duty_ids(proposal)) if proposal is not None else set()


def swap_request_offices(session: Session, request_id: int) -> set[int]:
    """The offices of the duty (and the exchanged duty) of swap request `request_id`."""
    row = session.execute(
        select(SwapRequest.duty_id, SwapRequest.exchange_duty_id).where(SwapRequest.id == request_id)
    ).first()
    return duty_offices(session, [row.duty_id, row.exchange_duty_id]) if row is not None else set()


def period_offices(session: Session, start: Any, end: Any) -> set[int]:
    """The offices with a duty from `start` to `end`: planning, solving or publishing that period touches them."""
    return set(session.scalars(select(Duty.office_id).where(Duty.date >= start, Duty.date <= end).distinct()))


def roster_offices(session: Session, roster_id: int) -> set[int]:
    """The offices with a duty in the period of roster `roster_id`."""
    roster = session.get(Roster, roster_id)
    return period_offices(session, roster.period_start, roster.period_end) if roster is not None else set()


def lawyer_office_ids(session: Session, lawyer_ids: Collection[int]) -> set[int]:
    """The offices the lawyers `lawyer_ids` serve."""
    if not lawyer_ids:
        return set()
    query = select(lawyer_offices.c.office_id).where(lawyer_offices.c.lawyer_id.in_(sorted(set(lawyer_ids))))
    return set(session.scalars(query))


def lawyers_in_scope(scope: OfficeScope) -> Any:
    """A subquery of the ids of the lawyers serving an office the scope holds (for `Lawyer.id.in_(...)`)."""
    return select(lawyer_offices.c.lawyer_id).where(scope.clause(lawyer_offices.c.office_id))


def held_duties(scope: OfficeScope) -> Any:
    """A subquery of the ids of the duties at an office the scope holds (for `column.in_(...)`)."""
    return select(Duty.id).where(scope.clause(Duty.office_id))


def duty_office_map(session: Session, duty_ids: Collection[int]) -> dict[int, int]:
    """Duty id -> office id of the duties `duty_ids` (one query)."""
    if not duty_ids:
        return {}
    rows = session.execute(select(Duty.id, Duty.office_id).where(Duty.id.in_(sorted(set(duty_ids)))))
    return {r.id: r.office_id for r in rows}


def held_proposals(session: Session, proposals: list[Proposal], scope: OfficeScope) -> list[Proposal]:
    """Those of `proposals` whose every duty is at a held office (one query, none for an all-office scope)."""
    if scope.everything:
        return proposals
    offices = duty_office_map(session, {d for p in proposals for d in proposal_duty_ids(p)})
    return [p for p in proposals if scope.holds(offices.get(d, -1) for d in proposal_duty_ids(p))]


def duty_clause(scope: OfficeScope, duty_column: Any) -> ColumnElement[bool]:
    """A WHERE clause keeping rows whose `duty_column` is a duty at a held office."""
    return true() if scope.everything else duty_column.in_(held_duties(scope))


def lawyer_clause(scope: OfficeScope, lawyer_column: Any) -> ColumnElement[bool]:
    """A WHERE clause keeping rows whose `lawyer_column` is a lawyer serving a held office."""
    return true() if scope.everything else lawyer_column.in_(lawyers_in_scope(scope))


def licence_offices(session: Session, licence: str) -> set[int]:
    """The offices the lawyer with licence number `licence` serves (none for an unknown number)."""
    query = (
        select(lawyer_offices.c.office_id)
        .join(Lawyer, Lawyer.id == lawyer_offices.c.lawyer_id)
        .where(Lawyer.licence_no == licence.strip())
    )
    return set(session.scalars(query))


def office_ids_of(session: Session, codes: Collection[str]) -> set[int]:
    """The ids of the offices with codes `codes` (unknown codes have none: the use case reports them)."""
    return set(session.scalars(select(Office.id).where(Office.code.in_(sorted(set(codes))))))


def office_codes(session: Session, office_ids: Collection[int]) -> list[str]:
    """The codes of the offices `office_ids`, sorted."""
    return sorted(session.scalars(select(Office.code).where(Office.id.in_(sorted(set(office_ids))))))
