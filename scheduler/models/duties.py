"""Duty types and duties: the slots a roster staffs."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Column, Date, DateTime, ForeignKey, String, Table, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.db import Base
from scheduler.models.offices import Office


class DutyType(Base):
    """A kind of duty. Window and leader reception day are rows, so a new type needs no schema change."""

    __tablename__ = "duty_types"
    __table_args__ = (CheckConstraint("fairness_share BETWEEN 1 AND 10", name="fairness_share"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # "window", "leader_day", "hotline", ...
    name_zh: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))
    # How much a duty of this type counts in the fairness share, in tenths of a window day: a hotline
    # day answered from the lawyer's own desk is lighter than a morning at the window (e.g. 5 = half).
    fairness_share: Mapped[int] = mapped_column(default=10, server_default="10")


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
    # The hotline of the duty's office (its number and mailbox for a hotline duty's events and notice).
    office_hotline: Mapped[Hotline | None] = relationship(
        primaryjoin="Duty.office_id == foreign(Hotline.office_id)", viewonly=True, uselist=False
    )


# The offices whose lawyers may answer a hotline (none listed: the hotline's own office).
hotline_offices = Table(
    "hotline_offices",
    Base.metadata,
    Column("hotline_id", ForeignKey("hotlines.id", ondelete="CASCADE"), primary_key=True),
    Column("office_id", ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
)


class Hotline(Base):
    """The consultation phone and mailbox (律师咨询电话、电子信箱) of an office or of the prefecture.

    Lawyers answer it from their own desks, so its days follow its own pattern, not the office's window
    weekday: the weekdays listed (none: every working day), `needed` lawyers a day. Its duties are
    duties of type "hotline" at its office, planned by the same solver with the same rules.
    """

    __tablename__ = "hotlines"
    __table_args__ = (
        CheckConstraint("needed BETWEEN 1 AND 10", name="needed"),
        CheckConstraint("end_time > start", name="hours"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), unique=True)
    phone: Mapped[str] = mapped_column(String(40))
    mailbox: Mapped[str] = mapped_column(String(120), default="")
    weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)  # 0 = Monday; empty: every working day
    needed: Mapped[int] = mapped_column(default=1)
    start: Mapped[dt.time] = mapped_column(Time, default=dt.time(9, 0))
    end: Mapped[dt.time] = mapped_column("end_time", Time, default=dt.time(17, 0))

    office: Mapped[Office] = relationship()
    served_from: Mapped[list[Office]] = relationship(secondary=hotline_offices, order_by=Office.code)
