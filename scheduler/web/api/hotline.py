"""The API of the consultation hotline and mailbox (律师咨询电话、电子信箱).

GET /hotlines is public, as the notice is: each office's number, mailbox and pattern with today's lawyers
(names and firms only, from published versions). PUT /hotlines/{office_code} sets a hotline up or changes
it (planners holding the office) through `set_hotline`, the use case of the planner's page and of
`scheduler hotline set`, which checks and audits it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from scheduler.models import Office
from scheduler.planning.hotline import EVERY_WORKING_DAY, HotlineSpec, HotlineView, hotline_share, hotlines, set_hotline
from scheduler.rosters.hotline_board import HotlineBoard, hotline_boards
from scheduler.rosters.notice_board import month_of
from scheduler.web import db_session, today
from scheduler.web.api.auth import PLANNERS
from scheduler.web.api.inputs import body
from scheduler.web.api.registry import OfficeNotFound
from scheduler.web.api.work_inputs import HotlineChange
from scheduler.web.auth import actor, require_offices, role_required

bp = Blueprint("hotline", __name__)


def _today_json(board: HotlineBoard | None) -> dict[str, Any] | None:
    if board is None or board.today is None:
        return None
    day = board.today
    return {
        "date": day.date.isoformat(),
        "start": f"{day.start:%H:%M}",
        "end": f"{day.end:%H:%M}",
        "cancelled": day.cancelled,
        "lawyers": [{"name": lw.name, "firm": lw.firm} for lw in day.lawyers],
    }


def _hotline_json(view: HotlineView, board: HotlineBoard | None) -> dict[str, Any]:
    return {
        "office": {"code": view.office_code, "name": view.office_name},
        "phone": view.phone,
        "mailbox": view.mailbox,
        "pattern": view.pattern,
        "weekdays": list(view.weekdays),
        "needed": view.needed,
        "start": f"{view.start:%H:%M}",
        "end": f"{view.end:%H:%M}",
        "served_from": list(view.served_from),
        "today": _today_json(board),
    }


def _listed() -> list[dict[str, Any]]:
    db = db_session()
    day = today()
    month = month_of(day)
    answer = []
    for view in hotlines(db):
        # The notice's own reading of a hotline: its board among those office's notice shows.
        boards = hotline_boards(db, view.office_code, month, day)
        board = next((b for b in boards if b.office_name == view.office_name), None)
        answer.append(_hotline_json(view, board))
    return answer


@bp.get("/hotlines")
def list_hotlines() -> ResponseReturnValue:
    """Every hotline: number, mailbox, pattern and today's lawyers (public, as on the notice)."""
    return jsonify({"hotlines": _listed(), "share": hotline_share(db_session())})


@bp.put("/hotlines/<office_code>")
@role_required(*PLANNERS)
def put_hotline(office_code: str) -> ResponseReturnValue:
    """Set up or change an office's hotline (the planner's hotline form)."""
    db = db_session()
    office = db.scalar(select(Office).where(Office.code == office_code[:16]))
    if office is None or len(office_code) > 16:
        raise OfficeNotFound(code=office_code[:16])
    given = body(HotlineChange)
    served = {o.id for o in db.scalars(select(Office).where(Office.code.in_(given.served_from)))}
    require_offices({office.id} | served)
    spec = HotlineSpec(
        office_code=office.code,
        phone=given.phone,
        mailbox=given.mailbox,
        pattern=",".join(str(d + 1) for d in sorted(set(given.weekdays))) or EVERY_WORKING_DAY,
        needed=given.needed,
        start=given.start,
        end=given.end,
        served_from=tuple(given.served_from),
        share=given.share,
    )
    set_hotline(db, spec, actor())
    db.commit()
    answer = next(h for h in _listed() if h["office"]["code"] == office.code)
    return jsonify(answer)
