"""What happened on duty days and what it pays: attendance, allowance rates, and the bureaus' joint meetings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Numeric, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.duties import Duty, DutyType
from scheduler.models.lawyers import Lawyer
from scheduler.models.offices import Office
from scheduler.models.rosters import utcnow

ATTENDANCE_STATUSES = ("attended", "late", "absent", "substituted")
RECURRENCES = ("once", "quarterly", "half-yearly")


class Attendance(Base):
    """How one rostered lawyer's duty went (出勤登记): attended, late, absent, or served by a substitute.

    One row per duty and rostered lawyer; a correction updates the row (the audit log keeps the before).
    A substitute (替班) served in the rostered lawyer's place: the duty counts for the substitute.
    """

    __tablename__ = "attendance"
    __table_args__ = (
        UniqueConstraint("duty_id", "lawyer_id", name="uq_attendance_duty_lawyer"),
        CheckConstraint("status IN ('attended', 'late', 'absent', 'substituted')", name="status"),
        # A substitute is named exactly when the duty was substituted, and is someone else.
        CheckConstraint("(status = 'substituted') = (substitute_lawyer_id IS NOT NULL)", name="substitute"),
        CheckConstraint("substitute_lawyer_id <> lawyer_id", name="substitute_other"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_id: Mapped[int] = mapped_column(ForeignKey("duties.id", ondelete="RESTRICT"), index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    substitute_lawyer_id: Mapped[int | None] = mapped_column(ForeignKey("lawyers.id", ondelete="RESTRICT"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    recorded_by: Mapped[str] = mapped_column(String(80))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    duty: Mapped[Duty] = relationship()
    lawyer: Mapped[Lawyer] = relationship(foreign_keys=[lawyer_id])
    substitute: Mapped[Lawyer | None] = relationship(foreign_keys=[substitute_lawyer_id])


class AllowanceRate(Base):
    """The living allowance (生活补贴) per lawyer and duty of a type, from a date until the next rate.

    A new rate is a new row: the amounts of duties before its date never change.
    """

    __tablename__ = "allowance_rates"
    __table_args__ = (
        UniqueConstraint("duty_type_id", "effective_from", name="uq_allowance_rates_type_from"),
        CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    duty_type_id: Mapped[int] = mapped_column(ForeignKey("duty_types.id", ondelete="RESTRICT"))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # yuan

    duty_type: Mapped[DutyType] = relationship()


class JointMeeting(Base):
    """A joint meeting (联席会议) of the petition and justice bureaus: once, or recurring until a date.

    A recurring meeting repeats on the same day of the month every 3 or 6 months from `first_date`
    (the last day of a shorter month). `sequence` rises with each change, for the calendars.
    """

    __tablename__ = "joint_meetings"
    __table_args__ = (
        CheckConstraint("recurrence IN ('once', 'quarterly', 'half-yearly')", name="recurrence"),
        CheckConstraint("end_time > start", name="hours"),
        CheckConstraint("until IS NULL OR until >= first_date", name="until"),
        CheckConstraint("sequence >= 0", name="sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    first_date: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[dt.time] = mapped_column(Time)
    end: Mapped[dt.time] = mapped_column("end_time", Time)
    location: Mapped[str] = mapped_column(String(200), default="")
    recurrence: Mapped[str] = mapped_column(String(16), default="once")
    # Last day a recurring meeting may fall on; NULL repeats without end.
    until: Mapped[dt.date | None] = mapped_column(Date)
    # NULL: a prefecture-wide meeting, shown in the prefecture feed.
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    note: Mapped[str] = mapped_column(String(1000), default="")
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sequence: Mapped[int] = mapped_column(default=0)

    office: Mapped[Office | None] = relationship()
