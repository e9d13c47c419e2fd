"""`scheduler solve`: plan a period from the database and store the result as its draft roster."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from scheduler.cli.common import DATE, open_database, session_scope
from scheduler.cli.errors import NoFolder
from scheduler.cli.report_view import ProgressLine, print_report
from scheduler.planning.problem_builder import build_problem
from scheduler.planning.solving import SolveOutcome, solve_period
from scheduler.solver import SolveParams
from scheduler.solver.format_writing import problem_to_json

ACTOR = "cli"


F = TypeVar("F", bound=Callable[..., Any])


def solve_options(func: F) -> F:
    """The solver's options, shared by `solve` and `demo`."""
    func = click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True)(func)
    func = click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)(func)
    func = click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True)(
        func
    )
    return func


def run_solve(
    start: dt.date, end: dt.date, time_limit: float, workers: int, seed: int, today: dt.date | None = None
) -> SolveOutcome:
    """Solve [start, end] with a progress line on stderr, store the draft and print the report."""
    params = SolveParams(time_limit_s=time_limit, workers=workers, seed=seed)
    progress = ProgressLine(time_limit)
    try:
        with open_database() as factory:
            outcome = solve_period(factory, start, end, params, actor=ACTOR, on_progress=progress, today=today)
    finally:
        progress.close()
    print_report(outcome.problem, outcome.solution.report)
    flag = " (PROVISIONAL: relies on an expected working-day arrangement)" if outcome.provisional else ""
    click.echo(f"draft roster {outcome.roster_id} stored as version {outcome.version} of {start}..{end}{flag}")
    warn_calendar_mismatch(start, end)
    return outcome


def warn_calendar_mismatch(start: dt.date, end: dt.date) -> None:
    """Say so when duties of the period no longer match the working-day calendar (a later import)."""
    from scheduler.rosters.replan import calendar_impact

    with session_scope() as session:
        impact = calendar_impact(session, start, end)
    if impact.empty:
        return
    click.echo(
        f"warning: {len(impact.lines())} duties of {start}..{end} do not match the working-day calendar "
        f"(windows on days off or missing); see `scheduler duties replan --from {start} --to {end}`",
        err=True,
    )


@click.command()
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@solve_options
def solve(start: dt.date, end: dt.date, time_limit: float, workers: int, seed: int) -> None:
    """Staff every duty of [FROM, TO] and store the roster as the period's draft."""
    run_solve(start, end, time_limit, workers, seed)


@click.command("problem")
@click.option("--from", "start", type=DATE, required=True)
@click.option("--to", "end", type=DATE, required=True)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def export_problem(start: dt.date, end: dt.date, file: Path) -> None:
    """Write the problem of [FROM, TO] as a standalone JSON document (docs/problem-format.md)."""
    with session_scope() as session:
        built = build_problem(session, start, end)
    document = problem_to_json(built.problem)
    if not file.parent.is_dir():
        raise NoFolder(path=file, folder=file.parent)
    file.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    problem = built.problem
    click.echo(
        f"wrote {file}: {len(problem.duties)} duties, {len(problem.lawyers)} lawyers, {len(problem.offices)} offices"
    )
