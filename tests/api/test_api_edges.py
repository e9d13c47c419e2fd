"""The edges of the API: a body limit that chunked bodies cannot bypass, NUL characters answered 400, long
valid text that the database keeps whole, and database errors never answered as 404."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import DataError

from scheduler.web.api.validation import MAX_BODY
from tests.api.conftest import County, Headers, errors_of, swap_pair


def test_a_chunked_body_over_the_limit_is_refused(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    body = json.dumps({**swap_pair(county), "reason": "理" * MAX_BODY}).encode()
    response = client.post(
        "/api/v1/proposals",
        input_stream=io.BytesIO(body),
        headers={**basic("clerk"), "Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        # What gunicorn says of a chunked request: the body ends where the stream ends (no Content-Length).
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 400
    assert errors_of(response) == {"body": f"must be at most {MAX_BODY} bytes"}


def test_a_nul_in_a_path_or_query_is_a_400_naming_it(client: FlaskClient) -> None:
    response = client.get("/api/v1/offices/5223%0026")
    assert response.status_code == 400 and "code" in errors_of(response)
    page = client.get("/notice/5223%0026/week/2026/10")
    assert page.status_code == 400


def test_a_long_reason_is_kept_whole_when_the_proposal_is_accepted(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    # The reason is stored with the version's audit event beside other words: 500 characters must fit.
    clerk = basic("clerk")
    created = client.post("/api/v1/proposals", json={**swap_pair(county), "reason": "理" * 500}, headers=clerk)
    assert created.status_code == 201, created.get_json()
    proposal = created.get_json()
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=clerk).status_code == 200
    accepted = client.post(
        f"/api/v1/proposals/{proposal['id']}/accept", json={"override_reason": "由" * 500}, headers=basic("planner")
    )
    assert accepted.status_code == 200, accepted.get_json()
    too_long = client.post("/api/v1/proposals", json={**swap_pair(county), "reason": "理" * 501}, headers=clerk)
    assert too_long.status_code == 400 and errors_of(too_long) == {"reason": "must be at most 500 characters"}


def test_a_swap_request_with_a_long_message_can_be_approved(
    client: FlaskClient, basic: Callable[..., Headers], county: County
) -> None:
    duty = county.duty_ids[0]
    a, b = county.team[duty][0], county.off(duty)[0]
    mine, theirs = basic("lawyer", lawyer_id=a), basic("lawyer", lawyer_id=b)
    body = {"duty_id": duty, "to_lawyer_id": b, "message": "家" * 500}
    request = client.post("/api/v1/swap-requests", json=body, headers=mine).get_json()
    assert client.post(f"/api/v1/swap-requests/{request['id']}/accept", headers=theirs).status_code == 200
    approved = client.post(f"/api/v1/swap-requests/{request['id']}/approve", headers=basic("clerk"))
    assert approved.status_code == 200, approved.get_json()


def test_a_database_error_is_never_answered_as_404(app: Flask) -> None:
    def broken() -> str:
        raise DataError("INSERT ...", {}, Exception("value too long for type character varying(500)"))

    app.add_url_rule("/api/v1/broken-for-test", "broken_api", broken)
    app.add_url_rule("/broken-for-test", "broken_page", broken)
    client = app.test_client()
    for url in ("/api/v1/broken-for-test", "/broken-for-test"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "value too long" not in response.get_data(as_text=True)  # the database's words stay inside
