"""Hostile and malformed .xlsx files: refused quickly, each with one clear error naming only the file."""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook

from scheduler.core import tabular
from scheduler.core.errors import InputError

COLUMNS = [tabular.Column("name", "姓名", "name", required=True)]
SHEET = "xl/worksheets/sheet1.xml"


def valid_xlsx(rows: int = 3) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名"])
    for i in range(rows):
        sheet.append([f"律师{i}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_part(data: bytes, name: str, content: bytes | None) -> bytes:
    """`data` (an .xlsx) with the part `name` replaced by `content` (None: removed)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info.filename))
        if content is not None:
            target.writestr(name, content)
    return out.getvalue()


def _sheet_xml(body: str) -> bytes:
    return (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    ).encode()


HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
ENTITY_BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&d;&d;&d;</t></is></c></row></sheetData></worksheet>'
)

MALFORMED: dict[str, Callable[[], bytes]] = {
    "not a zip": lambda: b"this is not a workbook at all",
    "truncated": lambda: valid_xlsx()[:700],
    "a zip of something else": lambda: _zip_of({"a.txt": b"hi"}),
    "no workbook part": lambda: with_part(valid_xlsx(), "xl/workbook.xml", None),
    "broken workbook xml": lambda: with_part(valid_xlsx(), "xl/workbook.xml", b"<workbook><sheets"),
    "broken sheet xml": lambda: with_part(valid_xlsx(), SHEET, b"<worksheet><sheetData><row>"),
    "no sheet part": lambda: with_part(valid_xlsx(), SHEET, None),
    "shared string out of range": lambda: with_part(
        valid_xlsx(), SHEET, _sheet_xml(HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>999</v></c></row>')
    ),
    "bad cell reference": lambda: with_part(
        valid_xlsx(), SHEET, _sheet_xml(HEADER_ROW + '<row r="2"><c r="??" t="n"><v>1</v></c></row>')
    ),
    "bad number": lambda: with_part(
        valid_xlsx(), SHEET, _sheet_xml(HEADER_ROW + '<row r="2"><c r="A2" t="n"><v>x1</v></c></row>')
    ),
    "entity bomb": lambda: with_part(valid_xlsx(), SHEET, ENTITY_BOMB),
    "bad content types": lambda: with_part(valid_xlsx(), "[Content_Types].xml", b"<Types"),
}


def _zip_of(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


def _refusal(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        tabular.read_sheet(path, COLUMNS)
    message = str(caught.value)
    assert str(tmp_path) not in message  # the server's temporary folder is never shown
    assert message.startswith("无法读取 book.xlsx：") and "\n" not in message
    return message


@pytest.mark.parametrize("variant", list(MALFORMED))
def test_a_malformed_workbook_gets_one_clear_error(tmp_path: Path, variant: str) -> None:
    _refusal(tmp_path, MALFORMED[variant]())


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    # 60 MB of whitespace inside the sheet's XML: valid, and about 60 KB compressed.
    padding = b" " * (60 * 1024 * 1024)
    bomb = with_part(valid_xlsx(), SHEET, _sheet_xml(HEADER_ROW).replace(b"<sheetData>", b"<sheetData>" + padding))
    assert len(bomb) < 1024 * 1024
    started = time.perf_counter()
    assert "工作簿解压后大于 40 MB" in _refusal(tmp_path, bomb)
    assert time.perf_counter() - started < 1


def test_rows_and_columns_are_capped_while_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    assert "超过 10 行" in _refusal(tmp_path, valid_xlsx(rows=20))
    far = with_part(valid_xlsx(), SHEET, _sheet_xml(HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>'))
    assert "第 2 行超过 64 列" in _refusal(tmp_path, far)


def test_a_csv_with_too_many_rows_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    path = tmp_path / "book.csv"
    path.write_text("姓名\n" + "".join(f"律师{i}\n" for i in range(20)), encoding="utf-8")
    with pytest.raises(InputError, match="超过 10 行"):
        tabular.read_sheet(path, COLUMNS)
