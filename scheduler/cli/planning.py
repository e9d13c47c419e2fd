"""Commands that prepare a period: working-day overrides, window duties, leader reception days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.cli.common import DATE, session_scope
from scheduler.cli.duty_changes import parse_time, report
from scheduler.models import HolidayOverride
from scheduler.models.changes import Proposal
from scheduler.planning import holidays as holiday_service
from scheduler.planning.duties import LeaderDaySpec, generate_windows

ACTOR = "cli"


@click.group()
def holidays() -> None:
    """Working-day overrides for years chinesecalendar does not know (节假日安排)."""


@holidays.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--provisional", is_flag=True, help="Mark the days as expected, not yet official.")
def holidays_import(file: Path, provisional: bool) -> None:
    """Import a year's arrangement: CSV rows `date,kind,name`, kind `off` or `workday`.

    The rows replace whatever was stored for the years they cover. Nothing is stored if any row is bad.
    """
    from scheduler.rosters.replan import impact_of_years

    with session_scope() as session:
        result = holiday_service.import_file(session, file, ACTOR, confirmed=not provisional)
        label = "provisional" if provisional else "official"
        click.echo(f"imported {result.days} days ({label}) for {', '.join(map(str, result.years))}")
        # Every existing duty the new arrangement puts on a day off, and every window now missing.
        impact = impact_of_years(session, result.years)
        if impact is not None and not impact.empty:
            click.echo(f"the duties of {impact.start}..{impact.end} no longer match the working days:")
            for line in impact.lines():
                click.echo(f"  {line}")
            click.echo(f"apply with: scheduler duties replan --from {impact.start} --to {impact.end} --accept")


@holidays.command("list")
@click.option("--year", type=int, required=True)
def holidays_list(year: int) -> None:
    """List the stored overrides of YEAR."""
    with session_scope() as session:
        rows = session.scalars(
            select(HolidayOverride).where(HolidayOverride.year == year).order_by(HolidayOverride.date)
        ).all()
        if not rows:
            click.echo(f"no overrides stored for {year}")
        for r in rows:
            flag = "" if r.confirmed else " (provisional)"
            click.echo(f"{r.date} {r.kind:<7} {r.name}{flag}")


@click.group()
def duties() -> None:
    """The duties of a period."""


@duties.command("generate")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--office", "offices", multiple=True, help="Office code; repeat for several (default: all).")
def duties_generate(start: dt.date, end: dt.date, offices: tuple[str, ...]) -> None:
    """Create the weekly window days of [FROM, TO] from each office's weekday and the working calendar,
    and the days of every hotline (`scheduler hotline set`)."""
    with session_scope() as session:
        result = generate_windows(session, start, end, ACTOR, list(offices) or None)
    click.echo(f"window and hotline duties: {result.created} created, {result.existing} already there")
    if result.provisional_years:
        years = ", ".join(map(str, result.provisional_years))
        click.echo(f"provisional: the working days of {years} are expected, not official")


@duties.command("replan")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--accept", is_flag=True, help="Apply: without it the changes are only listed.")
@click.option("--reason", default="", help="The calendar change, for the changelog (e.g. 国办发明电〔2026〕X号).")
def duties_replan(start: dt.date, end: dt.date, accept: bool, reason: str) -> None:
    """After a calendar change: move or cancel windows on days off, add missing ones, repair published rosters."""
    from scheduler.rosters.replan import calendar_impact, replan

    with session_scope() as session:
        impact = calendar_impact(session, start, end)
        for line in impact.lines():
            click.echo(line)
        if impact.empty:
            click.echo("no duty is affected by the working-day calendar")
        if not accept:
            if not impact.empty:
                click.echo("nothing changed; apply with --accept")
            return
        result = replan(session, start, end, ACTOR, reason=reason)
        for version in result.versions:
            flag = " (provisional)" if version.provisional else ""
            click.echo(f"published version {version.version} of {version.period_start}..{version.period_end}{flag}")


@click.group("leader-day")
def leader_day() -> None:
    """Leader reception days (党政领导信访接待日)."""


def _time(value: str) -> dt.time:
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a time (HH:MM)") from None


@leader_day.command("add")
@click.option("--office", required=True, help="Office code, e.g. 522301.")
@click.option("--date", "day", type=DATE, required=True)
@click.option("--start", default="09:00", show_default=True, callback=lambda c, p, v: _time(v))
@click.option("--end", default="12:00", show_default=True, callback=lambda c, p, v: _time(v))
@click.option("--needed", type=click.IntRange(1, 10), default=1, show_default=True)
@click.option("--min-years", type=click.IntRange(0, 60), default=5, show_default=True)
@click.option("--specialty", default=None)
@click.option("--language", default=None)
@click.option("--note", default="", help="The receiving leader and the topic.")
@click.option("--place", default="", help="Where, when not at the office's address.")
@click.option("--scope", default="", help="What the lawyers do there, when not the standard leader-day text.")
@click.option("--accept", is_flag=True, help="On a published period, accept the staffing proposal at once.")
def leader_day_add(
    office: str,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    needed: int,
    min_years: int,
    specialty: str | None,
    language: str | None,
    note: str,
    place: str,
    scope: str,
    accept: bool,
) -> None:
    """Add a leader reception day; refused on a statutory day off.

    On a published period the new place is staffed as a repair (a proposal; nothing else moves unless
    that is impossible): accept it with `scheduler proposal accept ID`, or at once with --accept.
    """
    from scheduler.rosters.duty_changes import add_leader_day_to_roster

    spec = LeaderDaySpec(office, day, start, end, needed, min_years, specialty, language, note, place, scope)
    with session_scope() as session:
        outcome = add_leader_day_to_roster(session, spec, ACTOR)
        click.echo(f"leader day {outcome.duty.id} added: {office} {day} {start:%H:%M}-{end:%H:%M}")
        _follow_up(session, outcome.proposal, accept)


def _follow_up(session: Session, proposal: Proposal | None, accept: bool) -> None:
    """Show the proposal a change to a published period made, and accept it when asked."""
    from scheduler.cli.changes import print_proposal
    from scheduler.rosters import proposals

    if proposal is None:
        return
    print_proposal(session, proposal)
    if accept:
        roster = proposals.accept(session, proposal.id, ACTOR)
        click.echo(f"accepted: version {roster.version} published")
    else:
        click.echo(f"accept with: scheduler proposal accept {proposal.id}")


@leader_day.command("edit")
@click.argument("duty_id", type=int)
@click.option("--date", "day", type=DATE, default=None, help="New date (a working day, same period).")
@click.option("--start", default=None, callback=parse_time, help="HH:MM")
@click.option("--end", default=None, callback=parse_time, help="HH:MM")
@click.option("--needed", type=click.IntRange(1, 10), default=None)
@click.option("--min-years", type=click.IntRange(0, 60), default=None)
@click.option("--specialty", default=None, help="'' for none.")
@click.option("--language", default=None, help="A language of the vocabulary ('' for none).")
@click.option("--note", default=None)
@click.option("--reason", required=True)
def leader_day_edit(
    duty_id: int,
    day: dt.date | None,
    start: dt.time | None,
    end: dt.time | None,
    needed: int | None,
    min_years: int | None,
    specialty: str | None,
    language: str | None,
    note: str | None,
    reason: str,
) -> None:
    """Change a leader day (moved by the leader's agenda); on a published period a new version."""
    from scheduler.rosters.duty_changes import DutyEdit, edit_duty

    change = DutyEdit(day, start, end, needed, min_years, specialty, language, note)
    with session_scope() as session:
        report(edit_duty(session, duty_id, change, reason, ACTOR))


@leader_day.command("delete")
@click.argument("duty_id", type=int)
@click.option("--reason", required=True)
def leader_day_delete(duty_id: int, reason: str) -> None:
    """Delete a leader day entered by mistake (once published it is cancelled, as versions name it)."""
    from scheduler.rosters.duty_changes import delete_leader_day

    with session_scope() as session:
        result = delete_leader_day(session, duty_id, reason, ACTOR)
        if result.duty.cancelled_at is None:
            click.echo(f"leader day {duty_id} deleted")
        else:
            report(result)
