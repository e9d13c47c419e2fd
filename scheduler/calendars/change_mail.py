"""Change notices: an e-mail per lawyer and changed duty, with the change in words and an iTIP .ics.

Notices are queued in the outbox (the `notices` table) in the transaction of the change and sent later
by `send_pending` (`scheduler send-notices`), so that a slow or absent mail server never blocks or undoes
a roster change. A failed notice stays queued with its error and is retried by the next run.

SMTP settings come from SCHEDULER_SMTP_HOST (default localhost), SCHEDULER_SMTP_PORT (25) and
SCHEDULER_SMTP_FROM (the sender and the invitations' ORGANIZER, both taken when the notice is sent).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.calendars.views import CalendarOptions, DutyView, EventView, LawyerOnDuty, lawyers_zh, when_zh
from scheduler.core.errors import InputError
from scheduler.db import transaction
from scheduler.calendars.ical import invitation, location, summary, with_organizer
from scheduler.config import Settings
from scheduler.models import Notice
from scheduler.models.rosters import utcnow

Change = Literal["added", "updated", "cancelled"]
SIGNATURE = "信访律师值班排班系统（本邮件由系统自动发送，请勿直接回复）"


@dataclass(frozen=True)
class SmtpSettings:
    """Where notices are sent from and through."""

    host: str = "localhost"
    port: int = 25
    sender: str = "duty-calendar@localhost"
    timeout_s: float = 30.0


def smtp_settings(settings: Settings) -> SmtpSettings:
    """The SMTP server and sender of `settings` (SCHEDULER_SMTP_HOST, _PORT, _FROM)."""
    return SmtpSettings(host=settings.smtp_host, port=settings.smtp_port, sender=settings.smtp_sender)


@dataclass(frozen=True)
class Recipient:
    """The lawyer a notice goes to."""

    lawyer_id: int
    name: str
    email: str
    firm: str = ""


def _colleagues(duty: DutyView, me: Recipient) -> list[LawyerOnDuty]:
    others = list(duty.lawyers)
    mine = LawyerOnDuty(me.name, me.firm)
    if mine in others:
        others.remove(mine)
    return others


def change_lines(old: DutyView, new: DutyView, me: Recipient) -> list[str]:
    """What changed between two versions of a duty, in words, as a lawyer on it would read it."""
    lines = []
    if (old.date, old.start, old.end) != (new.date, new.start, new.end):
        lines.append(f"时间：由 {when_zh(old)} 改为 {when_zh(new)}")
    if (old.office_name, old.address) != (new.office_name, new.address):
        lines.append(f"地点：由 {old.office_name} {old.address} 改为 {new.office_name} {new.address}")
    before, after = _colleagues(old, me), _colleagues(new, me)
    if before != after:
        lines.append(f"同班律师：由 {lawyers_zh(tuple(before)) or '无'} 改为 {lawyers_zh(tuple(after)) or '无'}")
    if old.note != new.note:
        lines.append(f"备注：{new.note or '（已删除）'}")
    if not lines:
        lines.append("值班说明（值班内容、来访须知、值班纪律或联系方式）已更新。")
    return lines


def compose(change: Change, view: EventView, old: DutyView | None, me: Recipient, feed_url: str) -> tuple[str, str]:
    """The subject and plain-text body of a notice about `view` (the lawyer's event after the change)."""
    duty = view.duty
    title = summary(view) if change != "cancelled" else f"{duty.duty_type} · {duty.office_name}"
    if change == "added":
        subject, lines = f"【值班安排】{duty.date:%Y-%m-%d} {title}", [f"您有一次新的值班安排：{title}。"]
    elif change == "updated":
        assert old is not None
        subject, lines = f"【值班变更】{duty.date:%Y-%m-%d} {title}", [f"您的值班安排有变更：{title}。"]
        lines += change_lines(old, duty, me)
    else:
        subject, lines = f"【值班取消】{duty.date:%Y-%m-%d} {title}", [f"您的这次值班安排已取消：{title}。"]
    lines += ["", f"时间：{when_zh(duty)}", f"地点：{location(view)}"]
    if duty.lawyers:
        lines.append(f"值班律师：{lawyers_zh(duty.lawyers)}")
    if duty.note:
        lines.append(f"备注：{duty.note}")
    if duty.phone:
        lines.append(f"联系电话：{duty.phone}（{duty.office_name}）")
    lines += [
        "",
        "附件是这次值班的日历文件（.ics），日历应用可据此更新。",
        f"您的个人值班日历（请勿转发此链接）：{feed_url}",
        "",
        SIGNATURE,
    ]
    return subject, "\n".join([f"{me.name}律师：", "", *lines]) + "\n"


def queue(
    session: Session,
    change: Change,
    view: EventView,
    old: DutyView | None,
    me: Recipient,
    *,
    options: CalendarOptions,
    feed_url: str,
    sender: str,
    duty_id: int,
    now: dt.datetime,
) -> Notice:
    """Put a notice about `view` for lawyer `me` into the outbox (it is sent by `send_pending`)."""
    subject, body = compose(change, view, old, me, feed_url)
    ics = invitation(view, options, organizer=sender, attendee_email=me.email, attendee_name=me.name)
    notice = Notice(
        lawyer_id=me.lawyer_id,
        duty_id=duty_id,
        recipient=me.email,
        method="CANCEL" if view.status == "CANCELLED" else "REQUEST",
        subject=subject[:200],
        body=body,
        ics=ics.decode("utf-8"),
        created_at=now,
    )
    session.add(notice)
    return notice


def queue_text(
    session: Session, *, lawyer_id: int, recipient: str, subject: str, body: str, now: dt.datetime
) -> Notice:
    """Put a plain message (no invitation: a case reminder, the outcome of a request) into the outbox;
    `send_pending` sends it with the change notices."""
    notice = Notice(
        lawyer_id=lawyer_id,
        duty_id=None,
        recipient=recipient,
        method="TEXT",
        subject=subject[:200],
        body=body,
        ics="",
        created_at=now,
    )
    session.add(notice)
    return notice


def message(notice: Notice, sender: str) -> EmailMessage:
    """The e-mail of `notice` from `sender`, who is also the invitation's ORGANIZER (both from the sending
    configuration, whatever it was when the notice was queued).

    RFC 6047: multipart/mixed holding a multipart/alternative of the text and the invitation inline as
    text/calendar; method=REQUEST|CANCEL (which Outlook and Gmail offer to accept or decline), and the same
    .ics again as an attachment for clients that only save attachments.
    """
    mail = EmailMessage()
    mail["Subject"] = notice.subject
    mail["From"] = sender
    mail["To"] = notice.recipient
    mail["Date"] = format_datetime(notice.created_at.replace(tzinfo=dt.UTC))
    mail["Message-ID"] = make_msgid(f"notice-{notice.id}", domain=sender.rpartition("@")[2] or None)
    if notice.method == "TEXT":
        mail.set_content(notice.body)
        return mail
    ics = with_organizer(notice.ics.encode("utf-8"), sender)
    params = {"method": notice.method, "charset": "utf-8"}
    mail.set_content(notice.body)
    # As bytes in base64: a text part would have its CRLF line ends rewritten.
    mail.add_alternative(ics, maintype="text", subtype="calendar", params=params)
    mail.add_attachment(
        ics,
        maintype="text",
        subtype="calendar",
        filename="cancel.ics" if notice.method == "CANCEL" else "invite.ics",
        params=params,
    )
    return mail


@dataclass(frozen=True)
class SendResult:
    """What one `send_pending` run did; `failed` notices stay queued with their error."""

    sent: int
    failed: int
    left: int  # still queued, untried because the server could not be reached
    errors: tuple[str, ...]


def pending_count(session: Session) -> int:
    """How many notices wait in the outbox."""
    return session.scalar(select(func.count(Notice.id)).where(Notice.sent_at.is_(None))) or 0


def send_pending(factory: sessionmaker[Session], smtp: SmtpSettings, *, limit: int = 1000) -> SendResult:
    """Send the queued notices, oldest first, each marked sent in its own transaction once the server took it.

    A refused recipient or message fails that notice only; when the server cannot be reached the run
    stops, recording the error on the notice it was trying, and the rest wait for the next run.
    """
    with factory() as session:
        ids = list(session.scalars(select(Notice.id).where(Notice.sent_at.is_(None)).order_by(Notice.id).limit(limit)))
    sent = failed = 0
    errors: list[str] = []
    connection: smtplib.SMTP | None = None
    try:
        for position, notice_id in enumerate(ids):
            with transaction(factory) as session:
                # FOR UPDATE SKIP LOCKED on PostgreSQL: two senders at once never send a notice twice.
                notice = session.scalar(
                    select(Notice)
                    .where(Notice.id == notice_id, Notice.sent_at.is_(None))
                    .with_for_update(skip_locked=True)
                )
                if notice is None:
                    continue
                notice.attempts += 1
                try:
                    if connection is None:
                        connection = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_s)
                except (OSError, smtplib.SMTPException) as exc:
                    notice.last_error = _error(exc, f"cannot reach {smtp.host}:{smtp.port}")
                    errors.append(notice.last_error)
                    return SendResult(sent, failed + 1, len(ids) - position - 1, tuple(errors))
                try:
                    connection.send_message(message(notice, smtp.sender))
                except (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused) as exc:
                    # The server refused this message; the connection is still good for the next one.
                    notice.last_error = _error(exc, f"to {notice.recipient}")
                    errors.append(notice.last_error)
                    failed += 1
                except OSError as exc:  # smtplib's other errors are OSErrors too: the connection is gone
                    notice.last_error = _error(exc, f"to {notice.recipient}")
                    errors.append(notice.last_error)
                    failed += 1
                    _close(connection)
                    connection = None
                else:
                    notice.sent_at = utcnow()
                    notice.last_error = ""
                    sent += 1
    finally:
        if connection is not None:
            _close(connection)
    return SendResult(sent, failed, 0, tuple(errors))


def _close(connection: smtplib.SMTP) -> None:
    # The notices are sent or recorded as failed; a failed goodbye changes nothing, but the socket must go.
    with contextlib.suppress(OSError):
        connection.quit()
    connection.close()


def _error(exc: BaseException, context: str) -> str:
    return f"{context}: {type(exc).__name__}: {exc}"[:500]
