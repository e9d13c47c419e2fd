"""The API of lawyers' availability requests (值班意愿申请) and the planner's request windows.

Each route calls the use case of scheduler.people.availability_requests that the lawyer's page, the planner's
page (scheduler.web.availability) and `scheduler availability` call: the same checks, deadline, audit
events and the e-mail to the lawyer. A lawyer sends and reads only their own requests; planners see all
and decide.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from scheduler.models.availability import AvailabilityRequest, RequestWindow
from scheduler.people import availability_requests as requests
from scheduler.people.availability_errors import RequestFieldError
from scheduler.web import db_session, today
from scheduler.web.api.auth import PLANNERS, reader
from scheduler.web.api.inputs import Id, Query, body, query
from scheduler.web.api.work_inputs import Approval, NewAvailabilityRequest, NewWindow, Refusal
from scheduler.web.auth import actor, current_account, current_lawyer_id, role_required

bp = Blueprint("availability", __name__)
ID = "int(min=1, max=2147483647)"


class RequestsQuery(Query):
    window_id: Id | None = None


def window_json(window: RequestWindow) -> dict[str, Any]:
    return {
        "id": window.id,
        "period_start": window.period_start.isoformat(),
        "period_end": window.period_end.isoformat(),
        "opens": window.opens.isoformat(),
        "deadline": window.deadline.isoformat(),
        "accepting": window.opens <= today() <= window.deadline,
    }


def request_json(row: AvailabilityRequest) -> dict[str, Any]:
    return {
        "id": row.id,
        "window_id": row.window_id,
        "lawyer": {"id": row.lawyer_id, "name": row.lawyer.name},
        "kind": row.kind,
        "start": row.start.isoformat() if row.start else None,
        "end": row.end.isoformat() if row.end else None,
        "preferred": sorted(row.preferred_weekdays),
        "undesired": sorted(row.undesired_weekdays),
        "reason": row.reason,
        "state": row.state,
        "decision_reason": row.decision_reason,
        "description": requests.describe(row),
    }


@bp.get("/request-windows")
@reader(*PLANNERS)
def list_windows() -> ResponseReturnValue:
    """Every request window, the latest period first."""
    return jsonify({"windows": [window_json(w) for w in requests.windows(db_session())]})


@bp.post("/request-windows")
@role_required(*PLANNERS)
def open_window() -> ResponseReturnValue:
    """Open (or move) the request window of a period."""
    given = body(NewWindow)
    db = db_session()
    window = requests.open_window(db, given.period_start, given.period_end, given.opens, given.deadline, actor())
    answer = window_json(window)
    db.commit()
    return jsonify(answer), 201


@bp.get("/availability-requests")
@reader(*PLANNERS, "lawyer")
def list_requests() -> ResponseReturnValue:
    """A planner: the requests of a window (the latest by default). A lawyer: their own requests."""
    given = query(RequestsQuery)
    db = db_session()
    if current_account().role == "lawyer":
        rows = requests.requests_of_lawyer(db, current_lawyer_id())
        return jsonify({"window": None, "requests": [request_json(r) for r in rows]})
    if given.window_id is not None:
        window: RequestWindow | None = requests.get_window(db, given.window_id)
    else:
        window = next(iter(requests.windows(db)), None)
    rows = requests.requests_of_window(db, window.id) if window is not None else []
    return jsonify({"window": window_json(window) if window else None, "requests": [request_json(r) for r in rows]})


@bp.post("/availability-requests")
@role_required("lawyer")
def send_request() -> ResponseReturnValue:
    """The signed-in lawyer asks for days off or states weekday wishes, before the window's deadline."""
    given = body(NewAvailabilityRequest)
    db = db_session()
    if given.kind == "unavailable":
        if given.start is None or given.end is None:
            field, label = ("start", "开始日期") if given.start is None else ("end", "结束日期")
            raise RequestFieldError(field, label=label, problem="请填写")
        row = requests.ask_days_off(
            db, given.window_id, current_lawyer_id(), given.start, given.end, given.reason, actor(), today=today()
        )
    else:
        row = requests.ask_weekdays(
            db, given.window_id, current_lawyer_id(), given.preferred, given.undesired, actor(), today=today(),
            reason=given.reason,
        )  # fmt: skip
    answer = request_json(row)
    db.commit()
    return jsonify(answer), 201


def _decision_json(decision: requests.Decision) -> dict[str, Any]:
    return {
        "request": request_json(decision.request),
        "proposal_ids": list(decision.proposal_ids),
        "mailed": decision.mailed,
    }


@bp.post(f"/availability-requests/<{ID}:availability_id>/approve")
@role_required(*PLANNERS)
def approve(availability_id: int) -> ResponseReturnValue:
    """Approve a request: days off become unavailability, weekday wishes the lawyer's preferences."""
    db = db_session()
    requests.get_request(db, availability_id)
    given = body(Approval, optional=True)
    decision = requests.approve(db, availability_id, actor(), today=today(), reason=given.reason)
    answer = _decision_json(decision)
    db.commit()
    return jsonify(answer)


@bp.post(f"/availability-requests/<{ID}:availability_id>/decline")
@role_required(*PLANNERS)
def decline(availability_id: int) -> ResponseReturnValue:
    """Decline a request with the reason the lawyer reads (required)."""
    db = db_session()
    requests.get_request(db, availability_id)
    given = body(Refusal)
    decision = requests.decline(db, availability_id, given.reason, actor())
    answer = _decision_json(decision)
    db.commit()
    return jsonify(answer)
