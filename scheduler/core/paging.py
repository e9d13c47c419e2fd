"""Pages of a longer list: the page a reader asked for, and how many there are."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a longer list: its items, its number (from 1), the page size and the total count."""

    items: tuple[T, ...]
    number: int
    size: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


MAX_PAGE = 100_000


def page_number(value: object) -> int:
    """A page number from a query string: a bad or missing value means the first page, a huge one the last
    possible (an offset the database could not hold must not become an error)."""
    text = str(value or "")
    return min(MAX_PAGE, max(1, int(text))) if text.isdigit() and len(text) < 10 else 1
