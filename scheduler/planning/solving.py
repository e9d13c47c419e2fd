"""Solving a period: load the problem, solve outside any transaction, check, store the draft."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import SchedulerError
from scheduler.core.problem import Problem, Weights
from scheduler.db import transaction
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.drafts import save_draft
from scheduler.solver import Progress, Solution, SolveParams, check, solve
from scheduler.solver.format_writing import solution_to_json


class NoRoster(SchedulerError):
    """The solver found no roster: the problem is impossible as a whole, or time ran out."""


class Impossible(NoRoster):
    code = "planning.impossible"
    template = "无法为整个时段排班：{conflicts}"


class TimeRanOut(NoRoster):
    code = "planning.time_ran_out"
    template = "在 {seconds} 秒的时间限制内没有找到排班表；请给更多时间"


class CheckerDisagrees(NoRoster):
    code = "planning.checker_disagrees"
    template = "求解器给出的排班表违反规则，未保存：{rules}"


@dataclass(frozen=True)
class SolveOutcome:
    roster_id: int
    version: int
    provisional: bool
    problem: Problem
    solution: Solution


def solve_period(
    factory: sessionmaker[Session],
    start: dt.date,
    end: dt.date,
    params: SolveParams,
    *,
    actor: str,
    on_progress: Callable[[Progress], None] | None = None,
    today: dt.date | None = None,
    weights: Weights | None = None,
) -> SolveOutcome:
    """Solve [start, end] and store the result as the period's draft; nothing is stored on failure.

    The database is not held open while the solver runs (it may take minutes).
    """
    with transaction(factory) as session:
        built = build_problem(session, start, end, today=today, weights=weights)
    solution = solve(built.problem, params, on_progress)
    report = solution.report
    if report.status == "infeasible":
        raise Impossible(conflicts=list(report.conflicts))
    if report.status == "no_solution":
        raise TimeRanOut(seconds=f"{params.time_limit_s:g}")
    verdict = check(built.problem, solution.assignments)
    if verdict.violations:
        # The solver and the independent checker disagree: never store such a roster.
        raise CheckerDisagrees(rules=[v.message for v in verdict.violations])
    document = solution_to_json(built.problem, solution)
    with transaction(factory) as session:
        roster = save_draft(
            session,
            built.problem,
            solution.assignments,
            report=document["report"],
            provisional=built.provisional,
            actor=actor,
        )
        return SolveOutcome(roster.id, roster.version, built.provisional, built.problem, solution)
