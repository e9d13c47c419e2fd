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

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.calendars.views import (
    STANDARD_DISCIPLINE,
    STANDARD_SCOPE,
    STANDARD_VISITOR_NOTES,
    office_slug,
    office_text,
)
from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
    Roster,
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
    cancelled: bool = False  # shown as 已取消 until its day has passed

    @property
    def open_places(self) -> int:
        """Places the published version left unstaffed (none on a cancelled duty)."""
        return 0 if self.cancelled else max(self.needed - len(self.lawyers), 0)


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
        reception_scope=office_text(office.reception_scope, STANDARD_SCOPE),
        visitor_notes=office_text(office.visitor_notes, STANDARD_VISITOR_NOTES),
        discipline_rules=office_text(office.discipline_rules, STANDARD_DISCIPLINE),
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


def office_notice(session: Session, code: str, period: Period, today: dt.date | None = None) -> OfficeNotice | None:
    """The notice of office `code` for `period`, or None when there is no such office. Four queries.

    A cancelled duty is shown as cancelled until its day has passed (visitors may have planned on it),
    then it leaves the notice.
    """
    today = today or dt.date.today()
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
            cancelled=row.Duty.cancelled_at is not None,
        )
        for row in duty_rows
        if row.Duty.id in shown and (row.Duty.cancelled_at is None or row.Duty.date >= today)
    )
    used = set(shown.values())
    versions = tuple(
        PublishedVersion(r.version, r.period_start, r.period_end, r.published_at, r.provisional)
        for r in sorted(rosters, key=lambda r: r.period_start)
        if r.id in used
    )
    return OfficeNotice(_office_info(office), period, duties, versions)
