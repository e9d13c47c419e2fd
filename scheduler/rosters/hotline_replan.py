"""Hotline days after a calendar change: a hotline day on a new day off is cancelled, a new working day of
its pattern (a make-up working day, 调休上班) gets one. Used by `rosters.replan`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.core.problem import HOTLINE
from scheduler.core.workdays import WorkdayCalendar
from scheduler.models import Duty, Hotline
from scheduler.planning.duties import duty_type, hotline_days


def hotline_impact(
    session: Session, calendar: WorkdayCalendar, duties: Sequence[Duty], start: dt.date, end: dt.date
) -> tuple[list[tuple[Duty, str]], list[tuple[str, dt.date]]]:
    """(hotline duties to cancel with why, (office code, date) of hotline days to add) in [start, end]."""
    cancels: list[tuple[Duty, str]] = []
    adds: list[tuple[str, dt.date]] = []
    for hotline in session.scalars(select(Hotline).options(selectinload(Hotline.office)).order_by(Hotline.id)):
        expected = set(hotline_days(calendar, hotline.weekdays, start, end))
        mine = [d for d in duties if d.office_id == hotline.office_id and d.duty_type.code == HOTLINE]
        for duty in mine:
            if duty.date not in expected:
                off = calendar.holiday_name(duty.date) or ("周末" if duty.date.weekday() >= 5 else "休息日")
                cancels.append((duty, off if not calendar.is_workday(duty.date) else "不再是咨询电话值守日"))
        held = {d.date for d in mine}
        adds += [(hotline.office.code, day) for day in sorted(expected - held)]
    return cancels, adds


def new_hotline_day(session: Session, office_id: int, day: dt.date) -> Duty:
    """A hotline duty of the office's hotline on `day`, with its hours and places (added to the session)."""
    hotline = session.scalars(select(Hotline).where(Hotline.office_id == office_id)).one()
    duty = Duty(
        office_id=office_id,
        duty_type_id=duty_type(session, HOTLINE).id,
        date=day,
        start=hotline.start,
        end=hotline.end,
        needed=hotline.needed,
    )
    session.add(duty)
    return duty
