"""The annual assessment counts each lawyer's consultations, visitors and trainings attended and missed,
with a fixed number of queries whatever the number of records."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import annual_assessment
from scheduler.attendance.consultations import ConsultationSpec, record_consultation
from scheduler.attendance.training import TrainingSpec, add_training, invite, record_training_attendance
from scheduler.db import transaction
from tests.integration.attendance_fixtures import RECORDED_ON, County, recorded_county
from tests.web.querycount import count_queries

MARCH_4, MARCH_18 = dt.date(2026, 3, 4), dt.date(2026, 3, 18)


def _consult(session: Session, county: County, day: dt.date, who: int, visitors: int) -> None:
    spec = ConsultationSpec(county.duties[day], county.lawyers[who], dt.time(10), visitors, "行政", "诉讼")
    record_consultation(session, spec, "clerk", today=RECORDED_ON)


def _records(factory: sessionmaker[Session], county: County, consultations: int) -> None:
    with transaction(factory) as session:
        for i in range(consultations):
            _consult(session, county, MARCH_4, 0, 1 + i % 3)
        _consult(session, county, MARCH_18, 4, 4)
        training = add_training(session, TrainingSpec("专项培训", dt.date(2026, 3, 27), dt.time(9), dt.time(12)), "p")
        invite(session, training.id, "p", lawyers=list(county.lawyers))
        for who, status in ((0, "attended"), (1, "absent"), (2, "excused"), (3, "attended")):
            record_training_attendance(session, training.id, county.lawyers[who], status, "p", today=RECORDED_ON)


def test_consultations_visitors_and_trainings_are_counted_per_lawyer_and_firm(
    session_factory: sessionmaker[Session],
) -> None:
    county = recorded_county(session_factory)
    _records(session_factory, county, consultations=3)
    with session_factory() as session:
        report = annual_assessment(session, 2026, today=RECORDED_ON)
    by_name = {row.name: row for row in report.rows}
    counted = {
        name: (r.consultations, r.visitors, r.trainings_attended, r.trainings_missed) for name, r in by_name.items()
    }
    assert counted == {
        "律师0": (3, 6, 1, 0),
        "律师1": (0, 0, 0, 1),
        "律师2": (0, 0, 0, 0),  # excused
        "律师3": (0, 0, 1, 0),
        "律师4": (1, 4, 0, 0),
    }
    firm0 = next(f for f in report.firms() if f.firm == by_name["律师0"].firm)
    assert (firm0.consultations, firm0.visitors, firm0.trainings_attended) == (4, 10, 1)
    with session_factory() as session:
        assert annual_assessment(session, 2025, today=RECORDED_ON).total("consultations") == 0


def test_the_assessment_runs_the_same_number_of_queries_however_many_records(
    session_factory: sessionmaker[Session], engine: Engine
) -> None:
    county = recorded_county(session_factory)
    _records(session_factory, county, consultations=1)
    with session_factory() as session, count_queries(engine) as few:
        annual_assessment(session, 2026, today=RECORDED_ON)
    _records(session_factory, county, consultations=12)
    with session_factory() as session, count_queries(engine) as many:
        annual_assessment(session, 2026, today=RECORDED_ON)
    assert many.count == few.count, many.report()
