"""The demo grades its quarter of history as a planner would: every lawyer of the assessment has a grade,
which follows the records (a lawyer absent once is 基本称职; one quarter is too short for 优秀)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import annual_assessment
from scheduler.attendance.grades import BASIC, COMPETENT
from scheduler.attendance.grading import graded_rows
from scheduler.db import transaction
from scheduler.demo import build_demo

TODAY = dt.date(2026, 11, 28)


def test_the_demo_year_is_graded_from_its_records(session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        build_demo(session, TODAY)
    with session_factory() as session:
        rows = graded_rows(session, annual_assessment(session, 2026, today=TODAY))
    assert rows and all(g.final is not None for g in rows)
    grades = Counter(g.final for g in rows)
    assert grades[COMPETENT] > grades[BASIC] > 0
    for g in rows:
        if g.row.absent:
            assert g.final == BASIC and g.reasons[0].code == "absences"
