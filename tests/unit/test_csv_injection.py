"""CSV formula injection: text that a spreadsheet would run is written with a leading apostrophe, and
reading strips exactly that apostrophe, so an export read back gives the text as it was."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from scheduler.attendance.reports.csv import csv_bytes
from scheduler.attendance.reports.table import Column as ReportColumn
from scheduler.attendance.reports.table import Table
from scheduler.core import tabular

DANGEROUS = ["=1+1", "+86 859 3220000", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", "'=quoted", "''+two"]
HARMLESS = ["张伟", "a=b", "'plain", "", "1+1"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_like_text_is_neutralised_and_restored(value: str) -> None:
    written = tabular.neutralise(value)
    assert written.startswith("'") and written[1:] == value
    assert tabular.restore(written) == value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_text_is_left_alone(value: str) -> None:
    assert tabular.neutralise(value) == value and tabular.restore(value) == value


def test_a_csv_sheet_holds_no_formula_and_reads_back_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "names.csv"
    columns = [tabular.Column("name", "姓名", "name")]
    tabular.write_sheet(path, ["姓名"], [[value] for value in DANGEROUS])
    cells = [row[0] for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline=""))][1:]
    assert all(cell.startswith("'") for cell in cells)
    sheet = tabular.read_sheet(path, columns)
    assert [row.cells["name"] for row in sheet.rows] == DANGEROUS


def test_report_csv_cells_that_start_like_a_formula_are_text() -> None:
    table = Table(
        sheet="s",
        title="考核表",
        columns=(ReportColumn("律师"), ReportColumn("律师事务所"), ReportColumn("金额", "money")),
        rows=(('=HYPERLINK("http://x")', "@firm", Decimal("-5.00")), ("张伟", "-所", Decimal("10"))),
    )
    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline="")))
    assert rows[2] == ['\'=HYPERLINK("http://x")', "'@firm", "-5.00"]  # amounts stay numbers
    assert rows[3] == ["张伟", "'-所", "10.00"]
