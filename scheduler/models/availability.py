"""Lawyers' own availability requests: a request window per period (opens, deadline) and each request
(days they cannot serve, or weekday wishes) with the planner's decision."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.lawyers import Lawyer
from scheduler.models.rosters import utcnow

REQUEST_KINDS = ("unavailable", "weekdays")
REQUEST_STATES = ("pending", "approved", "declined")


class RequestWindow(Base):
    """When lawyers may send requests for a period: from `opens` to `deadline`, both inclusive."""

    __tablename__ = "request_windows"
    __table_args__ = (
        UniqueConstraint("period_start", "period_end", name="uq_request_windows_period"),
        CheckConstraint("period_end >= period_start", name="period"),
        CheckConstraint("deadline >= opens", name="deadline"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    opens: Mapped[dt.date] = mapped_column(Date)
    deadline: Mapped[dt.date] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AvailabilityRequest(Base):
    """A lawyer's request for a period: days they cannot serve (start..end, a reason), or weekday wishes.

    Approved, it becomes an Unavailability row (`unavailability_id`) or the lawyer's weekday preferences,
    which the solver already reads; declined, it keeps the planner's reason for the lawyer to read.
    """

    __tablename__ = "availability_requests"
    __table_args__ = (
        CheckConstraint("kind IN ('unavailable', 'weekdays')", name="kind"),
        CheckConstraint("state IN ('pending', 'approved', 'declined')", name="state"),
        CheckConstraint("kind = 'weekdays' OR (start IS NOT NULL AND end_date >= start)", name="dates"),
        CheckConstraint("state = 'pending' OR decided_at IS NOT NULL", name="decided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    window_id: Mapped[int] = mapped_column(ForeignKey("request_windows.id", ondelete="CASCADE"), index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    start: Mapped[dt.date | None] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column("end_date", Date)
    preferred_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    undesired_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    reason: Mapped[str] = mapped_column(String(200), default="")
    state: Mapped[str] = mapped_column(String(16), default="pending")
    decision_reason: Mapped[str] = mapped_column(String(500), default="")
    decided_by: Mapped[str] = mapped_column(String(80), default="")
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    unavailability_id: Mapped[int | None] = mapped_column(ForeignKey("unavailability.id", ondelete="SET NULL"))

    window: Mapped[RequestWindow] = relationship()
    lawyer: Mapped[Lawyer] = relationship()
