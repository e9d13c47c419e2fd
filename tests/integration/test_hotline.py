"""The consultation hotline (律师咨询电话、电子信箱): set-up, its days, planning, calendars and allowance."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.allowance import monthly_report, set_rate
from scheduler.attendance.records import record_attendance
from scheduler.calendars.feeds import lawyer_feed, office_feed, prefecture_feed
from scheduler.calendars.ical import description
from scheduler.cli import main
from scheduler.config import Settings
from scheduler.core.errors import FieldError, NotFound
from scheduler.core.problem import HOTLINE
from scheduler.db import transaction
from scheduler.models import Assignment, AuditEvent, Duty, DutyType, Hotline, Lawyer, Roster
from scheduler.planning.duties import generate_windows
from scheduler.planning.hotline import HotlineSpec, hotlines, remove_hotline, set_hotline
from scheduler.planning.hotline_errors import HotlineBadShare, HotlineBadWeekday
from scheduler.planning.problem_builder import build_problem, served_before
from scheduler.planning.solving import solve_period
from scheduler.rosters.lawyer_duties import swap_options
from scheduler.rosters.publishing import publish_draft
from scheduler.solver import SolveParams, check
from tests.integration.hotline_fixtures import (
    MAILBOX,
    MARCH,
    PHONE,
    PREFECTURE,
    XINGYI,
    YILONG,
    prefecture_hotline,
    small_prefecture,
)

pytestmark = pytest.mark.db
D = dt.date


def hotline_dates(session: Session) -> list[dt.date]:
    rows = session.scalars(
        select(Duty.date).join(DutyType, DutyType.id == Duty.duty_type_id).where(DutyType.code == HOTLINE)
    )
    return sorted(rows)


def test_hotline_days_are_the_working_days_of_the_calendar_not_the_window_weekday(session: Session) -> None:
    small_prefecture(session)
    prefecture_hotline(session)
    # Spring Festival 2026: Feb 15-23 off, Saturdays Feb 14 and 28 are working days (调休).
    generate_windows(session, D(2026, 2, 9), D(2026, 3, 1), "test")
    days = hotline_dates(session)
    assert days == [D(2026, 2, d) for d in (9, 10, 11, 12, 13, 14, 24, 25, 26, 27, 28)]
    again = generate_windows(session, D(2026, 2, 9), D(2026, 3, 1), "test")
    assert again.created == 0 and hotline_dates(session) == days


def test_a_weekday_pattern_keeps_only_those_working_days(session: Session) -> None:
    small_prefecture(session)
    prefecture_hotline(session, pattern="1,3")
    generate_windows(session, D(2026, 2, 9), D(2026, 3, 1), "test")
    assert hotline_dates(session) == [D(2026, 2, 9), D(2026, 2, 11), D(2026, 2, 25)]


def test_setting_a_hotline_is_audited_and_bad_input_changes_nothing(session: Session) -> None:
    small_prefecture(session)
    prefecture_hotline(session)
    (view,) = hotlines(session)
    assert (view.office_code, view.phone, view.mailbox, view.weekdays) == (PREFECTURE, PHONE, MAILBOX, ())
    assert view.served_from == (XINGYI, YILONG)
    assert session.scalar(select(DutyType.fairness_share).where(DutyType.code == HOTLINE)) == 5
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "hotline.set")) is not None
    with pytest.raises(HotlineBadWeekday) as bad:
        set_hotline(session, HotlineSpec(PREFECTURE, "12348", pattern="1,8"), "test")
    assert bad.value.field == "pattern" and "8" in str(bad.value) and "星期" in str(bad.value)
    with pytest.raises(HotlineBadShare):
        set_hotline(session, HotlineSpec(PREFECTURE, "12348", share=0.25), "test")
    with pytest.raises(FieldError):
        set_hotline(session, HotlineSpec(PREFECTURE, "  "), "test")
    with pytest.raises(NotFound):
        set_hotline(session, HotlineSpec("999999", "12348"), "test")
    assert hotlines(session)[0].phone == PHONE
    remove_hotline(session, PREFECTURE, "test")
    assert session.scalars(select(Hotline)).all() == []


def test_the_problem_gives_hotline_days_their_share_and_the_offices_that_may_serve_them(session: Session) -> None:
    offices = small_prefecture(session)
    prefecture_hotline(session)
    generate_windows(session, *MARCH, "test")
    problem = build_problem(session, *MARCH, today=D(2026, 3, 1)).problem
    hotline_duties = [d for d in problem.duties if d.kind == HOTLINE]
    assert len(hotline_duties) == 10
    ids = {code: office.id for code, office in offices.items()}
    assert all(d.share == 5 and d.served_from == frozenset(ids.values()) for d in hotline_duties)
    assert all(d.share == 10 and d.served_from == frozenset() for d in problem.duties if d.kind != HOTLINE)


def _solved_and_published(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        small_prefecture(session)
        prefecture_hotline(session)
        generate_windows(session, *MARCH, "test")
    outcome = solve_period(factory, *MARCH, SolveParams(time_limit_s=20.0), actor="test", today=D(2026, 3, 1))
    assert outcome.solution.report.status in ("optimal", "feasible")
    assert check(outcome.problem, outcome.solution.assignments).ok
    with transaction(factory) as session:
        publish_draft(session, *MARCH, "test")


def test_solving_staffs_every_hotline_day_from_the_allowed_offices(session_factory: sessionmaker[Session]) -> None:
    _solved_and_published(session_factory)
    with transaction(session_factory) as session:
        problem = build_problem(session, *MARCH, today=D(2026, 3, 1))
        assert problem.published is not None
        teams: dict[int, list[int]] = {}
        for a in problem.published.assignments:
            teams.setdefault(a.duty_id, []).append(a.lawyer_id)
        hotline_ids = [d.id for d in problem.problem.duties if d.kind == HOTLINE]
        assert all(len(teams.get(d, [])) == 1 for d in hotline_ids)
        answering = {lw for d in hotline_ids for lw in teams[d]}
        homes = {
            o.code for lawyer in session.scalars(select(Lawyer).where(Lawyer.id.in_(answering))) for o in lawyer.offices
        }
        # The prefecture's one lawyer cannot answer ten days alone: the counties' lawyers take the rest.
        assert homes & {XINGYI, YILONG}


def test_hotline_days_in_the_feeds_show_the_number_and_the_mailbox(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    _solved_and_published(session_factory)
    now = dt.datetime(2026, 3, 1, 8)
    with transaction(session_factory) as session:
        office = office_feed(session, settings, PREFECTURE, now)
        assert office is not None
        events = [e for e in office.events if e.duty.hotline]
        assert len(events) == 10
        text = description(events[0])
        assert f"咨询电话：{PHONE}" in text and f"电子信箱：{MAILBOX}" in text and "远程值守" in text
        on_line = events[0].duty.lawyers[0].name
        lawyer = session.scalar(select(Lawyer).where(Lawyer.name == on_line))
        assert lawyer is not None
        own = lawyer_feed(session, settings, lawyer.calendar_token, now)
        assert own is not None
        mine = [e for e in own.events if e.duty.hotline]
        assert mine and f"电子信箱：{MAILBOX}" in description(mine[0])
        assert any(e.duty.hotline for e in prefecture_feed(session, settings, now).events)


def test_the_allowance_pays_hotline_days_at_their_own_rate(session_factory: sessionmaker[Session]) -> None:
    _solved_and_published(session_factory)
    with transaction(session_factory) as session:
        set_rate(session, "window", D(2026, 1, 1), "200", "test", today=D(2026, 3, 1))
        set_rate(session, HOTLINE, D(2026, 1, 1), "50", "test", today=D(2026, 3, 1))
        problem = build_problem(session, *MARCH, today=D(2026, 3, 16))
        assert problem.published is not None
        hotline_ids = {d.id for d in problem.problem.duties if d.kind == HOTLINE}
        served = [a for a in problem.published.assignments if a.duty_id in hotline_ids][:3]
        for a in served:
            record_attendance(session, a.duty_id, a.lawyer_id, "attended", "test", today=D(2026, 3, 16))
        report = monthly_report(session, 2026, 3, today=D(2026, 3, 16))
        lines = [line for line in report.lines if line.duty_type == HOTLINE]
        assert sum(line.count for line in lines) == 3
        assert {line.rate for line in lines} == {Decimal("50")}
        assert all(line.duty_type_zh == "律师咨询电话、电子信箱值守" for line in lines)


def test_the_command_line_sets_lists_and_removes_a_hotline_that_solve_then_staffs(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    with transaction(session_factory) as session:
        small_prefecture(session)
    runner = CliRunner()
    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    args = ["hotline", "set", "--office", PREFECTURE, "--phone", PHONE, "--mailbox", MAILBOX, "--pattern", "1,3,5"]
    refused = runner.invoke(main, [*args[:-1], "1,9"], env=env)
    assert refused.exit_code == 1 and "Traceback" not in refused.output and "9" in refused.output
    with session_factory() as session:
        assert hotlines(session) == []
    remote = ["--served-from", XINGYI, "--served-from", YILONG, "--share", "0.4"]
    result = runner.invoke(main, [*args, *remote], env=env)
    assert result.exit_code == 0, result.output
    assert "0.4" in result.output
    listed = runner.invoke(main, ["hotline", "list"], env=env)
    assert f"{PREFECTURE} {PHONE} {MAILBOX} 1,3,5 x1 09:00-17:00 served from: {XINGYI},{YILONG}" in listed.output
    generated = runner.invoke(main, ["duties", "generate", "--from", str(MARCH[0]), "--to", str(MARCH[1])], env=env)
    assert generated.exit_code == 0, generated.output
    solved = runner.invoke(
        main, ["solve", "--from", str(MARCH[0]), "--to", str(MARCH[1]), "--time-limit", "10"], env=env
    )
    assert solved.exit_code == 0, solved.output
    with session_factory() as session:
        problem = build_problem(session, *MARCH, today=D(2026, 3, 1)).problem
        assert [d.share for d in problem.duties if d.kind == HOTLINE] == [4] * 6  # Mon, Wed, Fri of two weeks
    removed = runner.invoke(main, ["hotline", "remove", "--office", PREFECTURE], env=env)
    assert removed.exit_code == 0 and runner.invoke(main, ["hotline", "list"], env=env).output.startswith("a hotline")


def test_past_hotline_days_count_in_the_fairness_history_by_their_share(session: Session) -> None:
    small_prefecture(session)
    prefecture_hotline(session)
    generate_windows(session, D(2026, 2, 2), D(2026, 2, 13), "test")
    roster = Roster(
        period_start=D(2026, 2, 2), period_end=D(2026, 2, 13), version=1, status="published",
        published_at=dt.datetime(2026, 2, 1, 8),
    )  # fmt: skip
    session.add(roster)
    on_line, at_window = session.scalars(select(Lawyer).order_by(Lawyer.id).limit(2)).all()
    days = session.scalars(select(Duty).order_by(Duty.date, Duty.id)).all()
    hotline_days = [d for d in days if d.duty_type.code == HOTLINE][:4]
    window = next(d for d in days if d.duty_type.code == "window")
    for duty, lawyer in [*((d, on_line) for d in hotline_days), (window, at_window)]:
        session.add(Assignment(roster=roster, duty=duty, lawyer=lawyer, date=duty.date, slot=0, places=1))
    session.flush()
    history = served_before(session, D(2026, 2, 16), 14)
    # Four hotline days at half a window day are two window days; the window day is one.
    assert (history[on_line.id], history[at_window.id]) == (2, 1)


def test_a_lawyer_may_offer_a_hotline_day_to_lawyers_of_every_office_it_is_served_from(
    session_factory: sessionmaker[Session],
) -> None:
    _solved_and_published(session_factory)
    with transaction(session_factory) as session:
        built = build_problem(session, *MARCH, today=D(2026, 3, 1))
        assert built.published is not None
        kinds = {d.id: d.kind for d in built.problem.duties}
        homes = {lw.id: {o.code for o in lw.offices} for lw in session.scalars(select(Lawyer))}
        on_line = next(a for a in built.published.assignments if kinds[a.duty_id] == HOTLINE)
        options = swap_options(session, on_line.lawyer_id, on_line.duty_id, D(2026, 3, 1))
        assert options is not None
        offices = set().union(*(homes[c.id] for c in options.colleagues))
        assert offices == {PREFECTURE, XINGYI, YILONG}
        at_window = next(
            a for a in built.published.assignments if kinds[a.duty_id] == "window" and XINGYI in homes[a.lawyer_id]
        )
        options = swap_options(session, at_window.lawyer_id, at_window.duty_id, D(2026, 3, 1))
        assert options is not None and set().union(*(homes[c.id] for c in options.colleagues)) == {XINGYI}
