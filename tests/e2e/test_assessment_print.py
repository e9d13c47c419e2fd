"""In a real browser: the planner grades the year, overrides one lawyer's grade with a reason, and prints the
report for the joint meeting to an A4 PDF (kept under test-artifacts/ for people to look at)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import SCREENSHOTS, LiveServer, screenshot, sign_in

PDFS = SCREENSHOTS.parent / "assessment-pdf"
A4_POINTS = (595, 842)  # 210 x 297 mm


def test_the_planner_grades_overrides_and_prints_the_assessment(page: Page, live_server: LiveServer) -> None:
    sign_in(page, "planner")
    page.goto("/planner/reports/assessment?year=2026&threshold=2")
    page.get_by_role("button", name="计算考核等次").click()
    expect(page.locator("p.flash")).to_contain_text("名律师的考核等次")
    cell = page.locator("td.grade").first
    expect(cell.locator("strong")).to_have_text("称职")
    cell.locator("summary").click()
    cell.locator("select[name=grade]").select_option("excellent")
    cell.locator("input[name=reason]").fill("承办疑难案件成效突出")
    cell.get_by_role("button", name="保存").click()
    expect(page.locator("p.flash")).to_have_text("已调整考核等次。")
    expect(page.locator("td.grade").first.locator("strong")).to_have_text("优秀")
    expect(page.locator("section.commendation")).to_contain_text("优秀律师（1 名）")
    page.locator("td.grade details").nth(1).locator("summary").click()
    screenshot(page, "assessment-grades")

    page.get_by_role("link", name="打印考核报告（联席会议）").click()
    expect(page.locator("h1")).to_have_text("2026 年度信访值班律师考核结果")
    assert page.locator("nav").count() == 0
    expect(page.locator("p.issuer")).to_contain_text("黔西南州司法局")
    screenshot(page, "assessment-print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    PDFS.mkdir(parents=True, exist_ok=True)
    (PDFS / "assessment-2026.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box is not None and (round(float(box.group(1))), round(float(box.group(2)))) == A4_POINTS
