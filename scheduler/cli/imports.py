"""`scheduler import ...` and `scheduler export ...`: lawyers and their unavailability as spreadsheets."""

from __future__ import annotations

from pathlib import Path

import click

from scheduler.cli.common import session_scope
from scheduler.cli.group import SchedulerGroup
from scheduler.cli.language import say
from scheduler.people import lawyer_sheets as lawyer_io
from scheduler.people import unavailability_sheets
from scheduler.people.lawyer_sheets import ImportResult

# No exists=True: click's own message is several lines; the service names a missing file in one.
FILE = click.Path(path_type=Path)
HEADERS = click.option(
    "--headers",
    type=click.Choice(lawyer_io.LANGUAGES),
    default="zh",
    show_default=True,
    help="Language of the header row.",
)


def _report(result: ImportResult, path: Path, what: str) -> None:
    for warning in result.warnings:
        click.echo(f"warning: {say(warning)}", err=True)
    line = f"{path.name}: created {result.created}, updated {result.updated}, unchanged {result.unchanged} {what}"
    if result.firms_created:
        line += f"; created {result.firms_created} law firm{'s' if result.firms_created > 1 else ''}"
    click.echo(line)


# SchedulerGroup here too, so that the groups print one-line errors even when run on their own.
@click.group("import", cls=SchedulerGroup)
def import_() -> None:
    """Read lawyers or unavailability from a .csv or .xlsx file; nothing is stored unless every row is valid."""


@import_.command("lawyers")
@click.argument("file", type=FILE)
def import_lawyers(file: Path) -> None:
    """Create or update lawyers (keyed by 执业证号) from FILE."""
    with session_scope() as session:
        result = lawyer_io.import_lawyers(session, file)
    _report(result, file, "lawyers")


@import_.command("unavailability")
@click.argument("file", type=FILE)
def import_unavailability(file: Path) -> None:
    """Add the days lawyers cannot serve from FILE."""
    with session_scope() as session:
        result = unavailability_sheets.import_unavailability(session, file)
    _report(result, file, "unavailability periods")


@click.group("export", cls=SchedulerGroup)
def export() -> None:
    """Write lawyers or unavailability to a .csv or .xlsx file that `import` reads back unchanged."""


@export.command("lawyers")
@click.argument("file", type=FILE)
@HEADERS
def export_lawyers(file: Path, headers: str) -> None:
    """Write every lawyer to FILE."""
    with session_scope() as session:
        count = lawyer_io.export_lawyers(session, file, headers)
    click.echo(f"{file.name}: exported {count} lawyers")


@export.command("unavailability")
@click.argument("file", type=FILE)
@HEADERS
def export_unavailability(file: Path, headers: str) -> None:
    """Write every unavailability period to FILE."""
    with session_scope() as session:
        count = unavailability_sheets.export_unavailability(session, file, headers)
    click.echo(f"{file.name}: exported {count} unavailability periods")


def _problem_export() -> None:
    # `scheduler export problem` belongs to solving (it builds the period's problem file).
    from scheduler.cli.solving import export_problem

    export.add_command(export_problem)


_problem_export()
