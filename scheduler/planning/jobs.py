"""Background solving: a job per period, run in this process or by RQ workers on other machines.

The job's state and progress are rows in the database, so every planner (whatever web worker serves
them) sees the same progress bar. The roster is written only by the job's last transaction, after the
solver and the checker succeeded: a worker killed mid-solve leaves no partial roster, only a job whose
heartbeat stopped, which `reap` marks failed so the period can be solved again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from scheduler.audit import record
from scheduler.core import wording
from scheduler.core.errors import SchedulerError, require_period
from scheduler.db import transaction
from scheduler.models import SolveJob
from scheduler.models.rosters import utcnow
from scheduler.planning.errors import SolveJobNotFound, SolveUnderWay
from scheduler.planning.solving import solve_period
from scheduler.solver import Progress, SolveParams

QUEUE_NAME = "scheduler-solve"
HEARTBEAT_S = 5.0
# A running job whose heartbeat is older than this was killed with its worker.
STALE_AFTER_S = 60.0
# A job still queued this long after it was made was lost on its way (the process that was to hand it to
# the queue died, or the queue lost it). Reaping it is safe even if a worker takes it later: run_job runs
# only queued jobs.
QUEUED_STALE_S = 900.0
# Progress is written at most this often: each write is a transaction.
PROGRESS_EVERY_S = 1.0


class JobRunner(Protocol):
    def submit(self, job_id: int) -> None: ...


class QueueUnavailable(SchedulerError):
    """The job could not be handed to its runner (e.g. Redis unreachable); it was marked failed."""

    code = "planning.queue_unavailable"
    template = "无法把求解任务排入队列（任务队列没有响应）；没有进行求解，请重新开始"


QUEUE_FAILED = QueueUnavailable.template


def submit_after_commit(session: Session, job: SolveJob, runner: JobRunner) -> None:
    """Commit the new job, then hand it to `runner`; when that fails, mark the job failed and raise
    QueueUnavailable, so that the job does not stay queued for ever and block its period.

    The commit comes first: a worker must find the job's row.
    """
    job_id = job.id
    session.commit()
    try:
        runner.submit(job_id)
    except Exception as exc:  # any failure of the queue (connection, timeout, refusal) is compensated alike
        session.rollback()
        failed = get_job(session, job_id)
        if failed.state == "queued":
            failed.state, failed.finished_at, failed.error = "failed", utcnow(), QUEUE_FAILED
            record(session, "system", "solve_job.failed", entity="solve_job", entity_id=job_id, reason=QUEUE_FAILED)
            session.commit()
        raise QueueUnavailable() from exc


def start_solve(session: Session, start: dt.date, end: dt.date, params: SolveParams, actor: str) -> SolveJob:
    """Queue a solve of [start, end]; refused while another solve of that period is queued or running.

    Stale jobs (a killed worker's, a lost one) are reaped first, so that they never block the period.
    The caller hands the job over with `submit_after_commit`.
    """
    require_period(start, end)
    reap(session)
    running = active_job(session, start, end)
    if running is not None:
        raise SolveUnderWay(start=start, end=end)
    job = SolveJob(
        period_start=start,
        period_end=end,
        time_limit_s=params.time_limit_s,
        workers=params.workers,
        seed=params.seed,
        created_by=actor,
    )
    session.add(job)
    try:
        session.flush()
    except IntegrityError as exc:
        # Two planners pressed the button at the same moment: the unique index let one through.
        raise SolveUnderWay(start=start, end=end) from exc
    record(
        session,
        actor,
        "solve_job.start",
        entity="solve_job",
        entity_id=job.id,
        after={"period": [str(start), str(end)], "time_limit_s": params.time_limit_s},
    )
    return job


def active_job(session: Session, start: dt.date, end: dt.date) -> SolveJob | None:
    return session.scalar(
        select(SolveJob).where(
            SolveJob.period_start == start, SolveJob.period_end == end, SolveJob.state.in_(("queued", "running"))
        )
    )


def get_job(session: Session, job_id: int) -> SolveJob:
    job = session.get(SolveJob, job_id)
    if job is None:
        raise SolveJobNotFound(number=job_id)
    return job


class _Heartbeat:
    """Keeps the job's heartbeat fresh from a side thread while the solver holds the main one."""

    def __init__(self, factory: sessionmaker[Session], job_id: int) -> None:
        self.factory, self.job_id = factory, job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def _run(self) -> None:
        while not self.stop.wait(HEARTBEAT_S):
            _touch(self.factory, self.job_id, None)

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop.set()
        self.thread.join()


def _touch(factory: sessionmaker[Session], job_id: int, progress: Progress | None) -> None:
    with transaction(factory) as session:
        job = session.get(SolveJob, job_id)
        if job is None:
            return
        job.heartbeat_at = utcnow()
        if progress is not None:
            job.progress = {
                "objective": progress.objective,
                "bound": progress.bound,
                "elapsed_s": round(progress.elapsed_s, 2),
            }


def _progress_writer(factory: sessionmaker[Session], job_id: int) -> Callable[[Progress], None]:
    last = [0.0]
    lock = threading.Lock()

    def write(progress: Progress) -> None:
        with lock:
            now = time.monotonic()
            if now - last[0] < PROGRESS_EVERY_S:
                return
            last[0] = now
        _touch(factory, job_id, progress)

    return write


def run_job(factory: sessionmaker[Session], job_id: int, today: dt.date | None = None) -> None:
    """Run a queued job to the end: succeeded with its draft roster, or failed with the error in words."""
    with transaction(factory) as session:
        job = get_job(session, job_id)
        if job.state != "queued":
            return  # another worker took it
        job.state, job.started_at, job.heartbeat_at = "running", utcnow(), utcnow()
        start, end, actor = job.period_start, job.period_end, job.created_by
        params = SolveParams(time_limit_s=job.time_limit_s, workers=job.workers, seed=job.seed)
    try:
        with _Heartbeat(factory, job_id):
            outcome = solve_period(
                factory, start, end, params, actor=actor, on_progress=_progress_writer(factory, job_id), today=today
            )
    except SchedulerError as exc:
        # Stored as read on the job's page: Chinese, with the page's hint (never a command to run).
        _finish(factory, job_id, "failed", error=wording.word(exc, wording.CHINESE, "web"))
        return
    except Exception as exc:  # the planner must see the failure, not a job stuck "running"
        _finish(factory, job_id, "failed", error=f"{type(exc).__name__}: {exc}")
        raise
    report = outcome.solution.report
    _finish(
        factory,
        job_id,
        "succeeded",
        roster_id=outcome.roster_id,
        progress={"objective": report.objective, "bound": report.bound, "elapsed_s": round(report.wall_s, 2)},
    )


def _finish(
    factory: sessionmaker[Session],
    job_id: int,
    state: str,
    *,
    error: str = "",
    roster_id: int | None = None,
    progress: dict[str, object] | None = None,
) -> None:
    with transaction(factory) as session:
        job = get_job(session, job_id)
        job.state, job.error, job.finished_at = state, error[:2000], utcnow()
        job.roster_id = roster_id
        if progress is not None:
            job.progress = progress
        record(
            session,
            job.created_by,
            f"solve_job.{state}",
            entity="solve_job",
            entity_id=job.id,
            reason=error[:500],
            after={"roster_id": roster_id},
        )


def reap(session: Session, stale_after_s: float = STALE_AFTER_S, queued_stale_s: float = QUEUED_STALE_S) -> int:
    """Mark failed the running jobs whose heartbeat stopped (their worker was killed) and the jobs queued too
    long ago to be still on their way; returns how many. Called wherever a solve is requested or followed."""
    now = utcnow()
    cutoff, queued_cutoff = now - dt.timedelta(seconds=stale_after_s), now - dt.timedelta(seconds=queued_stale_s)
    running = (SolveJob.state == "running") & (
        (SolveJob.heartbeat_at < cutoff) | (SolveJob.heartbeat_at.is_(None) & (SolveJob.started_at < cutoff))
    )
    lost = (SolveJob.state == "queued") & (SolveJob.created_at < queued_cutoff)
    stale = session.scalars(select(SolveJob).where(running | lost)).all()
    for job in stale:
        job.error = (
            "the worker stopped while solving (killed or crashed); no roster was written; start again"
            if job.state == "running"
            else "the solve never started (lost on its way to the queue); nothing was solved; start again"
        )
        job.state, job.finished_at = "failed", now
        record(session, "system", "solve_job.failed", entity="solve_job", entity_id=job.id, reason=job.error)
    return len(stale)


class ThreadRunner:
    """Runs jobs one at a time on a thread of this process: the default, no other service needed."""

    def __init__(self, factory: sessionmaker[Session], today: dt.date | None = None) -> None:
        self.factory = factory
        self.today = today  # a pinned date (tests, demos); None: the real one
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="solve")

    def submit(self, job_id: int) -> None:
        self.executor.submit(run_job, self.factory, job_id, self.today)


class RQRunner:
    """Puts jobs on an RQ queue; `scheduler worker` processes (on any machine) run them."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.queue = Queue(QUEUE_NAME, connection=Redis.from_url(redis_url))

    def submit(self, job_id: int) -> None:
        # The RQ timeout leaves the solver its own limit plus time to build and store the roster.
        self.queue.enqueue(run_job_in_worker, job_id, job_timeout=3600, result_ttl=3600, job_id=f"solve-{job_id}")


def run_job_in_worker(job_id: int) -> None:
    """The RQ entry point: open the configured database and run the job."""
    from scheduler.config import load_settings
    from scheduler.db import make_engine, make_session_factory

    settings = load_settings()  # a worker process: its edge, where the environment is read
    engine = make_engine(settings.database_url)
    try:
        run_job(make_session_factory(engine, settings), job_id)
    finally:
        engine.dispose()
