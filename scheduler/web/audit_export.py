"""The audit log as an Excel workbook: time, who, action and the same sentence the page shows."""

from __future__ import annotations

import io
from collections.abc import Sequence

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from scheduler.audit_log import AuditLine
from scheduler.core.tabular import neutralise
from scheduler.web.audit_sentences import audit_sentence
from scheduler.web.labels import action_name, actor_label

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audit_workbook(lines: Sequence[AuditLine], title: str) -> bytes:
    """One row per event in the reader's language; text that a spreadsheet would run as a formula is defused."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append([_("时间"), _("操作人"), _("操作"), _("记录")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for line in lines:
        sheet.append(
            [
                line.at.strftime("%Y-%m-%d %H:%M"),
                neutralise(actor_label(line.actor, line.details)),
                neutralise(action_name(line.action)),
                neutralise(audit_sentence(line)),
            ]
        )
    for column, width in zip("ABCD", (18, 20, 20, 90), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
