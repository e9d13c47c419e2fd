"""Report tables as CSV for Excel: UTF-8 with a BOM, the title line, headers, rows, totals, notes.

Amounts are written with two decimals ("1500.00") and counts as whole numbers, without thousands
separators, so that Excel and scripts read them as numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from scheduler.attendance.reports.table import Table, Value
from scheduler.core.tabular import neutralise


def _text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        # A name such as "=HYPERLINK(...)" must stay text in Excel (CSV injection).
        return neutralise(value)
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def csv_bytes(table: Table) -> bytes:
    """The table as CSV bytes (one table: a CSV file has no sheets)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(table.title)])
    writer.writerow([neutralise(c.header) for c in table.columns])
    for row in table.rows:
        writer.writerow([_text(v) for v in row])
    if table.totals is not None:
        writer.writerow([_text(v) for v in table.totals])
    for note in table.notes:
        writer.writerow([neutralise(note)])
    # The BOM makes Excel read the file as UTF-8 instead of the system's code page.
    return buffer.getvalue().encode("utf-8-sig")
