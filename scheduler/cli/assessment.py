"""Commands for the assessment grades (考核等次) and the commendation list (表彰奖励)."""

from __future__ import annotations

import datetime as dt

import click

from scheduler.attendance.assessment import annual_assessment
from scheduler.attendance.grades import GRADE_LABELS
from scheduler.attendance.grading import commendations, compute_grades, configured_rules, graded_rows, override_grade
from scheduler.attendance.report_errors import NoGradesYet, OverrideNeedsGrade
from scheduler.cli.common import DATE, session_scope
from scheduler.cli.group import SchedulerGroup

ACTOR = "cli"
YEAR = click.option("--year", type=click.IntRange(2000, 2100), required=True, help="The year assessed.")
TODAY = click.option("--today", type=DATE, default=None, help="Act as if today were this date (default: today).")


@click.group("assessment", cls=SchedulerGroup)
def assessment() -> None:
    """Assessment grades (考核等次) per lawyer and the commendation list (表彰奖励)."""


@assessment.command("grade")
@YEAR
@click.option("--override", "licence", default=None, help="Override this lawyer's grade (licence number, 执业证号).")
@click.option("--grade", "value", default=None, help="The grade to set: 优秀 称职 基本称职 不称职 (or English codes).")
@click.option("--reason", default="", help="Why the grade is overridden (required with --override).")
@TODAY
def grade(year: int, licence: str | None, value: str | None, reason: str, today: dt.date | None) -> None:
    """Compute the year's grades (overrides kept), or override one lawyer's grade with a reason."""
    if (licence is None) != (value is None):
        raise OverrideNeedsGrade()
    with session_scope() as session:
        report = annual_assessment(session, year, today=today)
        if licence is not None and value is not None:
            entry = override_grade(session, report, licence, value, reason, ACTOR)
            click.echo(
                f"{licence}: {GRADE_LABELS[entry.override or entry.computed]} "
                f"(computed {GRADE_LABELS[entry.computed]}), reason: {entry.override_reason}"
            )
            return
        compute_grades(session, report, ACTOR)
        rows = graded_rows(session, report)
    for g in rows:
        overridden = f" (computed {GRADE_LABELS[g.computed]}, overridden)" if g.override and g.computed else ""
        reasons = "；".join(r.text() for r in g.reasons)
        click.echo(f"{g.row.licence_no} {g.row.name} {g.row.firm}: {g.label}{overridden} - {reasons}")
    click.echo(f"{len(rows)} lawyers graded for {year}")


@assessment.command("commendations")
@YEAR
@TODAY
def commendations_command(year: int, today: dt.date | None) -> None:
    """List the lawyers and firms proposed for commendation (grades computed with `assessment grade`)."""
    with session_scope() as session:
        rows = graded_rows(session, annual_assessment(session, year, today=today))
        rule = configured_rules(session)[1]
    if all(g.final is None for g in rows):
        raise NoGradesYet(year=year)
    proposed = commendations(rows, rule)
    click.echo(f"lawyers proposed for commendation ({len(proposed.lawyers)}):")
    for row in proposed.lawyers:
        click.echo(f"  {row.licence_no} {row.name} {row.firm}")
    click.echo(f"firms proposed for commendation ({len(proposed.firms)}):")
    for firm in proposed.firms:
        click.echo(f"  {firm}")
