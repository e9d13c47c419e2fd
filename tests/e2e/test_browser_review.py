"""In the browser: the review's roster table prints on A4 landscape, and the assessment page stays compact in
English with a prefecture's worth of lawyers."""

from __future__ import annotations

import re
import secrets

from playwright.sync_api import Page
from sqlalchemy import select

from scheduler.core.licence import make_licence
from scheduler.db import transaction
from scheduler.models import LawFirm, Lawyer, Office, Roster
from tests.e2e.conftest import LiveServer, screenshot, sign_in

A4_LANDSCAPE_PT = (842, 595)  # A4 in PDF points, long side first


def _pdf_page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of each page of a PDF Chromium printed (its /MediaBox entries)."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def test_the_review_shows_the_roster_table_and_prints_it_on_a4_landscape(page: Page, live_server: LiveServer) -> None:
    with live_server.sessions() as session:
        roster_id = session.scalars(select(Roster.id).where(Roster.status == "published")).one()
    sign_in(page, "planner")
    page.goto(f"/planner/rosters/{roster_id}")
    grid = page.locator("table.roster-grid")
    assert grid.locator("tbody tr").count() == 4  # the four Wednesdays of March
    assert "望谟县信访局" in grid.locator("thead").inner_text()
    assert page.locator("table.per-lawyer tbody tr").count() == 8
    screenshot(page, "review")
    pdf = page.pdf(prefer_css_page_size=True)
    sizes = _pdf_page_sizes(pdf)
    assert sizes, "no pages in the printed PDF"
    assert all(abs(w - A4_LANDSCAPE_PT[0]) < 2 and abs(h - A4_LANDSCAPE_PT[1]) < 2 for w, h in sizes), sizes
    page.emulate_media(media="print")
    assert not page.locator("header.site").is_visible() and not page.locator("nav.sub").is_visible()


def test_the_assessment_page_in_english_stays_compact_with_a_prefectures_lawyers(
    page: Page, live_server: LiveServer
) -> None:
    with transaction(live_server.sessions) as session:
        office = session.scalars(select(Office)).first()
        firm = LawFirm(name="贵州万峰(兴义)律师事务所", credit_code="31522301MD0000777X")
        for i in range(160):
            lawyer = Lawyer(
                name=f"考核律师{i:03d}",
                licence_no=make_licence("5223", 2012, 1, 7000 + i),
                firm=firm,
                first_practice_year=2012,
                calendar_token=secrets.token_urlsafe(24),
            )
            lawyer.offices = [office]
            session.add(lawyer)
    sign_in(page, "planner")
    page.goto("/language/en")
    page.goto("/planner/reports/assessment")
    assert page.locator("table.assessment").is_visible()
    assert "This field is required" not in page.locator("main").inner_text()
    height = page.evaluate("document.documentElement.scrollHeight")
    screenshot(page, "assessment-en")
    assert height < 3000, f"the English assessment page is {height} px tall"
