"""Joint meetings (联席会议) of the petition and justice bureaus: once, quarterly or half-yearly.

The calendars show each occurrence as an event: an office's meeting in that office's feed, a
prefecture-wide one (no office) in the prefecture feed. Occurrence n of meeting m has the UID
`meeting-{m}-{n}@{host}`, so moving a meeting changes its events (with a higher SEQUENCE) rather
than replacing them.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.report_errors import (
    MeetingNotFound,
    MeetingOnDayOff,
    MeetingReversed,
    MeetingTextsTooLong,
    MeetingTitle,
    UnknownRecurrence,
    UntilBeforeFirst,
    UntilForOnce,
)
from scheduler.audit import record
from scheduler.models import Office
from scheduler.models.attendance import RECURRENCES, JointMeeting
from scheduler.models.rosters import utcnow
from scheduler.planning.duties import office_by_code
from scheduler.planning.holidays import load_calendar

MONTHS_APART = {"quarterly": 3, "half-yearly": 6}
RECURRENCE_ZH = {"once": "单次", "quarterly": "每季度", "half-yearly": "每半年"}


@dataclass(frozen=True)
class MeetingSpec:
    """What a clerk states about a joint meeting."""

    title: str
    first_date: dt.date
    start: dt.time
    end: dt.time
    location: str = ""
    recurrence: str = "once"
    until: dt.date | None = None
    office_code: str | None = None  # None: prefecture-wide
    note: str = ""


@dataclass(frozen=True)
class MeetingOccurrence:
    """One occurrence of a joint meeting, as a calendar event shows it."""

    uid: str
    title: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    description: str
    office_code: str | None  # None: prefecture-wide
    sequence: int
    changed_at: dt.datetime
    office_name: str = ""  # "" for a prefecture-wide meeting


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the last day of that month when it is shorter (Jan 31 -> Apr 30)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def occurrences(meeting: JointMeeting, start: dt.date, end: dt.date) -> list[tuple[int, dt.date]]:
    """(number, date) of the meeting's occurrences in [start, end]; number 0 is the first date."""
    if meeting.recurrence == "once":
        return [(0, meeting.first_date)] if start <= meeting.first_date <= end else []
    step = MONTHS_APART[meeting.recurrence]
    last = min(end, meeting.until) if meeting.until else end
    found = []
    n = 0
    # Each date is counted from the first one, so a 31st does not drift to the 28th after February.
    while (day := add_months(meeting.first_date, n * step)) <= last:
        if day >= start:
            found.append((n, day))
        n += 1
    return found


def _validate(spec: MeetingSpec) -> MeetingSpec:
    title = spec.title.strip()
    if not title or len(title) > 200:
        raise MeetingTitle()
    if spec.end <= spec.start:
        raise MeetingReversed(end=spec.end, start=spec.start)
    if spec.recurrence not in RECURRENCES:
        raise UnknownRecurrence(value=spec.recurrence, known=list(RECURRENCES))
    if spec.until is not None and spec.recurrence == "once":
        raise UntilForOnce()
    if spec.until is not None and spec.until < spec.first_date:
        raise UntilBeforeFirst(until=spec.until, first=spec.first_date)
    if len(spec.location) > 200 or len(spec.note) > 1000:
        raise MeetingTextsTooLong()
    return MeetingSpec(
        title,
        spec.first_date,
        spec.start,
        spec.end,
        spec.location.strip(),
        spec.recurrence,
        spec.until,
        spec.office_code or None,
        spec.note.strip(),
    )


WEEKDAY_ZH = "一二三四五六日"


def days_off_among(session: Session, spec: MeetingSpec) -> list[dt.date]:
    """The meeting's dates that are not official working days.

    Every occurrence is checked up to `until` (an open-ended meeting: its first year), in the years
    whose arrangement is known; a year without one cannot be judged and is left to the clerk.
    """
    calendar = load_calendar(session)
    probe = JointMeeting(first_date=spec.first_date, recurrence=spec.recurrence, until=spec.until)
    last = spec.until or add_months(spec.first_date, 12) - dt.timedelta(days=1)
    return [
        day
        for _, day in occurrences(probe, spec.first_date, last)
        if calendar.knows(day.year) and not calendar.is_workday(day)
    ]


def _day_zh(day: dt.date, holiday: str) -> str:
    return f"星期{WEEKDAY_ZH[day.weekday()]}" + (f"，{holiday}" if holiday else "")


def _refuse_days_off(session: Session, spec: MeetingSpec) -> None:
    # The bureaus meet on working days; a date on a holiday is nearly always a slip, so it needs
    # an explicit --allow-day-off rather than a silent event in every calendar.
    found = days_off_among(session, spec)
    if not found:
        return
    calendar = load_calendar(session)
    named = "、".join(f"{d.isoformat()}（{_day_zh(d, calendar.holiday_name(d))}）" for d in found)
    raise MeetingOnDayOff(days=named)


def _apply(session: Session, meeting: JointMeeting, spec: MeetingSpec) -> None:
    meeting.title = spec.title
    meeting.first_date = spec.first_date
    meeting.start = spec.start
    meeting.end = spec.end
    meeting.location = spec.location
    meeting.recurrence = spec.recurrence
    meeting.until = spec.until
    meeting.note = spec.note
    meeting.office = office_by_code(session, spec.office_code) if spec.office_code else None


def _json(meeting: JointMeeting) -> dict[str, object]:
    return {
        "title": meeting.title,
        "first_date": str(meeting.first_date),
        "start": f"{meeting.start:%H:%M}",
        "end": f"{meeting.end:%H:%M}",
        "location": meeting.location,
        "recurrence": meeting.recurrence,
        "until": str(meeting.until) if meeting.until else None,
        "office": meeting.office.code if meeting.office else None,
        "note": meeting.note,
        "sequence": meeting.sequence,
    }


def add_meeting(session: Session, spec: MeetingSpec, actor: str, *, allow_day_off: bool = False) -> JointMeeting:
    """Add a joint meeting; an unknown office code, or a date on a day off (unless allowed), is refused."""
    spec = _validate(spec)
    if not allow_day_off:
        _refuse_days_off(session, spec)
    meeting = JointMeeting(sequence=0, changed_at=utcnow())
    _apply(session, meeting, spec)
    session.add(meeting)
    session.flush()
    record(session, actor, "meeting.add", entity="joint_meeting", entity_id=meeting.id, after=_json(meeting))
    return meeting


def get_meeting(session: Session, meeting_id: int) -> JointMeeting:
    meeting = session.get(JointMeeting, meeting_id)
    if meeting is None:
        raise MeetingNotFound(number=meeting_id)
    return meeting


def change_meeting(
    session: Session, meeting_id: int, spec: MeetingSpec, actor: str, *, allow_day_off: bool = False
) -> JointMeeting:
    """Replace a meeting's details; its events keep their UIDs and get a higher SEQUENCE.

    A date on a day off is refused unless `allow_day_off`.
    """
    spec = _validate(spec)
    if not allow_day_off:
        _refuse_days_off(session, spec)
    meeting = get_meeting(session, meeting_id)
    before = _json(meeting)
    _apply(session, meeting, spec)
    if _json(meeting) == before:
        return meeting
    meeting.sequence += 1
    meeting.changed_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "meeting.change",
        entity="joint_meeting",
        entity_id=meeting.id,
        before=before,
        after=_json(meeting),
    )
    return meeting


def remove_meeting(session: Session, meeting_id: int, actor: str, reason: str = "") -> None:
    """Delete a meeting; its events leave the feeds."""
    meeting = get_meeting(session, meeting_id)
    before = _json(meeting)
    session.delete(meeting)
    session.flush()
    record(session, actor, "meeting.remove", entity="joint_meeting", entity_id=meeting_id, reason=reason, before=before)


def list_meetings(session: Session) -> Sequence[JointMeeting]:
    """Every joint meeting, by first date."""
    return session.scalars(
        select(JointMeeting)
        .options(selectinload(JointMeeting.office))
        .order_by(JointMeeting.first_date, JointMeeting.id)
    ).all()


def meetings_between(session: Session, start: dt.date, end: dt.date, *, host: str) -> list[MeetingOccurrence]:
    """Every occurrence of every joint meeting in [start, end], by date; `host` is the UIDs' domain
    (scheduler.calendars.feeds.uid_host, the same as the duties')."""
    found = []
    # One query, whatever the number of meetings: the feeds keep a fixed query count.
    rows = session.execute(
        select(JointMeeting, Office.code, Office.name)
        .outerjoin(Office, JointMeeting.office_id == Office.id)
        .order_by(JointMeeting.first_date, JointMeeting.id)
    ).all()
    for meeting, office_code, office_name in rows:
        description = meeting.note
        if meeting.recurrence != "once":
            description = f"{RECURRENCE_ZH[meeting.recurrence]}联席会议" + (f"\n{meeting.note}" if meeting.note else "")
        for number, day in occurrences(meeting, start, end):
            found.append(
                MeetingOccurrence(
                    uid=f"meeting-{meeting.id}-{number}@{host}",
                    title=meeting.title,
                    date=day,
                    start=meeting.start,
                    end=meeting.end,
                    location=meeting.location,
                    description=description,
                    office_code=office_code,
                    sequence=meeting.sequence,
                    changed_at=meeting.changed_at,
                    office_name=office_name or "",
                )
            )
    return sorted(found, key=lambda o: (o.date, o.start, o.uid))
