"""The application factory, its error pages and headers, and the `serve` and `user add` commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.cli import users as users_cli
from scheduler.cli import web as web_cli
from scheduler.cli.group import SchedulerGroup
from scheduler.core.errors import Conflict, InputError, NotFound
from scheduler.models import Lawyer
from scheduler.models.accounts import User
from scheduler.people.accounts import authenticate
from tests.web.conftest import SQLITE_ONLY, build_roster


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@SQLITE_ONLY
def test_flask_run_finds_the_application_factory(env: dict[str, str]) -> None:
    app = ScriptInfo(app_import_path="scheduler.web").load_app()
    try:
        assert {"public.index", "lawyer.index", "auth.login", "feeds.prefecture"} <= set(app.view_functions)
    finally:
        app.extensions["scheduler.sessions"].kw["bind"].dispose()


@SQLITE_ONLY
def test_gunicorn_can_import_the_application(env: dict[str, str]) -> None:
    from gunicorn.util import import_app

    app = import_app("scheduler.web:create_app()")
    try:
        assert isinstance(app, Flask) and app.test_client().get("/").status_code == 200
    finally:
        app.extensions["scheduler.sessions"].kw["bind"].dispose()


def _cli() -> click.Group:
    # The lead registers the commands on `scheduler`; the same group class turns domain errors into exit 1.
    return SchedulerGroup(commands={"serve": web_cli.serve, "user": users_cli.user})


@SQLITE_ONLY
def test_serve_runs_the_application_on_the_given_address(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr("werkzeug.serving.run_simple", lambda *args, **kwargs: calls.append((*args, kwargs)))
    result = CliRunner().invoke(_cli(), ["serve", "--host", "0.0.0.0", "--port", "8080"])
    assert result.exit_code == 0, result.output
    host, port, app, options = calls[0]
    assert (host, port, isinstance(app, Flask), options["use_debugger"]) == ("0.0.0.0", 8080, True, False)
    app.extensions["scheduler.sessions"].kw["bind"].dispose()


@SQLITE_ONLY
def test_user_add_creates_an_account_with_the_password_from_stdin(
    env: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    result = CliRunner().invoke(
        _cli(),
        ["user", "add", "Planner1", "--role", "planner", "--all-offices", "--password-stdin"],
        input="s3cret passphrase\n",
    )
    assert result.exit_code == 0, result.output
    assert "created planner account 'planner1'" in result.output
    with session_factory() as session:
        user = authenticate(session, "planner1", "s3cret passphrase")
        assert user is not None and user.role == "planner" and user.lawyer_id is None


def test_user_add_links_a_lawyer_account_and_asks_for_the_password_twice(
    env: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    with session_factory() as session:
        licence = session.get_one(Lawyer, world.lawyer_ids[0]).licence_no
    result = CliRunner().invoke(
        _cli(), ["user", "add", "wang", "--role", "lawyer", "--lawyer", licence], input="long password\nlong password\n"
    )
    assert result.exit_code == 0, result.output
    with session_factory() as session:
        assert session.scalars(select(User.lawyer_id).where(User.username == "wang")).one() == world.lawyer_ids[0]


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["user", "add", "li", "--role", "lawyer"], "", "须给出 --lawyer 执业证号"),
        (["user", "add", "li", "--role", "clerk", "--lawyer", "15223201011000001"], "", "其他角色不能给"),
        (
            ["user", "add", "li", "--role", "lawyer", "--lawyer", "15223201011000001", "--password-stdin"],
            "long password\n",
            "没有执业证号为 15223201011000001 的律师",
        ),
        (["user", "add", "x", "--role", "clerk", "--password-stdin"], "long password\n", "用户名“x”"),
        (
            ["user", "add", "li", "--role", "clerk", "--all-offices", "--password-stdin"],
            "short\n",
            "密码至少要有 10 个字符",
        ),
        (
            ["user", "add", "li", "--role", "clerk", "--all-offices", "--password-stdin"],
            "",
            "标准输入中没有密码",
        ),
    ],
)
def test_user_add_reports_bad_input_in_one_line(env: dict[str, str], args: list[str], stdin: str, message: str) -> None:
    result = CliRunner().invoke(_cli(), args, input=stdin)
    assert result.exit_code == 1 and result.output.startswith("错误：") and message in result.output


def test_user_add_refuses_a_taken_username(env: dict[str, str]) -> None:
    args = ["user", "add", "zhang", "--role", "clerk", "--all-offices", "--password-stdin"]
    assert CliRunner().invoke(_cli(), args, input="long password\n").exit_code == 0
    again = CliRunner().invoke(_cli(), args, input="long password\n")
    assert again.exit_code == 1 and "已被使用" in again.output


@SQLITE_ONLY
def test_user_add_rejects_an_unknown_role(env: dict[str, str]) -> None:
    result = CliRunner().invoke(_cli(), ["user", "add", "li", "--role", "boss", "--password-stdin"], input="x\n")
    assert result.exit_code == 2 and "boss" in result.output


# --- errors and headers --------------------------------------------------------------------------


@pytest.fixture
def failing_app(app: Flask) -> Flask:
    """The application with a route raising each domain error (added before the first request)."""
    errors = {
        "input": InputError("the office code 'x' is unknown"),
        "missing": NotFound("no duty 7"),
        "clash": Conflict("version 3 is newer"),
    }

    def boom(kind: str) -> str:
        raise errors[kind]

    app.add_url_rule("/boom/<kind>", view_func=boom)
    return app


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [("input", 400, "office code"), ("missing", 404, "no duty 7"), ("clash", 409, "version 3")],
)
def test_domain_errors_become_4xx_pages_with_their_message(
    failing_app: Flask, kind: str, status: int, message: str
) -> None:
    client = failing_app.test_client()
    page = client.get(f"/boom/{kind}")
    assert page.status_code == status and message in page.get_data(as_text=True)
    as_json = client.get(f"/boom/{kind}", headers={"Accept": "application/json"})
    assert as_json.status_code == status and message in as_json.get_json()["message"]


@SQLITE_ONLY
def test_pages_carry_a_strict_content_security_policy(client: FlaskClient) -> None:
    headers = client.get("/").headers
    assert (
        "default-src 'self'" in headers["Content-Security-Policy"]
        and "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    )
    assert headers["X-Content-Type-Options"] == "nosniff"


@SQLITE_ONLY
def test_a_wrong_method_answers_405_with_the_allowed_ones(client: FlaskClient) -> None:
    response = client.delete("/login")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


def test_an_id_too_large_for_the_database_is_not_found_rather_than_an_error(
    client_as: Callable[..., FlaskClient],
) -> None:
    planner = client_as("planner")
    huge = "9" * 30
    for path in (f"/clerk/duties/{huge}", f"/planner/lawyers/{huge}", f"/api/v1/lawyers/{huge}"):
        response = planner.get(path)
        assert response.status_code == 404, (path, response.status_code)


def test_serve_refuses_a_database_that_does_not_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("werkzeug.serving.run_simple", lambda *args, **kwargs: None)
    missing = tmp_path / "nowhere" / "scheduler.sqlite3"
    env = {"SCHEDULER_DATABASE_URL": f"sqlite:///{missing}", "SCHEDULER_SECRET_KEY": "k"}
    result = CliRunner().invoke(_cli(), ["serve"], env=env)
    assert result.exit_code == 1 and f"错误：{missing} 处没有数据库" in result.output
    assert not missing.exists()
