"""`scheduler solve-file` and `scheduler check-file`: the solver on JSON files, without a database.

The documents are described in docs/problem-format.md. Every error a user can cause (a missing
file, invalid JSON, a bad field, a bad option) ends as one line "error: ..." and exit status 1.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from scheduler.cli.errors import BadArguments, BadJson, NoFolder, NotUtf8
from scheduler.cli.report_view import ProgressLine, number_text, print_report, print_terms
from scheduler.core.errors import InputError
from scheduler.core.problem import Problem
from scheduler.core.tabular_errors import CannotRead, CannotWrite
from scheduler.solver import CheckResult, SolveParams, check, solve
from scheduler.solver.format_writing import solution_to_json
from scheduler.solver.problem_format import assignments_from_solution_json, problem_from_json

FOUND = ("optimal", "feasible")


class _OneLineErrors(click.Command):
    """A command whose argument errors are InputErrors, so the group prints them as one line."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            raise BadArguments(problem=exc.format_message(), command=self.name) from exc


_FILE = click.Path(path_type=Path)  # existence is checked on reading, with a clearer message


@click.command("solve-file", cls=_OneLineErrors)
@click.argument("problem_path", metavar="PROBLEM.json", type=_FILE)
@click.option("--out", "out_path", metavar="SOLUTION.json", type=_FILE, required=True, help="Where to write.")
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0, min_open=True),
    default=SolveParams.time_limit_s,
    show_default=True,
    help="Seconds the solver may search.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=SolveParams.workers,
    show_default=True,
    help="Search threads.",
)
@click.option("--seed", type=click.IntRange(min=0), default=SolveParams.seed, show_default=True, help="Random seed.")
@click.pass_context
def solve_file(
    ctx: click.Context, problem_path: Path, out_path: Path, time_limit: float, workers: int, seed: int
) -> None:
    """Solve the roster problem in PROBLEM.json and write the roster to SOLUTION.json.

    Shows the search on stderr, then prints the report. Exit status 0 when a roster was found.
    """
    problem = load_problem(problem_path)
    if not out_path.parent.is_dir():
        raise NoFolder(path=out_path, folder=out_path.parent)
    progress = ProgressLine(time_limit)
    try:
        solution = solve(problem, SolveParams(time_limit_s=time_limit, workers=workers, seed=seed), progress)
    finally:
        progress.close()
    _write_json(out_path, solution_to_json(problem, solution))
    print_report(problem, solution.report)
    click.echo(f"roster written to {out_path}")
    ctx.exit(0 if solution.report.status in FOUND else 1)


@click.command("check-file", cls=_OneLineErrors)
@click.argument("problem_path", metavar="PROBLEM.json", type=_FILE)
@click.argument("solution_path", metavar="SOLUTION.json", type=_FILE)
@click.pass_context
def check_file(ctx: click.Context, problem_path: Path, solution_path: Path) -> None:
    """Check the roster in SOLUTION.json against every rule of PROBLEM.json and recompute its objective.

    Exit status 0 only when no hard rule is broken.
    """
    problem = load_problem(problem_path)
    doc = _read_json(solution_path)
    try:
        assignments = assignments_from_solution_json(doc, problem)
    except InputError as exc:
        raise InputError(f"{solution_path}: {exc}") from exc
    result = check(problem, assignments)
    _print_check(result, _reported_objective(doc))
    ctx.exit(1 if result.violations else 0)


def load_problem(path: Path) -> Problem:
    """The problem in a JSON file; an InputError names the file and every bad field."""
    doc = _read_json(path)
    try:
        return problem_from_json(doc)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from exc


def _read_json(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CannotRead(file=path, reason=exc.strerror or exc) from exc
    except UnicodeDecodeError as exc:
        raise NotUtf8(file=path, byte=exc.start) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BadJson(file=path, line=exc.lineno, column=exc.colno, reason=exc.msg) from exc


def _write_json(path: Path, doc: Mapping[str, Any]) -> None:
    # Written beside the target and renamed into place, so a failed write never leaves half a file.
    partial = path.with_name(f".{path.name}.partial")
    try:
        partial.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise CannotWrite(path=path, reason=exc.strerror or exc) from exc


def _print_check(result: CheckResult, reported_objective: int | None) -> None:
    if result.violations:
        click.echo(f"hard rules broken ({len(result.violations)}):")
    else:
        click.echo("no hard rule is broken")
    for violation in result.violations:
        click.echo(f"  - {violation.rule}: {violation.message}")
    click.echo(f"objective: {number_text(result.objective)}")
    print_terms(result.terms)
    if reported_objective is not None and reported_objective != result.objective:
        click.echo(f"note: the solution file reports objective {number_text(reported_objective)}")


def _reported_objective(doc: object) -> int | None:
    report = doc.get("report") if isinstance(doc, dict) else None
    objective = report.get("objective") if isinstance(report, dict) else None
    return objective if isinstance(objective, int) and not isinstance(objective, bool) else None
