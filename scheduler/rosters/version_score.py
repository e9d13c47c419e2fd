"""The score of a version made by a change, recomputed from the version's own assignments.

A version made by a swap, a cover, a repair, a proposal or a duty change is not the solver's roster:
copying its parent's report would show the parent's score (a swap would read "changes to the published
roster: 0"). The solver's own plain-Python scorer (`objective.term_values`, which the independent checker
uses) scores the new assignments against the period's problem, whose reference is the parent version; open
places and fairness are recomputed the same way. The parent's proven bound says nothing about a hand-made
version, so it is dropped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from scheduler.core.problem import Problem
from scheduler.solver.explain import explain_unstaffed
from scheduler.solver.measures import pool_fairness
from scheduler.solver.objective import term_values

# Marks a report whose score was recomputed for a hand-made version, so the review can say so.
RESCORED = "rescored"


def rescored_report(
    problem: Problem, parent_report: Mapping[str, Any] | None, assignments: Mapping[int, Sequence[int]]
) -> dict[str, Any]:
    """`parent_report` with the objective, its terms, the open places and fairness of `assignments`."""
    terms = term_values(problem, assignments)
    unstaffed = explain_unstaffed(problem, assignments)
    return {
        **dict(parent_report or {}),
        RESCORED: True,
        "objective": sum(terms.values()),
        "terms": dict(terms),
        "bound": None,
        "gap": None,
        "open_places": sum(u.missing for u in unstaffed),
        "fairness": [dataclasses.asdict(f) for f in pool_fairness(problem, assignments)],
        "unstaffed": [
            {
                "duty_id": u.duty_id,
                "missing": u.missing,
                "reasons": [{"code": r.code, "en": r.text(lang="en"), "zh": r.text(lang="zh")} for r in u.reasons],
            }
            for u in unstaffed
        ],
    }
