"""Joint meetings (联席会议) appear in the office and prefecture feeds, and their changes reach calendars."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from scheduler.attendance.meetings import MeetingSpec, add_meeting, change_meeting
from scheduler.config import Settings
from scheduler.web import create_app
from tests.integration.calendar_fixtures import FIRST_ROSTER, T0, build_world, calendar_settings, events_by_uid
from tests.integration.calendar_fixtures import publish_and_sync as _publish_and_sync


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return calendar_settings(db_url, tmp_path)


@pytest.fixture
def client(session: Session, settings: Settings) -> Iterator[FlaskClient]:
    world = build_world(session)
    session.commit()
    _publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    # Feeds show the meetings of the last quarter and the coming year, counted from the real today.
    day = dt.date.today() + dt.timedelta(days=10)
    add_meeting(
        session,
        MeetingSpec(
            "律师参与信访工作联席会议", day, dt.time(9), dt.time(11), location="州司法局三楼", recurrence="quarterly"
        ),
        "planner",
        allow_day_off=True,  # the date follows the real today, whatever day it is
    )
    add_meeting(
        session,
        MeetingSpec("兴义市季度会商", day, dt.time(15), dt.time(16), office_code="522301"),
        "planner",
        allow_day_off=True,
    )
    session.commit()
    app: Flask = create_app({"SETTINGS": settings, "TESTING": True, "AUTO_MIGRATE": False})
    yield app.test_client()
    app.extensions["scheduler.sessions"].kw["bind"].dispose()


def _meetings(data: bytes) -> dict[str, str]:
    return {uid: str(e["SUMMARY"]) for uid, e in events_by_uid(data).items() if uid.startswith("meeting-")}


def test_an_office_feed_shows_its_own_and_the_prefecture_wide_meetings(client: FlaskClient) -> None:
    xingyi = _meetings(client.get("/calendars/office/522301.ics").data)
    puan = _meetings(client.get("/calendars/office/522323.ics").data)
    everything = _meetings(client.get("/calendars/prefecture.ics").data)
    assert any("兴义市季度会商" in s for s in xingyi.values())
    assert any("律师参与信访工作联席会议" in s for s in xingyi.values())
    assert not any("兴义市季度会商" in s for s in puan.values())
    assert any("律师参与信访工作联席会议" in s for s in puan.values())
    # Quarterly: this quarter's and the next ones within the year shown.
    assert sum("律师参与信访工作联席会议" in s for s in everything.values()) >= 4
    assert set(xingyi) <= set(everything)


def test_a_meeting_event_says_where_and_when_and_a_change_raises_its_sequence(
    client: FlaskClient, session: Session
) -> None:
    first = client.get("/calendars/office/522301.ics")
    assert client.get("/calendars/office/522301.ics").data == first.data  # unchanged: byte-identical
    uid, event = next((u, e) for u, e in events_by_uid(first.data).items() if "会商" in str(e["SUMMARY"]))
    assert "州司法局三楼" not in str(event.get("LOCATION", ""))
    assert str(event["STATUS"]) == "CONFIRMED" and int(event["SEQUENCE"]) == 0
    meeting_id = int(uid.split("-")[1])
    day = event.decoded("DTSTART").date()
    change_meeting(
        session,
        meeting_id,
        MeetingSpec("兴义市季度会商", day, dt.time(14), dt.time(16), location="兴义市信访局二楼", office_code="522301"),
        "planner",
        allow_day_off=True,
    )
    session.commit()
    second = client.get("/calendars/office/522301.ics", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200
    moved = events_by_uid(second.data)[uid]
    assert int(moved["SEQUENCE"]) > 0 and "兴义市信访局二楼" in str(moved["LOCATION"])
    assert moved.decoded("DTSTART").hour == 14
