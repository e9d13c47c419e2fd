"""Commands for the consultation hotline and mailbox (律师咨询电话、电子信箱)."""

from __future__ import annotations

import datetime as dt

import click

from scheduler.cli.common import session_scope
from scheduler.cli.duty_changes import parse_time
from scheduler.planning.hotline import (
    EVERY_WORKING_DAY,
    HotlineSpec,
    hotline_share,
    hotlines,
    remove_hotline,
    set_hotline,
)

ACTOR = "cli"


@click.group()
def hotline() -> None:
    """The consultation hotline and mailbox (律师咨询电话、电子信箱) of an office or the prefecture."""


@hotline.command("set")
@click.option("--office", required=True, help="Office code of the hotline (the prefecture's office for its own).")
@click.option("--phone", required=True, help="The number published on the notice.")
@click.option("--mailbox", default="", help="The e-mail address published on the notice.")
@click.option(
    "--pattern",
    default=EVERY_WORKING_DAY,
    show_default=True,
    help='"workdays" for every working day, or ISO weekdays such as "1,3,5" (Monday, Wednesday, Friday).',
)
@click.option("--needed", type=click.IntRange(1, 10), default=1, show_default=True, help="Lawyers per day.")
@click.option("--start", default="09:00", show_default=True, callback=parse_time)
@click.option("--end", default="17:00", show_default=True, callback=parse_time)
@click.option(
    "--served-from",
    "served_from",
    multiple=True,
    help="Code of another office whose lawyers may answer it (remote); repeat for several.",
)
@click.option("--share", type=float, default=None, help="A hotline day in fairness, as a fraction of a window day.")
def hotline_set(
    office: str,
    phone: str,
    mailbox: str,
    pattern: str,
    needed: int,
    start: dt.time,
    end: dt.time,
    served_from: tuple[str, ...],
    share: float | None,
) -> None:
    """Set up an office's hotline; `duties generate` then creates its days and `solve` staffs them."""
    spec = HotlineSpec(office, phone, mailbox, pattern, needed, start, end, served_from, share)
    with session_scope() as session:
        set_hotline(session, spec, ACTOR)
        fraction = hotline_share(session)
    click.echo(f"hotline of {office}: {phone} {mailbox}".rstrip() + f"; a hotline day counts {fraction:g} window day")


@hotline.command("list")
def hotline_list() -> None:
    """Every hotline: office, number, mailbox, days, lawyers per day, hours and the offices serving it."""
    with session_scope() as session:
        rows = hotlines(session)
        fraction = hotline_share(session)
    for row in rows:
        others = ",".join(row.served_from) or "-"
        click.echo(
            f"{row.office_code} {row.phone} {row.mailbox or '-'} {row.pattern} x{row.needed} "
            f"{row.start:%H:%M}-{row.end:%H:%M} served from: {others}"
        )
    click.echo(f"a hotline day counts {fraction:g} window day in fairness")


@hotline.command("remove")
@click.option("--office", required=True, help="Office code of the hotline.")
def hotline_remove(office: str) -> None:
    """Remove an office's hotline; duties already generated stay until cancelled."""
    with session_scope() as session:
        remove_hotline(session, office, ACTOR)
    click.echo(f"hotline of {office} removed")
