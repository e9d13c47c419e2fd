"""The reception log (接待登记): consultations on served duties only, categories the planner keeps, the
monthly statistics and their workbook, the command line; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.consultations import (
    ConsultationSpec,
    add_category,
    categories,
    change_category,
    record_consultation,
    remove_consultation,
    served_duties,
)
from scheduler.attendance.reception_stats import reception_month, reception_tables
from scheduler.attendance.record_errors import (
    BadVisitors,
    CategoryExists,
    DutyNotServed,
    UnknownCategory,
    UnknownReferral,
)
from scheduler.attendance.reports.excel import xlsx_bytes
from scheduler.cli.records import reception
from scheduler.db import transaction
from scheduler.models import AuditEvent
from scheduler.models.records import DEFAULT_CATEGORIES, Consultation
from tests.integration.attendance_fixtures import RECORDED_ON, County, recorded_county

MARCH_4, MARCH_11, APRIL_8 = dt.date(2026, 3, 4), dt.date(2026, 3, 11), dt.date(2026, 4, 8)


def _spec(county: County, day: dt.date, who: int, **changes: object) -> ConsultationSpec:
    values: dict[str, object] = {
        "duty_id": county.duties[day],
        "lawyer": county.licences[who],
        "time": dt.time(9, 30),
        "visitors": 2,
        "category": "劳动争议",
        "referral": "仲裁",
        "advice": "建议申请劳动仲裁。",
    }
    values.update(changes)
    return ConsultationSpec(**values)  # type: ignore[arg-type]


def _count(factory: sessionmaker[Session]) -> tuple[int, int]:
    with factory() as session:
        return (
            session.scalar(select(func.count()).select_from(Consultation)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("reception.%")))
            or 0,
        )


def test_the_policy_s_categories_are_there_from_the_start(session: Session) -> None:
    assert [c.name for c in categories(session)] == list(DEFAULT_CATEGORIES)


def test_a_lawyer_who_served_logs_consultations_and_each_is_audited(session_factory: sessionmaker[Session]) -> None:
    county = recorded_county(session_factory)
    with transaction(session_factory) as session:
        row = record_consultation(session, _spec(county, MARCH_4, 0), "user:lawyer0", today=RECORDED_ON)
        late = record_consultation(session, _spec(county, MARCH_4, 1, referral="legal_aid"), "clerk", today=RECORDED_ON)
        # The substitute served 03-11, so the consultation is theirs.
        record_consultation(
            session, _spec(county, MARCH_11, 4, visitors=1, category="婚姻家庭"), "c", today=RECORDED_ON
        )
        assert (row.visitors, row.category.name, row.referral) == (2, "劳动争议", "arbitration")
        assert late.referral == "legal_aid"
    with session_factory() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "reception.record")).first()
        assert event is not None and event.after["category"] == "劳动争议"
        assert "建议" not in str(event.after)  # the advice text stays out of the audit log
        mine = served_duties(session, dt.date(2026, 3, 1), RECORDED_ON, lawyer_id=county.lawyers[4])
        assert [(d.date, d.consultations, d.visitors) for d in mine][-1] == (MARCH_11, 1, 1)
    assert _count(session_factory) == (3, 3)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"category": "房产纠纷"}, UnknownCategory),
        ({"visitors": 0}, BadVisitors),
        ({"visitors": 501}, BadVisitors),
        ({"referral": "信访"}, UnknownReferral),
    ],
)
def test_bad_input_is_refused_by_field_and_changes_nothing(
    session_factory: sessionmaker[Session], changes: dict[str, object], error: type[Exception]
) -> None:
    county = recorded_county(session_factory)
    with pytest.raises(error) as caught, transaction(session_factory) as session:
        record_consultation(session, _spec(county, MARCH_4, 0, **changes), "clerk", today=RECORDED_ON)
    assert getattr(caught.value, "field", None) in ("category", "visitors", "referral")
    assert _count(session_factory) == (0, 0)
    if error is UnknownCategory:
        assert "房产纠纷" in str(caught.value) and "劳动争议" in str(caught.value)


@pytest.mark.parametrize(
    ("day", "who", "today"),
    [
        (APRIL_8, 0, RECORDED_ON),  # attendance not recorded yet
        (APRIL_8, 0, dt.date(2026, 4, 20)),
        (MARCH_11, 2, RECORDED_ON),  # absent
        (MARCH_11, 3, RECORDED_ON),  # substituted: the substitute served, not them
        (MARCH_4, 4, RECORDED_ON),  # not on the duty at all
        (MARCH_4, 0, dt.date(2026, 3, 3)),  # before the duty
    ],
)
def test_a_duty_not_served_by_the_lawyer_takes_no_consultation(
    session_factory: sessionmaker[Session], day: dt.date, who: int, today: dt.date
) -> None:
    county = recorded_county(session_factory)
    with pytest.raises(DutyNotServed) as caught, transaction(session_factory) as session:
        record_consultation(session, _spec(county, day, who), "clerk", today=today)
    assert f"律师{who}" in str(caught.value) and "不能登记接待" in str(caught.value)
    assert _count(session_factory) == (0, 0)


def test_the_planner_adds_renames_and_retires_categories(session_factory: sessionmaker[Session]) -> None:
    county = recorded_county(session_factory)
    with transaction(session_factory) as session:
        added = add_category(session, "涉法涉诉", "planner")
        labour = next(c for c in categories(session) if c.name == "劳动争议")
        record_consultation(session, _spec(county, MARCH_4, 0), "clerk", today=RECORDED_ON)
        change_category(session, labour.id, "劳动争议", False, "planner")
        assert added.name in [c.name for c in categories(session, active_only=True)]
    with pytest.raises(CategoryExists), transaction(session_factory) as session:
        add_category(session, "刑事", "planner")
    with pytest.raises(UnknownCategory), transaction(session_factory) as session:
        record_consultation(session, _spec(county, MARCH_4, 1), "clerk", today=RECORDED_ON)
    with session_factory() as session:
        # A retired category is still counted where it was used.
        assert "劳动争议" in reception_month(session, 2026, 3).categories


def test_the_monthly_statistics_count_by_office_lawyer_category_and_referral(
    session_factory: sessionmaker[Session],
) -> None:
    county = recorded_county(session_factory)
    with transaction(session_factory) as session:
        record_consultation(session, _spec(county, MARCH_4, 0), "c", today=RECORDED_ON)
        record_consultation(
            session,
            _spec(county, MARCH_4, 0, visitors=5, category="征地拆迁", referral="行政复议"),
            "c",
            today=RECORDED_ON,
        )
        record_consultation(session, _spec(county, MARCH_11, 4, visitors=1, referral="无"), "c", today=RECORDED_ON)
    with session_factory() as session:
        report = reception_month(session, 2026, 3)
        assert (report.total.consultations, report.total.visitors) == (3, 8)
        (office,) = report.offices
        assert office.by_category["劳动争议"] == 2 and office.visitors_by_category["征地拆迁"] == 5
        assert office.by_referral["administrative_review"] == 1
        assert [(line.name, line.consultations, line.visitors) for line in report.lawyers] == [
            ("律师0", 2, 7),
            ("律师4", 1, 1),
        ]
        assert reception_month(session, 2026, 4).total.consultations == 0
        book = load_workbook(io.BytesIO(xlsx_bytes(reception_tables(report))))
    assert book.sheetnames == ["按信访局", "按律师"]
    sheet = book["按律师"]
    headers = [cell.value for cell in sheet[2]]
    assert headers[:5] == ["序号", "姓名", "执业证号", "接待次数", "来访人数"]
    assert sheet.cell(3, 2).value == "律师0" and sheet.cell(3, 4).value == 2
    text = " ".join(str(cell.value) for row in sheet.iter_rows() for cell in row)
    assert "建议" not in text  # counts only, no advice


def test_a_consultation_entered_by_mistake_is_removed_with_its_audit(session_factory: sessionmaker[Session]) -> None:
    county = recorded_county(session_factory)
    with transaction(session_factory) as session:
        row_id = record_consultation(session, _spec(county, MARCH_4, 0), "c", today=RECORDED_ON).id
    with pytest.raises(Exception, match="接待登记不存在"), transaction(session_factory) as session:
        remove_consultation(session, row_id, "x", lawyer_id=county.lawyers[1])  # not theirs
    with transaction(session_factory) as session:
        assert remove_consultation(session, row_id, "c", "录入错误") == county.duties[MARCH_4]
    assert _count(session_factory) == (0, 2)


def test_the_command_line_adds_lists_and_counts(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    county = recorded_county(session_factory)
    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")})
    base = ["add", "--duty", str(county.duties[MARCH_4]), "--lawyer", county.licences[0], "--time", "10:15"]
    added = runner.invoke(reception, [*base, "--visitors", "3", "--category", "社会保障", "--today", "2026-04-10"])
    assert added.exit_code == 0, added.output
    refused = runner.invoke(reception, [*base, "--visitors", "0", "--category", "社会保障", "--today", "2026-04-10"])
    assert refused.exit_code == 1 and "来访人数须在 1 到 500 之间" in refused.output
    listed = runner.invoke(reception, ["list", "--from", "2026-03-01", "--to", "2026-03-31"])
    assert "社会保障" in listed.output and "律师0" in listed.output
    out = tmp_path / "reception.xlsx"
    assert runner.invoke(reception, ["stats", "--month", "2026-03", "--out", str(out)]).exit_code == 0
    assert load_workbook(out).sheetnames == ["按信访局", "按律师"]
    assert "1 consultation(s), 3 visitor(s)" in runner.invoke(reception, ["stats", "--month", "2026-03"]).output
