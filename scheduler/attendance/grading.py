"""Grading the annual assessment (考核等次) and proposing commendation (表彰奖励): the use cases over the pure
rule of scheduler.attendance.grades.

Computing stores each listed lawyer's computed grade and reasons for the year and keeps every override; an
override needs a reason and is audited. A scoped planner computes and overrides only the lawyers their
assessment lists (the lawyers serving their offices or with a duty there).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.attendance.allowance import NO_FIRM
from scheduler.attendance.assessment import AssessmentReport, AssessmentRow, annual_assessment
from scheduler.attendance.grades import (
    EXCELLENT,
    GRADE_CODES,
    GRADE_LABELS,
    FirmRule,
    Reason,
    Thresholds,
    commended_firms,
    grade,
    parse_rules,
)
from scheduler.attendance.reports.sheets import Grading
from scheduler.audit import record
from scheduler.core.errors import FieldError, InputError, NotFound
from scheduler.db import SETTINGS_KEY
from scheduler.models import Lawyer, StatusPeriod
from scheduler.models.grades import AssessmentGrade
from scheduler.models.rosters import utcnow
from scheduler.people.scope import OutOfScope

REASON_LIMIT = 500


class UnknownGrade(FieldError):
    code = "grades.unknown_grade"
    template = "没有“{value}”这个考核等次（可选：优秀、称职、基本称职、不称职）"

    def __init__(self, value: str) -> None:
        InputError.__init__(self, value=value)
        self.field, self.detail = "grade", str(self)


class ReasonRequired(FieldError):
    code = "grades.reason_required"
    template = "更改考核等次须写明理由（不超过 {limit} 个字）"

    def __init__(self) -> None:
        InputError.__init__(self, limit=REASON_LIMIT)
        self.field, self.detail = "reason", str(self)


class LawyerNotAssessed(NotFound):
    code = "grades.not_assessed"
    template = "执业证号为 {licence} 的律师不在 {year} 年度的考核名单中"


@dataclass(frozen=True)
class GradedRow:
    """A lawyer's assessment row with the stored grade (None: not computed yet)."""

    row: AssessmentRow
    computed: str | None
    reasons: tuple[Reason, ...]
    override: str | None
    override_reason: str
    overridden_by: str
    overridden_at: dt.datetime | None

    @property
    def final(self) -> str | None:
        return self.override or self.computed

    @property
    def label(self) -> str:
        return GRADE_LABELS[self.final] if self.final else ""


@dataclass(frozen=True)
class Commendation:
    """The lawyers (final grade 优秀) and the firms proposed for commendation."""

    lawyers: tuple[AssessmentRow, ...]
    firms: tuple[str, ...]


def configured_rules(session: Session) -> tuple[Thresholds, FirmRule]:
    """The grading rules of the settings the session was made with (SCHEDULER_GRADE_RULES), else the defaults."""
    settings = session.info.get(SETTINGS_KEY)
    return parse_rules(getattr(settings, "grade_rules", "") or "")


def sanctioned_lawyers(session: Session, year: int, lawyer_ids: Iterable[int]) -> set[int]:
    """The lawyers of `lawyer_ids` with a suspension or a removal touching `year`."""
    ids = sorted(set(lawyer_ids))
    if not ids:
        return set()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    query = select(StatusPeriod.lawyer_id).where(
        StatusPeriod.lawyer_id.in_(ids),
        StatusPeriod.start <= last,
        (StatusPeriod.end.is_(None)) | (StatusPeriod.end >= first),
    )
    return set(session.scalars(query))


def _stored(session: Session, year: int, lawyer_ids: Iterable[int]) -> dict[int, AssessmentGrade]:
    ids = sorted(set(lawyer_ids))
    if not ids:
        return {}
    query = select(AssessmentGrade).where(AssessmentGrade.year == year, AssessmentGrade.lawyer_id.in_(ids))
    return {g.lawyer_id: g for g in session.scalars(query)}


def compute_grades(session: Session, report: AssessmentReport, actor: str, thresholds: Thresholds | None = None) -> int:
    """Store the computed grade of every lawyer of `report` (overrides kept); the number of lawyers graded."""
    thresholds = thresholds or configured_rules(session)[0]
    ids = [row.lawyer_id for row in report.rows]
    sanctioned = sanctioned_lawyers(session, report.year, ids)
    stored = _stored(session, report.year, ids)
    now = utcnow()
    tally: dict[str, int] = defaultdict(int)
    for row in report.rows:
        result = grade(asdict(row), sanctioned=row.lawyer_id in sanctioned, thresholds=thresholds)
        entry = stored.get(row.lawyer_id)
        if entry is None:
            entry = AssessmentGrade(year=report.year, lawyer_id=row.lawyer_id, override_reason="", overridden_by="")
            session.add(entry)
        entry.computed = result.grade
        entry.reasons = [{"code": r.code, "params": dict(r.params)} for r in result.reasons]
        entry.computed_at = now
        tally[result.grade] += 1
    session.flush()
    record(
        session,
        actor,
        "assessment.grade",
        entity="assessment",
        entity_id=report.year,
        after={"year": report.year, "lawyers": len(report.rows), "grades": dict(tally)},
    )
    return len(report.rows)


def grade_code(value: str) -> str:
    """The grade code of a label (优秀) or a code (excellent); UnknownGrade otherwise."""
    text = value.strip()
    if text in GRADE_LABELS:
        return text
    if text in GRADE_CODES:
        return GRADE_CODES[text]
    raise UnknownGrade(value=text)


def override_grade(
    session: Session, report: AssessmentReport, licence: str, value: str, reason: str, actor: str
) -> AssessmentGrade:
    """Set the grade of the lawyer with licence `licence` (one of `report`'s rows: the scope's lawyers) with a
    required reason; the computed grade stays beside it and recomputing keeps the override."""
    code = grade_code(value)
    reason = reason.strip()
    if not reason or len(reason) > REASON_LIMIT:
        raise ReasonRequired()
    row = next((r for r in report.rows if r.licence_no == licence.strip()), None)
    if row is None:
        if session.scalar(select(Lawyer.id).where(Lawyer.licence_no == licence.strip())) is not None:
            raise OutOfScope()
        raise LawyerNotAssessed(licence=licence.strip(), year=report.year)
    entry = _stored(session, report.year, [row.lawyer_id]).get(row.lawyer_id)
    if entry is None:
        compute_grades(session, AssessmentReport(report.year, report.absence_threshold, report.today, (row,)), actor)
        entry = _stored(session, report.year, [row.lawyer_id])[row.lawyer_id]
    before = {"grade": entry.override, "reason": entry.override_reason}
    entry.override, entry.override_reason = code, reason
    entry.overridden_by, entry.overridden_at = actor, utcnow()
    session.flush()
    record(
        session,
        actor,
        "assessment.override",
        entity="lawyer",
        entity_id=row.lawyer_id,
        reason=reason,
        before=before,
        after={"year": report.year, "grade": code, "computed": entry.computed},
    )
    return entry


def graded_rows(session: Session, report: AssessmentReport) -> tuple[GradedRow, ...]:
    """The rows of `report` with their stored grades (one query)."""
    stored = _stored(session, report.year, [row.lawyer_id for row in report.rows])
    out = []
    for row in report.rows:
        g = stored.get(row.lawyer_id)
        reasons = tuple(Reason(r["code"], r.get("params", {})) for r in (g.reasons if g else []) or [])
        out.append(
            GradedRow(
                row=row,
                computed=g.computed if g else None,
                reasons=reasons,
                override=g.override if g else None,
                override_reason=g.override_reason if g else "",
                overridden_by=g.overridden_by if g else "",
                overridden_at=g.overridden_at if g else None,
            )
        )
    return tuple(out)


def commendations(rows: Iterable[GradedRow], rule: FirmRule | None = None) -> Commendation:
    """The lawyers graded 优秀 and the firms meeting `rule`, in the order of the rows."""
    listed = list(rows)
    by_firm: dict[str, list[str]] = defaultdict(list)
    for g in listed:
        if g.final is not None and g.row.firm != NO_FIRM:
            by_firm[g.row.firm].append(g.final)
    return Commendation(
        lawyers=tuple(g.row for g in listed if g.final == EXCELLENT),
        firms=tuple(commended_firms(by_firm, rule)),
    )


def sheet_grading(rows: tuple[GradedRow, ...], rule: FirmRule | None = None) -> Grading | None:
    """The grade column and commendation sheet of the .xlsx report; None while no grade is computed."""
    if not any(g.final for g in rows):
        return None
    proposed = commendations(rows, rule)
    grades = {g.row.lawyer_id: GRADE_LABELS[g.final] + ("（调整）" if g.override else "") for g in rows if g.final}
    return Grading(grades, proposed.lawyers, proposed.firms)


def grade_years(session: Session, years: Iterable[int], actor: str, today: dt.date) -> int:
    """Compute the grades of every lawyer for each of `years` (overrides kept); the number of grades stored."""
    return sum(
        compute_grades(session, annual_assessment(session, year, today=today), actor) for year in sorted(set(years))
    )
