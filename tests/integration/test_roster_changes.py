"""Changing a published roster: versions, removal and suspension with repair, swaps, covers, proposals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import Conflict, InputError
from scheduler.db import transaction
from scheduler.models import Assignment, AuditEvent, Duty, Lawyer, Roster, Unavailability
from scheduler.people import standing
from scheduler.planning.problem_builder import build_problem
from scheduler.planning.solving import solve_period
from scheduler.rosters import proposals, publishing, versions
from scheduler.rosters.staffing import repair_context
from scheduler.solver import check
from tests.integration.roster_fixtures import END, PARAMS, START, TODAY, published_county

pytestmark = pytest.mark.db


def _current(session: Session) -> Roster:
    roster = versions.current_published(session, START, END)
    assert roster is not None
    return roster


def _licence(session: Session, lawyer_id: int) -> str:
    return session.get(Lawyer, lawyer_id).licence_no  # type: ignore[union-attr]


def _assert_valid(session: Session, roster: Roster) -> None:
    problem = build_problem(session, START, END, today=TODAY).problem
    assert check(problem, versions.assignments_of(roster)).violations == ()


def _duties_of(roster: Roster, lawyer_id: int) -> list[int]:
    return sorted(d for d, ls in versions.assignments_of(roster).items() if lawyer_id in ls)


def test_publishing_a_new_solve_supersedes_the_old_version_and_both_stay_readable(
    session_factory: sessionmaker[Session],
) -> None:
    published_county(session_factory)
    solve_period(session_factory, START, END, PARAMS, actor="test", today=TODAY)
    with transaction(session_factory) as session:
        second = publishing.publish_draft(session, START, END, "planner", "second thoughts")
        assert second.version == 2
        statuses = [(r.version, r.status) for r in versions.versions(session, START, END)]
        assert statuses == [(1, "superseded"), (2, "published")]
        first = versions.version(session, START, END, 1)
        assert versions.compare(first, second) == []  # the same problem solved again gives the same roster
        assert second.changelog[-1]["what"] == "published version 2"


def test_publishing_without_a_draft_is_refused(session_factory: sessionmaker[Session]) -> None:
    published_county(session_factory)
    with transaction(session_factory) as session, pytest.raises(Exception, match="没有可发布的草稿"):
        publishing.publish_draft(session, START, END, "planner")


def test_removing_a_lawyer_refills_exactly_their_future_duties(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory)
    with transaction(session_factory) as session:
        before = _current(session)
        victim = ids[0]
        mine = _duties_of(before, victim)
        assert mine
        cutoff = dt.date(2026, 3, 1)
        found = standing.remove(
            session, _licence(session, victim), cutoff, "violated discipline", "clerk", today=TODAY, params=PARAMS
        )
        assert len(found) == 1
        proposal = found[0]
        assert proposal.evaluation["changed"] == len(mine) == len(proposal.evaluation["vacated"])
        assert proposal.evaluation["new_violations"] == []
        after = proposals.accept(session, proposal.id, "clerk", today=TODAY)
        rows = versions.compare(before, after)
        assert sorted(r.duty_id for r in rows) == mine
        assert all(victim in r.old and victim not in r.new and len(r.new) == len(r.old) for r in rows)
        assert _duties_of(after, victim) == []
        _assert_valid(session, after)
        actions = set(session.scalars(select(AuditEvent.action)))
        assert {"lawyer.remove", "roster.repair"} <= actions


def test_a_suspension_touches_only_duties_inside_it_and_reinstating_moves_nobody(
    session_factory: sessionmaker[Session],
) -> None:
    ids = published_county(session_factory)
    with transaction(session_factory) as session:
        before = _current(session)
        dates = {d.id: d.date for d in session.scalars(select(Duty))}
        victim = next(lw for lw in ids if any(dates[d] >= dt.date(2026, 3, 16) for d in _duties_of(before, lw)))
        inside = [d for d in _duties_of(before, victim) if dt.date(2026, 3, 16) <= dates[d] <= dt.date(2026, 3, 22)]
        found = standing.suspend(
            session,
            _licence(session, victim),
            dt.date(2026, 3, 16),
            dt.date(2026, 3, 22),
            "under investigation",
            "clerk",
            today=TODAY,
            params=PARAMS,
        )
        if inside:
            after = proposals.accept(session, found[0].id, "clerk", today=TODAY)
            assert sorted(r.duty_id for r in versions.compare(before, after)) == inside
        else:
            assert found == []
        version = _current(session).version
        standing.reinstate(session, _licence(session, victim), dt.date(2026, 3, 19), "cleared", "clerk")
        assert _current(session).version == version
        lawyer = session.get(Lawyer, victim)
        assert lawyer is not None and lawyer.status_on(dt.date(2026, 3, 20)) == "active"
        assert lawyer.status_on(dt.date(2026, 3, 17)) == "suspended"


def test_new_unavailability_after_publication_is_repaired(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory)
    with transaction(session_factory) as session:
        before = _current(session)
        duty_id = _duties_of(before, ids[1])[0]
        day = session.get(Duty, duty_id).date  # type: ignore[union-attr]
        found = standing.add_unavailability(
            session, _licence(session, ids[1]), day, day, "court date", "clerk", today=TODAY, params=PARAMS
        )
        after = proposals.accept(session, found[0].id, "clerk", today=TODAY)
        assert [r.duty_id for r in versions.compare(before, after)] == [duty_id]


def test_a_valid_swap_is_accepted_as_the_next_version_with_raised_revisions(
    session_factory: sessionmaker[Session],
) -> None:
    published_county(session_factory)
    with transaction(session_factory) as session:
        before = _current(session)
        table = versions.assignments_of(before)
        (d1, team1), (d2, team2) = sorted(table.items())[:2]
        a, b = team1[0], next(lw for lw in team2 if lw not in team1)
        proposal = proposals.propose_swap(session, d1, a, d2, b, "clerk", "court date", today=TODAY)
        after = proposals.accept(session, proposal.id, "clerk", today=TODAY)
        assert after.version == before.version + 1
        new = versions.assignments_of(after)
        assert b in new[d1] and a in new[d2]
        revisions = {(x.duty_id, x.lawyer_id): x.revision for x in after.assignments}
        old_revisions = {(x.duty_id, x.lawyer_id): x.revision for x in before.assignments}
        assert revisions[(d1, b)] > max(r for (d, _), r in old_revisions.items() if d == d1)
        untouched = [(d, lw) for (d, lw) in revisions if d not in (d1, d2)]
        assert all(revisions[k] == old_revisions[k] for k in untouched)
        origins = {(x.duty_id, x.lawyer_id): x.origin for x in after.assignments}
        assert origins[(d1, b)] == origins[(d2, a)] == "swap"


def test_a_change_that_breaks_a_rule_is_refused_listing_it_unless_overridden(
    session_factory: sessionmaker[Session],
) -> None:
    ids = published_county(session_factory)
    with transaction(session_factory) as session:
        table = versions.assignments_of(_current(session))
        d1, team = sorted(table.items())[0]
        outsider = next(lw for lw in ids if lw not in team)
        day = session.get(Duty, d1).date  # type: ignore[union-attr]
        # A court date that day: covering the duty would break the availability rule.
        session.add(Unavailability(lawyer_id=outsider, start=day, end=day, reason="开庭"))
        session.flush()
        proposal = proposals.propose_cover(session, d1, team[0], outsider, "clerk", today=TODAY)
        assert [v["rule"] for v in proposal.evaluation["new_violations"]] == ["available"]
        with pytest.raises(Conflict, match="违反硬性规则") as refused:
            proposals.accept(session, proposal.id, "clerk", today=TODAY)
        # The rule is named with the lawyer and the duty, not the solver's ids.
        assert "在 2026年" in str(refused.value) and "不能值班" in str(refused.value)
        roster = proposals.accept(
            session, proposal.id, "planner", override_reason="only one who speaks Buyi", today=TODAY
        )
        assert outsider in versions.assignments_of(roster)[d1]
        override = session.scalar(select(AuditEvent).where(AuditEvent.action == "roster.override"))
        assert override is not None and override.reason == "only one who speaks Buyi"


def test_a_proposal_made_on_an_older_version_cannot_be_accepted(session_factory: sessionmaker[Session]) -> None:
    published_county(session_factory)
    with transaction(session_factory) as session:
        table = versions.assignments_of(_current(session))
        (d1, t1), (d2, t2) = sorted(table.items())[:2]
        b = next(lw for lw in t2 if lw not in t1)
        first = proposals.propose_swap(session, d1, t1[0], d2, b, "clerk A", today=TODAY)
        second = proposals.propose_swap(session, d1, t1[0], d2, b, "clerk B", today=TODAY)
        proposals.accept(session, first.id, "clerk A", today=TODAY)
        with pytest.raises(Conflict, match=r"基于第 1 版.*当前为第 2 版"):
            proposals.accept(session, second.id, "clerk B", today=TODAY)


def test_swap_and_cover_input_errors_name_the_problem(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory)
    with transaction(session_factory) as session:
        table = versions.assignments_of(_current(session))
        d1, team = sorted(table.items())[0]
        idle = next(lw for lw in ids if lw not in team)
        with pytest.raises(InputError, match="不在第 1 版排班的"):
            proposals.propose_cover(session, d1, idle, team[0], "clerk", today=TODAY)
        with pytest.raises(Exception, match="该值班不存在"):
            proposals.propose_cover(session, 9999, None, idle, "clerk", today=TODAY)


def test_the_database_refuses_a_third_lawyer_on_a_duty_for_two(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory)
    with session_factory() as session:
        roster = _current(session)
        d1, team = sorted(versions.assignments_of(roster).items())[0]
        idle = next(lw for lw in ids if lw not in team)
        duty = session.get(Duty, d1)
        assert duty is not None
        session.add(Assignment(roster_id=roster.id, duty_id=d1, lawyer_id=idle, date=duty.date, slot=2, places=2))
        with pytest.raises(Exception, match=r"(?i)check|constraint"):
            session.commit()
        session.rollback()
        count = session.scalar(
            select(func.count(Assignment.id)).where(Assignment.duty_id == d1, Assignment.roster_id == roster.id)
        )
        assert count == 2


def test_a_removal_dated_before_a_served_duty_keeps_it_as_history_and_refills_the_future(
    session_factory: sessionmaker[Session],
) -> None:
    ids = published_county(session_factory, lawyers=5)
    today = dt.date(2026, 3, 20)
    with transaction(session_factory) as session:
        before = _current(session)
        dates = {d.id: d.date for d in session.scalars(select(Duty))}
        table = versions.assignments_of(before)
        victim, served, future = next(
            (lw, p, f)
            for lw in ids
            for p in _duties_of(before, lw)
            for f in _duties_of(before, lw)
            if dates[p] < today <= dates[f]
        )
        cutoff = dates[served] - dt.timedelta(days=1)  # the removal predates a duty already served
        [proposal] = standing.remove(
            session, _licence(session, victim), cutoff, "violated discipline", "clerk", today=today, params=PARAMS
        )
        assert proposal.evaluation["unfilled"] == []
        after = proposals.accept(session, proposal.id, "clerk", today=today)
        now = versions.assignments_of(after)
        assert victim in now[served]  # served duties stay as history
        future_mine = [d for d in _duties_of(before, victim) if dates[d] >= today]
        assert future in future_mine and all(victim not in now[d] and len(now[d]) == 2 for d in future_mine)
        # Nothing else moved: only the victim's future duties changed.
        assert sorted(r.duty_id for r in versions.compare(before, after)) == sorted(future_mine)
        assert {d: ls for d, ls in now.items() if dates[d] < today} == {
            d: ls for d, ls in table.items() if dates[d] < today
        }
        problem = build_problem(session, START, END, today=today).problem
        # The future with the duties the rules still count before today (this month, the gap) as context.
        context, seen = repair_context(problem, now, today)
        report = check(context, {d: ls for d, ls in seen.items() if d in {duty.id for duty in context.duties}})
        assert report.violations == ()
