"""The bodies of the API's writes to the registry: offices, firms, lawyers, unavailability, leader days, duties.

Like scheduler.web.api.inputs, each body is a pydantic model that both validates the request and makes the
OpenAPI request schema. A lawyer's fields are checked twice over on purpose: here only their JSON shape, then
by the spreadsheet import's own row checks (scheduler.people.lawyer_sheets), so that a registry synchronising
through the API is refused exactly where the same row in a file would be, every bad field at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, JsonValue, WithJsonSchema, field_validator

from scheduler.models.offices import HOLIDAY_POLICIES, OFFICE_LEVELS
from scheduler.web.api.inputs import (
    Body,
    Day,
    Text16,
    Text100,
    Text200,
    Text500,
    _integer,
    _problem,
    _strip,
    _text,
    _text_rules,
)

MAX_LAWYERS = 500  # rows per upsert: a prefecture's whole registry fits in a few requests
CLOCK_PATTERN = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _clock(value: Any) -> dt.time:
    if isinstance(value, str) and len(value) == 5 and value[2] == ":" and value.replace(":", "").isdigit():
        hour, minute = int(value[:2]), int(value[3:])
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise _problem("must be a time written HH:MM, e.g. 09:00")


Clock = Annotated[
    dt.time,
    BeforeValidator(_clock),
    # Not JSON Schema's "time" format, which wants seconds and a zone: the house writes HH:MM.
    WithJsonSchema({"type": "string", "pattern": CLOCK_PATTERN, "description": "A time of day, HH:MM."}),
]
# The notice's own texts: as long as the office's columns allow.
NoticeText = Annotated[str, _text_rules(2000), BeforeValidator(_text), AfterValidator(_strip)]
# As long as the duty's columns allow (a longer specialty or language could never match a lawyer's anyway).
Specialty = Annotated[str, _text_rules(40), BeforeValidator(_text), AfterValidator(_strip)]
Language = Annotated[str, _text_rules(20), BeforeValidator(_text), AfterValidator(_strip)]
Count = Annotated[int, Field(ge=1, le=10), BeforeValidator(_integer)]
Years = Annotated[int, Field(ge=0, le=60), BeforeValidator(_integer)]
Weekday = Annotated[int, Field(ge=0, le=6), BeforeValidator(_integer)]
# A lawyer's cell: what a spreadsheet cell may hold, as JSON (the import's checks then read it).
Word = Annotated[str, Field(max_length=200, pattern="^[^\\x00]*$"), BeforeValidator(_text)]
CellValue = Annotated[
    str | int | list[Word] | None,
    Field(description="As in the spreadsheet column of the same name: text, a number, or a list of items."),
]

# --- offices and firms ---------------------------------------------------------------------------


class OfficeBody(Body):
    """An office's fields; in a change, a field left out keeps its value."""

    name: Text100 | None = None
    name_en: Text100 | None = None
    level: Annotated[str, Field(pattern="^(" + "|".join(OFFICE_LEVELS) + ")$")] | None = None
    address: Text200 | None = None
    phone: Annotated[str, Field(max_length=40, pattern="^[^\\x00]*$"), BeforeValidator(_text)] | None = None
    window_weekday: Weekday | None = Field(None, description="0 = Monday .. 6 = Sunday.")
    am_start: Clock | None = None
    am_end: Clock | None = None
    pm_start: Clock | None = Field(None, description="The afternoon session, after a lunch break; null for none.")
    pm_end: Clock | None = None
    lawyers_per_window: Count | None = None
    holiday_policy: Annotated[str, Field(pattern="^(" + "|".join(HOLIDAY_POLICIES) + ")$")] | None = None
    wanted_languages: list[Text100] | None = Field(None, max_length=20)
    reception_scope: NoticeText | None = None
    visitor_notes: NoticeText | None = None
    discipline_rules: NoticeText | None = None


class NewOffice(OfficeBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"code": "522399", "name": "示例县信访局", "window_weekday": 2}],
            "x-rules": ["code is not taken", "the sessions do not overlap and each ends after it starts"],
        }
    )
    code: Text16 = Field(description="1 to 16 letters, digits, - or _; set once.")
    name: Text100


class OfficeChange(OfficeBody):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"phone": "0859-1234567"}],
            "x-rules": ["the sessions do not overlap and each ends after it starts"],
        }
    )


class NewFirm(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "贵州示例律师事务所", "credit_code": "31520000MD0123456X"}],
            "x-rules": ["credit_code is a valid 统一社会信用代码", "name and credit_code are not another firm's"],
        }
    )
    name: Text100
    credit_code: Annotated[str, Field(max_length=18, pattern="^[^\\x00]*$"), BeforeValidator(_text)]


class FirmChange(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"name": "贵州示例律师事务所"}],
            "x-rules": ["credit_code is a valid 统一社会信用代码", "name and credit_code are not another firm's"],
        }
    )
    name: Text100 | None = None
    credit_code: Annotated[str, Field(max_length=18, pattern="^[^\\x00]*$"), BeforeValidator(_text)] | None = None


# --- lawyers -------------------------------------------------------------------------------------

LAWYER_RULES: list[JsonValue] = [
    "each field passes the spreadsheet import's check of the same column (licence number, year, weekdays ...)",
    "an unknown firm needs firm_credit_code",
    "offices are known office codes",
    "a licence number appears once",
]


class LawyerFields(Body):
    """A lawyer's columns, as in the import; left out: unchanged (a new lawyer gets the default)."""

    name: CellValue = None
    firm: CellValue = None
    firm_credit_code: CellValue = None
    phone: CellValue = None
    email: CellValue = None
    first_practice_year: CellValue = None
    specialties: CellValue = None
    languages: CellValue = None
    offices: CellValue = Field(None, description="Office codes the lawyer may serve.")
    max_per_month: CellValue = None
    preferred_weekdays: CellValue = Field(None, description="周一..周日, mon..sun or 1..7 (1 = Monday).")
    undesired_weekdays: CellValue = None


class LawyerRecord(LawyerFields):
    licence_no: Annotated[str, Field(max_length=40, pattern="^[^\\x00]*$"), BeforeValidator(_text)] = Field(
        description="The 17-digit licence number: the key of the upsert."
    )


class LawyerUpsert(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "lawyers": [
                        {
                            "licence_no": "15201201110123456",
                            "name": "张三",
                            "firm": "贵州示例律师事务所",
                            "first_practice_year": 2011,
                            "offices": ["522301"],
                        }
                    ],
                    "reason": "与律师管理系统同步",
                }
            ],
            "x-rules": LAWYER_RULES,
        }
    )
    lawyers: list[LawyerRecord] = Field(min_length=1, max_length=MAX_LAWYERS)
    reason: Text500 = ""


class LawyerChange(LawyerFields):
    model_config = ConfigDict(json_schema_extra={"examples": [{"phone": "13800000000"}], "x-rules": LAWYER_RULES})


# --- unavailability, leader days, duties ---------------------------------------------------------


class UnavailabilityChange(Body):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"end": "2026-03-06"}], "x-rules": ["end is not before start"]}
    )
    start: Day | None = None
    end: Day | None = None
    reason: Text200 | None = None


class NewLeaderDay(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"office": "522301", "date": "2026-03-12", "note": "州长接待"}],
            "x-rules": [
                "date is a working day",
                "end is after start",
                "no leader day of the office at the same date and time",
                "language is one of the vocabulary",
            ],
        }
    )
    office: Text16 = Field(description="The office's code.")
    date: Day
    start: Clock = dt.time(9, 0)
    end: Clock = dt.time(12, 0)
    needed: Count = 1
    min_years: Years = 5
    specialty: Specialty | None = None
    language: Language | None = None
    note: Text500 = Field("", description="The receiving leader and the topic.")
    place: Text200 = ""
    scope: Text500 = ""
    accept: bool = Field(False, description="On a published period, accept the staffing proposal at once.")


class DutyChange(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"date": "2026-03-13", "reason": "领导日程调整"}],
            "x-rules": [
                "the duty is not cancelled and not in the past",
                "date is a working day within the published period",
                "end is after start",
                "no duty of the same kind and office at that date and time",
            ],
        }
    )
    date: Day | None = None
    start: Clock | None = None
    end: Clock | None = None
    needed: Count | None = None
    min_years: Years | None = None
    specialty: Specialty | None = None
    language: Language | None = None
    note: Text500 | None = None
    reason: Text500 = Field(description="Why: shown in the changelog and the lawyers' notices.")

    @field_validator("reason")
    @classmethod
    def _given(cls, reason: str) -> str:
        if not reason:
            raise _problem("is required")
        return reason


class DutyCancel(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"reason": "信访局当日闭馆"}],
            "x-rules": ["the duty is not cancelled and not in the past"],
        }
    )
    reason: Text500 = Field(min_length=1)


class NewDuties(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"from": "2026-03-02", "to": "2026-03-29"}],
            "x-rules": ["to is not before from", "the working-day calendar of the years is known"],
        }
    )
    start: Day = Field(alias="from", description="First day of the period.")
    end: Day = Field(alias="to", description="Last day of the period: not before from.")
    offices: list[Text16] = Field(default_factory=list, max_length=100, description="Office codes; empty: all.")
