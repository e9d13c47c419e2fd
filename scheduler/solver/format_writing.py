"""Writing the versioned JSON documents (docs/problem-format.md): a `Problem`, and a solved roster with its
report. Every key is written, so a written document shows all that matters; `problem_format` reads them.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from scheduler.core.problem import FULL_SHARE, Duty, Lawyer, Problem
from scheduler.solver.problem_format import FORMAT_VERSION, PROBLEM_FORMAT, SOLUTION_FORMAT, format_time

if TYPE_CHECKING:
    from scheduler.solver import Solution

# --- problem: Problem -> JSON ------------------------------------------------------------------


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The JSON document of `problem`, every key written out; `problem_from_json` inverts it."""
    return {
        "format": PROBLEM_FORMAT,
        "version": FORMAT_VERSION,
        "period": {"start": problem.start.isoformat(), "end": problem.end.isoformat()},
        "min_gap_days": problem.min_gap_days,
        "weights": dataclasses.asdict(problem.weights),
        "offices": [
            {"id": o.id, "code": o.code, "name": o.name, "wanted_languages": sorted(o.wanted_languages)}
            for o in problem.offices
        ],
        "lawyers": [_lawyer_to_json(lawyer) for lawyer in problem.lawyers],
        "duties": [_duty_to_json(duty) for duty in problem.duties],
        "fixed": [list(pair) for pair in sorted(problem.fixed)],
        "previous": [list(pair) for pair in sorted(problem.previous)],
    }


def _lawyer_to_json(lawyer: Lawyer) -> dict[str, Any]:
    return {
        "id": lawyer.id,
        "name": lawyer.name,
        "firm_id": lawyer.firm_id,
        "first_practice_year": lawyer.first_practice_year,
        "specialties": sorted(lawyer.specialties),
        "languages": sorted(lawyer.languages),
        "offices": sorted(lawyer.offices),
        "unavailable": [day.isoformat() for day in sorted(lawyer.unavailable)],
        "inactive": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "status": p.status,
                "reason": p.reason,
            }
            for p in lawyer.inactive
        ],
        "max_per_month": lawyer.max_per_month,
        "preferred_weekdays": sorted(lawyer.preferred_weekdays),
        "undesired_weekdays": sorted(lawyer.undesired_weekdays),
        "history_duties": lawyer.history_duties,
    }


def _duty_to_json(duty: Duty) -> dict[str, Any]:
    found: dict[str, Any] = {
        "id": duty.id,
        "office_id": duty.office_id,
        "date": duty.date.isoformat(),
        "start": format_time(duty.start),
        "end": format_time(duty.end),
        "kind": duty.kind,
        "needed": duty.needed,
        "min_years": duty.min_years,
        "specialty": duty.specialty,
        "language": duty.language,
        "note": duty.note,
    }
    # Written only when set, so a problem without hotline duties gives the same document as before.
    if duty.share != FULL_SHARE:
        found["share"] = duty.share
    if duty.served_from:
        found["served_from"] = sorted(duty.served_from)
    return found


# --- solution ----------------------------------------------------------------------------------


def solution_to_json(problem: Problem, solution: Solution) -> dict[str, Any]:
    """The JSON document of a solved roster: the lawyers of every duty, then the solver's report."""
    report = solution.report
    return {
        "format": SOLUTION_FORMAT,
        "version": FORMAT_VERSION,
        "assignments": {str(d.id): sorted(solution.assignments.get(d.id, ())) for d in problem.duties},
        "report": {
            "status": report.status,
            "objective": report.objective,
            "bound": report.bound,
            "gap": report.gap,
            "wall_s": report.wall_s,
            "first_solution_s": report.first_solution_s,
            "best_solution_s": report.best_solution_s,
            "open_places": report.open_places,
            "terms": dict(report.terms),
            # pool, lawyers, min, median, max, sum_squares, spread, group_most, group_fewest
            "fairness": [dataclasses.asdict(f) for f in report.fairness],
            "unstaffed": [
                {
                    "duty_id": u.duty_id,
                    "missing": u.missing,
                    "reasons": [{"code": r.code, "en": r.text(lang="en"), "zh": r.text(lang="zh")} for r in u.reasons],
                }
                for u in report.unstaffed
            ],
            "conflicts": list(report.conflicts),
        },
    }
