"""The API of joint meetings' decisions: staff add a decision of a meeting's occurrence and mark it carried
out; lawyers may not; a day the meeting is not held, or blank text, is refused and writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.meetings import MeetingSpec, add_meeting
from scheduler.db import transaction
from scheduler.models import AuditEvent
from scheduler.models.records import MeetingDecision
from tests.api.conftest import County, Headers, errors_of

MEETING_DAY = dt.date(2026, 2, 10)  # a working Tuesday before the tests' today
DECISION = {
    "meeting_date": MEETING_DAY.isoformat(),
    "text": "各县建立接待登记台账",
    "owner": "州司法局",
    "due": "2026-04-30",
}


def _meeting(factory: sessionmaker[Session]) -> int:
    with transaction(factory) as session:
        spec = MeetingSpec("律师参与信访工作联席会议", MEETING_DAY, dt.time(9), dt.time(11))
        return add_meeting(session, spec, "clerk").id


def _decisions(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(MeetingDecision)) or 0


def test_staff_keep_a_meeting_s_decisions(
    client: FlaskClient, basic: Callable[..., Headers], session_factory: sessionmaker[Session]
) -> None:
    meeting_id = _meeting(session_factory)
    clerk = basic("clerk")
    added = client.post(f"/api/v1/meetings/{meeting_id}/decisions", json=DECISION, headers=clerk)
    assert added.status_code == 201, added.get_data(as_text=True)
    decision_id = added.get_json()["id"]
    done = client.patch(f"/api/v1/decisions/{decision_id}", json={"done": True}, headers=clerk)
    assert done.status_code == 200 and done.get_json()["done"] is True
    listed = client.get("/api/v1/meetings?from=2026-02-01&to=2026-02-28", headers=clerk).get_json()["items"]
    (occurrence,) = [r for r in listed if r["date"] == MEETING_DAY.isoformat()]
    assert occurrence["minutes"] is None and [d["text"] for d in occurrence["decisions"]] == ["各县建立接待登记台账"]
    with transaction(session_factory) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"meeting.decision_add", "meeting.decision_done"} <= actions


def test_decision_refusals_write_nothing(
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
) -> None:
    meeting_id = _meeting(session_factory)
    url = f"/api/v1/meetings/{meeting_id}/decisions"
    assert anonymous.post(url, json=DECISION).status_code == 401
    assert client.post(url, json=DECISION, headers=basic("lawyer", lawyer_id=county.lawyer_ids[0])).status_code == 403
    clerk = basic("clerk")
    bad = client.post(url, json=DECISION | {"text": "", "due": "soon"}, headers=clerk)
    assert set(errors_of(bad)) == {"text", "due"}
    not_held = client.post(url, json=DECISION | {"meeting_date": "2026-02-11"}, headers=clerk)
    assert "meeting_date" in errors_of(not_held)
    assert client.post("/api/v1/meetings/999/decisions", json=DECISION, headers=clerk).status_code == 404
    assert client.patch("/api/v1/decisions/999", json={"done": True}, headers=clerk).status_code == 404
    assert _decisions(session_factory) == 0
