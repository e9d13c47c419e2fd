"""Background solve jobs: their state and progress live in the database so every planner sees them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, Float, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.db import Base
from scheduler.models.rosters import utcnow

JOB_STATES = ("queued", "running", "succeeded", "failed")


class SolveJob(Base):
    """A request to solve a period, run by an in-process thread or an RQ worker on another machine."""

    __tablename__ = "solve_jobs"
    __table_args__ = (
        CheckConstraint("state IN ('queued', 'running', 'succeeded', 'failed')", name="state"),
        CheckConstraint("period_end >= period_start", name="period"),
        CheckConstraint("time_limit_s > 0", name="time_limit"),
        # One solve per period at a time, kept by the database: two planners cannot start two.
        Index(
            "uq_solve_jobs_one_active",
            "period_start",
            "period_end",
            unique=True,
            sqlite_where=text("state IN ('queued', 'running')"),
            postgresql_where=text("state IN ('queued', 'running')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(16), default="queued")
    time_limit_s: Mapped[float] = mapped_column(Float, default=30.0)
    workers: Mapped[int] = mapped_column(Integer, default=2)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    # The latest improving solution: {"objective", "bound", "elapsed_s"}.
    progress: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    error: Mapped[str] = mapped_column(String(2000), default="")
    roster_id: Mapped[int | None] = mapped_column(ForeignKey("rosters.id", ondelete="SET NULL"))
    created_by: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    # Refreshed while the job runs; a running job whose heartbeat stops was killed (see jobs.reap).
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
