"""Re-planning after a calendar change: the duties an imported arrangement puts on a day off, the
make-up workdays that now need a window, and the repair that brings the rosters in line.

`calendar_impact` only reads: it compares each office's window duties with the window days the
current calendar gives (its weekday and day-off policy), and lists leader days now on a day off.
`replan` applies it: a window on a day off moves to the window day that replaces it (policy
"next_workday") or is cancelled (policy "skip"), a missing window is added. On a published period
everything becomes ONE new version made like a repair: cancelled places are emptied, a moved
window keeps its lawyers when they are still free and eligible, new places are staffed, nothing
else moves unless that is impossible; its changelog line names the calendar change. Leader days
on a day off are listed, not moved: the leader's agenda decides (`scheduler leader-day edit`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.changes.apply import Change
from scheduler.core.errors import require_period
from scheduler.core.problem import HOTLINE, LEADER_DAY, WINDOW
from scheduler.core.workdays import WindowDay, WorkdayCalendar, window_days
from scheduler.models import Duty, Office, Roster
from scheduler.models.rosters import utcnow
from scheduler.planning.duties import duty_type
from scheduler.planning.holidays import load_calendar
from scheduler.rosters.duty_changes import clear_from_draft
from scheduler.rosters.hotline_replan import hotline_impact, new_hotline_day
from scheduler.rosters.proposals import roster_state
from scheduler.rosters.publishing import VersionChange, create_version
from scheduler.rosters.staffing import plan_staffing
from scheduler.rosters.versions import assignments_of
from scheduler.solver import SolveParams
from scheduler.solver.objective import can_serve


@dataclass(frozen=True)
class Move:
    duty_id: int
    office_code: str
    old: dt.date
    new: dt.date


@dataclass(frozen=True)
class Cancel:
    duty_id: int
    office_code: str
    date: dt.date
    why: str  # the day off's name, or "not a window day any more"


@dataclass(frozen=True)
class Add:
    office_code: str
    date: dt.date
    moved_from: dt.date | None
    kind: str = WINDOW  # or HOTLINE: a hotline day (rosters.hotline_replan)


@dataclass(frozen=True)
class LeaderOnDayOff:
    duty_id: int
    office_code: str
    date: dt.date
    holiday: str


@dataclass
class Impact:
    """What a calendar change asks of the duties of [start, end]."""

    start: dt.date
    end: dt.date
    moves: list[Move] = field(default_factory=list)
    cancels: list[Cancel] = field(default_factory=list)
    adds: list[Add] = field(default_factory=list)
    leader_days: list[LeaderOnDayOff] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.moves or self.cancels or self.adds or self.leader_days)

    def lines(self) -> list[str]:
        """The impact as a clerk reads it, one line per duty (Chinese first)."""
        out = [f"移动 move: 值班 {m.duty_id} {m.office_code} {m.old} → {m.new}" for m in self.moves]
        out += [f"取消 cancel: 值班 {c.duty_id} {c.office_code} {c.date}（{c.why}）" for c in self.cancels]
        out += [f"新增 add: {a.office_code} {a.date}{_why_added(a)}" for a in self.adds]
        out += [
            f"需人工处理 leader day on a day off: 值班 {x.duty_id} {x.office_code} {x.date}（{x.holiday or '休息日'}）"
            for x in self.leader_days
        ]
        return out


def _why_added(add: Add) -> str:
    if add.moved_from:
        return f"（由 {add.moved_from} 顺延）"
    return "（调休上班日）" if add.date.weekday() >= 5 else ""


def impact_of_years(session: Session, years: list[int]) -> Impact | None:
    """The impact on the duties of `years` (after importing their arrangement), or None without duties."""
    first, last = dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    dates = session.execute(
        select(func.min(Duty.date), func.max(Duty.date)).where(Duty.date.between(first, last))
    ).one()
    if dates[0] is None:
        return None
    # The whole of every roster period the duties belong to, so that `replan` repairs each in one go.
    periods = session.execute(
        select(func.min(Roster.period_start), func.max(Roster.period_end)).where(
            Roster.period_start <= dates[1], Roster.period_end >= dates[0]
        )
    ).one()
    start = min(dates[0], periods[0] or dates[0])
    end = max(dates[1], periods[1] or dates[1])
    return calendar_impact(session, start, end)


def _day_off(calendar: WorkdayCalendar, day: dt.date) -> str:
    return calendar.holiday_name(day) or ("周末" if day.weekday() >= 5 else "休息日")


def calendar_impact(session: Session, start: dt.date, end: dt.date) -> Impact:
    """Compare the duties of [start, end] with the window days the current calendar gives; read only."""
    require_period(start, end)
    calendar = load_calendar(session)
    calendar.require(start - dt.timedelta(days=7), end)
    impact = Impact(start, end)
    window = duty_type(session, WINDOW)
    duties = session.scalars(
        select(Duty)
        .options(selectinload(Duty.office), selectinload(Duty.duty_type))
        .where(Duty.date.between(start, end), Duty.cancelled_at.is_(None))
        .order_by(Duty.date, Duty.id)
    ).all()
    for office in session.scalars(select(Office).order_by(Office.code)):
        expected = {w.date: w for w in window_days(calendar, office.window_weekday, office.holiday_policy, start, end)}
        mine = [d for d in duties if d.office_id == office.id and d.duty_type_id == window.id]
        held = {d.date for d in mine if d.date in expected}
        free: list[WindowDay] = [w for w in expected.values() if w.date not in held]
        for duty in (d for d in mine if d.date not in expected):
            target = _replacement(duty, free)
            if target is not None:
                free.remove(target)
                impact.moves.append(Move(duty.id, office.code, duty.date, target.date))
            else:
                why = _day_off(calendar, duty.date) if not calendar.is_workday(duty.date) else "不再是窗口日"
                impact.cancels.append(Cancel(duty.id, office.code, duty.date, why))
        impact.adds += [Add(office.code, w.date, w.moved_from) for w in sorted(free, key=lambda w: w.date)]
    hotline_cancels, hotline_adds = hotline_impact(session, calendar, duties, start, end)
    impact.cancels += [Cancel(d.id, d.office.code, d.date, why) for d, why in hotline_cancels]
    impact.adds += [Add(code, day, None, HOTLINE) for code, day in hotline_adds]
    impact.leader_days = [
        LeaderOnDayOff(d.id, d.office.code, d.date, calendar.holiday_name(d.date))
        for d in duties
        if d.duty_type.code == LEADER_DAY and not calendar.is_workday(d.date)
    ]
    return impact


def _replacement(duty: Duty, free: list[WindowDay]) -> WindowDay | None:
    # The window day that replaces this duty: one moved off the same day off as it was, or off its
    # date, else one in the same week.
    for w in free:
        if (duty.moved_from is not None and w.moved_from == duty.moved_from) or w.moved_from == duty.date:
            return w
    week = duty.date.isocalendar()[:2]
    return next((w for w in free if w.date.isocalendar()[:2] == week), None)


@dataclass(frozen=True)
class ReplanResult:
    impact: Impact
    versions: tuple[Roster, ...]  # the new published versions, one per published period touched


def replan(
    session: Session,
    start: dt.date,
    end: dt.date,
    actor: str,
    *,
    reason: str = "",
    today: dt.date | None = None,
    params: SolveParams | None = None,
) -> ReplanResult:
    """Apply the calendar impact on [start, end]: move, cancel and add window duties; repair published rosters."""
    today = today or dt.date.today()
    impact = calendar_impact(session, start, end)
    why = reason or "节假日安排变更"
    published = session.scalars(
        select(Roster)
        .where(Roster.status == "published", Roster.period_start <= end, Roster.period_end >= start)
        .order_by(Roster.period_start)
    ).all()
    before = {r.id: assignments_of(r) for r in published}
    touched: set[int] = set()
    for m in impact.moves:
        duty = session.get_one(Duty, m.duty_id)
        if m.new < today or m.old < today:
            continue  # the past is history
        clear_from_draft(session, duty)
        duty.date, duty.moved_from = m.new, m.old
        touched.add(duty.id)
    for c in impact.cancels:
        duty = session.get_one(Duty, c.duty_id)
        if c.date < today:
            continue
        clear_from_draft(session, duty)
        duty.cancelled_at, duty.cancel_reason = utcnow(), f"{why}：{c.why}"
    window = duty_type(session, WINDOW)
    offices = {o.code: o for o in session.scalars(select(Office))}
    added: list[Duty] = []
    for a in impact.adds:
        if a.date < today:
            continue
        office = offices[a.office_code]
        if a.kind == HOTLINE:
            added.append(new_hotline_day(session, office.id, a.date))
            continue
        duty = Duty(
            office_id=office.id,
            duty_type_id=window.id,
            date=a.date,
            start=office.am_start,
            end=office.window_end,
            needed=office.lawyers_per_window,
            moved_from=a.moved_from,
        )
        session.add(duty)
        added.append(duty)
    session.flush()
    record(
        session,
        actor,
        "duties.replan",
        entity="duties",
        reason=why,
        after={"start": str(start), "end": str(end), "lines": impact.lines()},
    )
    calendar = load_calendar(session)
    made = []
    for roster in published:
        version = _repair(session, roster, before[roster.id], touched, {d.id for d in added}, impact, why, actor,
                          today, params, calendar)  # fmt: skip
        if version is not None:
            made.append(version)
    return ReplanResult(impact, tuple(made))


def _repair(
    session: Session,
    roster: Roster,
    table: dict[int, tuple[int, ...]],
    moved: set[int],
    added: set[int],
    impact: Impact,
    why: str,
    actor: str,
    today: dt.date,
    params: SolveParams | None,
    calendar: WorkdayCalendar,
) -> Roster | None:
    """One new version of `roster` for the calendar change, or None when nothing in it changes."""
    state = roster_state(session, roster, today)
    in_period = {d.id: d for d in state.problem.duties}
    cancelled = [
        Change(c.duty_id, tuple(table[c.duty_id]), ())
        for c in impact.cancels
        if table.get(c.duty_id) and c.date >= today
    ]
    targets: dict[int, tuple[int, ...]] = {}
    lawyers = {lw.id: lw for lw in state.problem.lawyers}
    for duty_id in moved | added:
        duty = in_period.get(duty_id)
        if duty is None:
            continue
        busy = {lw for d, ls in table.items() if d != duty_id and d in in_period and in_period[d].date == duty.date
                for lw in ls}  # fmt: skip
        keep = tuple(
            lw for lw in table.get(duty_id, ()) if lw in lawyers and lw not in busy and can_serve(lawyers[lw], duty)
        )
        targets[duty_id] = keep[: duty.needed]
    base = {d: ls for d, ls in table.items() if d not in {c.duty_id for c in cancelled}}
    plan = plan_staffing(state.problem, base, targets, today, params) if targets else None
    changes = tuple(cancelled) + (plan.changes if plan else ())
    provisional = bool(calendar.provisional_years(roster.period_start, roster.period_end))
    if not changes and not moved and provisional == roster.provisional:
        return None
    what = f"calendar change: {len(impact.moves)} moved, {len(impact.cancels)} cancelled, {len(impact.adds)} added"
    version = create_version(session, roster, VersionChange(changes, what, why, "replacement", "roster.replan"), actor)
    # A roster stays provisional until every day it relies on is official.
    version.provisional = provisional
    return version
