"""Accounts of the web application: who may sign in, with which role, and (for a lawyer) as whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKey, Integer, String, Table, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.offices import Office
from scheduler.models.rosters import utcnow

ROLES = ("admin", "planner", "clerk", "lawyer")
# Roles whose work is tied to offices: a clerk or planner account holds some offices, or all of them.
OFFICE_ROLES = ("planner", "clerk")

# The offices a clerk's or planner's account may act on (unless the account holds all offices).
user_offices = Table(
    "user_offices",
    Base.metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
)


class User(Base):
    """A person who signs in. A lawyer's account is tied to exactly one lawyer record, other roles to none."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'planner', 'clerk', 'lawyer')", name="role"),
        # The link and the role go together, so "a lawyer's own pages" always know whose they are.
        CheckConstraint(
            "(role = 'lawyer' AND lawyer_id IS NOT NULL) OR (role <> 'lawyer' AND lawyer_id IS NULL)",
            name="lawyer_link",
        ),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
        # A reset token is never kept without the time it stops working.
        CheckConstraint("reset_token_hash IS NULL OR reset_expires_at IS NOT NULL", name="reset_expiry"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored in lower case: "Wang" and "wang" are one account.
    username: Mapped[str] = mapped_column(String(60), unique=True)
    # werkzeug.security's "method$salt$hash" (scrypt by default), never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Failed sign-ins since the last successful one: shown to admins, reset by a successful sign-in.
    failed_logins: Mapped[int] = mapped_column(default=0)
    # After too many failures: no sign-in (not even with the right password) before this time (naive UTC).
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Sessions carry the version they started with; raising it (sign-out, new password, disabling) ends them all.
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The name pages and the audit log's sentences show ("王芳"); empty: the username is shown.
    display_name: Mapped[str] = mapped_column(String(60), default="", server_default="")
    # The prefecture bureau's staff: every office, also those created later (user_offices is then unused).
    all_offices: Mapped[bool] = mapped_column(default=False, server_default=false())
    offices: Mapped[list[Office]] = relationship(secondary=user_offices, order_by=Office.id)
    # Set by a temporary password an admin handed out: the next sign-in must choose a new password first.
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    # A one-time password-reset link: only the SHA-256 of its token is kept, with the time it expires (naive UTC).
    reset_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    reset_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    @property
    def shown_name(self) -> str:
        """The display name, or the username when the account has none."""
        return self.display_name or self.username
