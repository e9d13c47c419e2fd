"""The migrations build the schema, agree with the ORM, and the database itself keeps the invariants."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.db import Base
from scheduler.models import Assignment, Duty, DutyType, LawFirm, Lawyer, Office, Roster, StatusPeriod


def test_migrations_and_orm_metadata_have_no_pending_difference(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_migrations_create_every_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def _office(session: Session, code: str = "522301") -> Office:
    office = Office(code=code, name="兴义市信访局", window_weekday=2)
    session.add(office)
    session.flush()
    return office


def _lawyer(session: Session, licence: str = "15223201511000001", token: str = "t1") -> Lawyer:
    lawyer = Lawyer(name="王明", licence_no=licence, first_practice_year=2015, calendar_token=token)
    session.add(lawyer)
    session.flush()
    return lawyer


def _commit_fails(session: Session) -> None:
    with pytest.raises(IntegrityError):
        session.commit()
    session.rollback()


def test_a_licence_number_is_unique(session: Session) -> None:
    _lawyer(session)
    session.commit()
    session.add(Lawyer(name="李华", licence_no="15223201511000001", first_practice_year=2010, calendar_token="t2"))
    _commit_fails(session)


def test_a_licence_number_must_have_17_characters(session: Session) -> None:
    session.add(Lawyer(name="李华", licence_no="1522320151100", first_practice_year=2010, calendar_token="t2"))
    _commit_fails(session)


def test_an_office_weekday_must_be_a_weekday(session: Session) -> None:
    session.add(Office(code="x", name="x", window_weekday=7))
    _commit_fails(session)


def test_a_firm_credit_code_has_18_characters(session: Session) -> None:
    session.add(LawFirm(name="某所", credit_code="31522301MD"))
    _commit_fails(session)


def test_a_removal_is_open_ended(session: Session) -> None:
    lawyer = _lawyer(session)
    session.add(
        StatusPeriod(lawyer=lawyer, status="removed", start=dt.date(2026, 1, 1), end=dt.date(2026, 2, 1), reason="x")
    )
    _commit_fails(session)


def test_a_period_has_at_most_one_draft(session: Session) -> None:
    a, b = dt.date(2026, 1, 5), dt.date(2026, 3, 29)
    session.add(Roster(period_start=a, period_end=b, version=1, status="draft"))
    session.commit()
    session.add(Roster(period_start=a, period_end=b, version=2, status="draft"))
    _commit_fails(session)
    session.add(Roster(period_start=a, period_end=b, version=2, status="published"))
    session.commit()


def test_a_lawyer_holds_at_most_one_duty_a_day_in_a_roster(session: Session) -> None:
    office, other = _office(session), _office(session, "522302")
    lawyer = _lawyer(session)
    kind = DutyType(code="window", name_zh="窗口", name_en="window")
    day = dt.date(2026, 3, 4)
    d1 = Duty(office=office, duty_type=kind, date=day, start=dt.time(9), end=dt.time(12))
    d2 = Duty(office=other, duty_type=kind, date=day, start=dt.time(9), end=dt.time(12))
    roster = Roster(period_start=day, period_end=day, version=1)
    session.add_all([d1, d2, roster])
    session.flush()
    session.add(Assignment(roster=roster, duty=d1, lawyer=lawyer, date=day, slot=0))
    session.commit()
    session.add(Assignment(roster=roster, duty=d2, lawyer=lawyer, date=day, slot=0))
    _commit_fails(session)


def test_a_duty_ends_after_it_starts(session: Session) -> None:
    office = _office(session)
    kind = DutyType(code="window", name_zh="窗口", name_en="window")
    session.add(Duty(office=office, duty_type=kind, date=dt.date(2026, 3, 4), start=dt.time(12), end=dt.time(9)))
    _commit_fails(session)
