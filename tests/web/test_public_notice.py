"""The public duty notice (公示): published versions only, the notice's texts, feeds, print, fixed query count."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.calendars.views import STANDARD_DISCIPLINE, STANDARD_SCOPE, STANDARD_VISITOR_NOTES
from scheduler.db import transaction
from scheduler.models import Duty, Office
from scheduler.planning.duties import generate_windows
from scheduler.planning.solving import solve_period
from scheduler.rosters.publishing import publish_draft
from tests.integration.roster_fixtures import END, PARAMS, START, build_county
from tests.integration.roster_fixtures import TODAY as COUNTY_TODAY
from tests.web.conftest import BASE_URL, SQLITE_ONLY, build_roster
from tests.web.querycount import app_engine, count_queries

WEEK_10 = "/notice/522326/week/2026/10"  # Mon 2 to Sun 8 March 2026
MARCH = "/notice/522326/month/2026/3"


def _text(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_index_lists_every_office_with_a_link_to_its_notice(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    page = _text(client, "/")
    assert "望谟县信访局" in page and 'href="/notice/522326"' in page
    assert f"webcal://{BASE_URL.split('://')[1]}/calendars/prefecture.ics" in page


def test_a_week_shows_date_weekday_hours_place_lawyers_and_firms(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    page = _text(client, WEEK_10)
    for expected in ("2026年3月4日", "星期三", "09:00–12:00", "律师接待窗口值班", "望谟县王母街道", "0859-4610000"):
        assert expected in page
    assert "律师0" in page and "律师1" in page and "律师所" in page
    assert "律师2" not in page  # on the next week's duty
    assert len(world.duty_ids) == 4


def test_a_month_shows_every_duty_of_the_month(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    build_roster(session_factory, duties=5)  # 4, 11, 18, 25 March and 1 April
    page = _text(client, MARCH)
    assert all(f"<td>2026年3月{day}日</td>" in page for day in (4, 11, 18, 25))
    assert "<td>2026年4月1日</td>" not in page


def test_the_current_week_is_the_default(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    app.config["TODAY"] = dt.date(2026, 3, 12)
    page = _text(client, "/notice/522326")
    assert "<td>2026年3月11日</td>" in page and "<td>2026年3月4日</td>" not in page


def test_a_draft_never_shows_on_the_notice(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    build_roster(session_factory, name_prefix="公示律师")
    build_roster(session_factory, name_prefix="草稿律师", status="draft", version=2)
    page = _text(client, MARCH)
    assert "公示律师" in page and "草稿律师" not in page


def test_a_period_with_only_a_draft_shows_no_duties(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, name_prefix="草稿律师", status="draft")
    page = _text(client, MARCH)
    assert "草稿律师" not in page and "<td>2026年3月4日</td>" not in page
    assert "暂无已公布的值班安排" in page


def test_a_superseded_version_gives_way_to_the_current_one(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, name_prefix="旧版律师", status="superseded")
    build_roster(session_factory, name_prefix="新版律师", version=2)
    page = _text(client, MARCH)
    assert "新版律师" in page and "旧版律师" not in page and "第 2 版" in page


def test_the_solved_and_published_roster_appears_only_once_published(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    """The whole pipeline: plan, solve (a draft: not shown), publish (shown)."""
    with transaction(session_factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")
    solve_period(session_factory, START, END, PARAMS, actor="test", today=COUNTY_TODAY)
    assert "暂无已公布的值班安排" in _text(client, MARCH)
    with transaction(session_factory) as session:
        publish_draft(session, START, END, "test")
    page = _text(client, MARCH)
    assert "暂无已公布的值班安排" not in page
    assert len(re.findall(r"<li>律师\d", page)) == 8  # four Wednesdays, two lawyers each


def test_unstaffed_places_are_shown_as_open(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    world = build_roster(session_factory, per_duty=1)
    with transaction(session_factory) as session:
        session.get_one(Duty, world.duty_ids[0]).needed = 2
    assert "待安排" in _text(client, WEEK_10)


@SQLITE_ONLY
def test_the_standard_texts_stand_in_for_an_office_s_empty_ones(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    page = _text(client, WEEK_10)
    for text in (STANDARD_SCOPE, STANDARD_VISITOR_NOTES, STANDARD_DISCIPLINE.splitlines()[0]):
        assert text in page


def test_an_office_s_own_texts_replace_the_standard_ones(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    with transaction(session_factory) as session:
        office = session.scalars(select(Office)).one()
        office.reception_scope = "本窗口受理土地征收类咨询。"
        office.visitor_notes = "请提前十分钟到达 <b>二楼</b>。"
        office.discipline_rules = "值班期间手机静音。"
    page = _text(client, WEEK_10)
    assert "本窗口受理土地征收类咨询。" in page and "值班期间手机静音。" in page
    assert "请提前十分钟到达 &lt;b&gt;二楼&lt;/b&gt;。" in page  # an office's text is text, not markup
    assert STANDARD_SCOPE not in page and STANDARD_VISITOR_NOTES not in page


@SQLITE_ONLY
def test_the_notice_links_to_the_office_and_prefecture_feeds(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    page = _text(client, WEEK_10)
    host = BASE_URL.split("://")[1]
    for path in ("office/522326.ics", "prefecture.ics"):
        assert f'href="webcal://{host}/calendars/{path}"' in page
        assert f'href="{BASE_URL}/calendars/{path}"' in page
    assert client.get("/calendars/office/522326.ics").status_code == 200


@SQLITE_ONLY
def test_the_notice_navigates_between_weeks_and_months(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    page = _text(client, WEEK_10)
    for link in ("/notice/522326/week/2026/9", "/notice/522326/week/2026/11", "/notice/522326/month/2026/3"):
        assert f'href="{link}"' in page
    month = _text(client, MARCH)
    assert 'href="/notice/522326/month/2026/2"' in month and 'href="/notice/522326/month/2026/4"' in month
    assert 'href="/notice/522326/week/2026/9"' in month  # the week of 1 March


@SQLITE_ONLY
@pytest.mark.parametrize(
    "url", ["/notice/999999", "/notice/522326/week/2026/54", "/notice/522326/month/2026/13", "/notice/%2F..%2F"]
)
def test_an_unknown_office_or_period_answers_404(
    client: FlaskClient, session_factory: sessionmaker[Session], url: str
) -> None:
    build_roster(session_factory)
    assert client.get(url).status_code == 404


def _static(client: FlaskClient, url: str) -> tuple[int, str]:
    # A static file is sent from an open file: close the response, or the file stays open.
    with client.get(url) as response:
        return response.status_code, response.get_data(as_text=True)


@SQLITE_ONLY
def test_the_print_stylesheet_fits_an_a4_page(client: FlaskClient) -> None:
    _status, css = _static(client, "/static/app.css")
    print_rules = css[css.index("@media print") :]
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", print_rules)
    assert ".no-print" in print_rules


class _Assets(HTMLParser):
    """Collects the addresses of everything a page loads (not the links a reader may follow)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "img", "iframe", "source", "audio", "video") and found.get("src"):
            self.urls.append(found["src"] or "")
        if tag == "link" and found.get("href"):
            self.urls.append(found["href"] or "")


@SQLITE_ONLY
def test_every_asset_is_served_from_this_site(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    build_roster(session_factory)
    for url in ("/", WEEK_10, "/login"):
        parser = _Assets()
        parser.feed(_text(client, url))
        assert parser.urls and all(u.startswith("/") and not u.startswith("//") for u in parser.urls), parser.urls
        assert all(_static(client, u)[0] == 200 for u in parser.urls)
    _status, css = _static(client, "/static/app.css")
    assert "@import" not in css and "url(" not in css and "@font-face" not in css


def _queries(app: Flask, client: FlaskClient, url: str) -> int:
    with count_queries(app_engine(app)) as counted:
        assert client.get(url).status_code == 200
    return counted.count


def test_the_notice_pages_run_a_fixed_number_of_queries_whatever_the_roster_size(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    urls = ["/", WEEK_10, MARCH]
    build_roster(session_factory, lawyers=4, duties=2, per_duty=1, code="522326")
    small = [_queries(app, client, url) for url in urls]
    # Thirty daily duties of three lawyers each, and another office, on top.
    build_roster(session_factory, lawyers=60, duties=30, per_duty=3, every_days=1, start=dt.date(2026, 3, 1))
    build_roster(session_factory, lawyers=20, duties=10, per_duty=2, code="522301")
    large = [_queries(app, client, url) for url in urls]
    # Four for the notice, one for the hotline section (no hotline here: it stops after looking).
    assert small == large and max(large) <= 5
