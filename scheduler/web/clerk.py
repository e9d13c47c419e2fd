"""The clerk's pages (petition bureau, 信访局): blueprint `clerk` at /clerk, for clerks, planners and admins.

This module holds the blueprint and the week's duties by office. The other views live in modules by
subject, each adding its routes to `bp`:
  clerk_changes  a duty's ranked swap and cover suggestions, proposals with their rule check (accept,
                 discard, override), removal and suspension with the replacement proposals
  clerk_records  lawyers' swap requests awaiting approval, attendance on past duties, the audit log
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template

from scheduler.services.clerk_views import clerk_week
from scheduler.services.notice import week_of
from scheduler.web import db_session, today
from scheduler.web.auth import role_required

bp = Blueprint("clerk", __name__, url_prefix="/clerk")
CLERKS = ("clerk", "planner", "admin")
# Who may accept a change that breaks a hard rule, giving a reason.
OVERRIDERS = ("planner", "admin")


def _week(monday: dt.date) -> str:
    period = week_of(monday)
    return render_template(
        "clerk/index.html",
        week=clerk_week(db_session(), period.start, period.end),
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


# The views of each subject register themselves on `bp` when imported.
from scheduler.web import clerk_changes, clerk_records  # noqa: E402, F401
