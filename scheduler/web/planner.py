"""The planner's pages (justice bureau, 司法局): blueprint `planner` at /planner, for planners and admins.

This module holds the blueprint, the background-solving runner and the overview page. The views live
in modules by subject, each adding its routes to `bp`:
  planner_people    offices, law firms, lawyers (search, edit, import)
  planner_calendar  unavailability, leader reception days, holiday overrides
  planner_rosters   solving a period in the background, its progress, reviewing and publishing a draft
  planner_reports   the monthly allowance and the annual assessment, on screen and as downloads
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template

from scheduler.services.jobs import JobRunner, RQRunner, ThreadRunner
from scheduler.services.planning_views import period_rows, recent_jobs
from scheduler.web import db_session, today
from scheduler.web.auth import role_required
from scheduler.web.forms import SolveForm

bp = Blueprint("planner", __name__, url_prefix="/planner")
PLANNERS = ("planner", "admin")
RUNNER = "scheduler.solve_runner"


def init_app(app: Flask) -> None:
    """Create the application's one solve runner: RQ workers when SCHEDULER_REDIS_URL is set, else a thread.

    One runner per application, not per request: the thread runner solves one job at a time, so two
    planners' solves queue behind each other instead of sharing the machine's cores.
    """
    url = app.extensions["scheduler.settings"].redis_url
    sessions = app.extensions["scheduler.sessions"]
    runner: JobRunner = RQRunner(url) if url else ThreadRunner(sessions, app.config.get("TODAY"))
    app.extensions[RUNNER] = runner


def runner() -> JobRunner:
    """The application's solve runner."""
    runner: JobRunner = current_app.extensions[RUNNER]
    return runner


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


# The views of each subject register themselves on `bp` when imported.
from scheduler.web import planner_calendar, planner_people, planner_reports, planner_rosters  # noqa: E402, F401
