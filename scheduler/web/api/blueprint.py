"""The JSON API under /api/v1: one blueprint, with a nested blueprint per group of resources.

Who may call what is in scheduler.web.api.auth; the OpenAPI document (GET /api/v1/openapi.json) in
scheduler.web.api.openapi; the guide for script writers in docs/api.md.

Errors are JSON: {"error": status, "title", "message"}; 400 answers add "errors": [{"field", "message"}].
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from scheduler.core.errors import Conflict, FieldError, NotFound, SchedulerError
from scheduler.people.scope import office_codes
from scheduler.planning.jobs import QueueUnavailable
from scheduler.web import csrf, db_session, error_response
from scheduler.web.api.assessment import bp as assessment_bp
from scheduler.web.api.auth import EVERYONE, authenticate, is_basic, reader
from scheduler.web.api.availability import bp as availability_bp
from scheduler.web.api.casework import bp as casework_bp
from scheduler.web.api.changes import bp as changes_bp
from scheduler.web.api.directory import bp as directory_bp
from scheduler.web.api.hotline import bp as hotline_bp
from scheduler.web.api.meetings import bp as meetings_bp
from scheduler.web.api.openapi import document
from scheduler.web.api.reception import bp as reception_bp
from scheduler.web.api.registry import bp as registry_bp
from scheduler.web.api.rosters import bp as rosters_bp
from scheduler.web.api.trainings import bp as trainings_bp
from scheduler.web.api.validation import MAX_BODY, ApiInputError, ErrorItem
from scheduler.web.auth import current_account
from scheduler.web.i18n import word

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _limit_body() -> None:
    # Every body, chunked ones included (they carry no Content-Length): the stream stops reading one byte
    # past the limit, so that json_body can tell a body that is too long (werkzeug then truncates silently).
    request.max_content_length = MAX_BODY + 1


bp.before_request(authenticate)
csrf.exempt(bp)
for part in (
    assessment_bp,
    directory_bp,
    registry_bp,
    rosters_bp,
    changes_bp,
    hotline_bp,
    availability_bp,
    reception_bp,
    trainings_bp,
    casework_bp,
    meetings_bp,
):
    bp.register_blueprint(part)
    # The site's CSRF check looks at the request's own (nested) blueprint; api_auth runs the API's own check.
    csrf.exempt(part)


@bp.after_request
def _private(response: Response) -> Response:
    # Answers depend on who asks (cookie or credentials): no shared cache may keep them.
    response.headers["Cache-Control"] = "private, no-store"
    response.vary.update(("Authorization", "Cookie"))
    return response


@bp.errorhandler(SchedulerError)
def _domain_error(exc: SchedulerError) -> ResponseReturnValue:
    # One handler for the whole family: a blueprint's handler of the base class would otherwise take
    # NotFound and Conflict too, before the application's handlers see them.
    # The message in the reader's language; `code` stays the same in every language, for programs.
    message = word(exc)
    if isinstance(exc, NotFound):
        return error_response(404, message, exc.code)
    if isinstance(exc, Conflict):
        return error_response(409, message, exc.code)
    if isinstance(exc, QueueUnavailable):
        return error_response(503, message, exc.code)
    if isinstance(exc, ApiInputError):
        errors = exc.errors
    elif isinstance(exc, FieldError):
        errors = (ErrorItem(exc.field, message),)
        return _bad_request(f"{exc.field}: {message}", errors, exc.code)
    else:
        errors = (ErrorItem(None, message),)
    return _bad_request(message, errors, exc.code)


@bp.errorhandler(BadRequest)
def _bad_http_request(exc: BadRequest) -> ResponseReturnValue:
    message = exc.description or "bad request"
    return _bad_request(message, (ErrorItem(None, message),))


def _bad_request(message: str, errors: tuple[ErrorItem, ...], code: str | None = None) -> ResponseReturnValue:
    response, status = error_response(400, message, code)
    return jsonify(response.get_json() | {"errors": [e.to_json() for e in errors]}), status


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    """The OpenAPI document of this API."""
    return jsonify(document())


@bp.get("/me")
@reader(*EVERYONE)
def me() -> ResponseReturnValue:
    """The account this request is signed in as; for a browser session, also the CSRF token its writes send."""
    account = current_account()
    answer: dict[str, Any] = {
        "username": account.username,
        "role": account.role,
        "lawyer_id": account.lawyer_id,
        "authentication": "basic" if is_basic() else "session",
        "display_name": account.display_name,
        "offices": None if account.office_ids is None else office_codes(db_session(), account.office_ids),
    }
    if not is_basic():
        answer["csrf_token"] = generate_csrf()
    return jsonify(answer)
