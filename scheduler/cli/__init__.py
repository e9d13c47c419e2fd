"""The `scheduler` command line: one group, with the commands of each area in its own module."""

from __future__ import annotations

import sys
from typing import Any

import click

from scheduler.core.errors import SchedulerError


class SchedulerGroup(click.Group):
    """A group that turns domain errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SchedulerError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)


@click.group(cls=SchedulerGroup)
@click.version_option(package_name="petition-duty-scheduler")
def main() -> None:
    """Duty rosters for lawyers at petition-reception offices (信访律师值班排班)."""


def _register() -> None:
    # Imported here so that each area's module stays independent of the others.
    from scheduler.cli import attendance, calendars, changes, demo, imports, jobs, planning, solver_files, solving, web

    for command in (
        demo.demo,
        planning.holidays,
        planning.duties,
        planning.leader_day,
        imports.import_,
        imports.export,
        solving.solve,
        solver_files.solve_file,
        solver_files.check_file,
        changes.publish_roster,
        changes.roster,
        changes.lawyer,
        changes.swap,
        changes.cover,
        changes.proposal,
        changes.suggest,
        changes.swap_request,
        jobs.worker,
        calendars.publish,
        calendars.send_notices,
        calendars.calendar,
        attendance.attendance,
        attendance.report,
        attendance.allowance_rate,
        attendance.meeting,
        web.serve,
        web.user,
    ):
        main.add_command(command)
    imports.export.add_command(solving.export_problem)


_register()
