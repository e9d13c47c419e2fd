"""The API's assessment: GET /assessment/{year}, the lawyers' counts and grades and the commendation list
(planners and admins; a scoped planner sees their offices' lawyers only). Grades are computed and
overridden on the planner's page or with `scheduler assessment grade`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue

from scheduler.attendance.assessment import COUNTS, annual_assessment
from scheduler.attendance.grading import GradedRow, commendations, configured_rules, graded_rows
from scheduler.web import db_session, today
from scheduler.web.api.auth import PLANNERS, reader
from scheduler.web.auth import current_scope

bp = Blueprint("assessment", __name__)


def _lawyer(g: GradedRow) -> dict[str, Any]:
    row = g.row
    return {
        "lawyer_id": row.lawyer_id,
        "name": row.name,
        "licence_no": row.licence_no,
        "firm": row.firm,
        "counts": {count: getattr(row, count) for count in COUNTS},
        "flagged": row.flagged,
        "grade": g.final,
        "computed": g.computed,
        "override": g.override,
        "override_reason": g.override_reason,
        "reasons": [{"code": r.code, "params": dict(r.params), "text": r.text()} for r in g.reasons],
    }


@bp.get("/assessment/<int:year>")
@reader(*PLANNERS)
def assessment(year: int) -> ResponseReturnValue:
    """The year's assessment with each lawyer's grade (null until computed) and the commendation list."""
    if not 2000 <= year <= 2100:
        abort(404)  # after the role check: an out-of-range year tells an anonymous caller nothing
    report = annual_assessment(db_session(), year, today=today(), scope=current_scope())
    rows = graded_rows(db_session(), report)
    proposed = commendations(rows, configured_rules(db_session())[1])
    return jsonify(
        {
            "year": year,
            "graded": any(g.final for g in rows),
            "lawyers": [_lawyer(g) for g in rows],
            "commendation": {
                "lawyer_ids": [row.lawyer_id for row in proposed.lawyers],
                "firms": list(proposed.firms),
            },
        }
    )
