"""Dates as people type them: 2027年1月12日, 2027/1/12, 2027-1-12, 2027.1.12, 20270112, ISO, full-width digits.

One parser for every entry point (form fields, spreadsheet cells, command-line arguments, API values), so a
date typed the Chinese way is read the same everywhere; anything else is a `NotADate` naming the field or
cell and the text typed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from scheduler.core.errors import InputError

# Year, month, day separated by - / . (ASCII or full-width after NFKC) or written with 年 月 日.
SEPARATED = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
# ISO 8601 with a time of midnight, as some tools write a date ("2027-01-12T00:00:00").
MIDNIGHT = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]00:00(:00(\.0+)?)?(Z|[+-]00:?00)?")


class NotADate(InputError, ValueError):
    """Text that is not a date of the calendar; a ValueError too, for the parsers that catch those."""

    code = "date.invalid"
    template = "“{value}”不是日期；请按 2027年1月12日、2027-1-12 或 2027/1/12 填写"


class NotADateIn(NotADate):
    """As NotADate, naming the field (or the cell) it was typed into."""

    code = "date.invalid_in"
    template = "{field}：“{value}”不是日期；请按 2027年1月12日、2027-1-12 或 2027/1/12 填写"


def parse_date(text: str, field: str | None = None) -> dt.date:
    """The date `text` names, or NotADate (NotADateIn when `field` names where it was typed)."""
    # NFKC turns full-width digits and punctuation (２０２７／１／１２) into their ASCII forms.
    normal = unicodedata.normalize("NFKC", text).strip()
    found = SEPARATED.fullmatch(normal) or COMPACT.fullmatch(normal)
    midnight = MIDNIGHT.fullmatch(normal)
    if midnight:
        found = SEPARATED.fullmatch(midnight.group(1))
    if found:
        try:
            return dt.date(*(int(part) for part in found.groups()))
        except ValueError:
            pass  # 2027-2-30: a date's shape but no day of the calendar
    if field is not None:
        raise NotADateIn(field=field, value=text.strip())
    raise NotADate(value=text.strip())
