"""In a real browser, on the demo prefecture: every office's month prints on one A4 page, a phone shows cards.

The demo (scheduler.demo, ten offices, about 150 lawyers) is built as `scheduler demo` builds it, for the
tests' pinned today (Friday 20 February 2026): its roster runs from Monday 23 February to 24 May 2026,
solved, checked by the independent checker and published. March and April are whole months of it, with
leader reception days; 兴义市 and the prefecture bureau close for lunch (two sessions, two lawyers a window).
PDFs and screenshots are kept under test-artifacts/ (ignored by git) for people to look at.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from scheduler.db import make_engine, make_session_factory, transaction
from scheduler.demo import OFFICES, build_demo
from scheduler.models import Duty, DutyType, Office
from scheduler.planning.problem_builder import build_problem
from scheduler.planning.solving import solve_period
from scheduler.rosters import versions
from scheduler.rosters.notice_board import month_of
from scheduler.rosters.publishing import publish_draft
from scheduler.solver import SolveParams, check
from tests.builders import settings_for
from tests.e2e.conftest import SCREENSHOTS, TODAY, LiveServer, screenshot

PDFS = SCREENSHOTS.parent / "notice-pdf"
MONTHS = ((2026, 3), (2026, 4))
PHONE = {"width": 390, "height": 844}
READABLE_PX = 200  # below this a cell of Chinese text wraps after a few characters
XINGYI = "522301"  # two sessions (09:00–12:00、14:30–17:30) and two lawyers a window


@pytest.fixture(scope="module")
def e2e_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo prefecture with its roster solved, checked and published (overrides the county's database)."""
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine, settings_for(f"sqlite:///{path}", path.parent))
    try:
        with transaction(factory) as session:
            summary = build_demo(session, TODAY)
        params = SolveParams(time_limit_s=30, workers=1, seed=0)
        solve_period(factory, summary.start, summary.end, params, actor="test", today=TODAY)
        with transaction(factory) as session:
            roster = publish_draft(session, summary.start, summary.end, "test")
            problem = build_problem(session, summary.start, summary.end, today=TODAY).problem
            assert check(problem, versions.assignments_of(roster)).violations == ()
    finally:
        engine.dispose()
    return path


def _pdf_pages(pdf: bytes) -> int:
    """The page count of a PDF that Chromium wrote (its page objects are not compressed)."""
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    counted = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf, re.S) or re.search(rb"/Count\s+(\d+)", pdf)
    assert counted is not None and int(counted.group(1)) == pages, "unreadable PDF page tree"
    return pages


def _days(year: int, month: int) -> tuple[dt.date, dt.date]:
    period = month_of(dt.date(year, month, 1))
    return period.start, period.end


def _month(code: str, year: int, month: int) -> str:
    return f"/notice/{code}/month/{year}/{month}"


@pytest.mark.parametrize(("year", "month"), MONTHS)
def test_a_month_of_each_demo_office_prints_on_one_a4_page(
    page: Page, live_server: LiveServer, year: int, month: int
) -> None:
    PDFS.mkdir(parents=True, exist_ok=True)
    with live_server.sessions() as session:
        leader_days = set(
            session.scalars(
                select(Office.code)
                .join(Duty, Duty.office_id == Office.id)
                .join(DutyType, DutyType.id == Duty.duty_type_id)
                .where(Duty.date.between(*_days(year, month)), DutyType.code == "leader_day")
            )
        )
    assert len(leader_days) == len(OFFICES), "every demo office has a leader reception day in the month"
    for seed in OFFICES:
        page.goto(_month(seed.code, year, month))
        expect(page.locator(".period")).to_have_text(f"{year}年{month}月")
        expect(page.locator("table.duties tr.leader-day")).not_to_have_count(0)
        expect(page.locator("p.issuer .issuer-name")).to_have_text(seed.name)
        pdf = page.pdf(format="A4", prefer_css_page_size=True)
        path = PDFS / f"notice-{seed.code}-{year}-{month:02d}.pdf"
        path.write_bytes(pdf)
        assert _pdf_pages(pdf) == 1, f"{seed.name} {year}年{month}月 prints on more than one page: {path}"
    print(f"notice PDFs: {PDFS}")


def test_a_month_with_a_lunch_break_shows_both_sessions_and_the_receiving_leader(
    page: Page, live_server: LiveServer
) -> None:
    page.goto(_month(XINGYI, 2026, 3))
    windows = page.locator("table.duties tr.duty:not(.leader-day)")
    expect(windows.first.locator("td.hours")).to_have_text("09:00–12:00、14:30–17:30")
    expect(windows.first.locator("td.lawyers li")).to_have_count(2)
    leader = page.locator("table.duties tr.leader-day").first
    expect(leader.locator("td.kind")).to_have_text("党政领导信访接待日")
    expect(leader.locator("td.remarks")).to_contain_text("接待领导：县（市、区）委副书记")
    scopes = page.locator("dl.scopes")
    expect(scopes).to_contain_text("党政领导信访接待日：")
    expect(scopes).to_contain_text("协助党政领导接待来访群众")


def test_on_a_phone_each_duty_is_a_card_with_readable_lines(page: Page, live_server: LiveServer) -> None:
    page.set_viewport_size(PHONE)
    page.goto(_month(XINGYI, 2026, 3))
    expect(page.locator("table.duties thead")).to_be_hidden()
    width = page.evaluate("() => document.documentElement.clientWidth")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    cards = page.locator("table.duties tr.duty")
    assert cards.count() >= 5
    previous_bottom = 0.0
    for card in cards.all():
        box = card.bounding_box()
        assert box is not None and box["width"] >= width - 40, f"a card is {box} wide on a {width} px screen"
        assert box["y"] >= previous_bottom, "the cards overlap instead of stacking"
        previous_bottom = box["y"] + box["height"]
        for cell in card.locator("td:visible").all():
            cell_box = cell.bounding_box()
            assert cell_box is not None and cell_box["width"] >= READABLE_PX, f"a line is {cell_box} wide"
    hours = cards.first.locator("td.hours")
    expect(hours).to_contain_text("09:00–12:00")
    # Each line carries its label, as the column heading a phone does not show.
    label = hours.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"时间"', label
    path = screenshot(page, "notice-phone-390")
    print(f"phone screenshot: {path}")


def test_this_week_before_the_roster_starts_lists_the_next_five_duties(page: Page, live_server: LiveServer) -> None:
    page.goto(f"/notice/{XINGYI}")  # the week of Friday 20 February; the roster starts on Monday 23
    expect(page.locator("p.empty")).to_have_text("本时段暂无值班安排。")
    upcoming = page.locator("section.upcoming tr.duty")
    expect(upcoming).to_have_count(5)
    first = upcoming.first.locator("td.date")
    expect(first).to_have_text(re.compile(r"^2026年2月2[3-9]日$"))
