"""Duty types and duties: the slots a roster staffs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.offices import Office


class DutyType(Base):
    """A kind of duty. Window and leader reception day are rows, so a new type needs no schema change."""

    __tablename__ = "duty_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # "window", "leader_day", ...
    name_zh: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))


class Duty(Base):
    """One slot to staff: an office, a date and hours, a duty type, and what the lawyers must bring."""

    __tablename__ = "duties"
    __table_args__ = (
        UniqueConstraint("office_id", "duty_type_id", "date", "start", name="uq_duties_slot"),
        CheckConstraint("needed BETWEEN 1 AND 10", name="needed"),
        CheckConstraint("min_years >= 0", name="min_years"),
        CheckConstraint("end_time > start", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    duty_type_id: Mapped[int] = mapped_column(ForeignKey("duty_types.id", ondelete="RESTRICT"))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start: Mapped[dt.time] = mapped_column(Time)
    end: Mapped[dt.time] = mapped_column("end_time", Time)
    needed: Mapped[int] = mapped_column(default=1)
    min_years: Mapped[int] = mapped_column(default=0)
    specialty: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(20))
    # For a leader reception day (领导接待日): the receiving leader and the topic.
    note: Mapped[str] = mapped_column(String(500), default="")
    # The duty's own scope and place (a leader day's, in the leader's room); empty: the office's.
    scope: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    place: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Set when a window day was moved off a statutory day off (from that date).
    moved_from: Mapped[dt.date | None] = mapped_column(Date)
    # Set when the duty was cancelled (an office closed that day, a leader day called off): it is no
    # longer staffed, the calendars show it CANCELLED and the public notice 已取消 until its day passes.
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    cancel_reason: Mapped[str] = mapped_column(String(500), default="")

    office: Mapped[Office] = relationship()
    duty_type: Mapped[DutyType] = relationship()
