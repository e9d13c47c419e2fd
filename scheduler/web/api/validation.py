"""Checking the API's input by hand: every bad field of a request is reported at once, by name.

A view reads its JSON body (`json_body()`) or query string (`request.args`) through a `Fields` reader, field
by field, then calls `done()`. When any field was bad, `done()` raises `ApiInputError`, which the API answers
with 400 and {"errors": [{"field": "duty_id", "message": "must be a positive integer"}, ...]}.

The limits here also keep odd input away from the database, where it would be a crash rather than a 400:
ids beyond PostgreSQL's 32-bit integers, text with NUL characters or lone surrogates, absurd dates.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from scheduler.core.errors import InputError

MAX_ID = 2**31 - 1  # ids are PostgreSQL `integer` columns: a larger number names nothing
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
MAX_BODY = 64 * 1024
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]{1,12}")
_NUMBER = re.compile(r"[0-9]{1,12}(\.[0-9]{1,12})?")


@dataclass(frozen=True)
class ErrorItem:
    """One entry of a 400 answer's "errors": the field to blame (None: the request as a whole) and what is wrong.

    The JSON form of a `scheduler.core.errors.FieldError`, and of each problem the request validation finds.
    """

    field: str | None
    message: str

    def to_json(self) -> dict[str, str | None]:
        return {"field": self.field, "message": self.message}


class ApiInputError(InputError):
    """Bad input to the API, field by field."""

    def __init__(self, errors: Sequence[ErrorItem]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in self.errors))


def bad(field: str | None, message: str) -> ApiInputError:
    """An ApiInputError about one field."""
    return ApiInputError([ErrorItem(field, message)])


def json_body(*, optional: bool = False) -> dict[str, Any]:
    """The request's body as a JSON object; {} for an empty body when `optional`."""
    if (request.content_length or 0) > MAX_BODY:
        raise bad("body", f"must be at most {MAX_BODY} bytes")
    try:
        # A chunked body has no Content-Length: the API's before_request set the request's limit to one byte
        # more than allowed, where the stream stops reading; a body that reaches it is too long.
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise bad("body", f"must be at most {MAX_BODY} bytes") from None
    if len(raw) > MAX_BODY:
        raise bad("body", f"must be at most {MAX_BODY} bytes")
    if not raw.strip():
        if optional:
            return {}
        raise bad("body", "a JSON object is required")
    # Only a script can send application/json across sites after a CORS preflight, which this API never grants.
    if not request.is_json:
        raise bad("Content-Type", "send the body as application/json")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise bad("body", "is not valid JSON") from None
    if not isinstance(value, dict):
        raise bad("body", "must be a JSON object")
    return value


def check_text(value: str, max_length: int) -> str | None:
    """Why `value` cannot be stored as text of at most `max_length` characters, or None."""
    if len(value) > max_length:
        return f"must be at most {max_length} characters"
    if "\x00" in value:
        return "must not contain NUL characters"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "must be valid Unicode text (no lone surrogates)"
    return None


class Fields:
    """Reads named fields of a JSON object or a query string, collecting what is wrong with each.

    In a query string (`text=True`) every value is text: "7" is read as the number 7. A bad field reads
    as a placeholder (0, "", MIN_DATE); `done()` raises before the view can use it.
    """

    def __init__(self, values: Mapping[str, Any], *, text: bool = False) -> None:
        self.values = values
        self.text = text
        self.errors: list[ErrorItem] = []
        self.read: set[str] = set()

    def _get(self, name: str) -> Any:
        self.read.add(name)
        value = self.values.get(name)
        # An empty query parameter (?office=) means the same as leaving it out.
        return None if self.text and value == "" else value

    def _fail(self, name: str, message: str) -> None:
        self.errors.append(ErrorItem(name, message))

    def _integer(self, name: str, value: Any, minimum: int, maximum: int) -> int | None:
        number: int | None = None
        if self.text and isinstance(value, str) and _DIGITS.fullmatch(value):
            number = int(value)
        elif not self.text and isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif not self.text and isinstance(value, float) and value.is_integer():
            number = int(value)  # JSON Schema counts 3.0 as an integer
        if number is None or not minimum <= number <= maximum:
            limits = f"from {minimum} to {maximum}" if maximum < MAX_ID else f"of at least {minimum}"
            self._fail(name, f"must be an integer {limits}")
            return None
        return number

    def integer(self, name: str, *, minimum: int = 1, maximum: int = MAX_ID) -> int:
        """A required integer (an id unless told otherwise)."""
        value = self._get(name)
        if value is None:
            self._fail(name, "is required")
            return 0
        return self._integer(name, value, minimum, maximum) or 0

    def optional_integer(
        self, name: str, *, default: int | None = None, minimum: int = 1, maximum: int = MAX_ID
    ) -> int | None:
        """An integer that may be left out (or null): then `default`."""
        value = self._get(name)
        if value is None:
            return default
        found = self._integer(name, value, minimum, maximum)
        return found if found is not None else default

    def number(self, name: str, *, default: float, minimum: float, maximum: float) -> float:
        """A finite number in [minimum, maximum] that may be left out."""
        value = self._get(name)
        if value is None:
            return default
        number: float | None = None
        as_text = self.text and isinstance(value, str) and _NUMBER.fullmatch(value) is not None
        as_json = not self.text and isinstance(value, int | float) and not isinstance(value, bool)
        if as_text or as_json:
            number = float(value)
        if number is None or not math.isfinite(number) or not minimum <= number <= maximum:
            self._fail(name, f"must be a number from {minimum:g} to {maximum:g}")
            return default
        return number

    def string(self, name: str, *, max_length: int, required: bool = False) -> str:
        """Text (trimmed); "" when left out, unless `required`."""
        value = self._get(name)
        if value is None:
            if required:
                self._fail(name, "is required")
            return ""
        if not isinstance(value, str):
            self._fail(name, "must be a string")
            return ""
        problem = check_text(value, max_length)
        if problem is not None:
            self._fail(name, problem)
            return ""
        value = value.strip()
        if required and not value:
            self._fail(name, "must not be empty")
        return value

    def choice(self, name: str, choices: Iterable[str]) -> str:
        """One of `choices` (required)."""
        allowed = tuple(choices)
        value = self._get(name)
        if value not in allowed:
            self._fail(name, "is required" if value is None else f"must be one of {', '.join(allowed)}")
            return ""
        return str(value)

    def _date(self, name: str, value: Any) -> dt.date | None:
        if not isinstance(value, str) or not _DATE.fullmatch(value):
            self._fail(name, "must be a date written YYYY-MM-DD")
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            self._fail(name, f"{value} is not a day of the calendar")
            return None
        if not MIN_DATE <= day <= MAX_DATE:
            self._fail(name, f"must be from {MIN_DATE} to {MAX_DATE}")
            return None
        return day

    def date(self, name: str) -> dt.date:
        """A required date."""
        value = self._get(name)
        if value is None:
            self._fail(name, "is required")
            return MIN_DATE
        return self._date(name, value) or MIN_DATE

    def optional_date(self, name: str, default: dt.date | None = None) -> dt.date | None:
        """A date that may be left out: then `default`."""
        value = self._get(name)
        return default if value is None else self._date(name, value) or default

    def skip(self, *names: str) -> None:
        """Count `names` as known fields without reading them (they do not apply to this request)."""
        self.read.update(names)

    def fail(self, name: str | None, message: str) -> None:
        """Record a problem the view found itself (e.g. two fields that do not fit together)."""
        self.errors.append(ErrorItem(name, message))

    def done(self, *, allow_unknown: bool = False) -> None:
        """Raise ApiInputError with every problem found; unknown fields are problems unless `allow_unknown`."""
        if not allow_unknown:
            for name in sorted(set(self.values) - self.read):
                self._fail(name, "is not a field of this request")
        if self.errors:
            raise ApiInputError(self.errors)


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A period written START..END in a path, e.g. 2026-03-02..2026-03-29."""
    start_text, sep, end_text = text.partition("..")
    fields = Fields({"start": start_text, "end": end_text}, text=True)
    start, end = fields.date("start"), fields.date("end")
    if not sep or fields.errors:
        raise bad("period", "must be written START..END with dates YYYY-MM-DD, e.g. 2026-03-02..2026-03-29")
    if end < start:
        raise bad("period", f"ends ({end}) before it starts ({start})")
    return start, end
