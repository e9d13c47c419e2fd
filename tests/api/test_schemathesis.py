"""Schemathesis against the OpenAPI document: whatever the input, valid or not, signed in or not, the API
answers with no 500 and with nothing the document does not describe.

One application per database backend serves every operation's test (building it solves a roster): it holds
the published county (tests/integration/roster_fixtures.py) with an open proposal and a swap request, so
that small ids name real things. Each generated request is sent twice: anonymously, then signed in by HTTP
Basic (as a planner, or for the lawyers' own operations as a lawyer who is on a duty), so that both the
guards and the views behind them are exercised.

Every check schemathesis has runs on every answer, so any disagreement between the document and the
behaviour fails the test: input the document forbids must be refused (negative_data_rejection), input it
allows must be taken (positive_data_acceptance; a 400 only where the operation lists x-rules, the rules a
schema cannot state), and answers must match their declared statuses, content types, headers and schemas.
Both generation modes run (schemathesis' default): about 1,200 cases per backend, each sent twice.

The schema is loaded from the document itself (`from_dict`) rather than through a fixture: schemathesis'
`pytest.from_fixture` reads a pytest-internal attribute (`Node._nodeid`) that pytest 9 no longer has.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS as REGISTRY
from schemathesis.checks import CheckContext, load_all_checks, positive_data_acceptance
from schemathesis.core.transport import Response
from sqlalchemy import select

from scheduler.config import Settings
from scheduler.db import make_engine, make_session_factory, transaction
from scheduler.models import Roster
from scheduler.models.accounts import User
from scheduler.rosters import proposals, swap_requests
from scheduler.web import create_app
from scheduler.web.api.openapi import document
from tests.api.conftest import Headers, basic_header
from tests.builders import settings_for
from tests.conftest import BACKENDS, _truncate_all
from tests.integration.roster_fixtures import TODAY, published_county

load_all_checks()
# Every check schemathesis has, the negative-data and positive-data ones included, but max_response_time (no
# time limit is promised; the test is bounded by MAX_EXAMPLES instead) and ignored_auth (it sends requests of
# its own over the network, which the in-process application does not serve; test_api_auth.py covers that).
SKIPPED = ("max_response_time", "ignored_auth")
CHECKS = [check for check in REGISTRY.get_all() if check.__name__ not in SKIPPED]
# Examples per operation in the fuzzing phase (the coverage phase adds its own boundary cases): with about
# 30 operations and each request sent twice, a backend takes about 15 s on SQLite, 25 s on PostgreSQL.
MAX_EXAMPLES = 8
# Operations whose document lists rules a schema cannot state (x-rules): across fields, or the roster's own.
# There a 400 is a lawful answer to schema-valid input; everywhere else schema-valid input must not be a 400.
RULED = {
    (path, method.upper())
    for path, item in document()["paths"].items()
    for method, op in item.items()
    if "x-rules" in op
}
LAWYERS_OWN = {
    (path, method.upper())
    for path, item in document()["paths"].items()
    for method, op in item.items()
    if op["description"] == "Roles: lawyer."
}

schema = schemathesis.openapi.from_dict(document())


def positive_data_acceptance_but_rules(ctx: CheckContext, response: Response, case: schemathesis.Case) -> bool | None:
    """positive_data_acceptance where a 400 may also be an answer: for the operations in RULED."""
    if response.status_code == 400:
        return None
    return positive_data_acceptance(ctx, response, case)


RULED_CHECKS = [positive_data_acceptance_but_rules if check is positive_data_acceptance else check for check in CHECKS]


def test_the_checks_include_the_conformance_and_negative_data_ones() -> None:
    # A schemathesis upgrade that renames a check must not quietly drop it from the fuzzing.
    names = {check.__name__ for check in CHECKS}
    assert {
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
    } <= names


class RecordingRunner:
    """Takes solve jobs without solving: the fuzzer must not start a solver per request."""

    def __init__(self) -> None:
        self.submitted: list[int] = []

    def submit(self, job_id: int) -> None:
        self.submitted.append(job_id)


@dataclass(frozen=True)
class Target:
    app: Flask
    identities: dict[str, Headers]


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_db_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> str:
    """A database for this module alone (tests/conftest.py's db_url is made afresh for every test)."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    _truncate_all(request.getfixturevalue("pg_engine"))
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture(scope="module")
def target(fuzz_db_url: str, tmp_path_factory: pytest.TempPathFactory, password_hash: str) -> Iterator[Target]:
    """The application with the county, an open proposal, a swap request, and a planner's and a lawyer's account."""
    engine = make_engine(fuzz_db_url)
    factory = make_session_factory(engine, settings_for(fuzz_db_url, tmp_path_factory.mktemp("fuzz-settings")))
    lawyer_ids = published_county(factory)
    with transaction(factory) as session:
        roster = session.scalars(select(Roster).where(Roster.status == "published")).one()
        state = sorted(proposals.roster_state(session, roster, TODAY).assignments.items())
        (first, team), (second, other_team) = state[0], state[1]
        proposals.propose_swap(session, first, team[0], second, other_team[0], "test", "fuzzing", today=TODAY)
        colleague = next(lw for lw in lawyer_ids if lw not in team)
        swap_requests.create(session, first, team[0], colleague, today=TODAY)
        session.add(User(username="fuzz-planner", password_hash=password_hash, role="planner", all_offices=True))
        session.add(User(username="fuzz-lawyer", password_hash=password_hash, role="lawyer", lawyer_id=team[0]))
    engine.dispose()
    folder = tmp_path_factory.mktemp("fuzz-instance")
    settings_ = Settings(
        instance_dir=folder,
        database_url=fuzz_db_url,
        secret_key="fuzz-secret-key",
        calendars_dir=folder / "calendars",
    )
    app = create_app({"SETTINGS": settings_, "TESTING": True, "AUTO_MIGRATE": False, "TODAY": TODAY})
    app.extensions["scheduler.job_runner"] = RecordingRunner()
    yield Target(app, {"planner": basic_header("fuzz-planner"), "lawyer": basic_header("fuzz-lawyer")})
    app.extensions["scheduler.sessions"].kw["bind"].dispose()


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_always_answers_as_documented(case: schemathesis.Case, target: Target) -> None:
    # Schemathesis makes up Basic credentials for the documented security scheme; wrong credentials are tested
    # in test_api_auth.py. Here the first call is anonymous, and checking a made-up password (against a slow
    # decoy hash, as for any unknown username) would cost most of the time budget.
    if case.headers:
        case.headers.pop("Authorization", None)
    operation = (case.operation.path, case.method.upper())
    checks = RULED_CHECKS if operation in RULED else CHECKS
    case.call_and_validate(app=target.app, checks=checks)
    who = "lawyer" if operation in LAWYERS_OWN else "planner"
    case.call_and_validate(app=target.app, headers=target.identities[who], checks=checks)
