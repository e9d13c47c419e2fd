"""The API's changes to published rosters: proposals (swap, cover, and the repairs that replace a lawyer) for
staff, and lawyers' swap requests."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue

from scheduler.models.changes import Proposal, SwapRequest
from scheduler.people import scope
from scheduler.rosters import proposals, swap_requests
from scheduler.web import db_session, error_response, settings, today
from scheduler.web.api import shaping as api_views
from scheduler.web.api.auth import EVERYONE, PLANNERS, STAFF, reader
from scheduler.web.api.inputs import (
    Accept,
    CoverProposal,
    Empty,
    NewSwapRequest,
    ProposalBase,
    SwapProposal,
    body,
    validate,
)
from scheduler.web.api.validation import json_body
from scheduler.web.auth import actor, current_account, current_lawyer_id, office_scoped, require_offices, role_required

bp = Blueprint("changes", __name__)
ID = "int(min=1, max=2147483647)"


def _swap(given: SwapProposal) -> Proposal:
    db = db_session()
    require_offices(scope.duty_offices(db, [given.duty_id, given.other_duty_id]))
    for named in (given.lawyer_id, given.other_lawyer_id):
        api_views.require_lawyer(db, named)
    return proposals.propose_swap(
        db,
        given.duty_id,
        given.lawyer_id,
        given.other_duty_id,
        given.other_lawyer_id,
        actor(),
        given.reason,
        today=today(),
    )


def _cover(given: CoverProposal) -> Proposal:
    db = db_session()
    require_offices(scope.duty_offices(db, [given.duty_id]))
    for named in (given.lawyer_in_id, given.lawyer_out_id):
        if named is not None:
            api_views.require_lawyer(db, named)
    return proposals.propose_cover(
        db, given.duty_id, given.lawyer_out_id, given.lawyer_in_id, actor(), given.reason, today=today()
    )


@bp.post("/proposals")
@role_required(*STAFF)
def propose() -> ResponseReturnValue:
    """Compute a swap (two lawyers exchange duties) or a cover (a lawyer takes a place); nothing changes
    until the proposal is accepted."""
    values = json_body()
    kind = values.get("kind")
    if kind == "swap":
        proposal = _swap(validate(SwapProposal, values))
    elif kind == "cover":
        proposal = _cover(validate(CoverProposal, values))
    else:
        validate(ProposalBase, values)  # raises, naming the kind and any bad field common to both kinds
        raise AssertionError("a proposal of no kind")
    answer = api_views.proposal_json(proposal)
    db_session().commit()
    return jsonify(answer), 201


@bp.get(f"/proposals/<{ID}:proposal_id>")
@reader(*STAFF)
@office_scoped
def proposal(proposal_id: int) -> ResponseReturnValue:
    """A proposal with its changes and evaluation (the hard rules it would break, the objective's change)."""
    return jsonify(api_views.proposal_detail(db_session(), proposal_id))


@bp.post(f"/proposals/<{ID}:proposal_id>/accept")
@role_required(*STAFF)
@office_scoped
def accept(proposal_id: int) -> ResponseReturnValue:
    """Apply an open proposal as the next published version. 409 when its version is no longer current or
    it breaks a hard rule; a planner may override the rules with an override_reason."""
    override = body(Accept, optional=True).override_reason or None
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
@office_scoped
def discard(proposal_id: int) -> ResponseReturnValue:
    """Discard an open proposal."""
    body(Empty, optional=True)
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
    given = body(NewSwapRequest)
    duty_id, to_lawyer_id, exchange, message = given.duty_id, given.to_lawyer_id, given.exchange_duty_id, given.message
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
@office_scoped
def swap_request(request_id: int) -> ResponseReturnValue:
    """A swap request (staff, or the two lawyers concerned)."""
    return jsonify(api_views.swap_request_json(_visible_request(request_id)))


def _answer(request_id: int, agree: bool) -> ResponseReturnValue:
    body(Empty, optional=True)
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
    body(Empty, optional=True)
    request = _visible_request(request_id)
    if request.from_lawyer_id != current_lawyer_id():
        return error_response(403, f"only the lawyer who made swap request {request_id} may withdraw it")
    db = db_session()
    swap_requests.withdraw(db, request.id, current_lawyer_id())
    answer = api_views.swap_request_json(request)
    db.commit()
    return jsonify(answer)


def _decide(request_id: int, approve: bool) -> ResponseReturnValue:
    body(Empty, optional=True)
    db = db_session()
    decided = swap_requests.decide(db, request_id, approve, actor(), today=today())
    answer = api_views.swap_request_json(decided)
    db.commit()
    return jsonify(answer)


@bp.post(f"/swap-requests/<{ID}:request_id>/approve")
@role_required(*STAFF)
@office_scoped
def approve_request(request_id: int) -> ResponseReturnValue:
    """Staff approve an accepted request: the roster's next version makes the change (409 if it breaks a rule)."""
    return _decide(request_id, True)


@bp.post(f"/swap-requests/<{ID}:request_id>/reject")
@role_required(*STAFF)
@office_scoped
def reject_request(request_id: int) -> ResponseReturnValue:
    """Staff reject an accepted request."""
    return _decide(request_id, False)
