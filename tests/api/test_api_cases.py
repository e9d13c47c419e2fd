"""The API of entrusted cases: staff record a case, change it, read suggestions, assign lawyers, file an
opinion (base64, checked as the upload page checks it) and move the status; the case's lawyers download
the opinion, other lawyers cannot; another office's staff get 403; refusals write nothing."""

from __future__ import annotations

import base64
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import AuditEvent, Office
from scheduler.models.casework import CaseOpinion, EntrustedCase
from tests.api.conftest import County, Headers, basic_header, errors_of

PDF = b"%PDF-1.7\n%%EOF\n"
CASE = {
    "title": "某村征地补偿争议",
    "category": "土地征收",
    "office": "522326",
    "leader": "副县长 王某",
    "entrusted_on": "2026-02-20",
    "due_date": "2026-03-20",
}


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def _opinion(content: bytes, filename: str = "意见书.pdf") -> dict[str, str]:
    return {"filename": filename, "content_base64": base64.b64encode(content).decode()}


def test_a_case_from_entrusting_to_closing(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    clerk = basic("clerk")
    made = client.post("/api/v1/cases", json=CASE, headers=clerk)
    assert made.status_code == 201, made.get_data(as_text=True)
    case = made.get_json()
    assert case["number"] == "委托2026-001" and case["status"] == "accepted"
    url = f"/api/v1/cases/{case['id']}"
    changed = client.patch(url, json={"due_date": "2026-04-10", "reason": "延期"}, headers=clerk)
    assert changed.status_code == 200 and changed.get_json()["due_date"] == "2026-04-10"
    assert changed.get_json()["title"] == CASE["title"]
    suggested = client.get(f"{url}/suggestions?limit=3", headers=clerk).get_json()["items"]
    assert len(suggested) == 3
    team = [s["lawyer"]["id"] for s in suggested[:2]]
    assigned = client.post(f"{url}/lawyers", json={"lawyers": team}, headers=clerk)
    assert assigned.status_code == 200 and assigned.get_json()["status"] == "in_progress"
    # An opinion larger than the API's usual 64 KiB body limit is taken (the upload page's limit holds).
    large = PDF + b"%" + b"0" * 200_000 + b"\n%%EOF\n"
    filed = client.post(f"{url}/opinions", json=_opinion(large), headers=clerk)
    assert filed.status_code == 201, filed.get_data(as_text=True)
    (opinion,) = filed.get_json()["opinions"]
    assert filed.get_json()["status"] == "opinion_given" and opinion["kind"] == "pdf"
    # The case's lawyer downloads it and sees the case among theirs; another lawyer does not.
    own = basic("lawyer", lawyer_id=team[0])
    download = client.get(f"{url}/opinions/{opinion['id']}", headers=own)
    assert download.status_code == 200 and download.data == large and download.mimetype == "application/pdf"
    assert [c["id"] for c in client.get("/api/v1/cases", headers=own).get_json()["items"]] == [case["id"]]
    stranger = basic("lawyer", lawyer_id=next(lw for lw in county.lawyer_ids if lw not in team))
    assert client.get(f"{url}/opinions/{opinion['id']}", headers=stranger).status_code == 404
    assert client.get("/api/v1/cases", headers=stranger).get_json()["items"] == []
    closed = client.post(f"{url}/status", json={"status": "closed", "reason": "已办结"}, headers=clerk)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert client.patch(url, json={"title": "新名称"}, headers=clerk).status_code == 409
    with transaction(session_factory) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"case.create", "case.edit", "case.assign", "case.opinion", "case.status"} <= actions


def test_case_refusals_write_nothing(
    client: FlaskClient,
    anonymous: FlaskClient,
    basic: Callable[..., Headers],
    county: County,
    session_factory: sessionmaker[Session],
    make_account: Callable[..., int],
) -> None:
    lawyer = basic("lawyer", lawyer_id=county.lawyer_ids[0])
    assert anonymous.post("/api/v1/cases", json=CASE).status_code == 401
    assert client.post("/api/v1/cases", json=CASE, headers=lawyer).status_code == 403
    clerk = basic("clerk")
    bad = client.post(
        "/api/v1/cases",
        json=CASE | {"title": "", "entrusted_on": "2026-03-01", "due_date": "2026-02-01", "office": "x" * 17},
        headers=clerk,
    )
    assert set(errors_of(bad)) == {"title", "due_date", "office"}
    assert "office" in errors_of(client.post("/api/v1/cases", json=CASE | {"office": "999999"}, headers=clerk))
    assert _count(session_factory, EntrustedCase) == 0
    case_id = client.post("/api/v1/cases", json=CASE, headers=clerk).get_json()["id"]
    url = f"/api/v1/cases/{case_id}"
    # No lawyers yet: no opinion, no closing (409); a wrong file (400) is not stored either.
    assert client.post(f"{url}/opinions", json=_opinion(PDF), headers=clerk).status_code == 409
    assert client.post(f"{url}/status", json={"status": "closed"}, headers=clerk).status_code == 409
    client.post(f"{url}/lawyers", json={"lawyers": county.lawyer_ids[:1]}, headers=clerk)
    wrong = client.post(f"{url}/opinions", json=_opinion(b"MZ binary"), headers=clerk)
    assert wrong.status_code == 400 and "PDF" in wrong.get_json()["message"]
    not_base64 = client.post(f"{url}/opinions", json={"filename": "a.pdf", "content_base64": "%%%"}, headers=clerk)
    assert "content_base64" in errors_of(not_base64)
    assert "lawyers" in errors_of(client.post(f"{url}/lawyers", json={"lawyers": []}, headers=clerk))
    assert client.post(f"{url}/lawyers", json={"lawyers": [999999]}, headers=clerk).status_code == 400
    assert client.post("/api/v1/cases/999999/lawyers", json={"lawyers": [1]}, headers=clerk).status_code == 404
    assert _count(session_factory, CaseOpinion) == 0
    # Staff of another office: 403 on this office's case, and their list leaves it out.
    with transaction(session_factory) as session:
        other = Office(code="522301", name="兴义市信访局")
        session.add(other)
        session.flush()
        other_id = other.id
    make_account("clerk", username="api-case-outsider", office_ids=[other_id])
    outsider = basic_header("api-case-outsider")
    assert client.patch(url, json={"title": "x"}, headers=outsider).status_code == 403
    assert client.post(f"{url}/status", json={"status": "withdrawn"}, headers=outsider).status_code == 403
    assert client.get(f"{url}/suggestions", headers=outsider).status_code == 403
    assert client.post("/api/v1/cases", json=CASE, headers=outsider).status_code == 403
    assert client.get("/api/v1/cases", headers=outsider).get_json()["items"] == []
    with transaction(session_factory) as session:
        assert session.get_one(EntrustedCase, case_id).title == CASE["title"]
