"""`scheduler user list|add|disable|enable|reset-password|set-role|set-offices|password`: the same use cases as
the admin pages, with one line per answer and one `error:` line for bad input."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.cli import users as users_cli
from scheduler.cli.group import SchedulerGroup
from scheduler.db import transaction
from scheduler.models import Lawyer, Office
from scheduler.models.accounts import User
from scheduler.people import account_admin
from scheduler.people.account_admin import UnknownRole
from scheduler.people.accounts import authenticate
from tests.web.conftest import build_roster


@pytest.fixture
def env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


@pytest.fixture
def offices(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        session.add_all([Office(code="522326", name="望谟县信访局"), Office(code="522301", name="兴义市信访局")])


def _run(*args: str, stdin: str = "") -> str:
    group: click.Group = SchedulerGroup(commands={"user": users_cli.user})
    result = CliRunner().invoke(group, ["user", *args], input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def _fails(*args: str, stdin: str = "") -> str:
    group: click.Group = SchedulerGroup(commands={"user": users_cli.user})
    result = CliRunner().invoke(group, ["user", *args], input=stdin)
    assert result.exit_code == 1 and result.output.startswith("错误："), result.output
    return result.output


def test_a_clerk_is_added_for_one_office_and_listed_with_it(
    env: dict[str, str], offices: None, session_factory: sessionmaker[Session]
) -> None:
    _run(
        "add",
        "wangfang",
        "--role",
        "clerk",
        "--office",
        "522326",
        "--display-name",
        "王芳",
        "--password-stdin",
        stdin="long password\n",
    )
    listing = _run("list")
    assert "wangfang\tclerk\tactive\t王芳\t望谟县信访局" in listing and "never signed in" in listing
    with session_factory() as session:
        row = account_admin.account_row(session, "wangfang")
        assert row.offices == ["望谟县信访局"] and not row.all_offices


def test_a_clerk_without_an_office_is_refused(env: dict[str, str], offices: None) -> None:
    assert "--office" in _fails("add", "li", "--role", "clerk", "--password-stdin", stdin="long password\n")
    assert "没有这些信访局：999999" in _fails(
        "add", "li", "--role", "clerk", "--office", "999999", "--password-stdin", stdin="long password\n"
    )


def test_set_offices_and_set_role_change_what_the_account_may_do(
    env: dict[str, str], offices: None, session_factory: sessionmaker[Session]
) -> None:
    _run("add", "zhou", "--role", "clerk", "--office", "522326", "--password-stdin", stdin="long password\n")
    assert "now acts on 522326, 522301" in _run("set-offices", "zhou", "522326", "522301")
    assert "every office" in _run("set-offices", "zhou", "--all-offices")
    assert "now a planner account" in _run("set-role", "zhou", "planner")
    with session_factory() as session:
        user = session.scalars(select(User).where(User.username == "zhou")).one()
        assert (user.role, user.all_offices, user.session_version) == ("planner", True, 3)
    assert "不能两者都给" in _fails("set-offices", "zhou", "522326", "--all-offices")


def test_reset_password_prints_a_temporary_password_or_a_link_and_the_old_one_stops_working(
    env: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    _run("add", "boss", "--role", "admin", "--password-stdin", stdin="long password\n")
    printed = _run("reset-password", "boss")
    temporary = printed.rsplit(": ", 1)[1].strip()
    with session_factory() as session:
        assert authenticate(session, "boss", "long password") is None
        user = authenticate(session, "boss", temporary)
        assert user is not None and user.must_change_password
    link = _run("reset-password", "boss", "--link", "--base-url", "https://duty.example.org/")
    assert "https://duty.example.org/reset/" in link and "valid 24 hours" in link


def test_disable_refuses_the_last_admin_and_enable_brings_an_account_back(
    env: dict[str, str], session_factory: sessionmaker[Session]
) -> None:
    _run("add", "boss", "--role", "admin", "--password-stdin", stdin="long password\n")
    assert "唯一启用的管理员账户" in _fails("disable", "boss")
    _run("add", "helper", "--role", "admin", "--password-stdin", stdin="long password\n")
    assert "disabled 'boss'" in _run("disable", "boss")
    assert "boss\tadmin\tdisabled" in _run("list")
    assert "enabled 'boss'" in _run("enable", "boss")


def test_an_account_edit_keeps_the_lawyer_link_and_the_offices_consistent_with_the_role(
    env: dict[str, str], offices: None, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    with session_factory() as session:
        first, second = (session.get_one(Lawyer, x).licence_no for x in world.lawyer_ids)
    _run("add", "li", "--role", "lawyer", "--lawyer", first, "--password-stdin", stdin="long password\n")
    _run("add", "zhao", "--role", "clerk", "--office", "522326", "--password-stdin", stdin="long password\n")
    assert "律师账户须关联一名律师" in _fails("set-role", "zhao", "lawyer")
    assert "已有账户 li" in _fails("set-role", "zhao", "lawyer", "--lawyer", first)
    _run("set-role", "zhao", "lawyer", "--lawyer", second)
    _run("set-role", "li", "admin")
    with transaction(session_factory) as session:
        rows = {r.username: r for r in account_admin.account_rows(session)}
        assert (rows["zhao"].role, rows["zhao"].offices, rows["zhao"].lawyer_licence) == ("lawyer", [], second)
        assert (rows["li"].role, rows["li"].lawyer, rows["li"].all_offices) == ("admin", "", True)
        with pytest.raises(UnknownRole):
            account_admin.update_account(session, "li", "test", role="boss")
