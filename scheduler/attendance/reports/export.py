"""Reports out: bytes for a download, or a file written atomically. The command line and the planner
pages call these with the report objects of `scheduler.attendance.allowance` and `.assessment`."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from scheduler.attendance.allowance import AllowanceReport
from scheduler.attendance.assessment import AssessmentReport
from scheduler.attendance.report_errors import ReportFileType
from scheduler.attendance.reports.chart import assessment_chart
from scheduler.attendance.reports.csv import csv_bytes
from scheduler.attendance.reports.excel import xlsx_bytes
from scheduler.attendance.reports.sheets import Grading, allowance_table, assessment_tables
from scheduler.attendance.reports.table import DEFAULT_BUREAU
from scheduler.core.tabular_errors import CannotWrite

FORMATS = (".xlsx", ".csv")
MEDIA_TYPES = {
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv; charset=utf-8",
    ".svg": "image/svg+xml",
}


def format_of(path: Path) -> str:
    """The report format a file name asks for (.xlsx or .csv)."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ReportFileType(file=path.name, suffix=path.suffix or "—")
    return suffix


def allowance_bytes(report: AllowanceReport, fmt: str, by: str = "lawyer", *, bureau: str = DEFAULT_BUREAU) -> bytes:
    """The month's allowance per lawyer or per firm (`by`) as .xlsx or .csv bytes (`fmt`)."""
    table = allowance_table(report, by, bureau)
    return xlsx_bytes([table]) if fmt == ".xlsx" else csv_bytes(table)


def assessment_bytes(
    report: AssessmentReport, fmt: str, *, bureau: str = DEFAULT_BUREAU, grading: Grading | None = None
) -> bytes:
    """The year's assessment: .xlsx with a sheet per lawyer and a sheet per firm (and, with `grading`, a grade
    column and the commendation sheet); .csv per lawyer only."""
    tables = assessment_tables(report, bureau, grading)
    return xlsx_bytes(tables) if fmt == ".xlsx" else csv_bytes(tables[0])


def chart_bytes(report: AssessmentReport, *, bureau: str = DEFAULT_BUREAU) -> bytes:
    """The assessment chart as SVG bytes."""
    return assessment_chart(report, bureau).encode("utf-8")


def write_file(path: Path, data: bytes) -> None:
    """Write `data` beside `path` and rename it into place, so a reader never sees half a file."""
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    except OSError as exc:
        raise CannotWrite(path=path, reason=exc.strerror or exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise CannotWrite(path=path, reason=exc.strerror or exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
