"""`scheduler demo`: the main job of `make run`, unattended from an empty database to a roster."""

from __future__ import annotations

import datetime as dt

import click

from scheduler.cli.common import DATE, session_scope, settings
from scheduler.cli.solving import run_solve, solve_options
from scheduler.demo import build_demo
from scheduler.services.rosters import current_draft


@click.command()
@click.option("--today", type=DATE, default=None, help="Plan as if today were this date (default: today).")
@solve_options
def demo(today: dt.date | None, time_limit: float, workers: int, seed: int) -> None:
    """Build the demo prefecture (Qianxinan, 黔西南州) if missing and solve its next 13 weeks."""
    with session_scope() as session:
        summary = build_demo(session, today or dt.date.today())
        has_roster = current_draft(session, summary.start, summary.end) is not None
    action = "created" if summary.created else "already present"
    click.echo(f"demo database ({action}): {settings().database_url}")
    click.echo(
        f"  {summary.offices} offices, {summary.firms} law firms, {summary.lawyers} lawyers, "
        f"{summary.duties} duties from {summary.start} to {summary.end}"
    )
    if summary.provisional_years:
        years = ", ".join(map(str, summary.provisional_years))
        click.echo(f"  provisional: {years} uses the expected working-day arrangement, not yet official")
    if has_roster:
        click.echo("  the period already has a draft roster; `scheduler solve` makes a new one")
        return
    run_solve(summary.start, summary.end, time_limit, workers, seed)
