"""Background solving: in-process and through RQ workers on the machine's Redis; one job per period;
failures shown; a worker killed mid-solve leaves no roster."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import Conflict
from scheduler.db import transaction
from scheduler.demo import build_demo
from scheduler.models import Roster, SolveJob
from scheduler.planning import jobs
from scheduler.planning.duties import generate_windows
from scheduler.solver import SolveParams
from tests.builders import TEST_REDIS_URL
from tests.integration.roster_fixtures import END, START, build_county

REDIS_URL = TEST_REDIS_URL
PARAMS = SolveParams(time_limit_s=10, workers=2, seed=0)


def _county(factory: sessionmaker[Session]) -> None:
    with transaction(factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")


def _wait(factory: sessionmaker[Session], job_id: int, states: tuple[str, ...], limit_s: float = 60) -> SolveJob:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        with factory() as session:
            job = session.get(SolveJob, job_id)
            assert job is not None
            if job.state in states:
                return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not reach {states} in {limit_s} s")


def _rosters(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count(Roster.id))) or 0


def test_an_in_process_job_solves_the_period_and_stores_its_draft(session_factory: sessionmaker[Session]) -> None:
    _county(session_factory)
    with transaction(session_factory) as session:
        job_id = jobs.start_solve(session, START, END, PARAMS, "planner").id
    runner = jobs.ThreadRunner(session_factory)
    runner.submit(job_id)
    job = _wait(session_factory, job_id, ("succeeded", "failed"))
    assert job.state == "succeeded", job.error
    assert job.roster_id is not None and job.progress["objective"] is not None
    with session_factory() as session:
        roster = session.get(Roster, job.roster_id)
        assert roster is not None and roster.status == "draft" and roster.assignments
    runner.executor.shutdown(wait=True)


def test_only_one_solve_per_period_at_a_time(session_factory: sessionmaker[Session]) -> None:
    _county(session_factory)
    with transaction(session_factory) as session:
        first = jobs.start_solve(session, START, END, PARAMS, "planner A")
    with transaction(session_factory) as session, pytest.raises(Conflict, match="的求解已在进行中"):
        jobs.start_solve(session, START, END, PARAMS, "planner B")
    with transaction(session_factory) as session:
        other = jobs.start_solve(session, START, END + dt.timedelta(days=7), PARAMS, "planner B")
        assert other.id != first.id


def test_a_failed_job_shows_its_error_and_writes_no_roster(session_factory: sessionmaker[Session]) -> None:
    _county(session_factory)
    with transaction(session_factory) as session:
        job_id = jobs.start_solve(session, dt.date(2027, 3, 1), dt.date(2027, 3, 31), PARAMS, "planner").id
    jobs.run_job(session_factory, job_id)
    job = _wait(session_factory, job_id, ("failed",), 5)
    # The job's error is read on its page, so the hint points to the page, not to a command.
    assert "2027" in job.error and "“节假日安排”页面" in job.error
    assert _rosters(session_factory) == 0
    with transaction(session_factory) as session:  # the period is free again
        jobs.start_solve(session, dt.date(2027, 3, 1), dt.date(2027, 3, 31), PARAMS, "planner")


@pytest.fixture
def redis_queue() -> Iterator[Redis]:
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    yield connection
    connection.flushdb()
    connection.close()


def _worker(db_url: str, tmp_path: Path, burst: bool) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SCHEDULER_DATABASE_URL": db_url,
        "SCHEDULER_REDIS_URL": REDIS_URL,
        "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance"),
    }
    args = [sys.executable, "-m", "scheduler.cli.entry", "worker"] + (["--burst"] if burst else [])
    with (tmp_path / "worker.log").open("wb") as log:
        return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def test_an_rq_worker_runs_a_queued_job(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path, redis_queue: Redis
) -> None:
    _county(session_factory)
    with transaction(session_factory) as session:
        job_id = jobs.start_solve(session, START, END, PARAMS, "planner").id
    jobs.RQRunner(REDIS_URL).submit(job_id)
    worker = _worker(db_url, tmp_path, burst=True)
    worker.wait(timeout=120)
    job = _wait(session_factory, job_id, ("succeeded", "failed"), 5)
    assert job.state == "succeeded", (job.error, (tmp_path / "worker.log").read_text())
    assert _rosters(session_factory) == 1


def test_a_worker_killed_mid_solve_leaves_no_roster_and_the_job_is_reaped(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path, redis_queue: Redis
) -> None:
    with transaction(session_factory) as session:
        # A whole prefecture: the solve takes a while (no published history: the test counts rosters).
        summary = build_demo(session, dt.date(2026, 2, 20), history=False)
    with transaction(session_factory) as session:
        job_id = jobs.start_solve(session, summary.start, summary.end, SolveParams(time_limit_s=120), "planner").id
    jobs.RQRunner(REDIS_URL).submit(job_id)
    worker = _worker(db_url, tmp_path, burst=False)
    try:
        _wait(session_factory, job_id, ("running",), 60)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    assert _rosters(session_factory) == 0
    with transaction(session_factory) as session:
        assert jobs.reap(session, stale_after_s=0) == 1
    with session_factory() as session:
        job = session.get(SolveJob, job_id)
        assert job is not None and job.state == "failed" and "no roster was written" in job.error
