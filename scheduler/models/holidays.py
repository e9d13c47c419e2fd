"""Working-day overrides for years the chinesecalendar package does not know yet."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.db import Base


class HolidayOverride(Base):
    """One day of a year's arrangement: a day off or a make-up workday (调休).

    `confirmed` is False for an expected arrangement (e.g. the demo's guess of 2027); a roster
    planned on such days is provisional until the State Council's arrangement is imported.
    """

    __tablename__ = "holiday_overrides"
    __table_args__ = (CheckConstraint("kind IN ('off', 'workday')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    date: Mapped[dt.date] = mapped_column(Date, unique=True)
    kind: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(60), default="")
    confirmed: Mapped[bool] = mapped_column(default=True)
    # Year whose arrangement this row belongs to; an imported year is complete for that year.
    year: Mapped[int] = mapped_column(index=True)
