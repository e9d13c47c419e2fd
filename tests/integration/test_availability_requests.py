"""Lawyers' availability requests: a window per period, requests before its deadline, the planner's decision,
and the solver respecting what was approved (checked by the independent checker)."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.cli.availability import availability
from scheduler.db import transaction
from scheduler.models import Assignment, AuditEvent, Duty, Lawyer, Notice, Unavailability
from scheduler.people import availability_requests as requests
from scheduler.people.availability_errors import RequestAlreadyDecided, RequestFieldError, RequestWindowClosed
from scheduler.planning.duties import generate_windows
from scheduler.planning.problem_builder import build_problem
from scheduler.planning.solving import solve_period
from scheduler.solver import check
from tests.integration.roster_fixtures import END, PARAMS, START, build_county

OPENS, DEADLINE = dt.date(2026, 2, 1), dt.date(2026, 2, 20)


def _county(factory: sessionmaker[Session]) -> tuple[list[int], int]:
    with transaction(factory) as session:
        lawyers = build_county(session)
        for lawyer in lawyers:
            lawyer.email = f"{lawyer.licence_no}@example.org"
        generate_windows(session, START, END, "test")
        window = requests.open_window(session, START, END, OPENS, DEADLINE, "planner")
        return [lw.id for lw in lawyers], window.id


def test_approved_days_off_become_unavailability_that_the_solver_respects(
    session_factory: sessionmaker[Session],
) -> None:
    ids, window = _county(session_factory)
    off_start, off_end = dt.date(2026, 3, 2), dt.date(2026, 3, 15)
    with transaction(session_factory) as session:
        asked = requests.ask_days_off(session, window, ids[0], off_start, off_end, "外地开庭", "lawyer", today=DEADLINE)
        wish = requests.ask_weekdays(session, window, ids[1], [], [2], "lawyer", today=DEADLINE)
        asked_id, wish_id = asked.id, wish.id
    with transaction(session_factory) as session:
        decided = requests.approve_all(session, window, "planner", today=DEADLINE)
        assert [d.request.id for d in decided] == [asked_id, wish_id]
        assert all(d.mailed for d in decided)
    with session_factory() as session:
        span = session.scalars(select(Unavailability).where(Unavailability.lawyer_id == ids[0])).one()
        assert (span.start, span.end, span.reason) == (off_start, off_end, "外地开庭")
        assert requests.get_request(session, asked_id).unavailability_id == span.id
        assert session.get(Lawyer, ids[1]).undesired_weekdays == [2]  # type: ignore[union-attr]
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions.count("availability.approve") == 2 and "lawyer.unavailable" in actions
        notices = session.scalars(select(Notice).where(Notice.method == "TEXT")).all()
        assert len(notices) == 2 and "已批准" in notices[0].subject

    outcome = solve_period(session_factory, START, END, PARAMS, actor="test", today=DEADLINE)
    with session_factory() as session:
        problem = build_problem(session, START, END, today=DEADLINE).problem
        rows = session.execute(
            select(Assignment.lawyer_id, Duty.id, Duty.date)
            .join(Duty, Duty.id == Assignment.duty_id)
            .where(Assignment.roster_id == outcome.roster_id)
        ).all()
    team: dict[int, list[int]] = {}
    for lawyer_id, duty_id, _day in rows:
        team.setdefault(duty_id, []).append(lawyer_id)
    assert check(problem, team).violations == ()
    assert not [day for lawyer_id, _d, day in rows if lawyer_id == ids[0] and off_start <= day <= off_end]
    assert any(lawyer_id == ids[0] for lawyer_id, _d, _day in rows)  # still serves after the days off


def test_a_request_after_the_deadline_is_refused_in_chinese_and_nothing_is_written(
    session_factory: sessionmaker[Session],
) -> None:
    ids, window = _county(session_factory)
    late = DEADLINE + dt.timedelta(days=1)
    with session_factory() as session:
        with pytest.raises(RequestWindowClosed) as refused:
            requests.ask_days_off(session, window, ids[0], START, START, "开庭", "lawyer", today=late)
        session.rollback()
        assert "已于 2026年2月20日 截止，不能再提交" in str(refused.value)
        with pytest.raises(RequestWindowClosed):
            requests.ask_weekdays(session, window, ids[0], [1], [], "lawyer", today=late)
        session.rollback()
        assert requests.requests_of_lawyer(session, ids[0]) == []


def test_bad_requests_name_the_field(session_factory: sessionmaker[Session]) -> None:
    ids, window = _county(session_factory)
    with session_factory() as session:
        with pytest.raises(RequestFieldError) as outside:
            requests.ask_days_off(session, window, ids[0], END, END + dt.timedelta(days=3), "休假", "x", today=OPENS)
        assert outside.value.field == "start" and "2026-03-02 至 2026-03-29" in str(outside.value)
        with pytest.raises(RequestFieldError) as no_reason:
            requests.ask_days_off(session, window, ids[0], START, START, " ", "x", today=OPENS)
        assert no_reason.value.field == "reason"
        with pytest.raises(RequestFieldError) as both:
            requests.ask_weekdays(session, window, ids[0], [2], [2], "x", today=OPENS)
        assert both.value.field == "undesired_weekdays"


def test_a_declined_request_keeps_its_reason_for_the_lawyer_and_changes_no_availability(
    session_factory: sessionmaker[Session],
) -> None:
    ids, window = _county(session_factory)
    with transaction(session_factory) as session:
        asked = requests.ask_days_off(session, window, ids[0], START, START, "休假", "lawyer", today=OPENS).id
    with transaction(session_factory) as session, pytest.raises(RequestFieldError):
        requests.decline(session, asked, "  ", "planner")
    with transaction(session_factory) as session:
        requests.decline(session, asked, "当天人手不足，请另行调换", "planner")
    with session_factory() as session:
        mine = requests.requests_of_lawyer(session, ids[0])
        assert [(r.state, r.decision_reason) for r in mine] == [("declined", "当天人手不足，请另行调换")]
        assert session.scalars(select(Unavailability)).all() == []
        mail = session.scalars(select(Notice)).one()
        assert "未批准" in mail.subject and "当天人手不足" in mail.body
        with pytest.raises(RequestAlreadyDecided):
            requests.approve(session, asked, "planner", today=OPENS)


def test_the_command_line_opens_lists_approves_and_declines(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: object
) -> None:
    ids, _window = _county(session_factory)
    with transaction(session_factory) as session:
        window = requests.window_for_period(session, START, END).id
        first = requests.ask_days_off(session, window, ids[0], START, START, "开庭", "l", today=OPENS).id
        second = requests.ask_weekdays(session, window, ids[1], [0], [], "l", today=OPENS).id
    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url})
    period = ["--from", str(START), "--to", str(END)]
    shown = runner.invoke(availability, ["list", *period])
    assert shown.exit_code == 0 and "2 request(s), 2 pending" in shown.output
    assert runner.invoke(availability, ["approve", str(first), "--today", "2026-02-20"]).exit_code == 0
    declined = runner.invoke(availability, ["decline", str(second), "--reason", "本期星期一已满"])
    assert declined.exit_code == 0, declined.output
    again = runner.invoke(availability, ["decline", str(second), "--reason", "x"])
    assert again.exit_code == 1 and "这条申请已处理（未批准）" in again.output
    moved = runner.invoke(availability, ["open", *period, "--opens", "2026-02-01", "--deadline", "2026-02-25"])
    assert moved.exit_code == 0 and "to 2026-02-25" in moved.output
