"""`scheduler demo`: the main job of `make run`, unattended from an empty database to published calendars."""

from __future__ import annotations

import datetime as dt

import click
from sqlalchemy import select

from scheduler.calendars.feeds import PREFECTURE_PATH, feed_url, office_path, private_path
from scheduler.calendars.static_files import publish_all
from scheduler.cli.common import DATE, open_database, settings
from scheduler.cli.solving import run_solve, solve_options
from scheduler.db import transaction
from scheduler.demo import PREFECTURE, build_demo
from scheduler.models import Lawyer, Office
from scheduler.models.rosters import utcnow
from scheduler.people.accounts import create_demo_accounts
from scheduler.rosters.drafts import current_draft
from scheduler.rosters.publishing import publish_draft
from scheduler.rosters.versions import current_published

ACTOR = "demo"


@click.command()
@click.option("--today", type=DATE, default=None, help="Plan as if today were this date (default: today).")
@solve_options
def demo(today: dt.date | None, time_limit: float, workers: int, seed: int) -> None:
    """Build the demo prefecture (Qianxinan, 黔西南州) if missing, solve and publish its next 13 weeks,
    and write the calendar files."""
    config = settings()
    with open_database(create=True) as factory:
        with transaction(factory) as session:
            summary = build_demo(session, today or dt.date.today())
            accounts = create_demo_accounts(session)
            has_roster = (
                current_draft(session, summary.start, summary.end) is not None
                or current_published(session, summary.start, summary.end) is not None
            )
        click.echo(f"demo database ({'created' if summary.created else 'already present'}): {config.database_url}")
        click.echo(
            f"  {summary.offices} offices, {summary.firms} law firms, {summary.lawyers} lawyers, "
            f"{summary.duties} duties from {summary.start} to {summary.end}"
        )
        click.echo("  demo accounts (demo passwords; change them for real use):")
        for account in accounts:
            linked = f" -> lawyer {account.lawyer}" if account.lawyer else ""
            click.echo(f"    {account.role:<8} {account.username:<10} password {account.password}{linked}")
        if summary.provisional_years:
            years = ", ".join(map(str, summary.provisional_years))
            click.echo(f"  provisional: {years} uses the expected working-day arrangement, not yet official")
        if has_roster:
            click.echo("  the period already has a roster; `scheduler solve` and `publish-roster` make a new one")
        else:
            run_solve(summary.start, summary.end, time_limit, workers, seed, today=today)
            with transaction(factory) as session:
                roster = publish_draft(session, summary.start, summary.end, ACTOR, "demo")
                click.echo(f"published version {roster.version} of the demo roster")
        with factory() as session:
            result = publish_all(session, config, utcnow())
            office = session.scalar(select(Office).where(Office.code == PREFECTURE))
            lawyer = session.scalar(select(Lawyer).order_by(Lawyer.id))
        click.echo(
            f"calendars: {len(result.written)} written, {len(result.unchanged)} unchanged in {config.calendars_dir}"
        )
        if office is not None and lawyer is not None:
            click.echo(f"  prefecture feed: {feed_url(config, PREFECTURE_PATH)}")
            click.echo(f"  office feed ({office.name}): {feed_url(config, office_path(office.code))}")
            click.echo(
                f"  a lawyer's private feed ({lawyer.name}): {feed_url(config, private_path(lawyer.calendar_token))}"
            )
