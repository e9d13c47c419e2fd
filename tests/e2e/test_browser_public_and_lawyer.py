"""In a real browser: the public duty notice (公示) and a lawyer's own page with the calendar subscription."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Dialog, Page, expect

from tests.e2e.conftest import (
    MARCH,
    OFFICE_CODE,
    OFFICE_EN,
    LiveServer,
    account_lawyer,
    published_duties,
    screenshot,
    sign_in,
)

WEEK_10 = f"/notice/{OFFICE_CODE}/week/2026/10"  # Monday 2 to Sunday 8 March 2026: the window of Wednesday 4 March
MONTH_3 = f"/notice/{OFFICE_CODE}/month/2026/3"
WEDNESDAY_4_MARCH = dt.date(2026, 3, 4)


def _hours(start: dt.time, end: dt.time) -> str:
    return f"{start:%H:%M}–{end:%H:%M}"


def _pdf_pages(pdf: bytes) -> int:
    """The page count of a PDF that Chromium wrote (its page objects are not compressed)."""
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    counted = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", pdf, re.S) or re.search(rb"/Count\s+(\d+)", pdf)
    assert counted is not None and int(counted.group(1)) == pages, "unreadable PDF page tree"
    return pages


def test_the_public_notice_shows_the_published_week_in_chinese(page: Page, live_server: LiveServer) -> None:
    on_duty = published_duties(live_server, WEDNESDAY_4_MARCH, WEDNESDAY_4_MARCH)
    assert len(on_duty) == 2, "the county's window needs two lawyers"

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.get_by_role("link", name="望谟县信访局").click()
    # The current week is the pinned today's (Friday 20 February 2026), before the roster starts.
    expect(page).to_have_url(re.compile(rf"/notice/{OFFICE_CODE}$"))
    expect(page.locator(".period")).to_have_text(re.compile(r"2026年2月16日\s*–\s*2026年2月22日"))
    # No duty this week: the notice points to the next ones instead of an empty page.
    expect(page.locator("p.empty")).to_have_text("本时段暂无值班安排。")
    upcoming = page.locator("section.upcoming")
    expect(upcoming.get_by_role("heading", name="近期值班安排")).to_be_visible()
    expect(upcoming.locator("td.date")).to_have_text([f"2026年3月{day}日" for day in (4, 11, 18, 25)])
    page.get_by_role("link", name="下一周 ›").click()
    page.get_by_role("link", name="下一周 ›").click()
    expect(page).to_have_url(re.compile(re.escape(WEEK_10) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_title(re.compile("望谟县信访局"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("律师值班公示")
    expect(page.locator(".period")).to_have_text(re.compile(r"2026年3月2日\s*–\s*2026年3月8日"))
    expect(page.locator("dl.place")).to_contain_text("望谟县王母街道")
    expect(page.locator("dl.place")).to_contain_text("0859-4610000")

    rows = page.locator("table.duties tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(0)).to_have_text("2026年3月4日")
    expect(cells.nth(1)).to_have_text("星期三")
    expect(cells.nth(2)).to_have_text(_hours(on_duty[0].start, on_duty[0].end))
    expect(cells.nth(3)).to_have_text("律师接待窗口值班")
    lawyers = cells.nth(4).locator("li")
    expect(lawyers).to_have_count(2)
    for item, person in zip(lawyers.all(), on_duty, strict=True):
        expect(item).to_have_text(re.compile(rf"^{re.escape(person.name)}\s*（{re.escape(person.firm)}）$"))

    texts = page.locator("section.texts")
    expect(texts.get_by_role("heading", name="值班律师纪律")).to_be_visible()
    expect(texts).to_contain_text("按时到岗，不得擅自离岗")
    expect(texts).to_contain_text("不收取任何费用")
    expect(texts.get_by_role("heading", name="来访须知")).to_be_visible()
    # The issuing line (落款): the office and the day of publication, no version number.
    expect(page.locator("p.issuer .issuer-name")).to_have_text("望谟县信访局")
    expect(page.locator("p.issuer .issuer-date")).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"))
    expect(page.locator("main")).not_to_contain_text("版")
    screenshot(page, "notice-week-zh")


def _overflow_px(page: Page) -> float:
    """How far the duty table reaches beyond the page's width (0 or less: it fits)."""
    return float(
        page.evaluate(
            "() => document.querySelector('table.duties').getBoundingClientRect().right"
            " - document.documentElement.clientWidth"
        )
    )


def test_the_week_and_the_month_notice_each_print_on_one_a4_page(page: Page, live_server: LiveServer) -> None:
    page.goto(WEEK_10)
    expect(page.get_by_role("button", name="打印")).to_be_visible()
    # The width of A4 at 96 dpi less the print stylesheet's margins (12 mm each side): 210 mm - 24 mm.
    page.set_viewport_size({"width": round((210 - 24) / 25.4 * 96), "height": 1000})
    page.emulate_media(media="print")
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.locator("nav.periods")).to_be_hidden()
    expect(page.locator("section.subscribe")).to_be_hidden()
    expect(page.locator("section.texts")).to_be_visible()
    assert _overflow_px(page) <= 0, "the week's duty table is wider than an A4 page"
    week = page.pdf(format="A4", prefer_css_page_size=True)
    assert week.startswith(b"%PDF-")
    assert _pdf_pages(week) == 1

    page.goto(MONTH_3)
    expect(page.locator("table.duties tbody tr")).to_have_count(4)  # the Wednesdays 4, 11, 18 and 25 March
    assert _overflow_px(page) <= 0, "the month's duty table is wider than an A4 page"
    assert _pdf_pages(page.pdf(format="A4", prefer_css_page_size=True)) == 1
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "notice-month-zh")


def test_switching_to_english_translates_the_notice_and_keeps_the_page(page: Page, live_server: LiveServer) -> None:
    on_duty = published_duties(live_server, WEDNESDAY_4_MARCH, WEDNESDAY_4_MARCH)
    page.goto(WEEK_10)
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(re.escape(WEEK_10) + "$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_contain_text(OFFICE_EN)
    cells = page.locator("table.duties tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("March 4, 2026")
    expect(cells.nth(1)).to_have_text("Wednesday")
    expect(cells.nth(4)).to_contain_text(on_duty[0].name)  # names stay as written
    expect(page.get_by_role("heading", name="Rules for lawyers on duty")).to_be_visible()
    expect(page.locator("section.texts")).to_contain_text("Arrive on time and do not leave the post")
    screenshot(page, "notice-week-en")

    # The choice lasts for the visit, and switching back restores Chinese.
    page.goto(MONTH_3)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", level=1)).to_contain_text("望谟县信访局")


def test_a_lawyer_sees_their_duties_and_a_working_calendar_feed_with_its_qr_code(
    page: Page, live_server: LiveServer
) -> None:
    lawyer_id, name, token = account_lawyer(live_server, "lawyer")
    mine = [d for d in published_duties(live_server, *MARCH) if d.lawyer_id == lawyer_id]
    assert mine, "the demo lawyer has duties in March"

    sign_in(page, "lawyer")
    expect(page).to_have_url(f"{live_server.url}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text("我的值班")
    expect(page.locator("p.who")).to_contain_text(name)
    upcoming = page.locator("table.duties tbody tr")
    expect(upcoming).to_have_count(len(mine))
    for row, duty in zip(upcoming.all(), mine, strict=True):
        expect(row).to_contain_text(f"{duty.date.year}年{duty.date.month}月{duty.date.day}日（星期三）")
        expect(row).to_contain_text(_hours(duty.start, duty.end))
        expect(row).to_contain_text("望谟县信访局 · 律师接待窗口值班")
        expect(row.get_by_role("link", name="换班或请人代班")).to_be_visible()

    feed = f"{live_server.url}/calendars/private/{token}.ics"
    expect(page.get_by_label("订阅地址")).to_have_value(feed)
    expect(page.get_by_role("link", name="一键订阅")).to_have_attribute(
        "href", feed.replace("http://", "webcal://", 1)
    )
    qr = page.locator("figure.qr svg")
    expect(qr).to_be_visible()
    expect(qr.locator("title")).to_have_text(feed)
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 100 and abs(box["width"] - box["height"]) < 1, box
    expect(page.locator("figure.qr figcaption")).to_have_text("用手机扫码打开订阅地址")
    screenshot(page, "lawyer-duties")

    status, content_type, body = live_server.get(feed)
    assert status == 200 and content_type.startswith("text/calendar"), (status, content_type)
    assert body.startswith("BEGIN:VCALENDAR")
    assert body.count("BEGIN:VEVENT") == len(mine)
    for duty in mine:
        assert f"{duty.date:%Y%m%d}T{duty.start:%H%M%S}" in body, body


def test_rotating_the_feed_address_makes_the_old_one_answer_404(page: Page, live_server: LiveServer) -> None:
    _lawyer_id, _name, token = account_lawyer(live_server, "lawyer")
    old = f"{live_server.url}/calendars/private/{token}.ics"
    assert live_server.get(old)[0] == 200

    sign_in(page, "lawyer")
    expect(page.get_by_label("订阅地址")).to_have_value(old)
    # The button asks for confirmation first; a person who cancels keeps the address.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="生成新的订阅地址").click()
    expect(page.get_by_label("订阅地址")).to_have_value(old)
    assert live_server.get(old)[0] == 200

    messages: list[str] = []

    def accept(dialog: Dialog) -> None:
        messages.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)
    page.get_by_role("button", name="生成新的订阅地址").click()
    expect(page.get_by_role("status")).to_contain_text("已生成新的订阅地址，旧地址已失效")
    assert messages and "旧地址立即失效" in messages[0]
    new = page.get_by_label("订阅地址").input_value()
    assert new != old and new.startswith(f"{live_server.url}/calendars/private/")
    expect(page.locator("figure.qr svg title")).to_have_text(new)

    assert live_server.get(old)[0] == 404
    status, content_type, body = live_server.get(new)
    assert status == 200 and content_type.startswith("text/calendar") and "BEGIN:VEVENT" in body
