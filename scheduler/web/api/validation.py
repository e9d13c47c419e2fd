"""The API's input limits, its JSON body reader, and the 400 error it raises: every bad field named at once.

The fields themselves are read by the pydantic models of scheduler.web.api.inputs, which the OpenAPI document
is made from too. A bad request raises `ApiInputError`, which the API answers with 400 and
{"errors": [{"field": "duty_id", "message": "must be at least 1"}, ...]}.

The limits here also keep odd input away from the database, where it would be a crash rather than a 400:
ids beyond PostgreSQL's 32-bit integers, text with NUL characters or lone surrogates, absurd dates.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
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
