"""The annual assessment: known counts per lawyer and firm, the absence flag and its removal command,
the .xlsx and CSV exports reopened cell by cell, and the chart."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shlex
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import AssessmentReport, annual_assessment
from scheduler.attendance.reports import export
from scheduler.cli.attendance import report
from scheduler.core.errors import InputError
from scheduler.db import transaction
from scheduler.models import Lawyer, StatusPeriod
from scheduler.rosters import swap_requests
from tests.integration.attendance_fixtures import FIRMS, RECORDED_ON, County, published_roster, record_all

PLANNING_DAY = dt.date(2026, 3, 20)
APR_1, APR_8 = dt.date(2026, 4, 1), dt.date(2026, 4, 8)
LAWYER_HEADERS = [
    "序号",
    "姓名",
    "执业证号",
    "律师事务所",
    "排班",
    "实际值班",
    "出勤",
    "迟到",
    "缺勤",
    "被替班",
    "替班",
]
LAWYER_HEADERS += ["转出", "接替", "领导接待日", "换班申请", "未登记", "接待次数", "来访人数", "参加培训", "缺席培训"]
LAWYER_HEADERS += ["缺勤超限"]
# With the threshold at 1 absence; counts in the order of the headers, from 排班 to 未登记, then the
# reception log and trainings (none recorded here: tests/integration/test_assessment_records.py counts them).
LAWYER_ROWS = [
    [1, "律师0", "15223201011000100", FIRMS[0], 2, 2, 2, 0, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, None],
    [2, "律师2", "15223201011000102", FIRMS[0], 3, 1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 0, "是"],
    [3, "律师4", "15223201011000104", FIRMS[0], 2, 3, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, None],
    [4, "律师1", "15223201011000101", FIRMS[1], 3, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, None],
    [5, "律师3", "15223201011000103", FIRMS[1], 3, 2, 2, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, None],
]
LAWYER_TOTALS = ["合计", None, None, None, 13, 10, 8, 2, 1, 1, 1, 1, 1, 1, 2, 2, 0, 0, 0, 0, "1人"]
FIRM_HEADERS = ["序号", "律师事务所", "律师人数", *LAWYER_HEADERS[4:-1], "缺勤超限人数"]
FIRM_ROWS = [
    [1, FIRMS[0], 3, 7, 6, 5, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0, 0, 1],
    [2, FIRMS[1], 2, 6, 4, 3, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0],
]
FIRM_TOTALS = ["合计", None, 5, 13, 10, 8, 2, 1, 1, 1, 1, 1, 1, 2, 2, 0, 0, 0, 0, 1]


@pytest.fixture(autouse=True)
def _instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Publishing writes the calendars' secret key into the instance folder: keep it out of the repository.
    monkeypatch.setenv("SCHEDULER_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("SCHEDULER_BUREAU_NAME", raising=False)
    yield


def _assessed_county(factory: sessionmaker[Session]) -> County:
    """The fixture, plus: 律师0 gives 04-08 to 律师2 (approved), 律师3 asks 律师0 to take 04-01 (declined)."""
    county = published_roster(factory)
    ids, duties = county.lawyers, county.duties
    with transaction(factory) as session:
        given = swap_requests.create(session, duties[APR_8], ids[0], ids[2], today=PLANNING_DAY)
        swap_requests.respond(session, given.id, ids[2], True, today=PLANNING_DAY)
        swap_requests.decide(session, given.id, True, "clerk", today=PLANNING_DAY)
        asked = swap_requests.create(session, duties[APR_1], ids[3], ids[0], today=PLANNING_DAY)
        swap_requests.respond(session, asked.id, ids[0], False, today=PLANNING_DAY)
    record_all(factory, county)
    return county


def _assess(factory: sessionmaker[Session], threshold: int = 1) -> AssessmentReport:
    with factory() as session:
        return annual_assessment(session, 2026, absence_threshold=threshold, today=RECORDED_ON)


def _sheet_rows(data: bytes, sheet: int) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def test_each_lawyer_is_counted_as_the_module_docstring_defines(session_factory: sessionmaker[Session]) -> None:
    _assessed_county(session_factory)
    result = _assess(session_factory)
    fields = ("assigned", "served", "attended", "late", "absent", "substituted", "substitute")
    fields += ("given_away", "taken_over", "leader_days", "swap_requests", "unrecorded", "flagged")
    got = [[r.name, *(getattr(r, f) for f in fields)] for r in result.rows]
    want = [[row[1], *row[4:16], row[-1] == "是"] for row in LAWYER_ROWS]
    assert got == want
    assert [r.name for r in result.flagged()] == ["律师2"]
    assert result.total("assigned") == 13 and result.total("absent") == 1


def test_the_threshold_decides_who_is_flagged(session_factory: sessionmaker[Session]) -> None:
    _assessed_county(session_factory)
    assert _assess(session_factory, threshold=2).flagged() == ()
    with session_factory() as session, pytest.raises(InputError, match="须至少为 1，而不是 0"):
        annual_assessment(session, 2026, absence_threshold=0)


def test_a_flagged_lawyer_gets_the_removal_command_which_the_removal_flow_accepts(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    county = _assessed_county(session_factory)
    result = _assess(session_factory)
    command = result.removal_command(result.flagged()[0])
    assert command == 'scheduler lawyer remove 15223201011000102 --from 2027-01-01 --reason "2026年度考核：缺勤1次"'
    from scheduler.cli.changes import lawyer

    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    removed = CliRunner(env=env).invoke(lawyer, shlex.split(command)[2:])
    assert removed.exit_code == 0, removed.output
    with session_factory() as session:
        flagged = session.get(Lawyer, county.lawyers[2])
        assert flagged is not None and flagged.status_on(dt.date(2027, 1, 1)) == "removed"


def test_the_firm_summary_adds_up_its_lawyers(session_factory: sessionmaker[Session]) -> None:
    _assessed_county(session_factory)
    firms = _assess(session_factory).firms()
    assert [(f.firm, f.lawyers, f.assigned, f.absent, f.given_away, f.taken_over, f.flagged) for f in firms] == [
        (FIRMS[0], 3, 7, 1, 1, 1, 1),
        (FIRMS[1], 2, 6, 0, 0, 0, 0),
    ]


def test_lawyers_removed_before_the_year_are_left_out_unless_they_served(
    session_factory: sessionmaker[Session],
) -> None:
    _assessed_county(session_factory)
    with transaction(session_factory) as session:
        gone = Lawyer(name="离任", licence_no="15223201011000999", first_practice_year=2010, calendar_token="gone")
        gone.status_periods.append(StatusPeriod(status="removed", start=dt.date(2025, 6, 1), reason="调离"))
        session.add(gone)
    assert "离任" not in [r.name for r in _assess(session_factory).rows]
    with session_factory() as session:
        assert "离任" in [r.name for r in annual_assessment(session, 2025, today=RECORDED_ON).rows]


def test_the_xlsx_has_a_lawyer_sheet_and_a_firm_sheet_cell_by_cell(session_factory: sessionmaker[Session]) -> None:
    _assessed_county(session_factory)
    data = export.assessment_bytes(_assess(session_factory), ".xlsx")
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["律师考核", "律师事务所汇总"]
    rows = _sheet_rows(data, 0)
    assert rows[0] == ["黔西南州司法局 2026年度信访值班律师考核表"] + [None] * 20
    assert rows[1] == LAWYER_HEADERS
    assert rows[2:7] == LAWYER_ROWS
    assert rows[7] == LAWYER_TOTALS
    assert [row[0] for row in rows[8:]] == [
        "说明：缺勤达到1次的律师在“缺勤超限”栏标“是”，可启动取消资格流程（scheduler lawyer remove），系统不自动取消。",
        "统计截至2026-04-10；“未登记”为截至该日尚未登记出勤的值班；“转出”“接替”为经批准的换班、代班和调整。",
    ]
    for row in book.worksheets[0].iter_rows(min_row=3, max_row=8, min_col=5, max_col=20):
        assert all(type(cell.value) is int and cell.number_format == "0" for cell in row)
    firm_rows = _sheet_rows(data, 1)
    assert firm_rows[0][0] == "黔西南州司法局 2026年度信访值班律师考核汇总（按律师事务所）"
    assert firm_rows[1] == FIRM_HEADERS
    assert firm_rows[2:4] == FIRM_ROWS
    assert firm_rows[4] == FIRM_TOTALS
    assert len(firm_rows) == 5


def test_the_csv_is_the_lawyer_sheet(session_factory: sessionmaker[Session]) -> None:
    _assessed_county(session_factory)
    rows = list(csv.reader(io.StringIO(export.assessment_bytes(_assess(session_factory), ".csv").decode("utf-8-sig"))))
    assert rows[0] == ["黔西南州司法局 2026年度信访值班律师考核表"]
    assert rows[1] == LAWYER_HEADERS
    expected = [["" if v is None else str(v) for v in row] for row in [*LAWYER_ROWS, LAWYER_TOTALS]]
    assert rows[2:8] == expected


def test_the_command_line_writes_the_report_and_chart_and_names_the_removal_command(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    _assessed_county(session_factory)
    env = {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}
    out, chart = tmp_path / "2026.xlsx", tmp_path / "2026.svg"
    args = ["assessment", "--year", "2026", "--out", str(out), "--chart", str(chart), "--today", "2026-04-10"]
    result = CliRunner(env=env).invoke(report, [*args, "--absence-threshold", "1"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"wrote {out}: 5 lawyers",
        f"wrote {chart}",
        "律师2 (15223201011000102) was absent 1 time; to start the removal, run:",
        '  scheduler lawyer remove 15223201011000102 --from 2027-01-01 --reason "2026年度考核：缺勤1次"',
    ]
    assert _sheet_rows(out.read_bytes(), 0)[2:8] == [*LAWYER_ROWS, LAWYER_TOTALS]
    svg = ET.fromstring(chart.read_text(encoding="utf-8"))
    assert svg.get("lang") == "zh-CN"
    labels = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
    assert labels == ["律师0", "律师2", "律师4", "律师1", "律师3"]
    default = CliRunner(env=env).invoke(report, ["assessment", "--year", "2026", "--out", str(tmp_path / "a.csv")])
    assert default.exit_code == 0 and "remove" not in default.output
    bad = CliRunner(env=env).invoke(report, [*args[:5], "--chart", str(tmp_path / "c.png")])
    assert bad.exit_code == 2 and "the chart is written as .svg" in bad.output
