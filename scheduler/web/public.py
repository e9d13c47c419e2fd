"""The public duty notice (公示): no sign-in, the published roster only, by office and by week or month."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, render_template, url_for

from scheduler.calendars.feeds import PREFECTURE_PATH, feed_url, office_path, webcal_url
from scheduler.calendars.views import code_from_slug
from scheduler.rosters.notice_board import OfficeNotice, Period, month_of, office_notice, offices, week_of
from scheduler.web import db_session, settings, today

bp = Blueprint("public", __name__)


@bp.app_template_global()
def period_url(slug: str, period: Period) -> str:
    """The address of an office's notice for `period`."""
    if period.kind == "week":
        year, week, _day = period.start.isocalendar()
        return url_for("public.notice_week", slug=slug, year=year, week=week)
    return url_for("public.notice_month", slug=slug, year=period.start.year, month=period.start.month)


def _feed(path: str) -> dict[str, str]:
    """The https and webcal:// addresses of the feed at `path`."""
    url = feed_url(settings(), path)
    return {"https": url, "webcal": webcal_url(url)}


def _notice_or_404(slug: str, period: Period) -> OfficeNotice:
    code = code_from_slug(slug)
    notice = office_notice(db_session(), code, period, today()) if code is not None else None
    if notice is None:
        abort(404)
    return notice


def _render(slug: str, period: Period) -> str:
    notice = _notice_or_404(slug, period)
    return render_template(
        "public/notice.html",
        notice=notice,
        office_feed=_feed(office_path(notice.office.code)),
        prefecture_feed=_feed(PREFECTURE_PATH),
        as_week=week_of(period.start),
        # A week belongs to the month of its Thursday (as ISO weeks belong to years).
        as_month=month_of(period.start + dt.timedelta(days=3)),
    )


@bp.get("/")
def index() -> str:
    """The list of offices, each linking to its notice, with the prefecture's calendar feed."""
    return render_template("public/index.html", offices=offices(db_session()), prefecture_feed=_feed(PREFECTURE_PATH))


@bp.get("/notice/<slug>")
def notice(slug: str) -> str:
    """An office's notice of the current week."""
    return _render(slug, week_of(today()))


@bp.get("/notice/<slug>/week/<int:year>/<int:week>")
def notice_week(slug: str, year: int, week: int) -> str:
    """An office's notice of ISO week `week` of `year` (Monday to Sunday)."""
    try:
        monday = dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        abort(404)
    return _render(slug, week_of(monday))


@bp.get("/notice/<slug>/month/<int:year>/<int:month>")
def notice_month(slug: str, year: int, month: int) -> str:
    """An office's notice of a calendar month."""
    try:
        first = dt.date(year, month, 1)
    except ValueError:
        abort(404)
    return _render(slug, month_of(first))
