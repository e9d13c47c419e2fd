"""Take the README's screenshot of a roster's review (docs/screenshots/review.png) from a running demo.

    scheduler demo && scheduler serve --port 5000 &
    python tools/screenshot_review.py [--url http://127.0.0.1:5000] [--out docs/screenshots/review.png]

Signs in as the demo planner, opens the newest period's draft (or its published version) and saves the top of
the page: the score, the roster table and the per-lawyer list. Uses Debian's Chromium through Playwright; it
never downloads a browser.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:5000", help="where the demo is served")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots/review.png"), help="the PNG to write")
    parser.add_argument("--user", default="planner")
    parser.add_argument("--password", default="demo-planner-2026")
    parser.add_argument("--height", type=int, default=1500, help="height of the picture in CSS pixels")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(base_url=args.url, viewport={"width": 1280, "height": args.height})
        page.goto("/login")
        page.get_by_label("用户名").fill(args.user)
        page.get_by_label("密码").fill(args.password)
        page.get_by_role("button", name="登录").click()
        page.wait_for_load_state()
        page.goto("/planner/")
        found = re.search(r'href="(/planner/rosters/\d+)"', page.content())
        if found is None:
            raise SystemExit("the demo has no roster yet: run `scheduler demo` first")
        page.goto(found.group(1))
        args.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.out))
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
