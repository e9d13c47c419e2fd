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

from scheduler.calendars.sync import office_sessions
from scheduler.calendars.views import (
    STANDARD_DISCIPLINE,
    STANDARD_LEADER_SCOPE,
    STANDARD_SCOPE,
    STANDARD_VISITOR_NOTES,
    office_slug,
    office_text,
)
from scheduler.core.errors import CalendarUnknown
from scheduler.core.problem import HOTLINE
from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
    Roster,
)
from scheduler.planning.holidays import load_calendar

PAST_DAYS = 366  # a lawyer's page lists the duties of the past year
UPCOMING = 5  # duties a notice points to when its period has none yet
UPCOMING_DAYS = 92  # how far ahead it looks for them (a published roster covers about a quarter)


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
    # The office's morning and afternoon sessions when it closes for lunch (a window day); () for one block.
    sessions: tuple[tuple[dt.time, dt.time], ...] = ()
    # What a leader reception day is about (its own scope, else the standard one of its kind; never the
    # window's); "" for a window day, which has the office's scope.
    scope: str = ""
    place: str = ""  # the duty's own place (a leader's room); "" at the office's address
    makeup_workday: bool = False  # a Saturday or Sunday that is an official working day (调休上班)
    provisional: bool = False  # its year's working days are only expected, not yet published by the State Council

    @property
    def open_places(self) -> int:
        """Places the published version left unstaffed (none on a cancelled duty)."""
        return 0 if self.cancelled else max(self.needed - len(self.lawyers), 0)

    @property
    def hours(self) -> tuple[tuple[dt.time, dt.time], ...]:
        """The blocks of time the duty is served in: its sessions, or its whole hours."""
        return self.sessions or ((self.start, self.end),)

    @property
    def window(self) -> bool:
        return self.duty_type == "window"


@dataclass(frozen=True)
class PublishedVersion:
    """A published roster version a notice draws on."""

    version: int
    period_start: dt.date
    period_end: dt.date
    published_at: dt.datetime | None
    provisional: bool


@dataclass(frozen=True)
class ScopeOfKind:
    """The scope of reception of one kind of duty other than the window (a leader reception day)."""

    duty_type_zh: str
    duty_type_en: str
    text: str


@dataclass(frozen=True)
class OfficeNotice:
    """Everything an office's notice page shows for one period."""

    office: OfficeInfo
    period: Period
    duties: tuple[NoticeDuty, ...]
    versions: tuple[PublishedVersion, ...]
    # When the period has no duty yet (the week before a roster starts): the next published ones.
    upcoming: tuple[NoticeDuty, ...] = ()

    @property
    def provisional(self) -> bool:
        """Whether a duty shown falls in a year planned on the expected working days (a warning is due)."""
        return any(d.provisional for d in self.duties + self.upcoming)

    @property
    def issued_on(self) -> dt.date | None:
        """The date of the issuing line (落款): the latest publication the notice draws on."""
        days = [v.published_at.date() for v in self.versions if v.published_at is not None]
        return max(days) if days else None

    @property
    def other_scopes(self) -> tuple[ScopeOfKind, ...]:
        """The scopes of the period's duties other than window days, each once, in order of first date."""
        seen: dict[tuple[str, str], ScopeOfKind] = {}
        for duty in self.duties:
            if not duty.window and duty.scope:
                seen.setdefault(
                    (duty.duty_type, duty.scope), ScopeOfKind(duty.duty_type_zh, duty.duty_type_en, duty.scope)
                )
        return tuple(seen.values())


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
    """The notice of office `code` for `period`, or None when there is no such office.

    Five queries (the fifth reads the working-day calendar, for make-up workdays), and four more when the
    period has no duty yet and has not passed (the next duties). A cancelled duty is shown as cancelled until
    its day has passed (visitors may have planned on it), then it leaves the notice.
    """
    today = today or dt.date.today()
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        return None
    duties, versions = _published_duties(session, office, period.start, period.end, today)
    upcoming: tuple[NoticeDuty, ...] = ()
    if not duties and period.end >= today:
        after = max(today, period.end + dt.timedelta(days=1))
        later, _versions = _published_duties(session, office, after, after + dt.timedelta(days=UPCOMING_DAYS), today)
        upcoming = tuple(d for d in later if not d.cancelled)[:UPCOMING]
    return OfficeNotice(_office_info(office), period, duties, versions, upcoming)


def _published_duties(
    session: Session, office: Office, start: dt.date, end: dt.date, today: dt.date
) -> tuple[tuple[NoticeDuty, ...], tuple[PublishedVersion, ...]]:
    """The office's published duties between `start` and `end` and the versions they come from."""
    rosters = _published_overlapping(session, start, end)
    duty_rows = session.execute(
        select(Duty, DutyType.code, DutyType.name_zh, DutyType.name_en)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        # Hotline days have their own section (public/_hotline.html): the number, the mailbox and the rota.
        .where(Duty.office_id == office.id, Duty.date.between(start, end), DutyType.code != HOTLINE)
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
            .order_by(Assignment.duty_id, Lawyer.name_key, Assignment.slot)  # names in pinyin order
        ):
            if shown[row.duty_id] == row.roster_id:
                lawyers[row.duty_id].append(LawyerOnNotice(row.name, row.firm or ""))
    rows = [
        row for row in duty_rows if row.Duty.id in shown and (row.Duty.cancelled_at is None or row.Duty.date >= today)
    ]
    makeup, provisional = _calendar_marks(session, {row.Duty.date for row in rows})
    duties = tuple(
        _notice_duty(office, row, tuple(lawyers[row.Duty.id]), row.Duty.date in makeup, row.Duty.date in provisional)
        for row in rows
    )
    used = set(shown.values())
    versions = tuple(
        PublishedVersion(r.version, r.period_start, r.period_end, r.published_at, r.provisional)
        for r in sorted(rosters, key=lambda r: r.period_start)
        if r.id in used
    )
    return duties, versions


def _notice_duty(
    office: Office, row: Any, lawyers: tuple[LawyerOnNotice, ...], makeup: bool, provisional: bool
) -> NoticeDuty:
    duty: Duty = row.Duty
    window = row.code == "window"
    own_scope = duty.scope.strip()
    return NoticeDuty(
        duty_id=duty.id,
        date=duty.date,
        start=duty.start,
        end=duty.end,
        duty_type=row.code,
        duty_type_zh=row.name_zh,
        duty_type_en=row.name_en,
        note=duty.note,
        needed=duty.needed,
        moved_from=duty.moved_from,
        lawyers=lawyers,
        cancelled=duty.cancelled_at is not None,
        # The same hours and scope as the duty's calendar events (scheduler.calendars.sync.duty_view).
        sessions=office_sessions(office, duty.start, duty.end) if window else (),
        scope=own_scope if window else own_scope or STANDARD_LEADER_SCOPE,
        place=duty.place.strip(),
        makeup_workday=makeup,
        provisional=provisional,
    )


def _calendar_marks(session: Session, days: set[dt.date]) -> tuple[set[dt.date], set[dt.date]]:
    """Among `days`: the weekend days that are official working days (调休上班), and the days of years whose
    arrangement is only expected. One query when there are days."""
    if not days:
        return set(), set()
    calendar = load_calendar(session)
    makeup = set()
    for day in days:
        try:
            if day.weekday() >= 5 and calendar.is_workday(day):
                makeup.add(day)
        except CalendarUnknown:
            continue  # a year without an arrangement: no label rather than a guess
    return makeup, {day for day in days if calendar.is_provisional(day)}
