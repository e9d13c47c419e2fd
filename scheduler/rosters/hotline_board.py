"""The hotline section of a public notice: the number, the mailbox, today's lawyer and the month's rota.

Like the rest of the notice, only published versions are read; lawyers are named with their firm, never
with a licence number. A fixed number of queries whatever the size of the roster; plain frozen dataclasses out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from scheduler.core.problem import HOTLINE
from scheduler.models import Assignment, Duty, DutyType, Hotline, LawFirm, Lawyer, Office
from scheduler.rosters.notice_board import LawyerOnNotice, Period, _published_overlapping, _roster_of


@dataclass(frozen=True)
class HotlineDay:
    """One published hotline day with the lawyers who answer it."""

    date: dt.date
    start: dt.time
    end: dt.time
    lawyers: tuple[LawyerOnNotice, ...]
    needed: int
    cancelled: bool = False

    @property
    def open_places(self) -> int:
        """Places the published version left unstaffed (none on a cancelled day)."""
        return 0 if self.cancelled else max(self.needed - len(self.lawyers), 0)


@dataclass(frozen=True)
class HotlineBoard:
    """One hotline as a notice shows it: whose it is, how to reach it, who answers today and this month."""

    office_name: str
    office_name_en: str
    phone: str
    mailbox: str
    weekdays: tuple[int, ...]  # 0 = Monday; empty: every working day
    start: dt.time
    end: dt.time
    today: HotlineDay | None  # None: no published hotline day today
    days: tuple[HotlineDay, ...]  # the month's published days


def hotline_boards(session: Session, code: str, month: Period, today: dt.date) -> tuple[HotlineBoard, ...]:
    """The hotlines the notice of office `code` shows: its own, and the prefecture's (which serves everyone).

    `month` is the rota's month; today's lawyers are read whatever month is shown. One query when no
    such hotline exists, four otherwise.
    """
    rows = session.execute(
        select(Hotline, Office)
        .join(Office, Office.id == Hotline.office_id)
        .where(or_(Office.code == code, Office.level == "prefecture"))
        .order_by(Office.level != "prefecture", Office.code)
    ).all()
    if not rows:
        return ()
    first, last = min(month.start, today), max(month.end, today)
    rosters = _published_overlapping(session, first, last)
    duties = session.scalars(
        select(Duty)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(
            DutyType.code == HOTLINE,
            Duty.office_id.in_([row.Office.id for row in rows]),
            or_(Duty.date.between(month.start, month.end), Duty.date == today),
        )
        .order_by(Duty.date, Duty.start, Duty.id)
    ).all()
    shown = {d.id: roster_id for d in duties if (roster_id := _roster_of(rosters, d.date)) is not None}
    lawyers: dict[int, list[LawyerOnNotice]] = defaultdict(list)
    if shown:
        for row in session.execute(
            select(Assignment.duty_id, Assignment.roster_id, Lawyer.name, LawFirm.name.label("firm"))
            .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(Assignment.roster_id.in_(set(shown.values())), Assignment.duty_id.in_(shown.keys()))
            .order_by(Assignment.duty_id, Assignment.slot)
        ):
            if shown[row.duty_id] == row.roster_id:
                lawyers[row.duty_id].append(LawyerOnNotice(row.name, row.firm or ""))
    by_office: dict[int, list[HotlineDay]] = defaultdict(list)
    todays: dict[int, HotlineDay] = {}
    for duty in duties:
        cancelled = duty.cancelled_at is not None
        if duty.id not in shown or (cancelled and duty.date < today):
            continue
        day = HotlineDay(duty.date, duty.start, duty.end, tuple(lawyers[duty.id]), duty.needed, cancelled)
        if month.start <= duty.date <= month.end:
            by_office[duty.office_id].append(day)
        if duty.date == today and not cancelled:
            todays.setdefault(duty.office_id, day)
    return tuple(
        HotlineBoard(
            office_name=row.Office.name,
            office_name_en=row.Office.name_en,
            phone=row.Hotline.phone,
            mailbox=row.Hotline.mailbox,
            weekdays=tuple(row.Hotline.weekdays),
            start=row.Hotline.start,
            end=row.Hotline.end,
            today=todays.get(row.Office.id),
            days=tuple(by_office[row.Office.id]),
        )
        for row in rows
    )
