"""The clerk's week: the published duties of a week by office, with links to change them."""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template

from scheduler.rosters.desk import clerk_week
from scheduler.rosters.notice_board import week_of
from scheduler.web import db_session, today
from scheduler.web.auth import current_scope, role_required
from scheduler.web.clerk.blueprint import CLERKS, bp


def _week(monday: dt.date) -> str:
    period = week_of(monday)
    return render_template(
        "clerk/index.html",
        week=clerk_week(db_session(), period.start, period.end, current_scope()),
        previous=period.previous().start.isocalendar(),
        following=period.next().start.isocalendar(),
        today=today(),
    )


@bp.get("/")
@role_required(*CLERKS)
def index() -> str:
    """This week's published duties by office, with links to change them and what awaits a decision."""
    return _week(today())


@bp.get("/week/<int:year>/<int:week>")
@role_required(*CLERKS)
def week(year: int, week: int) -> str:
    """The published duties of ISO week `week` of `year`, by office."""
    if not 2000 <= year <= 2100:
        abort(404)  # also keeps the links to the weeks before and after within the calendar
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        abort(404)
    return _week(monday)
