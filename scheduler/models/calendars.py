"""What the calendars have published, and the outbox of change notices to lawyers.

Feeds are rendered from these tables only, never from the live roster: a feed then changes exactly
when `scheduler.calendars.sync.sync_published` records a change, with a higher SEQUENCE and
the change's time as DTSTAMP, so that an unchanged feed stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.db import Base
from scheduler.models.rosters import utcnow

ENTRY_STATUSES = ("confirmed", "cancelled")
# TEXT: a plain message without an invitation (a case reminder, an availability decision).
NOTICE_METHODS = ("REQUEST", "CANCEL", "TEXT")


class OfficeEntry(Base):
    """A duty as the public office and prefecture feeds show it: one event per duty.

    `snapshot` holds everything the event shows (times, place, texts, lawyers), frozen at the change;
    `fingerprint` is the hash of that content, so that a re-sync can tell a real change from none.
    """

    __tablename__ = "calendar_office_entries"
    __table_args__ = (
        CheckConstraint("status IN ('confirmed', 'cancelled')", name="status"),
        CheckConstraint("sequence >= 0", name="sequence"),
        CheckConstraint("status = 'confirmed' OR cancelled_at IS NOT NULL", name="cancelled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"), unique=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    # Copy of the duty's date: a period's entries are found without joining the duties.
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    sequence: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    fingerprint: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)


class CalendarEntry(Base):
    """A duty in one lawyer's private feed: confirmed, or cancelled (kept for a while, then dropped)."""

    __tablename__ = "calendar_entries"
    __table_args__ = (
        UniqueConstraint("duty_id", "lawyer_id", name="uq_calendar_entries_duty_lawyer"),
        CheckConstraint("status IN ('confirmed', 'cancelled')", name="status"),
        CheckConstraint("sequence >= 0", name="sequence"),
        CheckConstraint("status = 'confirmed' OR cancelled_at IS NOT NULL", name="cancelled_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="CASCADE"))
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="confirmed")
    sequence: Mapped[int] = mapped_column(default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Hash of what this lawyer's event shows (the duty's snapshot; without colleagues once cancelled).
    fingerprint: Mapped[str] = mapped_column(String(64))


class Notice(Base):
    """An e-mail to a lawyer about a change to their duties, waiting in the outbox until it is sent.

    A failed attempt leaves the notice queued with the error; the next `scheduler send-notices` retries it.
    """

    __tablename__ = "notices"
    __table_args__ = (
        CheckConstraint("method IN ('REQUEST', 'CANCEL', 'TEXT')", name="method"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # The outbox query: unsent notices in the order they were queued.
        Index("ix_notices_outbox", "sent_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    duty_id: Mapped[int | None] = mapped_column(ForeignKey("duties.id", ondelete="SET NULL"))
    # The address at the time of the change: a later edit of the lawyer does not redirect old notices.
    recipient: Mapped[str] = mapped_column(String(120))
    method: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    ics: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
