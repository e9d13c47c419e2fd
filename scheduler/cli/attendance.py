"""Commands for what happened on duty and what it pays: `attendance`, `allowance-rate`, `report`, `meeting`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import click

from scheduler.attendance import allowance, assessment, meetings, sign_in_sheet
from scheduler.attendance import records as attendance_service
from scheduler.attendance.grading import configured_rules, graded_rows, sheet_grading
from scheduler.attendance.records import STATUS_ZH
from scheduler.attendance.reports import export
from scheduler.calendars.feeds import uid_host
from scheduler.cli.common import DATE, session_scope, settings
from scheduler.cli.group import SchedulerGroup
from scheduler.models.attendance import ATTENDANCE_STATUSES, RECURRENCES, JointMeeting

ACTOR = "cli"
# No exists=True: click's own message is several lines; the services name a missing file in one.
FILE = click.Path(path_type=Path, dir_okay=False)
TODAY = click.option("--today", type=DATE, default=None, help="Act as if today were this date (default: today).")


class MonthParam(click.ParamType):
    """A YYYY-MM month, as (year, month)."""

    name = "month"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(value).strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            self.fail(f"{value!r} is not a month (YYYY-MM)", param, ctx)
        return int(match.group(1)), int(match.group(2))


class TimeParam(click.ParamType):
    """A HH:MM time of day."""

    name = "time"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.time:
        if isinstance(value, dt.time):
            return value
        try:
            return dt.time.fromisoformat(str(value).strip().zfill(5))
        except ValueError:
            self.fail(f"{value!r} is not a time of day (HH:MM)", param, ctx)


MONTH, TIME = MonthParam(), TimeParam()


# Attendance.


@click.group("attendance", cls=SchedulerGroup)
def attendance() -> None:
    """Record who attended past duties (出勤登记), one by one or from a sign-in sheet."""


@attendance.command("record")
@click.option("--duty", "duty_id", type=int, required=True, help="The duty's number (值班编号).")
@click.option("--lawyer", required=True, help="The rostered lawyer: licence number (执业证号) or id.")
@click.option("--status", required=True, help=f"{', '.join(ATTENDANCE_STATUSES)} (or {', '.join(STATUS_ZH.values())}).")
@click.option("--substitute", default=None, help="For 'substituted': who served instead (licence number or id).")
@click.option("--note", default="", help="A note, e.g. why the lawyer was absent.")
@TODAY
def record(duty_id: int, lawyer: str, status: str, substitute: str | None, note: str, today: dt.date | None) -> None:
    """Record (or correct) how a lawyer did on a past duty."""
    with session_scope() as session:
        row = attendance_service.record_attendance(
            session, duty_id, lawyer, status, ACTOR, substitute=substitute, note=note, today=today
        )
        instead = f", served by {row.substitute.name} ({row.substitute.licence_no})" if row.substitute else ""
        click.echo(
            f"duty {row.duty.id} ({row.duty.date} {row.duty.office.name} {row.duty.duty_type.name_zh}): "
            f"{row.lawyer.name} ({row.lawyer.licence_no}) "
            f"{row.status} ({STATUS_ZH[row.status]}){instead}"
        )


@attendance.command("import")
@click.argument("file", type=FILE)
@TODAY
def import_sheet(file: Path, today: dt.date | None) -> None:
    """Record the attendance in a sign-in sheet (.csv or .xlsx); nothing is stored unless every row is valid."""
    with session_scope() as session:
        result = sign_in_sheet.import_sign_in_sheet(session, file, ACTOR, today=today)
    line = f"{file.name}: recorded {result.created}, corrected {result.corrected}, unchanged {result.unchanged}"
    if result.skipped:
        line += f"; {result.skipped} rows without a status left out"
    click.echo(line)


@attendance.command("list")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.option("--missing", is_flag=True, help="Only rostered lawyers whose attendance is not recorded.")
@click.option("--out", type=FILE, default=None, help="Write a sign-in sheet (.csv or .xlsx) to fill and import.")
def list_attendance(start: dt.date, end: dt.date, missing: bool, out: Path | None) -> None:
    """List the period's rostered lawyers with their attendance, or write them as a sign-in sheet."""
    with session_scope() as session:
        if out is not None:
            count = sign_in_sheet.write_sign_in_sheet(session, out, start, end)
            click.echo(f"wrote {out} ({count} rows)")
            return
        lines = attendance_service.attendance_between(session, start, end)
        shown = [line for line in lines if not missing or line.status is None]
        for line in shown:
            status = f"{line.status} ({STATUS_ZH[line.status]})" if line.status else "-"
            instead = f" by {line.substitute.name} ({line.substitute.licence_no})" if line.substitute else ""
            note = f"  {line.note}" if line.note else ""
            click.echo(
                f"{line.date} duty {line.duty_id} {line.office} {line.duty_type}  "
                f"{line.name} {line.licence_no}  {status}{instead}{note}"
            )
        unrecorded = sum(1 for line in lines if line.status is None)
        click.echo(f"{len(lines)} rostered, {unrecorded} not recorded")


# Allowance rates.


@click.group("allowance-rate", cls=SchedulerGroup)
def allowance_rate() -> None:
    """Allowance rates (生活补贴标准) per duty type, each from a date on."""


@allowance_rate.command("set")
@click.option("--type", "type_code", required=True, help="Duty type code: window or leader_day.")
@click.option("--from", "effective_from", type=DATE, required=True, help="First day the rate applies.")
@click.option("--amount", required=True, help="Yuan per lawyer and duty, e.g. 200 or 187.50.")
@TODAY
def set_rate(type_code: str, effective_from: dt.date, amount: str, today: dt.date | None) -> None:
    """Pay AMOUNT yuan per duty of a type from a date (earlier months keep their rate)."""
    with session_scope() as session:
        rate = allowance.set_rate(session, type_code, effective_from, amount, ACTOR, today=today)
        click.echo(f"{rate.duty_type.name_zh} ({rate.duty_type.code}): {rate.amount} yuan from {rate.effective_from}")


@allowance_rate.command("list")
def list_rates() -> None:
    """Every rate, by duty type and date."""
    with session_scope() as session:
        found = allowance.rates(session)
        for rate in found:
            click.echo(f"{rate.duty_type.code:<12} {rate.duty_type.name_zh}  from {rate.effective_from}  {rate.amount}")
        if not found:
            click.echo("no allowance rate set; set one with: scheduler allowance-rate set --type window --from ...")


# Reports.


@click.group("report", cls=SchedulerGroup)
def report() -> None:
    """Monthly allowance and annual assessment reports as .xlsx or .csv."""


@report.command("allowance")
@click.option("--month", type=MONTH, required=True, help="YYYY-MM")
@click.option("--out", type=FILE, required=True, help="The file to write: .xlsx or .csv.")
@click.option("--by", type=click.Choice(["lawyer", "firm"]), default="lawyer", show_default=True)
@click.option(
    "--pay-late/--no-pay-late",
    default=False,
    envvar="SCHEDULER_ALLOWANCE_PAYS_LATE",
    help="Pay late duties too (default: no; env SCHEDULER_ALLOWANCE_PAYS_LATE).",
)
@TODAY
def report_allowance(month: tuple[int, int], out: Path, by: str, pay_late: bool, today: dt.date | None) -> None:
    """Write the month's allowance (生活补贴) per lawyer or per firm."""
    fmt = export.format_of(out)
    with session_scope() as session:
        result = allowance.monthly_report(session, *month, pay_late=pay_late, today=today)
    export.write_file(out, export.allowance_bytes(result, fmt, by, bureau=settings().bureau_name))
    duties = f"{result.total_count} paid dut{'y' if result.total_count == 1 else 'ies'}"
    click.echo(f"wrote {out}: {duties}, {result.total_amount} yuan")
    for duty in result.unrecorded:
        click.echo(
            f"warning: duty {duty.duty_id} on {duty.date}: attendance of "
            f"{duty.name} ({duty.licence_no}) is not recorded, so not paid",
            err=True,
        )


@report.command("assessment")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--out", type=FILE, required=True, help="The file to write: .xlsx (lawyers and firms) or .csv.")
@click.option("--chart", type=FILE, default=None, help="Also draw duties and absences per lawyer as SVG.")
@click.option(
    "--absence-threshold",
    type=click.IntRange(min=1),
    default=assessment.DEFAULT_ABSENCE_THRESHOLD,
    show_default=True,
    help="Flag lawyers with at least this many absences.",
)
@TODAY
def report_assessment(year: int, out: Path, chart: Path | None, absence_threshold: int, today: dt.date | None) -> None:
    """Write the annual assessment (年度考核) and list the lawyers flagged for removal."""
    fmt = export.format_of(out)
    if chart is not None and chart.suffix.lower() != ".svg":
        raise click.UsageError(f"{chart.name}: the chart is written as .svg")
    with session_scope() as session:
        result = assessment.annual_assessment(session, year, absence_threshold=absence_threshold, today=today)
        # Once `scheduler assessment grade` has run: the grade column and the commendation sheet (grades).
        grading = sheet_grading(graded_rows(session, result), configured_rules(session)[1])
    export.write_file(out, export.assessment_bytes(result, fmt, bureau=settings().bureau_name, grading=grading))
    click.echo(f"wrote {out}: {len(result.rows)} lawyers")
    if chart is not None:
        export.write_file(chart, export.chart_bytes(result, bureau=settings().bureau_name))
        click.echo(f"wrote {chart}")
    for row in result.flagged():
        times = f"{row.absent} time{'s' if row.absent > 1 else ''}"
        click.echo(f"{row.name} ({row.licence_no}) was absent {times}; to start the removal, run:")
        click.echo(f"  {result.removal_command(row)}")


# Joint meetings.


@click.group("meeting", cls=SchedulerGroup)
def meeting() -> None:
    """Joint meetings (联席会议) of the bureaus, shown in the office and prefecture calendars."""


def _meeting_options(f: click.decorators.FC) -> click.decorators.FC:
    options = [
        click.option("--title", required=True),
        click.option("--date", "first_date", type=DATE, required=True, help="The (first) date."),
        click.option("--start", type=TIME, required=True, help="HH:MM"),
        click.option("--end", type=TIME, required=True, help="HH:MM"),
        click.option("--location", default=""),
        click.option("--recurrence", type=click.Choice(RECURRENCES), default="once", show_default=True),
        click.option("--until", type=DATE, default=None, help="Last date of a recurring meeting."),
        click.option("--office", "office_code", default=None, help="Office code; omit for a prefecture-wide meeting."),
        click.option("--note", default=""),
        click.option("--allow-day-off", is_flag=True, help="Accept a date that is not a working day."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@meeting.command("add")
@_meeting_options
def add_meeting(
    title: str,
    first_date: dt.date,
    start: dt.time,
    end: dt.time,
    location: str,
    recurrence: str,
    until: dt.date | None,
    office_code: str | None,
    note: str,
    allow_day_off: bool,
) -> None:
    """Add a joint meeting, once or recurring; a date on a day off needs --allow-day-off."""
    spec = meetings.MeetingSpec(title, first_date, start, end, location, recurrence, until, office_code, note)
    with session_scope() as session:
        found = meetings.add_meeting(session, spec, ACTOR, allow_day_off=allow_day_off)
        click.echo(f"joint meeting {found.id} added: {_describe(found)}")


@meeting.command("change")
@click.argument("meeting_id", type=int)
@_meeting_options
def change_meeting(
    meeting_id: int,
    title: str,
    first_date: dt.date,
    start: dt.time,
    end: dt.time,
    location: str,
    recurrence: str,
    until: dt.date | None,
    office_code: str | None,
    note: str,
    allow_day_off: bool,
) -> None:
    """Replace a joint meeting's details (its calendar events are updated, not replaced)."""
    spec = meetings.MeetingSpec(title, first_date, start, end, location, recurrence, until, office_code, note)
    with session_scope() as session:
        found = meetings.change_meeting(session, meeting_id, spec, ACTOR, allow_day_off=allow_day_off)
        click.echo(f"joint meeting {found.id} is now: {_describe(found)}")


@meeting.command("remove")
@click.argument("meeting_id", type=int)
@click.option("--reason", default="")
def remove_meeting(meeting_id: int, reason: str) -> None:
    """Delete a joint meeting and its calendar events."""
    with session_scope() as session:
        meetings.remove_meeting(session, meeting_id, ACTOR, reason)
        click.echo(f"joint meeting {meeting_id} removed")


@meeting.command("list")
@click.option("--from", "start", type=DATE, default=None, help="With --to: list the occurrences in a period.")
@click.option("--to", "end", type=DATE, default=None)
def list_meetings(start: dt.date | None, end: dt.date | None) -> None:
    """List the joint meetings, or (with --from and --to) each occurrence in a period."""
    with session_scope() as session:
        if start is not None and end is not None:
            for o in meetings.meetings_between(session, start, end, host=uid_host(settings())):
                where = o.office_code or "prefecture"
                click.echo(f"{o.date} {o.start:%H:%M}-{o.end:%H:%M} {o.title} ({where}) {o.location}".rstrip())
            return
        if start is not None or end is not None:
            raise click.UsageError("give both --from and --to, or neither")
        found = meetings.list_meetings(session)
        for m in found:
            click.echo(f"{m.id}: {_describe(m)}")
        if not found:
            click.echo("no joint meeting")


def _describe(m: JointMeeting) -> str:
    repeat = "" if m.recurrence == "once" else f", {m.recurrence}" + (f" until {m.until}" if m.until else "")
    where = m.office.code if m.office else "prefecture-wide"
    place = f" at {m.location}" if m.location else ""
    return f"{m.title}, {m.first_date} {m.start:%H:%M}-{m.end:%H:%M}{place} ({where}{repeat})"
