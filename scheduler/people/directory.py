"""The directory of offices, law firms and lawyers: what the planner's pages list and show, the one lawyer
search (the pages and the API), and the edits that write their audit event in the same transaction.

Loaders return plain frozen dataclasses and run a fixed number of queries whatever the number of lawyers;
a problem a user caused raises `FieldError`, naming the form field to blame.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, contains_eager, selectinload

from scheduler.audit import record
from scheduler.core.errors import FieldError
from scheduler.core.languages import UnknownLanguage, to_codes
from scheduler.core.licence import credit_code_problem, licence_problem
from scheduler.core.names import text_key
from scheduler.core.paging import Page
from scheduler.models import (
    LawFirm,
    Lawyer,
    Office,
    lawyer_offices,
)
from scheduler.people.errors import (
    AfternoonBeforeMorning,
    AfternoonBoth,
    AfternoonReversed,
    EmailShape,
    FirmChosenMissing,
    FirmCodeTaken,
    FirmNameRequired,
    FirmNameTaken,
    FirmNotFound,
    LawyerNameRequired,
    LawyerRecordNotFound,
    LicenceTaken,
    MonthlyLimitRange,
    MorningReversed,
    OfficeChosenMissing,
    OfficeCodeShape,
    OfficeCodeTaken,
    OfficeNameRequired,
    OfficeNotFound,
    PracticeYearRange,
    SpecialtyLength,
    WeekdayBoth,
)
from scheduler.people.lawyer_sheets import EMAIL
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, lawyer_clause

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


def office_rows(session: Session, scope: OfficeScope = EVERY_OFFICE) -> list[OfficeRow]:
    """Every office `scope` holds, by code, with the number of lawyers who may serve it (one query)."""
    count = select(func.count()).where(lawyer_offices.c.office_id == Office.id).scalar_subquery()
    query = select(Office, count.label("lawyers")).where(scope.clause(Office.id)).order_by(Office.code)
    rows = session.execute(query).all()
    return [OfficeRow(r.Office.id, r.Office.code, _office_fields(r.Office), r.lawyers) for r in rows]


def office_row(session: Session, office_id: int) -> OfficeRow:
    office = session.get(Office, office_id)
    if office is None:
        raise OfficeNotFound()
    return OfficeRow(office.id, office.code, _office_fields(office), -1)


def _check_office(fields: OfficeFields) -> None:
    if not fields.name.strip():
        raise FieldError("name", OfficeNameRequired())
    if fields.am_end <= fields.am_start:
        raise FieldError("am_end", MorningReversed())
    if (fields.pm_start is None) != (fields.pm_end is None):
        raise FieldError("pm_end", AfternoonBoth())
    if fields.pm_start is not None and fields.pm_end is not None:
        if fields.pm_start < fields.am_end:
            raise FieldError("pm_start", AfternoonBeforeMorning())
        if fields.pm_end <= fields.pm_start:
            raise FieldError("pm_end", AfternoonReversed())


def save_office(session: Session, office_id: int | None, code: str, fields: OfficeFields, actor: str) -> Office:
    """Create an office (`office_id` None, with its `code`) or change one; audited.

    Wanted languages are stored as codes of the vocabulary (scheduler.core.languages)."""
    _check_office(fields)
    wanted = tuple(_language_codes("wanted_languages", fields.wanted_languages))
    fields = dataclasses.replace(fields, wanted_languages=wanted)
    if office_id is None:
        code = code.strip()
        if not re.fullmatch(r"[0-9A-Za-z_-]{1,16}", code):
            raise FieldError("code", OfficeCodeShape(value=code))
        if session.scalar(select(Office.id).where(Office.code == code)) is not None:
            raise FieldError("code", OfficeCodeTaken(value=code))
        office = Office(code=code)
        session.add(office)
        before: dict[str, Any] | None = None
    else:
        found = session.get(Office, office_id)
        if found is None:
            raise OfficeNotFound()
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
    """Every firm in pinyin order, with its number of lawyers (one query)."""
    count = select(func.count()).where(Lawyer.firm_id == LawFirm.id).scalar_subquery()
    rows = session.execute(
        select(LawFirm.id, LawFirm.name, LawFirm.credit_code, count.label("n")).order_by(LawFirm.name)
    )
    return sorted((FirmRow(r.id, r.name, r.credit_code, r.n) for r in rows), key=lambda f: text_key(f.name))


def firm_row(session: Session, firm_id: int) -> FirmRow:
    firm = session.get(LawFirm, firm_id)
    if firm is None:
        raise FirmNotFound()
    return FirmRow(firm.id, firm.name, firm.credit_code, -1)


def save_firm(session: Session, firm_id: int | None, name: str, credit_code: str, actor: str) -> LawFirm:
    """Create a firm (`firm_id` None) or rename it / correct its credit code; audited."""
    name, credit_code = name.strip(), credit_code.strip().upper()
    if not name:
        raise FieldError("name", FirmNameRequired())
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
        taken = FirmNameTaken if field == "name" else FirmCodeTaken
        raise FieldError(field, taken(firm=clash.name, code=clash.credit_code))
    if firm_id is None:
        firm, before = LawFirm(name=name, credit_code=credit_code), None
        session.add(firm)
    else:
        found = session.get(LawFirm, firm_id)
        if found is None:
            raise FirmNotFound()
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


def search_lawyers(
    session: Session,
    *,
    text: str = "",
    office_code: str = "",
    number: int = 1,
    size: int = 50,
    scope: OfficeScope = EVERY_OFFICE,
) -> Page[Lawyer]:
    """The one lawyer search, for the planner's pages and the API: lawyers whose name, licence number or firm
    contains `text` (case-insensitive on every database; % and _ are plain characters), who may serve
    `office_code` (when given), by name; page `number` of `size`, each lawyer with its firm, offices and
    standing periods loaded (four queries). Only lawyers serving an office `scope` holds are found."""
    query = select(Lawyer).outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id).where(lawyer_clause(scope, Lawyer.id))
    text = text.strip()
    if text:
        query = query.where(
            or_(
                Lawyer.name.icontains(text, autoescape=True),
                Lawyer.licence_no.icontains(text, autoescape=True),
                LawFirm.name.icontains(text, autoescape=True),
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
        .order_by(Lawyer.name_key, Lawyer.id)
        .limit(size)
        .offset((number - 1) * size)
    ).all()
    return Page(tuple(lawyers), number, size, total)


def lawyer_page(
    session: Session,
    today: dt.date,
    *,
    text: str = "",
    office_code: str = "",
    number: int = 1,
    size: int = 50,
    scope: OfficeScope = EVERY_OFFICE,
) -> Page[LawyerRow]:
    """The planner's list: `search_lawyers` as rows with each lawyer's standing today (four queries)."""
    found = search_lawyers(session, text=text, office_code=office_code, number=number, size=size, scope=scope)
    lawyers = found.items
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
    return Page(rows, number, size, found.total)


@dataclass(frozen=True)
class LawyerRecord:
    """A lawyer as the edit form shows it."""

    id: int
    licence_no: str
    fields: LawyerFields


def lawyer_record(session: Session, lawyer_id: int) -> LawyerRecord:
    lawyer = session.get(Lawyer, lawyer_id)
    if lawyer is None:
        raise LawyerRecordNotFound()
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
        raise FieldError("name", LawyerNameRequired())
    if not 1950 <= fields.first_practice_year <= today.year:
        raise FieldError("first_practice_year", PracticeYearRange(last=today.year))
    if fields.email and not EMAIL.match(fields.email):
        raise FieldError("email", EmailShape(value=fields.email))
    if not 0 <= fields.max_per_month <= 31:
        raise FieldError("max_per_month", MonthlyLimitRange())
    if set(fields.preferred_weekdays) & set(fields.undesired_weekdays):
        raise FieldError("undesired_weekdays", WeekdayBoth())
    if any(len(item) > 40 for item in fields.specialties):
        raise FieldError("specialties", SpecialtyLength())


def _language_codes(field: str, values: Sequence[str]) -> list[str]:
    try:
        return to_codes(values)
    except UnknownLanguage as exc:
        raise FieldError(field, exc) from exc


def save_lawyer(
    session: Session, lawyer_id: int | None, licence_no: str, fields: LawyerFields, actor: str, today: dt.date
) -> Lawyer:
    """Create a lawyer (`lawyer_id` None, with a new licence number) or change one; audited."""
    _check_lawyer(fields, today)
    fields = dataclasses.replace(fields, languages=tuple(_language_codes("languages", fields.languages)))
    firm = session.get(LawFirm, fields.firm_id) if fields.firm_id is not None else None
    if fields.firm_id is not None and firm is None:
        raise FieldError("firm_id", FirmChosenMissing())
    offices = session.scalars(select(Office).where(Office.id.in_(fields.office_ids)).order_by(Office.code)).all()
    if len(offices) != len(set(fields.office_ids)):
        raise FieldError("office_ids", OfficeChosenMissing())
    if lawyer_id is None:
        licence_no = licence_no.strip()
        problem = licence_problem(licence_no)
        if problem:
            raise FieldError("licence_no", problem)
        taken = session.scalar(select(Lawyer.name).where(Lawyer.licence_no == licence_no))
        if taken is not None:
            raise FieldError("licence_no", LicenceTaken(value=licence_no, owner=taken))
        lawyer = Lawyer(licence_no=licence_no, calendar_token=secrets.token_urlsafe(24))
        session.add(lawyer)
        before: dict[str, Any] | None = None
    else:
        found = session.get(Lawyer, lawyer_id)
        if found is None:
            raise LawyerRecordNotFound()
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


def lawyer_choices(session: Session, scope: OfficeScope = EVERY_OFFICE) -> list[tuple[str, str]]:
    """(licence number, "name（licence number）") of every lawyer serving an office `scope` holds, by name
    (one query)."""
    rows = session.execute(
        select(Lawyer.licence_no, Lawyer.name)
        .where(lawyer_clause(scope, Lawyer.id))
        .order_by(Lawyer.name_key, Lawyer.licence_no)
    )
    return [(r.licence_no, f"{r.name}（{r.licence_no}）") for r in rows]
