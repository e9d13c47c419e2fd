"""Duties and people as the clerk pages show them, loaded with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.models import (
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
)


@dataclass(frozen=True)
class Person:
    """A lawyer as the clerk pages name them."""

    id: int
    name: str
    firm: str = ""
    licence_no: str = ""


@dataclass(frozen=True)
class DutyInfo:
    """A duty as the clerk pages name it."""

    id: int
    date: dt.date
    start: dt.time
    end: dt.time
    office_code: str
    office_name: str
    office_name_en: str
    type_code: str
    type_zh: str
    type_en: str
    needed: int
    note: str = ""


_DUTY_COLUMNS = (
    Duty.id,
    Duty.date,
    Duty.start,
    Duty.end,
    Office.code.label("office_code"),
    Office.name.label("office_name"),
    Office.name_en.label("office_name_en"),
    DutyType.code.label("type_code"),
    DutyType.name_zh.label("type_zh"),
    DutyType.name_en.label("type_en"),
    Duty.needed,
    Duty.note,
)


def duty_infos(session: Session, *where: Any) -> list[DutyInfo]:
    rows = session.execute(
        select(*_DUTY_COLUMNS)
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(*where)
        .order_by(Office.code, Duty.date, Duty.start, Duty.id)
    )
    return [DutyInfo(*row) for row in rows]


def people_by_id(session: Session, ids: Iterable[int]) -> dict[int, Person]:
    rows = session.execute(
        select(Lawyer.id, Lawyer.name, LawFirm.name.label("firm"), Lawyer.licence_no)
        .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
        .where(Lawyer.id.in_(set(ids)))
    )
    return {r.id: Person(r.id, r.name, r.firm or "", r.licence_no) for r in rows}
