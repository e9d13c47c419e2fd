"""Lawyers, where they may serve, when they cannot, and their standing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from scheduler.core.names import sort_text
from scheduler.db import Base
from scheduler.models.offices import LawFirm, Office

LAWYER_STATUSES = ("suspended", "removed")

lawyer_offices = Table(
    "lawyer_offices",
    Base.metadata,
    Column("lawyer_id", Integer, ForeignKey("lawyers.id", ondelete="CASCADE"), primary_key=True),
    Column("office_id", Integer, ForeignKey("offices.id", ondelete="CASCADE"), primary_key=True),
)


class Lawyer(Base):
    """A practising lawyer who may be put on petition duty."""

    __tablename__ = "lawyers"
    __table_args__ = (
        CheckConstraint("length(licence_no) = 17", name="licence_length"),
        CheckConstraint("max_per_month BETWEEN 0 AND 31", name="max_per_month"),
        CheckConstraint("first_practice_year BETWEEN 1950 AND 2100", name="first_practice_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    # The name in pinyin (scheduler.core.names.sort_text), kept with the name: paged lists order by it.
    name_key: Mapped[str] = mapped_column(String(240), default="", server_default="", index=True)
    # 执业证号: 17 digits, first digit 1 for a lawyer (checked strictly on input).
    licence_no: Mapped[str] = mapped_column(String(17), unique=True)
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("law_firms.id", ondelete="RESTRICT"))
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(120), default="")
    first_practice_year: Mapped[int] = mapped_column()
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_per_month: Mapped[int] = mapped_column(default=2)
    preferred_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    undesired_weekdays: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Secret of the private calendar URL; rotating it makes the old URL answer 404.
    calendar_token: Mapped[str] = mapped_column(String(64), unique=True)

    @validates("name")
    def _keep_name_key(self, _key: str, name: str) -> str:
        self.name_key = sort_text(name)
        return name

    firm: Mapped[LawFirm | None] = relationship()
    offices: Mapped[list[Office]] = relationship(secondary=lawyer_offices, order_by="Office.code")
    status_periods: Mapped[list[StatusPeriod]] = relationship(
        back_populates="lawyer", order_by="StatusPeriod.start", cascade="all, delete-orphan"
    )
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="lawyer", order_by="Unavailability.start", cascade="all, delete-orphan"
    )

    def status_on(self, day: dt.date) -> str:
        """'active', 'suspended' or 'removed' on `day`."""
        for period in self.status_periods:
            if period.start <= day and (period.end is None or day <= period.end):
                return period.status
        return "active"


class StatusPeriod(Base):
    """A suspension (with an end) or a removal (open-ended), with its reason: 停止执业 / 取消资格."""

    __tablename__ = "status_periods"
    __table_args__ = (
        CheckConstraint("status IN ('suspended', 'removed')", name="status"),
        CheckConstraint("end_date IS NULL OR end_date >= start", name="dates"),
        CheckConstraint("status = 'suspended' OR end_date IS NULL", name="removal_open"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date | None] = mapped_column("end_date", Date)
    reason: Mapped[str] = mapped_column(String(500))

    lawyer: Mapped[Lawyer] = relationship(back_populates="status_periods")


class Unavailability(Base):
    """Days a lawyer cannot serve (court dates, leave, illness); both ends inclusive."""

    __tablename__ = "unavailability"
    __table_args__ = (CheckConstraint("end_date >= start", name="dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    start: Mapped[dt.date] = mapped_column(Date)
    end: Mapped[dt.date] = mapped_column("end_date", Date)
    reason: Mapped[str] = mapped_column(String(200), default="")

    lawyer: Mapped[Lawyer] = relationship(back_populates="unavailability")
