"""`scheduler serve` (the web application) and `scheduler user add|password|disable|enable` (its accounts)."""

from __future__ import annotations

import sys

import click

from scheduler.cli.common import session_scope
from scheduler.core.errors import InputError
from scheduler.models.accounts import ROLES
from scheduler.people.accounts import create_account, normalise_username, set_active, set_password


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every interface).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
def serve(host: str, port: int) -> None:
    """Serve the web application with Werkzeug's threaded server (a demo or one office).

    For production run gunicorn behind a reverse proxy: gunicorn 'scheduler.web:create_app()'.
    """
    from werkzeug.serving import run_simple

    from scheduler.cli.common import settings, sqlite_file
    from scheduler.web import create_app

    # Like every command but `demo`: never start on a fresh empty database created by mistake.
    path = sqlite_file(settings().database_url)
    if path is not None and not path.exists():
        raise NoDatabaseToServe(path=path)
    app = create_app()
    click.echo(f"serving on http://{host}:{port}/ (Ctrl+C stops)")
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


@click.group()
def user() -> None:
    """Accounts of the web application."""


def _password(from_stdin: bool) -> str:
    if from_stdin:
        # One line, as `echo "$PASSWORD" | scheduler user add ...` or a secret manager gives it.
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise NoPasswordOnStdin()
        return line
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


class NoDatabaseToServe(InputError):
    code = "cli.no_database_to_serve"
    template = (
        "{path} 处没有数据库：请设置 SCHEDULER_DATABASE_URL（或 SCHEDULER_INSTANCE_DIR），"
        "或用 scheduler demo 建立演示数据，或用 alembic upgrade heads 建立数据库结构"
    )


class NoPasswordOnStdin(InputError):
    code = "cli.no_password_on_stdin"
    template = "--password-stdin：标准输入中没有密码"


class LawyerOptionForLawyers(InputError):
    code = "cli.lawyer_option"
    template = "角色为 lawyer 时须给出 --lawyer 执业证号，其他角色不能给"


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the account may do.")
@click.option("--lawyer", "licence", default=None, help="The lawyer's licence number (role lawyer only).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
def add(username: str, role: str, licence: str | None, password_stdin: bool) -> None:
    """Create the account USERNAME with a role; a lawyer's account is linked to the lawyer's record."""
    name = normalise_username(username)  # a bad name fails before the password is asked
    if (role == "lawyer") != (licence is not None):
        raise LawyerOptionForLawyers()
    password = _password(password_stdin)
    with session_scope() as session:
        account = create_account(session, name, role, password, lawyer_licence=licence, actor="cli")
        linked = f" for lawyer {licence}" if account.lawyer_id is not None else ""
    click.echo(f"created {role} account {name!r}{linked}")


@user.command("password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
def password(username: str, password_stdin: bool) -> None:
    """Set a new password for USERNAME; every session of the account ends and a lockout is lifted."""
    new = _password(password_stdin)
    with session_scope() as session:
        set_password(session, username, new, actor="cli")
    click.echo(f"new password set for {username.strip().lower()!r}; its sessions have ended")


@user.command("disable")
@click.argument("username")
def disable(username: str) -> None:
    """Disable USERNAME: no sign-in, and every session of the account ends at once."""
    with session_scope() as session:
        set_active(session, username, False, actor="cli")
    click.echo(f"disabled {username.strip().lower()!r}; its sessions have ended")


@user.command("enable")
@click.argument("username")
def enable(username: str) -> None:
    """Enable USERNAME again (and lift a lockout)."""
    with session_scope() as session:
        set_active(session, username, True, actor="cli")
    click.echo(f"enabled {username.strip().lower()!r}")
