"""Showing a solve on the terminal: a progress bar while it runs, then the report term by term.

Shared by `scheduler solve` (database) and `scheduler solve-file` / `check-file` (JSON files).
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Mapping

import click

from scheduler.core.problem import Duty, Problem
from scheduler.solver import Progress, SolveReport

BAR_WIDTH = 24


def progress_bar(elapsed_s: float, limit_s: float) -> str:
    """`[#####-------]` filled by the share of the time limit used."""
    filled = round(BAR_WIDTH * min(1.0, elapsed_s / limit_s)) if limit_s > 0 else BAR_WIDTH
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]"


class ProgressLine:
    """A progress bar on stderr, moved by each improving solution: one updating line on a terminal,
    else (a log file, CI) at most a line a second."""

    def __init__(self, time_limit_s: float) -> None:
        self.time_limit_s = time_limit_s
        self.on_terminal = sys.stderr.isatty()
        self.shown_at: float | None = None
        # The solver reports from its own search thread.
        self.lock = threading.Lock()

    def __call__(self, progress: Progress) -> None:
        text = (
            f"solving {progress_bar(progress.elapsed_s, self.time_limit_s)} "
            f"{progress.elapsed_s:.1f}/{self.time_limit_s:g} s  objective {progress.objective:,}  "
            f"bound {progress.bound:,}"
        )
        with self.lock:
            now = time.monotonic()
            if self.on_terminal:
                click.echo(f"\r{text:<100}", err=True, nl=False)
            elif self.shown_at is None or now - self.shown_at >= 1.0:
                click.echo(text, err=True)
            else:
                return
            self.shown_at = now

    def close(self) -> None:
        with self.lock:
            if self.on_terminal and self.shown_at is not None:
                click.echo(err=True)


def print_report(problem: Problem, report: SolveReport) -> None:
    """The solve report: status, objective and bound, each term, the fairness summary, open places."""
    click.echo(f"status: {report.status}")
    click.echo(
        f"objective: {number_text(report.objective)}  bound: {number_text(report.bound)}  "
        f"gap: {'-' if report.gap is None else f'{report.gap:.2%}'}"
    )
    first = "-" if report.first_solution_s is None else f"{report.first_solution_s:.2f} s"
    click.echo(f"time: {report.wall_s:.2f} s (first solution after {first})")
    print_terms(report.terms)
    if report.fairness:
        click.echo("duties per lawyer, by pool:")
        click.echo(f"  {'pool':<24} {'lawyers':>7} {'min':>5} {'median':>7} {'max':>5}")
        for f in report.fairness:
            click.echo(f"  {f.pool:<24} {f.lawyers:>7} {f.min:>5} {f.median:>7.1f} {f.max:>5}")
    duties = {duty.id: duty for duty in problem.duties}
    if report.unstaffed:
        click.echo("unstaffed places:")
    for unstaffed in report.unstaffed:
        click.echo(f"  {duty_label(problem, duties[unstaffed.duty_id])}: {unstaffed.missing} missing")
        for reason in unstaffed.reasons:
            click.echo(f"    - {reason.text(lang='en')}")
    if report.conflicts:
        click.echo("conflicts:")
    for conflict in report.conflicts:
        click.echo(f"  - {conflict}")


def print_terms(terms: Mapping[str, int]) -> None:
    if terms:
        click.echo("objective terms:")
    for name, value in terms.items():
        click.echo(f"  {name:<24} {value:>12,}")


def duty_label(problem: Problem, duty: Duty) -> str:
    office = next((o.name for o in problem.offices if o.id == duty.office_id), f"office {duty.office_id}")
    return f"duty {duty.id}, {duty.kind} at {office} on {duty.date} {duty.start:%H:%M}"


def number_text(value: int | None) -> str:
    return "-" if value is None else f"{value:,}"
