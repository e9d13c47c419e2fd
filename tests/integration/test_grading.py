"""Grades stored per lawyer per year: computed from the assessment, overridden with a reason (audited and
kept on recompute), the commendation list, and a scoped planner kept to their offices' lawyers."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import annual_assessment
from scheduler.attendance.grades import BASIC, COMPETENT, EXCELLENT, INCOMPETENT, Thresholds
from scheduler.attendance.grading import (
    LawyerNotAssessed,
    ReasonRequired,
    UnknownGrade,
    commendations,
    compute_grades,
    graded_rows,
    override_grade,
    sheet_grading,
)
from scheduler.attendance.reports.export import assessment_bytes
from scheduler.attendance.training import TrainingSpec, add_training, invite, record_training_attendance
from scheduler.cli.assessment import assessment
from scheduler.cli.attendance import report
from scheduler.db import transaction
from scheduler.models import AuditEvent, StatusPeriod
from scheduler.models.grades import AssessmentGrade
from scheduler.people.scope import OfficeScope, OutOfScope
from tests.integration.attendance_fixtures import FIRMS, RECORDED_ON, County, recorded_county


@pytest.fixture(autouse=True)
def _instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Publishing writes the calendars' secret key into the instance folder: keep it out of the repository.
    monkeypatch.setenv("SCHEDULER_INSTANCE_DIR", str(tmp_path / "instance"))


# Two duties served are enough for 优秀, and two due for the rate, in these tests (the fixture's year is short).
SHORT_YEAR = Thresholds(excellent_min_served=2, excellent_consultations=0, rate_min_due=2)


def _county(factory: sessionmaker[Session]) -> County:
    county = recorded_county(factory)
    with transaction(factory) as session:
        training = add_training(session, TrainingSpec("专项培训", dt.date(2026, 3, 27), dt.time(9), dt.time(12)), "p")
        invite(session, training.id, "p", lawyers=list(county.lawyers))
        for who in (0, 1, 3, 4):
            record_training_attendance(session, training.id, county.lawyers[who], "attended", "p", today=RECORDED_ON)
    return county


def _compute(factory: sessionmaker[Session], thresholds: Thresholds = SHORT_YEAR) -> None:
    with transaction(factory) as session:
        compute_grades(session, annual_assessment(session, 2026, today=RECORDED_ON), "planner", thresholds)


def _finals(factory: sessionmaker[Session]) -> dict[str, str | None]:
    with factory() as session:
        return {g.row.name: g.final for g in graded_rows(session, annual_assessment(session, 2026, today=RECORDED_ON))}


def _override(factory: sessionmaker[Session], licence: str, value: str, reason: str, scope: OfficeScope | None = None):  # type: ignore[no-untyped-def]
    with transaction(factory) as session:
        kwargs = {"scope": scope} if scope is not None else {}
        report = annual_assessment(session, 2026, today=RECORDED_ON, **kwargs)
        return override_grade(session, report, licence, value, reason, "planner")


def test_grades_are_computed_from_the_year_s_counts(session_factory: sessionmaker[Session]) -> None:
    _county(session_factory)
    assert set(_finals(session_factory).values()) == {None}  # nothing stored before computing
    _compute(session_factory)
    # 0: 2 served, 1 training; 1: 1 late of 2; 2: 1 absent of 2 (50 %); 3: 2 served; 4: 2 served, 1 late
    assert _finals(session_factory) == {
        "律师0": EXCELLENT,
        "律师1": EXCELLENT,
        "律师2": INCOMPETENT,
        "律师3": EXCELLENT,
        "律师4": EXCELLENT,
    }
    _compute(session_factory, Thresholds())  # the defaults: too few duties in this year for 优秀 or for the rate
    assert _finals(session_factory) == {
        "律师0": COMPETENT,
        "律师1": COMPETENT,
        "律师2": BASIC,
        "律师3": COMPETENT,
        "律师4": COMPETENT,
    }
    with session_factory() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.grade")).all()
        assert len(events) == 2 and events[-1].after["grades"] == {COMPETENT: 4, BASIC: 1}


def test_a_suspension_in_the_year_grades_incompetent(session_factory: sessionmaker[Session]) -> None:
    county = _county(session_factory)
    with transaction(session_factory) as session:
        session.add(
            StatusPeriod(
                lawyer_id=county.lawyers[0],
                status="suspended",
                start=dt.date(2026, 11, 1),
                end=dt.date(2027, 1, 31),
                reason="x",
            )
        )
    _compute(session_factory)
    assert _finals(session_factory)["律师0"] == INCOMPETENT


def test_an_override_needs_a_reason_is_audited_and_survives_recompute(session_factory: sessionmaker[Session]) -> None:
    county = _county(session_factory)
    _compute(session_factory)
    with pytest.raises(ReasonRequired):
        _override(session_factory, county.licences[2], "基本称职", "  ")
    with pytest.raises(UnknownGrade, match="没有“良好”这个考核等次"):
        _override(session_factory, county.licences[2], "良好", "理由")
    with pytest.raises(LawyerNotAssessed):
        _override(session_factory, "15223201000000000", "优秀", "理由")
    assert _finals(session_factory)["律师2"] == INCOMPETENT  # nothing changed
    entry = _override(session_factory, county.licences[2], "基本称职", "缺勤系因公出差，已补值班")
    assert (entry.override, entry.computed, entry.overridden_by) == (BASIC, INCOMPETENT, "planner")
    _compute(session_factory)
    assert _finals(session_factory)["律师2"] == BASIC
    with session_factory() as session:
        stored = session.scalars(select(AssessmentGrade).where(AssessmentGrade.lawyer_id == county.lawyers[2])).one()
        assert (stored.computed, stored.override) == (INCOMPETENT, BASIC)
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "assessment.override")).one()
        assert event.reason == "缺勤系因公出差，已补值班" and event.after["grade"] == BASIC


def test_the_commendation_lists_excellent_lawyers_and_firms(session_factory: sessionmaker[Session]) -> None:
    county = _county(session_factory)
    _compute(session_factory)
    with session_factory() as session:
        proposed = commendations(graded_rows(session, annual_assessment(session, 2026, today=RECORDED_ON)))
    assert [row.name for row in proposed.lawyers] == ["律师0", "律师4", "律师1", "律师3"]
    # firm 0 has 律师2 (不称职); firm 1 has 律师1 and 律师3, both 优秀
    assert proposed.firms == (FIRMS[1],)
    _override(session_factory, county.licences[2], "称职", "复核后认定")
    with session_factory() as session:
        proposed = commendations(graded_rows(session, annual_assessment(session, 2026, today=RECORDED_ON)))
    assert proposed.firms == FIRMS


def test_an_override_before_computing_computes_that_lawyer_first(session_factory: sessionmaker[Session]) -> None:
    county = _county(session_factory)
    entry = _override(session_factory, county.licences[0], "优秀", "表现突出")
    assert (entry.override, entry.computed) == (EXCELLENT, COMPETENT)


def test_a_scoped_planner_grades_only_their_offices_lawyers(session_factory: sessionmaker[Session]) -> None:
    county = _county(session_factory)
    nowhere = OfficeScope(frozenset())
    with pytest.raises(OutOfScope):
        _override(session_factory, county.licences[2], "称职", "理由", scope=nowhere)
    with session_factory() as session:
        assert session.scalars(select(AssessmentGrade)).all() == []


def test_the_command_line_grades_overrides_and_lists_commendations(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    county = _county(session_factory)
    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    runner = CliRunner(env=env)
    year = ["--year", "2026", "--today", "2026-04-10"]
    none_yet = runner.invoke(assessment, ["commendations", *year])
    assert none_yet.exit_code == 1
    assert "2026 年尚未评定等次：请先运行 scheduler assessment grade --year 2026" in none_yet.output
    alone = runner.invoke(assessment, ["grade", *year, "--override", county.licences[0]])
    assert alone.exit_code == 1 and "须一起给出" in alone.output
    graded = runner.invoke(assessment, ["grade", *year])
    assert graded.exit_code == 0, graded.output
    lines = graded.output.splitlines()
    assert lines[-1] == "5 lawyers graded for 2026"
    assert f"{county.licences[2]} 律师2 {FIRMS[0]}: 基本称职 - 缺勤 1 次（达到 1 次）" in lines
    refused = runner.invoke(assessment, ["grade", *year, "--override", county.licences[0], "--grade", "优秀"])
    assert refused.exit_code != 0 and "更改考核等次须写明理由" in refused.output
    overridden = runner.invoke(
        assessment, ["grade", *year, "--override", county.licences[0], "--grade", "优秀", "--reason", "表现突出"]
    )
    assert overridden.output.splitlines() == [f"{county.licences[0]}: 优秀 (computed 称职), reason: 表现突出"]
    again = runner.invoke(assessment, ["grade", *year])
    assert f"{county.licences[0]} 律师0 {FIRMS[0]}: 优秀 (computed 称职, overridden)" in again.output
    out = tmp_path / "2026.xlsx"
    written = runner.invoke(report, ["assessment", "--year", "2026", "--out", str(out), "--today", "2026-04-10"])
    assert written.exit_code == 0, written.output
    assert load_workbook(out).sheetnames == ["律师考核", "律师事务所汇总", "拟表彰名单"]
    listed = runner.invoke(assessment, ["commendations", *year])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "lawyers proposed for commendation (1):",
        f"  {county.licences[0]} 律师0 {FIRMS[0]}",
        "firms proposed for commendation (0):",
    ]


def test_the_xlsx_has_a_grade_column_and_a_commendation_sheet(session_factory: sessionmaker[Session]) -> None:
    county = _county(session_factory)
    with session_factory() as session:
        report = annual_assessment(session, 2026, today=RECORDED_ON)
        assert sheet_grading(graded_rows(session, report)) is None  # nothing computed: the sheets stay as they were
    _compute(session_factory)
    _override(session_factory, county.licences[1], "称职", "迟到未说明")
    with session_factory() as session:
        report = annual_assessment(session, 2026, today=RECORDED_ON)
        data = assessment_bytes(report, ".xlsx", grading=sheet_grading(graded_rows(session, report)))
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["律师考核", "律师事务所汇总", "拟表彰名单"]
    lawyers = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert lawyers[1][-2:] == ["缺勤超限", "考核等次"]
    grades = {row[1]: row[-1] for row in lawyers[2:7]}
    assert grades == {"律师0": "优秀", "律师1": "称职（调整）", "律师2": "不称职", "律师3": "优秀", "律师4": "优秀"}
    commended = [[c.value for c in row] for row in book.worksheets[2].iter_rows()]
    assert commended[0][0] == "黔西南州司法局 2026年度拟表彰律师和律师事务所名单"
    assert commended[1] == ["序号", "类别", "姓名", "执业证号", "律师事务所"]
    assert commended[2:5] == [
        [1, "优秀律师", "律师0", county.licences[0], FIRMS[0]],
        [2, "优秀律师", "律师4", county.licences[4], FIRMS[0]],
        [3, "优秀律师", "律师3", county.licences[3], FIRMS[1]],
    ]
    # firm 1: 律师1 称职 and 律师3 优秀 -> proposed; firm 0 has 律师2 不称职
    assert commended[5] == [4, "优秀律师事务所", None, None, FIRMS[1]]
    assert commended[6][0] == "优秀律师 3 名，优秀律师事务所 1 家；提交联席会议审议。"


def test_the_rules_come_from_the_settings(session_factory: sessionmaker[Session], db_url: str, tmp_path: Path) -> None:
    _county(session_factory)
    env = {
        "SCHEDULER_DATABASE_URL": db_url,
        "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance"),
        "SCHEDULER_GRADE_RULES": "excellent_min_served=2,excellent_consultations=0,rate_min_due=2",
    }
    graded = CliRunner(env=env).invoke(assessment, ["grade", "--year", "2026", "--today", "2026-04-10"])
    assert graded.exit_code == 0, graded.output
    assert _finals(session_factory) == {
        "律师0": EXCELLENT,
        "律师1": EXCELLENT,
        "律师2": INCOMPETENT,
        "律师3": EXCELLENT,
        "律师4": EXCELLENT,
    }
    bad = CliRunner(env=env | {"SCHEDULER_GRADE_RULES": "basic_late=x"}).invoke(assessment, ["grade", "--year", "2026"])
    assert bad.exit_code != 0 and "考核等次规则“basic_late=x”有误" in bad.output
