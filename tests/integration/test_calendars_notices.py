"""Change notices go out through a real SMTP server (aiosmtpd on localhost); failures stay queued and are retried."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import icalendar
import pytest
from aiosmtpd.controller import Controller
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.calendars.change_mail import SmtpSettings, send_pending, smtp_settings
from scheduler.cli.calendars import send_notices
from scheduler.config import Settings, load_settings
from scheduler.core.errors import InputError
from scheduler.models import Notice
from tests.integration.calendar_fixtures import (
    FIRST_ROSTER,
    T0,
    World,
    build_world,
    calendar_settings,
    parse_both,
    publish_and_sync,
)

SENDER = "duty@example.org"


class Inbox:
    """An aiosmtpd handler that keeps what it receives; `refuse` names recipients to reject."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if address in self.refuse:
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield handler
    controller.stop()


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return calendar_settings(db_url, tmp_path)


@pytest.fixture
def queued(session: Session, settings: Settings) -> World:
    world = build_world(session)
    session.commit()
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    return world


def test_queued_notices_are_sent_with_the_change_in_words_and_an_ics_attachment(
    session_factory: sessionmaker[Session], queued: World, inbox: Inbox, smtp_port: int
) -> None:
    result = send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER))
    assert (result.sent, result.failed) == (5, 0)
    assert len(inbox.messages) == 5
    mail = next(m for m in inbox.messages if m["To"] == "lawyer0@example.org")
    assert mail["From"] == SENDER
    assert mail["Subject"] == "【值班安排】2026-03-04 律师接待窗口值班 · 兴义市信访局"
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert text.startswith("王明律师：") and "您有一次新的值班安排" in text
    assert "https://duty.example.org/calendars/private/token-0-" in text
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    ics = attachment.get_payload(decode=True)
    assert isinstance(ics, bytes) and b"\r\nMETHOD:REQUEST\r\n" in ics
    (event,) = parse_both(ics).walk("VEVENT")
    assert str(event["ATTENDEE"]) == "mailto:lawyer0@example.org"
    with session_factory() as session:
        notices = session.scalars(select(Notice)).all()
        assert all(n.sent_at is not None and n.attempts == 1 and n.last_error == "" for n in notices)
    # Sent notices are not sent again.
    assert send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER)).sent == 0


def test_a_cancellation_is_sent_as_method_cancel(
    session: Session,
    session_factory: sessionmaker[Session],
    queued: World,
    settings: Settings,
    inbox: Inbox,
    smtp_port: int,
) -> None:
    send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER))
    inbox.messages.clear()
    publish_and_sync(session, queued, {**FIRST_ROSTER, 1: (5,)}, settings, T0 + dt.timedelta(days=1))
    assert send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER)).sent == 1
    (mail,) = inbox.messages
    (attachment,) = list(mail.iter_attachments())
    assert attachment.get_param("method") == "CANCEL"
    ics = attachment.get_payload(decode=True)
    assert isinstance(ics, bytes)
    calendar = icalendar.Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED" and event["SEQUENCE"] == 1


def test_notices_stay_queued_with_the_error_while_the_server_is_down_and_go_out_on_the_next_run(
    session_factory: sessionmaker[Session], queued: World
) -> None:
    port = _free_port()  # nothing listens here yet
    down = send_pending(session_factory, SmtpSettings("127.0.0.1", port, SENDER, timeout_s=5))
    assert (down.sent, down.failed, down.left) == (0, 1, 4)
    with session_factory() as session:
        first = session.scalars(select(Notice).order_by(Notice.id)).first()
        assert first is not None and first.sent_at is None and first.attempts == 1
        assert f"cannot reach 127.0.0.1:{port}" in first.last_error
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        up = send_pending(session_factory, SmtpSettings("127.0.0.1", port, SENDER))
    finally:
        controller.stop()
    assert (up.sent, up.failed) == (5, 0) and len(handler.messages) == 5
    with session_factory() as session:
        retried = session.get(Notice, first.id)
        assert (
            retried is not None and retried.attempts == 2 and retried.sent_at is not None and retried.last_error == ""
        )


def test_a_refused_recipient_fails_alone_and_is_retried(
    session_factory: sessionmaker[Session], queued: World, inbox: Inbox, smtp_port: int
) -> None:
    inbox.refuse.add("lawyer1@example.org")
    result = send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER))
    assert (result.sent, result.failed) == (4, 1)
    with session_factory() as session:
        (waiting,) = session.scalars(select(Notice).where(Notice.sent_at.is_(None))).all()
        assert waiting.recipient == "lawyer1@example.org" and "550" in waiting.last_error
    inbox.refuse.clear()
    assert send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER)).sent == 1


def test_the_send_notices_command_reads_the_smtp_settings_from_the_environment(
    queued: World, inbox: Inbox, smtp_port: int, settings: Settings, db_url: str
) -> None:
    env = {
        "SCHEDULER_DATABASE_URL": db_url,
        "SCHEDULER_INSTANCE_DIR": str(settings.instance_dir),
        "SCHEDULER_SECRET_KEY": "test-secret",
        "SCHEDULER_SMTP_HOST": "127.0.0.1",
        "SCHEDULER_SMTP_PORT": str(smtp_port),
        "SCHEDULER_SMTP_FROM": "roster@example.org",
    }
    result = CliRunner().invoke(send_notices, [], env=env)
    assert result.exit_code == 0, result.output
    assert "notices: 5 sent, 0 failed, 0 still queued" in result.output
    assert {m["From"] for m in inbox.messages} == {"roster@example.org"}


def test_smtp_settings_default_to_localhost_port_25(tmp_path: Path) -> None:
    env = {"SCHEDULER_INSTANCE_DIR": str(tmp_path)}
    assert smtp_settings(load_settings(env)) == SmtpSettings("localhost", 25, SmtpSettings.sender)
    with pytest.raises(InputError, match="SCHEDULER_SMTP_PORT"):
        load_settings({**env, "SCHEDULER_SMTP_PORT": "smtp"})


def test_the_organizer_is_the_sender_at_sending_time_and_the_invitation_is_inline_too(
    session_factory: sessionmaker[Session], queued: World, inbox: Inbox, smtp_port: int, settings: Settings
) -> None:
    # Queued under one sending configuration, sent under another: From and ORGANIZER agree.
    assert settings.smtp_sender != SENDER
    send_pending(session_factory, SmtpSettings("127.0.0.1", smtp_port, SENDER))
    mail = next(m for m in inbox.messages if m["To"] == "lawyer0@example.org")
    assert mail.get_content_type() == "multipart/mixed"
    alternative = mail.get_payload()[0]
    assert alternative.get_content_type() == "multipart/alternative"
    plain, inline = alternative.get_payload()
    assert plain.get_content_type() == "text/plain"
    # RFC 6047: the invitation inline, with its method, so that Outlook shows Accept / Decline.
    assert inline.get_content_type() == "text/calendar" and inline.get_param("method") == "REQUEST"
    assert inline.get_filename() is None
    (attachment,) = list(mail.iter_attachments())
    for part in (inline, attachment):
        ics = part.get_payload(decode=True)
        assert isinstance(ics, bytes)
        (event,) = parse_both(ics).walk("VEVENT")
        assert str(event["ORGANIZER"]) == f"mailto:{SENDER}"
        assert str(event["ATTENDEE"]) == "mailto:lawyer0@example.org"
    assert mail["From"] == SENDER
