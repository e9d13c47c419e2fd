"""Changing the duties of a period that may already be published: add a leader day (more use cases follow).

Before publication a change only edits the duties (the next solve staffs them). On a published
period every change also becomes a proposal of the next version, made like a repair: the new or
changed places are staffed and nothing else moves unless that is impossible. The page and the
command call these same functions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.models import Duty, Roster
from scheduler.models.changes import Proposal
from scheduler.planning.duties import LeaderDaySpec, add_leader_day
from scheduler.rosters.proposals import propose_staffing
from scheduler.solver import SolveParams


@dataclass(frozen=True)
class DutyOutcome:
    """A changed duty, and the proposal that staffs it in the published roster (None before publication)."""

    duty: Duty
    proposal: Proposal | None


def published_roster_on(session: Session, day: dt.date) -> Roster | None:
    """The published roster whose period contains `day`, if any."""
    return session.scalar(
        select(Roster).where(Roster.status == "published", Roster.period_start <= day, Roster.period_end >= day)
    )


def add_leader_day_to_roster(
    session: Session,
    spec: LeaderDaySpec,
    actor: str,
    *,
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> DutyOutcome:
    """Add a leader reception day; on a published period, propose staffing it with the fewest changes."""
    duty = add_leader_day(session, spec, actor)
    roster = published_roster_on(session, duty.date)
    if roster is None:
        return DutyOutcome(duty, None)
    reason = f"leader day added: {duty.office.code} {duty.date} {duty.start:%H:%M}-{duty.end:%H:%M}"
    proposal = propose_staffing(session, roster, {duty.id: ()}, actor, reason, today=today, params=params)
    return DutyOutcome(duty, proposal)
