"""The admin's view of the accounts: the list, and one edit of an account's name, role, offices and lawyer.

The account's password and its being enabled live in scheduler.people.accounts, shared with the sign-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.core.errors import Conflict, InputError
from scheduler.models import Lawyer, Office
from scheduler.models.accounts import OFFICE_ROLES, ROLES, User
from scheduler.people.accounts import check_display_name, check_offices, named_account, require_other_admin
from scheduler.people.standing import lawyer_by_licence


class UnknownRole(InputError):
    code = "account.unknown_role"
    template = "没有“{role}”这个角色"


class LawyerLinkNeeded(InputError):
    """A lawyer's account names its lawyer; other accounts name none."""

    code = "account.lawyer_link"
    template = "律师账户须关联一名律师（执业证号），其他角色的账户不关联律师"


class LawyerHasAccount(Conflict):
    code = "account.lawyer_has_account"
    template = "律师 {name} 已有账户 {username}"


@dataclass(frozen=True)
class AccountRow:
    """One account as the admin's list shows it."""

    id: int
    username: str
    display_name: str
    role: str
    active: bool
    all_offices: bool
    offices: list[str]  # office names
    office_ids: list[int]
    lawyer: str  # the linked lawyer's name
    lawyer_licence: str
    last_login_at: dt.datetime | None
    failed_logins: int
    locked_until: dt.datetime | None
    must_change_password: bool


def _row(user: User, lawyers: dict[int, Lawyer]) -> AccountRow:
    lawyer = lawyers.get(user.lawyer_id) if user.lawyer_id is not None else None
    return AccountRow(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
        all_offices=user.all_offices or user.role == "admin",
        offices=[o.name for o in user.offices],
        office_ids=[o.id for o in user.offices],
        lawyer=lawyer.name if lawyer else "",
        lawyer_licence=lawyer.licence_no if lawyer else "",
        last_login_at=user.last_login_at,
        failed_logins=user.failed_logins,
        locked_until=user.locked_until,
        must_change_password=user.must_change_password,
    )


def account_rows(session: Session, user_ids: Collection[int] | None = None) -> list[AccountRow]:
    """Every account (or those of `user_ids`), by role then username (three queries)."""
    query = select(User).options(selectinload(User.offices)).order_by(User.role, User.username)
    if user_ids is not None:
        query = query.where(User.id.in_(sorted(set(user_ids))))
    users = list(session.scalars(query))
    linked = sorted({u.lawyer_id for u in users if u.lawyer_id is not None})
    lawyers = {lw.id: lw for lw in session.scalars(select(Lawyer).where(Lawyer.id.in_(linked)))} if linked else {}
    return [_row(u, lawyers) for u in users]


def account_row(session: Session, username: str) -> AccountRow:
    """One account as the admin's list shows it (NotFound if there is none)."""
    return account_rows(session, [named_account(session, username).id])[0]


def _snapshot(user: User) -> dict[str, object]:
    return {
        "display_name": user.display_name,
        "role": user.role,
        "lawyer_id": user.lawyer_id,
        "all_offices": user.all_offices,
        "office_ids": [o.id for o in user.offices],
    }


def update_account(
    session: Session,
    username: str,
    actor: str,
    *,
    role: str | None = None,
    display_name: str | None = None,
    offices: Collection[Office] | None = None,
    all_offices: bool | None = None,
    lawyer_licence: str | None = None,
) -> User:
    """Change what is given of an account's display name, role, offices and linked lawyer (None: unchanged).

    A lawyer's account must name its lawyer (`lawyer_licence`) and other roles none; a clerk's or planner's
    account must hold an office or all of them. A change of role or offices ends the account's sessions, so
    it signs in again with what it may now do.
    """
    user = named_account(session, username)
    before = _snapshot(user)
    new_role = role if role is not None else user.role
    if new_role not in ROLES:
        raise UnknownRole(role=new_role)
    if new_role != "admin":
        require_other_admin(session, user)
    if display_name is not None:
        user.display_name = check_display_name(display_name)
    if new_role == "lawyer":
        if lawyer_licence is None and user.lawyer_id is None:
            raise LawyerLinkNeeded()
        if lawyer_licence is not None:
            lawyer = lawyer_by_licence(session, lawyer_licence)
            holder = session.scalar(select(User).where(User.lawyer_id == lawyer.id, User.id != user.id))
            if holder is not None:
                raise LawyerHasAccount(name=lawyer.name, username=holder.username)
            user.lawyer_id = lawyer.id
    else:
        if lawyer_licence:
            raise LawyerLinkNeeded()
        user.lawyer_id = None
    user.role = new_role
    if new_role in OFFICE_ROLES:
        held = list(offices) if offices is not None else list(user.offices)
        everything = all_offices if all_offices is not None else user.all_offices
        check_offices(new_role, held, everything)
        user.all_offices = everything
        user.offices = [] if everything else held
    else:
        user.all_offices, user.offices = False, []
    after = _snapshot(user)
    if after == before:
        return user
    if {k: v for k, v in after.items() if k != "display_name"} != {
        k: v for k, v in before.items() if k != "display_name"
    }:
        user.session_version += 1  # what it may do changed: its sessions start again with the new rights
    session.flush()
    record(session, actor, "account.update", entity="user", entity_id=user.id, before=before, after=after)
    return user
