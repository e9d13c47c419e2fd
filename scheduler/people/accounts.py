"""Accounts: creating them, checking a sign-in, and the demo database's four accounts.

Passwords are kept only as werkzeug.security hashes (scrypt, salted). A sign-in with an unknown
username costs as much time as one with a wrong password, so timing does not tell which names exist.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from scheduler.audit import record
from scheduler.config import Settings
from scheduler.core.errors import Conflict, InputError, NotFound, SchedulerError
from scheduler.db import settings_of
from scheduler.models import Lawyer, Office
from scheduler.models.accounts import OFFICE_ROLES, ROLES, User
from scheduler.models.rosters import utcnow
from scheduler.people.account_errors import (
    BadUsername,
    CreatedMeanwhile,
    DemoLawyerMissing,
    LawyerAlreadyHasAccount,
    LawyerLicenceForLawyers,
    NoSuchAccount,
    PasswordTooLong,
    PasswordTooShort,
    RoleUnknown,
    UsernameTaken,
)
from scheduler.people.standing import lawyer_by_licence

USERNAME = re.compile(r"[a-z0-9][a-z0-9_.-]{1,59}")
MIN_PASSWORD = 10
MAX_PASSWORD = 200  # scrypt takes any length; a cap stops a megabyte "password" from costing CPU
MAX_DISPLAY_NAME = 60
RESET_LINK_LIFETIME = dt.timedelta(hours=24)


class OfficesMissing(InputError):
    """A clerk's or planner's account without an office: it could do nothing."""

    code = "account.offices_missing"
    template = "窗口工作人员和排班员的账户须属于至少一个信访局，或属于全部信访局"


class UnknownOffices(NotFound):
    """Offices named by a code or id that does not exist."""

    code = "account.unknown_offices"
    template = "没有这些信访局：{offices}"


class DisplayNameTooLong(InputError):
    code = "account.display_name_too_long"
    template = "显示名称最多 {limit} 个字"


class LastAdmin(Conflict):
    """The last active admin account may not lose its role or be disabled: nobody could manage accounts."""

    code = "account.last_admin"
    template = "{username} 是唯一启用的管理员账户，不能改变其角色或停用"


class AccountGone(NotFound):
    code = "account.gone"
    template = "此账户不存在或已停用"


class WrongPassword(InputError):
    """The current password given to change one's own password is not the account's."""

    code = "account.wrong_password"
    template = "当前密码不正确"


class ResetLinkInvalid(InputError):
    """A reset link that was never issued, was used already, or expired."""

    code = "account.reset_link_invalid"
    template = "此重置密码链接无效、已使用或已过期，请联系管理员重新发放"


def resolve_offices(session: Session, office_ids: Collection[int] = (), codes: Collection[str] = ()) -> list[Office]:
    """The offices with ids `office_ids` and codes `codes`; UnknownOffices names any that does not exist."""
    found = list(session.scalars(select(Office).where(Office.id.in_(sorted(set(office_ids))))))
    found += list(session.scalars(select(Office).where(Office.code.in_(sorted(set(codes))))))
    missing = [str(i) for i in sorted(set(office_ids) - {o.id for o in found})]
    missing += sorted(set(codes) - {o.code for o in found})
    if missing:
        raise UnknownOffices(offices="、".join(missing))
    return sorted({o.id: o for o in found}.values(), key=lambda o: o.id)


def check_offices(role: str, offices: Collection[Office], all_offices: bool) -> None:
    """OfficesMissing when an office role's account would hold no office."""
    if role in OFFICE_ROLES and not all_offices and not offices:
        raise OfficesMissing()


def check_display_name(display_name: str) -> str:
    """The trimmed display name; DisplayNameTooLong past the column's length."""
    name = display_name.strip()
    if len(name) > MAX_DISPLAY_NAME:
        raise DisplayNameTooLong(limit=MAX_DISPLAY_NAME)
    return name


def normalise_username(username: str) -> str:
    """The stored form of `username` (lower case, trimmed); InputError if it is not a valid name."""
    name = username.strip().lower()
    if not USERNAME.fullmatch(name):
        raise BadUsername(username=username)
    return name


def check_password_rules(password: str) -> None:
    """InputError unless `password` is long enough to be worth hashing."""
    if len(password) < MIN_PASSWORD:
        raise PasswordTooShort(minimum=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD:
        raise PasswordTooLong(maximum=MAX_PASSWORD)


def hash_password(password: str) -> str:
    """A salted hash of `password` (werkzeug's default method, scrypt)."""
    return generate_password_hash(password)


@cache
def _decoy_hash() -> str:
    # Checked against when the username is unknown, so both failures take the same time.
    return hash_password("decoy password that matches nothing")


def create_account(
    session: Session,
    username: str,
    role: str,
    password: str,
    *,
    lawyer_licence: str | None = None,
    actor: str = "system",
    display_name: str = "",
    offices: Collection[Office] = (),
    all_offices: bool = False,
    must_change_password: bool = False,
) -> User:
    """Create an active account. A lawyer's account names the lawyer's licence number; other roles must not.
    A clerk's or planner's account holds `offices`, or every office (`all_offices`)."""
    name = normalise_username(username)
    shown = check_display_name(display_name)
    if role not in ROLES:
        raise RoleUnknown(role=role, roles="、".join(ROLES))
    if (role == "lawyer") != (lawyer_licence is not None):
        raise LawyerLicenceForLawyers()
    check_password_rules(password)
    check_offices(role, offices, all_offices)
    if session.scalar(select(User.id).where(User.username == name)) is not None:
        raise UsernameTaken(username=name)
    lawyer = lawyer_by_licence(session, lawyer_licence) if lawyer_licence is not None else None
    if lawyer is not None and session.scalar(select(User.username).where(User.lawyer_id == lawyer.id)):
        raise LawyerAlreadyHasAccount(name=lawyer.name, licence=lawyer_licence)
    office_role = role in OFFICE_ROLES
    user = User(
        username=name,
        role=role,
        password_hash=hash_password(password),
        lawyer_id=lawyer.id if lawyer else None,
        display_name=shown,
        all_offices=office_role and all_offices,
        offices=list(offices) if office_role and not all_offices else [],
        must_change_password=must_change_password,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:
        # Someone created the same username (or the lawyer's account) at the same moment.
        raise CreatedMeanwhile(username=name) from exc
    record(
        session,
        actor,
        "account.create",
        entity="user",
        entity_id=user.id,
        after={
            "username": name,
            "display_name": shown,
            "role": role,
            "lawyer_id": user.lawyer_id,
            "all_offices": user.all_offices,
            "office_ids": [o.id for o in user.offices],
        },
    )
    return user


class AccountLocked(SchedulerError):
    """The account refuses sign-ins until `until` (naive UTC) after too many failures in a row."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"too many failed sign-ins: the account is locked until {until.isoformat()}Z")
        self.until = until


@dataclass(frozen=True)
class Lockout:
    """When failures lock an account, and for how long (from the Settings)."""

    threshold: int = 5  # failures in a row; 0: never lock
    seconds: int = 60
    max_seconds: int = 3600

    @classmethod
    def of(cls, settings: Settings) -> Lockout:
        return cls(settings.lockout_threshold, settings.lockout_seconds, settings.lockout_max_seconds)

    def duration(self, failures: int) -> dt.timedelta | None:
        """How long `failures` failures in a row lock the account: doubling from the threshold on, capped."""
        if not self.threshold or failures < self.threshold:
            return None
        doublings = min(failures - self.threshold, 30)  # 2**30 s is past any cap; bounded, not overflowing
        return dt.timedelta(seconds=min(self.seconds * 2**doublings, self.max_seconds))


def _fail(user: User, policy: Lockout, now: dt.datetime) -> None:
    user.failed_logins += 1
    duration = policy.duration(user.failed_logins)
    if duration is not None:
        user.locked_until = now + duration
        raise AccountLocked(user.locked_until)


def authenticate(session: Session, username: str, password: str, now: dt.datetime | None = None) -> User | None:
    """The active account `username` if `password` is its password, else None.

    A failure counts against the account (`failed_logins`); a success resets the count and notes the time.
    Too many failures in a row lock the account (Settings.lockout_*): while it is locked, and on the failure
    that locks it, AccountLocked is raised with the time it may sign in again. The caller commits, also
    after AccountLocked (the count and the lock must be kept).
    """
    now = now or utcnow()
    policy = Lockout.of(settings_of(session))
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is not None and user.active and user.locked_until is not None and user.locked_until > now:
        # No password check while locked: a guess can neither succeed nor tell whether it was right.
        check_password_hash(_decoy_hash(), password[:MAX_PASSWORD])
        raise AccountLocked(user.locked_until)
    if user is None or not user.active or len(password) > MAX_PASSWORD:
        # The same work as a real check, so the answer's timing does not tell which usernames exist.
        check_password_hash(_decoy_hash(), password[:MAX_PASSWORD])
        if user is not None and user.active:
            _fail(user, policy, now)
        return None
    if not check_password_hash(user.password_hash, password):
        _fail(user, policy, now)
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user


def end_sessions(user: User) -> None:
    """End every browser session of `user` (each carries the session version it started with)."""
    user.session_version += 1


def named_account(session: Session, username: str) -> User:
    """The account `username` (NotFound if there is none)."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NoSuchAccount(username=username)
    return user


def set_password(session: Session, username: str, password: str, actor: str) -> User:
    """Give the account a new password; its sessions end and its lock is lifted."""
    check_password_rules(password)
    user = named_account(session, username)
    _new_password(user, password)
    record(session, actor, "account.password", entity="user", entity_id=user.id)
    return user


def _new_password(user: User, password: str, *, temporary: bool = False) -> None:
    user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    user.must_change_password = temporary
    user.reset_token_hash, user.reset_expires_at = None, None  # a new password makes any reset link useless
    end_sessions(user)


def change_own_password(session: Session, user_id: int, current: str, new: str) -> User:
    """The signed-in account changes its own password: `current` must be right. Every session ends (the caller
    carries its own session over to the new version); a temporary password's forced change is done."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise AccountGone()
    if len(current) > MAX_PASSWORD or not check_password_hash(user.password_hash, current):
        raise WrongPassword()
    check_password_rules(new)
    _new_password(user, new)
    record(session, f"user:{user.username}", "account.password", entity="user", entity_id=user.id)
    return user


def temporary_password() -> str:
    """A random password to hand out once: 16 characters, about 96 bits."""
    return secrets.token_urlsafe(12)


def issue_temporary_password(session: Session, username: str, actor: str) -> str:
    """A new random password for the account, to be shown once; the next sign-in must replace it."""
    user = named_account(session, username)
    password = temporary_password()
    _new_password(user, password, temporary=True)
    record(session, actor, "account.temporary_password", entity="user", entity_id=user.id)
    return password


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_reset_link(session: Session, username: str, actor: str, now: dt.datetime | None = None) -> str:
    """A one-time token for a password-reset link, valid RESET_LINK_LIFETIME; only its hash is kept, and a new
    token replaces the previous one."""
    user = named_account(session, username)
    token = secrets.token_urlsafe(32)
    user.reset_token_hash = _token_hash(token)
    user.reset_expires_at = (now or utcnow()) + RESET_LINK_LIFETIME
    record(
        session,
        actor,
        "account.reset_link",
        entity="user",
        entity_id=user.id,
        after={"expires_at": user.reset_expires_at.isoformat()},
    )
    return token


def reset_link_account(session: Session, token: str, now: dt.datetime | None = None) -> User:
    """The active account a reset token belongs to; ResetLinkInvalid if it is unknown, used or expired."""
    if not token or len(token) > 100:
        raise ResetLinkInvalid()
    user = session.scalar(select(User).where(User.reset_token_hash == _token_hash(token)))
    if user is None or not user.active or user.reset_expires_at is None or user.reset_expires_at <= (now or utcnow()):
        raise ResetLinkInvalid()
    return user


def reset_with_link(session: Session, token: str, password: str, now: dt.datetime | None = None) -> User:
    """Set a new password through a reset link, which then stops working; every session of the account ends."""
    user = reset_link_account(session, token, now)
    check_password_rules(password)
    _new_password(user, password)
    record(session, f"user:{user.username}", "account.password_reset", entity="user", entity_id=user.id)
    return user


def _active_admins(session: Session) -> int:
    return len(list(session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True)))))


def require_other_admin(session: Session, user: User) -> None:
    """LastAdmin when `user` is the only active admin (it may then neither lose the role nor be disabled)."""
    if user.role == "admin" and user.active and _active_admins(session) <= 1:
        raise LastAdmin(username=user.username)


def set_active(session: Session, username: str, active: bool, actor: str) -> User:
    """Enable or disable the account; disabling ends its sessions (and refuses every sign-in)."""
    user = named_account(session, username)
    if not active:
        require_other_admin(session, user)
    before = user.active
    user.active = active
    if not active:
        end_sessions(user)
    else:
        user.failed_logins, user.locked_until = 0, None
    record(
        session,
        actor,
        "account.enable" if active else "account.disable",
        entity="user",
        entity_id=user.id,
        before={"active": before},
        after={"active": active},
    )
    return user


def account(session: Session, user_id: int) -> User | None:
    """The account `user_id` if it exists and is active."""
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


@dataclass(frozen=True)
class DemoAccount:
    """A demo account as `scheduler demo` prints it."""

    username: str
    role: str
    password: str
    created: bool  # False: it was there already (its password may have been changed since)
    lawyer: str = ""  # the linked lawyer's name, for the lawyer account


# Fixed passwords are fine for the demo database only: it holds invented people, and the README lists them.
# The secret key is never fixed (scheduler.config generates one per instance).
DEMO_ACCOUNTS = (
    ("admin", "admin", "demo-admin-2026"),
    ("planner", "planner", "demo-planner-2026"),
    ("clerk", "clerk", "demo-clerk-2026"),
    ("lawyer", "lawyer", "demo-lawyer-2026"),
)


def create_demo_accounts(session: Session) -> list[DemoAccount]:
    """The demo's admin, planner, clerk and lawyer accounts; the lawyer is the lawyer with the lowest licence
    number. Idempotent: an existing account is left as it is."""
    names = [username for username, _role, _password in DEMO_ACCOUNTS]
    existing = {u.username: u for u in session.scalars(select(User).where(User.username.in_(names)))}
    first_licence = session.scalar(select(func.min(Lawyer.licence_no)))
    result = []
    for username, role, password in DEMO_ACCOUNTS:
        user = existing.get(username)
        created = user is None
        if user is None:
            if role == "lawyer" and first_licence is None:
                raise DemoLawyerMissing()
            licence = first_licence if role == "lawyer" else None
            # The demo's staff are the prefecture bureau's: every office.
            user = create_account(
                session, username, role, password, lawyer_licence=licence, actor="demo", all_offices=True
            )
        lawyer = session.get(Lawyer, user.lawyer_id) if user.lawyer_id is not None else None
        result.append(DemoAccount(username, role, password, created, lawyer.name if lawyer else ""))
    return result
