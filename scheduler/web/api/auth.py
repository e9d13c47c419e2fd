"""Who is calling the JSON API, and what they may do.

- Scripts send HTTP Basic credentials (an account's username and password) with every request. A request
  with an Authorization header is judged by it alone: wrong credentials are a 401 even beside a valid session.
  No Basic challenge is sent with a 401, so that a browser never prompts for (and then silently resends)
  credentials that a forged cross-site request could ride on.
- A browser's session cookie works too. The API is exempt from the site's form CSRF check, so a write (POST)
  without Basic credentials must carry the session's CSRF token in the X-CSRFToken header (GET /api/v1/me
  gives it), or it is refused with 400 before anything else, as the site's forms are. An anonymous write
  (no session, no credentials) gets 401.
- Too many failed sign-ins from one address (form and Basic attempts counted together; successes not at
  all) answer 429 for a while; so does an account locked after too many failures (with Retry-After).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from flask import current_app, g, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from scheduler.people import accounts
from scheduler.web import error_response
from scheduler.web.api.validation import bad, check_text
from scheduler.web.auth import (
    account_of,
    check_credentials,
    count_failure,
    login_manager,
    retry_after,
    role_required,
    too_many_failures,
)

View = TypeVar("View", bound=Callable[..., Any])
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The roles that run the roster from day to day; a lawyer's account sees only its own records.
STAFF = ("clerk", "planner", "admin")
PLANNERS = ("planner", "admin")
EVERYONE = (*STAFF, "lawyer")


def reader(*roles: str) -> Callable[[View], View]:
    """Guard an API read: 401 for anonymous callers, 403 for other roles, exactly as `role_required` does.

    The roles are kept as `api_roles` rather than `allowed_roles`: tests/web/test_route_security.py expects a
    guarded GET to send a browser to the sign-in page, which an API must not do (it answers 401), so
    tests/api/test_api_security.py walks the API's reads instead.
    """

    def decorator(view: View) -> View:
        guarded = role_required(*roles)(view)
        guarded.api_roles = guarded.allowed_roles  # type: ignore[attr-defined]
        del guarded.allowed_roles  # type: ignore[attr-defined]
        return cast(View, guarded)

    return decorator


def is_basic() -> bool:
    """True when this request was authenticated by HTTP Basic credentials."""
    return bool(g.get("api_basic"))


def _basic_login() -> ResponseReturnValue | None:
    """Sign this request (only) in by its Authorization header, when it has one; a refusal otherwise."""
    if "Authorization" not in request.headers:
        return None
    credentials = request.authorization
    if credentials is None or credentials.type != "basic" or credentials.username is None:
        return error_response(401, "the Authorization header must carry HTTP Basic credentials (username:password)")
    # The sign-in form's count of failures per address, shared: switching between them gains nothing.
    if too_many_failures():
        return error_response(429, "too many failed sign-ins from this address; wait a minute")
    username, password = credentials.username, credentials.password or ""
    if check_text(username, 200) is not None or check_text(password, accounts.MAX_PASSWORD) is not None:
        count_failure()
        return error_response(401, "wrong username or password")
    user, locked_until = check_credentials(username, password)
    if locked_until is not None:
        response, status = error_response(
            429, f"too many failed sign-ins: this account is locked until {locked_until.isoformat()}Z"
        )
        return response, status, {"Retry-After": str(retry_after(locked_until))}
    if user is None:
        return error_response(401, "wrong username or password")
    # Flask-Login keeps the request's user here; unlike login_user(), this starts no session (no cookie).
    login_manager._update_request_context_with_user(account_of(user))
    g.api_basic = True
    return None


def _check_csrf() -> None:
    if request.method not in WRITE_METHODS or is_basic() or not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if not current_user.is_authenticated:
        # No session, nothing to forge: the view's role check answers 401 (missing login).
        return
    headers = current_app.config.get("WTF_CSRF_HEADERS", ["X-CSRFToken", "X-CSRF-Token"])
    token = next((request.headers[h] for h in headers if request.headers.get(h)), None)
    try:
        validate_csrf(token)
    except ValidationError:
        raise bad(
            "X-CSRFToken",
            "a write signed in by the browser session needs the session's CSRF token in the X-CSRFToken header "
            "(GET /api/v1/me gives it); scripts send HTTP Basic credentials instead",
        ) from None


def authenticate() -> ResponseReturnValue | None:
    """Before every API request: Basic credentials if sent, then the CSRF token of a cookie-signed write."""
    refusal = _basic_login()
    if refusal is not None:
        return refusal
    _check_csrf()
    return None
