"""In the browser: a lawyer asks for days off before the deadline, the planner declines with a reason, and
the lawyer reads it on their page."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import Page, expect

from scheduler.db import transaction
from scheduler.people import availability_requests as requests
from tests.e2e.conftest import LiveServer, account_lawyer, screenshot, sign_in

PERIOD = (dt.date(2026, 4, 6), dt.date(2026, 5, 3))


def test_a_lawyer_asks_for_days_off_and_reads_the_planner_s_reason(page: Page, live_server: LiveServer) -> None:
    with transaction(live_server.sessions) as session:
        window = requests.open_window(session, *PERIOD, dt.date(2026, 2, 1), dt.date(2026, 2, 28), "e2e").id
    _lawyer_id, name, _token = account_lawyer(live_server, "lawyer")

    sign_in(page, "lawyer")
    section = page.locator("#my-availability")
    expect(section).to_contain_text("请在 2026年2月28日 前提交")
    page.locator(f"#off-start-{window}").fill("2026-04-13")
    page.locator(f"#off-end-{window}").fill("2026-04-14")
    page.locator(f"#off-reason-{window}").fill("外地开庭")
    section.get_by_role("button", name="提交不能值班的日期").click()
    expect(page.locator("p.flash")).to_have_text("已提交申请，等待审批。")
    row = page.locator("table.availability-requests tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("2026年4月13日 至 2026年4月14日 不能值班（外地开庭）")
    expect(row).to_contain_text("待审批")
    page.context.clear_cookies()

    sign_in(page, "planner")
    page.goto("/availability/")
    pending = page.locator("table.availability-requests tbody tr", has_text=name)
    pending.get_by_label("不批准的理由").fill("四月中旬人手不足，请另行调换")
    pending.get_by_role("button", name="不批准").click()
    expect(page.locator("p.flash")).to_have_text("已不予批准，律师会看到理由。")
    page.context.clear_cookies()

    sign_in(page, "lawyer")
    row = page.locator("table.availability-requests tbody tr")
    expect(row).to_contain_text("未批准")
    expect(row).to_contain_text("四月中旬人手不足，请另行调换")
    screenshot(page, "lawyer-availability")
