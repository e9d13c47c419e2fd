"""`scheduler user list|add|disable|enable|reset-password|set-role|set-offices|password`: the web
application's accounts, through the same use cases as the admin pages (scheduler.people.accounts)."""

from __future__ import annotations

import sys

import click

from scheduler.cli.common import session_scope
from scheduler.models.accounts import OFFICE_ROLES, ROLES
from scheduler.people import account_admin
from scheduler.people.account_errors import (
    LawyerLicenceForLawyers,
    NoPasswordOnStdin,
    OfficesForStaff,
    OfficesOnlyForStaff,
    OfficesOrAll,
)
from scheduler.people.accounts import (
    create_account,
    issue_reset_link,
    issue_temporary_password,
    normalise_username,
    resolve_offices,
    set_active,
    set_password,
)


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


def _offices_text(row: account_admin.AccountRow) -> str:
    if row.role not in OFFICE_ROLES and row.role != "admin":
        return "-"
    return "all offices" if row.all_offices else ", ".join(row.offices) or "-"


@user.command("list")
def list_() -> None:
    """List the accounts: username, role, state, display name, offices, linked lawyer, last sign-in."""
    with session_scope() as session:
        rows = account_admin.account_rows(session)
        for r in rows:
            state = "active" if r.active else "disabled"
            if r.must_change_password:
                state += ", must change password"
            lawyer = f" lawyer {r.lawyer} ({r.lawyer_licence})" if r.lawyer else ""
            last = f" last sign-in {r.last_login_at:%Y-%m-%d %H:%M}Z" if r.last_login_at else " never signed in"
            name = f" {r.display_name}" if r.display_name else ""
            click.echo(f"{r.username}\t{r.role}\t{state}\t{name.strip() or '-'}\t{_offices_text(r)}{lawyer}{last}")
        if not rows:
            click.echo("no accounts yet: scheduler user add USERNAME --role admin")


OFFICE_OPTION = click.option(
    "--office", "offices", multiple=True, metavar="CODE", help="An office the account holds (repeatable)."
)
ALL_OPTION = click.option("--all-offices", is_flag=True, help="The account holds every office (prefecture staff).")


def _check_office_choice(role: str, offices: tuple[str, ...], all_offices: bool) -> None:
    if role in OFFICE_ROLES and not offices and not all_offices:
        raise OfficesForStaff(role={"clerk": "窗口工作人员", "planner": "排班员"}.get(role, role))
    if role not in OFFICE_ROLES and (offices or all_offices):
        raise OfficesOnlyForStaff()


@user.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the account may do.")
@click.option("--lawyer", "licence", default=None, help="The lawyer's licence number (role lawyer only).")
@OFFICE_OPTION
@ALL_OPTION
@click.option("--display-name", default="", help="The name pages and the audit log show, e.g. 王芳.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
def add(
    username: str,
    role: str,
    licence: str | None,
    offices: tuple[str, ...],
    all_offices: bool,
    display_name: str,
    password_stdin: bool,
) -> None:
    """Create the account USERNAME with a role; a lawyer's account is linked to the lawyer's record, a
    clerk's or planner's holds offices."""
    name = normalise_username(username)  # a bad name fails before the password is asked
    if (role == "lawyer") != (licence is not None):
        raise LawyerLicenceForLawyers()
    _check_office_choice(role, offices, all_offices)
    password = _password(password_stdin)
    with session_scope() as session:
        held = resolve_offices(session, codes=offices)
        account = create_account(
            session,
            name,
            role,
            password,
            lawyer_licence=licence,
            actor="cli",
            display_name=display_name,
            offices=held,
            all_offices=all_offices,
        )
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


@user.command("reset-password")
@click.argument("username")
@click.option(
    "--link", is_flag=True, help="Print a one-time reset link (valid 24 hours) instead of a temporary password."
)
@click.option("--base-url", default="", help="The site's address for the link, e.g. https://duty.example.org.")
def reset_password(username: str, link: bool, base_url: str) -> None:
    """Reset USERNAME's password: a temporary password (shown once, to be changed at the next sign-in) or a
    one-time link."""
    with session_scope() as session:
        if link:
            token = issue_reset_link(session, username, actor="cli")
        else:
            temporary = issue_temporary_password(session, username, actor="cli")
    name = username.strip().lower()
    if link:
        click.echo(f"reset link for {name!r} (valid 24 hours, once): {base_url.rstrip('/')}/reset/{token}")
    else:
        click.echo(f"temporary password for {name!r} (shown once; changed at the next sign-in): {temporary}")


@user.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@click.option("--lawyer", "licence", default=None, help="The lawyer's licence number (role lawyer).")
@OFFICE_OPTION
@ALL_OPTION
def set_role(username: str, role: str, licence: str | None, offices: tuple[str, ...], all_offices: bool) -> None:
    """Give USERNAME another role (a lawyer's account names its lawyer); its sessions end."""
    with session_scope() as session:
        held = resolve_offices(session, codes=offices) if offices else None
        account_admin.update_account(
            session,
            username,
            "cli",
            role=role,
            lawyer_licence=licence,
            offices=held,
            all_offices=True if all_offices else (False if offices else None),
        )
    click.echo(f"{username.strip().lower()!r} is now a {role} account")


@user.command("set-offices")
@click.argument("username")
@click.argument("codes", nargs=-1)
@ALL_OPTION
def set_offices(username: str, codes: tuple[str, ...], all_offices: bool) -> None:
    """Let USERNAME (a clerk or planner) act on the offices CODES, or on every office; its sessions end."""
    if bool(codes) == all_offices:
        raise OfficesOrAll()
    with session_scope() as session:
        held = resolve_offices(session, codes=codes)
        account_admin.update_account(session, username, "cli", offices=held, all_offices=all_offices)
    where = "every office" if all_offices else ", ".join(codes)
    click.echo(f"{username.strip().lower()!r} now acts on {where}")


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
