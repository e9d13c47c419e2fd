"""The API's input, as pydantic models: the one source of both the request validation and the OpenAPI document.

Each request body and each set of query parameters is a model here. A view reads its input through
`body(Model)` or `query(Model)`; scheduler.web.api.openapi builds the document's request schemas and query
parameters from the same models (`model_json_schema()` is JSON Schema 2020-12, which OpenAPI 3.1 uses as is),
so what the document declares and what the API accepts cannot drift apart.

Every rule is declared where it is checked: limits as JSON Schema keywords (minimum, maxLength, ...), the
NUL refusal as a `pattern`, the date bounds as a `pattern` of years 2000-2099 with `format: date`, and the
rules across fields (an end not before its start, a span under a year, two different duties) as validators
whose field's description says so, and an `x-rules` list on the model.

Why pydantic and not spectree or flask-openapi3: those take over the routes (their own decorators or app
class, their own 422 error shape and auth declarations), which would change the API's answers and its
blueprint layout; pydantic alone gives the validation and the schema, and the document keeps its own
operations, errors and security, which tests/api/test_openapi.py checks against the routes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, TypeVar

from flask import request
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from scheduler.web.api.validation import MAX_DATE, MAX_ID, MIN_DATE, ApiInputError, ErrorItem, bad, json_body

MAX_SPAN_DAYS = 366  # a year of duties per request; a roster period is a month or a quarter
NO_NUL = "^[^\\x00]*$"  # text the database can store: PostgreSQL refuses NUL characters
# The days MIN_DATE to MAX_DATE, as the document states them: a calendar date (format: date) of these years.
DATE_PATTERN = "^20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
assert (dt.date(2000, 1, 1), dt.date(2099, 12, 31)) == (MIN_DATE, MAX_DATE), "update DATE_PATTERN"
_DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DIGITS = re.compile(r"[0-9]{1,12}")


def _problem(message: str) -> PydanticCustomError:
    # The message is a template: braces in it would be read as placeholders.
    return PydanticCustomError("api", message.replace("{", "{{").replace("}", "}}"))


def _as_text(info: ValidationInfo) -> bool:
    """Whether the values come from a query string, where everything is text ("7" is the number 7)."""
    return bool(info.context and info.context.get("text"))


def _integer(value: Any, info: ValidationInfo) -> int:
    if _as_text(info):
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            return int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        return value
    elif isinstance(value, float) and value.is_integer():
        return int(value)  # JSON Schema counts 3.0 as an integer
    raise _problem("must be an integer")


def _number(value: Any) -> float:
    # Only bodies have numbers that need not be integers; Python's JSON reader takes NaN and Infinity.
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    raise _problem("must be a number")


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise _problem("must be a string")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _problem("must be valid Unicode text (no lone surrogates)") from None
    return value


def _day(value: Any) -> dt.date:
    if not isinstance(value, str) or not _DATE_SHAPE.fullmatch(value):
        raise _problem("must be a date written YYYY-MM-DD")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise _problem(f"{value} is not a day of the calendar") from None
    if not MIN_DATE <= day <= MAX_DATE:
        raise _problem(f"must be from {MIN_DATE} to {MAX_DATE}")
    return day


def _strip(value: str) -> str:
    return value.strip()


def _text_rules(max_length: int) -> Any:
    description = "Unicode text without NUL characters (nor lone surrogates), read trimmed."
    return Field(max_length=max_length, pattern=NO_NUL, description=description)


# Annotated aliases (mypy takes no call as a type): each reads its type's values and declares its limits.
Text16 = Annotated[str, _text_rules(16), BeforeValidator(_text), AfterValidator(_strip)]
Text100 = Annotated[str, _text_rules(100), BeforeValidator(_text), AfterValidator(_strip)]
Text200 = Annotated[str, _text_rules(200), BeforeValidator(_text), AfterValidator(_strip)]
Text500 = Annotated[str, _text_rules(500), BeforeValidator(_text), AfterValidator(_strip)]
Id = Annotated[int, Field(ge=1, le=MAX_ID), BeforeValidator(_integer)]
Day = Annotated[
    dt.date,
    BeforeValidator(_day),
    Field(json_schema_extra={"pattern": DATE_PATTERN}, description=f"A day from {MIN_DATE} to {MAX_DATE}."),
]


def _not_before(start_field: str, message: str) -> Any:
    """A validator of an end date: not before the model's `start_field` (when both are valid)."""

    def check(cls: type[BaseModel], end: dt.date | None, info: ValidationInfo) -> dt.date | None:
        start = info.data.get(start_field)
        if end is not None and isinstance(start, dt.date) and end < start:
            raise _problem(message.format(start=start, end=end))
        return end

    return check


def _within_a_year(end: dt.date | None, info: ValidationInfo) -> dt.date | None:
    start = info.data.get("start")
    if end is not None and isinstance(start, dt.date):
        if end < start:
            raise _problem(f"ends ({end}) before it starts ({start})")
        if (end - start).days >= MAX_SPAN_DAYS:
            raise _problem(f"must be less than {MAX_SPAN_DAYS} days after from")
    return end


class Body(BaseModel):
    """A request body: a JSON object whose unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Query(BaseModel):
    """A query string: parameters this operation does not know are ignored."""

    model_config = ConfigDict(extra="ignore", frozen=True)


# --- bodies --------------------------------------------------------------------------------------


class NewUnavailability(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"lawyer_id": 1, "start": "2026-03-04", "end": "2026-03-04", "reason": "开庭"}],
            "x-rules": ["end is not before start"],
        }
    )
    lawyer_id: Id
    start: Day = Field(description=f"First day off duty, from {MIN_DATE} to {MAX_DATE}.")
    end: Day = Field(description=f"Last day off duty (inclusive): not before start, at most {MAX_DATE}.")
    reason: Text200 = ""

    _end = field_validator("end")(_not_before("start", "ends ({end}) before the start ({start})"))


class Publish(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "月度排班"}]})
    reason: Text500 = ""


class ProposalBase(Body):
    """What every proposal has; checked alone when the kind is wrong, to name every bad field at once."""

    model_config = ConfigDict(extra="ignore")
    kind: Literal["swap", "cover"]
    duty_id: Id
    reason: Text500 = ""


class SwapProposal(ProposalBase):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"kind": "swap", "duty_id": 1, "lawyer_id": 1, "other_duty_id": 2, "other_lawyer_id": 3}],
            "x-rules": ["other_duty_id differs from duty_id"],
        },
    )
    kind: Literal["swap"]
    lawyer_id: Id = Field(description="The lawyer on duty_id.")
    other_duty_id: Id = Field(description="The duty exchanged with duty_id: another duty.")
    other_lawyer_id: Id = Field(description="The lawyer on other_duty_id.")

    @field_validator("other_duty_id")
    @classmethod
    def _another_duty(cls, other: int, info: ValidationInfo) -> int:
        if other == info.data.get("duty_id"):
            raise _problem("must be another duty than duty_id")
        return other


class CoverProposal(ProposalBase):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"kind": "cover", "duty_id": 1, "lawyer_out_id": 1, "lawyer_in_id": 2, "reason": "生病"}]
        },
    )
    kind: Literal["cover"]
    lawyer_in_id: Id = Field(description="The lawyer who takes the place.")
    lawyer_out_id: Id | None = Field(None, description="The lawyer replaced; null or left out fills an open place.")


NewProposal = Annotated[SwapProposal | CoverProposal, Field(discriminator="kind")]


class Accept(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{}]})
    override_reason: Text500 = Field(
        "", description="Accept despite broken hard rules (planner, admin); text without NUL characters."
    )


class Empty(Body):
    """No fields: the body may be left out."""


class NewSwapRequest(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"duty_id": 1, "to_lawyer_id": 2, "message": "家中有事"}]}
    )
    duty_id: Id = Field(description="One of the signed-in lawyer's upcoming duties.")
    to_lawyer_id: Id
    exchange_duty_id: Id | None = Field(None, description="The colleague's duty taken in return.")
    message: Text500 = ""


class NewSolveJob(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"from": "2026-03-02", "to": "2026-03-29", "time_limit_s": 30}],
            "x-rules": ["to is not before from, and less than 366 days after it"],
        },
    )
    start: Day = Field(alias="from", description=f"First day of the period, from {MIN_DATE} to {MAX_DATE}.")
    end: Day = Field(alias="to", description="Last day of the period: not before from, less than 366 days after it.")
    time_limit_s: Annotated[float, Field(ge=1, le=3600), BeforeValidator(_number)] = 30.0
    workers: Annotated[int, Field(ge=1, le=16), BeforeValidator(_integer)] = 2
    seed: Annotated[int, Field(ge=0, le=MAX_ID), BeforeValidator(_integer)] = 0

    _end = field_validator("end")(_within_a_year)


# --- query strings -------------------------------------------------------------------------------


class LawyersQuery(Query):
    page: Annotated[int, Field(ge=1, le=100_000), BeforeValidator(_integer)] = Field(1, description="Page number.")
    per_page: Annotated[int, Field(ge=1, le=100), BeforeValidator(_integer)] = Field(20, description="Page size.")
    q: Text100 = Field("", description="Part of the name, licence number or firm; empty: every lawyer.")


class DutiesQuery(Query):
    model_config = ConfigDict(json_schema_extra={"x-rules": ["to is not before from, and less than 366 days after it"]})
    start: Day | None = Field(None, alias="from", description="First day (default: today).")
    end: Day | None = Field(
        None,
        alias="to",
        description="Last day (default: 30 days after from): not before from, less than 366 days after it.",
    )
    office: Text16 = Field("", description="Only this office's duties (its code); empty: every office.")

    _end = field_validator("end")(_within_a_year)

    @model_validator(mode="before")
    @classmethod
    def _from_today(cls, values: Any, info: ValidationInfo) -> Any:
        # from defaults to the day of the request: the span rule then holds for a lone ?to= too.
        if isinstance(values, dict) and "from" not in values and info.context and "today" in info.context:
            return {**values, "from": info.context["today"].isoformat()}
        return values


class SuggestionsQuery(Query):
    model_config = ConfigDict(json_schema_extra={"x-rules": ["not both replace and swap"]})
    replace: Id | None = Field(None, description="The lawyer on the duty to replace (leave out to fill an open place).")
    swap: Id | None = Field(None, description="The lawyer on the duty who looks for an exchange (not with replace).")
    limit: Annotated[int, Field(ge=1, le=50), BeforeValidator(_integer)] = Field(10, description="How many.")

    @field_validator("swap")
    @classmethod
    def _not_both(cls, swap: int | None, info: ValidationInfo) -> int | None:
        if swap is not None and info.data.get("replace") is not None:
            raise _problem("give either replace or swap, not both")
        return swap


class RostersQuery(Query):
    model_config = ConfigDict(json_schema_extra={"x-rules": ["to is not before from"]})
    start: Day | None = Field(None, alias="from", description="Periods ending on or after this day.")
    end: Day | None = Field(None, alias="to", description="Periods starting on or before this day; not before from.")

    _end = field_validator("end")(_not_before("start", "ends ({end}) before it starts ({start})"))


# --- reading -------------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)
_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not a field of this request",
    "string_too_long": "must be at most {max_length} characters",
    "greater_than_equal": "must be at least {ge}",
    "less_than_equal": "must be at most {le}",
    "literal_error": "must be {expected}",
}


def error_items(exc: ValidationError) -> list[ErrorItem]:
    """The API's 400 items of pydantic's errors: one per field, in the house's words."""
    items: dict[str | None, ErrorItem] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else None
        context = error.get("ctx", {})
        if error["type"] == "string_pattern_mismatch" and context.get("pattern") == NO_NUL:
            message = "must not contain NUL characters"
        elif error["type"] in _MESSAGES:
            message = _MESSAGES[error["type"]].format(**context)
        else:
            message = error["msg"]
        items.setdefault(field, ErrorItem(field, message))
    return list(items.values())


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """A period written START..END in a path, e.g. 2026-03-02..2026-03-29 (the document's PERIOD pattern)."""
    start_text, sep, end_text = text.partition("..")
    try:
        start, end = _day(start_text), _day(end_text)
    except PydanticCustomError:
        sep = ""
    if not sep:
        raise bad("period", "must be written START..END with dates YYYY-MM-DD, e.g. 2026-03-02..2026-03-29")
    if end < start:
        raise bad("period", f"ends ({end}) before it starts ({start})")
    return start, end


def validate(model: type[M], values: Mapping[str, Any], *, text: bool = False, **context: Any) -> M:
    """`values` read as `model`; ApiInputError (a 400 naming each bad field) when they do not fit."""
    try:
        return model.model_validate(dict(values), context={"text": text, **context})
    except ValidationError as exc:
        raise ApiInputError(error_items(exc)) from None


def body(model: type[M], *, optional: bool = False) -> M:
    """The request's JSON body read as `model` ({} for an empty body when `optional`)."""
    return validate(model, json_body(optional=optional))


def query(model: type[M], **context: Any) -> M:
    """The request's query string read as `model` (the first value of a repeated parameter)."""
    return validate(model, request.args.to_dict(), text=True, **context)
