"""The input of the API's reception log and training operations (scheduler.web.api.reception, .trainings).

As in scheduler.web.api.inputs, each model validates the request and makes the OpenAPI schema. The limits are
the columns' (PostgreSQL refuses longer text). What a schema cannot say (a duty the lawyer served, an active
category, a training held before its attendance) is the use case's check, listed as the model's x-rules.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, field_validator

from scheduler.models.records import REFERRALS
from scheduler.web.api.inputs import (
    Body,
    Day,
    Id,
    Query,
    Text16,
    Text100,
    Text200,
    Text500,
    _integer,
    _strip,
    _text,
    _text_rules,
    _within_a_year,
)
from scheduler.web.api.registry_inputs import Clock

Text1000 = Annotated[str, _text_rules(1000), BeforeValidator(_text), AfterValidator(_strip)]
Text2000 = Annotated[str, _text_rules(2000), BeforeValidator(_text), AfterValidator(_strip)]
MONTH_PATTERN = "^20[0-9]{2}-(0[1-9]|1[0-2])$"


class ConsultationsQuery(Query):
    model_config = ConfigDict(json_schema_extra={"x-rules": ["to is not before from, and less than 366 days after it"]})
    start: Day | None = Field(None, alias="from", description="First day of the duties (default: 31 days ago).")
    end: Day | None = Field(None, alias="to", description="Last day (default: today): not before from.")
    office: Text16 = Field("", description="Only this office's duties (its code); empty: every office held.")
    lawyer: Id | None = Field(None, description="Only this lawyer's consultations (a lawyer: their own only).")

    _end = field_validator("end")(_within_a_year)


class StatsQuery(Query):
    month: Annotated[str, Field(pattern=MONTH_PATTERN)] | None = Field(
        None, description="The month, YYYY-MM (default: this month)."
    )


class RemoveQuery(Query):
    reason: Text500 = Field("", description="Why it is removed (kept in the audit log).")


class NewConsultation(Body):
    """One consultation on a served duty: by the lawyer who served it, or by staff for them."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"duty_id": 1, "time": "09:30", "visitors": 2, "category_id": 1, "referral": "legal_aid", "advice": ""}
            ],
            "x-rules": [
                "the lawyer served the duty (attendance recorded as served) and it is not after today",
                "category_id names an active category",
                "staff name the lawyer_id; a lawyer leaves it out or names themselves",
            ],
        }
    )
    duty_id: Id
    lawyer_id: Id | None = Field(None, description="The lawyer who served (staff); a lawyer's own by default.")
    time: Clock
    visitors: Annotated[int, Field(ge=1, le=500), BeforeValidator(_integer)]
    category_id: Id
    referral: Annotated[str, Field(pattern="^(" + "|".join(REFERRALS) + ")$")]
    advice: Text2000 = ""


class NewTraining(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"title": "信访法律实务培训", "date": "2026-03-10", "start": "09:00", "end": "12:00"}],
            "x-rules": ["end is after start", "title is not blank"],
        }
    )
    title: Annotated[Text200, Field(min_length=1)]
    date: Day
    start: Clock
    end: Clock
    location: Text200 = ""
    organiser: Text200 = ""
    content: Text2000 = ""


class Invitations(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"lawyers": [1, 2], "offices": ["522326"]}],
            "x-rules": ["at least one lawyer, office or firm"],
        }
    )
    lawyers: list[Id] = Field(default_factory=list, max_length=500)
    offices: list[Text16] = Field(default_factory=list, max_length=50, description="Every lawyer of these offices.")
    firms: list[Id] = Field(default_factory=list, max_length=200, description="Every lawyer of these firms.")


class TrainingAttendance(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"lawyer_id": 1, "status": "attended"}],
            "x-rules": ["the lawyer was invited", "the training has been held (not after today)"],
        }
    )
    lawyer_id: Id
    status: Literal["attended", "absent", "excused"]
    note: Text500 = ""


class MeetingsQuery(Query):
    model_config = ConfigDict(json_schema_extra={"x-rules": ["to is not before from, and less than 366 days after it"]})
    start: Day | None = Field(None, alias="from", description="First day (default: a year ago).")
    end: Day | None = Field(None, alias="to", description="Last day (default: a quarter ahead): not before from.")

    _end = field_validator("end")(_within_a_year)


class NewDecision(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"meeting_date": "2026-03-05", "text": "建立包案台账", "owner": "州信访局", "due": "2026-04-30"}
            ],
            "x-rules": ["the meeting is held on meeting_date", "text and owner are not blank"],
        }
    )
    meeting_date: Day
    text: Annotated[Text1000, Field(min_length=1)]
    owner: Annotated[Text100, Field(min_length=1)]
    due: Day


class DecisionState(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"done": True}]})
    done: bool = Field(description="Carried out (true) or open again (false).")
