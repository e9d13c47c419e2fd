"""Spreadsheet rows in and out: CSV and .xlsx files whose columns are named in Chinese or English.

A bureau keeps its lists in Excel and saves them either as .xlsx or as CSV (UTF-8, with or without the
BOM Excel writes, or GB18030 from older Chinese setups). This module turns such a file into numbered
rows keyed by column, and names every problem by row (as the sheet shows it: the header is row 1) and
by the header text the user wrote, so a clerk can find the cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import tempfile
import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from scheduler.core import dates
from scheduler.core.errors import InputError, Message
from scheduler.core.tabular_errors import (
    CannotRead,
    CannotWrite,
    CellProblem,
    DateRequired,
    DateWithTime,
    FileProblems,
    FileTooLarge,
    MissingColumns,
    NoHeaderRow,
    NoSheet,
    NoSuchFile,
    NotCsv,
    NotUnicode,
    NotWholeNumber,
    NotWorkbook,
    NumberRequired,
    SameColumnTwice,
    TooLong,
    TooManyColumns,
    TooManyRows,
    UnheadedValue,
    UnknownColumns,
    WorkbookTooLarge,
    WrongFileType,
)

FORMATS = (".csv", ".xlsx")
# Limits checked before and while reading, so that a hostile file (a zip bomb of a few MB, a sheet with
# a cell in column XFD or a million empty rows) is refused in a moment instead of pinning a web worker or
# exhausting the memory of the command line. A bureau's lists are a few hundred rows of a dozen columns.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 40 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
MAX_ROWS = 20_000
MAX_COLUMNS = 64
# Separators of several values in one cell: ASCII and full-width, as typed with a Chinese keyboard.
LIST_SEPARATORS = re.compile(r"[;；,，、]")
LIST_SEPARATORS_OR_SPACE = re.compile(r"[;；,，、\s]")

Cell = object  # str from CSV; str, int, float, bool, datetime or None from .xlsx

# Text a spreadsheet would read as a formula (or, for tab and CR, shift into one): written to CSV with a
# leading apostrophe (OWASP "CSV injection"). Apostrophes already in front are counted, so that reading
# strips exactly the one that writing added and a round trip gives back the text as it was.
FORMULA_START = re.compile(r"^'*[=+\-@\t\r]")


@dataclass(frozen=True)
class Column:
    """A column a file may carry: its key in code, its Chinese and English headers, other spellings."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def header(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


@dataclass(frozen=True)
class Row:
    """One non-empty data row: its number in the sheet and its cells by column key."""

    number: int
    cells: dict[str, Cell]


@dataclass
class Sheet:
    """The rows of a file, the header text of each column present, and problems found so far."""

    path: Path
    headers: dict[str, str]
    rows: list[Row]
    # (row, message): reported in row order, so the clerk can work down the sheet.
    problems: list[tuple[int, Message]] = field(default_factory=list)
    # (row, column key, reason) of each bad cell: what the API names as the field to blame.
    cells: list[tuple[int, str, Message]] = field(default_factory=list)

    def problem(self, row: int, key: str, reason: Message | InputError | ValueError | str) -> None:
        """Note a problem in the cell of `row` under column `key`: an error's message, or text as it is."""
        if isinstance(reason, InputError):
            reason = reason.message
        elif not isinstance(reason, Message):
            reason = Message(str(reason))
        self.problems.append((row, CellProblem(file=self.path.name, row=row, column=self.headers[key], reason=reason)))
        self.cells.append((row, key, reason))

    def raise_problems(self, what: str = "") -> None:
        """Raise one FileProblems listing every problem noted, if there is any (`what` is no longer worded)."""
        if self.problems:
            ordered = sorted(self.problems, key=lambda problem: problem[0])
            problems = FileProblems(
                file=self.path.name, count=len(self.problems), details=[message for _row, message in ordered]
            )
            problems.cells = tuple(sorted(self.cells, key=lambda cell: cell[0]))
            raise problems


def records_sheet(name: str, columns: Sequence[Column], records: Sequence[Mapping[str, Cell]]) -> Sheet:
    """JSON objects read as the rows 1, 2, ... of a sheet named `name` whose headers are the column keys.

    The API's writes go through the importers' own row checks this way, so a body is refused exactly where
    a spreadsheet row would be. A required column left out of an object is an empty cell (refused as in a
    file); another one left out leaves that field as it is. A list is one cell listing its items."""
    required = [column.key for column in columns if column.required]
    keys = {column.key for column in columns}
    rows = []
    for number, record in enumerate(records, start=1):
        cells: dict[str, Cell] = {key: None for key in required}
        for key, value in record.items():
            if key in keys:
                cells[key] = "、".join(map(str, value)) if isinstance(value, list) else value
        rows.append(Row(number, cells))
    present = {key for row in rows for key in row.cells}
    return Sheet(path=Path(name), headers={c.key: c.key for c in columns if c.key in present}, rows=rows)


def normalise_header(text: str) -> str:
    """Header text as compared: case-folded, trimmed, inner spaces and hyphens read as underscores."""
    return re.sub(r"[\s\-]+", "_", text.strip()).casefold()


def read_sheet(path: Path, columns: Sequence[Column]) -> Sheet:
    """Read `path` (.csv or .xlsx) whose first row names `columns`.

    Raises InputError naming the file when it cannot be read, and naming the columns when a required
    one is missing, a header is unknown (a typo must not silently drop data) or given twice.
    Completely empty rows are skipped; their numbers still count, as in the sheet.
    """
    grid = _read_grid(path)
    if not grid or not any(_text(c) for c in grid[0][1]):
        raise NoHeaderRow(file=path.name)
    header_cells = [_text(c) for c in grid[0][1]]
    by_name = {normalise_header(name): col for col in columns for name in (col.key, col.zh, col.en, *col.aliases)}
    headers: dict[str, str] = {}
    positions: dict[int, str] = {}
    unknown: list[str] = []
    errors: list[Message] = []
    for index, text in enumerate(header_cells):
        if not text:
            continue
        col = by_name.get(normalise_header(text))
        if col is None:
            unknown.append(text)
        elif col.key in headers:
            errors.append(SameColumnTwice(file=path.name, first=headers[col.key], second=text).message)
        else:
            headers[col.key] = text
            positions[index] = col.key
    if unknown:
        known = [f"{c.zh}/{c.en}" for c in columns]
        errors.append(UnknownColumns(file=path.name, columns=unknown, known=known).message)
    missing = [f"{c.zh}/{c.en}" for c in columns if c.required and c.key not in headers]
    if missing:
        errors.append(MissingColumns(file=path.name, columns=missing).message)
    if len(errors) == 1:
        raise InputError(errors[0])
    if errors:
        raise FileProblems(file=path.name, count=len(errors), details=errors)

    sheet = Sheet(path=path, headers=headers, rows=[])
    for number, cells in grid[1:]:
        if not any(_text(c) for c in cells):
            continue
        for index, cell in enumerate(cells):
            if index not in positions and _text(cell):
                # The column letter, as Excel shows it above the sheet (for CSV files opened in Excel too).
                column = get_column_letter(index + 1)
                message = UnheadedValue(file=path.name, row=number, column=column, value=_text(cell))
                sheet.problems.append((number, message))
        sheet.rows.append(Row(number, {key: cells[i] if i < len(cells) else None for i, key in positions.items()}))
    return sheet


def write_sheet(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """Write `header` and `rows` to `path` (.csv as UTF-8 with BOM, for Excel; or .xlsx).

    The file is written beside its target and renamed into place, so a reader never sees half a file.
    """
    suffix = _format(path)
    try:
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise CannotWrite(path=path, reason=exc.strerror or exc) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if suffix == ".csv":
                _write_csv(fh, header, rows)
            else:
                _write_xlsx(fh, header, rows)
        os.replace(tmp, path)
    except OSError as exc:
        raise CannotWrite(path=path, reason=exc.strerror or exc) from exc
    finally:
        tmp.unlink(missing_ok=True)


# Cell values. Each parser returns the value or raises ValueError with a reason a clerk understands.


def text(cell: Cell, max_length: int | None = None) -> str:
    """The cell as trimmed text ('' for an empty cell)."""
    value = _text(cell)
    if max_length is not None and len(value) > max_length:
        raise TooLong(value=value, limit=max_length)
    return value


def whole_number(cell: Cell) -> int:
    """A whole number, from text or from a numeric .xlsx cell."""
    if isinstance(cell, bool):
        raise NotWholeNumber(value=cell)
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    value = _text(cell)
    if not value:
        raise NumberRequired()
    if not re.fullmatch(r"[+-]?\d+", value):
        raise NotWholeNumber(value=value)
    return int(value)


def date(cell: Cell) -> dt.date:
    """A date: a date cell in .xlsx, or text as people type it (scheduler.core.dates: 2027年1月12日, 2027/1/12 …)."""
    if isinstance(cell, dt.datetime):
        if cell.time() != dt.time(0):
            raise DateWithTime(value=cell.isoformat(sep=" "))
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    value = _text(cell)
    if not value:
        raise DateRequired()
    return dates.parse_date(value)


def items(cell: Cell, split_on_spaces: bool = False) -> list[str]:
    """The values of a cell listing several, separated by ; ， 、 or , (full-width or not).

    Empty items are dropped, and so are repeats (the first stays, in place).
    """
    pattern = LIST_SEPARATORS_OR_SPACE if split_on_spaces else LIST_SEPARATORS
    found: list[str] = []
    for part in pattern.split(_text(cell)):
        part = part.strip()
        if part and part not in found:
            found.append(part)
    return found


def neutralise(value: str) -> str:
    """`value` safe in a CSV cell: text that starts like a formula gets a leading apostrophe."""
    return "'" + value if FORMULA_START.match(value) else value


def restore(value: str) -> str:
    """The text `neutralise` was given: the apostrophe it added in front of a formula-like value removed."""
    return value[1:] if value.startswith("'") and FORMULA_START.match(value[1:]) else value


def _restored(cells: Iterable[Cell]) -> list[Cell]:
    return [restore(c) if isinstance(c, str) else c for c in cells]


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # A number typed into .xlsx (a phone, an office code) arrives as a float; 522301.0 means 522301.
        return str(int(cell))
    return str(cell).strip()


# Files.


def _format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise WrongFileType(file=path.name, suffix=path.suffix or "—")
    return suffix


def _read_grid(path: Path) -> list[tuple[int, list[Cell]]]:
    """The rows of the file, each with its number in the sheet.

    Messages name the file by its name only: an uploaded file sits in a temporary folder of the server,
    whose path is no business of the planner's.
    """
    suffix = _format(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FileTooLarge(file=path.name, megabytes=MAX_FILE_BYTES // 2**20)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise NoSuchFile(file=path.name) from None
    except OSError as exc:
        raise CannotRead(file=path.name, reason=exc.strerror or exc) from exc
    grid = _csv_grid(path, raw) if suffix == ".csv" else _xlsx_grid(path, raw)
    if len(grid) > MAX_ROWS:
        raise TooManyRows(file=path.name, limit=MAX_ROWS)
    wide = next((number for number, cells in grid if len(cells) > MAX_COLUMNS), None)
    if wide is not None:
        raise TooManyColumns(file=path.name, row=wide, limit=MAX_COLUMNS)
    return grid


def _csv_grid(path: Path, raw: bytes) -> list[tuple[int, list[Cell]]]:
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            decoded = raw.decode("gb18030")
        except UnicodeDecodeError:
            raise NotUnicode(file=path.name) from None
    try:
        # Numbered as records, not lines: a cell with a line break is still one row in Excel.
        rows = csv.reader(io.StringIO(decoded, newline=""))
        return [(n, _restored(r)) for n, r in enumerate(rows, start=1)]
    except csv.Error as exc:
        raise NotCsv(file=path.name) from exc


def _check_zip(path: Path, raw: bytes) -> None:
    """Refuse a workbook whose parts would unpack to more than MAX_UNCOMPRESSED_BYTES, before unpacking.

    The sizes checked are those the archive declares; zipfile never returns more than the declared size
    of a part (a part that lies fails its CRC), so the check holds for a crafted archive too.
    """
    unreadable = NotWorkbook(file=path.name)
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise unreadable from None
    if len(parts) > MAX_ZIP_ENTRIES or sum(part.file_size for part in parts) > MAX_UNCOMPRESSED_BYTES:
        raise WorkbookTooLarge(file=path.name, megabytes=MAX_UNCOMPRESSED_BYTES // 2**20)


def _xlsx_rows(path: Path, raw: bytes) -> list[tuple[int, list[Cell]]]:
    # openpyxl warns about Excel features it drops (data validation, styles); those do not touch
    # the values, and a warning would only clutter the clerk's terminal.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise NoSheet(file=path.name)
        sheet = book.worksheets[0]
        # Some tools write a wrong sheet size, which would make read-only mode cut rows or columns off.
        sheet.reset_dimensions()
        grid: list[tuple[int, list[Cell]]] = []
        rows = sheet.iter_rows(min_row=1, values_only=True)
        for number, row in enumerate(rows, start=1):
            # Checked row by row: the limits must stop the reading, not judge its result.
            if number > MAX_ROWS:
                raise TooManyRows(file=path.name, limit=MAX_ROWS)
            if len(row) > MAX_COLUMNS:
                raise TooManyColumns(file=path.name, row=number, limit=MAX_COLUMNS)
            grid.append((number, _restored(row)))
        return grid
    finally:
        book.close()


def _xlsx_grid(path: Path, raw: bytes) -> list[tuple[int, list[Cell]]]:
    _check_zip(path, raw)
    try:
        return _xlsx_rows(path, raw)
    except InputError:
        raise
    except Exception as exc:  # any failure of a parser on an untrusted file is the file's fault
        # One message for every malformed workbook (a broken part, bad XML, a bad cell type), without the
        # parser's own words: they can be long, English, and name paths inside the server.
        raise NotWorkbook(file=path.name) from exc


def _write_csv(fh: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if c is None else neutralise(c) if isinstance(c, str) else c for c in row])
    # The BOM makes Excel read the file as UTF-8 instead of the system's code page.
    fh.write(buffer.getvalue().encode("utf-8-sig"))


def _write_xlsx(fh: IO[bytes], header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str) and cell.value.startswith("="):
                # Text, not a formula: a name must come back as written, and never run in Excel.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    book.save(fh)
