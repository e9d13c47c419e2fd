"""The API of trainings: a planner sets one up, invites lawyers (one by one, or by office) and records
attendance once it is held; a lawyer reads only their own invitations; refusals name the fields and write
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import AuditEvent
from scheduler.models.records import Training, TrainingInvitation
from tests.api.conftest import County, Headers, errors_of

TRAINING_DAY_AFTER = dt.date(2026, 3, 11)
TRAINING = {"title": "信访法律实务培训", "date": "2026-03-10", "start": "09:00", "end": "12:00", "location": "州信访局"}


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_planner_sets_up_invites_and_records_and_a_lawyer_sees_their_own(
    app: Flask,
    client: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
) -> None:
    planner = basic("planner")
    made = client.post("/api/v1/trainings", json=TRAINING, headers=planner)
    assert made.status_code == 201, made.get_data(as_text=True)
    training_id = made.get_json()["id"]
    assert made.get_json()["invitations"] == []
    one = client.post(
        f"/api/v1/trainings/{training_id}/invitations", json={"lawyers": [county.lawyer_ids[0]]}, headers=planner
    )
    assert one.status_code == 200 and [lw["id"] for lw in one.get_json()["invited"]] == [county.lawyer_ids[0]]
    everyone = client.post(
        f"/api/v1/trainings/{training_id}/invitations", json={"offices": ["522326"]}, headers=planner
    ).get_json()
    assert len(everyone["invited"]) == len(county.lawyer_ids) - 1  # the first was invited before
    assert len(everyone["training"]["invitations"]) == len(county.lawyer_ids)
    # Before the day: attendance is refused; after it, recorded.
    early = client.post(
        f"/api/v1/trainings/{training_id}/attendance",
        json={"lawyer_id": county.lawyer_ids[0], "status": "attended"},
        headers=planner,
    )
    assert early.status_code == 400
    app.config["TODAY"] = TRAINING_DAY_AFTER
    done = client.post(
        f"/api/v1/trainings/{training_id}/attendance",
        json={"lawyer_id": county.lawyer_ids[0], "status": "attended", "note": "全程参加"},
        headers=planner,
    )
    assert done.status_code == 200 and done.get_json()["status"] == "attended"
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    (mine,) = client.get("/api/v1/trainings", headers=lawyer).get_json()["items"]
    assert mine["id"] == training_id and [i["status"] for i in mine["invitations"]] == ["attended"]
    listed = client.get("/api/v1/trainings", headers=planner).get_json()["items"]
    assert len(listed[0]["invitations"]) == len(county.lawyer_ids)
    with transaction(session_factory) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"training.add", "training.invite", "training.attendance"} <= actions


def test_training_refusals(
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
) -> None:
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert anonymous.post("/api/v1/trainings", json=TRAINING).status_code == 401
    assert client.post("/api/v1/trainings", json=TRAINING, headers=basic("clerk")).status_code == 403
    assert client.post("/api/v1/trainings", json=TRAINING, headers=lawyer).status_code == 403
    assert client.get("/api/v1/trainings", headers=basic("clerk")).status_code == 403
    planner = basic("planner")
    bad = client.post(
        "/api/v1/trainings", json={"title": "", "date": "2026-02-30", "start": "9", "end": "12:00"}, headers=planner
    )
    assert set(errors_of(bad)) == {"title", "date", "start"}
    reversed_hours = client.post("/api/v1/trainings", json=TRAINING | {"end": "08:00"}, headers=planner)
    assert reversed_hours.status_code == 400
    assert _count(session_factory, Training) == 0
    training_id = client.post("/api/v1/trainings", json=TRAINING, headers=planner).get_json()["id"]
    url = f"/api/v1/trainings/{training_id}/invitations"
    assert client.post(url, json={"lawyers": [county.lawyer_ids[0]]}, headers=lawyer).status_code == 403
    assert client.post(url, json={}, headers=planner).status_code == 400  # nobody chosen
    assert client.post(url, json={"offices": ["999999"]}, headers=planner).status_code == 404
    assert set(errors_of(client.post(url, json={"lawyers": [0]}, headers=planner))) == {"lawyers"}
    assert client.post("/api/v1/trainings/999/invitations", json={"lawyers": [1]}, headers=planner).status_code == 404
    assert _count(session_factory, TrainingInvitation) == 0
    status = client.post(
        f"/api/v1/trainings/{training_id}/attendance",
        json={"lawyer_id": county.lawyer_ids[0], "status": "present"},
        headers=planner,
    )
    assert "status" in errors_of(status)
