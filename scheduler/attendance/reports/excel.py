"""Report tables as an .xlsx workbook: a merged title row, bold Chinese headers, numbers stored as numbers
with number formats, a bold totals row, notes below, and print settings for an A4 landscape page."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scheduler.attendance.reports.table import Table, Value

NUMBER_FORMATS = {"count": "0", "money": "#,##0.00"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """A workbook with one sheet per table, in order."""
    book = Workbook()
    book.remove(book.worksheets[0])
    for table in tables:
        _sheet(book.create_sheet(table.sheet), table)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet(ws: Worksheet, table: Table) -> None:
    width = len(table.columns)
    last = get_column_letter(width)
    ws.append([table.title])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 28
    ws.append([c.header for c in table.columns])
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in table.rows:
        _append(ws, table, row, bold=False)
    if table.totals is not None:
        _append(ws, table, table.totals, bold=True)
    for note in table.notes:
        ws.append([note])
    for index, column in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A3"
    ws.print_title_rows = "1:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _append(ws: Worksheet, table: Table, values: Sequence[Value], *, bold: bool) -> None:
    ws.append([None if value == "" else value for value in values])
    for cell, column in zip(ws[ws.max_row], table.columns, strict=True):
        cell.border = BOX
        if bold:
            cell.font = Font(bold=True)
        if isinstance(cell.value, int | Decimal) and column.kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[column.kind]
        elif isinstance(cell.value, str) and cell.value.startswith("="):
            # Text, not a formula: a name must come back as written, and never run in Excel.
            cell.data_type = "s"
