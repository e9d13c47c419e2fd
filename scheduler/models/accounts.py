"""Accounts of the web application: who may sign in, with which role, and (for a lawyer) as whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.db import Base
from scheduler.models.rosters import utcnow

ROLES = ("admin", "planner", "clerk", "lawyer")


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
