"""The API's rosters: published duties (public), suggestions, versions and diffs, publishing, solve jobs."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, jsonify, url_for
from flask.typing import ResponseReturnValue

from scheduler.people import scope
from scheduler.planning import jobs
from scheduler.rosters import publishing
from scheduler.solver import SolveParams
from scheduler.web import db_session, settings, today
from scheduler.web.api import shaping as api_views
from scheduler.web.api import shaping_suggestions
from scheduler.web.api.auth import PLANNERS, STAFF, reader
from scheduler.web.api.inputs import (
    DutiesQuery,
    NewSolveJob,
    Publish,
    RostersQuery,
    SuggestionsQuery,
    body,
    parse_period,
    query,
)
from scheduler.web.auth import actor, current_scope, office_scoped, require_offices, role_required

bp = Blueprint("rosters", __name__)
# Where the application keeps its solve job runner: the agreed key, then the planner area's own name for it.
# The API shares the planner's runner (one solve at a time per process) and makes one only if none is there.
JOB_RUNNER = "scheduler.job_runner"
RUNNER_KEYS = (JOB_RUNNER, "scheduler.solve_runner")
DEFAULT_SPAN = dt.timedelta(days=30)


@bp.get("/duties")
def duties() -> ResponseReturnValue:
    """The published duties of ?from= (default today) to ?to= (default 30 days on), of one ?office= or all
    (public: names and firms only, as on the notice)."""
    asked = query(DutiesQuery, today=today())
    start = asked.start or today()
    end = asked.end or start + DEFAULT_SPAN
    return jsonify(api_views.published_duties(db_session(), start, end, asked.office or None))


@bp.get("/duties/<int(min=1, max=2147483647):duty_id>/suggestions")
@reader(*STAFF)
@office_scoped
def suggestions(duty_id: int) -> ResponseReturnValue:
    """Feasible changes to a published duty, best first: who could take ?replace=LAWYER_ID's place (or an open
    place), or with ?swap=LAWYER_ID whom that lawyer could exchange duties with."""
    asked = query(SuggestionsQuery)
    found = shaping_suggestions.suggestions(
        db_session(), duty_id, asked.replace, asked.swap, asked.limit, today(), current_scope()
    )
    return jsonify(found)


@bp.get("/rosters")
@reader(*STAFF)
def rosters() -> ResponseReturnValue:
    """Every draft and version of the periods overlapping ?from= and ?to= (both optional)."""
    asked = query(RostersQuery)
    return jsonify(api_views.roster_list(db_session(), asked.start, asked.end))


@bp.get("/rosters/<int(min=1, max=2147483647):roster_id>")
@reader(*STAFF)
@office_scoped
def roster(roster_id: int) -> ResponseReturnValue:
    """One draft or version with its assignments and changelog."""
    return jsonify(api_views.roster_detail(db_session(), roster_id))


@bp.get("/rosters/<int(min=1, max=2147483647):roster_id>/diff/<int(min=1, max=2147483647):other_id>")
@reader(*STAFF)
@office_scoped
def diff(roster_id: int, other_id: int) -> ResponseReturnValue:
    """Each duty whose lawyers differ between two versions of one period."""
    return jsonify(api_views.roster_diff(db_session(), roster_id, other_id))


@bp.post("/rosters/<period>/publish")
@role_required(*PLANNERS)
def publish(period: str) -> ResponseReturnValue:
    """Publish the draft of the period START..END as its next version; the version before is superseded."""
    start, end = parse_period(period)
    reason = body(Publish, optional=True).reason
    db = db_session()
    require_offices(scope.period_offices(db, start, end))
    published = publishing.publish_draft(db, start, end, actor(), reason)
    answer = api_views.roster_summary(published)
    db.commit()
    return jsonify(answer)


def job_runner() -> jobs.JobRunner:
    """The application's solve job runner; when the planner area has not set one, an RQ runner if Redis is
    configured (as `scheduler worker` expects), else a thread of this process, made once and kept."""
    runner: jobs.JobRunner | None = next(
        (current_app.extensions[key] for key in RUNNER_KEYS if key in current_app.extensions), None
    )
    if runner is None:
        url = settings().redis_url
        made = jobs.RQRunner(url) if url else jobs.ThreadRunner(current_app.extensions["scheduler.sessions"])
        runner = current_app.extensions.setdefault(JOB_RUNNER, made)
    return runner


@bp.post("/solve-jobs")
@role_required(*PLANNERS)
def start_solve() -> ResponseReturnValue:
    """Queue a solve of the period from..to; the job's progress is at its Location."""
    given = body(NewSolveJob)
    params = SolveParams(time_limit_s=given.time_limit_s, workers=given.workers, seed=given.seed)
    db = db_session()
    require_offices(scope.period_offices(db, given.start, given.end))
    job = jobs.start_solve(db, given.start, given.end, params, actor())
    jobs.submit_after_commit(db, job, job_runner())  # QueueUnavailable: a 503, the job marked failed
    location = url_for("api.rosters.solve_job", job_id=job.id)
    return jsonify(api_views.solve_job_json(job)), 202, {"Location": location}


@bp.get("/solve-jobs/<int(min=1, max=2147483647):job_id>")
@reader(*STAFF)
def solve_job(job_id: int) -> ResponseReturnValue:
    """A solve job's state and progress, and the draft it made once it succeeded."""
    db = db_session()
    if jobs.reap(db):  # a follower learns of a killed worker here too, not only on the planner's page
        db.commit()
    return jsonify(api_views.solve_job_json(jobs.get_job(db, job_id)))
