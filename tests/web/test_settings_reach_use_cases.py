"""Settings are built once and passed down: what the web publishes uses the application's own settings."""

from __future__ import annotations

import re

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import Lawyer, Notice
from tests.web.conftest import BASE_URL, build_roster, post_form

UID = re.compile(r"^UID:(.+)$", re.M)


def test_a_notice_queued_by_a_web_publication_carries_the_uid_of_the_served_feed(
    app: Flask, client_as: object, session_factory: sessionmaker[Session]
) -> None:
    # The app is created with base URL https://duty.example.org while the process environment has none
    # (whose default host is 127.0.0.1): both the invitation and the feed must use the app's host.
    draft = build_roster(session_factory, lawyers=2, duties=2, per_duty=1, status="draft", name_prefix="新")
    with transaction(session_factory) as session:
        lawyer = session.get_one(Lawyer, draft.lawyer_ids[0])
        lawyer.email = "xin0@example.org"
        token = lawyer.calendar_token
    planner = client_as("planner")  # type: ignore[operator]
    assert post_form(planner, f"/planner/rosters/{draft.roster_id}/publish").status_code == 302

    with session_factory() as session:
        notices = session.scalars(select(Notice).where(Notice.lawyer_id == draft.lawyer_ids[0])).all()
    invited = {m.group(1).strip() for n in notices for m in UID.finditer(n.ics)}
    feed = app.test_client().get(f"/calendars/private/{token}.ics").get_data(as_text=True)
    served = {m.group(1).strip() for m in UID.finditer(feed)}

    host = BASE_URL.removeprefix("https://")
    assert invited and invited <= served
    assert all(uid.endswith(f"@{host}") for uid in invited | served)
