"""Planning the duties of a period: weekly window days and hotline days from the calendar, and leader
reception days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.core.errors import require_period
from scheduler.core.languages import UnknownLanguage, to_code
from scheduler.core.problem import HOTLINE, LEADER_DAY, WINDOW
from scheduler.core.workdays import WorkdayCalendar, window_days
from scheduler.models import Duty, DutyType, Hotline, Office
from scheduler.planning.errors import (
    LeaderDayLanguage,
    LeaderDayNeeded,
    LeaderDayReversed,
    LeaderDayTaken,
    UnknownDutyType,
    UnknownOffice,
)
from scheduler.planning.holidays import load_calendar

STANDARD_TYPES = {
    WINDOW: ("律师接待窗口值班", "Lawyer reception window"),
    LEADER_DAY: ("党政领导信访接待日", "Leader reception day"),
    HOTLINE: ("律师咨询电话、电子信箱值守", "Consultation hotline and mailbox"),
}
# A hotline day answered from the lawyer's own desk counts half a window day in fairness, until the
# planner says otherwise (`scheduler hotline set --share`).
STANDARD_SHARES = {HOTLINE: 5}


def duty_type(session: Session, code: str) -> DutyType:
    """The duty type `code`, creating the two standard types on first use."""
    found = session.scalar(select(DutyType).where(DutyType.code == code))
    if found is not None:
        return found
    if code not in STANDARD_TYPES:
        raise UnknownDutyType(value=code)
    zh, en = STANDARD_TYPES[code]
    created = DutyType(code=code, name_zh=zh, name_en=en, fairness_share=STANDARD_SHARES.get(code, 10))
    session.add(created)
    session.flush()
    return created


def office_by_code(session: Session, code: str) -> Office:
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        known = list(session.scalars(select(Office.code).order_by(Office.code))) or ["—"]
        raise UnknownOffice(value=code, known=known)
    return office


@dataclass(frozen=True)
class GeneratedWindows:
    created: int
    existing: int
    provisional_years: list[int]


def generate_windows(
    session: Session, start: dt.date, end: dt.date, actor: str, office_codes: list[str] | None = None
) -> GeneratedWindows:
    """Create each office's window duties in [start, end], and the days of every hotline; duties already
    there are kept as they are."""
    require_period(start, end)
    calendar = load_calendar(session)
    calendar.require(start - dt.timedelta(days=7), end)
    offices = (
        [office_by_code(session, c) for c in office_codes]
        if office_codes
        else list(session.scalars(select(Office).order_by(Office.code)))
    )
    window = duty_type(session, WINDOW)
    existing = {
        (d.office_id, d.date)
        for d in session.scalars(select(Duty).where(Duty.duty_type_id == window.id, Duty.date.between(start, end)))
    }
    created = kept = 0
    for office in offices:
        for day in window_days(calendar, office.window_weekday, office.holiday_policy, start, end):
            if (office.id, day.date) in existing:
                kept += 1
                continue
            session.add(
                Duty(
                    office_id=office.id,
                    duty_type_id=window.id,
                    date=day.date,
                    start=office.am_start,
                    end=office.window_end,
                    needed=office.lawyers_per_window,
                    moved_from=day.moved_from,
                )
            )
            created += 1
    hotline_created, hotline_kept = _generate_hotline_days(session, calendar, start, end, {o.id for o in offices})
    created += hotline_created
    kept += hotline_kept
    session.flush()
    if created:
        record(
            session,
            actor,
            "duties.generate",
            entity="duties",
            after={"start": str(start), "end": str(end), "created": created},
        )
    return GeneratedWindows(created, kept, calendar.provisional_years(start, end))


def hotline_days(calendar: WorkdayCalendar, weekdays: list[int], start: dt.date, end: dt.date) -> list[dt.date]:
    """The working days in [start, end] a hotline is answered: all of them, or those on `weekdays`.

    Working days come from the calendar, so a hotline rests on statutory days off and is answered on
    an adjusted working weekend day (调休上班) when it serves every working day.
    """
    days, day = [], start
    while day <= end:
        if calendar.is_workday(day) and (not weekdays or day.weekday() in weekdays):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _generate_hotline_days(
    session: Session, calendar: WorkdayCalendar, start: dt.date, end: dt.date, office_ids: set[int]
) -> tuple[int, int]:
    """Create the hotline duties of the offices' hotlines in [start, end]: (created, already there)."""
    hotlines = session.scalars(select(Hotline).where(Hotline.office_id.in_(office_ids)).order_by(Hotline.id)).all()
    if not hotlines:
        return 0, 0
    kind = duty_type(session, HOTLINE)
    existing = {
        (d.office_id, d.date)
        for d in session.scalars(select(Duty).where(Duty.duty_type_id == kind.id, Duty.date.between(start, end)))
    }
    created = kept = 0
    for hotline in hotlines:
        for day in hotline_days(calendar, hotline.weekdays, start, end):
            if (hotline.office_id, day) in existing:
                kept += 1
                continue
            session.add(
                Duty(
                    office_id=hotline.office_id,
                    duty_type_id=kind.id,
                    date=day,
                    start=hotline.start,
                    end=hotline.end,
                    needed=hotline.needed,
                )
            )
            created += 1
    return created, kept


@dataclass(frozen=True)
class LeaderDaySpec:
    """What a planner states about a leader reception day."""

    office_code: str
    date: dt.date
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(12, 0)
    needed: int = 1
    min_years: int = 5
    specialty: str | None = None
    language: str | None = None
    note: str = ""
    # Where and about what, when not the window's (the office's address, the standard leader-day scope).
    place: str = ""
    scope: str = ""


def add_leader_day(session: Session, spec: LeaderDaySpec, actor: str) -> Duty:
    """Add a leader reception day; refused on a day off, with reversed hours, or as a duplicate."""
    office = office_by_code(session, spec.office_code)
    load_calendar(session).check_leader_day(spec.date)
    if spec.end <= spec.start:
        raise LeaderDayReversed(day=spec.date, end=spec.end, start=spec.start)
    if not 1 <= spec.needed <= 10:
        raise LeaderDayNeeded(day=spec.date, value=spec.needed)
    language = None
    if spec.language:
        try:
            language = to_code(spec.language)
        except UnknownLanguage as exc:
            raise LeaderDayLanguage(day=spec.date, reason=exc.message) from exc
    kind = duty_type(session, LEADER_DAY)
    clash = session.scalar(
        select(Duty).where(
            Duty.office_id == office.id, Duty.duty_type_id == kind.id, Duty.date == spec.date, Duty.start == spec.start
        )
    )
    if clash is not None:
        raise LeaderDayTaken(office=office.name, day=spec.date, start=spec.start)
    duty = Duty(
        office_id=office.id,
        duty_type_id=kind.id,
        date=spec.date,
        start=spec.start,
        end=spec.end,
        needed=spec.needed,
        min_years=spec.min_years,
        specialty=spec.specialty,
        language=language,
        note=spec.note,
        place=spec.place,
        scope=spec.scope,
    )
    session.add(duty)
    session.flush()
    record(session, actor, "duties.add_leader_day", entity="duty", entity_id=duty.id, after=_duty_json(duty))
    return duty


def _duty_json(duty: Duty) -> dict[str, object]:
    return {
        "office_id": duty.office_id,
        "date": str(duty.date),
        "start": f"{duty.start:%H:%M}",
        "end": f"{duty.end:%H:%M}",
        "needed": duty.needed,
        "min_years": duty.min_years,
        "specialty": duty.specialty,
        "language": duty.language,
        "note": duty.note,
        "place": duty.place,
        "scope": duty.scope,
    }
