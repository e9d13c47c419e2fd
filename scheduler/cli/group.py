"""The command group class of every `scheduler` group: domain errors become one line and exit status 1."""

from __future__ import annotations

import sys
from typing import Any

import click

from scheduler.cli.language import error_line
from scheduler.core.errors import SchedulerError


class SchedulerGroup(click.Group):
    """A group that turns domain errors into a one-line message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SchedulerError as exc:
            click.echo(error_line(exc), err=True)
            sys.exit(1)
