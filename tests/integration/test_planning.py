"""Preparing a period: holiday overrides, window duties, leader days, and the demo prefecture."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import CalendarUnknown, InputError
from scheduler.db import make_engine, make_session_factory, upgrade
from scheduler.demo import build_demo
from scheduler.models import AuditEvent, Duty, HolidayOverride, Lawyer, Office
from scheduler.planning.duties import LeaderDaySpec, add_leader_day, generate_windows
from scheduler.planning.holidays import import_file, load_calendar
from tests.builders import settings_for

D = dt.date


def _office(session: Session, code: str = "522301", weekday: int = 2, policy: str = "next_workday") -> Office:
    office = Office(code=code, name="兴义市信访局", window_weekday=weekday, holiday_policy=policy)
    session.add(office)
    session.flush()
    return office


def test_windows_follow_the_official_calendar_and_are_generated_once(session: Session) -> None:
    _office(session)
    first = generate_windows(session, D(2026, 2, 1), D(2026, 2, 28), "test")
    again = generate_windows(session, D(2026, 2, 1), D(2026, 2, 28), "test")
    days = session.scalars(select(Duty.date).order_by(Duty.date)).all()
    assert days == [D(2026, 2, 4), D(2026, 2, 11), D(2026, 2, 24), D(2026, 2, 25)]
    assert (first.created, again.created, again.existing) == (4, 0, 4)
    moved = session.scalar(select(Duty).where(Duty.date == D(2026, 2, 24)))
    assert moved is not None and moved.moved_from == D(2026, 2, 18)


def test_planning_into_2027_without_an_override_fails_and_writes_nothing(session: Session) -> None:
    _office(session)
    with pytest.raises(CalendarUnknown, match="2027"):
        generate_windows(session, D(2026, 12, 1), D(2027, 1, 31), "test")
    assert session.scalar(select(func.count(Duty.id))) == 0


def test_an_imported_year_makes_2027_plannable_and_provisional_when_marked(session: Session, tmp_path: Path) -> None:
    _office(session, weekday=4)
    csv = tmp_path / "2027.csv"
    csv.write_text("date,kind,name\n2027-01-01,off,元旦\n2027-02-20,workday,春节调休\n", encoding="utf-8")
    import_file(session, csv, "test", confirmed=False)
    result = generate_windows(session, D(2026, 12, 21), D(2027, 1, 10), "test")
    assert result.provisional_years == [2027]
    # Fri Jan 1 2027 is off: that window moves to Monday Jan 4 (the next working day).
    days = session.scalars(select(Duty.date).order_by(Duty.date)).all()
    assert days == [D(2026, 12, 25), D(2027, 1, 4), D(2027, 1, 8)]
    assert load_calendar(session).is_workday(D(2027, 2, 20))


def test_a_bad_holiday_file_reports_every_row_and_stores_nothing(session: Session, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text(
        "date,kind,name\n2027-13-01,off,x\n2027-01-02,holiday,y\n2027-01-04,workday,z\n2027-01-01,off,ok\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        import_file(session, csv, "test")
    heading, *lines = str(err.value).splitlines()
    assert heading == "bad.csv：有 3 处问题，未导入任何数据" and len(lines) == 3
    assert "第 2 行" in lines[0] and "“2027-13-01”不是日期" in lines[0]
    assert "第 3 行" in lines[1] and "须为 off（休息）或 workday（调休上班）" in lines[1]
    assert "第 4 行" in lines[2] and "只有周末才能是调休上班日" in lines[2]
    assert session.scalar(select(func.count(HolidayOverride.id))) == 0


def test_importing_a_year_again_replaces_it_and_is_audited(session: Session, tmp_path: Path) -> None:
    csv = tmp_path / "2027.csv"
    csv.write_text("2027-01-01,off,元旦\n2027-01-02,off,元旦\n", encoding="utf-8")
    import_file(session, csv, "test", confirmed=False)
    csv.write_text("2027-01-01,off,元旦\n", encoding="utf-8")
    import_file(session, csv, "test")
    rows = session.scalars(select(HolidayOverride)).all()
    assert [(r.date, r.confirmed) for r in rows] == [(D(2027, 1, 1), True)]
    assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "holidays.import")) == 2


def test_a_leader_day_on_a_day_off_is_refused(session: Session) -> None:
    _office(session)
    with pytest.raises(InputError, match="国庆节"):
        add_leader_day(session, LeaderDaySpec("522301", D(2026, 10, 2)), "test")
    duty = add_leader_day(session, LeaderDaySpec("522301", D(2026, 10, 9), specialty="行政"), "test")
    assert duty.duty_type.code == "leader_day"
    with pytest.raises(InputError, match="已有领导接待日"):
        add_leader_day(session, LeaderDaySpec("522301", D(2026, 10, 9)), "test")


def test_the_demo_builds_qianxinan_once_and_the_same_way_each_time(session: Session) -> None:
    first = build_demo(session, D(2026, 11, 28))
    licences = session.scalars(select(Lawyer.licence_no).order_by(Lawyer.id)).all()
    second = build_demo(session, D(2026, 11, 28))
    assert first.created and not second.created
    assert (first.offices, first.lawyers, first.duties) == (second.offices, second.lawyers, second.duties)
    assert first.offices == 10 and 140 <= first.lawyers <= 160 and first.firms == 30
    assert (first.start, first.end) == (D(2026, 11, 30), D(2027, 2, 28))
    assert first.provisional_years == [2027]
    assert len(set(licences)) == len(licences)
    assert all(len(n) == 17 and n[0] == "1" for n in licences)
    codes = set(session.scalars(select(Office.code)))
    assert {"522301", "522302", "522323", "522324", "522325", "522326", "522327", "522328", "yilong"} <= codes
    assert "522322" not in codes  # Xingren's obsolete code
    # Leader days are planned on working days only, and Buyi speakers exist where Buyi is spoken.
    calendar = load_calendar(session)
    leader_days = session.scalars(select(Duty).where(Duty.note != "")).all()
    assert len(leader_days) >= 20 and all(calendar.is_workday(d.date) for d in leader_days)
    wangmo = session.scalar(select(Office).where(Office.code == "522326"))
    speakers = [lw for lw in session.scalars(select(Lawyer)) if wangmo in lw.offices and "buyi" in lw.languages]
    assert speakers


def test_two_demo_databases_hold_identical_lawyers(session_factory: sessionmaker[Session], tmp_path: Path) -> None:

    other = make_engine(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    upgrade(other)

    def lawyers(factory: sessionmaker[Session]) -> list[tuple[str, str, int]]:
        with factory.begin() as s:
            build_demo(s, D(2026, 11, 28))
        with factory() as s:
            return [
                (lw.name, lw.licence_no, lw.first_practice_year) for lw in s.scalars(select(Lawyer).order_by(Lawyer.id))
            ]

    assert lawyers(session_factory) == lawyers(make_session_factory(other, settings_for(str(other.url), tmp_path)))
    other.dispose()
