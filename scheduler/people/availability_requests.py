"""Lawyers' own availability requests (值班意愿申请): before a period's deadline a lawyer asks for days off
(a range with a reason) or states weekday wishes; a planner approves or declines each, with a reason.

Approval reuses what the roster already reads: days off become an Unavailability row through
`standing.add_unavailability` (which also proposes repairs of any published roster they hit), weekday wishes
become the lawyer's preferred and undesired weekdays. Every decision is audited and the lawyer is told by
e-mail through the notice outbox (`scheduler send-notices`) and on their page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from scheduler.audit import record
from scheduler.calendars.change_mail import SIGNATURE, queue_text
from scheduler.core.errors import require_period
from scheduler.models import Lawyer, Unavailability
from scheduler.models.availability import AvailabilityRequest, RequestWindow
from scheduler.models.rosters import utcnow
from scheduler.people import standing
from scheduler.people.availability_errors import (
    BadWindow,
    RequestAlreadyDecided,
    RequestFieldError,
    RequestNotFound,
    RequestWindowClosed,
    RequestWindowNotOpen,
    WindowNotFound,
)
from scheduler.solver import SolveParams

WEEKDAY_NAMES = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")
STATE_NAMES = {"pending": "待审批", "approved": "已批准", "declined": "未批准"}


def weekdays_zh(days: Iterable[int]) -> str:
    """Weekday numbers (0 = Monday) as Chinese names, e.g. 星期一、星期三."""
    return "、".join(WEEKDAY_NAMES[d] for d in sorted(days)) or "无"


# --- request windows ---------------------------------------------------------------------------------


def open_window(
    session: Session,
    period_start: dt.date,
    period_end: dt.date,
    opens: dt.date,
    deadline: dt.date,
    actor: str,
) -> RequestWindow:
    """Let lawyers send requests for [period_start, period_end] from `opens` to `deadline` (inclusive). Opening
    the same period again moves its dates. The deadline must fall before the period starts."""
    require_period(period_start, period_end)
    if deadline < opens:
        raise BadWindow(problem=f"截止日期 {deadline} 早于开始日期 {opens}")
    if deadline >= period_start:
        raise BadWindow(problem=f"截止日期 {deadline} 须早于排班时段的第一天 {period_start}")
    window = session.scalar(
        select(RequestWindow).where(RequestWindow.period_start == period_start, RequestWindow.period_end == period_end)
    )
    before = None
    if window is None:
        window = RequestWindow(period_start=period_start, period_end=period_end, created_by=actor)
        session.add(window)
    else:
        before = {"opens": str(window.opens), "deadline": str(window.deadline)}
    window.opens, window.deadline = opens, deadline
    session.flush()
    record(
        session,
        actor,
        "availability.window",
        entity="request_window",
        entity_id=window.id,
        before=before,
        after={"period": f"{period_start}..{period_end}", "opens": str(opens), "deadline": str(deadline)},
    )
    return window


def get_window(session: Session, window_id: int) -> RequestWindow:
    window = session.get(RequestWindow, window_id)
    if window is None:
        raise WindowNotFound(window=window_id)
    return window


def window_for_period(session: Session, start: dt.date, end: dt.date) -> RequestWindow:
    """The request window of exactly [start, end]."""
    window = session.scalar(
        select(RequestWindow).where(RequestWindow.period_start == start, RequestWindow.period_end == end)
    )
    if window is None:
        raise WindowNotFound(window=f"{start}..{end}")
    return window


def windows(session: Session) -> list[RequestWindow]:
    """Every request window, the latest period first."""
    return list(session.scalars(select(RequestWindow).order_by(RequestWindow.period_start.desc())))


def open_windows(session: Session, today: dt.date) -> list[RequestWindow]:
    """The windows accepting requests today."""
    return list(
        session.scalars(
            select(RequestWindow)
            .where(RequestWindow.opens <= today, RequestWindow.deadline >= today)
            .order_by(RequestWindow.period_start)
        )
    )


def _accepting(window: RequestWindow, today: dt.date) -> None:
    if today > window.deadline:
        raise RequestWindowClosed(start=window.period_start, end=window.period_end, deadline=window.deadline)
    if today < window.opens:
        raise RequestWindowNotOpen(start=window.period_start, end=window.period_end, opens=window.opens)


# --- a lawyer's requests ------------------------------------------------------------------------------


def _lawyer(session: Session, lawyer_id: int) -> Lawyer:
    lawyer = session.get(Lawyer, lawyer_id)
    if lawyer is None:
        raise RequestFieldError("lawyer", label="律师", problem="不存在")
    return lawyer


def ask_days_off(
    session: Session,
    window_id: int,
    lawyer_id: int,
    start: dt.date,
    end: dt.date,
    reason: str,
    actor: str,
    *,
    today: dt.date,
) -> AvailabilityRequest:
    """A lawyer asks not to serve from `start` to `end` (inclusive, within the window's period), giving a
    reason. Refused after the deadline."""
    window = get_window(session, window_id)
    _accepting(window, today)
    lawyer = _lawyer(session, lawyer_id)
    if end < start:
        raise RequestFieldError("end", label="结束日期", problem=f"{end} 早于开始日期 {start}")
    if start < window.period_start or end > window.period_end:
        raise RequestFieldError(
            "start", label="日期", problem=f"须在排班时段 {window.period_start} 至 {window.period_end} 之内"
        )
    reason = reason.strip()
    if not reason:
        raise RequestFieldError("reason", label="原因", problem="请填写不能值班的原因")
    if len(reason) > 200:
        raise RequestFieldError("reason", label="原因", problem="最多 200 个字")
    request = AvailabilityRequest(
        window=window, lawyer=lawyer, kind="unavailable", start=start, end=end, reason=reason, created_at=utcnow()
    )
    session.add(request)
    session.flush()
    record(
        session,
        actor,
        "availability.request",
        entity="availability_request",
        entity_id=request.id,
        after={
            "lawyer": lawyer.licence_no,
            "kind": "unavailable",
            "start": str(start),
            "end": str(end),
            "reason": reason,
        },
    )
    return request


def ask_weekdays(
    session: Session,
    window_id: int,
    lawyer_id: int,
    preferred: Sequence[int],
    undesired: Sequence[int],
    actor: str,
    *,
    today: dt.date,
    reason: str = "",
) -> AvailabilityRequest:
    """A lawyer states the weekdays they would like to serve on and those they would rather not (0 = Monday).
    Refused after the deadline."""
    window = get_window(session, window_id)
    _accepting(window, today)
    lawyer = _lawyer(session, lawyer_id)
    wanted, unwanted = sorted(set(preferred)), sorted(set(undesired))
    if any(d not in range(7) for d in (*wanted, *unwanted)):
        raise RequestFieldError("preferred_weekdays", label="星期", problem="只能是星期一到星期日")
    if set(wanted) & set(unwanted):
        raise RequestFieldError("undesired_weekdays", label="不希望值班日", problem="同一天不能既希望又不希望值班")
    if not wanted and not unwanted:
        raise RequestFieldError("preferred_weekdays", label="星期", problem="请至少选择一天")
    request = AvailabilityRequest(
        window=window,
        lawyer=lawyer,
        kind="weekdays",
        preferred_weekdays=wanted,
        undesired_weekdays=unwanted,
        reason=reason.strip()[:200],
        created_at=utcnow(),
    )
    session.add(request)
    session.flush()
    record(
        session,
        actor,
        "availability.request",
        entity="availability_request",
        entity_id=request.id,
        after={"lawyer": lawyer.licence_no, "kind": "weekdays", "preferred": wanted, "undesired": unwanted},
    )
    return request


# --- decisions ---------------------------------------------------------------------------------------


def get_request(session: Session, request_id: int) -> AvailabilityRequest:
    request = session.get(AvailabilityRequest, request_id)
    if request is None:
        raise RequestNotFound(request=request_id)
    return request


def describe(request: AvailabilityRequest) -> str:
    """The request in words, as the lawyer and the planner read it."""
    if request.kind == "unavailable":
        span = f"{request.start}" if request.start == request.end else f"{request.start} 至 {request.end}"
        return f"{span} 不能值班（{request.reason}）"
    return (
        f"希望值班日：{weekdays_zh(request.preferred_weekdays)}；"
        f"不希望值班日：{weekdays_zh(request.undesired_weekdays)}"
    )


def _pending(session: Session, request_id: int) -> AvailabilityRequest:
    # Locked (PostgreSQL) until the decision commits: two planners deciding at once cannot both succeed.
    request = session.get(AvailabilityRequest, request_id, with_for_update=True)
    if request is None:
        raise RequestNotFound(request=request_id)
    if request.state != "pending":
        raise RequestAlreadyDecided(state=STATE_NAMES[request.state])
    return request


def _tell(session: Session, request: AvailabilityRequest, now: dt.datetime) -> bool:
    """Queue the decision's e-mail to the lawyer; False when they have no address (the page still shows it)."""
    lawyer = request.lawyer
    if not lawyer.email.strip():
        return False
    outcome = STATE_NAMES[request.state]
    window = request.window
    lines = [
        f"{lawyer.name}律师：",
        "",
        f"您对 {window.period_start} 至 {window.period_end} 排班时段的值班意愿申请{outcome}。",
        f"申请内容：{describe(request)}",
    ]
    if request.decision_reason:
        lines.append(f"说明：{request.decision_reason}")
    lines += ["", SIGNATURE]
    subject = f"【值班意愿申请】{outcome}：{describe(request)}"
    queue_text(
        session,
        lawyer_id=lawyer.id,
        recipient=lawyer.email.strip(),
        subject=subject,
        body="\n".join(lines) + "\n",
        now=now,
    )
    return True


@dataclass(frozen=True)
class Decision:
    """A decided request, the repair proposals an approval made (published rosters it hit), and whether the
    lawyer was e-mailed."""

    request: AvailabilityRequest
    proposal_ids: tuple[int, ...]
    mailed: bool


def approve(
    session: Session,
    request_id: int,
    actor: str,
    *,
    today: dt.date,
    reason: str = "",
    params: SolveParams | None = None,
) -> Decision:
    """Approve a pending request: days off become unavailability (repairs proposed where published), weekday
    wishes become the lawyer's preferences. Audited; the lawyer is told."""
    request = _pending(session, request_id)
    lawyer = request.lawyer
    proposals: list[int] = []
    if request.kind == "unavailable":
        assert request.start is not None and request.end is not None
        made = standing.add_unavailability(
            session, lawyer.licence_no, request.start, request.end, request.reason, actor, today=today, params=params
        )
        proposals = [p.id for p in made]
        request.unavailability_id = session.scalar(
            select(Unavailability.id)
            .where(
                Unavailability.lawyer_id == lawyer.id,
                Unavailability.start == request.start,
                Unavailability.end == request.end,
            )
            .order_by(Unavailability.id.desc())
            .limit(1)
        )
    else:
        before = {"preferred": list(lawyer.preferred_weekdays), "undesired": list(lawyer.undesired_weekdays)}
        lawyer.preferred_weekdays = list(request.preferred_weekdays)
        lawyer.undesired_weekdays = list(request.undesired_weekdays)
        record(
            session,
            actor,
            "lawyer.weekdays",
            entity="lawyer",
            entity_id=lawyer.id,
            reason=describe(request),
            before=before,
            after={"preferred": lawyer.preferred_weekdays, "undesired": lawyer.undesired_weekdays},
        )
    now = utcnow()
    request.state, request.decision_reason = "approved", reason.strip()[:500]
    request.decided_by, request.decided_at = actor, now
    session.flush()
    record(
        session,
        actor,
        "availability.approve",
        entity="availability_request",
        entity_id=request.id,
        reason=request.decision_reason,
        after={"describe": describe(request), "proposals": proposals},
    )
    return Decision(request, tuple(proposals), _tell(session, request, now))


def decline(session: Session, request_id: int, reason: str, actor: str) -> Decision:
    """Decline a pending request; the reason is required and shown to the lawyer."""
    request = _pending(session, request_id)
    reason = reason.strip()
    if not reason:
        raise RequestFieldError("reason", label="不批准的理由", problem="请填写，律师会看到")
    if len(reason) > 500:
        raise RequestFieldError("reason", label="不批准的理由", problem="最多 500 个字")
    now = utcnow()
    request.state, request.decision_reason, request.decided_by, request.decided_at = "declined", reason, actor, now
    session.flush()
    record(
        session,
        actor,
        "availability.decline",
        entity="availability_request",
        entity_id=request.id,
        reason=reason,
        after={"describe": describe(request)},
    )
    return Decision(request, (), _tell(session, request, now))


def approve_all(
    session: Session, window_id: int, actor: str, *, today: dt.date, params: SolveParams | None = None
) -> list[Decision]:
    """Approve every pending request of a window, oldest first (each audited and told as one by one)."""
    get_window(session, window_id)
    ids = list(
        session.scalars(
            select(AvailabilityRequest.id)
            .where(AvailabilityRequest.window_id == window_id, AvailabilityRequest.state == "pending")
            .order_by(AvailabilityRequest.id)
        )
    )
    return [approve(session, request_id, actor, today=today, params=params) for request_id in ids]


# --- read models -------------------------------------------------------------------------------------


def requests_of_window(session: Session, window_id: int) -> list[AvailabilityRequest]:
    """A window's requests with their lawyers (two queries), pending first, then by lawyer."""
    rows = session.scalars(
        select(AvailabilityRequest)
        .where(AvailabilityRequest.window_id == window_id)
        .options(selectinload(AvailabilityRequest.lawyer))
        .order_by(AvailabilityRequest.id)
    ).all()
    return sorted(rows, key=lambda r: (r.state != "pending", r.lawyer.licence_no, r.id))


def requests_of_lawyer(session: Session, lawyer_id: int, limit: int = 50) -> list[AvailabilityRequest]:
    """A lawyer's latest requests with their windows (one query), newest first."""
    return list(
        session.scalars(
            select(AvailabilityRequest)
            .where(AvailabilityRequest.lawyer_id == lawyer_id)
            .options(joinedload(AvailabilityRequest.window))
            .order_by(AvailabilityRequest.id.desc())
            .limit(limit)
        )
    )
