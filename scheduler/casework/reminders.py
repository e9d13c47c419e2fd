"""Due-date reminders: an e-mail to each lawyer of an open case N days before its due date, queued in the
notice outbox (sent by `scheduler send-notices`). Queued once per case and due date: running the reminder
again (from cron, daily) queues nothing new; moving the due date gives the new date its own reminder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.calendars.change_mail import SIGNATURE, queue_text
from scheduler.casework.cases import OPEN_STATUSES, STATUS_NAMES
from scheduler.core.errors import OutOfRange
from scheduler.models.casework import CaseReminder, EntrustedCase

DEFAULT_DAYS_BEFORE = 3


@dataclass(frozen=True)
class ReminderResult:
    """What one run queued: cases reminded, notices queued, lawyers without an e-mail address."""

    cases: tuple[str, ...]
    notices: int
    without_email: tuple[str, ...]


def reminder_text(case: EntrustedCase, name: str, today: dt.date) -> tuple[str, str]:
    """The subject and body of a reminder to lawyer `name` about `case`."""
    days = (case.due_date - today).days
    when = "今天" if days == 0 else f"{days} 天后"
    subject = f"【委托案件提醒】{case.number} {case.title} 将于 {case.due_date:%Y-%m-%d} 到期"
    lines = [
        f"{name}律师：",
        "",
        f"您承办的委托案件将于{when}（{case.due_date:%Y年%m月%d日}）到期，请按时出具法律意见书。",
        "",
        f"案件编号：{case.number}",
        f"案件名称：{case.title}",
        f"案件类别：{case.category}",
        f"委托单位：{case.office.name}",
        f"包案领导：{case.leader or '—'}",
        f"当前状态：{STATUS_NAMES[case.status]}",
        "",
        SIGNATURE,
    ]
    return subject, "\n".join(lines) + "\n"


def queue_due_reminders(
    session: Session, today: dt.date, now: dt.datetime, *, days_before: int = DEFAULT_DAYS_BEFORE, actor: str = "system"
) -> ReminderResult:
    """Queue a reminder for every open case (受理, 办理中) due from today to `days_before` days on that has none
    for its due date yet."""
    if days_before < 0:
        raise OutOfRange(field="days_before", minimum=0, value=days_before)
    cases = session.scalars(
        select(EntrustedCase)
        .where(
            EntrustedCase.status.in_(OPEN_STATUSES),
            EntrustedCase.due_date.between(today, today + dt.timedelta(days=days_before)),
        )
        .options(selectinload(EntrustedCase.lawyers), selectinload(EntrustedCase.office))
        .order_by(EntrustedCase.due_date, EntrustedCase.id)
    ).all()
    done = {
        (case_id, due)
        for case_id, due in session.execute(
            select(CaseReminder.case_id, CaseReminder.due_date).where(CaseReminder.case_id.in_([c.id for c in cases]))
        )
    }
    reminded: list[str] = []
    without: list[str] = []
    notices = 0
    for case in cases:
        if (case.id, case.due_date) in done or not case.lawyers:
            continue
        queued = 0
        for lawyer in case.lawyers:
            if not lawyer.email.strip():
                without.append(f"{lawyer.name}（{lawyer.licence_no}）")
                continue
            subject, body = reminder_text(case, lawyer.name, today)
            address = lawyer.email.strip()
            queue_text(session, lawyer_id=lawyer.id, recipient=address, subject=subject, body=body, now=now)
            queued += 1
        session.add(CaseReminder(case_id=case.id, due_date=case.due_date, queued_at=now, notices=queued))
        record(
            session,
            actor,
            "case.remind",
            entity="case",
            entity_id=case.id,
            after={"due_date": str(case.due_date), "notices": queued},
        )
        reminded.append(case.number)
        notices += queued
    session.flush()
    return ReminderResult(tuple(reminded), notices, tuple(without))
