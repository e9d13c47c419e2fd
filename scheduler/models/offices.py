"""Petition offices and law firms."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.db import Base

OFFICE_LEVELS = ("prefecture", "county")
HOLIDAY_POLICIES = ("skip", "next_workday")


class Office(Base):
    """A petition office (信访局) with a lawyer reception window (律师接待窗口)."""

    __tablename__ = "offices"
    __table_args__ = (
        CheckConstraint("level IN ('prefecture', 'county')", name="level"),
        CheckConstraint("window_weekday BETWEEN 0 AND 6", name="window_weekday"),
        CheckConstraint("lawyers_per_window BETWEEN 1 AND 10", name="lawyers_per_window"),
        CheckConstraint("holiday_policy IN ('skip', 'next_workday')", name="holiday_policy"),
        CheckConstraint("am_end > am_start", name="am_session"),
        CheckConstraint("pm_start IS NULL OR (pm_end > pm_start AND pm_start >= am_end)", name="pm_session"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Administrative division code (e.g. 522301) or a bureau-chosen code for zones without one.
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    level: Mapped[str] = mapped_column(String(16), default="county")
    address: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    window_weekday: Mapped[int] = mapped_column(default=2)  # 0 = Monday
    am_start: Mapped[dt.time] = mapped_column(Time, default=dt.time(9, 0))
    am_end: Mapped[dt.time] = mapped_column(Time, default=dt.time(12, 0))
    # A second session in the afternoon; both NULL for a morning-only window.
    pm_start: Mapped[dt.time | None] = mapped_column(Time, default=None)
    pm_end: Mapped[dt.time | None] = mapped_column(Time, default=None)
    lawyers_per_window: Mapped[int] = mapped_column(default=1)
    holiday_policy: Mapped[str] = mapped_column(String(16), default="next_workday")
    wanted_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Texts of the public notice (公示); empty means the product's standard text.
    reception_scope: Mapped[str] = mapped_column(String(2000), default="")
    visitor_notes: Mapped[str] = mapped_column(String(2000), default="")
    discipline_rules: Mapped[str] = mapped_column(String(4000), default="")

    @property
    def window_end(self) -> dt.time:
        return self.pm_end or self.am_end


class LawFirm(Base):
    """A law firm (律师事务所), identified by its unified social credit code."""

    __tablename__ = "law_firms"
    __table_args__ = (CheckConstraint("length(credit_code) = 18", name="credit_code_length"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
