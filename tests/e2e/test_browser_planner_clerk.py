"""In a real browser: a planner solves and publishes a period; a clerk swaps two duties from a suggestion; the
public notice and the lawyer's calendar feed follow."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Dialog, Locator, Page, expect
from sqlalchemy import select

from scheduler.models import Duty, Office, Roster
from scheduler.planning.jobs import JobRunner
from tests.e2e.conftest import (
    APRIL,
    MARCH,
    OFFICE_CODE,
    LiveServer,
    OnDuty,
    account_lawyer,
    published_duties,
    screenshot,
    sign_in,
)

RUNNER = "scheduler.solve_runner"  # where scheduler.web.planner.blueprint keeps the application's solve runner
SOLVE_SECONDS = 30_000  # how long the test waits for a solve whose own limit is 5 s (ms)


class GatedRunner:
    """Holds each submitted job until `release()`, then hands it to the application's real runner.

    The page of a job that finished before the browser got there shows the result at once; holding the job
    lets the test see it queued, see the page poll its JSON, and then see it finish.
    """

    def __init__(self, inner: JobRunner) -> None:
        self.inner = inner
        self.gate = threading.Event()
        self.waiting: list[threading.Thread] = []

    def submit(self, job_id: int) -> None:
        def later() -> None:
            self.gate.wait()
            self.inner.submit(job_id)

        thread = threading.Thread(target=later, name=f"gated-job-{job_id}", daemon=True)
        self.waiting.append(thread)
        thread.start()

    def release(self) -> None:
        self.gate.set()
        for thread in self.waiting:
            thread.join(timeout=10)


@pytest.fixture
def gated(live_server: LiveServer) -> Iterator[GatedRunner]:
    real: JobRunner = live_server.app.extensions[RUNNER]
    gate = GatedRunner(real)
    live_server.app.extensions[RUNNER] = gate
    yield gate
    gate.release()
    live_server.app.extensions[RUNNER] = real


def _iso_week(day: dt.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def _notice_week(day: dt.date) -> str:
    year, week = _iso_week(day)
    return f"/notice/{OFFICE_CODE}/week/{year}/{week}"


def _duty_row(page: Page, day: dt.date) -> Locator:
    """The notice's row of the duty on `day`."""
    return page.locator("table.duties tbody tr").filter(has_text=f"{day.year}年{day.month}月{day.day}日")


def _accept_next_dialog(page: Page, seen: list[str]) -> None:
    def accept(dialog: Dialog) -> None:
        seen.append(dialog.message)
        dialog.accept()

    page.once("dialog", accept)


def test_a_planner_solves_a_period_watches_the_progress_and_publishes_it(
    page: Page, live_server: LiveServer, gated: GatedRunner
) -> None:
    assert published_duties(live_server, *APRIL) == []
    sign_in(page, "planner")
    expect(page).to_have_url(f"{live_server.url}/planner/")
    expect(page.get_by_role("heading", level=1)).to_have_text("排班")
    expect(page.locator("table.periods")).to_contain_text("2026年3月2日 – 2026年3月29日")

    page.get_by_label("开始日期").fill(APRIL[0].isoformat())
    page.get_by_label("结束日期").fill(APRIL[1].isoformat())
    page.get_by_label("求解时间上限（秒）").fill("5")
    expect(page.get_by_label("先按各信访局的接待日生成本时段的窗口值班")).to_be_checked()
    page.get_by_role("button", name="开始求解").click()

    expect(page).to_have_url(re.compile(r"/planner/jobs/\d+$"))
    job_id = int(page.url.rsplit("/", 1)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("求解 2026年4月1日 至 2026年4月30日")
    state = page.locator('[data-field="state"]')
    bar = page.get_by_role("progressbar", name="求解进度")
    expect(state).to_have_text("排队中")
    expect(bar).to_have_attribute("value", "0")

    # The page asks for the job's JSON by itself while the job waits ...
    json_url = f"{live_server.url}/planner/jobs/{job_id}.json"
    polls: list[str] = []
    page.on("response", lambda response: polls.append(response.url) if response.url == json_url else None)
    with page.expect_response(json_url) as first_poll:
        pass
    assert first_poll.value.status == 200
    assert first_poll.value.json()["state"] == "queued"
    screenshot(page, "planner-job-queued")

    # ... and, once the solver has run, reloads itself to show the finished job: nobody reloads it here.
    gated.release()
    expect(state).to_have_text("已完成", timeout=SOLVE_SECONDS)
    expect(bar).to_have_attribute("value", "100")
    expect(page.locator('[data-field="time_left_s"]')).to_have_text("0")
    assert len(polls) >= 2, polls
    screenshot(page, "planner-job-finished")

    page.get_by_role("link", name="审阅草稿").click()
    expect(page).to_have_url(re.compile(r"/planner/rosters/\d+$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("2026年4月1日 至 2026年4月30日 排班表第 1 版")
    expect(heading).to_contain_text("草稿")
    expect(page.locator("dl.facts")).to_contain_text("5 次值班，10 个岗位，已排 10 个")  # the Wednesdays of April
    expect(page.locator("figure.chart svg")).to_be_visible()
    expect(page.get_by_text("每次值班都已排满。")).to_be_visible()
    screenshot(page, "planner-review")

    # The draft is nowhere public yet.
    assert published_duties(live_server, *APRIL) == []
    seen: list[str] = []
    _accept_next_dialog(page, seen)
    page.get_by_label("说明（可选）").fill("四月排班")
    page.get_by_role("button", name="发布这一版").click()
    expect(page.get_by_role("status")).to_have_text("已发布第 1 版。")
    expect(heading).to_contain_text("已发布")
    expect(page.get_by_role("button", name="发布这一版")).to_have_count(0)
    assert seen and "确定发布吗" in seen[0]

    april = published_duties(live_server, *APRIL)
    assert sorted({d.date for d in april}) == [dt.date(2026, 4, day) for day in (1, 8, 15, 22, 29)]
    page.goto(_notice_week(dt.date(2026, 4, 1)))
    row = _duty_row(page, dt.date(2026, 4, 1))
    expect(row).to_have_count(1)
    for person in (d for d in april if d.date == dt.date(2026, 4, 1)):
        expect(row).to_contain_text(person.name)
    # The notice shows no version number: its issuing line carries the office and the publication day.
    expect(page.locator("article.notice")).to_have_attribute("data-roster-versions", "1")
    expect(page.locator("p.issuer .issuer-name")).to_have_text("望谟县信访局")


def _feed_events(body: str) -> dict[str, str]:
    """The feed's events as DTSTART value -> STATUS."""
    events = {}
    for block in body.split("BEGIN:VEVENT")[1:]:
        start = re.search(r"^DTSTART[^:]*:(\S+)", block, re.M)
        status = re.search(r"^STATUS:(\S+)", block, re.M)
        assert start is not None, block
        events[start.group(1)] = status.group(1) if status else "CONFIRMED"
    return events


def _stamp(duty: OnDuty) -> str:
    return f"{duty.date:%Y%m%d}T{duty.start:%H%M%S}"


def test_a_clerk_swaps_two_duties_from_a_suggestion_and_the_notice_and_feed_follow(
    page: Page, live_server: LiveServer
) -> None:
    lawyer_id, name, token = account_lawyer(live_server, "lawyer")
    march = published_duties(live_server, *MARCH)
    mine = next(d for d in march if d.lawyer_id == lawyer_id)
    feed = f"{live_server.url}/calendars/private/{token}.ics"
    assert _feed_events(live_server.get(feed)[2]) == {_stamp(d): "CONFIRMED" for d in march if d.lawyer_id == lawyer_id}

    sign_in(page, "clerk")
    expect(page).to_have_url(f"{live_server.url}/clerk/")
    year, week = _iso_week(mine.date)
    page.goto(f"/clerk/week/{year}/{week}")
    office = page.locator(f"#office-{OFFICE_CODE}")
    expect(office.get_by_role("heading", level=2)).to_have_text("望谟县信访局")
    office.locator("table.duties tbody tr").filter(has_text=f"{mine.date.month}月{mine.date.day}日").get_by_role(
        "link", name=re.compile(f"^{re.escape(name)}")
    ).click()

    expect(page).to_have_url(re.compile(rf"/clerk/duties/{mine.duty_id}\?lawyer={lawyer_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("换班或代班")
    expect(page.locator("ul.team")).to_contain_text("（正在为其安排）")
    expect(page.get_by_role("heading", name=f"{name} 与谁换班")).to_be_visible()
    swaps = page.locator("table.swaps tbody tr").filter(has_not_text="—")
    expect(swaps.first).to_be_visible()
    expect(page.locator("table.covers tbody tr").first).to_be_visible()
    screenshot(page, "clerk-swap-suggestions")

    # The first suggestion: a colleague and the duty of theirs the lawyer takes in return.
    choice = swaps.first
    partner_name = choice.locator("th").inner_text().split("（")[0].strip()
    partner_duty = choice.locator("td").first.inner_text()
    partner = next(
        d for d in march if d.name == partner_name and f"{d.date.year}年{d.date.month}月{d.date.day}日" in partner_duty
    )
    assert partner.duty_id != mine.duty_id
    choice.get_by_role("button", name="查看方案").click()

    expect(page).to_have_url(re.compile(r"/clerk/proposals/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("换班方案")
    expect(page.get_by_role("heading", level=1)).to_contain_text("待处理")
    changes = page.locator("table.changes tbody tr")
    expect(changes).to_have_count(2)
    expect(changes.nth(0).locator("td.before")).to_contain_text(name)
    expect(changes.nth(0).locator("td.after")).to_contain_text(partner.name)
    expect(page.get_by_text("不违反任何硬性规则。")).to_be_visible()
    screenshot(page, "clerk-swap-proposal")
    # Nothing has changed before the proposal is accepted.
    assert published_duties(live_server, *MARCH) == march

    page.get_by_role("button", name="采纳并发布").click()
    expect(page.get_by_role("status")).to_have_text("已采纳，排班表第 2 版已发布。")
    expect(page.get_by_role("heading", level=1)).to_contain_text("已采纳")

    after = published_duties(live_server, *MARCH)
    team = {duty: {d.lawyer_id for d in after if d.duty_id == duty} for duty in (mine.duty_id, partner.duty_id)}
    assert lawyer_id not in team[mine.duty_id] and partner.lawyer_id in team[mine.duty_id]
    assert lawyer_id in team[partner.duty_id] and partner.lawyer_id not in team[partner.duty_id]

    # The public notice shows version 2: the partner on the lawyer's old duty, the lawyer on the partner's.
    page.goto(_notice_week(mine.date))
    row = _duty_row(page, mine.date)
    expect(row).to_contain_text(partner.name)
    expect(row).not_to_contain_text(re.compile(rf"{re.escape(name)}\s*（"))
    expect(page.locator("article.notice")).to_have_attribute("data-roster-versions", "2")
    screenshot(page, "notice-after-swap")
    page.goto(_notice_week(partner.date))
    expect(_duty_row(page, partner.date)).to_contain_text(name)

    # The lawyer's feed moves the duty: the new date is confirmed; the old one stays, cancelled, so that
    # calendar apps remove it (it drops out of the feed some days later).
    status, content_type, body = live_server.get(feed)
    assert status == 200 and content_type.startswith("text/calendar")
    kept = {_stamp(d): "CONFIRMED" for d in march if d.lawyer_id == lawyer_id and d.duty_id != mine.duty_id}
    assert _feed_events(body) == {**kept, _stamp(partner): "CONFIRMED", _stamp(mine): "CANCELLED"}, body
    with live_server.sessions() as session:
        current = session.scalars(
            select(Roster.version).where(Roster.period_start == MARCH[0], Roster.status == "published")
        ).one()
        office_name = session.scalar(
            select(Office.name).join(Duty, Duty.office_id == Office.id).where(Duty.id == partner.duty_id)
        )
    assert current == 2 and office_name == "望谟县信访局"
