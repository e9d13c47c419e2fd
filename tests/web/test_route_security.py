"""Every route of the URL map, including routes other areas add later, is guarded.

The tests walk `app.url_map` rather than a list of known routes: a new write route without
`@role_required(...)` fails here until it gets one (or is listed below with the reason).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import AnyConverter, BaseConverter, FloatConverter, IntegerConverter, Rule, UUIDConverter

from scheduler.models.accounts import ROLES
from tests.web.conftest import SQLITE_ONLY, build_roster

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# Write routes open to anonymous visitors, each with its reason.
PUBLIC_WRITES = {
    "auth.login": "signing in is what an anonymous visitor does",
    "auth.reset": "a one-time reset link stands for the account whose password was forgotten",
}
# Write routes that authenticate by other means than the session cookie (none yet; e.g. an API token).
CSRF_EXEMPT: dict[str, str] = {}


def _sample(converter: BaseConverter) -> object:
    """A value the converter accepts, so the URL reaches the view (whose guard must answer first)."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, FloatConverter):
        return 1.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    if isinstance(converter, AnyConverter):
        return next(iter(converter.items))
    return "x1"


def _url(rule: Rule) -> str:
    # Rule._converters is werkzeug's own table of the rule's converters; there is no public accessor.
    values = {name: _sample(conv) for name, conv in rule._converters.items()}
    built = rule.build(values, append_unknown=False)
    assert built is not None, f"cannot build a URL for {rule.rule}"
    return built[1]


def _routes(app: Flask, methods: frozenset[str]) -> Iterator[tuple[Rule, str, str]]:
    """(rule, method, url) of every route answering one of `methods`, the static files excepted."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for method in sorted((rule.methods or set()) & methods):
            yield rule, method, _url(rule)


def _allowed(app: Flask, rule: Rule) -> frozenset[str] | None:
    roles: frozenset[str] | None = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
    return roles


@pytest.fixture
def accounts(
    app: Flask, session_factory: sessionmaker[Session], client_as: Callable[..., FlaskClient]
) -> dict[str, FlaskClient]:
    """A signed-in client per role (the lawyer's linked to a lawyer)."""
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    return {role: client_as(role, lawyer_id=world.lawyer_ids[0] if role == "lawyer" else None) for role in ROLES}


@pytest.fixture
def without_csrf(app: Flask) -> Flask:
    # The guards are tested on their own here; CSRF has its own test below.
    app.config["WTF_CSRF_ENABLED"] = False
    return app


def _send(client: FlaskClient, method: str, url: str) -> int:
    return client.open(url, method=method, data={}).status_code


@SQLITE_ONLY
def test_the_walk_sees_the_write_routes_of_every_area(app: Flask) -> None:
    endpoints = {rule.endpoint for rule, _method, _url in _routes(app, WRITE_METHODS)}
    assert {"auth.login", "auth.logout", "lawyer.rotate_calendar", "lawyer.swap", "lawyer.accept"} <= endpoints


@SQLITE_ONLY
def test_every_write_route_declares_the_roles_it_admits(app: Flask) -> None:
    unguarded = [
        f"{method} {rule.rule} ({rule.endpoint})"
        for rule, method, _url in _routes(app, WRITE_METHODS)
        if rule.endpoint not in PUBLIC_WRITES and _allowed(app, rule) is None
    ]
    assert unguarded == [], "write routes without @role_required(...)"


@SQLITE_ONLY
def test_every_write_route_answers_401_to_anonymous_users(without_csrf: Flask) -> None:
    client = without_csrf.test_client()
    answers = {
        f"{method} {url}": _send(client, method, url)
        for rule, method, url in _routes(without_csrf, WRITE_METHODS)
        if rule.endpoint not in PUBLIC_WRITES
    }
    assert answers and all(status == 401 for status in answers.values()), answers


@SQLITE_ONLY
def test_every_write_route_answers_403_to_the_roles_it_does_not_admit(
    without_csrf: Flask, accounts: dict[str, FlaskClient]
) -> None:
    answers = {}
    for rule, method, url in _routes(without_csrf, WRITE_METHODS):
        allowed = _allowed(without_csrf, rule)
        for role in sorted(set(ROLES) - set(allowed or ROLES)):
            answers[f"{role}: {method} {url}"] = _send(accounts[role], method, url)
    assert answers and all(status == 403 for status in answers.values()), answers


@SQLITE_ONLY
def test_every_write_route_refuses_a_request_without_a_csrf_token(app: Flask, accounts: dict[str, FlaskClient]) -> None:
    anonymous = app.test_client()
    answers = {}
    for rule, method, url in _routes(app, WRITE_METHODS):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        admitted = sorted(_allowed(app, rule) or ROLES)[0]
        # The API answers an anonymous write (no session to forge) with 401: the login is what is missing.
        expected_anonymous = 401 if url.startswith("/api/") else 400
        answers[f"anonymous: {method} {url}"] = (_send(anonymous, method, url), expected_anonymous)
        answers[f"{admitted}: {method} {url}"] = (_send(accounts[admitted], method, url), 400)
    assert answers and all(status == expected for status, expected in answers.values()), answers


@SQLITE_ONLY
def test_every_guarded_page_sends_anonymous_browsers_to_sign_in_and_refuses_other_roles(
    app: Flask, accounts: dict[str, FlaskClient]
) -> None:
    anonymous = app.test_client()
    answers = {}
    for rule, method, url in _routes(app, frozenset({"GET"})):
        allowed = _allowed(app, rule)
        if allowed is None:
            continue
        response = anonymous.open(url, method=method)
        answers[f"anonymous: {url}"] = (response.status_code, response.headers.get("Location", "").split("?")[0])
        for role in sorted(set(ROLES) - allowed):
            answers[f"{role}: {url}"] = (accounts[role].open(url, method=method).status_code, "")
    expected = {key: ((302, "/login") if key.startswith("anonymous") else (403, "")) for key in answers}
    assert answers and answers == expected


@SQLITE_ONLY
def test_an_api_client_gets_401_rather_than_a_redirect(app: Flask) -> None:
    response = app.test_client().get("/me/", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert response.get_json()["error"] == 401
