"""The API's directory: offices and firms (public), lawyers and their unavailability (staff, or the lawyer)."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue

from scheduler.people import scope, standing
from scheduler.web import db_session, today
from scheduler.web.api import shaping as api_views
from scheduler.web.api.auth import EVERYONE, STAFF, reader
from scheduler.web.api.inputs import LawyersQuery, NewUnavailability, body, query
from scheduler.web.api.validation import bad, check_text
from scheduler.web.auth import actor, current_account, current_scope, office_scoped, require_offices, role_required

bp = Blueprint("directory", __name__)


def _own_or_staff(lawyer_id: int) -> None:
    """A lawyer's account may read only its own lawyer's records."""
    account = current_account()
    if account.role == "lawyer" and account.lawyer_id != lawyer_id:
        abort(403)


@bp.get("/offices")
def offices() -> ResponseReturnValue:
    """Every petition office with its window hours and notice texts (public)."""
    return jsonify(api_views.office_list(db_session()))


@bp.get("/offices/<code>")
def office(code: str) -> ResponseReturnValue:
    """One office by its code (public)."""
    problem = check_text(code, 16)
    if problem is not None and len(code) <= 16:
        raise bad("code", problem)  # a NUL or a lone surrogate: bad input, which the database must not see
    if problem is not None:
        abort(404)  # longer than any office code: names no office
    return jsonify(api_views.office_detail(db_session(), code))


@bp.get("/firms")
def firms() -> ResponseReturnValue:
    """Every law firm with its credit code and number of lawyers (public)."""
    return jsonify(api_views.firm_list(db_session()))


@bp.get("/lawyers")
@reader(*STAFF)
def lawyers() -> ResponseReturnValue:
    """A page of lawyers, searched by name, licence number or firm with ?q=."""
    asked = query(LawyersQuery)
    scope = current_scope()
    return jsonify(api_views.lawyer_page(db_session(), asked.q, asked.page, asked.per_page, today(), scope))


@bp.get("/lawyers/<int(min=1, max=2147483647):lawyer_id>")
@reader(*EVERYONE)
@office_scoped
def lawyer(lawyer_id: int) -> ResponseReturnValue:
    """One lawyer with contact details and standing today (staff, or the lawyer themself)."""
    _own_or_staff(lawyer_id)
    return jsonify(api_views.lawyer_detail(db_session(), lawyer_id, today()))


@bp.get("/lawyers/<int(min=1, max=2147483647):lawyer_id>/unavailability")
@reader(*EVERYONE)
@office_scoped
def unavailability(lawyer_id: int) -> ResponseReturnValue:
    """The days a lawyer cannot serve, with the reasons (staff, or the lawyer themself)."""
    _own_or_staff(lawyer_id)
    return jsonify(api_views.unavailability_of(db_session(), lawyer_id))


@bp.post("/unavailability")
@role_required(*STAFF)
def add_unavailability() -> ResponseReturnValue:
    """Record days a lawyer cannot serve, and propose the repairs of the published duties they hit."""
    given = body(NewUnavailability)
    lawyer_id, start, end, reason = given.lawyer_id, given.start, given.end, given.reason
    db = db_session()
    lawyer = api_views.require_lawyer(db, lawyer_id)
    require_offices(scope.lawyer_office_ids(db, [lawyer_id]))
    proposals = standing.add_unavailability(db, lawyer.licence_no, start, end, reason, actor(), today=today())
    answer = {
        "lawyer_id": lawyer_id,
        "start": start.isoformat(),
        "end": end.isoformat(),
        "reason": reason,
        "proposals": [api_views.proposal_json(p) for p in proposals],
    }
    db.commit()
    return jsonify(answer), 201
