"""The working-day override table: loading it, and importing a year's arrangement from CSV."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.core.dates import NotADate, parse_date
from scheduler.core.errors import Message
from scheduler.core.tabular_errors import CellProblem, FileProblems, FileRowProblem
from scheduler.core.workdays import Override, WorkdayCalendar
from scheduler.models import HolidayOverride
from scheduler.planning.errors import (
    HolidayDayTwice,
    HolidayFileEmpty,
    HolidayFileUnreadable,
    HolidayKind,
    HolidayRowShort,
    HolidayWeekdayWorkday,
)

KINDS = ("off", "workday")


@dataclass(frozen=True)
class HolidayImport:
    years: list[int]
    days: int


def load_calendar(session: Session) -> WorkdayCalendar:
    """The working-day calendar: chinesecalendar plus every override in the database."""
    rows = session.scalars(select(HolidayOverride)).all()
    return WorkdayCalendar(Override(r.date, r.kind, r.name, r.confirmed) for r in rows)


def read_overrides(path: Path, confirmed: bool) -> list[Override]:
    """Parse a CSV of `date,kind,name` rows (a header row is optional); report every bad row at once."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError) as exc:
        raise HolidayFileUnreadable(file=path.name) from exc
    if rows and rows[0] and rows[0][0].strip().lower() in ("date", "日期"):
        rows = rows[1:]
        first = 2
    else:
        first = 1
    errors: list[Message] = []
    overrides: list[Override] = []
    seen: dict[dt.date, int] = {}
    for number, row in enumerate(rows, start=first):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < 2:
            errors.append(FileRowProblem(file=path.name, row=number, reason=HolidayRowShort()))
            continue
        text, kind = row[0].strip(), row[1].strip().lower()
        name = row[2].strip() if len(row) > 2 else ""
        try:
            day = parse_date(text)
        except NotADate as exc:
            errors.append(CellProblem(file=path.name, row=number, column="日期", reason=exc.message))
            continue
        if kind not in KINDS:
            errors.append(CellProblem(file=path.name, row=number, column="类型", reason=HolidayKind(value=kind)))
            continue
        if day in seen:
            problem = HolidayDayTwice(day=day, row=seen[day])
            errors.append(CellProblem(file=path.name, row=number, column="日期", reason=problem))
            continue
        if kind == "workday" and day.weekday() < 5:
            problem = HolidayWeekdayWorkday(day=day)
            errors.append(CellProblem(file=path.name, row=number, column="类型", reason=problem))
            continue
        seen[day] = number
        overrides.append(Override(day, kind, name, confirmed))
    if errors:
        raise FileProblems(file=path.name, count=len(errors), details=errors)
    if not overrides:
        raise HolidayFileEmpty(file=path.name)
    return overrides


def replace_years(session: Session, overrides: list[Override], actor: str, source: str = "") -> HolidayImport:
    """Store `overrides`, replacing whatever the table held for their years (one year, one arrangement)."""
    years = sorted({o.date.year for o in overrides})
    before = {
        str(r.date): r.kind for r in session.scalars(select(HolidayOverride).where(HolidayOverride.year.in_(years)))
    }
    session.execute(delete(HolidayOverride).where(HolidayOverride.year.in_(years)))
    for o in overrides:
        session.add(HolidayOverride(date=o.date, kind=o.kind, name=o.name, confirmed=o.confirmed, year=o.date.year))
    record(
        session,
        actor,
        "holidays.import",
        entity="holiday_overrides",
        entity_id=",".join(map(str, years)),
        reason=source,
        before=before or None,
        after={"days": len(overrides), "confirmed": all(o.confirmed for o in overrides)},
    )
    return HolidayImport(years=years, days=len(overrides))


def import_file(session: Session, path: Path, actor: str, confirmed: bool = True) -> HolidayImport:
    """Read and store a year's arrangement from `path`; nothing is written if any row is bad."""
    return replace_years(session, read_overrides(path, confirmed), actor, source=str(path))
