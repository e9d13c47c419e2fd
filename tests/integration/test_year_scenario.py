"""A bureau's year: the demo planned in June 2026 on the expected 2027 arrangement, published, then the
State Council's official 2027 arrangement arrives with one date changed, and `duties replan --accept`
brings the roster, the public notice, the feeds and the queued notices in line, and nothing else moves."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.config import Settings
from scheduler.db import transaction
from scheduler.demo import build_demo
from scheduler.models import Duty, Notice, Office
from scheduler.planning.problem_builder import build_problem
from scheduler.planning.solving import solve_period
from scheduler.rosters import publishing, versions
from scheduler.rosters.notice_board import office_notice, week_of
from scheduler.solver import SolveParams, check
from scheduler.web import create_app

pytestmark = [pytest.mark.db, pytest.mark.slow]

JUNE = dt.date(2026, 6, 15)
START, END = dt.date(2027, 1, 4), dt.date(2027, 4, 4)  # the demo's 13 weeks from the first Monday of 2027
SUNDAY_MAKEUP, SATURDAY_MAKEUP = dt.date(2027, 2, 14), dt.date(2027, 2, 20)


def _official_2027(folder: Path) -> Path:
    """The expected file with one change, as the State Council might publish it: the make-up workday
    after the Spring Festival is Saturday Feb 20 rather than Sunday Feb 14; labels lose 预计."""
    expected = (resources.files("scheduler.data") / "holidays-2027-expected.csv").read_text(encoding="utf-8")
    official = expected.replace("2027-02-14,workday", "2027-02-20,workday").replace("(预计)", "").replace("预计", "")
    path = folder / "holidays-2027.csv"
    path.write_text(official, encoding="utf-8")
    return path


def test_the_official_arrangement_replans_only_the_duties_it_touches(
    session_factory: sessionmaker[Session], db_url: str, settings: Settings, tmp_path: Path
) -> None:
    from scheduler.cli.planning import duties, holidays

    with transaction(session_factory) as session:
        build_demo(session, JUNE)  # the prefecture, planned in June 2026
        demo_2027 = build_demo(session, dt.date(2027, 1, 1))  # windows of early 2027, on the expected year
        assert (demo_2027.start, demo_2027.end) == (START, END) and demo_2027.provisional_years == [2027]
        moved_onto_sunday = session.scalars(select(Duty).where(Duty.date == SUNDAY_MAKEUP)).all()
        assert moved_onto_sunday  # windows moved off the Spring Festival land on the make-up Sunday
        assert session.scalars(select(Duty).where(Duty.date == dt.date(2027, 2, 5))).all() == []  # 除夕 is off
    solve_period(session_factory, START, END, SolveParams(time_limit_s=30, workers=2, seed=0), actor="t", today=JUNE)
    with transaction(session_factory) as session:
        first = publishing.publish_draft(session, START, END, "planner")
        assert first.provisional
        before = versions.assignments_of(first)
        dates = {d.id: d.date for d in session.scalars(select(Duty).where(Duty.date.between(START, END)))}
        notices_before = {n.id for n in session.scalars(select(Notice))}

    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")})
    imported = runner.invoke(holidays, ["import", str(_official_2027(tmp_path))])
    assert imported.exit_code == 0, imported.output
    assert "imported 34 days (official) for 2027" in imported.output
    assert f"{SUNDAY_MAKEUP} →" in imported.output  # every duty on the lost make-up Sunday is listed
    assert f"--from {START} --to {END} --accept" in imported.output
    with session_factory() as session:
        assert versions.current_published(session, START, END).version == first.version  # type: ignore[union-attr]

    replanned = runner.invoke(duties, ["replan", "--from", str(START), "--to", str(END), "--accept"])
    assert replanned.exit_code == 0, replanned.output
    with session_factory() as session:
        after = versions.current_published(session, START, END)
        assert after is not None and after.version == first.version + 1
        assert not after.provisional  # every day it relies on is now official
        assert "calendar change" in after.changelog[-1]["what"]
        touched = {d.id for d in moved_onto_sunday}
        new_dates = {d.id: d.date for d in session.scalars(select(Duty).where(Duty.id.in_(touched)))}
        gone = select(Duty.id).where(Duty.id.in_(touched), Duty.cancelled_at.isnot(None))
        cancelled = set(session.scalars(gone))
        assert cancelled and cancelled != touched  # Monday windows are cancelled, the others move
        # Nothing on the lost make-up Sunday; each window moved to the next working day or was cancelled.
        assert session.scalars(select(Duty).where(Duty.date == SUNDAY_MAKEUP, Duty.cancelled_at.is_(None))).all() == []
        assert all(new_dates[i] > SUNDAY_MAKEUP for i in touched - cancelled)
        # Nothing else moved: every other duty keeps its date and its lawyers.
        now = versions.assignments_of(after)
        added = {d for d in now if d not in dates}
        assert {d: ls for d, ls in now.items() if d not in touched | added} == {
            d: ls for d, ls in before.items() if d not in touched
        }
        assert {d.id: d.date for d in session.scalars(select(Duty).where(Duty.id.in_(set(dates) - touched)))} == {
            i: day for i, day in dates.items() if i not in touched
        }
        problem = build_problem(session, START, END, today=JUNE).problem
        assert check(problem, now).violations == ()
        # The queued notices are about the touched duties only.
        new_notices = session.scalars(select(Notice).where(Notice.id.notin_(notices_before))).all()
        assert new_notices and {n.duty_id for n in new_notices} <= touched | added
        # The public notice: the moved window on its new day, a cancelled one as 已取消, none on the Sunday.
        moved = next(i for i in touched - cancelled)
        office = session.get_one(Duty, moved).office
        notice = office_notice(session, office.code, week_of(new_dates[moved]), today=JUNE)
        assert notice is not None
        [shown] = [d for d in notice.duties if d.duty_id == moved]
        assert shown.date == new_dates[moved] and not shown.cancelled
        assert len(shown.lawyers) == len(now.get(moved, ()))
        sunday = office_notice(session, office.code, week_of(SUNDAY_MAKEUP), today=JUNE)
        assert sunday is not None and all(d.date != SUNDAY_MAKEUP or d.cancelled for d in sunday.duties)
        code = office.code
        offices = {o.id: o.code for o in session.scalars(select(Office))}
        cancelled_codes = {offices[session.get_one(Duty, i).office_id] for i in cancelled}

    # The office feed: the moved window's event carries the new day and a higher SEQUENCE.
    app: Flask = create_app({"SETTINGS": settings, "TESTING": True, "AUTO_MIGRATE": False})
    try:
        feed = icalendar.Calendar.from_ical(app.test_client().get(f"/calendars/office/{code}.ics").data)
        events = [e for e in feed.walk("VEVENT") if str(e["UID"]).startswith(f"duty-{moved}@")]
        assert events and events[0].decoded("DTSTART").date() == new_dates[moved]
        assert int(events[0]["SEQUENCE"]) >= 1
        for cancelled_code in cancelled_codes:
            data = app.test_client().get(f"/calendars/office/{cancelled_code}.ics").data
            states = {str(e["UID"]): str(e["STATUS"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
            assert any(state == "CANCELLED" for state in states.values())
    finally:
        app.extensions["scheduler.sessions"].kw["bind"].dispose()
