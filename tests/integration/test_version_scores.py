"""A version made by a change carries the score of its own assignments, not its parent's."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import Roster
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters import proposals, versions
from scheduler.rosters.review import roster_review
from scheduler.solver import check
from tests.integration.roster_fixtures import END, START, TODAY, published_county

pytestmark = pytest.mark.db


def _checked(session: Session, version: Roster, parent: Roster) -> tuple[int, dict[str, int]]:
    """The independent checker's score of `version`, judged against its parent as the published roster."""
    problem = build_problem(session, START, END, today=TODAY).problem
    reference = frozenset((a.duty_id, a.lawyer_id) for a in parent.assignments)
    result = check(dataclasses.replace(problem, previous=reference), versions.assignments_of(version))
    assert result.violations == ()
    return result.objective, result.terms


def test_a_swap_version_stores_and_shows_the_checkers_score_of_its_own_assignments(
    session_factory: sessionmaker[Session],
) -> None:
    published_county(session_factory)
    with transaction(session_factory) as session:
        parent = versions.current_published(session, START, END)
        assert parent is not None
        table = versions.assignments_of(parent)
        (d1, team1), (d2, team2) = sorted(table.items())[:2]
        a, b = team1[0], next(lw for lw in team2 if lw not in team1)
        proposal = proposals.propose_swap(session, d1, a, d2, b, "clerk", "开庭", today=TODAY)
        swapped = proposals.accept(session, proposal.id, "clerk", today=TODAY)
        objective, terms = _checked(session, swapped, parent)

        assert swapped.objective == swapped.report["objective"] == objective
        assert swapped.report["terms"] == terms
        # Four lawyer-duty pairs moved against the published roster: the stability term says so.
        assert terms["stability"] > 0
        assert swapped.objective != parent.objective
        assert swapped.bound is None  # the solver's bound was proven for the parent, not for a hand-made version

        shown = roster_review(session, swapped.id)
        assert dict(shown.terms) == terms
        assert shown.roster.objective == objective
        assert shown.gap is None and shown.rescored


def test_a_cover_version_is_scored_on_its_own_assignments(
    session_factory: sessionmaker[Session],
) -> None:
    ids = published_county(session_factory)
    with transaction(session_factory) as session:
        parent = versions.current_published(session, START, END)
        assert parent is not None
        table = versions.assignments_of(parent)
        duty_id, team = sorted(table.items())[0]
        found = (
            proposals.propose_cover(session, duty_id, team[0], lw, "clerk", "生病", today=TODAY)
            for lw in ids
            if lw not in team
        )
        proposal = next(p for p in found if not p.evaluation["new_violations"])
        covered = proposals.accept(session, proposal.id, "clerk", today=TODAY)
        objective, terms = _checked(session, covered, parent)
        assert covered.objective == objective
        assert covered.report["terms"] == terms
        assert covered.report["open_places"] == 0
