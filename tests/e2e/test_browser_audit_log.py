"""In a real browser: a clerk reads the audit log as sentences, filters it by a lawyer, and exports it."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from scheduler.db import transaction
from scheduler.rosters import proposals
from tests.e2e.conftest import MARCH, LiveServer, published_duties, screenshot, sign_in
from tests.integration.roster_fixtures import TODAY


def test_a_clerk_reads_the_audit_log_as_sentences_filters_it_and_exports_it(
    page: Page, live_server: LiveServer
) -> None:
    duties = published_duties(live_server, *MARCH)
    first = duties[0]
    other = next(
        d
        for d in duties
        if d.date != first.date and d.lawyer_id not in {x.lawyer_id for x in duties if x.duty_id == first.duty_id}
    )
    with transaction(live_server.sessions) as session:
        swap = proposals.propose_swap(
            session,
            first.duty_id,
            first.lawyer_id,
            other.duty_id,
            other.lawyer_id,
            "user:clerk",
            "家中有事",
            today=TODAY,
        )
        proposals.accept(session, swap.id, "user:clerk", override_reason="演示", today=TODAY)
    sign_in(page, "clerk")
    page.goto("/clerk/audit")
    log = page.locator("table.audit")
    sentence = f"由 {first.name} 换为 {other.name}"
    expect(log).to_contain_text(sentence)
    expect(log).to_contain_text("（窗口）将望谟县信访局")
    expect(log).not_to_contain_text("user:")
    page.get_by_label("人员").fill(other.name)
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("table.audit tbody tr").first).to_contain_text(other.name)
    screenshot(page, "clerk-audit-log")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 Excel").click()
    path = download.value.path()
    sheet = load_workbook(io.BytesIO(path.read_bytes())).active
    assert sheet is not None
    rows = [row for row in sheet.iter_rows(values_only=True)][1:]
    assert rows and all(other.name in str(row[3]) for row in rows)
    assert any(sentence in str(row[3]) for row in rows)
