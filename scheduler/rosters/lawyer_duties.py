"""What a lawyer's own pages show: the lawyer, their published duties, whom they could swap with, and their
swap requests. Only published versions are read, with a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from scheduler.core.problem import HOTLINE
from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    Hotline,
    LawFirm,
    Lawyer,
    Office,
    Roster,
    StatusPeriod,
    SwapRequest,
    hotline_offices,
    lawyer_offices,
)
from scheduler.rosters.notice_board import PAST_DAYS, LawyerOnNotice

# --- a lawyer's own pages ------------------------------------------------------------------------


@dataclass(frozen=True)
class LawyerProfile:
    """The lawyer behind a lawyer's account."""

    id: int
    name: str
    licence_no: str
    firm: str
    calendar_token: str


@dataclass(frozen=True)
class DutyBrief:
    """A duty as a lawyer's pages list it."""

    duty_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    office_code: str
    office_name: str
    office_name_en: str
    address: str
    duty_type_zh: str
    duty_type_en: str
    note: str
    colleagues: tuple[LawyerOnNotice, ...] = ()


@dataclass(frozen=True)
class LawyerDuties:
    """A lawyer's duties in the published rosters: from today on, and those of the past year (newest first)."""

    upcoming: tuple[DutyBrief, ...]
    past: tuple[DutyBrief, ...]


def lawyer_profile(session: Session, lawyer_id: int) -> LawyerProfile | None:
    """The lawyer `lawyer_id` with firm and calendar token, or None (one query)."""
    row = session.execute(
        select(Lawyer.id, Lawyer.name, Lawyer.licence_no, Lawyer.calendar_token, LawFirm.name.label("firm"))
        .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
        .where(Lawyer.id == lawyer_id)
    ).first()
    if row is None:
        return None
    return LawyerProfile(row.id, row.name, row.licence_no, row.firm or "", row.calendar_token)


_DUTY_COLUMNS = (
    Assignment.roster_id,
    Assignment.lawyer_id,
    Duty.id.label("duty_id"),
    Duty.date,
    Duty.start,
    Duty.end,
    Duty.note,
    Office.code.label("office_code"),
    Office.name.label("office_name"),
    Office.name_en.label("office_name_en"),
    Office.address,
    DutyType.name_zh,
    DutyType.name_en,
)


def _published_duties() -> Any:
    return (
        select(*_DUTY_COLUMNS)
        .join(Roster, and_(Roster.id == Assignment.roster_id, Roster.status == "published"))
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
    )


def _brief(row: Any, colleagues: tuple[LawyerOnNotice, ...] = ()) -> DutyBrief:
    return DutyBrief(
        duty_id=row.duty_id,
        date=row.date,
        start=row.start,
        end=row.end,
        office_code=row.office_code,
        office_name=row.office_name,
        office_name_en=row.office_name_en,
        address=row.address,
        duty_type_zh=row.name_zh,
        duty_type_en=row.name_en,
        note=row.note,
        colleagues=colleagues,
    )


def lawyer_duties(session: Session, lawyer_id: int, today: dt.date) -> LawyerDuties:
    """The lawyer's published duties from a year ago on, with the colleagues on each (two queries)."""
    rows = session.execute(
        _published_duties()
        .where(Assignment.lawyer_id == lawyer_id, Duty.date >= today - dt.timedelta(days=PAST_DAYS))
        .order_by(Duty.date, Duty.start)
    ).all()
    colleagues: dict[tuple[int, int], list[LawyerOnNotice]] = defaultdict(list)
    if rows:
        for c in session.execute(
            select(Assignment.roster_id, Assignment.duty_id, Lawyer.name, LawFirm.name.label("firm"))
            .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(
                Assignment.roster_id.in_({r.roster_id for r in rows}),
                Assignment.duty_id.in_({r.duty_id for r in rows}),
                Assignment.lawyer_id != lawyer_id,
            )
            .order_by(Assignment.slot)
        ):
            colleagues[(c.roster_id, c.duty_id)].append(LawyerOnNotice(c.name, c.firm or ""))
    briefs = [(row.date, _brief(row, tuple(colleagues[(row.roster_id, row.duty_id)]))) for row in rows]
    return LawyerDuties(
        upcoming=tuple(b for day, b in briefs if day >= today),
        past=tuple(reversed([b for day, b in briefs if day < today])),
    )


@dataclass(frozen=True)
class Colleague:
    """A lawyer a duty may be offered to."""

    id: int
    name: str
    firm: str


@dataclass(frozen=True)
class ExchangeChoice:
    """A colleague's upcoming duty that could be taken in exchange."""

    lawyer_id: int
    lawyer_name: str
    duty: DutyBrief


@dataclass(frozen=True)
class SwapOptions:
    """What the swap form of one of the lawyer's duties offers."""

    duty: DutyBrief
    colleagues: tuple[Colleague, ...]
    exchanges: tuple[ExchangeChoice, ...]


def swap_options(session: Session, lawyer_id: int, duty_id: int, today: dt.date) -> SwapOptions | None:
    """The colleagues (lawyers of the duty's office, or of the offices its hotline lists, in good standing on
    its date, not already on it) and their upcoming published duties, for the lawyer's upcoming duty
    `duty_id`; None if it is not such a duty.
    Three queries."""
    mine = session.execute(
        _published_duties().where(Assignment.lawyer_id == lawyer_id, Assignment.duty_id == duty_id, Duty.date >= today)
    ).first()
    if mine is None:
        return None
    office_id = select(Office.id).where(Office.code == mine.office_code).scalar_subquery()
    # A hotline day may also be answered by lawyers of the offices its hotline lists (a window stays with
    # its office's lawyers).
    remote = (
        select(hotline_offices.c.office_id)
        .join(Hotline, Hotline.id == hotline_offices.c.hotline_id)
        .join(Duty, and_(Duty.office_id == Hotline.office_id, Duty.id == duty_id))
        .join(DutyType, and_(DutyType.id == Duty.duty_type_id, DutyType.code == HOTLINE))
    )
    on_duty = select(Assignment.lawyer_id).where(Assignment.roster_id == mine.roster_id, Assignment.duty_id == duty_id)
    barred = exists().where(
        StatusPeriod.lawyer_id == Lawyer.id,
        StatusPeriod.start <= mine.date,
        or_(StatusPeriod.end.is_(None), StatusPeriod.end >= mine.date),
    )
    people = session.execute(
        select(Lawyer.id, Lawyer.name, LawFirm.name.label("firm"), Lawyer.name_key)
        .join(lawyer_offices, lawyer_offices.c.lawyer_id == Lawyer.id)
        .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
        .where(
            or_(lawyer_offices.c.office_id == office_id, lawyer_offices.c.office_id.in_(remote)),
            Lawyer.id.not_in(on_duty),
            ~barred,
        )
        .distinct()
        .order_by(Lawyer.name_key, Lawyer.id)
    ).all()
    colleagues = tuple(Colleague(p.id, p.name, p.firm or "") for p in people)
    names = {c.id: c.name for c in colleagues}
    exchanges: tuple[ExchangeChoice, ...] = ()
    if names:
        rows = session.execute(
            _published_duties()
            .where(Assignment.lawyer_id.in_(names.keys()), Duty.date >= today, Duty.id != duty_id)
            .order_by(Duty.date, Duty.start, Assignment.lawyer_id)
        ).all()
        exchanges = tuple(ExchangeChoice(r.lawyer_id, names[r.lawyer_id], _brief(r)) for r in rows)
    return SwapOptions(_brief(mine), colleagues, exchanges)


@dataclass(frozen=True)
class SwapRequestView:
    """A swap request as the lawyer's page lists it, from the lawyer's side."""

    id: int
    state: str
    message: str
    created_at: dt.datetime
    incoming: bool  # True: a colleague asks this lawyer
    from_name: str
    to_name: str
    duty: DutyBrief
    exchange: DutyBrief | None

    @property
    def can_answer(self) -> bool:
        return self.incoming and self.state == "proposed"

    @property
    def can_withdraw(self) -> bool:
        return not self.incoming and self.state in ("proposed", "accepted")


def _duty_brief_columns(duty: Any, office: Any, kind: Any, prefix: str) -> list[Any]:
    return [
        duty.id.label(f"{prefix}duty_id"),
        duty.date.label(f"{prefix}date"),
        duty.start.label(f"{prefix}start"),
        duty.end.label(f"{prefix}end"),
        duty.note.label(f"{prefix}note"),
        office.code.label(f"{prefix}office_code"),
        office.name.label(f"{prefix}office_name"),
        office.name_en.label(f"{prefix}office_name_en"),
        office.address.label(f"{prefix}address"),
        kind.name_zh.label(f"{prefix}name_zh"),
        kind.name_en.label(f"{prefix}name_en"),
    ]


class _Prefixed:
    """Reads the columns `prefix`+name of a row as plain names, so `_brief` serves both duties of a request."""

    def __init__(self, row: Any, prefix: str) -> None:
        self._row, self._prefix = row, prefix

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, self._prefix + name)


def swap_requests_of(session: Session, lawyer_id: int, limit: int = 50) -> list[SwapRequestView]:
    """The newest swap requests the lawyer made or was asked, with both duties (one query)."""
    giver, taker = aliased(Lawyer), aliased(Lawyer)
    duty, office, kind = aliased(Duty), aliased(Office), aliased(DutyType)
    other, other_office, other_kind = aliased(Duty), aliased(Office), aliased(DutyType)
    rows = session.execute(
        select(
            SwapRequest.id,
            SwapRequest.state,
            SwapRequest.message,
            SwapRequest.created_at,
            SwapRequest.to_lawyer_id,
            giver.name.label("from_name"),
            taker.name.label("to_name"),
            *_duty_brief_columns(duty, office, kind, "a_"),
            *_duty_brief_columns(other, other_office, other_kind, "b_"),
        )
        .join(giver, giver.id == SwapRequest.from_lawyer_id)
        .join(taker, taker.id == SwapRequest.to_lawyer_id)
        .join(duty, duty.id == SwapRequest.duty_id)
        .join(office, office.id == duty.office_id)
        .join(kind, kind.id == duty.duty_type_id)
        .outerjoin(other, other.id == SwapRequest.exchange_duty_id)
        .outerjoin(other_office, other_office.id == other.office_id)
        .outerjoin(other_kind, other_kind.id == other.duty_type_id)
        .where(or_(SwapRequest.from_lawyer_id == lawyer_id, SwapRequest.to_lawyer_id == lawyer_id))
        .order_by(SwapRequest.id.desc())
        .limit(limit)
    ).all()
    return [
        SwapRequestView(
            id=r.id,
            state=r.state,
            message=r.message,
            created_at=r.created_at,
            incoming=r.to_lawyer_id == lawyer_id,
            from_name=r.from_name,
            to_name=r.to_name,
            duty=_brief(_Prefixed(r, "a_")),
            exchange=_brief(_Prefixed(r, "b_")) if r.b_duty_id is not None else None,
        )
        for r in rows
    ]
