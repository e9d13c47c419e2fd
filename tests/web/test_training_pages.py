"""The planner sets up a training, invites and records attendance; the lawyer sees their trainings; staff
upload and download meeting minutes and keep the decisions; refusals change nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from scheduler.attendance.meetings import MeetingSpec, add_meeting
from scheduler.db import transaction
from scheduler.models.records import MeetingDecision, MeetingMinutes, Training, TrainingInvitation
from tests.integration.test_meeting_minutes import DOCX, PDF
from tests.web.conftest import build_roster, csrf_token, post_form

ClientAs = Callable[..., FlaskClient]
MEETING_DAY = dt.date(2026, 2, 10)  # a working Tuesday before the pages' today
TRAINING = {
    "title": "信访法治化专项培训",
    "date": "2026-03-06",
    "start": "09:00",
    "end": "12:00",
    "location": "州司法局三楼",
    "organiser": "州司法局",
    "content": "信访工作条例解读",
}


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_planner_sets_up_invites_and_records_a_training_the_lawyer_sees_it(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    planner = client_as("planner")
    bad = post_form(planner, "/planner/trainings", {**TRAINING, "end": "08:00"})
    assert bad.status_code == 400 and "结束时间" in bad.get_data(as_text=True)
    assert _count(session_factory, Training) == 0
    created = post_form(planner, "/planner/trainings", TRAINING)
    assert created.status_code == 302
    page_url = created.headers["Location"]
    training_id = int(page_url.rstrip("/").rsplit("/", 1)[1])
    nobody = post_form(planner, f"/planner/trainings/{training_id}/invite", {})
    assert nobody.status_code == 400 and "没有选中任何律师" in nobody.get_data(as_text=True)
    invited = post_form(planner, f"/planner/trainings/{training_id}/invite", {"offices": world.office_code})
    assert invited.status_code == 302
    assert _count(session_factory, TrainingInvitation) == len(world.lawyer_ids)
    lawyer = world.lawyer_ids[0]
    early = post_form(
        planner, f"/planner/trainings/{training_id}/attendance", {"lawyer_id": str(lawyer), "status": "attended"}
    )
    assert early.status_code == 400 and "举行后才能登记出勤" in early.get_data(as_text=True)
    app.config["TODAY"] = dt.date(2026, 3, 6)
    done = post_form(
        planner,
        f"/planner/trainings/{training_id}/attendance",
        {"lawyer_id": str(lawyer), "status": "excused", "note": "开庭"},
    )
    assert done.status_code == 302
    page = planner.get(page_url).get_data(as_text=True)
    assert "请假" in page and "开庭" in page
    mine = client_as("lawyer", lawyer_id=lawyer).get("/me/records/trainings").get_data(as_text=True)
    assert "信访法治化专项培训" in mine and "请假" in mine
    assert client_as("clerk").get("/planner/trainings").status_code == 403


def _meeting(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        spec = MeetingSpec("律师参与信访工作联席会议", MEETING_DAY, dt.time(9), dt.time(11))
        return add_meeting(session, spec, "clerk").id


def _upload(client: FlaskClient, meeting_id: int, name: str, data: bytes, day: dt.date) -> TestResponse:
    return client.post(
        f"/clerk/meetings/{meeting_id}/minutes",
        data={"csrf_token": csrf_token(client), "meeting_date": day.isoformat(), "document": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_staff_upload_and_download_minutes_and_a_wrong_file_changes_nothing(
    client: FlaskClient, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    meeting_id = _meeting(session_factory)
    day = MEETING_DAY
    clerk = client_as("clerk")
    assert "律师参与信访工作联席会议" in clerk.get("/clerk/meetings").get_data(as_text=True)
    wrong = _upload(clerk, meeting_id, "纪要.docx", b"MZ\x90\x00 not a document", day)
    assert wrong.status_code == 400 and "只接受 PDF、DOCX 或 ODT" in wrong.get_data(as_text=True)
    assert _count(session_factory, MeetingMinutes) == 0
    assert _upload(clerk, meeting_id, "纪要.docx", DOCX, day).status_code == 302
    url = f"/clerk/meetings/{meeting_id}/minutes/{day.isoformat()}"
    download = clerk.get(url)
    assert download.status_code == 200 and download.data == DOCX
    assert download.headers["Content-Disposition"].startswith("attachment;")
    # Not for the public, nor for lawyers.
    assert client.get(url).status_code in (302, 401)
    lawyer_id = build_roster(session_factory).lawyer_ids[0]
    assert client_as("lawyer", lawyer_id=lawyer_id).get(url).status_code == 403
    assert _upload(clerk, meeting_id, "纪要.pdf", PDF, day).status_code == 302
    assert clerk.get(url).data == PDF


def test_staff_keep_a_meeting_s_decisions(client_as: ClientAs, session_factory: sessionmaker[Session]) -> None:
    meeting_id = _meeting(session_factory)
    day = (MEETING_DAY).isoformat()
    clerk = client_as("clerk")
    missing = post_form(clerk, f"/clerk/meetings/{meeting_id}/decisions", {"meeting_date": day, "text": "建立台账"})
    assert missing.status_code == 400 and _count(session_factory, MeetingDecision) == 0
    added = post_form(
        clerk,
        f"/clerk/meetings/{meeting_id}/decisions",
        {"meeting_date": day, "text": "各县建立接待登记台账", "owner": "州司法局", "due": "2026-04-30"},
    )
    assert added.status_code == 302
    with session_factory() as session:
        decision_id = session.scalars(select(MeetingDecision.id)).one()
    assert post_form(clerk, f"/clerk/decisions/{decision_id}/done").status_code == 302
    page = clerk.get("/clerk/meetings").get_data(as_text=True)
    assert "各县建立接待登记台账" in page and "已完成" in page
