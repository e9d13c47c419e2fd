"""What the published rosters show: an office's public notice (公示), a lawyer's own duties, swap choices.

Only published versions are read (status 'published'): a draft or a superseded version never shows.
Every loader runs a fixed number of queries whatever the size of the roster, and returns plain frozen
dataclasses, so templates never touch the ORM (and cannot trigger lazy loads).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import Session, aliased

from scheduler.calendars.views import STANDARD_DISCIPLINE, STANDARD_SCOPE, STANDARD_VISITOR_NOTES, office_slug
from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
    Roster,
    StatusPeriod,
    SwapRequest,
    lawyer_offices,
)

PAST_DAYS = 366  # a lawyer's page lists the duties of the past year


# --- periods -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days a notice covers: an ISO week (Monday to Sunday) or a calendar month."""

    kind: str  # "week" or "month"
    start: dt.date
    end: dt.date

    def previous(self) -> Period:
        """The week or month before."""
        return self._of(self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        """The week or month after."""
        return self._of(self.end + dt.timedelta(days=1))

    def _of(self, day: dt.date) -> Period:
        return week_of(day) if self.kind == "week" else month_of(day)


def week_of(day: dt.date) -> Period:
    """The ISO week (Monday to Sunday) of `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return Period("week", monday, monday + dt.timedelta(days=6))


def month_of(day: dt.date) -> Period:
    """The calendar month of `day`."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return Period("month", first, following - dt.timedelta(days=1))


# --- the public notice ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficeLink:
    """An office as the list of notices shows it."""

    code: str
    slug: str
    name: str
    name_en: str
    level: str


@dataclass(frozen=True)
class OfficeInfo:
    """The office of a notice with its texts; an office's empty text is replaced by the standard one."""

    code: str
    slug: str
    name: str
    name_en: str
    level: str
    address: str
    phone: str
    reception_scope: str
    visitor_notes: str
    discipline_rules: str


@dataclass(frozen=True)
class LawyerOnNotice:
    """A lawyer as the notice names them: name and firm (the licence number stays off the public page)."""

    name: str
    firm: str


@dataclass(frozen=True)
class NoticeDuty:
    """One duty of the notice with the lawyers of the published version."""

    duty_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    duty_type: str  # code: "window", "leader_day", ...
    duty_type_zh: str
    duty_type_en: str
    note: str
    needed: int
    moved_from: dt.date | None
    lawyers: tuple[LawyerOnNotice, ...]

    @property
    def open_places(self) -> int:
        """Places the published version left unstaffed."""
        return max(self.needed - len(self.lawyers), 0)


@dataclass(frozen=True)
class PublishedVersion:
    """A published roster version a notice draws on."""

    version: int
    period_start: dt.date
    period_end: dt.date
    published_at: dt.datetime | None
    provisional: bool


@dataclass(frozen=True)
class OfficeNotice:
    """Everything an office's notice page shows for one period."""

    office: OfficeInfo
    period: Period
    duties: tuple[NoticeDuty, ...]
    versions: tuple[PublishedVersion, ...]

    @property
    def provisional(self) -> bool:
        return any(v.provisional for v in self.versions)


def offices(session: Session) -> list[OfficeLink]:
    """Every office, the prefecture's first, then by code (one query)."""
    rows = session.execute(select(Office.code, Office.name, Office.name_en, Office.level).order_by(Office.code))
    links = [OfficeLink(r.code, office_slug(r.code), r.name, r.name_en, r.level) for r in rows]
    return sorted(links, key=lambda o: (o.level != "prefecture", o.code))


def _office_info(office: Office) -> OfficeInfo:
    return OfficeInfo(
        code=office.code,
        slug=office_slug(office.code),
        name=office.name,
        name_en=office.name_en,
        level=office.level,
        address=office.address,
        phone=office.phone,
        reception_scope=office.reception_scope.strip() or STANDARD_SCOPE,
        visitor_notes=office.visitor_notes.strip() or STANDARD_VISITOR_NOTES,
        discipline_rules=office.discipline_rules.strip() or STANDARD_DISCIPLINE,
    )


def _published_overlapping(session: Session, start: dt.date, end: dt.date) -> list[Any]:
    # Newest publication first: should two published periods ever overlap, the newer one speaks.
    return list(
        session.execute(
            select(
                Roster.id,
                Roster.version,
                Roster.period_start,
                Roster.period_end,
                Roster.published_at,
                Roster.provisional,
            )
            .where(Roster.status == "published", Roster.period_start <= end, Roster.period_end >= start)
            .order_by(Roster.published_at.desc(), Roster.id.desc())
        )
    )


def _roster_of(rosters: Iterable[Any], day: dt.date) -> int | None:
    return next((r.id for r in rosters if r.period_start <= day <= r.period_end), None)


def office_notice(session: Session, code: str, period: Period) -> OfficeNotice | None:
    """The notice of office `code` for `period`, or None when there is no such office. Four queries."""
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        return None
    rosters = _published_overlapping(session, period.start, period.end)
    duty_rows = session.execute(
        select(Duty, DutyType.code, DutyType.name_zh, DutyType.name_en)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(Duty.office_id == office.id, Duty.date.between(period.start, period.end))
        .order_by(Duty.date, Duty.start, Duty.id)
    ).all()
    # A duty shows once its period is published, with the lawyers of the version that covers its date.
    roster_of = {row.Duty.id: _roster_of(rosters, row.Duty.date) for row in duty_rows}
    shown = {duty_id: roster_id for duty_id, roster_id in roster_of.items() if roster_id is not None}
    lawyers: dict[int, list[LawyerOnNotice]] = defaultdict(list)
    if shown:
        for row in session.execute(
            select(Assignment.duty_id, Assignment.roster_id, Lawyer.name, LawFirm.name.label("firm"))
            .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(Assignment.roster_id.in_(set(shown.values())), Assignment.duty_id.in_(shown.keys()))
            .order_by(Assignment.duty_id, Assignment.slot)
        ):
            if shown[row.duty_id] == row.roster_id:
                lawyers[row.duty_id].append(LawyerOnNotice(row.name, row.firm or ""))
    duties = tuple(
        NoticeDuty(
            duty_id=row.Duty.id,
            date=row.Duty.date,
            start=row.Duty.start,
            end=row.Duty.end,
            duty_type=row.code,
            duty_type_zh=row.name_zh,
            duty_type_en=row.name_en,
            note=row.Duty.note,
            needed=row.Duty.needed,
            moved_from=row.Duty.moved_from,
            lawyers=tuple(lawyers[row.Duty.id]),
        )
        for row in duty_rows
        if row.Duty.id in shown
    )
    used = set(shown.values())
    versions = tuple(
        PublishedVersion(r.version, r.period_start, r.period_end, r.published_at, r.provisional)
        for r in sorted(rosters, key=lambda r: r.period_start)
        if r.id in used
    )
    return OfficeNotice(_office_info(office), period, duties, versions)


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
    """The colleagues (lawyers of the duty's office in good standing on its date, not already on it) and their
    upcoming published duties, for the lawyer's upcoming duty `duty_id`; None if it is not such a duty.
    Three queries."""
    mine = session.execute(
        _published_duties().where(Assignment.lawyer_id == lawyer_id, Assignment.duty_id == duty_id, Duty.date >= today)
    ).first()
    if mine is None:
        return None
    office_id = select(Office.id).where(Office.code == mine.office_code).scalar_subquery()
    on_duty = select(Assignment.lawyer_id).where(Assignment.roster_id == mine.roster_id, Assignment.duty_id == duty_id)
    barred = exists().where(
        StatusPeriod.lawyer_id == Lawyer.id,
        StatusPeriod.start <= mine.date,
        or_(StatusPeriod.end.is_(None), StatusPeriod.end >= mine.date),
    )
    people = session.execute(
        select(Lawyer.id, Lawyer.name, LawFirm.name.label("firm"))
        .join(lawyer_offices, lawyer_offices.c.lawyer_id == Lawyer.id)
        .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
        .where(lawyer_offices.c.office_id == office_id, Lawyer.id.not_in(on_duty), ~barred)
        .order_by(Lawyer.name, Lawyer.id)
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
