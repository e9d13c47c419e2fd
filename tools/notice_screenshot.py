"""Screenshots of the public notice (公示) for the README, taken from the demo in Debian's Chromium.

    .venv/bin/python tools/notice_screenshot.py [--out docs/screenshots] [--office 522301] [--month 2026-12]

Builds the demo prefecture as `scheduler demo --today 2026-11-28` would (roster 30 November 2026 to
28 February 2027, solved and published) in a temporary SQLite database, serves it on 127.0.0.1 at a free
port, and saves three pictures of one office's month: the page on a desktop (notice-month.png), on a phone
390 px wide (notice-phone.png) and as printed on A4 (notice-print.png, the print stylesheet at A4's width).
Nothing leaves the loopback interface; Chromium is /usr/bin/chromium (apt-get install chromium fonts-noto-cjk).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import secrets
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from scheduler.config import Settings
from scheduler.db import make_engine, make_session_factory, transaction, upgrade
from scheduler.demo import build_demo
from scheduler.people.accounts import create_demo_accounts
from scheduler.planning.solving import solve_period
from scheduler.rosters.publishing import publish_draft
from scheduler.solver import SolveParams

CHROMIUM = "/usr/bin/chromium"
TODAY = dt.date(2026, 11, 28)
A4_CSS_WIDTH = round((210 - 24) / 25.4 * 96)  # A4 less the print stylesheet's side margins, at 96 dpi


def build(directory: Path) -> Settings:
    """The demo database in `directory`, its roster solved and published; the settings that serve it."""
    url = f"sqlite:///{directory / 'demo.sqlite3'}"
    settings = Settings(
        instance_dir=directory / "instance",
        database_url=url,
        secret_key=secrets.token_hex(16),
        calendars_dir=directory / "calendars",
    )
    engine = make_engine(url)
    upgrade(engine)
    factory = make_session_factory(engine, settings)
    with transaction(factory) as session:
        summary = build_demo(session, TODAY)
        create_demo_accounts(session)
    solve_period(factory, summary.start, summary.end, SolveParams(time_limit_s=30, seed=0), actor="demo", today=TODAY)
    with transaction(factory) as session:
        publish_draft(session, summary.start, summary.end, "demo", "demo")
    engine.dispose()
    return settings


def shoot(page: Page, path: str, out: Path, name: str, width: int, media: str = "screen") -> Path:
    """A full-page picture of `path` at `width` CSS pixels in `media` (screen or print)."""
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(media="print" if media == "print" else "screen")
    page.goto(path)
    target = out / name
    page.screenshot(path=str(target), full_page=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--office", default="522301", help="office code (default 522301, 兴义市信访局)")
    parser.add_argument("--month", default="2026-12", help="YYYY-MM within the demo roster")
    args = parser.parse_args()
    if not re.fullmatch(r"\d{4}-\d{2}", args.month):
        parser.error("--month must look like 2026-12")
    year, month = (int(part) for part in args.month.split("-"))
    args.out.mkdir(parents=True, exist_ok=True)
    from scheduler.web import create_app  # after the database exists: create_app does not migrate here

    with tempfile.TemporaryDirectory() as tmp:
        settings = build(Path(tmp))
        app = create_app({"SETTINGS": settings, "AUTO_MIGRATE": False, "TODAY": TODAY})
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as driver:
                browser = driver.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
                context = browser.new_context(base_url=f"http://127.0.0.1:{server.server_port}")
                # Loopback only, as in the browser tests.
                context.route(re.compile(r"^(?!http://127\.0\.0\.1[:/]).*"), lambda route: route.abort())
                page = context.new_page()
                notice = f"/notice/{args.office}/month/{year}/{month}"
                for name, width, media in (
                    ("notice-month.png", 1000, "screen"),
                    ("notice-phone.png", 390, "screen"),
                    ("notice-print.png", A4_CSS_WIDTH, "print"),
                ):
                    print(shoot(page, notice, args.out, name, width, media))
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=10)
            app.extensions["scheduler.sessions"].kw["bind"].dispose()


if __name__ == "__main__":
    main()
