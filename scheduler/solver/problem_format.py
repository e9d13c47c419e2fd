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
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from scheduler.errors import InputError
from scheduler.problem import Duty, InactivePeriod, Lawyer, Office, Problem, Weights

if TYPE_CHECKING:
    from scheduler.solver import Solution

FORMAT_VERSION = 1
PROBLEM_FORMAT = "petition-duty-problem"
SOLUTION_FORMAT = "petition-duty-solution"
WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
INACTIVE_STATUSES = ("suspended", "removed")

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2})?")
_MISSING: Any = object()  # a key that is absent; its absence was already reported if required
T = TypeVar("T")


class _Reader:
    """Collects every error of a document instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, text: str) -> None:
        self.errors.append(f"{path}: {text}" if path else text)

    def raise_if_failed(self, what: str) -> None:
        if self.errors:
            count = len(self.errors)
            noun = "error" if count == 1 else "errors"
            raise InputError(f"invalid {what} ({count} {noun}): " + "; ".join(self.errors))

    def fields(
        self, value: object, path: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> dict[str, Any] | None:
        """`value` as an object with these keys, reporting unknown and missing ones."""
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {_describe(value)}")
            return None
        required, known = tuple(required), (*required, *optional)
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.fail(_key(path, key), f"unknown key{hint}")
        for key in required:
            if key not in value:
                self.fail(_key(path, key), "is missing")
        return value

    def int(self, value: object, path: str, minimum: int | None = None) -> int | None:
        if value is _MISSING:
            return None
        # JSON true/false arrive as Python bools, which are ints; a boolean is never a count.
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, f"must be an integer, not {_describe(value)}")
            return None
        if minimum is not None and value < minimum:
            self.fail(path, f"must be >= {minimum}, not {value}")
            return None
        return value

    def str(self, value: object, path: str, nonempty: bool = True) -> str | None:
        if value is _MISSING:
            return None
        if not isinstance(value, str):
            self.fail(path, f"must be a string, not {_describe(value)}")
            return None
        if nonempty and not value.strip():
            self.fail(path, "must not be empty")
            return None
        return value

    def date(self, value: object, path: str) -> dt.date | None:
        if value is _MISSING:
            return None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"{_describe(value)} is not a date (YYYY-MM-DD)")
        return None

    def time(self, value: object, path: str) -> dt.time | None:
        if value is _MISSING:
            return None
        if isinstance(value, str) and _TIME.fullmatch(value):
            try:
                return dt.time.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"{_describe(value)} is not a time of day (HH:MM)")
        return None

    def weekday(self, value: object, path: str) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
            return value
        if isinstance(value, str) and value.lower() in WEEKDAY_NAMES:
            return WEEKDAY_NAMES.index(value.lower())
        self.fail(path, f"{_describe(value)} is not a weekday (0 = Monday ... 6 = Sunday, or mon ... sun)")
        return None

    def nullable(self, read: Callable[[object, str], T | None], value: object, path: str) -> T | None:
        return None if value is None else read(value, path)

    def items(
        self, value: object, path: str, read: Callable[[object, str], T | None]
    ) -> list[T] | None:
        """Each element of a list read by `read`; the invalid ones are reported and left out."""
        if value is _MISSING:
            return None
        if not isinstance(value, list):
            self.fail(path, f"must be a list, not {_describe(value)}")
            return None
        read_items = (read(item, f"{path}[{i}]") for i, item in enumerate(value))
        return [item for item in read_items if item is not None]


def _key(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if value is _MISSING:
        return "nothing"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _strings(reader: _Reader, value: object, path: str) -> frozenset[str]:
    return frozenset(reader.items(value, path, reader.str) or ())


def _check_version(reader: _Reader, doc: Mapping[str, Any], format_name: str) -> None:
    if doc.get("format", format_name) != format_name:
        reader.fail("format", f"must be '{format_name}', not {_describe(doc['format'])}")
    version = doc.get("version", FORMAT_VERSION)
    if version != FORMAT_VERSION or isinstance(version, bool):
        reader.fail("", f"version {_describe(version)} is not supported (this program reads version 1)")


# --- problem: JSON -> Problem ------------------------------------------------------------------


def problem_from_json(doc: object) -> Problem:
    """The `Problem` described by a parsed JSON document, or an InputError naming every bad field."""
    reader = _Reader()
    top = reader.fields(
        doc,
        "",
        required=("format", "version", "period", "offices", "lawyers", "duties"),
        optional=("min_gap_days", "weights", "fixed", "previous"),
    )
    if top is None:
        reader.raise_if_failed("problem document")
        raise AssertionError("unreachable")
    _check_version(reader, top, PROBLEM_FORMAT)
    period = _read_period(reader, top.get("period", _MISSING))
    offices, office_ids = _read_list(
        reader, top.get("offices", _MISSING), "offices", "office", lambda item, path: _read_office(reader, item, path)
    )
    lawyers, lawyer_ids = _read_list(
        reader, top.get("lawyers", _MISSING), "lawyers", "lawyer",
        lambda item, path: _read_lawyer(reader, item, path, office_ids),
    )
    duties, duty_ids = _read_list(
        reader, top.get("duties", _MISSING), "duties", "duty",
        lambda item, path: _read_duty(reader, item, path, office_ids, period),
    )
    fixed, previous = (
        _read_pairs(reader, top.get(key, []), key, duty_ids, lawyer_ids) for key in ("fixed", "previous")
    )
    min_gap_days = reader.int(top.get("min_gap_days", Problem.min_gap_days), "min_gap_days", minimum=0)
    weights = _read_weights(reader, top.get("weights", {}))
    reader.raise_if_failed("problem document")
    assert period is not None and min_gap_days is not None and weights is not None
    return Problem(
        start=period[0],
        end=period[1],
        offices=tuple(offices),
        lawyers=tuple(lawyers),
        duties=tuple(duties),
        fixed=fixed,
        previous=previous,
        weights=weights,
        min_gap_days=min_gap_days,
    )


def _read_period(reader: _Reader, value: object) -> tuple[dt.date, dt.date] | None:
    if value is _MISSING:
        return None
    fields = reader.fields(value, "period", required=("start", "end"))
    if fields is None:
        return None
    start = reader.date(fields.get("start", _MISSING), "period.start")
    end = reader.date(fields.get("end", _MISSING), "period.end")
    if start is None or end is None:
        return None
    if end < start:
        reader.fail("period.end", f"{end} is before period.start {start}")
        return None
    return start, end


def _read_list(
    reader: _Reader, value: object, path: str, noun: str, read: Callable[[object, str], T | None]
) -> tuple[list[T], set[int]]:
    """The valid entities of a list, and the ids of all of them, refusing a repeated id.

    Ids of entities that are invalid in some other field still count as existing, so that a
    reference to them is not reported as a second, misleading error.
    """
    if value is _MISSING:
        return [], set()
    if not isinstance(value, list):
        reader.fail(path, f"must be a list, not {_describe(value)}")
        return [], set()
    first_at: dict[int, str] = {}
    entities: list[T] = []
    for i, item in enumerate(value):
        item_path = f"{path}[{i}]"
        item_id = item.get("id") if isinstance(item, dict) else None
        if isinstance(item_id, int) and not isinstance(item_id, bool):
            if item_id in first_at:
                reader.fail("", f"duplicate {noun} id {item_id} at {item_path} (first at {first_at[item_id]})")
                continue
            first_at[item_id] = item_path
        entity = read(item, item_path)
        if entity is not None:
            entities.append(entity)
    return entities, set(first_at)


def _read_office(reader: _Reader, value: object, path: str) -> Office | None:
    fields = reader.fields(value, path, required=("id", "code", "name"), optional=("wanted_languages",))
    if fields is None:
        return None
    errors_before = len(reader.errors)
    office_id = reader.int(fields.get("id", _MISSING), f"{path}.id")
    code = reader.str(fields.get("code", _MISSING), f"{path}.code")
    name = reader.str(fields.get("name", _MISSING), f"{path}.name")
    wanted = _strings(reader, fields.get("wanted_languages", []), f"{path}.wanted_languages")
    if len(reader.errors) > errors_before or office_id is None or code is None or name is None:
        return None
    return Office(id=office_id, code=code, name=name, wanted_languages=wanted)


def _read_lawyer(reader: _Reader, value: object, path: str, office_ids: set[int]) -> Lawyer | None:
    fields = reader.fields(
        value,
        path,
        required=("id", "name", "first_practice_year"),
        optional=(
            "firm_id", "specialties", "languages", "offices", "unavailable", "inactive", "max_per_month",
            "preferred_weekdays", "undesired_weekdays", "history_duties",
        ),
    )
    if fields is None:
        return None
    errors_before = len(reader.errors)
    lawyer_id = reader.int(fields.get("id", _MISSING), f"{path}.id")
    name = reader.str(fields.get("name", _MISSING), f"{path}.name")
    firm_id = reader.nullable(reader.int, fields.get("firm_id"), f"{path}.firm_id")
    first_year = reader.int(fields.get("first_practice_year", _MISSING), f"{path}.first_practice_year", 1900)
    offices = frozenset(reader.items(fields.get("offices", []), f"{path}.offices", reader.int) or ())
    for i, office_id in enumerate(fields.get("offices", [])):
        if office_id in offices and office_id not in office_ids:
            reader.fail(f"{path}.offices[{i}]", f"office {office_id} does not exist")
    inactive = reader.items(
        fields.get("inactive", []), f"{path}.inactive", lambda item, p: _read_inactive(reader, item, p)
    )
    max_per_month = reader.int(fields.get("max_per_month", Lawyer.max_per_month), f"{path}.max_per_month", 0)
    history = reader.int(fields.get("history_duties", Lawyer.history_duties), f"{path}.history_duties", 0)
    lawyer = Lawyer(
        id=lawyer_id,  # type: ignore[arg-type]  # only returned when every field was valid
        name=name,  # type: ignore[arg-type]
        firm_id=firm_id,
        first_practice_year=first_year,  # type: ignore[arg-type]
        specialties=_strings(reader, fields.get("specialties", []), f"{path}.specialties"),
        languages=_strings(reader, fields.get("languages", []), f"{path}.languages"),
        offices=offices,
        unavailable=frozenset(reader.items(fields.get("unavailable", []), f"{path}.unavailable", reader.date) or ()),
        inactive=tuple(inactive or ()),
        max_per_month=max_per_month,  # type: ignore[arg-type]
        preferred_weekdays=_weekdays(reader, fields.get("preferred_weekdays", []), f"{path}.preferred_weekdays"),
        undesired_weekdays=_weekdays(reader, fields.get("undesired_weekdays", []), f"{path}.undesired_weekdays"),
        history_duties=history,  # type: ignore[arg-type]
    )
    return None if len(reader.errors) > errors_before else lawyer


def _weekdays(reader: _Reader, value: object, path: str) -> frozenset[int]:
    return frozenset(reader.items(value, path, reader.weekday) or ())


def _read_inactive(reader: _Reader, value: object, path: str) -> InactivePeriod | None:
    fields = reader.fields(value, path, required=("start", "status"), optional=("end", "reason"))
    if fields is None:
        return None
    start = reader.date(fields.get("start", _MISSING), f"{path}.start")
    end = reader.nullable(reader.date, fields.get("end"), f"{path}.end")
    status = reader.str(fields.get("status", _MISSING), f"{path}.status")
    reason = reader.str(fields.get("reason", ""), f"{path}.reason", nonempty=False)
    if status is not None and status not in INACTIVE_STATUSES:
        reader.fail(f"{path}.status", f"must be one of {', '.join(INACTIVE_STATUSES)}, not {_describe(status)}")
        return None
    if start is not None and end is not None and end < start:
        reader.fail(f"{path}.end", f"{end} is before start {start}")
        return None
    if start is None or status is None or reason is None:
        return None
    return InactivePeriod(start=start, end=end, status=status, reason=reason)


def _read_duty(
    reader: _Reader, value: object, path: str, office_ids: set[int], period: tuple[dt.date, dt.date] | None
) -> Duty | None:
    fields = reader.fields(
        value,
        path,
        required=("id", "office_id", "date", "start", "end", "kind"),
        optional=("needed", "min_years", "specialty", "language", "note"),
    )
    if fields is None:
        return None
    errors_before = len(reader.errors)
    duty_id = reader.int(fields.get("id", _MISSING), f"{path}.id")
    office_id = reader.int(fields.get("office_id", _MISSING), f"{path}.office_id")
    if office_id is not None and office_id not in office_ids:
        reader.fail(f"{path}.office_id", f"office {office_id} does not exist")
    day = reader.date(fields.get("date", _MISSING), f"{path}.date")
    if day is not None and period is not None and not period[0] <= day <= period[1]:
        reader.fail(f"{path}.date", f"{day} is outside the period {period[0]} to {period[1]}")
    start = reader.time(fields.get("start", _MISSING), f"{path}.start")
    end = reader.time(fields.get("end", _MISSING), f"{path}.end")
    if start is not None and end is not None and end <= start:
        reader.fail(f"{path}.end", f"{_format_time(end)} is not after start {_format_time(start)}")
    duty = Duty(
        id=duty_id,  # type: ignore[arg-type]  # only returned when every field was valid
        office_id=office_id,  # type: ignore[arg-type]
        date=day,  # type: ignore[arg-type]
        start=start,  # type: ignore[arg-type]
        end=end,  # type: ignore[arg-type]
        kind=reader.str(fields.get("kind", _MISSING), f"{path}.kind"),  # type: ignore[arg-type]
        needed=reader.int(fields.get("needed", Duty.needed), f"{path}.needed", 1),  # type: ignore[arg-type]
        min_years=reader.int(fields.get("min_years", Duty.min_years), f"{path}.min_years", 0),  # type: ignore[arg-type]
        specialty=reader.nullable(reader.str, fields.get("specialty"), f"{path}.specialty"),
        language=reader.nullable(reader.str, fields.get("language"), f"{path}.language"),
        note=reader.str(fields.get("note", ""), f"{path}.note", nonempty=False),  # type: ignore[arg-type]
    )
    return None if len(reader.errors) > errors_before else duty


def _read_pairs(
    reader: _Reader, value: object, path: str, duty_ids: set[int], lawyer_ids: set[int]
) -> frozenset[tuple[int, int]]:
    def read_pair(item: object, item_path: str) -> tuple[int, int] | None:
        if not (isinstance(item, list) and len(item) == 2):
            reader.fail(item_path, f"must be a pair [duty_id, lawyer_id], not {_describe(item)}")
            return None
        duty_id = reader.int(item[0], f"{item_path}[0]")
        lawyer_id = reader.int(item[1], f"{item_path}[1]")
        if duty_id is None or lawyer_id is None:
            return None
        if duty_id not in duty_ids:
            reader.fail(item_path, f"duty {duty_id} does not exist")
        if lawyer_id not in lawyer_ids:
            reader.fail(item_path, f"lawyer {lawyer_id} does not exist")
        return duty_id, lawyer_id

    return frozenset(reader.items(value, path, read_pair) or ())


def _read_weights(reader: _Reader, value: object) -> Weights | None:
    names = [f.name for f in dataclasses.fields(Weights)]
    fields = reader.fields(value, "weights", required=(), optional=names)
    if fields is None:
        return None
    values = {name: reader.int(fields[name], f"weights.{name}", 0) for name in names if name in fields}
    if any(v is None for v in values.values()):
        return None
    return Weights(**values)  # type: ignore[arg-type]


# --- problem: Problem -> JSON ------------------------------------------------------------------


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """The JSON document of `problem`, with every key written out (defaults too)."""
    return {
        "format": PROBLEM_FORMAT,
        "version": FORMAT_VERSION,
        "period": {"start": problem.start.isoformat(), "end": problem.end.isoformat()},
        "min_gap_days": problem.min_gap_days,
        "weights": dataclasses.asdict(problem.weights),
        "offices": [
            {"id": o.id, "code": o.code, "name": o.name, "wanted_languages": sorted(o.wanted_languages)}
            for o in problem.offices
        ],
        "lawyers": [_lawyer_to_json(lawyer) for lawyer in problem.lawyers],
        "duties": [_duty_to_json(duty) for duty in problem.duties],
        "fixed": [list(pair) for pair in sorted(problem.fixed)],
        "previous": [list(pair) for pair in sorted(problem.previous)],
    }


def _lawyer_to_json(lawyer: Lawyer) -> dict[str, Any]:
    return {
        "id": lawyer.id,
        "name": lawyer.name,
        "firm_id": lawyer.firm_id,
        "first_practice_year": lawyer.first_practice_year,
        "specialties": sorted(lawyer.specialties),
        "languages": sorted(lawyer.languages),
        "offices": sorted(lawyer.offices),
        "unavailable": [day.isoformat() for day in sorted(lawyer.unavailable)],
        "inactive": [
            {
                "start": p.start.isoformat(),
                "end": p.end.isoformat() if p.end else None,
                "status": p.status,
                "reason": p.reason,
            }
            for p in lawyer.inactive
        ],
        "max_per_month": lawyer.max_per_month,
        "preferred_weekdays": sorted(lawyer.preferred_weekdays),
        "undesired_weekdays": sorted(lawyer.undesired_weekdays),
        "history_duties": lawyer.history_duties,
    }


def _duty_to_json(duty: Duty) -> dict[str, Any]:
    return {
        "id": duty.id,
        "office_id": duty.office_id,
        "date": duty.date.isoformat(),
        "start": _format_time(duty.start),
        "end": _format_time(duty.end),
        "kind": duty.kind,
        "needed": duty.needed,
        "min_years": duty.min_years,
        "specialty": duty.specialty,
        "language": duty.language,
        "note": duty.note,
    }


def _format_time(time: dt.time) -> str:
    # Seconds only when there are any, so "09:00" stays as people write it and the round trip is exact.
    return time.isoformat(timespec="minutes" if time.second == 0 else "seconds")


# --- solution ----------------------------------------------------------------------------------


def solution_to_json(problem: Problem, solution: Solution) -> dict[str, Any]:
    """The JSON document of a solved roster: every duty's lawyers, then the solver's report."""
    report = solution.report
    return {
        "format": SOLUTION_FORMAT,
        "version": FORMAT_VERSION,
        "assignments": {
            str(duty.id): sorted(solution.assignments.get(duty.id, ())) for duty in problem.duties
        },
        "report": {
            "status": report.status,
            "objective": report.objective,
            "bound": report.bound,
            "gap": report.gap,
            "wall_s": report.wall_s,
            "first_solution_s": report.first_solution_s,
            "terms": dict(report.terms),
            "fairness": [
                {"pool": f.pool, "lawyers": f.lawyers, "min": f.min, "median": f.median, "max": f.max}
                for f in report.fairness
            ],
            "unstaffed": [
                {
                    "duty_id": u.duty_id,
                    "missing": u.missing,
                    "reasons": [
                        {"code": r.code, "en": r.text(lang="en"), "zh": r.text(lang="zh")} for r in u.reasons
                    ],
                }
                for u in report.unstaffed
            ],
            "conflicts": list(report.conflicts),
        },
    }


def assignments_from_solution_json(doc: object, problem: Problem) -> dict[int, tuple[int, ...]]:
    """Every duty of `problem` with the lawyers a solution document puts on it.

    A duty the document leaves out has no lawyers. The `report` is information for people and is
    not read back: the checker recomputes what matters.
    """
    reader = _Reader()
    top = reader.fields(doc, "", required=("format", "version", "assignments"), optional=("report",))
    if top is None:
        reader.raise_if_failed("solution document")
        raise AssertionError("unreachable")
    _check_version(reader, top, SOLUTION_FORMAT)
    duty_ids = {duty.id for duty in problem.duties}
    lawyer_ids = {lawyer.id for lawyer in problem.lawyers}
    assignments: dict[int, tuple[int, ...]] = {duty_id: () for duty_id in duty_ids}
    raw = reader.fields(top.get("assignments", {}), "assignments", required=(), optional=top.get("assignments", {}))
    for key, value in (raw or {}).items():
        path = f'assignments["{key}"]'
        duty_id = int(key) if re.fullmatch(r"-?\d+", key) else None
        if duty_id is None or duty_id not in duty_ids:
            reader.fail(path, f"duty {key} does not exist in the problem")
        lawyers = reader.items(value, path, reader.int) or []
        for i, lawyer_id in enumerate(lawyers):
            if lawyer_id not in lawyer_ids:
                reader.fail(f"{path}[{i}]", f"lawyer {lawyer_id} does not exist in the problem")
            elif lawyer_id in lawyers[:i]:
                reader.fail(f"{path}[{i}]", f"lawyer {lawyer_id} is listed twice")
        if duty_id is not None:
            assignments[duty_id] = tuple(lawyers)
    if isinstance(top.get("report"), (dict, type(None))) is False:
        reader.fail("report", f"must be an object, not {_describe(top['report'])}")
    reader.raise_if_failed("solution document")
    return {duty.id: assignments[duty.id] for duty in problem.duties}
