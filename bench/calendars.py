"""Benchmark the calendars at the province-year size (90 offices, 1,500 lawyers, 5,760 duties).

    python bench/calendars.py
    python bench/calendars.py --json bench/results/calendars.json --repeat 5

The province-year problem of bench/generate.py, staffed by the greedy baseline, is stored as a
published roster in a temporary SQLite database and synced once (the first publication). Then:

- render_lawyer_year_ms: rendering the busiest lawyer's year feed (median of many renders);
- publish_all_s: `publish_all` into an empty folder (load, render and write every file; median);
- publish_unchanged_s, files_written_unchanged: the same publication again (median; must write 0 files);
- rps_*: feed requests per second under gunicorn (2 sync workers on 127.0.0.1, a free port), from
  Python threads with http.client, plain GETs and conditional GETs (If-None-Match, answered 304),
  for 50 lawyers' feeds (about 5 events each) and for the prefecture's (every duty, about 8 MB).

Targets: render_lawyer_year_ms <= 5, publish_all_s <= 5, files_written_unchanged == 0. Exit 1 if missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script: make the repository importable (bench/ is not an installed package).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bench.generate import generate
from bench.greedy import greedy
from bench.serving import free_port, wait_for
from scheduler.calendars.feeds import calendar_options, lawyer_feed
from scheduler.calendars.ical import calendar
from scheduler.calendars.static_files import publish_all
from scheduler.calendars.sync import sync_published
from scheduler.config import Settings, load_settings
from scheduler.db import make_engine, make_session_factory, upgrade
from scheduler.models import Assignment, CalendarEntry, Duty, DutyType, Lawyer, Office, Roster
from scheduler.planning.duties import STANDARD_TYPES

TARGETS = {"render_lawyer_year_ms": 5.0, "publish_all_s": 5.0, "files_written_unchanged": 0}
NOW = dt.datetime(2026, 1, 2, 8, 0)
REQUESTS = 600  # per load run: bounded in count...
REQUEST_SECONDS = 30.0  # ...and in time
THREADS = 8


def build_database(url: str, size: str, settings: Settings) -> tuple[dt.date, dt.date]:
    """Store the problem `size`, staffed by the greedy roster, as a published roster; return its period."""
    problem = generate(size)
    roster = greedy(problem)
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine, settings)() as session, session.begin():
        kinds = {}
        for code, (zh, en) in STANDARD_TYPES.items():
            kind = DutyType(code=code, name_zh=zh, name_en=en)
            session.add(kind)
            kinds[code] = kind
        session.flush()
        session.execute(
            insert(Office),
            [
                {
                    "id": o.id,
                    "code": o.code,
                    "name": o.name,
                    "address": f"{o.name}一楼律师接待窗口",
                    "phone": f"0859-{3100000 + o.id}",
                }
                for o in problem.offices
            ],
        )
        session.execute(
            insert(Lawyer),
            [
                {
                    "id": lw.id,
                    "name": lw.name,
                    "licence_no": f"1522320101{lw.id:07d}",
                    "first_practice_year": lw.first_practice_year,
                    "email": f"lawyer{lw.id}@example.org",
                    "calendar_token": secrets.token_urlsafe(24),
                }
                for lw in problem.lawyers
            ],
        )
        # The generator may put two leader days of an office at the same hour; the schema allows one.
        slots: set[tuple[int, str, dt.date, dt.time]] = set()
        duties = {}
        for d in problem.duties:
            if (d.office_id, d.kind, d.date, d.start) not in slots:
                slots.add((d.office_id, d.kind, d.date, d.start))
                duties[d.id] = d
        session.execute(
            insert(Duty),
            [
                {
                    "id": d.id,
                    "office_id": d.office_id,
                    "duty_type_id": kinds[d.kind].id,
                    "date": d.date,
                    "start": d.start,
                    "end": d.end,
                    "needed": d.needed,
                    "min_years": d.min_years,
                    "note": d.note,
                }
                for d in duties.values()
            ],
        )
        published = Roster(period_start=problem.start, period_end=problem.end, version=1, status="published")
        session.add(published)
        session.flush()
        session.execute(
            insert(Assignment),
            [
                {
                    "roster_id": published.id,
                    "duty_id": duty_id,
                    "lawyer_id": lawyer_id,
                    "date": duties[duty_id].date,
                    "slot": slot,
                    "places": duties[duty_id].needed,
                }
                for duty_id, lawyer_ids in roster.items()
                if duty_id in duties
                for slot, lawyer_id in enumerate(lawyer_ids)
            ],
        )
    engine.dispose()
    return problem.start, problem.end


def _median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def busiest_token(session: Session) -> tuple[str, int]:
    """The token of the lawyer with the most events, and that number."""
    counts: dict[int, int] = {}
    for lawyer_id in session.scalars(select(CalendarEntry.lawyer_id)):
        counts[lawyer_id] = counts.get(lawyer_id, 0) + 1
    lawyer_id = max(counts, key=lambda i: (counts[i], -i))
    token = session.scalar(select(Lawyer.calendar_token).where(Lawyer.id == lawyer_id))
    assert token is not None
    return token, counts[lawyer_id]


def load(port: int, paths: Sequence[str], etags: dict[str, str] | None) -> dict[str, float]:
    """GET `paths` in turn from THREADS threads, REQUESTS in all (or for REQUEST_SECONDS); rps and statuses."""
    counter = iter(range(REQUESTS))
    lock = threading.Lock()
    statuses: dict[int, int] = {}
    deadline = time.monotonic() + REQUEST_SECONDS

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                index = next(counter, None)
            if index is None:
                return
            path = paths[index % len(paths)]
            headers = {"If-None-Match": etags[path]} if etags else {}
            # Gunicorn's sync workers close the connection after each answer, as a calendar app's poll does.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                with lock:
                    statuses[response.status] = statuses.get(response.status, 0) + 1
            finally:
                connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    done = sum(statuses.values())
    return {"rps": done / elapsed, "requests": done, **{f"status_{k}": v for k, v in sorted(statuses.items())}}


def gunicorn_rps(url: str, workdir: Path, tokens: Sequence[str]) -> dict[str, Any]:
    """Requests per second for lawyers' feeds, plain and conditional, under gunicorn."""
    port = free_port()
    env = {
        **os.environ,
        "SCHEDULER_DATABASE_URL": url,
        "SCHEDULER_INSTANCE_DIR": str(workdir / "instance"),
        "SCHEDULER_SECRET_KEY": "bench",
        "SCHEDULER_BASE_URL": "https://duty.example.org",
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
    process = subprocess.Popen(command, env=env, cwd=Path(__file__).resolve().parent.parent)
    try:
        wait_for(port, process)
        paths = [f"/calendars/private/{token}.ics" for token in tokens]
        etags = {}
        for path in paths:  # also warms both workers up
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status != 200:
                raise RuntimeError(f"GET {path} answered {response.status}")
            etags[path] = response.getheader("ETag") or ""
        plain = load(port, paths, None)
        conditional = load(port, paths, etags)
        prefecture_path = "/calendars/prefecture.ics"
        prefecture = load(port, [prefecture_path], None)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("HEAD", prefecture_path)
        etags[prefecture_path] = connection.getresponse().getheader("ETag") or ""
        connection.close()
        prefecture_conditional = load(port, [prefecture_path], etags)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    return {
        "rps_lawyer_feed": plain["rps"],
        "rps_lawyer_feed_conditional": conditional["rps"],
        "rps_prefecture_feed": prefecture["rps"],
        "rps_prefecture_feed_conditional": prefecture_conditional["rps"],
        "requests_per_run": plain["requests"],
        "conditional_304": conditional.get("status_304", 0),
        "gunicorn_workers": 2,
        "client_threads": THREADS,
    }


def run(size: str, repeat: int, with_http: bool) -> dict[str, Any]:
    """Every figure of the benchmark, in a temporary folder that is removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="bench-calendars-"))
    try:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        settings: Settings = load_settings(
            {
                "SCHEDULER_DATABASE_URL": url,
                "SCHEDULER_INSTANCE_DIR": str(workdir / "instance"),
                "SCHEDULER_SECRET_KEY": "bench",
                "SCHEDULER_BASE_URL": "https://duty.example.org",
            }
        )
        started = time.perf_counter()
        start, end = build_database(url, size, settings)
        build_s = time.perf_counter() - started
        engine = make_engine(url)
        factory = make_session_factory(engine, settings)
        with factory() as session, session.begin():
            started = time.perf_counter()
            first = sync_published(session, start, end, "bench", NOW, settings=settings)
            sync_s = time.perf_counter() - started
        with factory() as session:
            token, events = busiest_token(session)
            feed = lawyer_feed(session, settings, token, NOW)
            assert feed is not None
            options = calendar_options(settings)
            render_ms = _median_time(lambda: calendar(feed, options), 200 * repeat) * 1000

            def load_and_render() -> bytes:
                loaded = lawyer_feed(session, settings, token, NOW)
                assert loaded is not None
                return calendar(loaded, options)

            load_render_ms = _median_time(load_and_render, 50) * 1000
            publish_times, unchanged_times, written_unchanged, files = [], [], [], 0
            for run_index in range(repeat):
                target = workdir / f"calendars-{run_index}"
                run_settings = load_settings(
                    {"SCHEDULER_SECRET_KEY": "bench", "SCHEDULER_BASE_URL": settings.base_url},
                    database_url=url,
                    instance_dir=settings.instance_dir,
                    calendars_dir=target,
                )
                started = time.perf_counter()
                result = publish_all(session, run_settings, NOW)
                publish_times.append(time.perf_counter() - started)
                files = len(result.written)
                started = time.perf_counter()
                again = publish_all(session, run_settings, NOW)
                unchanged_times.append(time.perf_counter() - started)
                written_unchanged.append(len(again.written))
            tokens = list(session.scalars(select(Lawyer.calendar_token).order_by(Lawyer.id)))
        engine.dispose()
        figures: dict[str, Any] = {
            "size": size,
            "render_lawyer_year_ms": round(render_ms, 3),
            "publish_all_s": round(statistics.median(publish_times), 3),
            "publish_unchanged_s": round(statistics.median(unchanged_times), 3),
            "files_written_unchanged": max(written_unchanged),
            "events_in_lawyer_feed": events,
            "load_and_render_lawyer_feed_ms": round(load_render_ms, 3),
            "files_published": files,
            "lawyers": len(tokens),
            "first_sync_s": round(sync_s, 3),
            "first_sync_notices": first.notices,
            "build_database_s": round(build_s, 3),
            "repeat": repeat,
        }
        if with_http:
            rng = random.Random(0)
            figures.update(gunicorn_rps(url, workdir, rng.sample(tokens, min(50, len(tokens)))))
        return figures
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--size", default="province-year", choices=["county-quarter", "prefecture-year", "province-year"]
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each timing; figures are medians")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn requests-per-second part")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    figures = run(args.size, max(1, args.repeat), not args.no_http)
    for key, value in figures.items():
        print(f"{key:32} {value}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    missed = [
        key
        for key, target in TARGETS.items()
        if args.size == "province-year" and (figures[key] > target if target else figures[key] != target)
    ]
    for key in missed:
        print(f"target missed: {key} = {figures[key]} (target {TARGETS[key]})", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
