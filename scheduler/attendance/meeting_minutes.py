"""The minutes (会议纪要) and decisions (议定事项) of a joint meeting's occurrence.

Minutes are one document per occurrence (PDF, DOCX or ODT, at most 5 MB), kept in the database so that
a backup of it holds them and nothing is served from a folder; a new upload replaces the old one. The
type is checked from the bytes, not from the name alone: a PDF starts with %PDF-, a DOCX is a ZIP with
word/document.xml, an ODT a ZIP whose `mimetype` says so. Staff pages alone list and serve them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, defer, selectinload

from scheduler.attendance.meetings import add_months, get_meeting, occurrences
from scheduler.attendance.record_errors import (
    DecisionMissing,
    DecisionText,
    MinutesEmpty,
    MinutesMissing,
    MinutesTooLarge,
    MinutesType,
    NotAMeetingDate,
)
from scheduler.audit import record
from scheduler.models.attendance import JointMeeting
from scheduler.models.records import MeetingDecision, MeetingMinutes
from scheduler.models.rosters import utcnow

MAX_MINUTES_BYTES = 5 * 1024 * 1024
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
}
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def document_kind(filename: str, data: bytes) -> str | None:
    """'pdf', 'docx' or 'odt' when the name's extension and the bytes agree on it, else None."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "pdf":
        return "pdf" if data.startswith(b"%PDF-") else None
    if extension not in ("docx", "odt") or not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if extension == "docx":
                return "docx" if "word/document.xml" in names else None
            return "odt" if "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE else None
    except (zipfile.BadZipFile, KeyError, OSError):
        return None


def _occurrence(session: Session, meeting_id: int, day: dt.date) -> JointMeeting:
    """The meeting, when it has an occurrence on `day` (else NotAMeetingDate)."""
    meeting = get_meeting(session, meeting_id)
    if not occurrences(meeting, day, day):
        raise NotAMeetingDate(title=meeting.title, date=day)
    return meeting


def _safe_name(filename: str) -> str:
    # Only the last part of a path, without characters a Content-Disposition header cannot carry.
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"\r\n;')
    return name[-200:] or "minutes"


def upload_minutes(
    session: Session, meeting_id: int, day: dt.date, filename: str, data: bytes, actor: str
) -> MeetingMinutes:
    """Keep the minutes of the meeting held on `day`, replacing any earlier upload.

    Refused, changing nothing: a date the meeting is not held on, an empty file, one over 5 MB, and a
    file that is not a PDF, DOCX or ODT document (by its name and its bytes)."""
    meeting = _occurrence(session, meeting_id, day)
    name = _safe_name(filename)
    if not data:
        raise MinutesEmpty(filename=name)
    if len(data) > MAX_MINUTES_BYTES:
        raise MinutesTooLarge(
            filename=name, limit=MAX_MINUTES_BYTES // (1024 * 1024), size=f"{len(data) / (1024 * 1024):.1f}"
        )
    kind = document_kind(name, data)
    if kind is None:
        raise MinutesType(filename=name)
    row = session.scalar(
        select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting.id, MeetingMinutes.meeting_date == day)
    )
    before = {"filename": row.filename, "sha256": row.sha256} if row is not None else None
    if row is None:
        row = MeetingMinutes(meeting_id=meeting.id, meeting_date=day)
        session.add(row)
    row.filename, row.kind, row.size, row.content = name, kind, len(data), data
    row.sha256, row.uploaded_by, row.uploaded_at = hashlib.sha256(data).hexdigest(), actor, utcnow()
    session.flush()
    record(
        session,
        actor,
        "meeting.minutes_upload",
        entity="joint_meeting",
        entity_id=meeting.id,
        before=before,
        after={"date": str(day), "filename": name, "size": len(data), "sha256": row.sha256},
    )
    return row


def minutes_file(session: Session, meeting_id: int, day: dt.date) -> MeetingMinutes:
    """The minutes of the meeting held on `day`, with their bytes (MinutesMissing when none were uploaded)."""
    row = session.scalar(
        select(MeetingMinutes).where(MeetingMinutes.meeting_id == meeting_id, MeetingMinutes.meeting_date == day)
    )
    if row is None:
        raise MinutesMissing()
    return row


def add_decision(
    session: Session, meeting_id: int, day: dt.date, text: str, owner: str, due: dt.date, actor: str
) -> MeetingDecision:
    """Add a decision of the meeting held on `day`: what, who carries it out, by when."""
    meeting = _occurrence(session, meeting_id, day)
    text, owner = text.strip(), owner.strip()
    if not text or len(text) > 1000 or not owner or len(owner) > 100:
        raise DecisionText()
    row = MeetingDecision(
        meeting_id=meeting.id,
        meeting_date=day,
        text=text,
        owner=owner,
        due=due,
        done=False,
        created_by=actor,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        "meeting.decision_add",
        entity="meeting_decision",
        entity_id=row.id,
        after={"meeting_id": meeting.id, "date": str(day), "text": text, "owner": owner, "due": str(due)},
    )
    return row


def set_decision_done(session: Session, decision_id: int, done: bool, actor: str) -> MeetingDecision:
    """Mark a decision carried out (or not yet)."""
    row = session.get(MeetingDecision, decision_id)
    if row is None:
        raise DecisionMissing()
    if row.done != done:
        row.done = done
        session.flush()
        record(
            session,
            actor,
            "meeting.decision_done",
            entity="meeting_decision",
            entity_id=row.id,
            before={"done": not done},
            after={"done": done},
        )
    return row


@dataclass(frozen=True)
class MinutesInfo:
    """What the staff page shows of an upload (not its bytes)."""

    filename: str
    kind: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class MeetingRecord:
    """One occurrence of a joint meeting with its minutes (if uploaded) and decisions."""

    meeting_id: int
    title: str
    date: dt.date
    office: str
    minutes: MinutesInfo | None
    decisions: tuple[MeetingDecision, ...]


def meeting_records(session: Session, start: dt.date, end: dt.date) -> list[MeetingRecord]:
    """Every occurrence of every meeting in [start, end], the latest first, with minutes and decisions.

    Four queries; the documents' bytes are not loaded."""
    meetings = session.scalars(
        select(JointMeeting).options(selectinload(JointMeeting.office)).order_by(JointMeeting.id)
    ).all()
    minutes = {
        (m.meeting_id, m.meeting_date): m
        for m in session.scalars(select(MeetingMinutes).options(defer(MeetingMinutes.content)))
    }
    decisions: dict[tuple[int, dt.date], list[MeetingDecision]] = {}
    for d in session.scalars(select(MeetingDecision).order_by(MeetingDecision.due, MeetingDecision.id)):
        decisions.setdefault((d.meeting_id, d.meeting_date), []).append(d)
    found = []
    for meeting in meetings:
        office = meeting.office.name if meeting.office else ""
        for _number, day in occurrences(meeting, start, end):
            m = minutes.get((meeting.id, day))
            info = MinutesInfo(m.filename, m.kind, m.size, m.uploaded_by, m.uploaded_at) if m else None
            found.append(
                MeetingRecord(meeting.id, meeting.title, day, office, info, tuple(decisions.get((meeting.id, day), ())))
            )
    return sorted(found, key=lambda r: (r.date, r.meeting_id), reverse=True)


def default_span(today: dt.date) -> tuple[dt.date, dt.date]:
    """The occurrences a staff page lists by default: the past year and the next quarter."""
    return add_months(today, -12), add_months(today, 3)
