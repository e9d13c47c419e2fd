"""Assessment grades (考核等次) per lawyer per year: the computed grade with its reasons and the planner's
override with its reason (see scheduler.attendance.grades for the rule)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.db import Base
from scheduler.models.rosters import utcnow

GRADE_VALUES = ("excellent", "competent", "basic", "incompetent")
_GRADES_SQL = ", ".join(repr(g) for g in GRADE_VALUES)


class AssessmentGrade(Base):
    """One lawyer's grade of one year; `override` (with its reason, who and when) wins over `computed`."""

    __tablename__ = "assessment_grades"
    __table_args__ = (
        UniqueConstraint("year", "lawyer_id"),
        CheckConstraint(f"computed IN ({_GRADES_SQL})", name="computed"),
        CheckConstraint(f"override IS NULL OR override IN ({_GRADES_SQL})", name="override"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    lawyer_id: Mapped[int] = mapped_column(ForeignKey("lawyers.id", ondelete="CASCADE"), index=True)
    computed: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[Any] = mapped_column(JSON, default=list)  # [{"code": ..., "params": {...}}]
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    override: Mapped[str | None] = mapped_column(String(16), default=None)
    override_reason: Mapped[str] = mapped_column(String(500), default="")
    overridden_by: Mapped[str] = mapped_column(String(80), default="")
    overridden_at: Mapped[dt.datetime | None] = mapped_column(DateTime, default=None)

    @property
    def final(self) -> str:
        return self.override or self.computed
