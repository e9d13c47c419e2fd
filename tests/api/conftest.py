"""Fixtures of the API tests: the web tests' application and accounts, a published county, Basic credentials.

`county` is tests/integration/roster_fixtures.py's county: one office (522326), eight lawyers, the Wednesday
windows of March 2026 solved and published as version 1 (two lawyers each); today is 2026-02-20.
`basic("planner")` makes a fresh account and returns the headers that sign a request in as it.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import Assignment, Duty, Roster
from tests.integration.roster_fixtures import END, START, published_county
from tests.web import conftest as web
from tests.web.conftest import TEST_PASSWORD

# The web tests' fixtures, shared under their own names: the application on the test database, accounts.
web_settings = web.web_settings
app = web.app
client = web.client
password_hash = web.password_hash
make_account = web.make_account
client_as = web.client_as
_serial = itertools.count(1)
Headers = dict[str, str]


def basic_header(username: str, password: str = TEST_PASSWORD) -> Headers:
    """The Authorization header of HTTP Basic credentials."""
    token = base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return {"Authorization": f"Basic {token}"}


@pytest.fixture
def basic(make_account: Callable[..., int]) -> Callable[..., Headers]:
    """basic(role, lawyer_id=None) -> headers signing requests in as a fresh account of `role` (a lawyer has one
    account: asking again for the same lawyer gives the same headers)."""
    lawyers: dict[int, Headers] = {}

    def make(role: str, lawyer_id: int | None = None) -> Headers:
        if lawyer_id is not None and lawyer_id in lawyers:
            return lawyers[lawyer_id]
        username = f"api-{role}-{next(_serial)}"
        make_account(role, lawyer_id=lawyer_id, username=username)
        headers = basic_header(username)
        if lawyer_id is not None:
            lawyers[lawyer_id] = headers
        return headers

    return make


@dataclass(frozen=True)
class County:
    """The published county: its lawyers, duties by date, and who is on which duty in version 1."""

    lawyer_ids: list[int]
    roster_id: int
    duty_ids: list[int]  # by date
    team: dict[int, list[int]]  # duty id -> lawyer ids

    def off(self, duty_id: int) -> list[int]:
        """The lawyers not on the duty."""
        return [lw for lw in self.lawyer_ids if lw not in self.team[duty_id]]

    def duty_of(self, lawyer_id: int, *, besides: int | None = None) -> int:
        """A duty the lawyer is on (other than `besides`)."""
        return next(d for d in self.duty_ids if lawyer_id in self.team[d] and d != besides)


@pytest.fixture
def county(session_factory: sessionmaker[Session]) -> County:
    lawyer_ids = published_county(session_factory)
    with transaction(session_factory) as session:
        roster = session.scalars(select(Roster).where(Roster.status == "published")).one()
        duty_ids = list(session.scalars(select(Duty.id).where(Duty.date.between(START, END)).order_by(Duty.date)))
        team: dict[int, list[int]] = {d: [] for d in duty_ids}
        for a in session.scalars(select(Assignment).where(Assignment.roster_id == roster.id)):
            team[a.duty_id].append(a.lawyer_id)
        return County(lawyer_ids, roster.id, duty_ids, {d: sorted(ls) for d, ls in team.items()})


def swap_pair(county: County) -> dict[str, Any]:
    """A swap proposal body: the first duty's first lawyer and a lawyer of a later duty who is on neither."""
    first = county.duty_ids[0]
    mine = county.team[first][0]
    other_duty = next(
        d for d in county.duty_ids[1:] if mine not in county.team[d] and set(county.team[d]) - set(county.team[first])
    )
    theirs = next(lw for lw in county.team[other_duty] if lw not in county.team[first])
    return {
        "kind": "swap",
        "duty_id": first,
        "lawyer_id": mine,
        "other_duty_id": other_duty,
        "other_lawyer_id": theirs,
    }


def errors_of(response: Any) -> dict[str | None, str]:
    """{field: message} of a 400 answer."""
    assert response.status_code == 400, response.get_data(as_text=True)
    return {e["field"]: e["message"] for e in response.get_json()["errors"]}


@pytest.fixture
def anonymous(app: Flask) -> FlaskClient:
    return app.test_client()
