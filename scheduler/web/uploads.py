"""An uploaded file that was refused, shown with its rows so that the planner sees what to mend."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from scheduler.core import tabular
from scheduler.core.errors import InputError, SchedulerError
from scheduler.core.tabular import Column
from scheduler.core.tabular_errors import RowProblem, UnreadableFile
from scheduler.web.i18n import word

# --- files with problems -------------------------------------------------------------------------


@dataclass(frozen=True)
class FileRow:
    """A row of an uploaded file with the problems found in it, by column header (None: the whole row)."""

    number: int
    cells: tuple[str, ...]
    problems: tuple[tuple[str | None, str], ...]

    def bad(self, header: str) -> bool:
        return any(column == header for column, _reason in self.problems)


@dataclass(frozen=True)
class FileProblems:
    """Why an import was refused: the rows with problems beside them, and problems of the file as a whole."""

    filename: str
    headers: tuple[str, ...]
    rows: tuple[FileRow, ...]
    general: tuple[str, ...]


def file_problems(path: Path, columns: Sequence[Column] | None, error: SchedulerError) -> FileProblems:
    """Sort the problems of an import's `error` (each names its row and column, scheduler.core.tabular) onto
    the rows of `path`, read with `columns` (a .csv or .xlsx file of scheduler.core.tabular), or as plain CSV;
    every text is worded in the reader's language."""
    by_row: dict[int, list[tuple[str | None, str]]] = defaultdict(list)
    general: list[str] = []
    lines = error.message.details or (error.message,)
    for line in lines:
        row, column, reason = line.params.get("row"), line.params.get("column"), line.params.get("reason")
        if isinstance(row, int) and reason is not None:
            by_row[row].append((str(column) if column is not None else None, word(reason)))
        else:
            general.append(word(line))
    if error.message.details:
        general.insert(0, word(replace(error.message, details=())))
    try:
        headers, grid = _grid(path, columns)
    except InputError:
        # The file's header itself is wrong: the messages say so, and there are no rows to show.
        headers, grid = (), []
    rows = tuple(FileRow(number, cells, tuple(by_row[number])) for number, cells in grid if number in by_row)
    shown = {row.number for row in rows}
    general += [
        word(RowProblem(row=n, reason=reason))
        for n in sorted(by_row)
        if n not in shown
        for _column, reason in by_row[n]
    ]
    return FileProblems(path.name, headers, rows, tuple(general))


def _grid(path: Path, columns: Sequence[Column] | None) -> tuple[tuple[str, ...], list[tuple[int, tuple[str, ...]]]]:
    if columns is not None:
        sheet = tabular.read_sheet(path, columns)
        keys = list(sheet.headers)
        return (
            tuple(sheet.headers[k] for k in keys),
            [(row.number, tuple(tabular.text(row.cells.get(k)) for k in keys)) for row in sheet.rows],
        )
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            lines = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UnreadableFile(file=path.name) from exc
    width = max((len(line) for line in lines), default=0)
    return (
        tuple(f"{i + 1}" for i in range(width)),
        [(n, tuple(line) + ("",) * (width - len(line))) for n, line in enumerate(lines, start=1)],
    )
