"""A county with a published roster of known assignments and known attendance: the reports' fixture.

Five lawyers (律师0..律师4; firm 0 has 0, 2, 4 and firm 1 has 1, 3), Wednesday windows for two lawyers
and one leader day, 2026-03-02..2026-04-12. The roster is stored through the real services (draft,
publish) but with chosen assignments instead of the solver's, so every total below is known.

    date        duty        rostered    attendance (recorded on 2026-04-10)
    03-04 Wed   window      0, 1        0 attended, 1 late
    03-09 Mon   leader day  3           3 attended
    03-11 Wed   window      2, 3        2 absent, 3 substituted by 4
    03-18 Wed   window      0, 4        0 attended, 4 attended
    03-25 Wed   window      1, 2        1 attended, 2 attended
    04-01 Wed   window      3, 4        3 attended, 4 late
    04-08 Wed   window      0, 1        (not recorded)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.records import record_attendance
from scheduler.db import transaction
from scheduler.planning.duties import LeaderDaySpec, add_leader_day, generate_windows
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.drafts import save_draft
from scheduler.rosters.publishing import publish_draft
from tests.integration.roster_fixtures import build_county

START, END = dt.date(2026, 3, 2), dt.date(2026, 4, 12)
PLANNED_ON = dt.date(2026, 2, 20)
RECORDED_ON = dt.date(2026, 4, 10)
LEADER_DAY = dt.date(2026, 3, 9)
TEAMS = {
    dt.date(2026, 3, 4): (0, 1),
    LEADER_DAY: (3,),
    dt.date(2026, 3, 11): (2, 3),
    dt.date(2026, 3, 18): (0, 4),
    dt.date(2026, 3, 25): (1, 2),
    dt.date(2026, 4, 1): (3, 4),
    dt.date(2026, 4, 8): (0, 1),
}
# (date, rostered lawyer, status, substitute)
ATTENDANCE = (
    (dt.date(2026, 3, 4), 0, "attended", None),
    (dt.date(2026, 3, 4), 1, "late", None),
    (LEADER_DAY, 3, "attended", None),
    (dt.date(2026, 3, 11), 2, "absent", None),
    (dt.date(2026, 3, 11), 3, "substituted", 4),
    (dt.date(2026, 3, 18), 0, "attended", None),
    (dt.date(2026, 3, 18), 4, "attended", None),
    (dt.date(2026, 3, 25), 1, "attended", None),
    (dt.date(2026, 3, 25), 2, "attended", None),
    (dt.date(2026, 4, 1), 3, "attended", None),
    (dt.date(2026, 4, 1), 4, "late", None),
)
FIRMS = ("贵州第0律师事务所", "贵州第1律师事务所")


@dataclass(frozen=True)
class County:
    """Ids of the fixture: lawyers by index (律师{i}), their licence numbers, duties by date."""

    lawyers: tuple[int, ...]
    licences: tuple[str, ...]
    duties: dict[dt.date, int]


def published_roster(factory: sessionmaker[Session]) -> County:
    """The county and its published roster (version 1), with no attendance recorded yet."""
    with transaction(factory) as session:
        people = build_county(session, lawyers=5, needed=2)
        generate_windows(session, START, END, "test")
        add_leader_day(session, LeaderDaySpec("522326", LEADER_DAY, needed=1), "test")
        problem = build_problem(session, START, END, today=PLANNED_ON).problem
        duties = {d.date: d.id for d in problem.duties}
        assert set(duties) == set(TEAMS), sorted(duties)
        ids = tuple(lw.id for lw in people)
        table = {duties[day]: [ids[i] for i in team] for day, team in TEAMS.items()}
        save_draft(session, problem, table, report={}, provisional=False, actor="test")
        publish_draft(session, START, END, "test")
        return County(ids, tuple(lw.licence_no for lw in people), duties)


def record_all(factory: sessionmaker[Session], county: County) -> None:
    """Record the attendance of the module docstring, as a clerk would on 2026-04-10."""
    with transaction(factory) as session:
        for day, who, status, substitute in ATTENDANCE:
            record_attendance(
                session,
                county.duties[day],
                county.licences[who],
                status,
                "clerk",
                substitute=county.licences[substitute] if substitute is not None else None,
                today=RECORDED_ON,
            )


def recorded_county(factory: sessionmaker[Session]) -> County:
    """The published county with the attendance of the module docstring recorded."""
    county = published_roster(factory)
    record_all(factory, county)
    return county
