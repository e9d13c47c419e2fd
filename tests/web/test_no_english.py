"""Every page a role can reach speaks Chinese: no run of English words, no raw code or id on a zh-CN page.

For each role (the public, a lawyer, a clerk, a planner, an admin) the test starts at the role's landing page
with demo-like data (the demo prefecture, a published roster, a proposal, a swap request, attendance and
audit events), follows every same-site GET link (a few pages of each URL shape, skipping feeds, downloads,
sign-out and the language switch) and reads each page's visible text. It fails on a Latin word outside the
allow-list and on an id-like token such as "roster 3", and names every offending page and text.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.records import record_attendance
from scheduler.db import transaction
from scheduler.demo import build_demo
from scheduler.models import Assignment, Duty, Lawyer, Office, Roster, User
from scheduler.rosters import proposals, swap_requests
from tests.web.conftest import SQLITE_ONLY, TODAY

ClientAs = Callable[..., FlaskClient]

# Words a Chinese page may show in Latin letters: product and format names a Chinese user reads as they are.
ALLOWED_WORDS = {
    "English",
    "iCal",
    "PDF",
    "DOCX",
    "ODT",
    "CSV",
    "Excel",
    "SVG",
    "ICS",
    "URL",
    "App",
    "Outlook",
    "Google",
    "Apple",
    "WPS",
    "ID",
    "KB",  # file sizes, as every Chinese page writes them
    "MB",
}
# Text that is Latin by nature: web and mail addresses, file names the user downloads, licence/credit codes.
ALLOWED_PATTERNS = [
    re.compile(r"https?://\S+|webcal://\S+"),
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"[\w/-]*\.(ics|xlsx|csv|pdf|svg|docx|odt)(?![A-Za-z])"),
    re.compile(r"(?<![A-Za-z0-9])[0-9A-Z]{18}(?![A-Za-z0-9])"),  # 统一社会信用代码 (letters and digits)
    re.compile(r"(?<![A-Za-z0-9])(admin|planner|clerk|lawyer)\d*(?![A-Za-z0-9])"),  # test accounts: names users typed
    # The holiday file's type codes, which the planner types in the file (the page explains each in Chinese).
    re.compile(r"(?<![A-Za-z])(off|workday)(?=（|,)"),
]
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:[ \t]+[A-Za-z][A-Za-z'’-]*)*")
ID_LIKE = re.compile(
    r"(?<![A-Za-z])(roster|duty|proposal|request|lawyer|office|user|job|version)[ \t]*#?[ \t]*\d+"
    # the same in Chinese: 值班 156 (but not a count: 值班 3 次, or the chart's tooltip 实际值班 3)
    r"|(?<!实际)(值班|排班表|变更建议|换班请求|方案|求解)[ \t]*#?[ \t]*\d+(?![\d.]*[ \t]*(次|天|人|名|个|份|件|小时))"
    r"|第[ \t]*\d+[ \t]*号",
    re.I,
)
SKIP = re.compile(
    r"^/(logout|language/|calendars/|static/|api/)|\.(ics|xlsx|csv|pdf|svg|json)(\?|$)|/(export|download)\b|format="
)
PER_SHAPE = 2  # pages of one URL shape (digits taken as any id) to read
MAX_PAGES = 160

# Known offenders in other helpers' files, each with who converts it; the lead empties this list at merge.
# pattern of the offending text -> where it is and whose file it is.
KNOWN: dict[str, str] = {}


class _Text(HTMLParser):
    """The visible text of a page (without scripts, styles and hidden templates) and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        # What a reader (or a screen reader) gets besides the text: hints, tooltips, labels, button captions.
        shown = dict(attrs)
        for name in ("placeholder", "title", "aria-label", "alt"):
            if shown.get(name) and not self._hidden:
                self.parts.append(f"\n{shown[name]}\n")
        if tag == "input" and shown.get("type") in ("submit", "button") and shown.get("value"):
            self.parts.append(f"\n{shown['value']}\n")
        if tag == "a":
            href = dict(attrs).get("href")
            if href and dict(attrs).get("download") is None:
                self.links.append(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template") and self._hidden:
            self._hidden -= 1
        if tag in ("p", "td", "th", "li", "div", "tr", "h1", "h2", "h3", "option", "label", "button", "dt", "dd"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def offending(text: str, extra_allowed: Iterable[str] = ()) -> list[str]:
    """The Latin runs and id-like tokens of `text` that the allow-list does not cover."""
    for pattern in ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    found = [m.group(0) for m in ID_LIKE.finditer(text)]
    text = ID_LIKE.sub(" ", text)
    allowed = ALLOWED_WORDS | set(extra_allowed)
    for run in LATIN_RUN.findall(text):
        words = [w for w in run.split() if w not in allowed and len(w) > 1]
        if words:
            found.append(run)
    return found


def _in_context(text: str, found: str) -> str:
    at = text.find(found)
    return f"{found!r} in «{' '.join(text[max(0, at - 20) : at + len(found) + 20].split())}»"


def _shape(path: str) -> str:
    return re.sub(r"\d+", "N", path)


def crawl(
    client: FlaskClient, start: str, codes: Iterable[str] = (), read: list[str] | None = None
) -> dict[str, list[str]]:
    """Every offending text by page, from `start` through the same-site GET links. The office `codes` may appear
    where the planner keeps the offices (the code is what the planner typed there), nowhere else."""
    seen: set[str] = set()
    shapes: Counter[str] = Counter()
    queue = [start]
    problems: dict[str, list[str]] = {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code in (301, 302, 303) and response.location:
            target = urlsplit(urljoin(url, response.location))
            if not target.netloc or target.netloc == "localhost":
                queue.insert(0, target.path + (f"?{target.query}" if target.query else ""))
            continue
        if response.status_code != 200 or not response.mimetype.startswith("text/html"):
            continue
        if read is not None:
            read.append(url)
        page = _Text()
        page.feed(response.get_data(as_text=True))
        allowed = codes if url.startswith("/planner/offices") else ()
        bad = [t for t in offending(page.text, allowed) if not any(re.fullmatch(k, t) for k in KNOWN)]
        if bad:
            problems[url] = [_in_context(page.text, t) for t in dict.fromkeys(bad)]
        for href in page.links:
            link = urlsplit(urljoin(url, href))
            if link.scheme not in ("", "http") or (link.netloc and link.netloc != "localhost"):
                continue
            path = link.path + (f"?{link.query}" if link.query else "")
            if SKIP.search(path) or path in seen:
                continue
            shape = _shape(link.path)
            if shapes[shape] >= PER_SHAPE:
                continue
            shapes[shape] += 1
            queue.append(path)
    return problems


def test_the_detector_finds_english_and_ids_and_spares_the_allow_list() -> None:
    assert offending("王芳（窗口）将兴义市 12月16日 领导接待日 由 朱桂 换为 罗磊超") == []
    assert offending("订阅 iCal 日历，或下载 PDF、Excel；联系 office@example.org，https://duty.example.org/x") == []
    assert offending("执业证号 15223201511000001") == []
    assert offending("the period has no draft") == ["the period has no draft"]
    assert offending("语言：mandarin、buyi") == ["mandarin", "buyi"]
    assert offending("见 roster 3 与 duty 156") == ["roster 3", "duty 156"]
    assert offending("值班 156（已删除）、第 3 号求解；排班表第 2 版") == ["值班 156", "第 3 号"]
    assert offending("已登录：planner1，下载 office/522301.ics") == []
    assert offending("值班 2 次（优秀须至少 4 次）；何建 实际值班 0") == []  # counts, not ids
    assert offending("意见书.docx · 1.5 KB（PDF、DOCX 或 ODT，最大 8 MB）") == []


def _demo_world(factory: sessionmaker[Session]) -> dict[str, int]:
    """The demo prefecture with a published roster, a swap request, a recorded attendance; a lawyer on duty."""
    with transaction(factory) as session:
        summary = build_demo(session, TODAY - dt.timedelta(days=14))  # duties from before and after today
        roster = Roster(
            period_start=summary.start,
            period_end=summary.end,
            version=1,
            status="published",
            published_at=dt.datetime(2026, 2, 1, 8),
        )
        session.add(roster)
        session.flush()
        by_office: dict[int, list[Lawyer]] = {}
        for lawyer in session.scalars(select(Lawyer).order_by(Lawyer.id)):
            for office in lawyer.offices:
                by_office.setdefault(office.id, []).append(lawyer)
        rng, busy = random.Random(1), set()
        duties = session.scalars(select(Duty).where(Duty.date.between(summary.start, summary.end)).order_by(Duty.date))
        for duty in duties:
            free = [lw for lw in by_office.get(duty.office_id, []) if (lw.id, duty.date) not in busy]
            for slot, lawyer in enumerate(rng.sample(free, min(duty.needed, len(free)))):
                busy.add((lawyer.id, duty.date))
                session.add(
                    Assignment(
                        roster=roster,
                        duty_id=duty.id,
                        lawyer_id=lawyer.id,
                        date=duty.date,
                        slot=slot,
                        places=duty.needed,
                    )
                )
        session.flush()
        past = session.scalars(
            select(Assignment).where(Assignment.roster_id == roster.id, Assignment.date < TODAY).order_by(Assignment.id)
        ).first()
        future = session.scalars(
            select(Assignment).where(Assignment.roster_id == roster.id, Assignment.date > TODAY).order_by(Assignment.id)
        ).all()
        assert past is not None and future
        session.add(User(username="clerk", password_hash="x", role="clerk"))
        session.flush()
        record_attendance(session, past.duty_id, past.lawyer_id, "late", "user:clerk", note="迟到", today=TODAY)
        mine = future[0]
        partner = next(a for a in future if a.duty.office_id == mine.duty.office_id and a.lawyer_id != mine.lawyer_id)
        request = swap_requests.create(session, mine.duty_id, mine.lawyer_id, partner.lawyer_id, today=TODAY)
        swap_requests.respond(session, request.id, partner.lawyer_id, True, today=TODAY)  # awaits the clerk
        later = [a for a in future if a.duty.office_id == mine.duty.office_id and a.date != mine.date]
        team: dict[int, set[int]] = {}
        for x in future:
            team.setdefault(x.duty_id, set()).add(x.lawyer_id)
        a = later[0]
        b = next(
            x
            for x in later
            if x.date != a.date and x.lawyer_id not in team[a.duty_id] and a.lawyer_id not in team[x.duty_id]
        )
        done = proposals.propose_swap(session, a.duty_id, a.lawyer_id, b.duty_id, b.lawyer_id, "user:clerk", "家中有事")
        proposals.accept(session, done.id, "user:clerk", override_reason="测试", today=TODAY)
        c = later[-1]
        proposals.propose_cover(session, c.duty_id, c.lawyer_id, a.lawyer_id, "user:clerk", "病假", today=TODAY)
        office = session.scalar(select(Office).where(Office.code == "522301"))
        assert office is not None
        return {"lawyer": mine.lawyer_id, "office": office.id}


@SQLITE_ONLY
@pytest.mark.parametrize("role", ["public", "lawyer", "clerk", "planner", "admin"])
def test_no_page_a_role_reaches_shows_english_or_raw_ids(
    role: str, client: FlaskClient, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = _demo_world(session_factory)
    if role == "public":
        browser, start = client, "/"
    elif role == "lawyer":
        browser, start = client_as("lawyer", lawyer_id=world["lawyer"]), "/me/"
    else:
        browser, start = client_as(role), {"clerk": "/clerk/", "planner": "/planner/", "admin": "/"}[role]
    with session_factory() as session:
        codes = set(session.scalars(select(Office.code)))
    read: list[str] = []
    problems = crawl(browser, start, codes, read)
    print(role, len(read), read)
    assert len(read) >= {"public": 5, "lawyer": 5, "clerk": 15, "planner": 25, "admin": 5}[role]  # the crawl got far
    report = "\n".join(f"{url}: {texts}" for url, texts in sorted(problems.items()))
    assert problems == {}, f"English or raw ids on zh-CN pages ({role}):\n{report}"
