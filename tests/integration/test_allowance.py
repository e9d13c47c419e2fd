"""The monthly allowance: rates from a date, what is paid, the per-lawyer and per-firm reports, and their
.xlsx and CSV exports reopened and compared cell by cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.allowance import AllowanceReport, monthly_report, set_rate
from scheduler.attendance.reports import export
from scheduler.cli.attendance import allowance_rate, report
from scheduler.config import load_settings
from scheduler.core import wording
from scheduler.core.errors import InputError, NotFound
from scheduler.db import transaction
from scheduler.models import AuditEvent
from tests.integration.attendance_fixtures import FIRMS, RECORDED_ON, recorded_county

JAN_1 = dt.date(2026, 1, 1)
WINDOW, LEADER = "律师接待窗口值班", "党政领导信访接待日"
TITLE = "黔西南州司法局 2026年3月律师信访值班生活补贴发放表（按律师）"
HEADERS = ["序号", "姓名", "执业证号", "律师事务所", "值班类型", "补贴标准（元/次）", "值班次数", "金额（元）"]
# March at 200 a window and 300 a leader day, late not paid: the fixture's known lines and totals.
MARCH_ROWS = [
    [1, "律师0", "15223201011000100", FIRMS[0], WINDOW, 200, 2, 400],
    [2, "律师2", "15223201011000102", FIRMS[0], WINDOW, 200, 1, 200],
    [3, "律师4", "15223201011000104", FIRMS[0], WINDOW, 200, 2, 400],
    [4, "律师1", "15223201011000101", FIRMS[1], WINDOW, 200, 1, 200],
    [5, "律师3", "15223201011000103", FIRMS[1], LEADER, 300, 1, 300],
]
MARCH_TOTALS = ["合计", None, None, None, None, None, 7, 1500]
MARCH_NOTES = [
    "说明：按值班当日有效的补贴标准计发；替班的补贴发给实际值班的律师；缺勤不计发。",
    "迟到的值班不计发补贴（本月1次）。",
]


@pytest.fixture(autouse=True)
def _instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Publishing writes the calendars' secret key into the instance folder: keep it out of the repository.
    monkeypatch.setenv("SCHEDULER_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.delenv("SCHEDULER_BUREAU_NAME", raising=False)
    monkeypatch.delenv("SCHEDULER_ALLOWANCE_PAYS_LATE", raising=False)
    yield


def _county_with_rates(factory: sessionmaker[Session]) -> None:
    recorded_county(factory)
    with transaction(factory) as session:
        set_rate(session, "window", JAN_1, "200", "clerk", today=JAN_1)
        set_rate(session, "leader_day", JAN_1, 300, "clerk", today=JAN_1)


def _march(factory: sessionmaker[Session], **options: bool) -> AllowanceReport:
    with factory() as session:
        return monthly_report(session, 2026, 3, today=RECORDED_ON, **options)


def _sheet_rows(data: bytes, sheet: int = 0) -> list[list[object]]:
    book = load_workbook(io.BytesIO(data))
    return [list(row) for row in book.worksheets[sheet].iter_rows(values_only=True)]


def test_the_march_report_pays_served_duties_at_the_rate_of_their_type(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    result = _march(session_factory)
    lines = [(x.name, x.duty_type, x.rate, x.count, x.amount) for x in result.lines]
    assert lines == [
        ("律师0", "window", Decimal("200.00"), 2, Decimal("400.00")),
        ("律师2", "window", Decimal("200.00"), 1, Decimal("200.00")),  # absent on 03-11: not paid
        ("律师4", "window", Decimal("200.00"), 2, Decimal("400.00")),  # 03-11 as a substitute is paid
        ("律师1", "window", Decimal("200.00"), 1, Decimal("200.00")),  # late on 03-04: not paid
        ("律师3", "leader_day", Decimal("300.00"), 1, Decimal("300.00")),  # substituted on 03-11: not paid
    ]
    assert (result.total_count, result.total_amount, result.late_unpaid, result.unrecorded) == (
        7,
        Decimal("1500.00"),
        1,
        (),
    )
    firms = [(f.firm, f.duty_type, f.rate, f.lawyers, f.count, f.amount) for f in result.by_firm()]
    assert firms == [
        (FIRMS[0], "window", Decimal("200.00"), 3, 5, Decimal("1000.00")),
        (FIRMS[1], "window", Decimal("200.00"), 1, 1, Decimal("200.00")),
        (FIRMS[1], "leader_day", Decimal("300.00"), 1, 1, Decimal("300.00")),
    ]


def test_late_duties_are_paid_only_when_the_bureau_says_so(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    paid = _march(session_factory, pay_late=True)
    assert (paid.total_count, paid.total_amount, paid.late_unpaid) == (8, Decimal("1700.00"), 0)
    assert [x.count for x in paid.lines if x.name == "律师1"] == [2]


def test_a_new_rate_never_rewrites_an_earlier_month(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    before = _sheet_rows(export.allowance_bytes(_march(session_factory), ".xlsx"))
    with transaction(session_factory) as session:
        set_rate(session, "window", dt.date(2026, 4, 1), "250.5", "clerk", today=dt.date(2026, 3, 20))
    assert _sheet_rows(export.allowance_bytes(_march(session_factory), ".xlsx")) == before
    with session_factory() as session:
        april = monthly_report(session, 2026, 4, today=RECORDED_ON)
    # 04-01: 律师3 attended at the new rate, 律师4 was late; 04-08 is not recorded yet.
    assert [(x.name, x.rate, x.count) for x in april.lines] == [("律师3", Decimal("250.50"), 1)]
    assert april.total_amount == Decimal("250.50")
    assert [(u.date, u.name) for u in april.unrecorded] == [
        (dt.date(2026, 4, 8), "律师0"),
        (dt.date(2026, 4, 8), "律师1"),
    ]
    rows = _sheet_rows(export.allowance_bytes(april, ".xlsx"))
    assert rows[2][5] == 250.5 and rows[3][7] == 250.5
    assert rows[-1][0] == "另有2人次值班尚未登记出勤，未计入本表。"


def test_a_rate_that_would_change_an_ended_month_is_refused(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    with transaction(session_factory) as session, pytest.raises(InputError) as caught:
        set_rate(session, "window", dt.date(2026, 3, 1), 250, "clerk", today=RECORDED_ON)
    assert str(caught.value) == (
        "律师接待窗口值班的补贴标准已自 2026年3月1日 起适用，那个月已经结束；"
        "新标准会改写已报的金额。请从 2026年4月1日 或以后开始设置"
    )
    with transaction(session_factory) as session, pytest.raises(InputError, match="改写已报的金额"):
        set_rate(session, "window", JAN_1, 250, "clerk", today=RECORDED_ON)  # changing the rate itself
    assert _march(session_factory).total_amount == Decimal("1500.00")


def test_rates_are_audited_and_checked(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    with transaction(session_factory) as session:
        set_rate(session, "window", dt.date(2026, 5, 1), "220", "clerk", today=RECORDED_ON)
        set_rate(session, "window", dt.date(2026, 5, 1), "230", "clerk", today=RECORDED_ON)  # a correction
        for bad in ("-1", "12.345", "两百", "nan"):
            with pytest.raises(InputError, match="不是以元计的金额"):
                set_rate(session, "window", dt.date(2026, 6, 1), bad, "clerk", today=RECORDED_ON)
        with pytest.raises(NotFound, match="不认识的值班类型“night”"):
            set_rate(session, "night", dt.date(2026, 6, 1), 1, "clerk", today=RECORDED_ON)
    with session_factory() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "allowance_rate.set")).all()
        assert len(events) == 4
        assert (events[-1].before["amount"], events[-1].after["amount"]) == ("220.00", "230.00")


def test_a_month_with_a_paid_duty_and_no_rate_is_refused(session_factory: sessionmaker[Session]) -> None:
    recorded_county(session_factory)
    with transaction(session_factory) as session:
        set_rate(session, "window", JAN_1, 200, "clerk", today=JAN_1)
    with session_factory() as session, pytest.raises(InputError) as caught:
        monthly_report(session, 2026, 3, today=RECORDED_ON)
    assert str(caught.value) == ("党政领导信访接待日在 2026年3月9日 没有补贴标准（共 1 个值班日缺少标准）")
    # What to do depends on where the planner reads it: a page asks for the administrator, the command line
    # gives the command.
    assert wording.word(caught.value, "zh_CN", "web").endswith("；请联系系统管理员设置自 2026年3月1日 起的补贴标准")
    assert wording.word(caught.value, "zh_CN", "cli").endswith(
        "；请设置：scheduler allowance-rate set --type leader_day --from 2026-03-01 --amount 金额"
    )


def test_the_xlsx_per_lawyer_has_the_title_headers_numbers_and_totals(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    data = export.allowance_bytes(_march(session_factory), ".xlsx")
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert sheet.title == "按律师"
    rows = _sheet_rows(data)
    assert rows[0] == [TITLE] + [None] * 7
    assert rows[1] == HEADERS
    assert rows[2:7] == MARCH_ROWS
    assert rows[7] == MARCH_TOTALS
    assert [row[0] for row in rows[8:]] == MARCH_NOTES
    assert len(rows) == 10
    for row in sheet.iter_rows(min_row=3, max_row=8):
        for cell in (row[5], row[6], row[7]):
            if cell.value is not None:
                assert isinstance(cell.value, int | float) and not isinstance(cell.value, bool)
        assert row[2].data_type == "s" or row[2].value is None  # licence numbers stay text
    assert sheet["H3"].number_format == "#,##0.00" and sheet["G3"].number_format == "0"
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:H1"]


def test_the_xlsx_per_firm_sums_the_firms(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    rows = _sheet_rows(export.allowance_bytes(_march(session_factory), ".xlsx", by="firm"))
    assert rows[0][0] == "黔西南州司法局 2026年3月律师信访值班生活补贴发放表（按律师事务所）"
    assert rows[1] == ["序号", "律师事务所", "值班类型", "补贴标准（元/次）", "律师人数", "值班次数", "金额（元）"]
    assert rows[2:5] == [
        [1, FIRMS[0], WINDOW, 200, 3, 5, 1000],
        [2, FIRMS[1], WINDOW, 200, 1, 1, 200],
        [3, FIRMS[1], LEADER, 300, 1, 1, 300],
    ]
    assert rows[5] == ["合计", None, None, None, 5, 7, 1500]


def test_the_csv_has_the_same_cells_as_text(session_factory: sessionmaker[Session]) -> None:
    _county_with_rates(session_factory)
    data = export.allowance_bytes(_march(session_factory), ".csv")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == [TITLE]
    assert rows[1] == HEADERS
    assert rows[2] == ["1", "律师0", "15223201011000100", FIRMS[0], WINDOW, "200.00", "2", "400.00"]
    assert rows[6] == ["5", "律师3", "15223201011000103", FIRMS[1], LEADER, "300.00", "1", "300.00"]
    assert rows[7] == ["合计", "", "", "", "", "", "7", "1500.00"]
    assert [row[0] for row in rows[8:]] == MARCH_NOTES


def test_the_bureau_named_in_the_title_comes_from_the_settings(
    session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    _county_with_rates(session_factory)
    env = {"SCHEDULER_INSTANCE_DIR": str(tmp_path), "SCHEDULER_BUREAU_NAME": "望谟县司法局"}
    bureau = load_settings(env).bureau_name
    rows = _sheet_rows(export.allowance_bytes(_march(session_factory), ".xlsx", bureau=bureau))
    assert rows[0][0] == "望谟县司法局 2026年3月律师信访值班生活补贴发放表（按律师）"


def _runner(db_url: str, tmp_path: Path, **env: str) -> CliRunner:
    return CliRunner(
        env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance"), **env}
    )


def test_the_command_line_sets_rates_and_writes_the_report(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    recorded_county(session_factory)
    runner = _runner(db_url, tmp_path)
    for kind, amount in (("window", "200"), ("leader_day", "300")):
        result = runner.invoke(
            allowance_rate, ["set", "--type", kind, "--from", "2026-01-01", "--amount", amount, "--today", "2026-01-01"]
        )
        assert result.exit_code == 0, result.output
    listed = runner.invoke(allowance_rate, ["list"])
    assert listed.output.splitlines() == [
        "window       律师接待窗口值班  from 2026-01-01  200.00",
        "leader_day   党政领导信访接待日  from 2026-01-01  300.00",
    ]
    out = tmp_path / "2026-03.xlsx"
    result = runner.invoke(report, ["allowance", "--month", "2026-03", "--out", str(out), "--today", "2026-04-10"])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 7 paid duties, 1500.00 yuan\n"
    rows = _sheet_rows(out.read_bytes())
    assert rows[1] == HEADERS and rows[2:8] == [*MARCH_ROWS, MARCH_TOTALS]

    late = _runner(db_url, tmp_path, SCHEDULER_ALLOWANCE_PAYS_LATE="1")
    firm_csv = tmp_path / "firms.csv"
    result = late.invoke(report, ["allowance", "--month", "2026-3", "--out", str(firm_csv), "--by", "firm"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(firm_csv.read_text(encoding="utf-8-sig"))))
    assert rows[5] == ["合计", "", "", "", "5", "8", "1700.00"]
    assert rows[-1] == ["迟到的值班计发补贴。"]


def test_the_command_line_refuses_a_bad_month_or_file_type(db_url: str, tmp_path: Path) -> None:
    runner = _runner(db_url, tmp_path)
    bad_month = runner.invoke(report, ["allowance", "--month", "2026-13", "--out", str(tmp_path / "x.xlsx")])
    assert bad_month.exit_code == 2 and "'2026-13' is not a month (YYYY-MM)" in bad_month.output
    pdf = runner.invoke(report, ["allowance", "--month", "2026-03", "--out", str(tmp_path / "x.pdf")])
    assert pdf.exit_code == 1
    assert pdf.output == "错误：x.pdf：报表写成 .xlsx 或 .csv，而不是“.pdf”\n"
    no_rate = runner.invoke(report, ["allowance", "--month", "2026-03", "--out", str(tmp_path / "x.csv")])
    assert (no_rate.exit_code, no_rate.output) == (0, f"wrote {tmp_path / 'x.csv'}: 0 paid duties, 0.00 yuan\n")
