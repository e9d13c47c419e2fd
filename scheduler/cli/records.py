"""Commands for the records of the notice's other work: `reception` (接待登记) and `training` (专项培训)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from scheduler.attendance import consultations, reception_stats, training
from scheduler.attendance.reports.excel import xlsx_bytes
from scheduler.attendance.reports.export import write_file
from scheduler.cli.attendance import MONTH, TIME
from scheduler.cli.common import DATE, session_scope, settings
from scheduler.cli.group import SchedulerGroup

ACTOR = "cli"
TODAY = click.option("--today", type=DATE, default=None, help="Act as if today were this date (default: today).")


@click.group("reception", cls=SchedulerGroup)
def reception() -> None:
    """The reception log (接待登记): consultations on served duties, monthly statistics."""


@reception.command("add")
@click.option("--duty", "duty_id", type=int, required=True, help="The served duty's number (值班编号).")
@click.option("--lawyer", required=True, help="Who served it: licence number (执业证号), id or a unique name.")
@click.option("--time", "at", type=TIME, required=True, help="When the consultation began (HH:MM).")
@click.option("--visitors", type=int, default=1, show_default=True, help="Number of visitors (1-500).")
@click.option("--category", required=True, help="The matter's category, e.g. 劳动争议 (see `reception categories`).")
@click.option(
    "--referral", default="none", show_default=True, help="诉讼 仲裁 行政复议 法律援助 其他部门 无 (or codes)."
)
@click.option("--advice", default="", help="The advice given; never a visitor's name.")
@TODAY
def add(
    duty_id: int,
    lawyer: str,
    at: dt.time,
    visitors: int,
    category: str,
    referral: str,
    advice: str,
    today: dt.date | None,
) -> None:
    """Log one consultation on a duty the lawyer served."""
    spec = consultations.ConsultationSpec(duty_id, lawyer, at, visitors, category, referral, advice)
    with session_scope() as session:
        row = consultations.record_consultation(session, spec, ACTOR, today=today or dt.date.today())
        click.echo(
            f"consultation {row.id} logged: {row.duty.date} {row.duty.office.name} {row.time:%H:%M} "
            f"{row.lawyer.name}, {row.visitors} visitor(s), {row.category.name}, "
            f"{consultations.REFERRAL_ZH[row.referral]}"
        )


@reception.command("list")
@click.option("--from", "start", type=DATE, required=True, help="First duty date.")
@click.option("--to", "end", type=DATE, required=True, help="Last duty date.")
def list_(start: dt.date, end: dt.date) -> None:
    """List the consultations logged on duties of a period (without the advice text)."""
    with session_scope() as session:
        rows = consultations.consultations_between(session, start, end)
        for c in rows:
            click.echo(
                f"{c.id}\t{c.duty.date}\t{c.time:%H:%M}\t{c.duty.office.name}\t{c.lawyer.name}\t"
                f"{c.visitors}\t{c.category.name}\t{consultations.REFERRAL_ZH[c.referral]}"
            )
        if not rows:
            click.echo("no consultation")


@reception.command("remove")
@click.argument("consultation_id", type=int)
@click.option("--reason", default="", help="Why it is removed (kept in the audit log).")
def remove(consultation_id: int, reason: str) -> None:
    """Delete a consultation entered by mistake."""
    with session_scope() as session:
        consultations.remove_consultation(session, consultation_id, ACTOR, reason)
        click.echo(f"consultation {consultation_id} removed")


@reception.command("stats")
@click.option("--month", type=MONTH, required=True, help="The month (YYYY-MM).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), default=None, help="Write an .xlsx here.")
def stats(month: tuple[int, int], out: Path | None) -> None:
    """Monthly statistics per office and per lawyer: consultations and visitors by category and referral."""
    with session_scope() as session:
        report = reception_stats.reception_month(session, *month)
        if out is not None:
            write_file(out, xlsx_bytes(reception_stats.reception_tables(report, settings().bureau_name)))
            click.echo(f"wrote {out}")
            return
        click.echo(
            f"{report.year}-{report.month:02d}: {report.total.consultations} consultation(s), "
            f"{report.total.visitors} visitor(s)"
        )
        for line in (*report.offices, *report.lawyers):
            parts = [f"{c} {line.by_category[c]}" for c in report.categories if line.by_category[c]]
            click.echo(f"{line.name}\t{line.consultations}\t{line.visitors}\t{' '.join(parts)}")


@reception.command("categories")
@click.option("--add", "new", default=None, help="Add a category with this name.")
def categories(new: str | None) -> None:
    """List the consultation categories (or add one)."""
    with session_scope() as session:
        if new:
            consultations.add_category(session, new, ACTOR)
        for c in consultations.categories(session):
            click.echo(f"{c.id}\t{c.name}" + ("" if c.active else "\t(retired)"))


@click.group("training", cls=SchedulerGroup)
def training_group() -> None:
    """Trainings (专项培训): set up, invite lawyers, offices or firms, record attendance."""


@training_group.command("add")
@click.option("--title", required=True, help="The training's title.")
@click.option("--date", "day", type=DATE, required=True, help="Its date (YYYY-MM-DD).")
@click.option("--start", type=TIME, required=True, help="Start (HH:MM).")
@click.option("--end", type=TIME, required=True, help="End (HH:MM).")
@click.option("--location", default="", help="Where it is held.")
@click.option("--organiser", default="", help="Who gives it (主办单位).")
@click.option("--content", default="", help="What it covers.")
def add_training(
    title: str, day: dt.date, start: dt.time, end: dt.time, location: str, organiser: str, content: str
) -> None:
    """Set up a training; invite lawyers with `training invite`."""
    spec = training.TrainingSpec(title, day, start, end, location, organiser, content)
    with session_scope() as session:
        found = training.add_training(session, spec, ACTOR)
        click.echo(f"training {found.id} added: {found.date} {found.start:%H:%M}-{found.end:%H:%M} {found.title}")


@training_group.command("invite")
@click.argument("training_id", type=int)
@click.option("--lawyer", "lawyers", multiple=True, help="A lawyer (licence number, id or unique name); repeatable.")
@click.option("--office", "offices", multiple=True, help="Every lawyer of this office (code or name); repeatable.")
@click.option("--firm", "firms", multiple=True, help="Every lawyer of this firm (name or credit code); repeatable.")
def invite(training_id: int, lawyers: tuple[str, ...], offices: tuple[str, ...], firms: tuple[str, ...]) -> None:
    """Invite lawyers to a training, one by one or by office or firm."""
    with session_scope() as session:
        new = training.invite(session, training_id, ACTOR, lawyers=lawyers, offices=offices, firms=firms)
        click.echo(f"{len(new)} lawyer(s) invited" + "".join(f"\n{lw.licence_no}\t{lw.name}" for lw in new))


@training_group.command("attend")
@click.argument("training_id", type=int)
@click.option("--lawyer", required=True, help="The invited lawyer (licence number, id or unique name).")
@click.option("--status", required=True, help="attended, absent or excused (出席、缺席、请假).")
@click.option("--note", default="", help="A note, e.g. the reason of an excused absence.")
@TODAY
def attend(training_id: int, lawyer: str, status: str, note: str, today: dt.date | None) -> None:
    """Record (or correct) how an invited lawyer did at a training held."""
    with session_scope() as session:
        row = training.record_training_attendance(
            session, training_id, lawyer, status, ACTOR, note=note, today=today or dt.date.today()
        )
        click.echo(f"{row.lawyer.name} ({row.lawyer.licence_no}): {training.STATUS_ZH[row.status]}")


@training_group.command("list")
def list_trainings() -> None:
    """List the trainings with their invitations and attendance."""
    with session_scope() as session:
        found = training.list_trainings(session)
        for t in found:
            counts = {s: sum(1 for i in t.invitations if i.status == s) for s in training.STATUS_ZH}
            summary = " ".join(f"{training.STATUS_ZH[s]}{n}" for s, n in counts.items() if n)
            click.echo(f"{t.id}\t{t.date} {t.start:%H:%M}-{t.end:%H:%M}\t{t.title}\t{summary}")
        if not found:
            click.echo("no training")
