"""Benchmark the web pages people load most: the public notice (公示) and a lawyer's own page, under gunicorn.

    python bench/web.py
    python bench/web.py --json bench/results/web.json --repeat 3

The data is the demo prefecture (Qianxinan: ten offices, 152 lawyers, 30 firms, scheduler/demo.py) over a
whole year, 5 January 2026 to 3 January 2027, built in a temporary SQLite database through the services as a
bureau would: four quarters of window duties (on the official working days, 2027 from the expected
arrangement), a leader reception day a month per office, each quarter planned and published as its own
roster. The quarters are staffed by the greedy baseline of bench/greedy.py (every hard rule kept) rather than
by the solver: this benchmark measures the pages, and solving a year takes minutes that tell nothing about
them. bench/generate.py's prefecture-year problem has the same size but no firms, addresses or working-day
calendar, which the pages show, hence the demo.

Then gunicorn serves `scheduler.web:create_app()` with 2 sync workers on 127.0.0.1 at a free port
(SCHEDULER_AUTO_MIGRATE=0: the schema was migrated once, when the database was built), and Python threads
with http.client, on loopback, load in turn:

- the notice: week pages of every office through the year (/notice/<office>/week/2026/<week>), in a fixed
  shuffled order so no single page is favoured;
- the lawyer page (/me/) of the busiest lawyer, with the session cookie of a sign-in through the form.

Each load run is bounded (REQUESTS requests or REQUEST_SECONDS seconds, whichever comes first) and is
repeated --repeat times against the same server; the figures are the medians of the runs. Latency is
measured per request from connecting to the last byte (gunicorn's sync workers close every connection).
Target: notice_p95_ms <= 100. Exit 1 if missed, or if any request was not answered 200.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

if __package__ in (None, ""):
    # Run as a script: make the repository importable (bench/ is not an installed package).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from bench.greedy import greedy
from bench.serving import free_port, wait_for
from scheduler.calendars.views import office_slug
from scheduler.config import load_settings
from scheduler.db import make_engine, make_session_factory, transaction, upgrade
from scheduler.demo import OFFICES, build_demo
from scheduler.models import Assignment, Duty, Lawyer, Office, Roster
from scheduler.people.accounts import create_account
from scheduler.planning.duties import LeaderDaySpec, add_leader_day
from scheduler.planning.holidays import load_calendar
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.drafts import save_draft
from scheduler.rosters.publishing import publish_draft

TARGETS = {"notice_p95_ms": 100.0}
# The demo plans 13 weeks from the Monday after "today": these four days give the four quarters of a year.
QUARTER_DAYS = (dt.date(2026, 1, 1), dt.date(2026, 4, 1), dt.date(2026, 7, 1), dt.date(2026, 10, 1))
NOTICE_YEAR = 2026
ACTOR = "bench"
BENCH_USER, BENCH_PASSWORD = "bench-lawyer", "bench-lawyer-password-2026"
REQUESTS = 1500  # per load run: bounded in count...
REQUEST_SECONDS = 15.0  # ...and in time
THREADS = 4  # client threads: twice the gunicorn workers, so a worker never waits for the client
WARMUP = 40  # requests per page kind before measuring (templates compiled, caches filled in both workers)


@dataclass(frozen=True)
class Dataset:
    """What the benchmark built: sizes for the report and what the load generator asks for."""

    offices: list[str]  # office slugs
    lawyers: int
    duties: int
    assignments: int
    rosters: int
    lawyer_duties: int  # the benchmarked lawyer's duties over the year
    build_s: float


def _leader_days(session: Any, start: dt.date, end: dt.date) -> None:
    """A leader reception day a month per office, on a working day that is not its window day (as the demo)."""
    calendar = load_calendar(session)
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        for index, seed in enumerate(OFFICES):
            day = month + dt.timedelta(days=14 + index % 5)
            while not calendar.is_workday(day) or day.weekday() == seed.weekday:
                day += dt.timedelta(days=1)
            if start <= day <= end:
                note = "接待领导：县（市、区）委副书记"
                add_leader_day(session, LeaderDaySpec(seed.code, day, min_years=5, note=note), ACTOR)
        month = (month + dt.timedelta(days=32)).replace(day=1)


def build_database(url: str, workdir: Path) -> Dataset:
    """The demo prefecture's year, published quarter by quarter; an account for the busiest lawyer."""
    started = time.perf_counter()
    engine = make_engine(url)
    upgrade(engine)
    settings = load_settings({"SCHEDULER_INSTANCE_DIR": str(workdir / "instance")}, database_url=url)
    factory = make_session_factory(engine, settings)
    try:
        for index, today in enumerate(QUARTER_DAYS):
            with transaction(factory) as session:
                # The first call creates the prefecture (with the first quarter's leader days); each call
                # generates its quarter's window duties and installs an expected holiday year it needs.
                summary = build_demo(session, today)
                if index:
                    _leader_days(session, summary.start, summary.end)
            with transaction(factory) as session:
                built = build_problem(session, summary.start, summary.end, today=today)
                staffed = greedy(built.problem)
                save_draft(
                    session,
                    built.problem,
                    staffed,
                    report={"status": "greedy"},
                    provisional=built.provisional,
                    actor=ACTOR,
                )
            with transaction(factory) as session:
                publish_draft(session, summary.start, summary.end, ACTOR, "benchmark year")
        with transaction(factory) as session:
            published = select(Assignment).join(Roster).where(Roster.status == "published").subquery()
            busiest = session.execute(
                select(published.c.lawyer_id, func.count())
                .group_by(published.c.lawyer_id)
                .order_by(func.count().desc(), published.c.lawyer_id)
                .limit(1)
            ).one()
            licence = session.scalar(select(Lawyer.licence_no).where(Lawyer.id == busiest[0]))
            create_account(session, BENCH_USER, "lawyer", BENCH_PASSWORD, lawyer_licence=licence, actor=ACTOR)
            return Dataset(
                offices=[office_slug(code) for code in session.scalars(select(Office.code).order_by(Office.code))],
                lawyers=session.scalar(select(func.count(Lawyer.id))) or 0,
                duties=session.scalar(select(func.count(Duty.id))) or 0,
                assignments=session.scalar(select(func.count()).select_from(published)) or 0,
                rosters=session.scalar(select(func.count(Roster.id)).where(Roster.status == "published")) or 0,
                lawyer_duties=int(busiest[1]),
                build_s=time.perf_counter() - started,
            )
    finally:
        engine.dispose()


def _request(
    port: int, method: str, path: str, headers: dict[str, str] | None = None, body: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _cookie(headers: dict[str, str]) -> str:
    """The name=value of the Set-Cookie header (Flask sends the one session cookie)."""
    value = headers.get("set-cookie", "")
    if not value:
        raise RuntimeError("the server set no session cookie")
    return value.split(";", 1)[0]


def sign_in(port: int, username: str, password: str) -> str:
    """Sign in through the form, as a browser would; returns the Cookie header of the signed-in session."""
    status, headers, body = _request(port, "GET", "/login")
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body)
    if status != 200 or token is None:
        raise RuntimeError(f"GET /login answered {status} without a CSRF token")
    form = urlencode({"csrf_token": token.group(1).decode(), "username": username, "password": password, "next": ""})
    status, headers, _body = _request(
        port,
        "POST",
        "/login",
        headers={"Cookie": _cookie(headers), "Content-Type": "application/x-www-form-urlencoded"},
        body=form,
    )
    if status != 302 or "/login" in headers.get("location", "/login"):
        raise RuntimeError(f"signing in as {username} failed (status {status})")
    return _cookie(headers)


@dataclass
class LoadResult:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    elapsed_s: float = 0.0

    def figures(self) -> dict[str, float]:
        ordered = sorted(self.latencies_ms)
        n = len(ordered)

        def quantile(q: float) -> float:
            return ordered[min(n - 1, round(q * (n - 1)))] if n else float("nan")

        return {
            "p50_ms": quantile(0.50),
            "p95_ms": quantile(0.95),
            "max_ms": ordered[-1] if n else float("nan"),
            "rps": n / self.elapsed_s if self.elapsed_s else 0.0,
            "requests": n,
            "non_200": n - self.statuses.get(200, 0),
        }


def load(port: int, paths: Sequence[str], headers: dict[str, str], threads: int, requests: int) -> LoadResult:
    """GET `paths` in turn from `threads` threads: `requests` in all, or until REQUEST_SECONDS have passed."""
    counter = iter(range(requests))
    lock = threading.Lock()
    result = LoadResult()
    deadline = time.monotonic() + REQUEST_SECONDS

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            started = time.perf_counter()
            status, _headers, _body = _request(port, "GET", paths[index % len(paths)], headers)
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                result.latencies_ms.append(elapsed_ms)
                result.statuses[status] += 1

    workers = [threading.Thread(target=worker, name=f"load-{i}") for i in range(threads)]
    started = time.perf_counter()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    result.elapsed_s = time.perf_counter() - started
    return result


def notice_paths(offices: Sequence[str]) -> list[str]:
    """Every office's week pages of the year, shuffled with a fixed seed."""
    paths = [f"/notice/{slug}/week/{NOTICE_YEAR}/{week}" for slug in offices for week in range(1, 53)]
    random.Random(0).shuffle(paths)
    return paths


def serve_and_load(url: str, workdir: Path, data: Dataset, repeat: int, threads: int) -> dict[str, Any]:
    """Start gunicorn on the database, sign in, load both pages `repeat` times; medians of the runs."""
    port = free_port()
    env = {
        **os.environ,
        "SCHEDULER_DATABASE_URL": url,
        "SCHEDULER_INSTANCE_DIR": str(workdir / "instance"),
        # One key for both workers: a session cookie signed by one must be read by the other.
        "SCHEDULER_SECRET_KEY": "bench-" + os.urandom(16).hex(),
        "SCHEDULER_BASE_URL": "https://duty.example.org",
        "SCHEDULER_AUTO_MIGRATE": "0",
    }
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    command = [
        gunicorn,
        "--workers",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        "scheduler.web:create_app()",
    ]
    process = subprocess.Popen(command, env=env, cwd=workdir)
    try:
        wait_for(port, process)
        cookie = sign_in(port, BENCH_USER, BENCH_PASSWORD)
        notices = notice_paths(data.offices)
        lawyer = ["/me/"]
        status, _headers, body = _request(port, "GET", "/me/", {"Cookie": cookie})
        if status != 200 or "我的值班".encode() not in body:
            raise RuntimeError(f"the lawyer page answered {status} to the signed-in session")
        load(port, notices, {}, threads, WARMUP)
        load(port, lawyer, {"Cookie": cookie}, threads, WARMUP)
        runs: list[dict[str, float]] = []
        for _ in range(repeat):
            notice = load(port, notices, {}, threads, REQUESTS).figures()
            mine = load(port, lawyer, {"Cookie": cookie}, threads, REQUESTS).figures()
            runs.append({f"notice_{k}": v for k, v in notice.items()} | {f"lawyer_{k}": v for k, v in mine.items()})
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    medians = {key: round(statistics.median(run[key] for run in runs), 2) for key in runs[0]}
    for key in ("notice_requests", "notice_non_200", "lawyer_requests", "lawyer_non_200"):
        medians[key] = max(int(run[key]) for run in runs) if key.endswith("non_200") else int(medians[key])
    return {**medians, "runs": runs}


def run(repeat: int, threads: int) -> dict[str, Any]:
    """Every figure of the benchmark, in a temporary folder that is removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-web-"))
    try:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        data = build_database(url, workdir)
        figures = serve_and_load(url, workdir, data, repeat, threads)
        runs = figures.pop("runs")
        return {
            **figures,
            "gunicorn_workers": 2,
            "client_threads": threads,
            "repeat": repeat,
            "offices": len(data.offices),
            "lawyers": data.lawyers,
            "duties": data.duties,
            "published_assignments": data.assignments,
            "published_rosters": data.rosters,
            "lawyer_page_duties": data.lawyer_duties,
            "build_database_s": round(data.build_s, 2),
            "runs": runs,
        }
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="load runs of each page; figures are medians")
    parser.add_argument("--threads", type=int, default=THREADS, help="client threads of the load generator")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    figures = run(max(1, args.repeat), max(1, args.threads))
    for key, value in figures.items():
        if key != "runs":
            print(f"{key:24} {value}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    missed = [key for key, target in TARGETS.items() if figures[key] > target]
    for key in missed:
        print(f"target missed: {key} = {figures[key]} (target {TARGETS[key]})", file=sys.stderr)
    failed = figures["notice_non_200"] + figures["lawyer_non_200"]
    if failed:
        print(f"{failed} requests were not answered 200", file=sys.stderr)
    return 1 if missed or failed else 0


if __name__ == "__main__":
    sys.exit(main())
