"""The audit log: every change to a roster, a lawyer's standing or the calendar, with who and why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

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
