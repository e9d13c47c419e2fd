"""From the database to the solver's plain `Problem` (the only place that knows both)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.records import recorded, rostered, served
from scheduler.core import problem as p
from scheduler.core.errors import require_period
from scheduler.core.languages import code_of, lenient_codes
from scheduler.models import Duty, DutyType, Hotline, Lawyer, Office, Roster
from scheduler.planning.holidays import load_calendar
from scheduler.rosters.versions import current_published


@dataclass(frozen=True)
class BuiltProblem:
    problem: p.Problem
    provisional: bool  # the period relies on a working-day arrangement not yet confirmed
    published: Roster | None  # the period's current published version, if any


def served_before(session: Session, start: dt.date, days: int) -> Counter[int]:
    """Duties each lawyer served in the `days` before `start` (the fairness history, 往期值班).

    Served means what the attendance records say: attended or late counts for the rostered lawyer, a
    substituted duty for the substitute, an absence for nobody. A rostered lawyer whose attendance is
    not recorded yet counts as in the published roster, so a clerk's backlog does not skew fairness.
    Each duty counts by its type's fairness share (a hotline day as half a window day by default), in
    whole window days rounded half up, as the problem's history is a whole number of duties.
    """
    first, last = start - dt.timedelta(days=days), start - dt.timedelta(days=1)
    records = recorded(session, first, last)
    known = {(row.duty_id, row.lawyer_id) for row in records}
    shares = {row.id: row.fairness_share for row in session.execute(select(DutyType.id, DutyType.fairness_share))}
    tenths: Counter[int] = Counter()
    for s in served(records):
        tenths[s.lawyer_id] += shares.get(s.duty_type_id, p.FULL_SHARE)
    for r in rostered(session, first, last):
        if (r.duty_id, r.lawyer_id) not in known:
            tenths[r.lawyer_id] += shares.get(r.duty_type_id, p.FULL_SHARE)
    return Counter({lawyer_id: (2 * t + p.FULL_SHARE) // (2 * p.FULL_SHARE) for lawyer_id, t in tenths.items()})


def build_problem(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    today: dt.date | None = None,
    weights: p.Weights | None = None,
    min_gap_days: int = 7,
) -> BuiltProblem:
    """The problem of staffing every duty in [start, end].

    Assignments of the published version on days before `today` are fixed (the past cannot change),
    and so are pins; the whole published version is `previous`, so a re-solve changes little.
    """
    require_period(start, end)
    today = today or dt.date.today()
    calendar = load_calendar(session)
    calendar.require(start, end)
    duties = session.scalars(
        select(Duty)
        .where(Duty.date.between(start, end), Duty.cancelled_at.is_(None))
        .options(selectinload(Duty.duty_type))
        .order_by(Duty.id)
    ).all()
    offices = session.scalars(select(Office).order_by(Office.id)).all()
    lawyers = session.scalars(
        select(Lawyer)
        .options(selectinload(Lawyer.offices), selectinload(Lawyer.status_periods), selectinload(Lawyer.unavailability))
        .order_by(Lawyer.id)
    ).all()
    # A hotline's duties may be served by lawyers of the offices it lists (a remote, shared line).
    served_from = {
        h.office_id: frozenset(o.id for o in h.served_from) | {h.office_id}
        for h in session.scalars(select(Hotline).options(selectinload(Hotline.served_from)))
        if h.served_from
    }
    history = served_before(session, start, (end - start).days + 1)
    published = current_published(session, start, end)
    previous = frozenset((a.duty_id, a.lawyer_id) for a in published.assignments) if published else frozenset()
    fixed = (
        frozenset((a.duty_id, a.lawyer_id) for a in published.assignments if a.date < today or a.pinned)
        if published
        else frozenset()
    )
    problem = p.Problem(
        start=start,
        end=end,
        offices=tuple(
            p.Office(id=o.id, code=o.code, name=o.name, wanted_languages=lenient_codes(o.wanted_languages))
            for o in offices
        ),
        lawyers=tuple(_lawyer(lawyer, start, end, history[lawyer.id]) for lawyer in lawyers),
        duties=tuple(_duty(d, served_from) for d in duties),
        fixed=fixed,
        previous=previous,
        weights=weights or p.Weights(),
        min_gap_days=min_gap_days,
    )
    provisional = bool(calendar.provisional_years(start, end))
    return BuiltProblem(problem, provisional, published)


def _lawyer(lawyer: Lawyer, start: dt.date, end: dt.date, history: int) -> p.Lawyer:
    unavailable: set[dt.date] = set()
    for span in lawyer.unavailability:
        day = max(span.start, start)
        while day <= min(span.end, end):
            unavailable.add(day)
            day += dt.timedelta(days=1)
    return p.Lawyer(
        id=lawyer.id,
        name=lawyer.name,
        firm_id=lawyer.firm_id,
        first_practice_year=lawyer.first_practice_year,
        specialties=frozenset(lawyer.specialties),
        languages=lenient_codes(lawyer.languages),
        offices=frozenset(o.id for o in lawyer.offices),
        unavailable=frozenset(unavailable),
        inactive=tuple(
            p.InactivePeriod(start=s.start, end=s.end, status=s.status, reason=s.reason) for s in lawyer.status_periods
        ),
        max_per_month=lawyer.max_per_month,
        preferred_weekdays=frozenset(lawyer.preferred_weekdays),
        undesired_weekdays=frozenset(lawyer.undesired_weekdays),
        history_duties=history,
    )


def _duty(duty: Duty, served_from: dict[int, frozenset[int]]) -> p.Duty:
    hotline = duty.duty_type.code == p.HOTLINE
    return p.Duty(
        id=duty.id,
        office_id=duty.office_id,
        date=duty.date,
        start=duty.start,
        end=duty.end,
        kind=duty.duty_type.code,
        needed=duty.needed,
        min_years=duty.min_years,
        specialty=duty.specialty,
        language=code_of(duty.language) or duty.language if duty.language else None,
        note=duty.note,
        share=duty.duty_type.fairness_share,
        served_from=served_from.get(duty.office_id, frozenset()) if hotline else frozenset(),
    )
