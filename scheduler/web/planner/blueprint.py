"""The planner blueprint (`planner` at /planner), who may use it, and the application's solve runner.

A leaf module: the view modules of scheduler.web.planner import `bp` from here and add their routes.
"""

from __future__ import annotations

from flask import Blueprint, Flask, current_app

from scheduler.planning.jobs import JobRunner, RQRunner, ThreadRunner

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
