"""The API's directory: offices, firms, lawyers and their unavailability."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from tests.api.conftest import County, Headers, errors_of
from tests.web.conftest import build_roster
from tests.web.querycount import app_engine, count_queries


def test_anyone_can_list_the_offices_and_read_one(anonymous: FlaskClient, county: County) -> None:
    listed = anonymous.get("/api/v1/offices")
    assert listed.status_code == 200
    assert [o["code"] for o in listed.get_json()] == ["522326"]
    office = anonymous.get("/api/v1/offices/522326").get_json()
    assert office["name"] == "望谟县信访局" and office["window_weekday"] == 2 and office["am_start"] == "09:00"


def test_an_unknown_office_is_a_404_in_json(anonymous: FlaskClient, county: County) -> None:
    for code in ("999999", "x" * 40):
        response = anonymous.get(f"/api/v1/offices/{code}")
        assert response.status_code == 404 and response.get_json()["error"] == 404


def test_anyone_can_list_the_firms_with_their_number_of_lawyers(anonymous: FlaskClient, county: County) -> None:
    firms = anonymous.get("/api/v1/firms").get_json()
    assert sorted(f["lawyers"] for f in firms) == [4, 4]
    assert all(len(f["credit_code"]) == 18 for f in firms)


def test_the_lawyer_list_needs_a_staff_role(
    anonymous: FlaskClient, client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    assert anonymous.get("/api/v1/lawyers").status_code == 401
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert client.get("/api/v1/lawyers", headers=lawyer).status_code == 403
    for role in ("clerk", "planner", "admin"):
        assert client.get("/api/v1/lawyers", headers=basic(role)).status_code == 200


def test_lawyers_come_a_page_at_a_time(client: FlaskClient, basic: Callable[..., Headers], county: County) -> None:
    clerk = basic("clerk")
    first = client.get("/api/v1/lawyers?per_page=3", headers=clerk).get_json()
    last = client.get("/api/v1/lawyers?per_page=3&page=3", headers=clerk).get_json()
    assert (first["total"], first["page"], first["per_page"], len(first["items"])) == (8, 1, 3, 3)
    assert len(last["items"]) == 2
    names = [lw["name"] for lw in first["items"]]
    assert names == sorted(names)


def test_the_search_matches_name_licence_or_firm(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    clerk = basic("clerk")

    def found(q: str) -> list[str]:
        page = client.get("/api/v1/lawyers", query_string={"q": q}, headers=clerk).get_json()
        return [lw["name"] for lw in page["items"]]

    assert found("律师3") == ["律师3"]
    assert len(found("第1律师事务所")) == 4
    assert found("100_%") == []  # LIKE's wildcards are plain characters here
    licence = client.get(f"/api/v1/lawyers/{county.lawyer_ids[5]}", headers=clerk).get_json()["licence_no"]
    assert found(licence) == ["律师5"]


def test_paging_and_search_errors_name_each_bad_parameter(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    response = client.get(
        "/api/v1/lawyers", query_string={"page": "0", "per_page": "1000", "q": "a\x00b"}, headers=basic("clerk")
    )
    errors = errors_of(response)
    assert set(errors) == {"page", "per_page", "q"}
    assert "NUL" in errors["q"]


def test_a_lawyer_shows_contacts_and_standing_but_never_the_calendar_token(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    shown = client.get(f"/api/v1/lawyers/{county.lawyer_ids[0]}", headers=basic("clerk")).get_json()
    assert shown["status"] == "active" and shown["offices"] == ["522326"] and "phone" in shown
    assert "calendar_token" not in shown


def test_a_lawyer_reads_their_own_record_and_no_one_elses(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    me, other = county.lawyer_ids[0], county.lawyer_ids[1]
    lawyer = basic("lawyer", lawyer_id=me)
    assert client.get(f"/api/v1/lawyers/{me}", headers=lawyer).status_code == 200
    assert client.get(f"/api/v1/lawyers/{me}/unavailability", headers=lawyer).status_code == 200
    assert client.get(f"/api/v1/lawyers/{other}", headers=lawyer).status_code == 403
    assert client.get(f"/api/v1/lawyers/{other}/unavailability", headers=lawyer).status_code == 403


def test_unknown_lawyers_are_404_whatever_the_id(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    clerk = basic("clerk")
    for lawyer_id in ("999", "0", "99999999999999999999", "-1"):
        assert client.get(f"/api/v1/lawyers/{lawyer_id}", headers=clerk).status_code == 404
        assert client.get(f"/api/v1/lawyers/{lawyer_id}/unavailability", headers=clerk).status_code == 404


def test_recording_unavailability_proposes_the_repair_of_the_duties_it_hits(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    lawyer = county.team[duty][0]
    clerk = basic("clerk")
    body = {"lawyer_id": lawyer, "start": "2026-03-04", "end": "2026-03-04", "reason": "开庭"}
    response = client.post("/api/v1/unavailability", json=body, headers=clerk)
    assert response.status_code == 201, response.get_json()
    answer = response.get_json()
    (repair,) = answer["proposals"]
    assert repair["kind"] == "repair" and repair["state"] == "open"
    (change,) = repair["changes"]
    assert change["duty_id"] == duty and change["remove"] == [lawyer] and len(change["add"]) == 1
    spans = client.get(f"/api/v1/lawyers/{lawyer}/unavailability", headers=clerk).get_json()
    assert [(s["start"], s["end"], s["reason"]) for s in spans] == [("2026-03-04", "2026-03-04", "开庭")]


def test_unavailability_outside_the_published_rosters_proposes_nothing(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    body = {"lawyer_id": county.lawyer_ids[0], "start": "2026-06-01", "end": "2026-06-05"}
    response = client.post("/api/v1/unavailability", json=body, headers=basic("planner"))
    assert response.status_code == 201 and response.get_json()["proposals"] == []


def test_bad_unavailability_names_each_bad_field(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    body = {"lawyer_id": True, "start": "2026-02-30", "end": "tomorrow", "reason": 5, "note": "x"}
    errors = errors_of(client.post("/api/v1/unavailability", json=body, headers=basic("clerk")))
    assert set(errors) == {"lawyer_id", "start", "end", "reason", "note"}
    assert errors["note"] == "is not a field of this request"
    reversed_ = {"lawyer_id": 1, "start": "2026-03-05", "end": "2026-03-04"}
    assert set(errors_of(client.post("/api/v1/unavailability", json=reversed_, headers=basic("clerk")))) == {"end"}


def test_unavailability_of_an_unknown_lawyer_is_a_404(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    body = {"lawyer_id": 4242, "start": "2026-03-04", "end": "2026-03-04"}
    assert client.post("/api/v1/unavailability", json=body, headers=basic("clerk")).status_code == 404


def test_lawyers_may_not_record_unavailability_through_the_api(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    me = county.lawyer_ids[0]
    body = {"lawyer_id": me, "start": "2026-03-04", "end": "2026-03-04"}
    assert client.post("/api/v1/unavailability", json=body, headers=basic("lawyer", lawyer_id=me)).status_code == 403


def test_the_lawyer_list_takes_the_same_number_of_queries_for_few_or_many_lawyers(
    app: Flask, session_factory: sessionmaker[Session], client: FlaskClient, basic: Callable[..., Headers]
) -> None:
    clerk = basic("clerk")
    counts = []
    for size, code, start in ((3, "522301", dt.date(2026, 3, 4)), (40, "522302", dt.date(2026, 4, 1))):
        build_roster(session_factory, lawyers=size, duties=1, code=code, name_prefix=f"L{size}-", start=start)
        with count_queries(app_engine(app)) as counted:
            assert client.get("/api/v1/lawyers?per_page=100", headers=clerk).status_code == 200
        counts.append(counted.count)
    assert counts[0] == counts[1], counts
