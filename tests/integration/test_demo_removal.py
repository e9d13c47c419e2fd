"""In the demo prefecture: removing a lawyer refills all their future duties and changes nothing else."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.demo import build_demo
from scheduler.models import Duty, Lawyer
from scheduler.people import standing
from scheduler.planning.problem_builder import build_problem
from scheduler.planning.solving import solve_period
from scheduler.rosters import proposals, publishing, versions
from scheduler.solver import SolveParams, check

TODAY = dt.date(2026, 11, 28)


def test_a_removed_lawyers_future_duties_are_all_refilled_and_only_they_change(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        summary = build_demo(session, TODAY)
    outcome = solve_period(
        session_factory, summary.start, summary.end, SolveParams(time_limit_s=30, seed=0), actor="t", today=TODAY
    )
    # The demo makes one window impossible on purpose (every Ceheng lawyer at a training): it is reported.
    assert [[r.code for r in u.reasons] for u in outcome.solution.report.unstaffed] == [["unavailable"]]
    with transaction(session_factory) as session:
        before = publishing.publish_draft(session, summary.start, summary.end, "t")
        dates = {d.id: d.date for d in session.query(Duty).filter(Duty.date >= summary.start)}
        cut = summary.start + dt.timedelta(weeks=4)
        table = versions.assignments_of(before)
        busiest = max(
            {lw for ls in table.values() for lw in ls},
            key=lambda lw: (sum(lw in ls and dates[d] >= cut for d, ls in table.items()), -lw),
        )
        future = sorted(d for d, ls in table.items() if busiest in ls and dates[d] >= cut)
        past = sorted(d for d, ls in table.items() if busiest in ls and dates[d] < cut)
        licence = session.get(Lawyer, busiest).licence_no  # type: ignore[union-attr]
        [proposal] = standing.remove(session, licence, cut, "违反值班纪律", "clerk", today=TODAY)
        after = proposals.accept(session, proposal.id, "clerk", today=TODAY)
        changed = versions.compare(before, after)
        assert sorted(row.duty_id for row in changed) == future
        assert all(busiest not in row.new and len(row.new) == len(row.old) for row in changed)
        assert all(busiest in versions.assignments_of(after)[d] for d in past)  # the past is untouched
        problem = build_problem(session, summary.start, summary.end, today=TODAY).problem
        assert check(problem, versions.assignments_of(after)).violations == ()
