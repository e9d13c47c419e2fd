"""Entrusted cases (委托案件): `scheduler case add|assign|suggest|status|opinion|list|remind`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from scheduler.casework import cases as casework
from scheduler.casework.reminders import DEFAULT_DAYS_BEFORE, queue_due_reminders
from scheduler.casework.views import case_rows, lawyer_cases, suggest_lawyers
from scheduler.cli.common import DATE, session_scope
from scheduler.cli.group import SchedulerGroup
from scheduler.core.errors import InputError
from scheduler.models.rosters import utcnow
from scheduler.people.standing import lawyer_by_licence

ACTOR = "cli"
TODAY = click.option("--today", type=DATE, default=None, help="Act as if today were this date (default: today).")


def _status_code(text: str) -> str:
    by_name = {name: code for code, name in casework.STATUS_NAMES.items()}
    return by_name.get(text.strip(), text.strip())


@click.group("case", cls=SchedulerGroup)
def case() -> None:
    """Entrusted cases (委托案件): add, assign lawyers, status, legal opinions, reminders."""


@case.command("add")
@click.option("--title", required=True, help="The case's name; never the petitioner's identity.")
@click.option("--summary", default="", help="What the case is about (no petitioner's identity).")
@click.option("--category", required=True, help=f"e.g. {'、'.join(casework.CASE_CATEGORIES)}.")
@click.option("--office", required=True, help="The entrusting office's code, e.g. 522301.")
@click.option("--leader", default="", help="The leader in charge (包案领导).")
@click.option("--due", type=DATE, required=True, help="Due date of the legal opinion.")
@click.option("--entrusted", type=DATE, default=None, help="Date entrusted (default: today).")
@click.option("--language", default="", help="A language the lawyers should speak (code, e.g. buyi).")
def add(
    title: str,
    summary: str,
    category: str,
    office: str,
    leader: str,
    due: dt.date,
    entrusted: dt.date | None,
    language: str,
) -> None:
    """Record a case the petition bureau entrusts to lawyers."""
    fields = casework.CaseFields(
        title=title,
        summary=summary,
        category=category,
        office_code=office,
        leader=leader,
        entrusted_on=entrusted or dt.date.today(),
        due_date=due,
        language=language.strip(),
    )
    with session_scope() as session:
        created = casework.create_case(session, fields, ACTOR)
        click.echo(f"{created.number} {created.title}: {casework.STATUS_NAMES[created.status]}, due {created.due_date}")


@case.command("edit")
@click.argument("number")
@click.option("--title", default=None)
@click.option("--summary", default=None)
@click.option("--category", default=None)
@click.option("--office", default=None, help="The entrusting office's code.")
@click.option("--leader", default=None)
@click.option("--due", type=DATE, default=None, help="A new due date (reminded again before it).")
@click.option("--language", default=None)
@click.option("--reason", default="", help="Why (kept in the audit log).")
def edit(
    number: str,
    title: str | None,
    summary: str | None,
    category: str | None,
    office: str | None,
    leader: str | None,
    due: dt.date | None,
    language: str | None,
    reason: str,
) -> None:
    """Change a case's details; what is not given stays as it is."""
    with session_scope() as session:
        found = casework.case_by_number(session, number)
        fields = casework.CaseFields(
            title=found.title if title is None else title,
            summary=found.summary if summary is None else summary,
            category=found.category if category is None else category,
            office_code=found.office.code if office is None else office,
            leader=found.leader if leader is None else leader,
            entrusted_on=found.entrusted_on,
            due_date=found.due_date if due is None else due,
            language=found.language if language is None else language.strip(),
        )
        done = casework.edit_case(session, found.id, fields, ACTOR, reason)
        click.echo(f"{done.number} {done.title}: due {done.due_date}")


@case.command("suggest")
@click.argument("number")
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@TODAY
def suggest(number: str, limit: int, today: dt.date | None) -> None:
    """Rank the lawyers who could take a case, best first (specialty, language, case load, years)."""
    with session_scope() as session:
        found = casework.case_by_number(session, number)
        for n, r in enumerate(suggest_lawyers(session, found.id, today or dt.date.today(), limit), start=1):
            c = r.candidate
            marks = ("专业对口" if r.specialty_match else "专业不对口") + ("" if r.language_match else "，语言不符")
            click.echo(
                f"{n:2d}. {c.name} ({c.firm or '-'}) {marks}，执业{r.years}年，在办{r.open_cases}件"
                f"（平均{r.average_open:.1f}） score {r.score}"
            )


@case.command("assign")
@click.argument("number")
@click.argument("licences", nargs=-1, required=True)
@click.option("--reason", default="", help="Why (kept in the audit log).")
@TODAY
def assign(number: str, licences: tuple[str, ...], reason: str, today: dt.date | None) -> None:
    """Make these lawyers (licence numbers) the case's lawyers."""
    with session_scope() as session:
        found = casework.case_by_number(session, number)
        ids = casework.lawyers_by_licence(session, list(licences))
        done = casework.assign_lawyers(session, found.id, ids, ACTOR, today=today or dt.date.today(), reason=reason)
        names = "、".join(f"{lw.name}（{lw.licence_no}）" for lw in done.lawyers)
        click.echo(f"{done.number}: {names}; {casework.STATUS_NAMES[done.status]}")


@case.command("status")
@click.argument("number")
@click.argument("status")
@click.option("--reason", default="", help="Why (kept in the audit log).")
def status(number: str, status: str, reason: str) -> None:
    """Set a case's status: accepted, in_progress, opinion_given, closed, withdrawn.

    The Chinese names work too: 受理 办理中 已出具意见 已结案 撤回.
    """
    with session_scope() as session:
        found = casework.case_by_number(session, number)
        done = casework.set_status(session, found.id, _status_code(status), ACTOR, reason)
        click.echo(f"{done.number}: {casework.STATUS_NAMES[done.status]}")


@case.command("opinion")
@click.argument("number")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def opinion(number: str, file: Path) -> None:
    """File a legal opinion (法律意见书: .pdf, .docx or .odt) for a case."""
    try:
        content = file.read_bytes()
    except OSError as exc:
        raise InputError(f"无法读取 {file}：{exc.strerror}") from exc
    with session_scope() as session:
        found = casework.case_by_number(session, number)
        filed = casework.file_opinion(session, found.id, file.name, content, ACTOR)
        click.echo(
            f"{found.number}: filed {filed.filename} ({filed.size} bytes); {casework.STATUS_NAMES[found.status]}"
        )


@case.command("list")
@click.option("--status", "status_", default=None, help="Only cases of this status.")
@click.option("--lawyer", default=None, help="Only the cases of this lawyer (licence number).")
@TODAY
def list_cases(status_: str | None, lawyer: str | None, today: dt.date | None) -> None:
    """List the cases, the nearest due date first."""
    day = today or dt.date.today()
    with session_scope() as session:
        if lawyer:
            rows = lawyer_cases(session, lawyer_by_licence(session, lawyer).id, day)
        else:
            rows = case_rows(session, day, status=_status_code(status_) if status_ else None)
        for r in rows:
            names = "、".join(lw.name for lw in r.lawyers) or "（未指派）"
            late = " 已逾期" if r.overdue else ""
            click.echo(
                f"{r.number} {r.due_date} {r.status_name}{late} {r.office_name} [{r.category}] {r.title} · {names}"
                f" · 意见书{len(r.opinions)}份"
            )
        click.echo(f"{len(rows)} case(s)")


@case.command("remind")
@click.option("--days", type=click.IntRange(min=0), default=DEFAULT_DAYS_BEFORE, show_default=True)
@TODAY
def remind(days: int, today: dt.date | None) -> None:
    """Queue a reminder e-mail for the lawyers of each open case due within DAYS days (once per due date)."""
    with session_scope() as session:
        result = queue_due_reminders(session, today or dt.date.today(), utcnow(), days_before=days, actor=ACTOR)
    click.echo(f"reminders: {len(result.cases)} case(s), {result.notices} notice(s) queued; send with send-notices")
    for who in result.without_email:
        click.echo(f"  no e-mail address: {who}", err=True)
