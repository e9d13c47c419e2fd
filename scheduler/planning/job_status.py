"""Solve jobs as the planner sees them: state, progress, the figures so far, and whether a job is stale."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.models import (
    SolveJob,
)
from scheduler.models.rosters import utcnow
from scheduler.planning.errors import SolveJobNotFound
from scheduler.planning.jobs import STALE_AFTER_S


@dataclass(frozen=True)
class JobStatus:
    """A solve job as its page and its JSON show it; `elapsed_s` is measured by the database's clock."""

    id: int
    state: str
    start: dt.date
    end: dt.date
    created_by: str
    created_at: dt.datetime
    time_limit_s: float
    objective: int | None
    bound: int | None
    elapsed_s: float
    error: str
    roster_id: int | None
    stalled: bool = False  # running, but its worker has given no sign of life for a while

    @property
    def finished(self) -> bool:
        return self.state in ("succeeded", "failed")

    @property
    def time_left_s(self) -> float:
        return 0.0 if self.finished else max(0.0, self.time_limit_s - self.elapsed_s)

    @property
    def percent(self) -> int:
        """How far along the time limit the search is (the solver stops at it, or earlier when optimal)."""
        if self.state == "succeeded":
            return 100
        return min(99, int(100 * self.elapsed_s / self.time_limit_s)) if self.time_limit_s > 0 else 0

    @property
    def gap(self) -> float | None:
        """The relative distance between the roster found and the best possible (0 means proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1, abs(self.objective))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "finished": self.finished,
            "period": [self.start.isoformat(), self.end.isoformat()],
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "elapsed_s": round(self.elapsed_s, 1),
            "time_limit_s": self.time_limit_s,
            "time_left_s": round(self.time_left_s, 1),
            "percent": self.percent,
            "error": self.error,
            "roster_id": self.roster_id,
            "stalled": self.stalled,
        }


def _job_status(job: SolveJob, now: dt.datetime) -> JobStatus:
    progress = job.progress or {}
    if job.state == "running" and job.started_at is not None:
        elapsed = (now - job.started_at).total_seconds()
    elif job.finished_at is not None and job.started_at is not None:
        elapsed = float(progress.get("elapsed_s") or (job.finished_at - job.started_at).total_seconds())
    else:
        elapsed = 0.0
    return JobStatus(
        id=job.id,
        state=job.state,
        start=job.period_start,
        end=job.period_end,
        created_by=job.created_by,
        created_at=job.created_at,
        time_limit_s=job.time_limit_s,
        objective=progress.get("objective"),
        bound=progress.get("bound"),
        elapsed_s=max(0.0, elapsed),
        error=job.error,
        roster_id=job.roster_id,
        stalled=job.state == "running"
        and job.heartbeat_at is not None
        and (now - job.heartbeat_at).total_seconds() > STALE_AFTER_S,
    )


def job_status(session: Session, job_id: int, now: dt.datetime | None = None) -> JobStatus:
    """The state and progress of solve job `job_id` as stored by whichever worker runs it (one query)."""
    job = session.get(SolveJob, job_id)
    if job is None:
        raise SolveJobNotFound(number=job_id)
    return _job_status(job, now or utcnow())


def recent_jobs(session: Session, limit: int = 10) -> list[JobStatus]:
    """The newest solve jobs (one query)."""
    now = utcnow()
    return [_job_status(j, now) for j in session.scalars(select(SolveJob).order_by(SolveJob.id.desc()).limit(limit))]
