"""Accounts and signing in: hashed passwords, sessions with safe cookies, CSRF, the rate limit, the demo accounts."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.security import check_password_hash, generate_password_hash

from scheduler.config import Settings, load_settings
from scheduler.core.errors import Conflict, InputError, NotFound
from scheduler.db import transaction
from scheduler.models import AuditEvent, Lawyer
from scheduler.models.accounts import User
from scheduler.people import accounts
from scheduler.web import create_app
from tests.web.conftest import SQLITE_ONLY, TEST_PASSWORD, build_roster, csrf_token, login, post_form


def _sign_in(client: FlaskClient, username: str, password: str = TEST_PASSWORD, **extra: str) -> int:
    return post_form(client, "/login", {"username": username, "password": password, **extra}).status_code


def _user(factory: sessionmaker[Session], username: str) -> User:
    with factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        return user


def test_a_lawyer_signs_in_and_lands_on_their_own_page(
    client: FlaskClient, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    world = build_roster(session_factory)
    make_account("lawyer", lawyer_id=world.lawyer_ids[0], username="wang")
    response = post_form(client, "/login", {"username": "Wang ", "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/me/"
    assert client.get("/me/").status_code == 200
    user = _user(session_factory, "wang")
    assert user.last_login_at is not None and user.failed_logins == 0


def test_a_wrong_password_is_refused_and_counted(
    client: FlaskClient, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    make_account("clerk", username="li")
    response = post_form(client, "/login", {"username": "li", "password": "not the password"})
    assert response.status_code == 200 and "用户名或密码不正确" in response.get_data(as_text=True)
    assert _user(session_factory, "li").failed_logins == 1
    assert client.get("/me/").status_code == 302  # still anonymous


@SQLITE_ONLY
def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(client: FlaskClient) -> None:
    response = post_form(client, "/login", {"username": "nobody", "password": TEST_PASSWORD})
    assert response.status_code == 200 and "用户名或密码不正确" in response.get_data(as_text=True)


def test_a_deactivated_account_can_neither_sign_in_nor_keep_its_session(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    world = build_roster(session_factory)
    user_id = make_account("lawyer", lawyer_id=world.lawyer_ids[0], username="zhao")
    signed_in = login(app.test_client(), user_id)
    assert signed_in.get("/me/").status_code == 200
    with transaction(session_factory) as session:
        session.get_one(User, user_id).active = False
    assert signed_in.get("/me/").status_code == 302
    assert _sign_in(app.test_client(), "zhao") == 200


@SQLITE_ONLY
def test_sign_in_goes_back_to_a_local_page_but_never_to_another_site(
    client: FlaskClient, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    world = build_roster(session_factory)
    make_account("lawyer", lawyer_id=world.lawyer_ids[0], username="chen")
    response = post_form(client, "/login", {"username": "chen", "password": TEST_PASSWORD, "next": "/notice/522326"})
    assert response.headers["Location"] == "/notice/522326"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        other = client.application.test_client()
        response = post_form(other, "/login", {"username": "chen", "password": TEST_PASSWORD, "next": target})
        assert response.headers["Location"] == "/me/"


@SQLITE_ONLY
def test_an_account_without_an_area_page_lands_on_the_public_notice(
    client: FlaskClient, make_account: Callable[..., int]
) -> None:
    make_account("admin", username="root")
    response = post_form(client, "/login", {"username": "root", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/", "/admin/")


@SQLITE_ONLY
def test_sign_in_starts_a_new_session_but_keeps_the_language(
    client: FlaskClient, make_account: Callable[..., int]
) -> None:
    make_account("planner", username="zhou")
    client.get("/language/en")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker before sign-in"
    assert _sign_in(client, "zhou") == 302
    with client.session_transaction() as session:
        assert "planted" not in session and session["lang"] == "en" and session["_user_id"]


@SQLITE_ONLY
def test_signing_out_ends_the_session(
    client: FlaskClient, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    world = build_roster(session_factory)
    login(client, make_account("lawyer", lawyer_id=world.lawyer_ids[0]))
    assert client.get("/logout").status_code == 405  # a link or an image cannot sign anybody out
    response = post_form(client, "/logout")
    assert response.status_code == 302
    assert client.get("/me/").status_code == 302


@SQLITE_ONLY
def test_a_form_posted_without_its_csrf_token_is_refused(client: FlaskClient, make_account: Callable[..., int]) -> None:
    make_account("clerk", username="sun")
    response = client.post("/login", data={"username": "sun", "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "安全令牌" in response.get_data(as_text=True)
    forged = client.post("/login", data={"username": "sun", "password": TEST_PASSWORD, "csrf_token": "forged"})
    assert forged.status_code == 400


@SQLITE_ONLY
def test_the_eleventh_sign_in_attempt_within_a_minute_gets_429(
    client: FlaskClient, make_account: Callable[..., int]
) -> None:
    # Failures for several usernames (none of them locks an account): the address's own count stops them.
    make_account("clerk", username="guess")
    token = csrf_token(client)
    statuses = [
        client.post("/login", data={"csrf_token": token, "username": f"guess{i}", "password": "wrong"}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    assert client.get("/login").status_code == 200  # only sign-in attempts are limited, not the form


@SQLITE_ONLY
def test_session_cookies_are_httponly_and_samesite_lax(client: FlaskClient, make_account: Callable[..., int]) -> None:
    make_account("clerk", username="wu")
    client.get("/login")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax" and not cookie.secure


@SQLITE_ONLY
def test_cookies_are_secure_when_configured(web_settings: Settings, tmp_path: Path) -> None:
    assert load_settings({"SCHEDULER_INSTANCE_DIR": str(tmp_path), "SCHEDULER_SECURE_COOKIES": "1"}).secure_cookies
    secure = dataclasses.replace(web_settings, secure_cookies=True)
    app = create_app({"SETTINGS": secure, "TESTING": True, "AUTO_MIGRATE": False})
    try:
        client = app.test_client()
        client.get("/login", base_url="https://localhost")
        cookie = client.get_cookie("session", domain="localhost")
        assert cookie is not None and cookie.secure and cookie.http_only
    finally:
        app.extensions["scheduler.sessions"].kw["bind"].dispose()


@SQLITE_ONLY
def test_the_secret_key_is_never_a_fixed_default(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SCHEDULER_SECRET_KEY", raising=False)
    keys = []
    for name in ("one", "two"):
        monkeypatch.setenv("SCHEDULER_INSTANCE_DIR", str(tmp_path / name))
        app = create_app({"DATABASE_URL": db_url, "AUTO_MIGRATE": False})
        keys.append(app.config["SECRET_KEY"])
        app.extensions["scheduler.sessions"].kw["bind"].dispose()
        assert (tmp_path / name / "secret_key").read_text(encoding="utf-8").strip() == keys[-1]
        assert os.stat(tmp_path / name / "secret_key").st_mode & 0o077 == 0
    assert keys[0] != keys[1] and all(len(key) >= 32 for key in keys)


# --- the accounts service ------------------------------------------------------------------------


@SQLITE_ONLY
def test_a_password_is_stored_only_as_a_salted_hash(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        first = accounts.create_account(session, "admin1", "admin", "a long passphrase")
        second = accounts.create_account(session, "admin2", "admin", "a long passphrase")
        assert first.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert "a long passphrase" not in first.password_hash
        assert first.password_hash != second.password_hash  # salted
        assert check_password_hash(first.password_hash, "a long passphrase")
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.create")).first()
        assert event is not None and "passphrase" not in str(event.after)


def test_account_rules_are_enforced(session_factory: sessionmaker[Session]) -> None:
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    with session_factory() as session:
        licence = session.get_one(Lawyer, world.lawyer_ids[0]).licence_no
    cases: list[tuple[dict[str, object], type[Exception]]] = [
        ({"username": "x", "role": "clerk", "password": "long enough!"}, InputError),
        ({"username": "clerk1", "role": "janitor", "password": "long enough!"}, InputError),
        ({"username": "clerk1", "role": "clerk", "password": "short"}, InputError),
        ({"username": "lawyer1", "role": "lawyer", "password": "long enough!"}, InputError),
        ({"username": "clerk1", "role": "clerk", "password": "long enough!", "lawyer_licence": licence}, InputError),
        ({"username": "lawyer1", "role": "lawyer", "password": "long enough!", "lawyer_licence": "1" * 17}, NotFound),
    ]
    for kwargs, error in cases:
        with session_factory() as session, pytest.raises(error):
            accounts.create_account(session, **kwargs)  # type: ignore[arg-type]
    with transaction(session_factory) as session:
        accounts.create_account(session, "Lawyer1", "lawyer", "long enough!", lawyer_licence=licence)
    for username, kwargs in (("LAWYER1", {}), ("lawyer2", {})):
        with session_factory() as session, pytest.raises(Conflict):
            accounts.create_account(session, username, "lawyer", "long enough!", lawyer_licence=licence, **kwargs)


def test_the_database_ties_the_lawyer_role_to_a_lawyer_record(
    session_factory: sessionmaker[Session], password_hash: str
) -> None:
    lawyer_id = build_roster(session_factory, lawyers=1, duties=1, per_duty=1).lawyer_ids[0]
    for role, linked in (("lawyer", None), ("planner", lawyer_id), ("boss", None)):
        with session_factory() as session, pytest.raises(IntegrityError):
            session.add(User(username=f"u-{role}", password_hash=password_hash, role=role, lawyer_id=linked))
            session.commit()


def test_the_demo_accounts_are_created_once_and_can_sign_in(
    client: FlaskClient, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Four scrypt hashes would be most of this test's time; hashing itself is tested above.
    monkeypatch.setattr(
        accounts, "hash_password", lambda password: generate_password_hash(password, "pbkdf2:sha256:1000")
    )
    build_roster(session_factory)
    with transaction(session_factory) as session:
        first = accounts.create_demo_accounts(session)
    with transaction(session_factory) as session:
        again = accounts.create_demo_accounts(session)
    assert [a.role for a in first] == ["admin", "planner", "clerk", "lawyer"]
    assert all(a.created for a in first) and not any(a.created for a in again)
    lawyer = next(a for a in first if a.role == "lawyer")
    assert lawyer.lawyer
    assert _sign_in(client, lawyer.username, lawyer.password) == 302
    assert client.get("/me/").status_code == 200
