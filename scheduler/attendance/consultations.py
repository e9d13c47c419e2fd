"""The reception log (接待登记): each consultation given on a served duty, and its categories.

The notice's discipline asks lawyers to log every consultation (如实登记每次咨询). A consultation is
recorded for a duty the lawyer served (attendance recorded as attended or late, or as the substitute of
a substituted duty), by the lawyer on their page or by a clerk for them: the time, the number of
visitors, the matter's category, the advice given and where the visitors were referred. Nothing names
the visitors; the advice is free text that staff pages alone show (no public page shows any of this).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.record_errors import (
    AdviceTooLong,
    BadVisitors,
    CategoryExists,
    CategoryMissing,
    CategoryName,
    ConsultationMissing,
    DutyMissing,
    DutyNotServed,
    LawyerMissing,
    UnknownCategory,
    UnknownReferral,
)
from scheduler.audit import record
from scheduler.core.errors import require_period
from scheduler.models import Attendance, Duty, Lawyer
from scheduler.models.records import DEFAULT_CATEGORIES, REFERRALS, Consultation, ConsultationCategory
from scheduler.models.rosters import utcnow
from scheduler.people.scope import EVERY_OFFICE, OfficeScope

REFERRAL_ZH = {
    "litigation": "诉讼",
    "arbitration": "仲裁",
    "administrative_review": "行政复议",
    "legal_aid": "法律援助",
    "other_department": "其他部门",
    "none": "无",
}
_REFERRAL_WORDS = {**{code: code for code in REFERRALS}, **{zh: code for code, zh in REFERRAL_ZH.items()}}
MAX_VISITORS = 500
MAX_ADVICE = 2000
MAX_CATEGORY = 40


def parse_referral(value: str) -> str:
    """The referral a word means: its code (legal_aid) or its Chinese name (法律援助)."""
    code = _REFERRAL_WORDS.get(value.strip())
    if code is None:
        raise UnknownReferral(value=value.strip(), choices="、".join(REFERRAL_ZH.values()))
    return code


# --- categories ------------------------------------------------------------------------------------


def categories(session: Session, *, active_only: bool = False) -> list[ConsultationCategory]:
    """The categories in the planner's order; the policy's defaults when the list is empty (a new database
    that was not migrated with them)."""
    found = list(
        session.scalars(select(ConsultationCategory).order_by(ConsultationCategory.position, ConsultationCategory.id))
    )
    if not found:
        found = [ConsultationCategory(name=name, position=i, active=True) for i, name in enumerate(DEFAULT_CATEGORIES)]
        session.add_all(found)
        session.flush()
    return [c for c in found if c.active] if active_only else found


def find_category(session: Session, ref: str | int) -> ConsultationCategory:
    """An active category by its name (or its id, as the forms send it)."""
    active = categories(session, active_only=True)
    text = str(ref).strip()
    for category in active:
        if category.name == text or (text.isdigit() and category.id == int(text)):
            return category
    raise UnknownCategory(name=text, choices="、".join(c.name for c in active))


def _category_name(session: Session, name: str, keep: int | None = None) -> str:
    name = name.strip()
    if not 1 <= len(name) <= MAX_CATEGORY:
        raise CategoryName()
    taken = session.scalar(select(ConsultationCategory.id).where(ConsultationCategory.name == name))
    if taken is not None and taken != keep:
        raise CategoryExists(name=name)
    return name


def add_category(session: Session, name: str, actor: str) -> ConsultationCategory:
    """Add a category at the end of the list."""
    existing = categories(session)
    category = ConsultationCategory(
        name=_category_name(session, name), position=max((c.position for c in existing), default=-1) + 1, active=True
    )
    session.add(category)
    session.flush()
    record(
        session,
        actor,
        "reception.category_add",
        entity="consultation_category",
        entity_id=category.id,
        after={"name": category.name},
    )
    return category


def change_category(session: Session, category_id: int, name: str, active: bool, actor: str) -> ConsultationCategory:
    """Rename a category or retire it (a retired one is no longer offered; old records keep it)."""
    category = session.get(ConsultationCategory, category_id)
    if category is None:
        raise CategoryMissing()
    before = {"name": category.name, "active": category.active}
    category.name, category.active = _category_name(session, name, keep=category.id), active
    after = {"name": category.name, "active": category.active}
    if after != before:
        session.flush()
        record(
            session,
            actor,
            "reception.category_change",
            entity="consultation_category",
            entity_id=category.id,
            before=before,
            after=after,
        )
    return category


# --- recording -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsultationSpec:
    """What a lawyer (or a clerk for them) states about one consultation."""

    duty_id: int
    lawyer: str | int  # id, licence number or a name only one lawyer has
    time: dt.time
    visitors: int
    category: str | int  # name or id
    referral: str  # code or Chinese name
    advice: str = ""


def find_lawyer(session: Session, ref: str | int) -> Lawyer:
    """A lawyer by id (a number), licence number (17 digits) or a name only one lawyer has."""
    text = str(ref).strip()
    if isinstance(ref, int) or (text.isdigit() and len(text) < 17):
        found = session.get(Lawyer, int(text))
    elif text.isdigit():
        found = session.scalar(select(Lawyer).where(Lawyer.licence_no == text))
    else:
        named = session.scalars(select(Lawyer).where(Lawyer.name == text)).all()
        found = named[0] if len(named) == 1 else None
    if found is None:
        raise LawyerMissing(ref=text)
    return found


def servers_of(session: Session, duty_id: int) -> set[int]:
    """The lawyers who served the duty, as its attendance says (an absence serves nobody)."""
    rows = session.execute(
        select(Attendance.lawyer_id, Attendance.status, Attendance.substitute_lawyer_id).where(
            Attendance.duty_id == duty_id
        )
    )
    return {
        substitute if status == "substituted" and substitute else lawyer
        for lawyer, status, substitute in rows
        if status != "absent"
    }


def _duty(session: Session, duty_id: int) -> Duty:
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise DutyMissing()
    return duty


def _json(row: Consultation) -> dict[str, Any]:
    return {
        "duty_id": row.duty_id,
        "lawyer_id": row.lawyer_id,
        "time": f"{row.time:%H:%M}",
        "visitors": row.visitors,
        "category": row.category.name,
        "referral": row.referral,
        "advice_length": len(row.advice),  # the audit log keeps no free text about visitors
    }


def record_consultation(session: Session, spec: ConsultationSpec, actor: str, *, today: dt.date) -> Consultation:
    """Log one consultation on a duty the lawyer served.

    Refused, changing nothing: an unknown duty, lawyer or category, visitors outside 1..500, an unknown
    referral, advice over 2000 characters, and a duty the lawyer has not served (no attendance recorded
    as served, an absence, or a duty after `today`).
    """
    if not 1 <= spec.visitors <= MAX_VISITORS:
        raise BadVisitors(value=spec.visitors)
    referral = parse_referral(spec.referral)
    advice = spec.advice.strip()
    if len(advice) > MAX_ADVICE:
        raise AdviceTooLong(limit=MAX_ADVICE, length=len(advice))
    category = find_category(session, spec.category)
    duty = _duty(session, spec.duty_id)
    lawyer = find_lawyer(session, spec.lawyer)
    if duty.date > today or duty.cancelled_at is not None or lawyer.id not in servers_of(session, duty.id):
        raise DutyNotServed(
            lawyer=lawyer.name, date=duty.date, office=duty.office.name, duty_type=duty.duty_type.name_zh
        )
    row = Consultation(
        duty_id=duty.id,
        lawyer_id=lawyer.id,
        time=spec.time.replace(second=0, microsecond=0),
        visitors=spec.visitors,
        category=category,
        referral=referral,
        advice=advice,
        recorded_by=actor,
        recorded_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record(session, actor, "reception.record", entity="consultation", entity_id=row.id, after=_json(row))
    return row


def remove_consultation(
    session: Session, consultation_id: int, actor: str, reason: str = "", *, lawyer_id: int | None = None
) -> int:
    """Delete a consultation entered by mistake (with `lawyer_id`, only one of that lawyer's own); returns
    its duty's id."""
    row = session.get(Consultation, consultation_id)
    if row is None or (lawyer_id is not None and row.lawyer_id != lawyer_id):
        raise ConsultationMissing()
    before, duty_id = _json(row), row.duty_id
    session.delete(row)
    session.flush()
    record(
        session,
        actor,
        "reception.remove",
        entity="consultation",
        entity_id=consultation_id,
        reason=reason,
        before=before,
    )
    return duty_id


# --- reading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ServedDuty:
    """A duty a lawyer served, with the number of consultations logged for it."""

    duty_id: int
    date: dt.date
    office: str
    duty_type: str
    lawyer_id: int
    lawyer: str
    consultations: int
    visitors: int


def served_duties(session: Session, start: dt.date, end: dt.date, *, lawyer_id: int | None = None) -> list[ServedDuty]:
    """The duties served in [start, end] (by one lawyer, or by all), newest first, with their log's counts.

    Three queries, whatever the number of duties.
    """
    require_period(start, end)
    query = (
        select(Attendance)
        .join(Duty, Attendance.duty_id == Duty.id)
        .where(Duty.date.between(start, end), Attendance.status != "absent", Duty.cancelled_at.is_(None))
        .options(
            selectinload(Attendance.duty).selectinload(Duty.office),
            selectinload(Attendance.duty).selectinload(Duty.duty_type),
            selectinload(Attendance.lawyer),
            selectinload(Attendance.substitute),
        )
    )
    if lawyer_id is not None:
        query = query.where(or_(Attendance.lawyer_id == lawyer_id, Attendance.substitute_lawyer_id == lawyer_id))
    rows = session.scalars(query).all()
    counts = {
        (duty, lawyer): (n, visitors)
        for duty, lawyer, n, visitors in session.execute(
            select(Consultation.duty_id, Consultation.lawyer_id, func.count(), func.sum(Consultation.visitors))
            .where(Consultation.duty_id.in_({r.duty_id for r in rows}))
            .group_by(Consultation.duty_id, Consultation.lawyer_id)
        )
    }
    found = []
    for row in rows:
        server = row.substitute if row.status == "substituted" and row.substitute else row.lawyer
        if lawyer_id is not None and server.id != lawyer_id:
            continue
        n, visitors = counts.get((row.duty_id, server.id), (0, 0))
        found.append(
            ServedDuty(
                row.duty_id,
                row.duty.date,
                row.duty.office.name,
                row.duty.duty_type.name_zh,
                server.id,
                server.name,
                n,
                int(visitors or 0),
            )
        )
    return sorted(found, key=lambda s: (s.date, s.duty_id, s.lawyer), reverse=True)


def consultations_of(session: Session, duty_id: int, *, lawyer_id: int | None = None) -> Sequence[Consultation]:
    """The consultations logged on a duty (by one lawyer, or by all), by time."""
    query = (
        select(Consultation)
        .where(Consultation.duty_id == duty_id)
        .options(selectinload(Consultation.category), selectinload(Consultation.lawyer))
        .order_by(Consultation.time, Consultation.id)
    )
    if lawyer_id is not None:
        query = query.where(Consultation.lawyer_id == lawyer_id)
    return session.scalars(query).all()


def consultations_between(session: Session, start: dt.date, end: dt.date) -> Sequence[Consultation]:
    """Every consultation on a duty dated in [start, end], by date and time, with duty, lawyer and category."""
    require_period(start, end)
    return session.scalars(
        select(Consultation)
        .join(Duty, Consultation.duty_id == Duty.id)
        .where(Duty.date.between(start, end))
        .options(
            selectinload(Consultation.category),
            selectinload(Consultation.lawyer),
            selectinload(Consultation.duty).selectinload(Duty.office),
        )
        .order_by(Duty.date, Consultation.time, Consultation.id)
    ).all()


def consultation_counts(
    session: Session, first: dt.date, last: dt.date, scope: OfficeScope = EVERY_OFFICE
) -> tuple[Counter[int], Counter[int]]:
    """(consultations, visitors) per lawyer id, on duties dated in [first, last] at the offices `scope` holds;
    one query."""
    consultations: Counter[int] = Counter()
    visitors: Counter[int] = Counter()
    rows = session.execute(
        select(Consultation.lawyer_id, func.count(), func.sum(Consultation.visitors))
        .join(Duty, Consultation.duty_id == Duty.id)
        .where(Duty.date.between(first, last), scope.clause(Duty.office_id))
        .group_by(Consultation.lawyer_id)
    )
    for lawyer_id, count, total in rows:
        consultations[lawyer_id], visitors[lawyer_id] = count, int(total or 0)
    return consultations, visitors


def duty_of(session: Session, duty_id: int) -> Duty:
    """A duty by id (with its office and type), or DutyMissing."""
    return _duty(session, duty_id)
