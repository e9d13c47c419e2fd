"""Every API route, including those added later, is guarded; the walk reads the URL map, not a list.

tests/web/test_route_security.py covers the API's writes with the rest of the site (their roles are declared
with `role_required`). The API's reads keep their roles as `api_roles` (see scheduler.web.api.auth.reader),
since that test's page walk expects a browser to be sent to the sign-in page, which an API never does.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.routing import Rule

from scheduler.db import transaction
from scheduler.models import Lawyer
from scheduler.models.accounts import ROLES
from tests.api.conftest import County
from tests.web.conftest import SQLITE_ONLY
from tests.web.test_route_security import WRITE_METHODS, _url

# Reads open to anyone, each with its reason.
PUBLIC_READS = {
    "api.openapi": "the description of the API itself",
    "api.directory.offices": "the offices are on the public notice",
    "api.directory.office": "the offices are on the public notice",
    "api.directory.firms": "firms and their credit codes are public registers",
    "api.rosters.duties": "published duties with names and firms are the public notice (公示)",
    "api.hotline.list_hotlines": "the hotline's number, mailbox and today's lawyer are on the public notice",
}


def _api_routes(app: Flask, methods: frozenset[str]) -> Iterator[tuple[Rule, str, str]]:
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in sorted((rule.methods or set()) & methods):
                yield rule, method, _url(rule)


def _roles(app: Flask, rule: Rule, name: str) -> frozenset[str] | None:
    roles: frozenset[str] | None = getattr(app.view_functions[rule.endpoint], name, None)
    return roles


@pytest.fixture
def signed_in(client_as: Callable[..., FlaskClient], county: County) -> dict[str, FlaskClient]:
    """A browser session per role (the lawyer's linked to the county's first lawyer)."""
    return {role: client_as(role, lawyer_id=county.lawyer_ids[0] if role == "lawyer" else None) for role in ROLES}


@SQLITE_ONLY
def test_every_api_route_belongs_to_the_api_blueprint(app: Flask) -> None:
    endpoints = {rule.endpoint for rule, _m, _u in _api_routes(app, frozenset({"GET", *WRITE_METHODS}))}
    assert len(endpoints) > 20 and all(endpoint.startswith("api.") for endpoint in endpoints)


@SQLITE_ONLY
def test_every_api_read_is_public_on_purpose_or_declares_its_roles(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule, _method, _url in _api_routes(app, frozenset({"GET"}))
        if _roles(app, rule, "api_roles") is None and rule.endpoint not in PUBLIC_READS
    ]
    assert undeclared == []


@SQLITE_ONLY
def test_every_api_write_declares_its_roles_with_role_required(app: Flask) -> None:
    undeclared = [
        rule.endpoint
        for rule, _method, _url in _api_routes(app, WRITE_METHODS)
        if _roles(app, rule, "allowed_roles") is None
    ]
    assert undeclared == []


@SQLITE_ONLY
def test_every_guarded_read_answers_401_to_anonymous_callers_and_403_to_other_roles(
    app: Flask, signed_in: dict[str, FlaskClient]
) -> None:
    anonymous = app.test_client()
    answers, expected = {}, {}
    for rule, _method, url in _api_routes(app, frozenset({"GET"})):
        roles = _roles(app, rule, "api_roles")
        if roles is None:
            continue
        answers[f"anonymous: {url}"] = anonymous.get(url).status_code
        expected[f"anonymous: {url}"] = 401
        for role in sorted(set(ROLES) - roles):
            answers[f"{role}: {url}"] = signed_in[role].get(url).status_code
            expected[f"{role}: {url}"] = 403
    assert answers and answers == expected


@SQLITE_ONLY
def test_public_reads_answer_anonymous_callers(app: Flask, county: County) -> None:
    anonymous = app.test_client()
    answers = {
        url: anonymous.get(url).status_code
        for rule, _method, url in _api_routes(app, frozenset({"GET"}))
        if rule.endpoint in PUBLIC_READS
    }
    assert answers and all(status in (200, 404) for status in answers.values()), answers


@SQLITE_ONLY
def test_no_api_answer_shows_a_calendar_token(
    app: Flask, session_factory: sessionmaker[Session], signed_in: dict[str, FlaskClient], county: County
) -> None:
    # A token that would stand out anywhere in an answer.
    marker = "TOKEN" + secrets.token_hex(8)
    with transaction(session_factory) as session:
        for lawyer in session.scalars(select(Lawyer)):
            lawyer.calendar_token = f"{marker}-{lawyer.id}"
    admin = signed_in["admin"]
    bodies = {
        url: admin.get(url).get_data(as_text=True) for _rule, _method, url in _api_routes(app, frozenset({"GET"}))
    }
    bodies["lawyers"] = admin.get("/api/v1/lawyers?per_page=100").get_data(as_text=True)
    assert len(bodies) > 10 and not [url for url, body in bodies.items() if marker in body]
