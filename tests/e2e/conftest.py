"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, the app served on loopback, real data.

The data is the county of tests/integration/roster_fixtures.py (one office, 望谟县信访局; eight lawyers in
two firms), built once per run through the real services, solver included: March 2026 solved and published,
April left for the planner (no duties yet), and the demo accounts admin, planner, clerk and lawyer with the
demo passwords (the lawyer account is the lawyer's with the lowest licence number). Each test gets its own
copy of that database behind its own server, so tests that publish, swap or rotate tokens do not meet.

The server is werkzeug's threaded server on 127.0.0.1 and a free port, in a thread of the test process; the
application's TODAY is pinned to 2026-02-20, and its base URL is the server's, so the feed addresses the
pages show can be fetched. Nothing leaves the loopback interface.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.serving import BaseWSGIServer, make_server

from scheduler.config import Settings
from scheduler.db import make_engine, make_session_factory, transaction
from scheduler.models import Assignment, Duty, Lawyer, Office, Roster
from scheduler.models.accounts import User
from scheduler.people.accounts import DEMO_ACCOUNTS, create_demo_accounts
from scheduler.web import create_app
from tests.builders import settings_for
from tests.integration.roster_fixtures import END, START, TODAY, published_county

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORDS = {username: password for username, _role, password in DEMO_ACCOUNTS}

OFFICE_CODE = "522326"  # 望谟县信访局, the county's only office
OFFICE_EN = "Wangmo Xian Petition Bureau"
MARCH = (START, END)  # published: Wednesdays 4, 11, 18 and 25 March 2026, two lawyers each
APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))  # nothing yet: the planner generates its duties and solves it
PLAYWRIGHT_TIMEOUT_MS = 15_000
# .ci/run sets this: there a missing browser fails the run instead of skipping the browser tests.
REQUIRE_BROWSER = "SCHEDULER_REQUIRE_BROWSER"
E2E_DIR = Path(__file__).resolve().parent


def missing_browser() -> str | None:
    """Why the browser tests cannot run here, or None when Debian's Chromium is installed."""
    if not Path(CHROMIUM).is_file():
        return f"Chromium not found at {CHROMIUM}; install it with: apt-get install chromium fonts-noto-cjk"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the browser tests where Chromium is missing, unless they are required (CI)."""
    missing = missing_browser()
    browser_tests = [item for item in items if E2E_DIR in item.path.parents]
    if missing is None or not browser_tests:
        return
    if os.environ.get(REQUIRE_BROWSER) == "1":
        raise pytest.UsageError(f"{REQUIRE_BROWSER}=1 but the browser tests cannot run: {missing}")
    config.stash[_SKIPPED] = (len(browser_tests), missing)
    for item in browser_tests:
        item.add_marker(pytest.mark.skip(reason=missing))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """One line naming why the browser tests were skipped and how to run them."""
    skipped = config.stash.get(_SKIPPED, None)
    if skipped:
        count, missing = skipped
        terminalreporter.write_line(f"{count} browser tests skipped: {missing}", yellow=True)


_SKIPPED = pytest.StashKey[tuple[int, str]]()


@pytest.fixture(scope="session")
def e2e_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The county's database, built once: March 2026 solved and published, the demo accounts."""
    path = tmp_path_factory.mktemp("e2e") / "county.sqlite3"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    factory = make_session_factory(engine, settings_for(f"sqlite:///{path}", path.parent))
    try:
        published_county(factory)
        with transaction(factory) as session:
            office = session.scalars(select(Office).where(Office.code == OFFICE_CODE)).one()
            office.name_en = OFFICE_EN
            create_demo_accounts(session)
    finally:
        engine.dispose()
    return path


@dataclass
class LiveServer:
    """The application under test, answering at `url`, and a way into its database."""

    url: str
    app: Flask
    engine: Engine
    sessions: sessionmaker[Session]

    def get(self, path: str) -> tuple[int, str, str]:
        """GET `path` (or an absolute URL on this server) outside the browser: status, content type, body."""
        target = path if path.startswith("http") else self.url + path
        try:
            with urllib.request.urlopen(target, timeout=10) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.headers.get("Content-Type", ""), error.read().decode("utf-8", "replace")


@pytest.fixture
def live_server(e2e_database: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """A fresh copy of the county's database, served on 127.0.0.1 at a free port until the test ends."""
    database = tmp_path / "live.sqlite3"
    shutil.copy(e2e_database, database)
    # Port 0: the operating system picks a free port when the server binds; the app, which needs the base
    # URL, is attached right after.
    server: BaseWSGIServer = make_server("127.0.0.1", 0, app=None, threaded=True)  # type: ignore[arg-type]
    url = f"http://127.0.0.1:{server.server_port}"
    settings = Settings(
        instance_dir=tmp_path / "instance",
        database_url=f"sqlite:///{database}",
        secret_key="e2e-" + secrets.token_hex(16),
        calendars_dir=tmp_path / "calendars",
        base_url=url,
        # Feeds are served at the real now, the demo roster lies at TODAY: keep all its past duties.
        feed_past_days=36500,
        lawyer_feed_past_days=36500,
    )
    app = create_app(
        {
            "SETTINGS": settings,
            "AUTO_MIGRATE": False,
            "TODAY": TODAY,
            # Every test signs in from 127.0.0.1; the limit itself is tested in tests/web.
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
    )
    server.app = app
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    engine: Engine = app.extensions["scheduler.sessions"].kw["bind"]
    try:
        yield LiveServer(url, app, engine, app.extensions["scheduler.sessions"])
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        # The in-process solve runner's thread (scheduler.web.planner.blueprint) must not outlive the database.
        executor = getattr(app.extensions.get("scheduler.solve_runner"), "executor", None)
        if executor is not None:
            executor.shutdown(wait=True)
        engine.dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; never a downloaded browser."""
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies) whose requests may go to the live server only."""
    ctx = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(PLAYWRIGHT_TIMEOUT_MS)
    # Loopback only: anything addressed elsewhere is refused instead of reaching the network.
    ctx.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    tab = context.new_page()
    yield tab
    tab.close()


def sign_in(page: Page, username: str, password: str | None = None) -> None:
    """Sign in through the form, as a person would, with the account's demo password unless given."""
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password or PASSWORDS[username])
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.locator("main").inner_text()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/screenshots/<name>.png (for people to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@dataclass(frozen=True)
class OnDuty:
    """A lawyer on a published duty, as the database has it."""

    duty_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    lawyer_id: int
    name: str
    firm: str


def published_duties(server: LiveServer, start: dt.date, end: dt.date) -> list[OnDuty]:
    """Who is on duty between `start` and `end` in the published rosters, by date and slot."""
    with server.sessions() as session:
        rows = session.execute(
            select(Assignment, Duty, Lawyer)
            .join(Roster, Assignment.roster_id == Roster.id)
            .join(Duty, Assignment.duty_id == Duty.id)
            .join(Lawyer, Assignment.lawyer_id == Lawyer.id)
            .where(Roster.status == "published", Assignment.date.between(start, end))
            .order_by(Assignment.date, Assignment.slot)
        ).all()
        return [
            OnDuty(d.id, d.date, d.start, d.end, lw.id, lw.name, lw.firm.name if lw.firm else "") for _a, d, lw in rows
        ]


def account_lawyer(server: LiveServer, username: str) -> tuple[int, str, str]:
    """The lawyer record (id, name, calendar token) of the lawyer account `username`."""
    with server.sessions() as session:
        row = session.execute(
            select(Lawyer.id, Lawyer.name, Lawyer.calendar_token)
            .join(User, User.lawyer_id == Lawyer.id)
            .where(User.username == username)
        ).one()
        return row.id, row.name, row.calendar_token
