"""In a real browser: an admin creates a clerk for one office; the clerk signs in with the temporary password,
must change it, and cannot act on another office's duty; the admin resets the password with a one-time link."""

from __future__ import annotations

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from scheduler.db import transaction
from scheduler.models import Duty, Office
from tests.e2e.conftest import MARCH, OFFICE_CODE, PLAYWRIGHT_TIMEOUT_MS, LiveServer, screenshot, sign_in

NEW_PASSWORD = "王芳的新密码 2026"
RESET_PASSWORD = "another passphrase 2026"


def _second_office(server: LiveServer) -> None:
    with transaction(server.sessions) as session:
        session.add(Office(code="522301", name="兴义市信访局", name_en="Xingyi Shi Petition Bureau"))


def _wangmo_duty(server: LiveServer) -> int:
    with server.sessions() as session:
        office = session.scalars(select(Office.id).where(Office.code == OFFICE_CODE)).one()
        return (
            session.scalars(
                select(Duty.id).where(Duty.office_id == office, Duty.date.between(*MARCH)).order_by(Duty.date)
            ).first()
            or 0
        )


def _fresh_page(browser: Browser, server: LiveServer) -> Page:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(PLAYWRIGHT_TIMEOUT_MS)
    return context.new_page()


def _set_password(page: Page, current: str, new: str) -> None:
    page.get_by_label("当前密码", exact=True).fill(current)
    page.get_by_label("新密码", exact=True).fill(new)
    page.get_by_label("再次输入新密码", exact=True).fill(new)
    page.get_by_role("button", name="保存新密码").click()
    page.wait_for_load_state()


def test_an_admin_creates_a_clerk_for_one_office_who_changes_the_password_and_stays_in_that_office(
    page: Page, browser: Browser, live_server: LiveServer
) -> None:
    _second_office(live_server)
    wangmo_duty = _wangmo_duty(live_server)
    sign_in(page, "admin")
    assert page.url.endswith("/admin/")
    expect(page.get_by_role("heading", name="账户")).to_be_visible()
    page.get_by_role("link", name="新建账户").first.click()
    page.get_by_label("用户名").fill("wangfang")
    page.get_by_label("显示名称").fill("王芳")
    page.get_by_label("角色").select_option("clerk")
    page.get_by_label("兴义市信访局").check()
    page.get_by_role("button", name="创建账户").click()
    temporary = page.locator("#temporary-password").inner_text().strip()
    assert len(temporary) >= 10
    screenshot(page, "accounts-temporary-password")
    page.goto("/admin/")
    expect(page.locator("table.accounts")).to_contain_text("王芳")
    expect(page.locator("table.accounts")).to_contain_text("待修改临时密码")
    screenshot(page, "accounts-admin-list")

    clerk = _fresh_page(browser, live_server)
    sign_in(clerk, "wangfang", temporary)
    assert "/account/password" in clerk.url  # a temporary password opens only the password page
    clerk.goto("/clerk/")
    assert "/account/password" in clerk.url
    screenshot(clerk, "accounts-change-temporary-password")
    _set_password(clerk, temporary, NEW_PASSWORD)
    expect(clerk.locator("p.flash")).to_contain_text("密码已更改")
    clerk.goto("/clerk/")
    expect(clerk.locator("header .account")).to_contain_text("王芳")
    week = clerk.locator("main").inner_text()
    assert "兴义市信访局" in week and "望谟县信访局" not in week
    refused = clerk.goto(f"/clerk/duties/{wangmo_duty}")
    assert refused is not None and refused.status == 403
    clerk.context.close()

    # The clerk forgot the password: the admin hands out a one-time link.
    page.goto("/admin/")
    page.get_by_role("link", name="wangfang").click()
    page.get_by_role("button", name="生成重置密码链接").click()
    link = page.locator("#reset-link").inner_text().strip()
    assert "/reset/" in link
    visitor = _fresh_page(browser, live_server)
    visitor.goto(link)
    visitor.get_by_label("新密码", exact=True).fill(RESET_PASSWORD)
    visitor.get_by_label("再次输入新密码", exact=True).fill(RESET_PASSWORD)
    visitor.get_by_role("button", name="设置新密码").click()
    visitor.wait_for_load_state()
    expect(visitor.locator("p.flash")).to_contain_text("新密码已设置")
    sign_in(visitor, "wangfang", RESET_PASSWORD)
    assert visitor.url.endswith("/clerk/")
    again = visitor.goto(link)
    assert again is not None and again.status == 404  # a link works once
    visitor.context.close()
