"""The command line starts without its heavy parts: help never waits for OR-Tools, pandas or Flask."""

from __future__ import annotations

import importlib
import subprocess
import sys

import click
import pytest

from scheduler.cli import COMMANDS, main

HEAVY = ("ortools", "pandas", "flask")
PROBE = """
import sys
from scheduler.cli import main
try:
    main({args!r}, prog_name="scheduler")
except SystemExit as exc:
    assert exc.code == 0, exc.code
print("imported:" + ",".join(name for name in {heavy!r} if name in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], ["publish", "--help"], ["calendar", "rotate-token", "--help"]])
def test_help_imports_neither_or_tools_nor_flask(args: list[str]) -> None:
    # A fresh interpreter: this test process has long imported everything.
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)], capture_output=True, text=True, check=True
    )
    imported = done.stdout.rpartition("imported:")[2].strip()
    assert "Usage: scheduler" in done.stdout
    assert imported == "", f"`scheduler {' '.join(args)}` imported {imported}"


def test_the_listing_shows_each_commands_own_one_line_help() -> None:
    for name, (module, attribute, short) in COMMANDS.items():
        command = getattr(importlib.import_module(f"scheduler.cli.{module}"), attribute)
        assert command.name == name
        assert command.get_short_help_str(limit=80) == short, name


def test_every_command_is_reachable_and_an_unknown_one_is_refused() -> None:
    ctx = click.Context(main)
    assert all(isinstance(main.get_command(ctx, name), click.Command) for name in main.list_commands(ctx))
    assert main.get_command(ctx, "no-such-command") is None
