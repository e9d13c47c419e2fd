"""Joint meetings' minutes (PDF, DOCX, ODT; checked by name and bytes; at most 5 MB) and decisions."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.meeting_minutes import (
    MAX_MINUTES_BYTES,
    add_decision,
    document_kind,
    meeting_records,
    minutes_file,
    set_decision_done,
    upload_minutes,
)
from scheduler.attendance.meetings import MeetingSpec, add_meeting, remove_meeting
from scheduler.attendance.record_errors import (
    DecisionText,
    MinutesEmpty,
    MinutesMissing,
    MinutesTooLarge,
    MinutesType,
    NotAMeetingDate,
)
from scheduler.db import transaction
from scheduler.models import AuditEvent
from scheduler.models.records import MeetingDecision, MeetingMinutes

FIRST = dt.date(2026, 3, 10)  # a Tuesday; quarterly, so also 06-10, 09-10 ...
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document/>"})


def _meeting(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        spec = MeetingSpec("律师参与信访工作联席会议", FIRST, dt.time(9), dt.time(11), recurrence="quarterly")
        return add_meeting(session, spec, "clerk").id


def _rows(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with factory() as session:
        return (
            session.scalar(select(func.count()).select_from(MeetingMinutes)) or 0,
            session.scalar(select(func.count()).select_from(MeetingDecision)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("meeting.%")))
            or 0,
        )


def test_a_document_s_type_is_judged_by_its_name_and_its_bytes() -> None:
    assert document_kind("纪要.pdf", PDF) == "pdf"
    assert document_kind("纪要.DOCX", DOCX) == "docx"
    assert document_kind("纪要.odt", ODT) == "odt"
    assert document_kind("纪要.pdf", b"MZ\x90\x00 an executable") is None
    assert document_kind("纪要.docx", ODT) is None
    assert document_kind("纪要.odt", DOCX) is None
    assert document_kind("纪要.docx", b"PK\x03\x04 broken zip") is None
    assert document_kind("纪要.txt", b"%PDF-1.7") is None
    assert document_kind("纪要", PDF) is None


def test_minutes_are_kept_per_occurrence_replaced_by_a_new_upload_and_audited(
    session_factory: sessionmaker[Session],
) -> None:
    meeting_id = _meeting(session_factory)
    june = dt.date(2026, 6, 10)
    with transaction(session_factory) as session:
        upload_minutes(session, meeting_id, FIRST, "2026年一季度纪要.pdf", PDF, "user:clerk")
        upload_minutes(session, meeting_id, june, "纪要.docx", DOCX, "user:clerk")
        upload_minutes(session, meeting_id, june, "../../etc/纪要.odt", ODT, "user:clerk")  # replaces June's
    with session_factory() as session:
        assert minutes_file(session, meeting_id, FIRST).content == PDF
        replaced = minutes_file(session, meeting_id, june)
        assert (replaced.kind, replaced.filename, replaced.content) == ("odt", "纪要.odt", ODT)
        with pytest.raises(MinutesMissing):
            minutes_file(session, meeting_id, dt.date(2026, 9, 10))
        records = meeting_records(session, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert [(r.date, r.minutes.kind if r.minutes else None) for r in records] == [
            (dt.date(2026, 12, 10), None),
            (dt.date(2026, 9, 10), None),
            (june, "odt"),
            (FIRST, "pdf"),
        ]
    assert _rows(session_factory) == (2, 0, 4)


@pytest.mark.parametrize(
    ("day", "name", "data", "error"),
    [
        (FIRST, "纪要.exe", b"MZ\x90\x00", MinutesType),
        (FIRST, "纪要.pdf", b"<html>not a pdf</html>", MinutesType),
        (FIRST, "纪要.docx", ODT, MinutesType),
        (FIRST, "纪要.pdf", b"", MinutesEmpty),
        (FIRST, "纪要.pdf", PDF + b"0" * MAX_MINUTES_BYTES, MinutesTooLarge),
        (dt.date(2026, 3, 11), "纪要.pdf", PDF, NotAMeetingDate),
    ],
)
def test_a_wrong_upload_is_refused_by_field_and_changes_nothing(
    session_factory: sessionmaker[Session], day: dt.date, name: str, data: bytes, error: type[Exception]
) -> None:
    meeting_id = _meeting(session_factory)
    before = _rows(session_factory)
    with pytest.raises(error) as caught, transaction(session_factory) as session:
        upload_minutes(session, meeting_id, day, name, data, "user:clerk")
    assert getattr(caught.value, "field", None) in ("document", "meeting_date")
    assert _rows(session_factory) == before


def test_decisions_have_an_owner_and_a_due_date_and_are_marked_done(session_factory: sessionmaker[Session]) -> None:
    meeting_id = _meeting(session_factory)
    with transaction(session_factory) as session:
        decision = add_decision(
            session, meeting_id, FIRST, "各县建立接待登记台账", "州司法局律师工作科", dt.date(2026, 4, 30), "user:clerk"
        )
        set_decision_done(session, decision.id, True, "user:clerk")
        decision_id = decision.id
    with pytest.raises(DecisionText), transaction(session_factory) as session:
        add_decision(session, meeting_id, FIRST, " ", "州司法局", dt.date(2026, 4, 30), "user:clerk")
    with pytest.raises(NotAMeetingDate), transaction(session_factory) as session:
        add_decision(session, meeting_id, dt.date(2026, 3, 12), "事项", "州司法局", dt.date(2026, 4, 30), "c")
    with session_factory() as session:
        (record,) = [r for r in meeting_records(session, FIRST, FIRST)]
        assert [(d.id, d.owner, d.done) for d in record.decisions] == [(decision_id, "州司法局律师工作科", True)]
    # Removing the meeting removes its minutes and decisions with it.
    with transaction(session_factory) as session:
        upload_minutes(session, meeting_id, FIRST, "纪要.pdf", PDF, "user:clerk")
        remove_meeting(session, meeting_id, "clerk")
    assert _rows(session_factory)[:2] == (0, 0)
