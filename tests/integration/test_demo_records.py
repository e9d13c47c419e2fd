"""The demo's quarter of history: a served roster, consultations and a training that the assessment shows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import annual_assessment
from scheduler.attendance.reception_stats import reception_month
from scheduler.db import transaction
from scheduler.demo import build_demo
from scheduler.demo_records import past_quarter
from scheduler.models import Attendance, Duty
from scheduler.models.records import Consultation, Training
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.versions import assignments_of, current_published
from scheduler.solver import check

TODAY = dt.date(2026, 11, 28)


def test_the_demo_holds_a_quarter_of_consultations_and_a_training_the_assessment_counts(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        summary = build_demo(session, TODAY)
    first, last = past_quarter(summary.start)
    assert (last - first).days + 1 == 91 and last < summary.start
    with session_factory() as session:
        served = session.scalar(
            select(func.count()).select_from(Attendance).join(Duty).where(Duty.date.between(first, TODAY))
        )
        consultations = session.scalar(select(func.count()).select_from(Consultation)) or 0
        assert served and consultations > served  # about 1.9 consultations per duty served
        (training,) = session.scalars(select(Training)).all()
        assert first <= training.date <= last
        report = annual_assessment(session, 2026, today=TODAY)
        assert report.total("consultations") == consultations
        assert report.total("visitors") > consultations
        assert report.total("trainings_attended") > report.total("trainings_missed") > 0
        month = reception_month(session, 2026, 10)
        assert month.total.consultations > 0 and len(month.offices) >= 9
    with transaction(session_factory) as session:
        again = build_demo(session, TODAY)  # a second run adds nothing
    assert again.created is False
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Consultation)) == consultations


def test_the_demo_history_roster_keeps_every_hard_rule(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        summary = build_demo(session, TODAY)
    first, last = past_quarter(summary.start)
    with session_factory() as session:
        roster = current_published(session, first, last)
        assert roster is not None
        problem = build_problem(session, first, last, today=first).problem
        table = assignments_of(roster)
        assert check(problem, table).violations == ()
