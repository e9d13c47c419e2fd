"""A planner's draft and live changes to the published roster of the same period, together."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import Conflict, NotFound
from scheduler.db import transaction
from scheduler.models import AuditEvent, Roster
from scheduler.planning.solving import solve_period
from scheduler.rosters import drafts, proposals, publishing, versions
from tests.integration.roster_fixtures import END, PARAMS, START, TODAY, published_county

pytestmark = pytest.mark.db


def _swap_on_published(session: Session) -> Roster:
    published = versions.current_published(session, START, END)
    assert published is not None
    table = versions.assignments_of(published)
    (d1, team1), (d2, team2) = sorted(table.items())[:2]
    a, b = team1[0], next(lw for lw in team2 if lw not in team1)
    proposal = proposals.propose_swap(session, d1, a, d2, b, "clerk", "court date", today=TODAY)
    return proposals.accept(session, proposal.id, "clerk", today=TODAY)


def test_a_live_change_succeeds_while_a_draft_exists_and_the_draft_is_then_stale(
    session_factory: sessionmaker[Session],
) -> None:
    published_county(session_factory)
    solve_period(session_factory, START, END, PARAMS, actor="planner", today=TODAY)  # the planner's draft
    with transaction(session_factory) as session:
        assert drafts.stale_draft(session, START, END) is None
        after = _swap_on_published(session)  # used to fail: "changed by someone else at the same moment"
        assert after.version == 2 and after.status == "published"
        stale = drafts.stale_draft(session, START, END)
        assert stale is not None and (stale.based_on, stale.current) == (1, 2)
    with transaction(session_factory) as session, pytest.raises(Conflict) as caught:
        publishing.publish_draft(session, START, END, "planner")
    assert "已发布的排班表有变动" in str(caught.value) and "请重新求解草稿" in str(caught.value)
    # Rebase: solve again with the new published version as the stability reference, then publish.
    solve_period(session_factory, START, END, PARAMS, actor="planner", today=TODAY)
    with transaction(session_factory) as session:
        assert drafts.stale_draft(session, START, END) is None
        published = publishing.publish_draft(session, START, END, "planner")
        assert published.version == 3
        # The swap of version 2 survives in the rebased version: it was the stability reference.
        v2 = versions.version(session, START, END, 2)
        assert versions.compare(v2, published) == []


def test_discarding_a_draft_deletes_it_and_changes_nothing_published(session_factory: sessionmaker[Session]) -> None:
    published_county(session_factory)
    solve_period(session_factory, START, END, PARAMS, actor="planner", today=TODAY)
    with transaction(session_factory) as session:
        before = versions.assignments_of(versions.current_published(session, START, END))  # type: ignore[arg-type]
        assert drafts.discard_draft(session, START, END, "planner", "no longer needed") == 2
    with transaction(session_factory) as session:
        assert drafts.current_draft(session, START, END) is None
        assert versions.assignments_of(versions.current_published(session, START, END)) == before  # type: ignore[arg-type]
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "roster.discard_draft")).one()
        assert event.reason == "no longer needed"
        with pytest.raises(NotFound, match="没有草稿"):
            drafts.discard_draft(session, START, END, "planner")


def test_the_cli_discards_a_draft(session_factory: sessionmaker[Session], db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from scheduler.cli.changes import roster

    published_county(session_factory)
    solve_period(session_factory, START, END, PARAMS, actor="planner", today=TODAY)
    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    args = ["discard-draft", "--from", str(START), "--to", str(END), "--reason", "重新规划"]
    result = CliRunner(env=env).invoke(roster, args)
    assert result.exit_code == 0, result.output
    assert result.output == f"draft (version 2) of {START}..{END} discarded\n"
    with session_factory() as session:
        assert drafts.current_draft(session, START, END) is None
