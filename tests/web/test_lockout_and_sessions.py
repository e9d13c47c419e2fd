"""Sign-in limits per account and per address, and sessions the server can end (sign-out, new password,
disabling)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from scheduler.db import transaction
from scheduler.models.accounts import User
from scheduler.models.rosters import utcnow
from scheduler.people import accounts
from tests.api.conftest import basic_header
from tests.web.conftest import SQLITE_ONLY, TEST_PASSWORD, build_roster, csrf_token, post_form


def _attempt(app: Flask, username: str, password: str, address: str) -> tuple[int, str, str | None]:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    response = post_form(client, "/login", {"username": username, "password": password})
    return response.status_code, response.get_data(as_text=True), response.headers.get("Retry-After")


def _basic(app: Flask, username: str, password: str, address: str) -> TestResponse:
    headers = basic_header(username, password)
    return app.test_client().get("/api/v1/me", headers=headers, environ_base={"REMOTE_ADDR": address})


def _user(factory: sessionmaker[Session], username: str) -> User:
    with factory() as session:
        return session.scalars(select(User).where(User.username == username)).one()


def test_an_account_is_locked_after_failures_from_many_addresses_for_a_growing_time(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    make_account("admin", username="target")
    answers = [_attempt(app, "target", f"guess {i}", f"10.0.{i}.1") for i in range(5)]
    assert [status for status, _page, _retry in answers] == [200, 200, 200, 200, 429]
    status, page, retry = answers[-1]
    assert "此账户已暂时锁定" in page and "之后再试" in page
    assert retry is not None and 55 <= int(retry) <= 60
    # Locked: even the right password is refused, from any address, and the guess is not checked.
    status, page, _retry = _attempt(app, "target", TEST_PASSWORD, "10.9.9.9")
    assert status == 429 and "此账户已暂时锁定" in page
    # Once the lock has passed, one more failure locks it again, for twice as long.
    with transaction(session_factory) as session:
        session.execute(update(User).values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    status, _page, retry = _attempt(app, "target", "guess again", "10.1.1.1")
    assert status == 429 and retry is not None and 115 <= int(retry) <= 120
    # A lifted lock and the right password: signed in, the count reset.
    with transaction(session_factory) as session:
        session.execute(update(User).values(locked_until=utcnow() - dt.timedelta(seconds=1)))
    assert _attempt(app, "target", TEST_PASSWORD, "10.1.1.2")[0] == 302
    assert _user(session_factory, "target").failed_logins == 0


def test_basic_credentials_count_towards_the_account_lock(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    make_account("clerk", username="script")
    for i in range(4):
        assert _basic(app, "script", "nope", f"10.2.{i}.1").status_code == 401
    assert _attempt(app, "script", "nope", "10.3.0.1")[0] == 429  # the fifth failure, by the form
    locked = app.test_client().get(
        "/api/v1/me", headers=basic_header("script"), environ_base={"REMOTE_ADDR": "10.4.0.1"}
    )
    assert locked.status_code == 429 and "locked until" in locked.get_json()["message"]
    assert int(locked.headers["Retry-After"]) > 0


@SQLITE_ONLY
def test_the_address_limit_counts_failures_only_and_form_and_basic_share_it(
    app: Flask, make_account: Callable[..., int]
) -> None:
    app.config["LOGIN_RATE_LIMIT"] = "5 per minute"
    for i in range(15):  # fifteen clerks behind one address sign in: nobody is held up
        make_account("clerk", username=f"clerk{i:02d}")
        assert _attempt(app, f"clerk{i:02d}", TEST_PASSWORD, "10.5.0.1")[0] == 302
    for i in range(3):
        assert _attempt(app, f"nobody{i}", "wrong", "10.6.0.1")[0] == 200
    for i in range(2):
        assert _basic(app, f"nobody{i}", "x", "10.6.0.1").status_code == 401
    assert _attempt(app, "clerk00", TEST_PASSWORD, "10.6.0.1")[0] == 429
    assert _basic(app, "clerk00", TEST_PASSWORD, "10.6.0.1").status_code == 429


def _signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    assert post_form(client, "/login", {"username": username, "password": TEST_PASSWORD}).status_code == 302
    return client


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another client with the same session cookie (a stolen or second copy of the session)."""
    other = app.test_client()
    cookie = client.get_cookie("session")
    assert cookie is not None
    other.set_cookie("session", cookie.value)
    return other


def test_signing_out_ends_every_session_of_the_account_on_the_server(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    world = build_roster(session_factory)
    make_account("lawyer", lawyer_id=world.lawyer_ids[0], username="wu")
    browser = _signed_in(app, "wu")
    laptop = _signed_in(app, "wu")
    kept = _copy(app, browser)  # the cookie as it was before signing out
    assert kept.get("/me/").status_code == 200
    assert post_form(browser, "/logout").status_code == 302
    assert kept.get("/me/").status_code == 302  # sent to the sign-in page: the session is over
    assert laptop.get("/me/").status_code == 302
    write = kept.post("/me/calendar/rotate", data={"csrf_token": csrf_token(kept)})
    assert write.status_code in (302, 401)
    assert write.headers.get("Location", "").startswith("/login") or write.status_code == 401
    assert _signed_in(app, "wu").get("/me/").status_code == 200  # signing in again works


def test_a_new_password_or_disabling_ends_the_sessions(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    make_account("clerk", username="zhou")
    make_account("clerk", username="qian")
    zhou, qian = _signed_in(app, "zhou"), _signed_in(app, "qian")
    assert zhou.get("/api/v1/me").status_code == 200 and qian.get("/api/v1/me").status_code == 200
    with transaction(session_factory) as session:
        accounts.set_password(session, "zhou", "a brand new passphrase", actor="test")
        accounts.set_active(session, "qian", False, actor="test")
    assert zhou.get("/api/v1/me").status_code == 401
    assert qian.get("/api/v1/me").status_code == 401
