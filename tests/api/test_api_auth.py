"""How callers sign in to the API: HTTP Basic for scripts, the session cookie (with a CSRF header for writes)
for browsers, and the limits on guessing."""

from __future__ import annotations

import base64
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models.accounts import User
from tests.api.conftest import County, Headers, basic_header, errors_of
from tests.web.conftest import TEST_PASSWORD, csrf_token

UNAVAILABLE = {"start": "2026-06-01", "end": "2026-06-02", "reason": "休假"}


def _account(session_factory: sessionmaker[Session], username: str) -> User:
    with transaction(session_factory) as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def test_basic_credentials_sign_a_single_request_in_without_a_session(
    client: FlaskClient, make_account: Callable[..., int]
) -> None:
    make_account("planner", username="script")
    response = client.get("/api/v1/me", headers=basic_header("script"))
    assert response.status_code == 200
    assert response.get_json() == {
        "username": "script",
        "role": "planner",
        "lawyer_id": None,
        "authentication": "basic",
        "display_name": "",
        "offices": None,  # every office
    }
    assert "Set-Cookie" not in response.headers
    assert client.get("/api/v1/me").status_code == 401  # nothing was remembered


def test_wrong_credentials_are_a_401_and_count_as_a_failed_sign_in(
    client: FlaskClient, make_account: Callable[..., int], session_factory: sessionmaker[Session]
) -> None:
    make_account("clerk", username="clerk-script")
    response = client.get("/api/v1/offices", headers=basic_header("clerk-script", "wrong password"))
    assert response.status_code == 401 and response.get_json()["message"] == "wrong username or password"
    # No Basic challenge: a browser would prompt, then resend the credentials on every (forged) request.
    assert "WWW-Authenticate" not in response.headers
    assert _account(session_factory, "clerk-script").failed_logins == 1
    assert client.get("/api/v1/offices", headers=basic_header("clerk-script")).status_code == 200
    assert _account(session_factory, "clerk-script").failed_logins == 0


def test_other_authorization_schemes_and_garbled_credentials_are_refused(client: FlaskClient) -> None:
    garbled = "Basic " + base64.b64encode(b"\xff\xfe:x").decode()
    nul = "Basic " + base64.b64encode(b"admin\x00:password").decode()
    for header in ("Bearer abc", "Basic !!!", "Basic", garbled, nul, "Basic " + base64.b64encode(b"nobody").decode()):
        response = client.get("/api/v1/offices", headers={"Authorization": header})
        assert response.status_code == 401, header


def test_a_deactivated_account_cannot_sign_in(
    client: FlaskClient, make_account: Callable[..., int], session_factory: sessionmaker[Session]
) -> None:
    user_id = make_account("planner", username="gone")
    with transaction(session_factory) as session:
        session.get_one(User, user_id).active = False
    assert client.get("/api/v1/me", headers=basic_header("gone")).status_code == 401


def test_wrong_credentials_beside_a_valid_session_are_still_a_401(client_as: Callable[..., FlaskClient]) -> None:
    browser = client_as("clerk")
    assert browser.get("/api/v1/lawyers").status_code == 200
    assert browser.get("/api/v1/lawyers", headers=basic_header("nobody", "nothing")).status_code == 401


def test_the_browser_session_reads_and_learns_its_csrf_token(client_as: Callable[..., FlaskClient]) -> None:
    browser = client_as("clerk")
    me = browser.get("/api/v1/me").get_json()
    assert me["authentication"] == "session" and me["csrf_token"]


def test_a_session_write_needs_the_csrf_header(client_as: Callable[..., FlaskClient], county: County) -> None:
    browser = client_as("clerk")
    body = {"lawyer_id": county.lawyer_ids[0], **UNAVAILABLE}
    assert set(errors_of(browser.post("/api/v1/unavailability", json=body))) == {"X-CSRFToken"}
    forged = browser.post("/api/v1/unavailability", json=body, headers={"X-CSRFToken": "forged"})
    assert set(errors_of(forged)) == {"X-CSRFToken"}
    token = browser.get("/api/v1/me").get_json()["csrf_token"]
    assert browser.post("/api/v1/unavailability", json=body, headers={"X-CSRFToken": token}).status_code == 201


def test_a_basic_write_needs_no_csrf_token(client: FlaskClient, basic: Callable[..., Headers], county: County) -> None:
    body = {"lawyer_id": county.lawyer_ids[0], **UNAVAILABLE}
    assert client.post("/api/v1/unavailability", json=body, headers=basic("clerk")).status_code == 201


def test_an_anonymous_write_is_refused(anonymous: FlaskClient, county: County) -> None:
    body = {"lawyer_id": county.lawyer_ids[0], **UNAVAILABLE}
    # No session and no credentials: the login is what is missing (there is no session to forge).
    bare = anonymous.post("/api/v1/unavailability", json=body)
    assert bare.status_code == 401 and bare.get_json()["error"] == 401
    with_token = anonymous.post("/api/v1/unavailability", json=body, headers={"X-CSRFToken": csrf_token(anonymous)})
    assert with_token.status_code == 401 and with_token.get_json()["error"] == 401


def test_guessing_passwords_is_stopped_for_a_while(app: Flask, make_account: Callable[..., int]) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "3 per minute"
    make_account("admin", username="target")
    guesser = app.test_client()
    statuses = [guesser.get("/api/v1/me", headers=basic_header("target", f"guess {i}")).status_code for i in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Even the right password waits: the guesser must not learn when a guess was right.
    assert guesser.get("/api/v1/me", headers=basic_header("target")).status_code == 429
    elsewhere = app.test_client()
    right = elsewhere.get("/api/v1/me", headers=basic_header("target"), environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert right.status_code == 200
    # Requests without credentials are not held up by someone else's guessing.
    assert guesser.get("/api/v1/offices").status_code == 200


def test_api_answers_are_never_kept_by_shared_caches(client: FlaskClient, basic: Callable[..., Headers]) -> None:
    for path in ("/api/v1/offices", "/api/v1/lawyers", "/api/v1/nothing-here"):
        response = client.get(path, headers=basic("clerk"))
        if response.status_code == 200:
            assert response.headers["Cache-Control"] == "private, no-store"
            assert "Authorization" in response.headers["Vary"]
        else:
            assert response.status_code == 404 and response.get_json()["error"] == 404


def test_the_password_itself_is_the_credential(client: FlaskClient, make_account: Callable[..., int]) -> None:
    make_account("planner", username="cased")
    assert client.get("/api/v1/me", headers=basic_header("CASED")).status_code == 200  # usernames ignore case
    assert client.get("/api/v1/me", headers=basic_header("cased", TEST_PASSWORD.upper())).status_code == 401
