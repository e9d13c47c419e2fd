"""Changing the duties of a published period: each change is a repair (fewest changes) in a new version."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import AuditEvent, Duty
from scheduler.planning.duties import LeaderDaySpec
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters import proposals, versions
from scheduler.rosters.duty_changes import add_leader_day_to_roster
from scheduler.solver import check
from tests.integration.roster_fixtures import END, PARAMS, START, TODAY, published_county

pytestmark = pytest.mark.db


def _current(session: Session):  # type: ignore[no-untyped-def]
    roster = versions.current_published(session, START, END)
    assert roster is not None
    return roster


def test_a_leader_day_added_to_a_published_period_is_staffed_and_nothing_else_moves(
    session_factory: sessionmaker[Session],
) -> None:
    published_county(session_factory)
    with transaction(session_factory) as session:
        before = _current(session)
        spec = LeaderDaySpec("522326", dt.date(2026, 3, 20), needed=1, min_years=5, note="县长接待")
        outcome = add_leader_day_to_roster(session, spec, "planner", today=TODAY, params=PARAMS)
        proposal = outcome.proposal
        assert proposal is not None and proposal.kind == "repair"
        assert proposal.evaluation["unfilled"] == [] and proposal.evaluation["moved_others"] is False
        assert [c["duty_id"] for c in proposal.changes] == [outcome.duty.id]
        after = proposals.accept(session, proposal.id, "planner", today=TODAY)
        assert after.version == before.version + 1
        rows = versions.compare(before, after)
        assert [(r.duty_id, len(r.old), len(r.new)) for r in rows] == [(outcome.duty.id, 0, 1)]
        problem = build_problem(session, START, END, today=TODAY).problem
        assert check(problem, versions.assignments_of(after)).violations == ()
        assert "roster.repair" in set(session.scalars(select(AuditEvent.action)))


def test_before_publication_a_leader_day_only_edits_the_duties(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        from tests.integration.roster_fixtures import build_county

        build_county(session)
        outcome = add_leader_day_to_roster(session, LeaderDaySpec("522326", dt.date(2026, 3, 20)), "planner")
        assert outcome.proposal is None
        assert session.scalars(select(Duty)).one().date == dt.date(2026, 3, 20)
