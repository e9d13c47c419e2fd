"""A small county with a published roster, built through the real services and the real solver."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import LawFirm, Lawyer, Office
from scheduler.planning.duties import generate_windows
from scheduler.planning.solving import solve_period
from scheduler.rosters.publishing import publish_draft
from scheduler.solver import SolveParams

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 29)  # four weeks of 2026 with no day off
TODAY = dt.date(2026, 2, 20)
PARAMS = SolveParams(time_limit_s=10, workers=2, seed=1)


def build_county(session: Session, lawyers: int = 8, needed: int = 2) -> list[Lawyer]:
    """One office with a Wednesday and ... window staffed by `needed` lawyers, `lawyers` lawyers in two firms."""
    office = Office(
        code="522326",
        name="望谟县信访局",
        window_weekday=2,
        lawyers_per_window=needed,
        address="望谟县王母街道",
        phone="0859-4610000",
    )
    firms = [LawFirm(name=f"贵州第{i}律师事务所", credit_code=f"31522326MD000000{i}X") for i in range(2)]
    session.add_all([office, *firms])
    people = []
    for i in range(lawyers):
        lawyer = Lawyer(
            name=f"律师{i}",
            licence_no=make_licence("5223", 2010, 1, 100 + i),
            firm=firms[i % 2],
            first_practice_year=2010,
            max_per_month=4,
            calendar_token=secrets.token_urlsafe(24),
        )
        lawyer.offices = [office]
        people.append(lawyer)
    session.add_all(people)
    session.flush()
    return people


def published_county(factory: sessionmaker[Session], lawyers: int = 8, needed: int = 2) -> list[int]:
    """Build the county, plan and solve March 2026, publish version 1; returns the lawyer ids."""
    with transaction(factory) as session:
        ids = [lw.id for lw in build_county(session, lawyers, needed)]
        generate_windows(session, START, END, "test")
    solve_period(factory, START, END, PARAMS, actor="test", today=TODAY)
    with transaction(factory) as session:
        publish_draft(session, START, END, "test")
    return ids
