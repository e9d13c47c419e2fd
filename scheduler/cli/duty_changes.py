"""`scheduler duty cancel|move`: change one duty; on a published period each makes a new version."""

from __future__ import annotations

import datetime as dt

import click

from scheduler.cli.common import DATE, session_scope
from scheduler.cli.group import SchedulerGroup

ACTOR = "cli"


def parse_time(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.time | None:
    """An optional HH:MM option."""
    if value is None:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a time (HH:MM)") from None


def report(result: object) -> None:
    """What a duty change did: the duty, and the version that shows it on a published period."""
    from scheduler.rosters.duty_changes import DutyChangeResult

    assert isinstance(result, DutyChangeResult)
    duty = result.duty
    state = "cancelled" if duty.cancelled_at is not None else f"{duty.date} {duty.start:%H:%M}-{duty.end:%H:%M}"
    click.echo(f"duty {duty.id}: {state}")
    if result.version is not None:
        v = result.version
        click.echo(f"published version {v.version} of {v.period_start}..{v.period_end}")
    else:
        click.echo("no published roster covers it: the duties (and the draft) were edited")


@click.group("duty", cls=SchedulerGroup)
def duty() -> None:
    """Cancel or move one duty; on a published period each change is a new version."""


@duty.command("cancel")
@click.argument("duty_id", type=int)
@click.option("--reason", required=True, help="Why (shown in the changelog and the audit).")
def duty_cancel(duty_id: int, reason: str) -> None:
    """Cancel a duty: calendars show it CANCELLED, the public notice 已取消 until its day has passed."""
    from scheduler.rosters.duty_changes import cancel_duty

    with session_scope() as session:
        report(cancel_duty(session, duty_id, reason, ACTOR))


@duty.command("move")
@click.argument("duty_id", type=int)
@click.option("--date", "day", type=DATE, required=True, help="The new date (a working day, same period).")
@click.option("--start", default=None, callback=parse_time, help="New start HH:MM (default: unchanged).")
@click.option("--end", default=None, callback=parse_time, help="New end HH:MM (default: unchanged).")
@click.option("--reason", required=True)
def duty_move(duty_id: int, day: dt.date, start: dt.time | None, end: dt.time | None, reason: str) -> None:
    """Move a duty; its lawyers stay if still free and eligible, the other places are repaired."""
    from scheduler.rosters.duty_changes import DutyEdit, edit_duty

    with session_scope() as session:
        report(edit_duty(session, duty_id, DutyEdit(date=day, start=start, end=end), reason, ACTOR))
