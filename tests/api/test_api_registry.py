"""The API's writes to the registry: offices, firms, lawyers (upsert by licence number with the import's checks),
unavailability, leader days and duties; planners only, audited, and nothing written when a body is refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import AuditEvent, Duty, LawFirm, Lawyer, Office, Roster, Unavailability
from scheduler.rosters.proposals import roster_state
from scheduler.rosters.versions import assignments_of
from scheduler.solver.check import check
from tests.api.conftest import County, Headers, errors_of

FIRM = "贵州第0律师事务所"  # a firm of the county fixture


def _count(session_factory: sessionmaker[Session], model: type) -> int:
    with transaction(session_factory) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _actions(session_factory: sessionmaker[Session]) -> list[str]:
    with transaction(session_factory) as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_only_planners_write_the_registry(
    client: FlaskClient, anonymous: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    body = {"name": "示例律师事务所", "credit_code": "31520000MD0123456X"}
    assert anonymous.post("/api/v1/firms", json=body).status_code == 401
    assert client.post("/api/v1/firms", json=body, headers=basic("clerk")).status_code == 403
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert client.put("/api/v1/lawyers", json={"lawyers": []}, headers=lawyer).status_code == 403
    assert client.post("/api/v1/firms", json=body, headers=basic("planner")).status_code == 201


def test_an_office_is_created_and_changed_field_by_field(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    made = client.post(
        "/api/v1/offices",
        json={"code": "522399", "name": "示例县信访局", "window_weekday": 3, "am_start": "08:30", "am_end": "12:00"},
        headers=planner,
    )
    assert made.status_code == 201, made.get_data(as_text=True)
    assert (made.get_json()["window_weekday"], made.get_json()["am_start"]) == (3, "08:30")
    changed = client.patch(
        "/api/v1/offices/522399", json={"pm_start": "14:30", "pm_end": "17:30"}, headers=planner
    ).get_json()
    assert (changed["name"], changed["window_weekday"], changed["pm_end"]) == ("示例县信访局", 3, "17:30")
    cleared = client.patch("/api/v1/offices/522399", json={"pm_start": None, "pm_end": None}, headers=planner)
    assert cleared.get_json()["pm_start"] is None
    assert _actions(session_factory)[-3:] == ["office.create", "office.update", "office.update"]


def test_a_bad_office_is_refused_and_nothing_is_written(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    before = _count(session_factory, Office)
    taken = errors_of(client.post("/api/v1/offices", json={"code": "522326", "name": "重复"}, headers=planner))
    assert "code" in taken
    reversed_ = client.post(
        "/api/v1/offices", json={"code": "522398", "name": "x", "am_start": "12:00", "am_end": "09:00"}, headers=planner
    )
    assert "am_end" in errors_of(reversed_)
    assert client.patch("/api/v1/offices/000000", json={"name": "x"}, headers=planner).status_code == 404
    assert _count(session_factory, Office) == before


def test_lawyers_are_upserted_by_licence_number_with_the_import_checks(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    with transaction(session_factory) as session:
        known = session.get(Lawyer, county.lawyer_ids[0])
        assert known is not None
        known_licence, known_name = known.licence_no, known.name
    new_licence = make_licence("5223", 2015, 1, 900)
    body = {
        "lawyers": [
            {"licence_no": known_licence, "name": known_name, "firm": FIRM, "first_practice_year": 2010, "phone": "1"},
            {
                "licence_no": new_licence,
                "name": "新律师",
                "firm": "新开律师事务所",
                "firm_credit_code": "31522326MD0000099X",
                "first_practice_year": 2015,
                "offices": ["522326"],
                "preferred_weekdays": ["周三"],
                "languages": ["布依语"],
            },
        ],
        "reason": "与律师管理系统同步",
    }
    answer = client.put("/api/v1/lawyers", json=body, headers=planner)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    outcome = answer.get_json()
    assert (outcome["created"], outcome["updated"], outcome["firms_created"]) == (1, 1, 1)
    with transaction(session_factory) as session:
        new = session.scalars(select(Lawyer).where(Lawyer.licence_no == new_licence)).one()
        assert outcome["lawyer_ids"] == [county.lawyer_ids[0], new.id]
        assert (new.preferred_weekdays, new.languages, [o.code for o in new.offices]) == ([2], ["buyi"], ["522326"])
        assert session.get(Lawyer, county.lawyer_ids[0]).phone == "1"  # type: ignore[union-attr]
    again = client.put("/api/v1/lawyers", json=body, headers=planner).get_json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert _actions(session_factory).count("lawyers.create") == 1


def test_every_bad_lawyer_field_is_named_and_nothing_is_written(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    lawyers, firms, events = (_count(session_factory, m) for m in (Lawyer, LawFirm, AuditEvent))
    good = make_licence("5223", 2015, 1, 901)
    body = {
        "lawyers": [
            {"licence_no": good, "name": "甲", "firm": FIRM, "first_practice_year": 2015},
            {"licence_no": "123", "name": "乙", "firm": "无名所", "first_practice_year": 1800},
            {"licence_no": good, "name": "丙", "firm": FIRM, "first_practice_year": 2015, "offices": ["nowhere"]},
            {"licence_no": make_licence("5223", 2015, 1, 902), "firm": FIRM, "first_practice_year": 2015},
        ]
    }
    errors = errors_of(client.put("/api/v1/lawyers", json=body, headers=planner))
    assert {"lawyers[1].licence_no", "lawyers[1].first_practice_year", "lawyers[1].firm"} <= set(errors)
    assert {"lawyers[2].licence_no", "lawyers[2].offices", "lawyers[3].name"} <= set(errors)
    assert "lawyers[0].licence_no" not in errors
    assert (_count(session_factory, Lawyer), _count(session_factory, LawFirm)) == (lawyers, firms)
    assert _count(session_factory, AuditEvent) == events
    shape = errors_of(client.put("/api/v1/lawyers", json={"lawyers": [{"name": "x"}]}, headers=planner))
    assert "lawyers" in shape  # pydantic's own check: the licence number is required


def test_one_lawyer_is_upserted_by_licence_number_field_by_field(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    lawyer_id = county.lawyer_ids[1]
    with transaction(session_factory) as session:
        licence = session.get(Lawyer, lawyer_id).licence_no  # type: ignore[union-attr]
    changed = client.put(f"/api/v1/lawyers/by-licence/{licence}", json={"max_per_month": 2}, headers=planner)
    assert changed.status_code == 200, changed.get_data(as_text=True)
    assert changed.get_json()["id"] == lawyer_id
    with transaction(session_factory) as session:
        lawyer = session.get(Lawyer, lawyer_id)
        assert lawyer is not None and lawyer.max_per_month == 2
    clash = {"preferred_weekdays": "周三", "undesired_weekdays": "周三"}
    url = f"/api/v1/lawyers/by-licence/{licence}"
    assert "undesired_weekdays" in errors_of(client.put(url, json=clash, headers=planner))
    new = make_licence("5223", 2016, 2, 903)
    missing = errors_of(client.put(f"/api/v1/lawyers/by-licence/{new}", json={"name": "新人"}, headers=planner))
    assert "first_practice_year" in missing
    made = client.put(
        f"/api/v1/lawyers/by-licence/{new}",
        json={"name": "新人", "firm": FIRM, "first_practice_year": 2016},
        headers=planner,
    )
    assert made.status_code == 200 and made.get_json()["licence_no"] == new
    assert "licence_no" in errors_of(client.put("/api/v1/lawyers/by-licence/123", json={}, headers=planner))


def test_unavailability_is_corrected_with_repairs_and_deleted(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    first = county.duty_ids[0]
    lawyer_id = county.team[first][0]
    with transaction(session_factory) as session:
        duty = session.get(Duty, first)
        assert duty is not None
        day = duty.date
    made = client.post(
        "/api/v1/unavailability",
        json={"lawyer_id": lawyer_id, "start": str(day - dt.timedelta(days=3)), "end": str(day - dt.timedelta(days=2))},
        headers=planner,
    ).get_json()
    assert made["proposals"] == []
    with transaction(session_factory) as session:
        span_id = session.scalars(select(Unavailability.id).where(Unavailability.lawyer_id == lawyer_id)).one()
    moved = client.patch(f"/api/v1/unavailability/{span_id}", json={"end": str(day)}, headers=planner)
    assert moved.status_code == 200, moved.get_data(as_text=True)
    proposals = moved.get_json()["proposals"]
    assert proposals and any(lawyer_id in c["remove"] for p in proposals for c in p["changes"])
    reversed_ = client.patch(
        f"/api/v1/unavailability/{span_id}", json={"end": str(day - dt.timedelta(days=9))}, headers=planner
    )
    assert reversed_.status_code == 400
    assert client.delete(f"/api/v1/unavailability/{span_id}", headers=planner).get_json()["deleted"] is True
    assert client.delete(f"/api/v1/unavailability/{span_id}", headers=planner).status_code == 404
    assert {"unavailability.update", "unavailability.delete"} <= set(_actions(session_factory))


def test_a_leader_day_added_to_a_published_period_is_staffed_and_checked(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    with transaction(session_factory) as session:
        duty = session.get(Duty, county.duty_ids[1])
        assert duty is not None
        thursday = duty.date + dt.timedelta(days=1)
    answer = client.post(
        "/api/v1/leader-days",
        json={"office": "522326", "date": str(thursday), "min_years": 0, "note": "县长接待", "accept": True},
        headers=planner,
    )
    assert answer.status_code == 201, answer.get_data(as_text=True)
    result = answer.get_json()
    assert result["duty"]["duty_type"] == "leader_day" and result["version"] == 2
    with transaction(session_factory) as session:
        roster = session.scalars(select(Roster).where(Roster.status == "published")).one()
        table = assignments_of(roster)
        assert len(table[result["duty"]["id"]]) == 1
        state = roster_state(session, roster, thursday - dt.timedelta(days=30))
        assert check(state.problem, state.assignments).violations == ()
    twice = client.post(
        "/api/v1/leader-days", json={"office": "522326", "date": str(thursday), "min_years": 0}, headers=planner
    )
    assert twice.status_code == 400


def test_a_duty_is_moved_and_cancelled_as_new_versions(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    last = county.duty_ids[-1]
    with transaction(session_factory) as session:
        duty = session.get(Duty, last)
        assert duty is not None
        day = duty.date
    moved = client.patch(
        f"/api/v1/duties/{last}", json={"date": str(day + dt.timedelta(days=1)), "reason": "闭馆调整"}, headers=planner
    )
    assert moved.status_code == 200, moved.get_data(as_text=True)
    assert moved.get_json()["duty"]["date"] == str(day + dt.timedelta(days=1)) and moved.get_json()["version"] == 2
    assert "reason" in errors_of(client.patch(f"/api/v1/duties/{last}", json={"reason": ""}, headers=planner))
    cancelled = client.post(f"/api/v1/duties/{last}/cancel", json={"reason": "停电"}, headers=planner).get_json()
    assert cancelled["duty"]["cancelled"] is True and cancelled["version"] == 3
    assert client.post(f"/api/v1/duties/{last}/cancel", json={"reason": "再次"}, headers=planner).status_code == 409
    assert client.patch("/api/v1/duties/999999", json={"reason": "x"}, headers=planner).status_code == 404


def test_window_duties_are_created_for_a_period(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    planner = basic("planner")
    before = _count(session_factory, Duty)
    made = client.post("/api/v1/duties", json={"from": "2026-04-01", "to": "2026-04-30"}, headers=planner)
    assert made.status_code == 201, made.get_data(as_text=True)
    assert made.get_json()["created"] == 5  # the Wednesdays of April 2026
    assert _count(session_factory, Duty) == before + 5
    assert "offices" in errors_of(
        client.post(
            "/api/v1/duties", json={"from": "2026-04-01", "to": "2026-04-30", "offices": ["x"]}, headers=planner
        )
    )
