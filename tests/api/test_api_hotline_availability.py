"""The API of the hotline and of lawyers' availability requests: the same use cases as the pages, roles as
the pages have them, office scope on a hotline, audit, and a refused body writes nothing."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import AuditEvent, Hotline, Office, Unavailability
from scheduler.models.availability import AvailabilityRequest, RequestWindow
from tests.api.conftest import County, Headers, basic_header, errors_of
from tests.web.conftest import TEST_PASSWORD

HOTLINE = {"phone": "0859-1234567", "mailbox": "zixun@example.cn", "weekdays": [0, 2], "start": "09:00", "end": "12:00"}
WINDOW = {"period_start": "2026-04-01", "period_end": "2026-04-30", "opens": "2026-02-01", "deadline": "2026-03-20"}


def _count(session_factory: sessionmaker[Session], model: type) -> int:
    with transaction(session_factory) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _actions(session_factory: sessionmaker[Session]) -> list[str]:
    with transaction(session_factory) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_planner_sets_a_hotline_and_anyone_reads_it(
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
) -> None:
    planner = basic("planner")
    answer = client.put("/api/v1/hotlines/522326", json=HOTLINE, headers=planner)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    assert answer.get_json()["pattern"] == "1,3" and answer.get_json()["mailbox"] == "zixun@example.cn"
    assert "hotline.set" in _actions(session_factory)
    listed = anonymous.get("/api/v1/hotlines")
    assert listed.status_code == 200
    (line,) = listed.get_json()["hotlines"]
    assert line["phone"] == "0859-1234567" and line["office"]["code"] == "522326" and line["today"] is None
    # PUT again changes it: still one hotline.
    again = client.put("/api/v1/hotlines/522326", json=HOTLINE | {"phone": "0859-7654321"}, headers=planner)
    assert again.status_code == 200 and _count(session_factory, Hotline) == 1


def test_hotline_refusals_name_the_fields_and_write_nothing(
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
    make_account: Callable[..., int],
) -> None:
    assert anonymous.put("/api/v1/hotlines/522326", json=HOTLINE).status_code == 401
    assert client.put("/api/v1/hotlines/522326", json=HOTLINE, headers=basic("clerk")).status_code == 403
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert client.put("/api/v1/hotlines/522326", json=HOTLINE, headers=lawyer).status_code == 403
    planner = basic("planner")
    assert client.put("/api/v1/hotlines/999999", json=HOTLINE, headers=planner).status_code == 404
    bad = client.put(
        "/api/v1/hotlines/522326", json={"phone": "", "weekdays": [9], "needed": 0, "start": "9h"}, headers=planner
    )
    assert set(errors_of(bad)) == {"phone", "weekdays", "needed", "start"}
    reversed_hours = client.put("/api/v1/hotlines/522326", json=HOTLINE | {"end": "08:00"}, headers=planner)
    assert "end" in errors_of(reversed_hours)
    bad_mail = client.put("/api/v1/hotlines/522326", json=HOTLINE | {"mailbox": "not a mailbox"}, headers=planner)
    assert "mailbox" in errors_of(bad_mail)
    # A planner of another office may not set this office's hotline.
    with transaction(session_factory) as session:
        other = Office(code="522301", name="兴义市信访局")
        session.add(other)
        session.flush()
        other_id = other.id
    make_account("planner", username="api-other-planner", office_ids=[other_id])
    outsider = basic_header("api-other-planner", TEST_PASSWORD)
    assert client.put("/api/v1/hotlines/522326", json=HOTLINE, headers=outsider).status_code == 403
    assert _count(session_factory, Hotline) == 0 and "hotline.set" not in _actions(session_factory)


def test_a_lawyer_asks_and_a_planner_decides(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    opened = client.post("/api/v1/request-windows", json=WINDOW, headers=planner)
    assert opened.status_code == 201, opened.get_data(as_text=True)
    window_id = opened.get_json()["id"]
    assert opened.get_json()["accepting"] is True
    assert client.get("/api/v1/request-windows", headers=planner).get_json()["windows"][0]["id"] == window_id
    me, other = county.lawyer_ids[0], county.lawyer_ids[1]
    lawyer = basic("lawyer", lawyer_id=me)
    days_off = {
        "window_id": window_id,
        "kind": "unavailable",
        "start": "2026-04-08",
        "end": "2026-04-09",
        "reason": "开庭",
    }
    sent = client.post("/api/v1/availability-requests", json=days_off, headers=lawyer)
    assert sent.status_code == 201, sent.get_data(as_text=True)
    assert sent.get_json()["state"] == "pending" and sent.get_json()["lawyer"]["id"] == me
    wishes = {"window_id": window_id, "kind": "weekdays", "preferred": [2], "undesired": [4]}
    second = client.post("/api/v1/availability-requests", json=wishes, headers=lawyer)
    assert second.status_code == 201
    theirs = client.post("/api/v1/availability-requests", json=wishes, headers=basic("lawyer", lawyer_id=other))
    assert theirs.status_code == 201
    # A lawyer reads only their own; a planner the window's.
    own = client.get("/api/v1/availability-requests", headers=lawyer).get_json()["requests"]
    assert {r["lawyer"]["id"] for r in own} == {me} and len(own) == 2
    every = client.get(f"/api/v1/availability-requests?window_id={window_id}", headers=planner).get_json()
    assert len(every["requests"]) == 3 and every["window"]["id"] == window_id
    approved = client.post(f"/api/v1/availability-requests/{sent.get_json()['id']}/approve", headers=planner)
    assert approved.status_code == 200 and approved.get_json()["request"]["state"] == "approved"
    declined = client.post(
        f"/api/v1/availability-requests/{second.get_json()['id']}/decline", json={"reason": "人手紧张"}, headers=planner
    )
    assert declined.status_code == 200 and declined.get_json()["request"]["decision_reason"] == "人手紧张"
    again = client.post(f"/api/v1/availability-requests/{sent.get_json()['id']}/approve", headers=planner)
    assert again.status_code == 409
    with transaction(session_factory) as session:
        assert session.scalar(select(func.count()).select_from(Unavailability).where(Unavailability.lawyer_id == me))
    actions = _actions(session_factory)
    assert {"availability.window", "availability.request"} <= set(actions)


def test_availability_refusals(
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
) -> None:
    planner = basic("planner")
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert anonymous.post("/api/v1/request-windows", json=WINDOW).status_code == 401
    assert client.post("/api/v1/request-windows", json=WINDOW, headers=basic("clerk")).status_code == 403
    assert client.post("/api/v1/request-windows", json=WINDOW, headers=lawyer).status_code == 403
    assert client.get("/api/v1/availability-requests", headers=basic("clerk")).status_code == 403
    bad_window = client.post(
        "/api/v1/request-windows", json=WINDOW | {"deadline": "2026-04-02", "opens": "x"}, headers=planner
    )
    assert "opens" in errors_of(bad_window)
    late = client.post("/api/v1/request-windows", json=WINDOW | {"deadline": "2026-04-02"}, headers=planner)
    assert late.status_code == 400
    assert _count(session_factory, RequestWindow) == 0
    # A closed window: its deadline has passed (today is 2026-02-20).
    closed = WINDOW | {"opens": "2026-01-01", "deadline": "2026-02-10"}
    window_id = client.post("/api/v1/request-windows", json=closed, headers=planner).get_json()["id"]
    days_off = {
        "window_id": window_id,
        "kind": "unavailable",
        "start": "2026-04-08",
        "end": "2026-04-08",
        "reason": "x",
    }
    assert client.post("/api/v1/availability-requests", json=days_off, headers=lawyer).status_code == 409
    assert client.post("/api/v1/availability-requests", json=days_off, headers=planner).status_code == 403
    bad = client.post(
        "/api/v1/availability-requests",
        json={"window_id": 0, "kind": "maybe", "start": "2026-04-09", "end": "2026-04-08"},
        headers=lawyer,
    )
    assert {"window_id", "kind", "end"} <= set(errors_of(bad))
    assert _count(session_factory, AvailabilityRequest) == 0
    assert (
        client.post("/api/v1/availability-requests/999/decline", json={"reason": "x"}, headers=planner).status_code
        == 404
    )
    # Declining needs a reason the lawyer reads.
    client.post(
        "/api/v1/request-windows",
        json=WINDOW | {"period_start": "2026-05-01", "period_end": "2026-05-31"},
        headers=planner,
    )
    open_id = client.get("/api/v1/request-windows", headers=planner).get_json()["windows"][0]["id"]
    wishes = {"window_id": open_id, "kind": "weekdays", "preferred": [2]}
    request_id = client.post("/api/v1/availability-requests", json=wishes, headers=lawyer).get_json()["id"]
    blank = client.post(f"/api/v1/availability-requests/{request_id}/decline", json={"reason": "  "}, headers=planner)
    assert "reason" in errors_of(blank)
    assert (
        client.post(
            f"/api/v1/availability-requests/{request_id}/decline", json={"reason": "x"}, headers=lawyer
        ).status_code
        == 403
    )
    with transaction(session_factory) as session:
        assert session.get_one(AvailabilityRequest, request_id).state == "pending"
