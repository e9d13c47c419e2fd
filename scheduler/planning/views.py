"""What the planner pages show, and the few edits they make that no other service offers.

Loaders return plain frozen dataclasses (templates never touch the ORM, so they cannot trigger lazy
loads) and run a fixed number of queries whatever the number of lawyers, duties or assignments.
The edits (offices, firms, lawyers) write their audit event in the same transaction, as every
service does; a problem a user caused raises `FieldError`, naming the form field to blame.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import math
import re
import secrets
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Integer, cast, func, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from scheduler.audit import record
from scheduler.core import problem as p
from scheduler.core import tabular
from scheduler.core.errors import InputError, NotFound
from scheduler.core.licence import credit_code_problem, licence_problem
from scheduler.core.tabular import Column
from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    HolidayOverride,
    LawFirm,
    Lawyer,
    Office,
    Roster,
    SolveJob,
    StatusPeriod,
    Unavailability,
    lawyer_offices,
)
from scheduler.models.rosters import utcnow
from scheduler.people.lawyer_sheets import EMAIL
from scheduler.planning.jobs import STALE_AFTER_S
from scheduler.solver.objective import pools

T = TypeVar("T")


class FieldError(InputError):
    """Bad input that belongs to one field of a form (`field` is the form field's name)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list: its items, its number (from 1), the page size and the total count."""

    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


MAX_PAGE = 100_000


def page_number(value: object) -> int:
    """A page number from a query string: a bad or missing value means the first page, a huge one the last
    possible (an offset the database could not hold must not become an error)."""
    text = str(value or "")
    return min(MAX_PAGE, max(1, int(text))) if text.isdigit() and len(text) < 10 else 1


# --- offices -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeFields:
    """What a planner sets about an office (its code is set once, when it is created)."""

    name: str
    name_en: str = ""
    level: str = "county"
    address: str = ""
    phone: str = ""
    window_weekday: int = 2
    am_start: dt.time = dt.time(9)
    am_end: dt.time = dt.time(12)
    pm_start: dt.time | None = None
    pm_end: dt.time | None = None
    lawyers_per_window: int = 1
    holiday_policy: str = "next_workday"
    wanted_languages: tuple[str, ...] = ()
    reception_scope: str = ""
    visitor_notes: str = ""
    discipline_rules: str = ""


@dataclass(frozen=True)
class OfficeRow:
    id: int
    code: str
    fields: OfficeFields
    lawyers: int  # lawyers who may serve the office


def _office_fields(office: Office) -> OfficeFields:
    return OfficeFields(
        **{f.name: getattr(office, f.name) for f in dataclasses.fields(OfficeFields) if f.name != "wanted_languages"},
        wanted_languages=tuple(office.wanted_languages),
    )


def office_rows(session: Session) -> list[OfficeRow]:
    """Every office by code, with the number of lawyers who may serve it (one query)."""
    count = select(func.count()).where(lawyer_offices.c.office_id == Office.id).scalar_subquery()
    rows = session.execute(select(Office, count.label("lawyers")).order_by(Office.code)).all()
    return [OfficeRow(r.Office.id, r.Office.code, _office_fields(r.Office), r.lawyers) for r in rows]


def office_row(session: Session, office_id: int) -> OfficeRow:
    office = session.get(Office, office_id)
    if office is None:
        raise NotFound(f"office {office_id} does not exist")
    return OfficeRow(office.id, office.code, _office_fields(office), -1)


def _check_office(fields: OfficeFields) -> None:
    if not fields.name.strip():
        raise FieldError("name", "an office needs a name")
    if fields.am_end <= fields.am_start:
        raise FieldError("am_end", "the morning session ends before it starts")
    if (fields.pm_start is None) != (fields.pm_end is None):
        raise FieldError("pm_end", "give both ends of the afternoon session, or neither")
    if fields.pm_start is not None and fields.pm_end is not None:
        if fields.pm_start < fields.am_end:
            raise FieldError("pm_start", "the afternoon session starts before the morning one ends")
        if fields.pm_end <= fields.pm_start:
            raise FieldError("pm_end", "the afternoon session ends before it starts")


def save_office(session: Session, office_id: int | None, code: str, fields: OfficeFields, actor: str) -> Office:
    """Create an office (`office_id` None, with its `code`) or change one; audited."""
    _check_office(fields)
    if office_id is None:
        code = code.strip()
        if not re.fullmatch(r"[0-9A-Za-z_-]{1,16}", code):
            raise FieldError("code", f"office code {code!r} must be 1 to 16 letters, digits, - or _")
        if session.scalar(select(Office.id).where(Office.code == code)) is not None:
            raise FieldError("code", f"office code {code} is taken")
        office = Office(code=code)
        session.add(office)
        before: dict[str, Any] | None = None
    else:
        found = session.get(Office, office_id)
        if found is None:
            raise NotFound(f"office {office_id} does not exist")
        office, before = found, _json(_office_fields(found))
    for f in dataclasses.fields(OfficeFields):
        value = getattr(fields, f.name)
        setattr(office, f.name, list(value) if f.name == "wanted_languages" else value)
    session.flush()
    _audit(session, actor, "office", office.id, before, _json(_office_fields(office)))
    return office


def _json(fields: Any) -> dict[str, Any]:
    """A dataclass of fields as JSON values for the audit log (times as HH:MM, tuples as lists)."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(fields):
        value = getattr(fields, f.name)
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _audit(
    session: Session, actor: str, entity: str, entity_id: int, before: dict[str, Any] | None, after: dict[str, Any]
) -> None:
    """Record a create, or an update with only the fields that changed (nothing when none did)."""
    if before is None:
        record(session, actor, f"{entity}.create", entity=entity, entity_id=entity_id, after=after)
        return
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        record(
            session,
            actor,
            f"{entity}.update",
            entity=entity,
            entity_id=entity_id,
            before={k: before.get(k) for k in changed},
            after={k: after[k] for k in changed},
        )


# --- law firms -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FirmRow:
    id: int
    name: str
    credit_code: str
    lawyers: int


def firm_rows(session: Session) -> list[FirmRow]:
    """Every firm by name, with its number of lawyers (one query)."""
    count = select(func.count()).where(Lawyer.firm_id == LawFirm.id).scalar_subquery()
    rows = session.execute(
        select(LawFirm.id, LawFirm.name, LawFirm.credit_code, count.label("n")).order_by(LawFirm.name)
    )
    return [FirmRow(r.id, r.name, r.credit_code, r.n) for r in rows]


def firm_row(session: Session, firm_id: int) -> FirmRow:
    firm = session.get(LawFirm, firm_id)
    if firm is None:
        raise NotFound(f"law firm {firm_id} does not exist")
    return FirmRow(firm.id, firm.name, firm.credit_code, -1)


def save_firm(session: Session, firm_id: int | None, name: str, credit_code: str, actor: str) -> LawFirm:
    """Create a firm (`firm_id` None) or rename it / correct its credit code; audited."""
    name, credit_code = name.strip(), credit_code.strip().upper()
    if not name:
        raise FieldError("name", "a firm needs a name")
    problem = credit_code_problem(credit_code)
    if problem:
        raise FieldError("credit_code", problem)
    clash = session.execute(
        select(LawFirm.id, LawFirm.name, LawFirm.credit_code).where(
            or_(LawFirm.name == name, LawFirm.credit_code == credit_code), LawFirm.id != (firm_id or 0)
        )
    ).first()
    if clash is not None:
        field = "name" if clash.name == name else "credit_code"
        raise FieldError(field, f"{clash.name} ({clash.credit_code}) already has this {field.replace('_', ' ')}")
    if firm_id is None:
        firm, before = LawFirm(name=name, credit_code=credit_code), None
        session.add(firm)
    else:
        found = session.get(LawFirm, firm_id)
        if found is None:
            raise NotFound(f"law firm {firm_id} does not exist")
        firm, before = found, {"name": found.name, "credit_code": found.credit_code}
        firm.name, firm.credit_code = name, credit_code
    session.flush()
    _audit(session, actor, "law_firm", firm.id, before, {"name": firm.name, "credit_code": firm.credit_code})
    return firm


# --- lawyers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LawyerFields:
    """What a planner sets about a lawyer (the licence number is set once, when the lawyer is created)."""

    name: str
    firm_id: int | None
    first_practice_year: int
    phone: str = ""
    email: str = ""
    specialties: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    office_ids: tuple[int, ...] = ()
    max_per_month: int = 2
    preferred_weekdays: tuple[int, ...] = ()
    undesired_weekdays: tuple[int, ...] = ()


@dataclass(frozen=True)
class LawyerRow:
    id: int
    name: str
    licence_no: str
    firm: str
    first_practice_year: int
    specialties: tuple[str, ...]
    languages: tuple[str, ...]
    offices: tuple[str, ...]  # office codes
    standing: str  # "active", "suspended" or "removed" today


def lawyer_page(
    session: Session, today: dt.date, *, text: str = "", office_code: str = "", number: int = 1, size: int = 50
) -> Page[LawyerRow]:
    """Lawyers whose name, licence number or firm contains `text`, who may serve `office_code` (when given),
    by name; one page of `size` (four queries)."""
    query = select(Lawyer).outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
    text = text.strip()
    if text:
        query = query.where(
            or_(
                Lawyer.name.contains(text, autoescape=True),
                Lawyer.licence_no.contains(text, autoescape=True),
                LawFirm.name.contains(text, autoescape=True),
            )
        )
    if office_code:
        serving = (
            select(lawyer_offices.c.lawyer_id)
            .join(Office, Office.id == lawyer_offices.c.office_id)
            .where(Office.code == office_code)
        )
        query = query.where(Lawyer.id.in_(serving))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    lawyers = session.scalars(
        query.options(contains_eager(Lawyer.firm), selectinload(Lawyer.offices), selectinload(Lawyer.status_periods))
        .order_by(Lawyer.name, Lawyer.id)
        .limit(size)
        .offset((number - 1) * size)
    ).all()
    rows = tuple(
        LawyerRow(
            id=lw.id,
            name=lw.name,
            licence_no=lw.licence_no,
            firm=lw.firm.name if lw.firm else "",
            first_practice_year=lw.first_practice_year,
            specialties=tuple(lw.specialties),
            languages=tuple(lw.languages),
            offices=tuple(o.code for o in lw.offices),
            standing=lw.status_on(today),
        )
        for lw in lawyers
    )
    return Page(rows, number, size, total)


@dataclass(frozen=True)
class LawyerRecord:
    """A lawyer as the edit form shows it."""

    id: int
    licence_no: str
    fields: LawyerFields


def lawyer_record(session: Session, lawyer_id: int) -> LawyerRecord:
    lawyer = session.get(Lawyer, lawyer_id)
    if lawyer is None:
        raise NotFound(f"lawyer {lawyer_id} does not exist")
    return LawyerRecord(lawyer.id, lawyer.licence_no, _lawyer_fields(lawyer))


def _lawyer_fields(lawyer: Lawyer) -> LawyerFields:
    return LawyerFields(
        name=lawyer.name,
        firm_id=lawyer.firm_id,
        first_practice_year=lawyer.first_practice_year,
        phone=lawyer.phone,
        email=lawyer.email,
        specialties=tuple(lawyer.specialties),
        languages=tuple(lawyer.languages),
        office_ids=tuple(sorted(o.id for o in lawyer.offices)),
        max_per_month=lawyer.max_per_month,
        preferred_weekdays=tuple(lawyer.preferred_weekdays),
        undesired_weekdays=tuple(lawyer.undesired_weekdays),
    )


def _check_lawyer(fields: LawyerFields, today: dt.date) -> None:
    if not fields.name.strip():
        raise FieldError("name", "a lawyer needs a name")
    if not 1950 <= fields.first_practice_year <= today.year:
        raise FieldError("first_practice_year", f"the year must be between 1950 and {today.year}")
    if fields.email and not EMAIL.match(fields.email):
        raise FieldError("email", f"{fields.email!r} is not an e-mail address")
    if not 0 <= fields.max_per_month <= 31:
        raise FieldError("max_per_month", "the monthly limit must be between 0 and 31")
    if set(fields.preferred_weekdays) & set(fields.undesired_weekdays):
        raise FieldError("undesired_weekdays", "a weekday cannot be both preferred and undesired")
    for name, limit in (("specialties", 40), ("languages", 20)):
        if any(len(item) > limit for item in getattr(fields, name)):
            raise FieldError(name, f"each entry must be at most {limit} characters")


def save_lawyer(
    session: Session, lawyer_id: int | None, licence_no: str, fields: LawyerFields, actor: str, today: dt.date
) -> Lawyer:
    """Create a lawyer (`lawyer_id` None, with a new licence number) or change one; audited."""
    _check_lawyer(fields, today)
    firm = session.get(LawFirm, fields.firm_id) if fields.firm_id is not None else None
    if fields.firm_id is not None and firm is None:
        raise FieldError("firm_id", f"law firm {fields.firm_id} does not exist")
    offices = session.scalars(select(Office).where(Office.id.in_(fields.office_ids)).order_by(Office.code)).all()
    if len(offices) != len(set(fields.office_ids)):
        raise FieldError("office_ids", "an office chosen does not exist")
    if lawyer_id is None:
        licence_no = licence_no.strip()
        problem = licence_problem(licence_no)
        if problem:
            raise FieldError("licence_no", problem)
        taken = session.scalar(select(Lawyer.name).where(Lawyer.licence_no == licence_no))
        if taken is not None:
            raise FieldError("licence_no", f"licence number {licence_no} is {taken}'s")
        lawyer = Lawyer(licence_no=licence_no, calendar_token=secrets.token_urlsafe(24))
        session.add(lawyer)
        before: dict[str, Any] | None = None
    else:
        found = session.get(Lawyer, lawyer_id)
        if found is None:
            raise NotFound(f"lawyer {lawyer_id} does not exist")
        lawyer, before = found, _json(_lawyer_fields(found))
    lawyer.name, lawyer.firm = fields.name.strip(), firm
    lawyer.first_practice_year, lawyer.phone, lawyer.email = fields.first_practice_year, fields.phone, fields.email
    lawyer.specialties, lawyer.languages = list(fields.specialties), list(fields.languages)
    lawyer.max_per_month = fields.max_per_month
    lawyer.preferred_weekdays, lawyer.undesired_weekdays = (
        list(fields.preferred_weekdays),
        list(fields.undesired_weekdays),
    )
    lawyer.offices = list(offices)
    session.flush()
    _audit(session, actor, "lawyer", lawyer.id, before, _json(_lawyer_fields(lawyer)))
    return lawyer


def lawyer_choices(session: Session) -> list[tuple[str, str]]:
    """(licence number, "name（licence number）") of every lawyer, by name (one query)."""
    rows = session.execute(select(Lawyer.licence_no, Lawyer.name).order_by(Lawyer.name, Lawyer.licence_no))
    return [(r.licence_no, f"{r.name}（{r.licence_no}）") for r in rows]


# --- files with problems -------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    """A row of an uploaded file with the problems found in it, by column header (None: the whole row)."""

    number: int
    cells: tuple[str, ...]
    problems: tuple[tuple[str | None, str], ...]

    def bad(self, header: str) -> bool:
        return any(column == header for column, _reason in self.problems)


@dataclass(frozen=True)
class FileProblems:
    """Why an import was refused: the rows with problems beside them, and problems of the file as a whole."""

    filename: str
    headers: tuple[str, ...]
    rows: tuple[FileRow, ...]
    general: tuple[str, ...]


def file_problems(path: Path, columns: Sequence[Column] | None, message: str) -> FileProblems:
    """Sort the lines of an import's error `message` ("file row N, column X: reason") onto the rows of
    `path`, read with `columns` (a .csv or .xlsx file of scheduler.core.tabular), or as plain CSV."""
    pattern = re.compile(rf"^{re.escape(path.name)} row (\d+)(?:, column (.+?))?: (.*)$")
    by_row: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    general: list[str] = []
    for line in message.splitlines():
        found = pattern.match(line)
        if found:
            by_row[int(found.group(1))].append((found.group(2), found.group(3)))
        elif line.strip():
            general.append(line)
    try:
        headers, grid = _grid(path, columns)
    except InputError:
        # The file's header itself is wrong: the messages say so, and there are no rows to show.
        headers, grid = (), []
    rows = tuple(FileRow(number, cells, tuple(by_row[number])) for number, cells in grid if number in by_row)
    shown = {row.number for row in rows}
    general += [f"row {n}: {reason}" for n in sorted(by_row) if n not in shown for _column, reason in by_row[n]]
    return FileProblems(path.name, headers, rows, tuple(general))


def _grid(path: Path, columns: Sequence[Column] | None) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]]]:
    if columns is not None:
        sheet = tabular.read_sheet(path, columns)
        keys = list(sheet.headers)
        return (
            tuple(sheet.headers[k] for k in keys),
            [(row.number, tuple(tabular.text(row.cells.get(k)) for k in keys)) for row in sheet.rows],
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputError(str(exc)) from exc
    width = max((len(line) for line in lines), default=0)
    return (
        tuple(f"{i + 1}" for i in range(width)),
        [(n, tuple(line) + ("",) * (width - len(line))) for n, line in enumerate(lines, start=1)],
    )


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


def unavailability_rows(session: Session, start: dt.date, end: dt.date) -> list[UnavailabilityRow]:
    """Unavailability overlapping [start, end], by start date and name (one query)."""
    rows = session.execute(
        select(Unavailability, Lawyer.name, Lawyer.licence_no)
        .join(Lawyer, Lawyer.id == Unavailability.lawyer_id)
        .where(Unavailability.start <= end, Unavailability.end >= start)
        .order_by(Unavailability.start, Lawyer.name, Unavailability.id)
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


def leader_day_rows(session: Session, start: dt.date, end: dt.date) -> list[LeaderDayRow]:
    """Leader reception days in [start, end], by date and office (one query)."""
    rows = session.execute(
        select(Duty, Office.code, Office.name, Office.name_en)
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(DutyType.code == p.LEADER_DAY, Duty.date.between(start, end))
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


# --- periods and solve jobs ----------------------------------------------------------------------


@dataclass(frozen=True)
class RosterBrief:
    id: int
    start: dt.date
    end: dt.date
    version: int
    status: str
    provisional: bool
    solver_status: str
    objective: int | None
    bound: int | None
    wall_s: float | None
    created_at: dt.datetime
    published_at: dt.datetime | None


_BRIEF = (
    Roster.id,
    Roster.period_start,
    Roster.period_end,
    Roster.version,
    Roster.status,
    Roster.provisional,
    Roster.solver_status,
    Roster.objective,
    Roster.bound,
    Roster.wall_s,
    Roster.created_at,
    Roster.published_at,
)


def _brief(row: Any) -> RosterBrief:
    return RosterBrief(*row)


def roster_brief(session: Session, roster_id: int) -> RosterBrief:
    """Roster `roster_id`'s period, version and state (one query)."""
    row = session.execute(select(*_BRIEF).where(Roster.id == roster_id)).first()
    if row is None:
        raise NotFound(f"roster {roster_id} does not exist")
    return _brief(row)


@dataclass(frozen=True)
class JobStatus:
    """A solve job as its page and its JSON show it; `elapsed_s` is measured by the database's clock."""

    id: int
    state: str
    start: dt.date
    end: dt.date
    created_by: str
    created_at: dt.datetime
    time_limit_s: float
    objective: int | None
    bound: int | None
    elapsed_s: float
    error: str
    roster_id: int | None
    stalled: bool = False  # running, but its worker has given no sign of life for a while

    @property
    def finished(self) -> bool:
        return self.state in ("succeeded", "failed")

    @property
    def time_left_s(self) -> float:
        return 0.0 if self.finished else max(0.0, self.time_limit_s - self.elapsed_s)

    @property
    def percent(self) -> int:
        """How far along the time limit the search is (the solver stops at it, or earlier when optimal)."""
        if self.state == "succeeded":
            return 100
        return min(99, int(100 * self.elapsed_s / self.time_limit_s)) if self.time_limit_s > 0 else 0

    @property
    def gap(self) -> float | None:
        """The relative distance between the roster found and the best possible (0 means proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1, abs(self.objective))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "finished": self.finished,
            "period": [self.start.isoformat(), self.end.isoformat()],
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "elapsed_s": round(self.elapsed_s, 1),
            "time_limit_s": self.time_limit_s,
            "time_left_s": round(self.time_left_s, 1),
            "percent": self.percent,
            "error": self.error,
            "roster_id": self.roster_id,
            "stalled": self.stalled,
        }


def _job_status(job: SolveJob, now: dt.datetime) -> JobStatus:
    progress = job.progress or {}
    if job.state == "running" and job.started_at is not None:
        elapsed = (now - job.started_at).total_seconds()
    elif job.finished_at is not None and job.started_at is not None:
        elapsed = float(progress.get("elapsed_s") or (job.finished_at - job.started_at).total_seconds())
    else:
        elapsed = 0.0
    return JobStatus(
        id=job.id,
        state=job.state,
        start=job.period_start,
        end=job.period_end,
        created_by=job.created_by,
        created_at=job.created_at,
        time_limit_s=job.time_limit_s,
        objective=progress.get("objective"),
        bound=progress.get("bound"),
        elapsed_s=max(0.0, elapsed),
        error=job.error,
        roster_id=job.roster_id,
        stalled=job.state == "running"
        and job.heartbeat_at is not None
        and (now - job.heartbeat_at).total_seconds() > STALE_AFTER_S,
    )


def job_status(session: Session, job_id: int, now: dt.datetime | None = None) -> JobStatus:
    """The state and progress of solve job `job_id` as stored by whichever worker runs it (one query)."""
    job = session.get(SolveJob, job_id)
    if job is None:
        raise NotFound(f"solve job {job_id} does not exist")
    return _job_status(job, now or utcnow())


def recent_jobs(session: Session, limit: int = 10) -> list[JobStatus]:
    """The newest solve jobs (one query)."""
    now = utcnow()
    return [_job_status(j, now) for j in session.scalars(select(SolveJob).order_by(SolveJob.id.desc()).limit(limit))]


@dataclass(frozen=True)
class PeriodRow:
    """A planning period with its draft, its current published version and its number of versions."""

    start: dt.date
    end: dt.date
    draft: RosterBrief | None
    published: RosterBrief | None
    versions: int


def period_rows(session: Session, limit: int = 20) -> list[PeriodRow]:
    """The newest periods that have a roster, latest start first (one query)."""
    rosters = [_brief(r) for r in session.execute(select(*_BRIEF).order_by(Roster.period_start.desc(), Roster.id))]
    grouped: dict[tuple[dt.date, dt.date], list[RosterBrief]] = defaultdict(list)
    for r in rosters:
        grouped[(r.start, r.end)].append(r)
    rows = [
        PeriodRow(
            start,
            end,
            next((r for r in group if r.status == "draft"), None),
            next((r for r in group if r.status == "published"), None),
            sum(1 for r in group if r.status != "draft"),
        )
        for (start, end), group in grouped.items()
    ]
    return sorted(rows, key=lambda row: (row.start, row.end), reverse=True)[:limit]


# --- reviewing a roster --------------------------------------------------------------------------


@dataclass(frozen=True)
class DutyLabel:
    """How a review names a duty: date, hours, office and type."""

    id: int
    date: dt.date
    start: dt.time
    end: dt.time
    office_name: str
    office_name_en: str
    type_zh: str
    type_en: str


@dataclass(frozen=True)
class ReasonText:
    zh: str
    en: str


@dataclass(frozen=True)
class UnstaffedLine:
    duty: DutyLabel | None  # None: the duty was deleted since the solve
    duty_id: int
    missing: int
    reasons: tuple[ReasonText, ...]


@dataclass(frozen=True)
class DiffLine:
    """A duty whose lawyers differ between the roster and the one it is compared with."""

    duty: DutyLabel
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class LawyerBar:
    name: str
    duties: int


@dataclass(frozen=True)
class PoolBars:
    """Duties per lawyer of one pool (offices linked by lawyers who may serve several of them)."""

    offices: tuple[tuple[str, str], ...]  # (name, English name) of each office
    bars: tuple[LawyerBar, ...]

    @property
    def min(self) -> int:
        return min((b.duties for b in self.bars), default=0)

    @property
    def max(self) -> int:
        return max((b.duties for b in self.bars), default=0)

    @property
    def median(self) -> float:
        return float(statistics.median(b.duties for b in self.bars)) if self.bars else 0.0


@dataclass(frozen=True)
class RosterReview:
    """Everything the review page of a roster version shows."""

    roster: RosterBrief
    compared_with: RosterBrief | None  # the published version (for a draft) or the version before
    versions: tuple[RosterBrief, ...]
    terms: tuple[tuple[str, int], ...]
    gap: float | None
    duties: int
    places: int
    filled: int
    unstaffed: tuple[UnstaffedLine, ...]
    conflicts: tuple[str, ...]
    diff: tuple[DiffLine, ...]
    pools: tuple[PoolBars, ...]


def roster_review(session: Session, roster_id: int) -> RosterReview:
    """The review of roster `roster_id`: score, open places, changes, fairness (eight queries)."""
    head = session.execute(select(*_BRIEF, Roster.report).where(Roster.id == roster_id)).first()
    if head is None:
        raise NotFound(f"roster {roster_id} does not exist")
    roster, report = _brief(head[:-1]), dict(head.report or {})
    versions = tuple(
        _brief(r)
        for r in session.execute(
            select(*_BRIEF)
            .where(Roster.period_start == roster.start, Roster.period_end == roster.end)
            .order_by(Roster.version, Roster.id)
        )
    )
    if roster.status == "draft":
        other = next((v for v in versions if v.status == "published"), None)
    else:
        other = next((v for v in versions if v.version == roster.version - 1 and v.status != "draft"), None)
    duty_rows = session.execute(
        select(
            Duty,
            Office.name.label("office_name"),
            Office.name_en.label("office_name_en"),
            DutyType.name_zh.label("type_zh"),
            DutyType.name_en.label("type_en"),
        )
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(Duty.date.between(roster.start, roster.end))
        .order_by(Duty.date, Duty.start, Duty.id)
    ).all()
    labels = {
        r.Duty.id: DutyLabel(
            r.Duty.id, r.Duty.date, r.Duty.start, r.Duty.end, r.office_name, r.office_name_en, r.type_zh, r.type_en
        )
        for r in duty_rows
    }
    teams: dict[int, dict[int, list[int]]] = {
        roster.id: defaultdict(list),
        **({other.id: defaultdict(list)} if other else {}),
    }
    for a in session.execute(
        select(Assignment.roster_id, Assignment.duty_id, Assignment.lawyer_id)
        .where(Assignment.roster_id.in_(teams.keys()))
        .order_by(Assignment.duty_id, Assignment.slot)
    ):
        teams[a.roster_id][a.duty_id].append(a.lawyer_id)
    names: dict[int, str] = {r.id: r.name for r in session.execute(select(Lawyer.id, Lawyer.name))}
    mine = teams[roster.id]

    diff: tuple[DiffLine, ...] = ()
    if other is not None:
        theirs = teams[other.id]
        diff = tuple(
            DiffLine(
                labels[d],
                tuple(names.get(x, "?") for x in theirs.get(d, [])),
                tuple(names.get(x, "?") for x in mine.get(d, [])),
            )
            for d in labels
            if set(theirs.get(d, [])) != set(mine.get(d, []))
        )
    unstaffed = tuple(
        UnstaffedLine(
            labels.get(int(u["duty_id"])),
            int(u["duty_id"]),
            int(u.get("missing", 0)),
            tuple(ReasonText(str(r.get("zh", "")), str(r.get("en", ""))) for r in u.get("reasons", [])),
        )
        for u in report.get("unstaffed", [])
    )
    objective, bound = report.get("objective"), report.get("bound")
    gap = abs(objective - bound) / max(1, abs(objective)) if objective is not None and bound is not None else None
    places = sum(r.Duty.needed for r in duty_rows)
    return RosterReview(
        roster=roster,
        compared_with=other,
        versions=versions,
        terms=tuple((str(k), int(v)) for k, v in dict(report.get("terms", {})).items()),
        gap=gap,
        duties=len(duty_rows),
        places=places,
        filled=sum(len(mine.get(d, [])) for d in labels),
        unstaffed=unstaffed,
        conflicts=tuple(str(c) for c in report.get("conflicts", [])),
        diff=diff,
        pools=_pool_bars(session, roster, [r.Duty for r in duty_rows], mine, names),
    )


def _pool_bars(
    session: Session, roster: RosterBrief, duties: Sequence[Duty], team: dict[int, list[int]], names: dict[int, str]
) -> tuple[PoolBars, ...]:
    """Duties per lawyer in each pool that has duties in the period, most duties first (three queries).

    Lawyers removed before the period are left out: they cannot be given a duty, so their zero says
    nothing about fairness.
    """
    offices = {o.id: o for o in session.execute(select(Office.id, Office.code, Office.name, Office.name_en))}
    links: dict[int, set[int]] = defaultdict(set)
    for lawyer_id, office_id in session.execute(select(lawyer_offices.c.lawyer_id, lawyer_offices.c.office_id)):
        links[lawyer_id].add(office_id)
    removed = set(
        session.scalars(
            select(StatusPeriod.lawyer_id).where(StatusPeriod.status == "removed", StatusPeriod.start <= roster.start)
        )
    )
    problem = p.Problem(
        start=roster.start,
        end=roster.end,
        offices=tuple(p.Office(o.id, o.code, o.name) for o in offices.values()),
        lawyers=tuple(
            p.Lawyer(lawyer_id, names.get(lawyer_id, ""), None, 2000, offices=frozenset(ids))
            for lawyer_id, ids in links.items()
        ),
        duties=tuple(p.Duty(d.id, d.office_id, d.date, d.start, d.end, "") for d in duties),
    )
    counts: dict[int, int] = defaultdict(int)
    for lawyers in team.values():
        for lawyer_id in lawyers:
            counts[lawyer_id] += 1
    found = []
    for pool in pools(problem):
        if not pool.duty_ids:
            continue
        bars = sorted(
            (LawyerBar(names.get(x, "?"), counts.get(x, 0)) for x in pool.lawyer_ids if x not in removed),
            key=lambda b: (-b.duties, b.name),
        )
        found.append(PoolBars(tuple((offices[o].name, offices[o].name_en) for o in pool.office_ids), tuple(bars)))
    return tuple(found)
