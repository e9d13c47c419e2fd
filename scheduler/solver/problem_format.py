"""A versioned JSON document for a `Problem` and for a solved roster (docs/problem-format.md).

Reading is strict: every malformed or inconsistent field is named by its JSON path, all of
them in one `InputError`, and unknown keys are refused so that a typo cannot silently fall
back to a default. Writing produces every key, so a written document shows all that matters.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from scheduler.core.errors import InputError
from scheduler.core.problem import FULL_SHARE, Duty, InactivePeriod, Lawyer, Office, Problem, Weights

if TYPE_CHECKING:
    pass

FORMAT_VERSION = 1
PROBLEM_FORMAT = "petition-duty-problem"
SOLUTION_FORMAT = "petition-duty-solution"
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INACTIVE_STATUSES = ("suspended", "removed")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")
T = TypeVar("T")
Read = Callable[[object, str], T | None]


class _Missing:
    """An absent key. A required one was already reported missing, so readers pass it over."""


_MISSING: Any = _Missing()


class _Reader:
    """Reads JSON values into Python ones, collecting every error instead of stopping at the first.

    Each reader returns None for an invalid (or absent) value after recording why.
    """

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, text: str) -> None:
        self.errors.append(f"{path}: {text}" if path else text)

    def error(self, what: str) -> InputError:
        noun = "error" if len(self.errors) == 1 else "errors"
        return InputError(f"invalid {what} ({len(self.errors)} {noun}): " + "; ".join(self.errors))

    def record(
        self, value: object, path: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> _Object | None:
        """`value` as an object with these keys; unknown and missing keys are reported."""
        if value is _MISSING:
            return None
        if not isinstance(value, dict):
            self.fail(path or "document", f"must be an object, not {_describe(value)}")
            return None
        known = (*required, *optional)
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                self.fail(_key(path, key), "unknown key" + (f" (did you mean '{close[0]}'?)" if close else ""))
        for key in required:
            if key not in value:
                self.fail(_key(path, key), "is missing")
        return _Object(self, value, path)

    def integer(self, value: object, path: str, minimum: int | None = None) -> int | None:
        # JSON true/false arrive as Python bools, which are ints; a boolean is never a count or an id.
        if not isinstance(value, int) or isinstance(value, bool):
            self._refuse(value, path, "must be an integer")
            return None
        if minimum is not None and value < minimum:
            self._refuse(value, path, f"must be >= {minimum}")
            return None
        return value

    def string(self, value: object, path: str, nonempty: bool = True) -> str | None:
        if not isinstance(value, str):
            self._refuse(value, path, "must be a string")
            return None
        if nonempty and not value.strip():
            self._refuse(value, path, "must not be empty")
            return None
        return value

    def date(self, value: object, path: str) -> dt.date | None:
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self._refuse(value, path, "is not a date (YYYY-MM-DD)", before=True)
        return None

    def time(self, value: object, path: str) -> dt.time | None:
        if isinstance(value, str) and _TIME.fullmatch(value):
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        self._refuse(value, path, "is not a time of day (HH:MM)", before=True)
        return None

    def weekday(self, value: object, path: str) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            return value
        if isinstance(value, str) and value.lower() in WEEKDAY_NAMES:
            return WEEKDAY_NAMES.index(value.lower())
        self._refuse(value, path, "is not a weekday (0 = Monday ... 6 = Sunday, or mon ... sun)", True)
        return None

    def items(self, value: object, path: str, read: Read[T]) -> list[T] | None:
        """Each element of a list read by `read`; invalid elements are reported and left out."""
        if not isinstance(value, list):
            self._refuse(value, path, "must be a list")
            return None
        read_items = (read(item, f"{path}[{i}]") for i, item in enumerate(value))
        return [item for item in read_items if item is not None]

    def _refuse(self, value: object, path: str, text: str, before: bool = False) -> None:
        if value is not _MISSING:
            self.fail(path, f"{_describe(value)} {text}" if before else f"{text}, not {_describe(value)}")


class _Object:
    """A JSON object being read: reads a key with a reader and names it by its full path."""

    def __init__(self, reader: _Reader, fields: dict[str, Any], path: str) -> None:
        self.reader, self.fields, self.path = reader, fields, path

    def at(
        self,
        key: str,
        parse: Callable[..., T | None],
        default: object = _MISSING,
        nullable: bool = False,
        **options: Any,
    ) -> T | None:
        """The value of `key` (or `default` when absent) read by `parse`; null is accepted if `nullable`."""
        value = self.fields.get(key, default)
        if value is None and nullable:
            return None
        return parse(value, _key(self.path, key), **options)

    def set(self, key: str, read: Read[T]) -> frozenset[T]:
        """An optional list of `read` values, as a set (order and repeats do not matter)."""
        return frozenset(self.at(key, self.reader.items, [], read=read) or ())


def _key(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_header(reader: _Reader, doc: _Object, format_name: str) -> None:
    if doc.fields.get("format", format_name) != format_name:
        reader.fail("format", f"must be '{format_name}', not {_describe(doc.fields['format'])}")
    version = doc.fields.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        reader.fail("", f"version {_describe(version)} is not supported (this program reads version 1)")


def format_time(time: dt.time) -> str:
    """A time as the format writes it: seconds only when there are some, so "09:00" stays as people write it
    and the round trip is exact."""
    return time.isoformat(timespec="minutes" if time.second == 0 else "seconds")


# --- problem: JSON -> Problem ------------------------------------------------------------------


def problem_from_json(doc: object) -> Problem:
    """The `Problem` a parsed JSON document describes; otherwise an InputError naming every bad field."""
    reader = _Reader()
    top = reader.record(
        doc,
        "",
        required=("format", "version", "period", "offices", "lawyers", "duties"),
        optional=("min_gap_days", "weights", "fixed", "previous"),
    )
    if top is None:
        raise reader.error("problem document")
    _check_header(reader, top, PROBLEM_FORMAT)
    period = _read_period(reader, top)
    offices, office_ids = _read_entities(reader, top, "offices", "office", _read_office)
    lawyers, lawyer_ids = _read_entities(reader, top, "lawyers", "lawyer", lambda obj: _read_lawyer(obj, office_ids))
    duties, duty_ids = _read_entities(reader, top, "duties", "duty", lambda obj: _read_duty(obj, office_ids, period))
    fixed, previous = (_read_pairs(top, key, duty_ids, lawyer_ids) for key in ("fixed", "previous"))
    min_gap_days = top.at("min_gap_days", reader.integer, Problem.min_gap_days, minimum=0)
    weights_doc = reader.record(top.fields.get("weights", {}), "weights", (), _WEIGHT_NAMES)
    weights: dict[str, Any] = {
        name: weights_doc.at(name, reader.integer, minimum=0)
        for name in _WEIGHT_NAMES
        if weights_doc is not None and name in weights_doc.fields
    }
    if reader.errors or period is None:
        raise reader.error("problem document")
    return Problem(
        start=period[0],
        end=period[1],
        offices=tuple(offices),
        lawyers=tuple(lawyers),
        duties=tuple(duties),
        fixed=fixed,
        previous=previous,
        weights=Weights(**weights),
        min_gap_days=min_gap_days or 0,
    )


_WEIGHT_NAMES = tuple(field.name for field in dataclasses.fields(Weights))


def _read_period(reader: _Reader, top: _Object) -> tuple[dt.date, dt.date] | None:
    period = reader.record(top.fields.get("period", _MISSING), "period", required=("start", "end"))
    if period is None:
        return None
    start, end = period.at("start", reader.date), period.at("end", reader.date)
    if start is None or end is None:
        return None
    if end < start:
        reader.fail("period.end", f"{end} is before period.start {start}")
        return None
    return start, end


def _read_entities(
    reader: _Reader, top: _Object, key: str, noun: str, read: Callable[[_Object], T | None]
) -> tuple[list[T], set[int]]:
    """The valid entities of a list, and the ids of all of them; a repeated id is refused.

    The ids of entities invalid in some other field still count as existing, so that references
    to them do not add misleading "does not exist" errors.
    """
    items = reader.items(top.fields.get(key, _MISSING), key, lambda item, path: (item, path))
    first_at: dict[int, str] = {}
    entities: list[T] = []
    for item, path in items or ():
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, int) and not isinstance(item_id, bool):
            if item_id in first_at:
                reader.fail("", f"duplicate {noun} id {item_id} at {path} (first at {first_at[item_id]})")
                continue
            first_at[item_id] = path
        errors_before = len(reader.errors)
        obj = reader.record(item, path, *_ENTITY_KEYS[key])
        entity = read(obj) if obj is not None else None
        if entity is not None and len(reader.errors) == errors_before:
            entities.append(entity)
    return entities, set(first_at)


# Required and optional keys of each kind of entity; the optional ones default as in problem.py.
_ENTITY_KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "offices": (("id", "code", "name"), ("wanted_languages",)),
    "lawyers": (
        ("id", "name", "first_practice_year"),
        (
            "firm_id",
            "specialties",
            "languages",
            "offices",
            "unavailable",
            "inactive",
            "max_per_month",
            "preferred_weekdays",
            "undesired_weekdays",
            "history_duties",
        ),
    ),
    "duties": (
        ("id", "office_id", "date", "start", "end", "kind"),
        ("needed", "min_years", "specialty", "language", "note", "share", "served_from"),
    ),
}


def _read_office(obj: _Object) -> Office | None:
    r = obj.reader
    values: dict[str, Any] = {
        "id": obj.at("id", r.integer),
        "code": obj.at("code", r.string),
        "name": obj.at("name", r.string),
        "wanted_languages": obj.set("wanted_languages", r.string),
    }
    return Office(**values)


def _read_lawyer(obj: _Object, office_ids: set[int]) -> Lawyer | None:
    r = obj.reader
    offices = obj.set("offices", r.integer)
    listed = obj.fields.get("offices", [])
    for i, office_id in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(office_id, int) and office_id in offices and office_id not in office_ids:
            r.fail(f"{obj.path}.offices[{i}]", f"office {office_id} does not exist")
    inactive = obj.at("inactive", r.items, [], read=lambda item, path: _read_inactive(r, item, path))
    values: dict[str, Any] = {
        "id": obj.at("id", r.integer),
        "name": obj.at("name", r.string),
        "firm_id": obj.at("firm_id", r.integer, None, nullable=True),
        "first_practice_year": obj.at("first_practice_year", r.integer, minimum=1900),
        "specialties": obj.set("specialties", r.string),
        "languages": obj.set("languages", r.string),
        "offices": offices,
        "unavailable": obj.set("unavailable", r.date),
        "inactive": tuple(inactive or ()),
        "max_per_month": obj.at("max_per_month", r.integer, Lawyer.max_per_month, minimum=0),
        "preferred_weekdays": obj.set("preferred_weekdays", r.weekday),
        "undesired_weekdays": obj.set("undesired_weekdays", r.weekday),
        "history_duties": obj.at("history_duties", r.integer, Lawyer.history_duties, minimum=0),
    }
    return Lawyer(**values)


def _read_inactive(reader: _Reader, value: object, path: str) -> InactivePeriod | None:
    obj = reader.record(value, path, required=("start", "status"), optional=("end", "reason"))
    if obj is None:
        return None
    start = obj.at("start", reader.date)
    end = obj.at("end", reader.date, None, nullable=True)
    status = obj.at("status", reader.string)
    reason = obj.at("reason", reader.string, "", nonempty=False)
    if status is not None and status not in INACTIVE_STATUSES:
        allowed = " or ".join(map(json.dumps, INACTIVE_STATUSES))
        reader.fail(f"{path}.status", f"must be {allowed}, not {_describe(status)}")
        return None
    if start is not None and end is not None and end < start:
        reader.fail(f"{path}.end", f"{end} is before start {start}")
        return None
    if start is None or status is None or reason is None:
        return None
    return InactivePeriod(start=start, end=end, status=status, reason=reason)


def _read_duty(obj: _Object, office_ids: set[int], period: tuple[dt.date, dt.date] | None) -> Duty | None:
    r = obj.reader
    values: dict[str, Any] = {
        "id": obj.at("id", r.integer),
        "office_id": obj.at("office_id", r.integer),
        "date": obj.at("date", r.date),
        "start": obj.at("start", r.time),
        "end": obj.at("end", r.time),
        "kind": obj.at("kind", r.string),
        "needed": obj.at("needed", r.integer, Duty.needed, minimum=1),
        "min_years": obj.at("min_years", r.integer, Duty.min_years, minimum=0),
        "specialty": obj.at("specialty", r.string, None, nullable=True),
        "language": obj.at("language", r.string, None, nullable=True),
        "note": obj.at("note", r.string, "", nonempty=False),
        # Both optional, so documents written before hotline duties still load as window-weighted duties.
        "share": obj.at("share", r.integer, Duty.share, minimum=1),
        "served_from": obj.set("served_from", r.integer),
    }
    office_id, day, start, end = values["office_id"], values["date"], values["start"], values["end"]
    if office_id is not None and office_id not in office_ids:
        r.fail(f"{obj.path}.office_id", f"office {office_id} does not exist")
    share = values["share"]
    if isinstance(share, int) and share > FULL_SHARE:
        r.fail(f"{obj.path}.share", f"must be at most {FULL_SHARE} (a whole window day), not {share}")
    listed = obj.fields.get("served_from", [])
    for i, served in enumerate(listed if isinstance(listed, list) else []):
        if isinstance(served, int) and served not in office_ids:
            r.fail(f"{obj.path}.served_from[{i}]", f"office {served} does not exist")
    if isinstance(day, dt.date) and period is not None and not period[0] <= day <= period[1]:
        r.fail(f"{obj.path}.date", f"{day} is outside the period {period[0]} to {period[1]}")
    if isinstance(start, dt.time) and isinstance(end, dt.time) and end <= start:
        r.fail(f"{obj.path}.end", f"{format_time(end)} is not after start {format_time(start)}")
    return Duty(**values)


def _read_pairs(top: _Object, key: str, duty_ids: set[int], lawyer_ids: set[int]) -> frozenset[tuple[int, int]]:
    reader = top.reader

    def read_pair(item: object, path: str) -> tuple[int, int] | None:
        if not (isinstance(item, list) and len(item) == 2):
            reader.fail(path, f"must be a pair [duty_id, lawyer_id], not {_describe(item)}")
            return None
        duty_id, lawyer_id = reader.integer(item[0], f"{path}[0]"), reader.integer(item[1], f"{path}[1]")
        if duty_id is None or lawyer_id is None:
            return None
        if duty_id not in duty_ids:
            reader.fail(path, f"duty {duty_id} does not exist")
        if lawyer_id not in lawyer_ids:
            reader.fail(path, f"lawyer {lawyer_id} does not exist")
        return duty_id, lawyer_id

    return top.set(key, read_pair)


def assignments_from_solution_json(doc: object, problem: Problem) -> dict[int, tuple[int, ...]]:
    """Every duty of `problem` with the lawyers a solution document puts on it (none if left out).

    The `report` is information for people and is not read back: the checker recomputes what matters.
    """
    reader = _Reader()
    top = reader.record(doc, "", required=("format", "version", "assignments"), optional=("report",))
    if top is None:
        raise reader.error("solution document")
    _check_header(reader, top, SOLUTION_FORMAT)
    duty_ids, lawyer_ids = {d.id for d in problem.duties}, {lawyer.id for lawyer in problem.lawyers}
    assignments: dict[int, tuple[int, ...]] = {duty_id: () for duty_id in duty_ids}
    raw = top.fields.get("assignments", {})
    if not isinstance(raw, dict):
        reader.fail("assignments", f"must be an object (duty id -> lawyer ids), not {_describe(raw)}")
        raw = {}
    for key, value in raw.items():
        path = f'assignments["{key}"]'
        duty_id = int(key) if re.fullmatch(r"-?\d+", str(key)) else None
        if duty_id not in duty_ids:
            reader.fail(path, f"duty {key} does not exist in the problem")
        lawyers = reader.items(value, path, reader.integer) or []
        for i, lawyer_id in enumerate(lawyers):
            if lawyer_id not in lawyer_ids:
                reader.fail(f"{path}[{i}]", f"lawyer {lawyer_id} does not exist in the problem")
            elif lawyer_id in lawyers[:i]:
                reader.fail(f"{path}[{i}]", f"lawyer {lawyer_id} is listed twice")
        if duty_id in duty_ids:
            assignments[duty_id] = tuple(lawyers)
    report = top.fields.get("report")
    if report is not None and not isinstance(report, dict):
        reader.fail("report", f"must be an object, not {_describe(report)}")
    if reader.errors:
        raise reader.error("solution document")
    return {duty.id: assignments[duty.id] for duty in problem.duties}
