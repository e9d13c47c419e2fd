"""The API gives a swap version its own score, the independent checker's, not its parent's."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.models import Roster
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.versions import assignments_of
from scheduler.solver import check
from tests.api.conftest import County, Headers, swap_pair
from tests.integration.roster_fixtures import END, START, TODAY


def test_a_swap_version_in_the_api_carries_the_checkers_score_of_its_own_assignments(
    client: FlaskClient, basic: Callable[..., Headers], county: County, session_factory: sessionmaker[Session]
) -> None:
    clerk = basic("clerk")
    proposal = client.post("/api/v1/proposals", json=swap_pair(county), headers=clerk).get_json()
    accepted = client.post(f"/api/v1/proposals/{proposal['id']}/accept", headers=clerk).get_json()
    new_id = accepted["roster"]["id"]
    shown = client.get(f"/api/v1/rosters/{new_id}", headers=clerk).get_json()
    parent = client.get(f"/api/v1/rosters/{county.roster_id}", headers=clerk).get_json()
    with session_factory() as session:
        version, before = session.get_one(Roster, new_id), session.get_one(Roster, county.roster_id)
        problem = build_problem(session, START, END, today=TODAY).problem
        reference = frozenset((a.duty_id, a.lawyer_id) for a in before.assignments)
        checked = check(dataclasses.replace(problem, previous=reference), assignments_of(version))
    assert checked.violations == ()
    assert shown["objective"] == accepted["roster"]["objective"] == checked.objective
    assert checked.terms["stability"] > 0 and shown["objective"] != parent["objective"]
