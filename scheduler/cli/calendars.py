"""Calendar commands: `publish` the static feeds, `send-notices` from the outbox, `calendar rotate-token`."""

from __future__ import annotations

import click

from scheduler.cli.common import open_database, settings
from scheduler.cli.group import SchedulerGroup
from scheduler.db import transaction

# The calendars area is imported inside each command: loading it pulls the rosters and the solver
# (OR-Tools, pandas), which `scheduler publish --help` must not wait for.

ACTOR = "cli"


@click.command("publish")
@click.option(
    "--sync/--no-sync",
    default=True,
    show_default=True,
    help="First bring the calendars in step with every published roster (picks up edited offices and duties).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Publish even when the database has no office or lawyer feed although the folder has some (removes them).",
)
def publish(sync: bool, allow_empty: bool) -> None:
    """Write every calendar feed into the calendars folder; files whose bytes would not change are not touched."""
    from scheduler.calendars.static_files import publish_all
    from scheduler.calendars.sync import sync_all_published
    from scheduler.models.rosters import utcnow

    config = settings()
    now = utcnow()
    with open_database() as factory:
        if sync:
            with transaction(factory) as session:
                results = sync_all_published(session, ACTOR, now, settings=config)
            changed = [r for r in results if r.changed]
            if changed:
                notices = sum(r.notices for r in changed)
                click.echo(f"synced {len(changed)} period(s) with edits; {notices} notice(s) queued")
        with factory() as session:
            result = publish_all(session, config, now, allow_empty=allow_empty)
    click.echo(
        f"calendars: {len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed ({config.calendars_dir})"
    )


@click.command("send-notices")
@click.option("--limit", type=click.IntRange(min=1), default=1000, show_default=True, help="At most this many.")
def send_notices(limit: int) -> None:
    """Send the queued change notices through the SMTP server (SCHEDULER_SMTP_HOST, _PORT, _FROM).

    A notice that fails stays queued with its error and is tried again by the next run.
    """
    from scheduler.calendars.change_mail import pending_count, send_pending, smtp_settings

    with open_database() as factory:
        result = send_pending(factory, smtp_settings(settings()), limit=limit)
        with factory() as session:
            waiting = pending_count(session)
    click.echo(f"notices: {result.sent} sent, {result.failed} failed, {waiting} still queued")
    for error in result.errors:
        click.echo(f"  {error}", err=True)
    if result.failed:
        raise SystemExit(1)


@click.group("calendar", cls=SchedulerGroup)
def calendar() -> None:
    """Lawyers' private calendars."""


@calendar.command("rotate-token")
@click.argument("licence")
@click.option("--reason", default="", help="Why (e.g. the link was forwarded); kept in the audit log.")
def rotate(licence: str, reason: str) -> None:
    """Give lawyer LICENCE a new private calendar URL; the old one answers 404 and its static file is removed."""
    from scheduler.calendars.feeds import feed_url, private_path
    from scheduler.calendars.rotation import rotate_and_republish
    from scheduler.models.rosters import utcnow

    config = settings()
    with open_database() as factory, factory() as session:
        rotation = rotate_and_republish(session, licence, ACTOR, reason, utcnow())
    click.echo(feed_url(config, private_path(rotation.token)))
    if rotation.error:
        click.echo(f"error: the old static file may still be served: {rotation.error}", err=True)
        raise SystemExit(1)
