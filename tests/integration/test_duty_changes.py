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


def _give_emails(session: Session) -> None:
    from scheduler.models import Lawyer

    for lawyer in session.scalars(select(Lawyer)):
        lawyer.email = f"l{lawyer.id}@example.org"


def test_cancelling_a_published_duty_makes_a_version_cancels_its_events_and_shows_it_cancelled(
    session_factory: sessionmaker[Session],
) -> None:
    from scheduler.models import CalendarEntry, Notice, OfficeEntry
    from scheduler.rosters.duty_changes import cancel_duty
    from scheduler.rosters.notice_board import office_notice, week_of

    published_county(session_factory)
    with transaction(session_factory) as session:
        _give_emails(session)
        before = _current(session)
        table = versions.assignments_of(before)
        duty_id = sorted(table)[1]
        lawyers = table[duty_id]
        result = cancel_duty(session, duty_id, "信访局搬迁，当日闭馆", "planner", today=TODAY)
        assert result.version is not None and result.version.version == before.version + 1
        assert "cancelled" in result.version.changelog[-1]["what"]
        assert result.version.changelog[-1]["why"] == "信访局搬迁，当日闭馆"
        rows = versions.compare(before, result.version)
        assert [(r.duty_id, sorted(r.old), list(r.new)) for r in rows] == [(duty_id, sorted(lawyers), [])]
        entries = session.scalars(select(CalendarEntry).where(CalendarEntry.duty_id == duty_id)).all()
        assert {e.lawyer_id: e.status for e in entries} == dict.fromkeys(lawyers, "cancelled")
        assert session.scalars(select(OfficeEntry).where(OfficeEntry.duty_id == duty_id)).one().status == "cancelled"
        cancels = session.scalars(select(Notice).where(Notice.duty_id == duty_id, Notice.method == "CANCEL")).all()
        assert sorted(n.lawyer_id for n in cancels) == sorted(lawyers)
        # Nothing else was touched.
        other = session.scalars(select(Notice).where(Notice.duty_id != duty_id)).all()
        assert other == []
        day = session.get_one(Duty, duty_id).date
        notice = office_notice(session, "522326", week_of(day), today=TODAY)
        assert notice is not None
        [shown] = [d for d in notice.duties if d.duty_id == duty_id]
        assert shown.cancelled and shown.lawyers == () and shown.open_places == 0
        later = office_notice(session, "522326", week_of(day), today=day + dt.timedelta(days=1))
        assert later is not None and duty_id not in [d.duty_id for d in later.duties]
        # A new solve never staffs a cancelled duty.
        problem = build_problem(session, START, END, today=TODAY).problem
        assert duty_id not in {d.id for d in problem.duties}


def test_moving_a_published_duty_keeps_its_lawyers_and_updates_their_events(
    session_factory: sessionmaker[Session],
) -> None:
    from scheduler.models import CalendarEntry, Notice
    from scheduler.rosters.duty_changes import DutyEdit, edit_duty

    published_county(session_factory)
    with transaction(session_factory) as session:
        _give_emails(session)
        before = _current(session)
        table = versions.assignments_of(before)
        duty_id = sorted(table)[1]
        duty = session.get_one(Duty, duty_id)
        old_day = duty.date
        sequences = {
            e.lawyer_id: e.sequence
            for e in session.scalars(select(CalendarEntry).where(CalendarEntry.duty_id == duty_id))
        }
        new_day = old_day + dt.timedelta(days=1)  # Wednesday -> Thursday, a working day
        move = DutyEdit(date=new_day)
        result = edit_duty(session, duty_id, move, "领导日程调整", "planner", today=TODAY, params=PARAMS)
        assert result.version is not None and result.version.version == before.version + 1
        after = versions.assignments_of(result.version)
        assert after == table  # the same lawyers, nobody else moved
        assert duty.date == new_day
        entries = session.scalars(select(CalendarEntry).where(CalendarEntry.duty_id == duty_id)).all()
        assert all(e.status == "confirmed" and e.date == new_day and e.sequence == sequences[e.lawyer_id] + 1
                   for e in entries)  # fmt: skip
        notices = session.scalars(select(Notice).where(Notice.duty_id == duty_id)).all()
        assert sorted(n.lawyer_id for n in notices) == sorted(table[duty_id])
        assert all(n.method == "REQUEST" for n in notices)
        problem = build_problem(session, START, END, today=TODAY).problem
        assert check(problem, after).violations == ()


def test_a_move_to_a_day_off_or_out_of_the_period_is_refused_and_changes_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    from scheduler.core.errors import InputError
    from scheduler.rosters.duty_changes import DutyEdit, edit_duty

    published_county(session_factory)
    with transaction(session_factory) as session:
        duty_id = sorted(versions.assignments_of(_current(session)))[0]
        day = session.get_one(Duty, duty_id).date
        for target, words in ((dt.date(2026, 3, 7), "不是工作日"), (dt.date(2026, 4, 8), "不在已发布时段")):
            with pytest.raises(InputError, match=words):
                edit_duty(session, duty_id, DutyEdit(date=target), "x", "planner", today=TODAY)
        assert session.get_one(Duty, duty_id).date == day
        assert _current(session).version == 1


def test_a_leader_day_entered_by_mistake_is_deleted_before_publication_and_cancelled_after(
    session_factory: sessionmaker[Session],
) -> None:
    from scheduler.rosters.duty_changes import delete_leader_day

    published_county(session_factory)
    with transaction(session_factory) as session:
        unpublished = add_leader_day_to_roster(session, LeaderDaySpec("522326", dt.date(2026, 4, 10)), "planner")
        gone = unpublished.duty.id
        delete_leader_day(session, gone, "录入错误", "planner", today=TODAY)
        assert session.get(Duty, gone) is None
        added = add_leader_day_to_roster(
            session, LeaderDaySpec("522326", dt.date(2026, 3, 20)), "planner", today=TODAY, params=PARAMS
        )
        assert added.proposal is not None
        proposals.accept(session, added.proposal.id, "planner", today=TODAY)
        result = delete_leader_day(session, added.duty.id, "领导另有公务", "planner", today=TODAY)
        assert result.duty.cancelled_at is not None and result.version is not None
        assert versions.assignments_of(result.version).get(added.duty.id, ()) == ()


def test_before_publication_cancel_and_move_edit_the_duties_and_the_draft(
    session_factory: sessionmaker[Session],
) -> None:
    from scheduler.planning.duties import generate_windows
    from scheduler.planning.solving import solve_period
    from scheduler.rosters import drafts
    from scheduler.rosters.duty_changes import DutyEdit, cancel_duty, edit_duty
    from tests.integration.roster_fixtures import build_county

    with transaction(session_factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")
    solve_period(session_factory, START, END, PARAMS, actor="test", today=TODAY)
    with transaction(session_factory) as session:
        draft = drafts.current_draft(session, START, END)
        assert draft is not None
        first, second = sorted(versions.assignments_of(draft))[:2]
        assert cancel_duty(session, first, "闭馆", "planner", today=TODAY).version is None
        moved = edit_duty(session, second, DutyEdit(date=dt.date(2026, 3, 12)), "调整", "planner", today=TODAY)
        assert moved.version is None and moved.duty.date == dt.date(2026, 3, 12)
        session.expire_all()
        left = versions.assignments_of(drafts.current_draft(session, START, END))  # type: ignore[arg-type]
        assert first not in left and second not in left
        assert versions.current_published(session, START, END) is None
