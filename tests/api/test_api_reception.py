"""The API of the reception log: a lawyer logs and removes their own consultations on duties they served,
a clerk logs for them on the offices it holds, a planner reads the month's statistics; refusals name the
fields and write nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.consultations import categories
from scheduler.db import transaction
from scheduler.models import AuditEvent, Office
from scheduler.models.records import Consultation
from tests.api.conftest import Headers, basic_header, errors_of
from tests.integration.attendance_fixtures import RECORDED_ON, recorded_county

MARCH_4, MARCH_11 = dt.date(2026, 3, 4), dt.date(2026, 3, 11)


def _count(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Consultation)) or 0


def _category_id(factory: sessionmaker[Session], name: str) -> int:
    with transaction(factory) as session:
        return next(c.id for c in categories(session) if c.name == name)


def _body(duty_id: int, category_id: int, **more: object) -> dict[str, object]:
    return {
        "duty_id": duty_id,
        "time": "09:40",
        "visitors": 2,
        "category_id": category_id,
        "referral": "legal_aid",
    } | more


def test_a_lawyer_logs_reads_and_removes_their_own(
    app: Flask, client: FlaskClient, basic: Callable[..., Headers], session_factory: sessionmaker[Session]
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    labour = _category_id(session_factory, "劳动争议")
    substitute = basic("lawyer", lawyer_id=county.lawyers[4])
    listed = client.get("/api/v1/consultation-categories", headers=substitute).get_json()["categories"]
    assert "劳动争议" in {c["name"] for c in listed}
    # Lawyer 4 served 03-11 as the substitute of lawyer 3.
    made = client.post("/api/v1/consultations", json=_body(county.duties[MARCH_11], labour), headers=substitute)
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["lawyer"]["id"] == county.lawyers[4] and made.get_json()["category"] == "劳动争议"
    mine = client.get("/api/v1/consultations?from=2026-03-01&to=2026-04-10", headers=substitute).get_json()
    assert [c["id"] for c in mine["items"]] == [made.get_json()["id"]]
    other = basic("lawyer", lawyer_id=county.lawyers[0])
    assert client.get("/api/v1/consultations?from=2026-03-01&to=2026-04-10", headers=other).get_json()["items"] == []
    assert client.get(f"/api/v1/consultations?lawyer={county.lawyers[4]}", headers=other).status_code == 403
    # Another lawyer cannot remove it (it is not theirs: 404); its lawyer can.
    url = f"/api/v1/consultations/{made.get_json()['id']}"
    assert client.delete(url, headers=other).status_code == 404
    removed = client.delete(url, headers=substitute)
    assert removed.status_code == 200 and removed.get_json()["deleted"] is True
    assert _count(session_factory) == 0
    with transaction(session_factory) as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert {"reception.record", "reception.remove"} <= set(actions)


def test_a_clerk_logs_for_a_lawyer_and_a_planner_reads_the_month(
    app: Flask, client: FlaskClient, basic: Callable[..., Headers], session_factory: sessionmaker[Session]
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    labour = _category_id(session_factory, "劳动争议")
    clerk = basic("clerk")
    body = _body(county.duties[MARCH_4], labour, lawyer_id=county.lawyers[1], visitors=3)
    made = client.post("/api/v1/consultations", json=body, headers=clerk)
    assert made.status_code == 201, made.get_data(as_text=True)
    assert (
        len(client.get("/api/v1/consultations?from=2026-03-01&to=2026-03-31", headers=clerk).get_json()["items"]) == 1
    )
    planner = basic("planner")
    stats = client.get("/api/v1/consultations/stats?month=2026-03", headers=planner).get_json()
    assert stats["total"]["consultations"] == 1 and stats["total"]["visitors"] == 3
    assert stats["total"]["by_category"] == {"劳动争议": 1} and stats["total"]["by_referral"] == {"legal_aid": 1}
    assert client.get("/api/v1/consultations/stats?month=2026-03", headers=clerk).status_code == 403


def test_refusals_name_the_fields_and_write_nothing(
    app: Flask,
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    session_factory: sessionmaker[Session],
    make_account: Callable[..., int],
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    labour = _category_id(session_factory, "劳动争议")
    served = _body(county.duties[MARCH_4], labour)
    assert anonymous.post("/api/v1/consultations", json=served).status_code == 401
    assert anonymous.get("/api/v1/consultations").status_code == 401
    lawyer = basic("lawyer", lawyer_id=county.lawyers[0])
    # For another lawyer: 403; on a duty not served (lawyer 2 was absent on 03-11): 400.
    assert (
        client.post("/api/v1/consultations", json=served | {"lawyer_id": county.lawyers[1]}, headers=lawyer).status_code
        == 403
    )
    absent = basic("lawyer", lawyer_id=county.lawyers[2])
    assert (
        client.post("/api/v1/consultations", json=_body(county.duties[MARCH_11], labour), headers=absent).status_code
        == 400
    )
    bad = client.post(
        "/api/v1/consultations",
        json={"duty_id": 0, "time": "9:4", "visitors": 0, "category_id": labour, "referral": "court"},
        headers=lawyer,
    )
    assert set(errors_of(bad)) == {"duty_id", "time", "visitors", "referral"}
    clerk = basic("clerk")
    assert "lawyer_id" in errors_of(client.post("/api/v1/consultations", json=served, headers=clerk))
    reversed_span = client.get("/api/v1/consultations?from=2026-04-01&to=2026-03-01", headers=clerk)
    assert "to" in errors_of(reversed_span)
    assert "month" in errors_of(client.get("/api/v1/consultations/stats?month=2026-13", headers=basic("planner")))
    # A clerk of another office: 403 on this office's duty, and its list does not show this office's records.
    with transaction(session_factory) as session:
        other = Office(code="522301", name="兴义市信访局")
        session.add(other)
        session.flush()
        other_id = other.id
    make_account("clerk", username="api-other-clerk", office_ids=[other_id])
    outsider = basic_header("api-other-clerk")
    with_lawyer = served | {"lawyer_id": county.lawyers[0]}
    assert client.post("/api/v1/consultations", json=with_lawyer, headers=outsider).status_code == 403
    assert _count(session_factory) == 0
    made = client.post("/api/v1/consultations", json=served, headers=lawyer).get_json()
    assert client.get("/api/v1/consultations?from=2026-03-01&to=2026-03-31", headers=outsider).get_json()["items"] == []
    assert client.delete(f"/api/v1/consultations/{made['id']}", headers=outsider).status_code == 403
    assert _count(session_factory) == 1
