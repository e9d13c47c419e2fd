"""Rosters (a draft and numbered published versions per period) and their assignments."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.duties import Duty
from scheduler.models.lawyers import Lawyer

ROSTER_STATUSES = ("draft", "published", "superseded")
ASSIGNMENT_ORIGINS = ("solver", "manual", "swap", "replacement")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Roster(Base):
    """A roster of one planning period: a single draft, then frozen numbered versions."""

    __tablename__ = "rosters"
    __table_args__ = (
        UniqueConstraint("period_start", "period_end", "version", name="uq_rosters_version"),
        CheckConstraint("status IN ('draft', 'published', 'superseded')", name="status"),
        CheckConstraint("period_end >= period_start", name="period"),
        # At most one draft per period, kept by the database rather than by hope.
        Index(
            "uq_rosters_one_draft",
            "period_start",
            "period_end",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
        # And one published version: two clerks cannot both publish a new one.
        Index(
            "uq_rosters_one_published",
            "period_start",
            "period_end",
            unique=True,
            sqlite_where=text("status = 'published'"),
            postgresql_where=text("status = 'published'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    # Drafts carry the number they will get when published.
    version: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="draft")
    # True when a day in the period relies on a working-day override not yet confirmed as official.
    provisional: Mapped[bool] = mapped_column(default=False)
    solver_status: Mapped[str] = mapped_column(String(16), default="")
    objective: Mapped[int | None] = mapped_column()
    bound: Mapped[int | None] = mapped_column()
    wall_s: Mapped[float | None] = mapped_column(Float)
    # The solve report (terms, fairness, unstaffed places) as JSON, for review pages.
    report: Mapped[dict[str, object]] = mapped_column(JSON, default=dict)
    # Lines of {"at", "actor", "what", "why"}: who changed what, and why.
    changelog: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="roster", cascade="all, delete-orphan", order_by="Assignment.id"
    )


class Assignment(Base):
    """A lawyer on a duty in one roster version."""

    __tablename__ = "assignments"
    __table_args__ = (
        UniqueConstraint("roster_id", "duty_id", "lawyer_id", name="uq_assignments_lawyer_on_duty"),
        # The database, not only Python, keeps a lawyer to one duty a day and a duty to its places.
        UniqueConstraint("roster_id", "lawyer_id", "date", name="uq_assignments_one_a_day"),
        UniqueConstraint("roster_id", "duty_id", "slot", name="uq_assignments_slot"),
        # `places` copies the duty's lawyers needed, so the database itself refuses an extra lawyer.
        CheckConstraint("slot >= 0 AND slot < places", name="slot"),
        CheckConstraint("origin IN ('solver', 'manual', 'swap', 'replacement')", name="origin"),
        CheckConstraint("revision >= 1", name="revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("rosters.id", ondelete="CASCADE"), index=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="RESTRICT"), index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="RESTRICT"), index=True)
    # Copy of the duty's date: lets a unique constraint forbid two duties a day.
    date: Mapped[dt.date] = mapped_column(Date)
    slot: Mapped[int] = mapped_column(default=0)
    places: Mapped[int] = mapped_column(default=1)
    origin: Mapped[str] = mapped_column(String(16), default="solver")
    # A clerk's pin: a re-solve must keep this lawyer on this duty.
    pinned: Mapped[bool] = mapped_column(default=False)
    # Rises with every change to this duty's staffing; the calendars' SEQUENCE.
    revision: Mapped[int] = mapped_column(default=1)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    roster: Mapped[Roster] = relationship(back_populates="assignments")
    duty: Mapped[Duty] = relationship()
    lawyer: Mapped[Lawyer] = relationship()
