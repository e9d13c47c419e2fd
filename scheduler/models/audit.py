"""The audit log: every change to a roster, a lawyer's standing or the calendar, with who and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.rosters import utcnow


class AuditEvent(Base):
    """One change: written in the same transaction as the change itself."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(60), index=True)
    entity: Mapped[str] = mapped_column(String(40), default="")
    entity_id: Mapped[str] = mapped_column(String(40), default="")
    # Text: a version's reason joins several fields of up to 500 characters each (see migration 0007a).
    reason: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[Any | None] = mapped_column(JSON, default=None)
    after: Mapped[Any | None] = mapped_column(JSON, default=None)
    # What the log's sentence needs, taken when the change was made (names of the actor, the lawyers, the office
    # and the duty), so a later rename does not rewrite history; None for events written before migration 0009n.
    details: Mapped[Any | None] = mapped_column(JSON, default=None)
    # The names of everyone the event concerns (actor and lawyers), "|"-separated: the "by person" filter.
    people: Mapped[str] = mapped_column(Text, default="", server_default="")

    offices: Mapped[list[AuditEventOffice]] = relationship(cascade="all, delete-orphan", lazy="raise")


class AuditEventOffice(Base):
    """An office an event concerns (two for a swap across offices): the "by office" filter and account scoping."""

    __tablename__ = "audit_event_offices"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id", ondelete="CASCADE"), primary_key=True)
    # No foreign key to offices: the log outlives an office removed later.
    office_id: Mapped[int] = mapped_column(primary_key=True, index=True)
