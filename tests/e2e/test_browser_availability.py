"""In the browser: a lawyer asks for days off before the deadline, the planner declines with a reason, and
the lawyer reads it on their page."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

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


def test_a_clerk_records_a_case_assigns_the_first_suggestion_and_a_bad_opinion_is_refused(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    sign_in(page, "clerk")
    page.goto("/cases/new")
    page.get_by_label("案件名称（不写信访人身份）").fill("某村征地补偿争议")
    page.get_by_label("案件类别").fill("土地征收")
    page.get_by_label("包案领导").fill("王副县长")
    page.get_by_label("办理期限").fill("2026-03-10")
    page.get_by_role("button", name="登记").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("委托2026-001 · 某村征地补偿争议")
    suggestions = page.locator("table.suggestions tbody tr")
    expect(suggestions.first).to_contain_text("执业 16 年，在办案件 0 件")
    suggestions.first.get_by_role("checkbox").check()
    page.get_by_role("button", name="保存承办律师").click()
    expect(page.locator("p.flash")).to_have_text("已更新承办律师。")
    bad = tmp_path / "意见书.pdf"
    bad.write_bytes(b"MZ this is no PDF")
    page.locator("#opinions input[type=file]").set_input_files(str(bad))
    page.locator("#opinions").get_by_role("button", name="上传").click()
    expect(page.locator("#opinions .error")).to_contain_text("文件内容不是 PDF 文档")
    expect(page.locator("#opinions")).to_contain_text("尚未上传法律意见书。")
    screenshot(page, "case-detail")
