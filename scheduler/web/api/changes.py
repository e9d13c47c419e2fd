"""The API's changes to published rosters: proposals (swap, cover, and the repairs that replace a lawyer) for
staff, and lawyers' swap requests."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue

from scheduler.models.changes import Proposal, SwapRequest
from scheduler.rosters import proposals, swap_requests
from scheduler.web import db_session, error_response, settings, today
from scheduler.web.api import shaping as api_views
from scheduler.web.api.auth import EVERYONE, PLANNERS, STAFF, reader
from scheduler.web.api.validation import Fields, json_body
from scheduler.web.auth import actor, current_account, current_lawyer_id, role_required

bp = Blueprint("changes", __name__)
ID = "int(min=1, max=2147483647)"
SWAP_FIELDS = ("lawyer_id", "other_duty_id", "other_lawyer_id")
COVER_FIELDS = ("lawyer_in_id", "lawyer_out_id")


def _swap(body: Fields, duty_id: int, reason: str) -> Proposal:
    lawyer_id, other_duty_id, other_lawyer_id = (body.integer(name) for name in SWAP_FIELDS)
    if other_duty_id == duty_id and not body.errors:
        body.fail("other_duty_id", "must be another duty than duty_id")
    body.done()
    db = db_session()
    for named in (lawyer_id, other_lawyer_id):
        api_views.require_lawyer(db, named)
    return proposals.propose_swap(
        db, duty_id, lawyer_id, other_duty_id, other_lawyer_id, actor(), reason, today=today()
    )


def _cover(body: Fields, duty_id: int, reason: str) -> Proposal:
    lawyer_in, lawyer_out = body.integer("lawyer_in_id"), body.optional_integer("lawyer_out_id")
    body.done()
    db = db_session()
    for named in (lawyer_in, lawyer_out):
        if named is not None:
            api_views.require_lawyer(db, named)
    return proposals.propose_cover(db, duty_id, lawyer_out, lawyer_in, actor(), reason, today=today())


@bp.post("/proposals")
@role_required(*STAFF)
def propose() -> ResponseReturnValue:
    """Compute a swap (two lawyers exchange duties) or a cover (a lawyer takes a place); nothing changes
    until the proposal is accepted."""
    body = Fields(json_body())
    kind = body.choice("kind", ("swap", "cover"))
    duty_id = body.integer("duty_id")
    reason = body.string("reason", max_length=500)
    if kind not in ("swap", "cover"):
        body.skip(*SWAP_FIELDS, *COVER_FIELDS)  # which of them apply depends on the kind
        body.done()  # raises: the kind is wrong
    proposal = (_swap if kind == "swap" else _cover)(body, duty_id, reason)
    answer = api_views.proposal_json(proposal)
    db_session().commit()
    return jsonify(answer), 201


@bp.get(f"/proposals/<{ID}:proposal_id>")
@reader(*STAFF)
def proposal(proposal_id: int) -> ResponseReturnValue:
    """A proposal with its changes and evaluation (the hard rules it would break, the objective's change)."""
    return jsonify(api_views.proposal_detail(db_session(), proposal_id))


@bp.post(f"/proposals/<{ID}:proposal_id>/accept")
@role_required(*STAFF)
def accept(proposal_id: int) -> ResponseReturnValue:
    """Apply an open proposal as the next published version. 409 when its version is no longer current or
    it breaks a hard rule; a planner may override the rules with an override_reason."""
    body = Fields(json_body(optional=True))
    override = body.string("override_reason", max_length=500) or None
    body.done()
    if override is not None and current_account().role not in PLANNERS:
        return error_response(403, "only a planner or an admin may override the rules (override_reason)")
    db = db_session()
    roster = proposals.accept(db, proposal_id, actor(), override, today=today())
    answer = {
        "proposal": api_views.proposal_detail(db, proposal_id),
        "roster": api_views.roster_summary(roster),
    }
    db.commit()
    return jsonify(answer)


@bp.post(f"/proposals/<{ID}:proposal_id>/discard")
@role_required(*STAFF)
def discard(proposal_id: int) -> ResponseReturnValue:
    """Discard an open proposal."""
    Fields(json_body(optional=True)).done()
    db = db_session()
    proposals.discard(db, proposal_id, actor())
    answer = api_views.proposal_detail(db, proposal_id)
    db.commit()
    return jsonify(answer)


def _visible_request(request_id: int) -> SwapRequest:
    """A swap request staff may see, or one the signed-in lawyer made or was asked; 404 for anyone else's
    (as on the lawyer's pages, its existence stays private)."""
    request = swap_requests.get(db_session(), request_id)
    account = current_account()
    if account.role == "lawyer" and account.lawyer_id not in (request.from_lawyer_id, request.to_lawyer_id):
        abort(404)
    return request


@bp.post("/swap-requests")
@role_required("lawyer")
def request_swap() -> ResponseReturnValue:
    """The signed-in lawyer offers one of their duties to a colleague, or (with exchange_duty_id) proposes
    to take the colleague's duty in return."""
    body = Fields(json_body())
    duty_id, to_lawyer_id = body.integer("duty_id"), body.integer("to_lawyer_id")
    exchange = body.optional_integer("exchange_duty_id")
    message = body.string("message", max_length=500)
    body.done()
    db = db_session()
    api_views.require_lawyer(db, to_lawyer_id)
    created = swap_requests.create(
        db, duty_id, current_lawyer_id(), to_lawyer_id, exchange_duty_id=exchange, message=message, today=today()
    )
    answer = api_views.swap_request_json(created)
    db.commit()
    return jsonify(answer), 201


@bp.get(f"/swap-requests/<{ID}:request_id>")
@reader(*EVERYONE)
def swap_request(request_id: int) -> ResponseReturnValue:
    """A swap request (staff, or the two lawyers concerned)."""
    return jsonify(api_views.swap_request_json(_visible_request(request_id)))


def _answer(request_id: int, agree: bool) -> ResponseReturnValue:
    Fields(json_body(optional=True)).done()
    request = _visible_request(request_id)
    if request.to_lawyer_id != current_lawyer_id():
        return error_response(403, f"only the lawyer asked may answer swap request {request_id}")
    db = db_session()
    auto = settings().auto_approve_swaps
    swap_requests.respond(db, request.id, current_lawyer_id(), agree, auto_approve=auto, today=today())
    answer = api_views.swap_request_json(request)
    db.commit()
    return jsonify(answer)


@bp.post(f"/swap-requests/<{ID}:request_id>/accept")
@role_required("lawyer")
def accept_request(request_id: int) -> ResponseReturnValue:
    """The lawyer asked agrees (a clerk then approves, unless approval is automatic)."""
    return _answer(request_id, True)


@bp.post(f"/swap-requests/<{ID}:request_id>/decline")
@role_required("lawyer")
def decline_request(request_id: int) -> ResponseReturnValue:
    """The lawyer asked turns the request down."""
    return _answer(request_id, False)


@bp.post(f"/swap-requests/<{ID}:request_id>/withdraw")
@role_required("lawyer")
def withdraw_request(request_id: int) -> ResponseReturnValue:
    """The lawyer who asked takes the request back."""
    Fields(json_body(optional=True)).done()
    request = _visible_request(request_id)
    if request.from_lawyer_id != current_lawyer_id():
        return error_response(403, f"only the lawyer who made swap request {request_id} may withdraw it")
    db = db_session()
    swap_requests.withdraw(db, request.id, current_lawyer_id())
    answer = api_views.swap_request_json(request)
    db.commit()
    return jsonify(answer)


def _decide(request_id: int, approve: bool) -> ResponseReturnValue:
    Fields(json_body(optional=True)).done()
    db = db_session()
    decided = swap_requests.decide(db, request_id, approve, actor(), today=today())
    answer = api_views.swap_request_json(decided)
    db.commit()
    return jsonify(answer)


@bp.post(f"/swap-requests/<{ID}:request_id>/approve")
@role_required(*STAFF)
def approve_request(request_id: int) -> ResponseReturnValue:
    """Staff approve an accepted request: the roster's next version makes the change (409 if it breaks a rule)."""
    return _decide(request_id, True)


@bp.post(f"/swap-requests/<{ID}:request_id>/reject")
@role_required(*STAFF)
def reject_request(request_id: int) -> ResponseReturnValue:
    """Staff reject an accepted request."""
    return _decide(request_id, False)
