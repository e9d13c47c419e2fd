"""Lawyers' availability requests (值班意愿申请): `scheduler availability open|list|approve|decline`."""

from __future__ import annotations

import datetime as dt

import click

from scheduler.cli.common import DATE, session_scope
from scheduler.cli.group import SchedulerGroup
from scheduler.people import availability_requests as requests

ACTOR = "cli"
TODAY = click.option("--today", type=DATE, default=None, help="Act as if today were this date (default: today).")


@click.group("availability", cls=SchedulerGroup)
def availability() -> None:
    """Lawyers' availability requests: request windows per period, approve or decline."""


@availability.command("open")
@click.option("--from", "start", type=DATE, required=True, help="First day of the period the requests are for.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the period.")
@click.option("--deadline", type=DATE, required=True, help="Last day lawyers may send requests.")
@click.option("--opens", type=DATE, default=None, help="First day lawyers may send requests (default: today).")
def open_(start: dt.date, end: dt.date, deadline: dt.date, opens: dt.date | None) -> None:
    """Let lawyers send requests for a period until a deadline (again: move the dates)."""
    with session_scope() as session:
        window = requests.open_window(session, start, end, opens or dt.date.today(), deadline, ACTOR)
        click.echo(f"requests for {window.period_start}..{window.period_end}: from {window.opens} to {window.deadline}")


@availability.command("list")
@click.option("--from", "start", type=DATE, default=None, help="The period's first day (with --to).")
@click.option("--to", "end", type=DATE, default=None, help="The period's last day.")
def list_(start: dt.date | None, end: dt.date | None) -> None:
    """List the request windows, or one period's requests with their numbers and states."""
    with session_scope() as session:
        if start is None or end is None:
            for w in requests.windows(session):
                click.echo(f"{w.period_start}..{w.period_end}: requests from {w.opens} to {w.deadline}")
            return
        window = requests.window_for_period(session, start, end)
        rows = requests.requests_of_window(session, window.id)
        for r in rows:
            decided = f" · {r.decision_reason}" if r.decision_reason else ""
            click.echo(
                f"{r.id:5d} {requests.STATE_NAMES[r.state]} {r.lawyer.name} ({r.lawyer.licence_no}) "
                f"{requests.describe(r)}{decided}"
            )
        click.echo(f"{len(rows)} request(s), {sum(r.state == 'pending' for r in rows)} pending")


@availability.command("approve")
@click.argument("request_ids", type=click.IntRange(1, 2**31 - 1), nargs=-1)
@click.option("--all-of", "period", nargs=2, type=DATE, default=None, help="Approve every pending request of FROM TO.")
@click.option("--reason", default="", help="A note for the lawyer (optional).")
@TODAY
def approve(
    request_ids: tuple[int, ...], period: tuple[dt.date, dt.date] | None, reason: str, today: dt.date | None
) -> None:
    """Approve requests by number (or all pending of a period): days off become unavailability."""
    day = today or dt.date.today()
    with session_scope() as session:
        decisions = [requests.approve(session, i, ACTOR, today=day, reason=reason) for i in request_ids]
        if period is not None:
            window = requests.window_for_period(session, *period)
            decisions += requests.approve_all(session, window.id, ACTOR, today=day)
        for d in decisions:
            repairs = f"; repair proposal(s) {', '.join(map(str, d.proposal_ids))}" if d.proposal_ids else ""
            click.echo(f"{d.request.id}: approved, {requests.describe(d.request)}{repairs}")
        click.echo(f"{len(decisions)} approved")


@availability.command("decline")
@click.argument("request_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--reason", required=True, help="Why (the lawyer reads it).")
def decline(request_id: int, reason: str) -> None:
    """Decline a request, with the reason the lawyer is shown."""
    with session_scope() as session:
        d = requests.decline(session, request_id, reason, ACTOR)
        click.echo(f"{d.request.id}: declined, {requests.describe(d.request)}")
