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

from scheduler.calendars.views import (
    STANDARD_DISCIPLINE,
    STANDARD_LEADER_SCOPE,
    STANDARD_SCOPE,
    STANDARD_VISITOR_NOTES,
)
from scheduler.db import transaction
from scheduler.models import Assignment, Duty, HolidayOverride, Lawyer, Office, Roster
from scheduler.models.rosters import utcnow
from scheduler.planning.duties import duty_type, generate_windows
from scheduler.planning.solving import solve_period
from scheduler.rosters.publishing import publish_draft
from tests.integration.roster_fixtures import END, PARAMS, START, build_county
from tests.integration.roster_fixtures import TODAY as COUNTY_TODAY
from tests.web.conftest import BASE_URL, SQLITE_ONLY, build_roster
from tests.web.querycount import app_engine, count_queries

WEEK_10 = "/notice/522326/week/2026/10"  # Mon 2 to Sun 8 March 2026
MARCH = "/notice/522326/month/2026/3"


def _dates(page: str) -> list[str]:
    """The dates of the duty rows of a notice page, in order."""
    return re.findall(r'<td class="date"[^>]*>([^<]*)</td>', page)


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
    assert _dates(page) == [f"2026年3月{day}日" for day in (4, 11, 18, 25)]


def test_the_current_week_is_the_default(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    app.config["TODAY"] = dt.date(2026, 3, 12)
    page = _text(client, "/notice/522326")
    assert _dates(page) == ["2026年3月11日"]


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
    assert "草稿律师" not in page and _dates(page) == []
    assert "暂无已公布的值班安排" in page


def test_a_superseded_version_gives_way_to_the_current_one(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, name_prefix="旧版律师", status="superseded")
    build_roster(session_factory, name_prefix="新版律师", version=2)
    page = _text(client, MARCH)
    assert "新版律师" in page and "旧版律师" not in page and 'data-roster-versions="2"' in page


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
    # The week of 16 February has no duty: it lists the next ones (today is 20 February).
    urls = ["/", WEEK_10, MARCH, "/notice/522326/week/2026/8"]
    build_roster(session_factory, lawyers=4, duties=2, per_duty=1, code="522326")
    small = [_queries(app, client, url) for url in urls]
    # Thirty daily duties of three lawyers each, and another office, on top.
    build_roster(session_factory, lawyers=60, duties=30, per_duty=3, every_days=1, start=dt.date(2026, 3, 1))
    build_roster(session_factory, lawyers=20, duties=10, per_duty=2, code="522301")
    large = [_queries(app, client, url) for url in urls]
    # Five for the notice, four more for the next duties of an empty week, one for the hotline section.
    assert small == large and max(large[:3]) <= 6 and large[3] <= 10 and "近期值班安排" in _text(client, urls[3])


# --- the notice as an office pins it on the wall ------------------------------------------------------------


def _rows(page: str) -> list[str]:
    """The HTML of each duty row of a notice page."""
    return re.findall(r'<tr class="duty[^"]*">(.*?)</tr>', page, flags=re.S)


def test_the_month_title_reads_as_a_month_in_chinese_and_in_english(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)
    assert re.search(r'<p class="period">\s*2026年3月\s*</p>', _text(client, MARCH))
    assert "十二月" not in _text(client, "/notice/522326/month/2026/12")
    assert re.search(r'<p class="period">\s*2026年12月\s*</p>', _text(client, "/notice/522326/month/2026/12"))
    client.get("/language/en")
    assert re.search(r'<p class="period">\s*March 2026\s*</p>', _text(client, MARCH))


def test_an_office_with_a_lunch_break_shows_both_sessions(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, duties=1)
    with transaction(session_factory) as session:
        office = session.scalars(select(Office)).one()
        office.am_end, office.pm_start, office.pm_end = dt.time(12), dt.time(14, 30), dt.time(17, 30)
        session.get_one(Duty, world.duty_ids[0]).end = dt.time(17, 30)
    [row] = _rows(_text(client, WEEK_10))
    assert '09:00–12:00</span>、<span class="session">14:30–17:30' in row
    assert "09:00–17:30" not in row


def _leader_day(factory: sessionmaker[Session], roster_id: int, day: dt.date, note: str, scope: str = "") -> None:
    with transaction(factory) as session:
        office = session.scalars(select(Office)).one()
        lawyer = session.scalars(select(Lawyer).order_by(Lawyer.id)).first()
        duty = Duty(
            office=office,
            duty_type=duty_type(session, "leader_day"),
            date=day,
            start=dt.time(9),
            end=dt.time(12),
            needed=1,
            note=note,
            scope=scope,
        )
        session.add(duty)
        session.flush()
        roster = session.get_one(Roster, roster_id)
        session.add(Assignment(roster=roster, duty=duty, lawyer=lawyer, date=day, slot=0, places=1))


def test_a_leader_day_shows_its_leader_and_its_own_scope_not_the_window_s(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    _leader_day(session_factory, world.roster_id, dt.date(2026, 3, 5), "接待领导：县委副书记；主题：征地拆迁")
    page = _text(client, WEEK_10)
    leader_row = next(row for row in _rows(page) if "2026年3月5日" in row)
    assert "接待领导：县委副书记" in leader_row and "党政领导信访接待日" in leader_row
    scopes = page[page.index('<dl class="scopes">') :]
    assert f'党政领导信访接待日：</dt><dd class="text">{STANDARD_LEADER_SCOPE}' in scopes
    assert f'律师接待窗口：</dt><dd class="text">{STANDARD_SCOPE}' in scopes
    _leader_day(session_factory, world.roster_id, dt.date(2026, 3, 12), "接待领导：县长", scope="专门接待欠薪来访。")
    month = _text(client, MARCH)
    assert "专门接待欠薪来访。" in month and STANDARD_LEADER_SCOPE in month


def test_a_weekend_make_up_workday_is_labelled(client: FlaskClient, session_factory: sessionmaker[Session]) -> None:
    # 28 February 2026 (a Saturday) is an official make-up workday (调休) of the Spring Festival.
    build_roster(session_factory, start=dt.date(2026, 2, 28), duties=2)  # Sat 28 Feb, Sat 7 Mar (a weekend)
    rows = _rows(_text(client, "/notice/522326/week/2026/9")) + _rows(_text(client, WEEK_10))
    assert ["调休上班" in row for row in rows] == [True, False]


def test_a_cancelled_duty_is_marked_until_its_day_passes(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    with transaction(session_factory) as session:
        session.get_one(Duty, world.duty_ids[1]).cancelled_at = utcnow()
    app.config["TODAY"] = dt.date(2026, 3, 1)
    [row] = _rows(_text(client, "/notice/522326/week/2026/11"))
    assert "已取消" in row
    app.config["TODAY"] = dt.date(2026, 3, 20)
    assert _rows(_text(client, "/notice/522326/week/2026/11")) == []


def test_the_notice_ends_with_its_issuing_office_and_date_not_versions_or_software(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory)  # published on 1 February 2026
    page = _text(client, MARCH)
    issuer = re.search(r'<p class="issuer">(.*?)</p>', page, flags=re.S)
    assert issuer and re.findall(r"<span[^>]*>([^<]+)</span>", issuer.group(1)) == ["望谟县信访局", "2026年2月1日"]
    assert "版" not in re.sub(r"<[^>]+>", "", page)  # no version numbers in what a reader sees
    assert "开源软件" not in page and '<footer class="site' not in page


def test_the_week_before_a_roster_starts_points_to_the_next_duties(
    app: Flask, client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, duties=8)  # Wednesdays from 4 March to 22 April
    app.config["TODAY"] = dt.date(2026, 2, 25)
    page = _text(client, "/notice/522326")
    assert "近期值班安排" in page and "暂无已公布" not in page
    assert _dates(page) == [f"2026年3月{day}日" for day in (4, 11, 18, 25)] + ["2026年4月1日"]
    # A week that has passed keeps its plain answer.
    app.config["TODAY"] = dt.date(2026, 5, 1)
    past = _text(client, "/notice/522326/week/2026/9")
    assert "近期值班安排" not in past and "暂无已公布的值班安排" in past


def test_the_phone_and_print_rules_of_the_notice_are_in_the_stylesheet(client: FlaskClient) -> None:
    _status, css = _static(client, "/static/app.css")
    phone = re.search(r"@media screen and \(max-width: 599\.98px\)", css)
    assert phone and "td::before" in css[phone.end() :] and "attr(data-label)" in css
    assert re.search(r"h2 \{[^}]*break-after: avoid", css)


def test_the_expected_calendar_warning_shows_only_on_days_planned_on_it(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    with transaction(session_factory) as session:
        session.get_one(Roster, world.roster_id).provisional = True  # a roster reaching into an expected year
    assert "预计的节假日安排" not in _text(client, MARCH)  # March 2026 itself is official
    with transaction(session_factory) as session:
        # 2026 as if only its expected arrangement were known.
        session.add(HolidayOverride(year=2026, date=dt.date(2026, 10, 1), kind="off", name="国庆节", confirmed=False))
    assert "预计的节假日安排" in _text(client, MARCH)


def _visible_main(page: str) -> str:
    main = page[page.index("<main>") : page.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_the_chinese_notice_shows_no_latin_words_and_the_english_one_reads_english(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    _leader_day(session_factory, world.roster_id, dt.date(2026, 3, 5), "接待领导：县委副书记")
    for url in (MARCH, WEEK_10, "/notice/522326", "/"):
        assert re.findall(r"[A-Za-z]{2,}", _visible_main(_text(client, url))) == [], url
    client.get("/language/en")
    page = _visible_main(_text(client, MARCH))
    for english in ("March 2026", "Leader reception day", "Assist Party and government leaders", "Subscribe"):
        assert english in page
    # Only the data stays Chinese (names, firms, the address, the leader's note), not the notice's own words.
    assert not any(word in page for word in ("接待范围", "调休上班", "值班律师纪律", "近期值班安排", "一键订阅"))
