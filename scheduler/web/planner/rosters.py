"""Solving a period in the background, following its progress, reviewing a draft and publishing it.

A solve is a job in the database run by the application's runner (a thread, or RQ workers): closing
the browser does not stop it, and every planner sees the same progress, read from the job's row.
"""

from __future__ import annotations

from flask import Response, flash, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from scheduler.attendance.reports.export import MEDIA_TYPES
from scheduler.core.errors import Conflict, NotFound, SchedulerError
from scheduler.people import scope
from scheduler.planning import jobs
from scheduler.planning.duties import generate_windows
from scheduler.planning.job_status import job_status
from scheduler.rosters.drafts import discard_draft, stale_draft
from scheduler.rosters.publishing import publish_draft
from scheduler.rosters.review import PoolBars, RosterReview, roster_brief, roster_review
from scheduler.solver import SolveParams
from scheduler.web import db_session
from scheduler.web.auth import actor, office_scoped, require_every_office, require_offices, role_required
from scheduler.web.charts import fairness_chart
from scheduler.web.forms import ReasonForm, SolveForm
from scheduler.web.i18n import current_language, is_english, word
from scheduler.web.planner.blueprint import PLANNERS, bp, runner
from scheduler.web.planner.overview import render_index

SOLVE_WORKERS = 2


@bp.post("/solve")
@role_required(*PLANNERS)
def solve() -> ResponseReturnValue:
    """Start solving a period in the background (after generating its window duties, if asked) and show the job."""
    form = SolveForm()
    if not form.validate_on_submit():
        return render_index(form, 400)
    assert form.start.data and form.end.data and form.time_limit.data
    start, end = form.start.data, form.end.data
    db = db_session()
    # Solving a period changes every office with a duty in it (and generating windows, every office).
    if form.generate_windows.data:
        require_every_office()
    require_offices(scope.period_offices(db, start, end))
    # A job whose worker died (the web process restarted, say) must not block its period for ever:
    # start_solve reaps such jobs first.
    try:
        if form.generate_windows.data:
            generate_windows(db, start, end, actor())
        job = jobs.start_solve(
            db, start, end, SolveParams(time_limit_s=form.time_limit.data, workers=SOLVE_WORKERS), actor()
        )
    except Conflict as exc:
        db.rollback()
        running = jobs.active_job(db, start, end)
        form.form_errors.append(word(exc))
        return render_index(form, 409, running.id if running else None)
    except SchedulerError as exc:
        db.rollback()
        form.form_errors.append(word(exc))
        return render_index(form, 400)
    try:
        jobs.submit_after_commit(db, job, runner())
    except jobs.QueueUnavailable:
        form.form_errors.append(_("求解任务未能交给后台队列（队列服务没有响应），本次没有求解。请稍后重新开始。"))
        return render_index(form, 503)
    return redirect(url_for("planner.job", job_id=job.id))


@bp.get("/jobs/<int:job_id>")
@role_required(*PLANNERS)
def job(job_id: int) -> str:
    """A solve job's progress (updated by app.js from the JSON below), its error, or its draft once solved."""
    return render_template("planner/job.html", job=job_status(db_session(), job_id))


@bp.get("/jobs/<int:job_id>.json")
@role_required(*PLANNERS)
def job_json(job_id: int) -> Response:
    """A solve job's state and progress: objective, bound, time used and left, the error or the roster made."""
    status = job_status(db_session(), job_id)
    body = status.to_json()
    body["review_url"] = url_for("planner.roster", roster_id=status.roster_id) if status.roster_id else None
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response


def _pool_title(pool: PoolBars) -> str:
    names = "、".join(en if en and is_english() else zh for zh, en in pool.offices)
    median = f"{pool.median:g}"  # 1.5, or 2 rather than 2.0
    return _(
        "%(offices)s：%(lawyers)s 名律师，最少 %(min)s 次，中位数 %(median)s 次，最多 %(max)s 次",
        offices=names,
        lawyers=len(pool.bars),
        min=pool.min,
        median=median,
        max=pool.max,
    )


def chart_svg(review: RosterReview) -> str:
    """The fairness chart of a reviewed roster, in the reader's language."""
    title = _(
        "%(start)s 至 %(end)s 第 %(version)s 版：每名律师的值班次数",
        start=review.roster.start.isoformat(),
        end=review.roster.end.isoformat(),
        version=review.roster.version,
    )
    return fairness_chart(review.pools, title, _pool_title, _("本时段没有值班。"), current_language().html)


def _review_page(roster_id: int, form: ReasonForm, status: int = 200) -> tuple[str, int]:
    db = db_session()
    review = roster_review(db, roster_id)
    r = review.roster
    stale = stale_draft(db, r.start, r.end) if r.status == "draft" else None
    # Markup: the chart escapes every text it draws.
    page = render_template(
        "planner/roster.html", review=review, chart=Markup(chart_svg(review)), form=form, stale=stale
    )
    return page, status


@bp.get("/rosters/<int:roster_id>")
@role_required(*PLANNERS)
@office_scoped
def roster(roster_id: int) -> tuple[str, int]:
    """Review a roster version: score by term, fairness chart, open places with reasons, changes; publish a draft."""
    return _review_page(roster_id, ReasonForm())


@bp.get("/rosters/<int:roster_id>/fairness.svg")
@role_required(*PLANNERS)
@office_scoped
def fairness_svg(roster_id: int) -> Response:
    """The fairness chart as an SVG file."""
    svg = chart_svg(roster_review(db_session(), roster_id))
    return Response(
        svg,
        mimetype=MEDIA_TYPES[".svg"],
        headers={"Content-Disposition": f'attachment; filename="fairness-{roster_id}.svg"'},
    )


@bp.post("/rosters/<int:roster_id>/publish")
@role_required(*PLANNERS)
@office_scoped
def publish(roster_id: int) -> ResponseReturnValue:
    """Publish a draft: it becomes the period's next version, on the public notice and in the calendars."""
    form = ReasonForm()
    db = db_session()
    brief = roster_brief(db, roster_id)
    if not form.validate_on_submit():
        return _review_page(roster_id, form, 400)
    if brief.status != "draft":
        flash(_("这一版不是草稿，不能发布。"), "error")
        return redirect(url_for("planner.roster", roster_id=roster_id))
    try:
        published = publish_draft(db, brief.start, brief.end, actor(), (form.reason.data or "").strip())
    except (Conflict, NotFound) as exc:
        db.rollback()
        flash(word(exc), "error")
        return redirect(url_for("planner.roster", roster_id=roster_id))
    db.commit()
    flash(_("已发布第 %(version)s 版。", version=published.version), "info")
    return redirect(url_for("planner.roster", roster_id=roster_id))


@bp.post("/rosters/<int:roster_id>/rebase")
@role_required(*PLANNERS)
@office_scoped
def rebase(roster_id: int) -> ResponseReturnValue:
    """Solve a stale draft again, with the current published version as the stability reference."""
    form = ReasonForm()
    db = db_session()
    brief = roster_brief(db, roster_id)
    if not form.validate_on_submit() or brief.status != "draft":
        return redirect(url_for("planner.roster", roster_id=roster_id))
    jobs.reap(db)
    try:
        job = jobs.start_solve(db, brief.start, brief.end, SolveParams(time_limit_s=60, workers=SOLVE_WORKERS), actor())
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return redirect(url_for("planner.roster", roster_id=roster_id))
    db.commit()
    runner().submit(job.id)
    return redirect(url_for("planner.job", job_id=job.id))


@bp.post("/rosters/<int:roster_id>/discard")
@role_required(*PLANNERS)
@office_scoped
def discard(roster_id: int) -> ResponseReturnValue:
    """Discard a draft: the published roster stays as it is."""
    form = ReasonForm()
    db = db_session()
    brief = roster_brief(db, roster_id)
    if not form.validate_on_submit() or brief.status != "draft":
        flash(_("这一版不是草稿，不能放弃。"), "error")
        return redirect(url_for("planner.roster", roster_id=roster_id))
    version = discard_draft(db, brief.start, brief.end, actor(), (form.reason.data or "").strip())
    db.commit()
    flash(_("已放弃草稿（第 %(version)s 版）。", version=version), "info")
    return redirect(url_for("planner.index"))
