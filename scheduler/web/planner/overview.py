"""The planner's overview page: periods with their drafts and published versions, recent solve jobs."""

from __future__ import annotations

from flask import render_template

from scheduler.planning.job_status import recent_jobs
from scheduler.rosters.review import period_rows
from scheduler.web import db_session, today
from scheduler.web.auth import role_required
from scheduler.web.forms import SolveForm
from scheduler.web.planner.blueprint import PLANNERS, bp


def render_index(form: SolveForm, status: int = 200, running_job: int | None = None) -> tuple[str, int]:
    """The overview page with `form` (as submitted, with its errors, or empty)."""
    db = db_session()
    page = render_template(
        "planner/index.html",
        form=form,
        periods=period_rows(db),
        jobs=recent_jobs(db),
        running_job=running_job,
        today=today(),
    )
    return page, status


@bp.get("/")
@role_required(*PLANNERS)
def index() -> tuple[str, int]:
    """The periods with their drafts and published versions, recent solve jobs, and the form to solve a period."""
    return render_index(SolveForm())
