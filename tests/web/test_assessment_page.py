"""The assessment page opens on the current year's report, a page of lawyers at a time."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import LawFirm, Lawyer
from tests.web.conftest import build_roster

ClientAs = Callable[..., FlaskClient]


def _lawyers(factory: sessionmaker[Session], count: int) -> None:
    with transaction(factory) as session:
        firm = LawFirm(name="贵州万峰(兴义)律师事务所", credit_code="31522301MD0000999X")
        session.add_all(
            Lawyer(
                name=f"考核{i:03d}",
                licence_no=make_licence("5223", 2012, 1, 5000 + i),
                firm=firm,
                first_practice_year=2012,
                calendar_token=secrets.token_urlsafe(24),
            )
            for i in range(count)
        )


def _table_names(page: str) -> set[str]:
    table = re.search(r'<table class="assessment">.*?</table>', page, re.S)
    assert table, page
    return set(re.findall(r"考核\d{3}", table.group(0)))


def test_a_first_visit_shows_the_current_years_report_without_asking_for_the_year(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=3, duties=2, per_duty=1)
    app.config["TODAY"] = dt.date(2026, 5, 1)
    response = client_as("planner").get("/planner/reports/assessment")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "请填写此项" not in page and 'class="error' not in page
    assert "2026 年" in page and '<table class="assessment">' in page and "律师0" in page
    assert re.search(r'name="year"[^>]*value="2026"', page)


def test_a_long_assessment_is_shown_a_page_at_a_time(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _lawyers(session_factory, 45)
    app.config["TODAY"] = dt.date(2026, 5, 1)
    planner = client_as("planner")
    first = planner.get("/planner/reports/assessment").get_data(as_text=True)
    names = _table_names(first)
    assert len(names) == 30 and "第 1 页，共 2 页（45 条）" in first
    second = planner.get("/planner/reports/assessment?year=2026&threshold=2&page=2").get_data(as_text=True)
    rest = _table_names(second)
    assert len(rest) == 15 and not names & rest
    assert "45 名律师" in second
    # A page past the end shows the last page rather than an empty table.
    assert _table_names(planner.get("/planner/reports/assessment?page=9").get_data(as_text=True)) == rest


def test_a_wrong_year_typed_in_is_still_refused_with_the_reason(client_as: ClientAs) -> None:
    response = client_as("planner").get("/planner/reports/assessment?year=1999")
    assert response.status_code == 400 and "2000 到 2100" in response.get_data(as_text=True)
