"""The hotline section of the public notice: a template helper that the partial public/_hotline.html calls.

A blueprint with no routes of its own, so the notice template needs only one include line and the
notice's view stays as it is.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import gettext as _

from scheduler.rosters.hotline_board import HotlineBoard
from scheduler.rosters.hotline_board import hotline_boards as load_boards
from scheduler.rosters.notice_board import Period, month_of
from scheduler.web import db_session, today

bp = Blueprint("hotline_board", __name__)


@bp.app_template_global()
def hotline_boards(code: str, period: Period) -> tuple[HotlineBoard, ...]:
    """The hotlines shown on office `code`'s notice, with the rota of the month `period` starts in."""
    return load_boards(db_session(), code, month_of(period.start), today())


@bp.app_template_global()
def hotline_weekday(number: int) -> str:
    """A weekday of a hotline's pattern (0 = Monday) in the reader's language."""
    names = (_("星期一"), _("星期二"), _("星期三"), _("星期四"), _("星期五"), _("星期六"), _("星期日"))
    return names[number]
