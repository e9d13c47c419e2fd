"""The hotline on the public notice (number, mailbox, today's lawyer, the month's rota) and the planner's page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.problem import HOTLINE
from scheduler.db import transaction
from scheduler.models import Assignment, Duty, Lawyer, Office, Roster
from scheduler.planning.duties import duty_type
from scheduler.planning.hotline import hotlines
from tests.integration.hotline_fixtures import MAILBOX, PHONE, PREFECTURE, XINGYI, prefecture_hotline, small_prefecture
from tests.web.conftest import TODAY, post_form
from tests.web.querycount import app_engine, count_queries

ClientAs = Callable[..., FlaskClient]


def _published_hotline(factory: sessionmaker[Session], days: int = 3) -> list[str]:
    """The prefecture's line with `days` published days from TODAY, one Xingyi lawyer each; their names."""
    with transaction(factory) as session:
        offices = small_prefecture(session)
        prefecture_hotline(session)
        kind = duty_type(session, HOTLINE)
        roster = Roster(
            period_start=TODAY, period_end=TODAY + dt.timedelta(days=days - 1), version=1, status="published",
            published_at=dt.datetime(2026, 2, 1, 8),
        )  # fmt: skip
        session.add(roster)
        xingyi = session.scalars(select(Lawyer).where(Lawyer.offices.contains(offices[XINGYI]))).all()
        names = []
        for i in range(days):
            duty = Duty(
                office=offices[PREFECTURE], duty_type=kind, date=TODAY + dt.timedelta(days=i),
                start=dt.time(9), end=dt.time(17), needed=1,
            )  # fmt: skip
            session.add(Assignment(roster=roster, duty=duty, lawyer=xingyi[i], date=duty.date, slot=0, places=1))
            names.append(xingyi[i].name)
        return names


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_notice_shows_the_number_the_mailbox_today_s_lawyer_and_the_rota(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    names = _published_hotline(session_factory)
    page = _text(client, f"/notice/{PREFECTURE}")
    section = page[page.index('class="hotline"') :]
    assert "律师咨询电话、电子信箱" in section and PHONE in section and MAILBOX in section
    today = re.search(r'class="hotline-today">(.*?)</dd>', section, re.S)
    assert today and names[0] in today.group(1) and names[1] not in today.group(1)
    assert all(name in section for name in names) and "每个工作日" in section
    # A county's notice shows the prefecture's line too: it serves the whole prefecture.
    assert PHONE in _text(client, f"/notice/{XINGYI}")


def test_no_hotline_no_section(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    with transaction(session_factory) as session:
        small_prefecture(session)
    assert 'class="hotline"' not in _text(client, f"/notice/{XINGYI}")


def test_the_section_speaks_english_when_asked(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    _published_hotline(session_factory)
    client.get("/language/en")
    page = _text(client, f"/notice/{PREFECTURE}")
    assert "Lawyers' consultation hotline and mailbox" in page and "Lawyer on the line today" in page


def test_the_hotline_section_runs_a_fixed_number_of_queries(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    _published_hotline(session_factory, days=2)
    with count_queries(app_engine(app)) as small:
        _text(client, f"/notice/{PREFECTURE}")
    with transaction(session_factory) as session:
        prefecture = session.scalar(select(Office).where(Office.code == PREFECTURE))
        roster = session.scalar(select(Roster))
        assert prefecture is not None and roster is not None
        lawyers = session.scalars(select(Lawyer)).all()
        for i in range(2, 8):
            day = TODAY + dt.timedelta(days=i)
            duty = Duty(office=prefecture, duty_type=duty_type(session, HOTLINE), date=day,
                        start=dt.time(9), end=dt.time(17), needed=1)  # fmt: skip
            session.add(Assignment(roster=roster, duty=duty, lawyer=lawyers[i], date=day, slot=0, places=1))
        roster.period_end = TODAY + dt.timedelta(days=7)
    with count_queries(app_engine(app)) as large:
        _text(client, f"/notice/{PREFECTURE}")
    assert large.count == small.count


def test_a_planner_sets_up_a_hotline_and_a_wrong_mailbox_is_refused_beside_its_field(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    with transaction(session_factory) as session:
        small_prefecture(session)
    planner = client_as("planner")
    assert "设置咨询电话" in _text(planner, "/planner/hotline")
    form = {"office": PREFECTURE, "phone": PHONE, "mailbox": "not-an-address", "needed": "1", "start": "09:00",
            "end": "17:00", "served_from": XINGYI, "share": "0.5", "weekdays": ["0", "2"]}  # fmt: skip
    refused = post_form(planner, "/planner/hotline", form)  # type: ignore[arg-type]
    assert refused.status_code == 400
    assert "not-an-address" in re.findall(r'id="mailbox-error">([^<]+)<', refused.get_data(as_text=True))[0]
    with session_factory() as session:
        assert hotlines(session) == []
    saved = post_form(planner, "/planner/hotline", {**form, "mailbox": MAILBOX})  # type: ignore[arg-type]
    assert saved.status_code == 302
    with session_factory() as session:
        (line,) = hotlines(session)
        assert (line.phone, line.mailbox, line.weekdays, line.served_from) == (PHONE, MAILBOX, (0, 2), (XINGYI,))
    assert MAILBOX in _text(planner, "/planner/hotline")
    clerk = client_as("clerk")
    assert post_form(clerk, "/planner/hotline", {**form, "mailbox": MAILBOX}).status_code == 403  # type: ignore[arg-type]
