"""A report table as plain values: a title, typed columns, rows, a totals row and notes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

DEFAULT_BUREAU = "黔西南州司法局"
KINDS = ("text", "count", "money")

Value = str | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """A column: its Chinese header, what its cells hold (text, a count, yuan) and its width in Excel."""

    header: str
    kind: str = "text"
    width: float = 10

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    """One sheet of a report. `sheet` is the tab's name; `totals` is the last row (None: no totals)."""

    sheet: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Value, ...], ...]
    totals: tuple[Value, ...] | None = None
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        width = len(self.columns)
        if any(len(row) != width for row in self.rows) or (self.totals is not None and len(self.totals) != width):
            raise ValueError(f"table {self.sheet!r}: every row must have {width} cells")
