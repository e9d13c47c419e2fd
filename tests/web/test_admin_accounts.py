"""The admin's account pages and each user's own password: create, edit, disable, temporary passwords and
one-time reset links, the forced change after a temporary password."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from scheduler.db import transaction
from scheduler.models import AuditEvent, Office
from scheduler.models.accounts import User
from scheduler.people import account_admin, accounts
from tests.web.conftest import TEST_PASSWORD, csrf_token, login, post_form

NEW_PASSWORD = "a brand new passphrase"


def _office(factory: sessionmaker[Session], code: str, name: str) -> int:
    with transaction(factory) as session:
        office = Office(code=code, name=name)
        session.add(office)
        session.flush()
        return office.id


def _user(factory: sessionmaker[Session], username: str) -> User:
    with factory() as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        session.expunge(user)
        return user


def _post(client: FlaskClient, path: str, data: dict[str, object]) -> TestResponse:
    return client.post(path, data={"csrf_token": csrf_token(client), **data})


def _sign_in(client: FlaskClient, username: str, password: str) -> TestResponse:
    return post_form(client, "/login", {"username": username, "password": password})


def _temporary(page: str) -> str:
    found = re.search(r'id="temporary-password">([^<]+)<', page)
    assert found, page
    return found.group(1)


def test_an_admin_lands_on_the_account_list_after_signing_in(
    client: FlaskClient, make_account: Callable[..., int]
) -> None:
    make_account("admin", username="boss")
    make_account("clerk", username="wangfang")
    response = _sign_in(client, "boss", TEST_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    page = client.get("/admin/").get_data(as_text=True)
    assert "wangfang" in page and "窗口工作人员" in page and "全部信访局" in page


def test_an_admin_creates_a_clerk_for_one_office_who_must_change_the_temporary_password(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    wangmo = _office(session_factory, "522326", "望谟县信访局")
    _office(session_factory, "522301", "兴义市信访局")
    admin = login(app.test_client(), make_account("admin", username="boss"))
    answer = _post(
        admin,
        "/admin/users/new",
        {"username": "WangFang", "display_name": "王芳", "role": "clerk", "offices": [str(wangmo)]},
    )
    assert answer.status_code == 200
    temporary = _temporary(answer.get_data(as_text=True))
    created = _user(session_factory, "wangfang")
    assert (created.display_name, created.role, created.all_offices, created.must_change_password) == (
        "王芳",
        "clerk",
        False,
        True,
    )
    clerk = app.test_client()
    signed_in = _sign_in(clerk, "wangfang", temporary)
    assert signed_in.status_code == 302 and signed_in.headers["Location"].startswith("/account/password")
    # Until the temporary password is replaced, every page leads to the password form.
    assert clerk.get("/clerk/").headers["Location"].startswith("/account/password")
    changed = post_form(
        clerk, "/account/password", {"current": temporary, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert clerk.get("/clerk/").status_code == 200
    assert not _user(session_factory, "wangfang").must_change_password
    assert _sign_in(app.test_client(), "wangfang", NEW_PASSWORD).status_code == 302


def test_a_clerk_account_needs_an_office_and_the_form_says_so_in_chinese(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    admin = login(app.test_client(), make_account("admin", username="boss"))
    answer = _post(admin, "/admin/users/new", {"username": "li", "role": "clerk"})
    assert answer.status_code == 400
    assert "窗口工作人员和排班员的账户须属于至少一个信访局" in answer.get_data(as_text=True)
    with session_factory() as session:
        assert session.scalar(select(User).where(User.username == "li")) is None


def test_changing_ones_own_password_ends_the_other_sessions_but_not_this_one(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    user_id = make_account("planner", username="zhou")
    here, elsewhere = login(app.test_client(), user_id), login(app.test_client(), user_id)
    wrong = post_form(
        here, "/account/password", {"current": "not it at all", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert wrong.status_code == 400 and "当前密码不正确" in wrong.get_data(as_text=True)
    mismatch = post_form(
        here, "/account/password", {"current": TEST_PASSWORD, "new": NEW_PASSWORD, "confirm": "something else"}
    )
    assert mismatch.status_code == 400 and "两次输入的新密码不一致" in mismatch.get_data(as_text=True)
    changed = post_form(
        here, "/account/password", {"current": TEST_PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert changed.status_code == 302
    assert here.get("/planner/").status_code == 200
    assert elsewhere.get("/planner/").status_code == 302  # sent to sign in again


def test_a_reset_link_works_once_and_not_after_it_expires(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    user_id = make_account("clerk", username="zhao")
    admin = login(app.test_client(), make_account("admin", username="boss"))
    answer = _post(admin, f"/admin/users/{user_id}/reset-link", {})
    found = re.search(r'id="reset-link">[^<]*(/reset/[^<]+)<', answer.get_data(as_text=True))
    assert answer.status_code == 200 and found
    link = found.group(1)
    visitor = app.test_client()
    assert visitor.get(link).status_code == 200
    assert post_form(visitor, link, {"new": NEW_PASSWORD, "confirm": NEW_PASSWORD}).status_code == 302
    assert _sign_in(app.test_client(), "zhao", NEW_PASSWORD).status_code == 302
    again = app.test_client().get(link)
    assert again.status_code == 404 and "重置密码链接无效" in again.get_data(as_text=True)
    with transaction(session_factory) as session:
        token = accounts.issue_reset_link(session, "zhao", "test", now=dt.datetime(2020, 1, 1))
    assert app.test_client().get(f"/reset/{token}").status_code == 404
    with session_factory() as session:
        stored = session.scalars(select(User.reset_token_hash).where(User.username == "zhao")).one()
        assert stored is not None and token not in stored  # only the hash is kept


def test_an_admin_edits_the_role_and_offices_and_the_accounts_sessions_end(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    wangmo = _office(session_factory, "522326", "望谟县信访局")
    xingyi = _office(session_factory, "522301", "兴义市信访局")
    user_id = make_account("clerk", username="sun")
    clerk = login(app.test_client(), user_id)
    admin = login(app.test_client(), make_account("admin", username="boss"))
    assert admin.get(f"/admin/users/{user_id}").status_code == 200
    answer = _post(
        admin,
        f"/admin/users/{user_id}",
        {"display_name": "孙丽", "role": "planner", "offices": [str(wangmo), str(xingyi)]},
    )
    assert answer.status_code == 302
    user = _user(session_factory, "sun")
    assert (user.role, user.display_name) == ("planner", "孙丽")
    with session_factory() as session:
        row = account_admin.account_row(session, "sun")
        assert sorted(row.office_ids) == sorted([wangmo, xingyi]) and not row.all_offices
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "account.update")).one()
        assert event.before["role"] == "clerk" and event.after["office_ids"] == sorted([wangmo, xingyi])
    assert clerk.get("/clerk/").status_code == 302  # its rights changed: sign in again


def test_disabling_ends_the_sessions_and_the_last_admin_cannot_be_disabled(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    user_id = make_account("clerk", username="qian")
    clerk = login(app.test_client(), user_id)
    admin_id = make_account("admin", username="boss")
    admin = login(app.test_client(), admin_id)
    assert _post(admin, f"/admin/users/{user_id}/disable", {}).status_code == 302
    assert clerk.get("/clerk/").status_code == 302
    assert not _user(session_factory, "qian").active
    refused = _post(admin, f"/admin/users/{admin_id}/disable", {})
    assert refused.status_code == 302 and _user(session_factory, "boss").active
    assert "唯一启用的管理员账户" in admin.get(refused.headers["Location"]).get_data(as_text=True)
    assert _post(admin, f"/admin/users/{user_id}/enable", {}).status_code == 302
    assert _user(session_factory, "qian").active


def test_a_temporary_password_from_the_admin_replaces_the_old_one(
    app: Flask, session_factory: sessionmaker[Session], make_account: Callable[..., int]
) -> None:
    user_id = make_account("planner", username="wu")
    admin = login(app.test_client(), make_account("admin", username="boss"))
    temporary = _temporary(_post(admin, f"/admin/users/{user_id}/temporary-password", {}).get_data(as_text=True))
    assert _sign_in(app.test_client(), "wu", TEST_PASSWORD).status_code == 200  # the old one no longer works
    assert _sign_in(app.test_client(), "wu", temporary).headers["Location"].startswith("/account/password")
    assert _user(session_factory, "wu").must_change_password
    # Scripts signing in with it get a clear refusal instead of the data.
    api = app.test_client().get("/api/v1/rosters", auth=("wu", temporary))
    assert api.status_code == 403 and "请先设置新密码" in api.get_json()["message"]


def test_other_roles_cannot_open_the_admin_pages(app: Flask, make_account: Callable[..., int]) -> None:
    for role in ("planner", "clerk"):
        assert login(app.test_client(), make_account(role)).get("/admin/").status_code == 403
