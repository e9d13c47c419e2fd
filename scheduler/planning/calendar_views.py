"""What the planner's calendar pages list: unavailability, leader reception days and holiday overrides."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Integer, cast, func, select
from sqlalchemy.orm import Session

from scheduler.core import problem as p
from scheduler.models import (
    Duty,
    DutyType,
    HolidayOverride,
    Lawyer,
    Office,
    Unavailability,
)
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, lawyer_clause

# --- unavailability, leader days, holiday overrides ---------------------------------------------


@dataclass(frozen=True)
class UnavailabilityRow:
    id: int
    lawyer_id: int
    name: str
    licence_no: str
    start: dt.date
    end: dt.date
    reason: str


def unavailability_rows(
    session: Session, start: dt.date, end: dt.date, scope: OfficeScope = EVERY_OFFICE
) -> list[UnavailabilityRow]:
    """Unavailability overlapping [start, end] of lawyers serving an office `scope` holds, by start date and
    name (one query)."""
    rows = session.execute(
        select(Unavailability, Lawyer.name, Lawyer.licence_no)
        .join(Lawyer, Lawyer.id == Unavailability.lawyer_id)
        .where(Unavailability.start <= end, Unavailability.end >= start, lawyer_clause(scope, Lawyer.id))
        .order_by(Unavailability.start, Lawyer.name_key, Unavailability.id)
    )
    return [
        UnavailabilityRow(
            r.Unavailability.id,
            r.Unavailability.lawyer_id,
            r.name,
            r.licence_no,
            r.Unavailability.start,
            r.Unavailability.end,
            r.Unavailability.reason,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class LeaderDayRow:
    duty_id: int
    office_code: str
    office_name: str
    office_name_en: str
    date: dt.date
    start: dt.time
    end: dt.time
    needed: int
    min_years: int
    specialty: str | None
    language: str | None
    note: str


def leader_day_rows(
    session: Session, start: dt.date, end: dt.date, scope: OfficeScope = EVERY_OFFICE
) -> list[LeaderDayRow]:
    """Leader reception days in [start, end] at offices `scope` holds, by date and office (one query)."""
    rows = session.execute(
        select(Duty, Office.code, Office.name, Office.name_en)
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(DutyType.code == p.LEADER_DAY, Duty.date.between(start, end), Duty.cancelled_at.is_(None))
        .where(scope.clause(Duty.office_id))
        .order_by(Duty.date, Duty.start, Office.code)
    )
    return [
        LeaderDayRow(
            r.Duty.id,
            r.code,
            r.name,
            r.name_en,
            r.Duty.date,
            r.Duty.start,
            r.Duty.end,
            r.Duty.needed,
            r.Duty.min_years,
            r.Duty.specialty,
            r.Duty.language,
            r.Duty.note,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class OverrideYear:
    year: int
    days: int
    confirmed: bool  # every day of the year's arrangement is official


@dataclass(frozen=True)
class OverrideDay:
    date: dt.date
    kind: str
    name: str
    confirmed: bool


def override_years(session: Session) -> list[OverrideYear]:
    """The years the override table holds an arrangement for (one query)."""
    rows = session.execute(
        # MIN of the flag as a number: every day confirmed, on every database.
        select(HolidayOverride.year, func.count(), func.min(cast(HolidayOverride.confirmed, Integer)))
        .group_by(HolidayOverride.year)
        .order_by(HolidayOverride.year)
    )
    return [OverrideYear(year, days, bool(confirmed)) for year, days, confirmed in rows]


def override_days(session: Session, year: int) -> list[OverrideDay]:
    """The stored days of `year`'s arrangement, by date (one query)."""
    rows = session.scalars(select(HolidayOverride).where(HolidayOverride.year == year).order_by(HolidayOverride.date))
    return [OverrideDay(r.date, r.kind, r.name, r.confirmed) for r in rows]
