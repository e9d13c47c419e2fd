"""The bodies of the API's hotline and availability-request writes (scheduler.web.api.hotline, .availability).

As in scheduler.web.api.inputs, each model validates the request and makes the OpenAPI request schema. What a
schema cannot say (an end after its start, a mailbox's form, a share in tenths, a request window's deadline)
is listed as the model's x-rules and checked by the use case the page calls, which then answers 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BeforeValidator, ConfigDict, Field, field_validator

from scheduler.web.api.inputs import Body, Day, Id, Text16, Text200, Text500, _not_before, _number
from scheduler.web.api.registry_inputs import Clock, Count, Weekday

# As long as the hotline's columns allow (PostgreSQL refuses longer text).
Phone = Annotated[str, Field(min_length=1, max_length=40, pattern="^[^\\x00]*$")]
Mailbox = Annotated[str, Field(max_length=120, pattern="^[^\\x00]*$")]
Share = Annotated[float, Field(ge=0.1, le=1), BeforeValidator(_number)]


class HotlineChange(Body):
    """An office's hotline: the whole setting (PUT), as the planner's hotline form has it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"phone": "0859-1234567", "mailbox": "zixun@example.cn", "weekdays": [0, 2, 4]}],
            "x-rules": [
                "phone is not blank",
                "end is after start",
                "mailbox is empty or an e-mail address",
                "share is a multiple of 0.1",
            ],
        }
    )
    phone: Phone
    mailbox: Mailbox = ""
    weekdays: list[Weekday] = Field(
        default_factory=list, max_length=7, description="0 = Monday .. 6 = Sunday; empty: every working day."
    )
    needed: Count = 1
    start: Clock = dt.time(9)
    end: Clock = dt.time(17)
    served_from: list[Text16] = Field(
        default_factory=list, max_length=50, description="Codes of other offices whose lawyers may serve it remotely."
    )
    share: Share | None = Field(
        None, description="How much a hotline day counts in fairness (0.1 to 1); null: unchanged."
    )


class NewWindow(Body):
    """A request window: lawyers send requests for the period from `opens` to `deadline`."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period_start": "2026-04-01",
                    "period_end": "2026-04-30",
                    "opens": "2026-03-01",
                    "deadline": "2026-03-20",
                }
            ],
            "x-rules": [
                "period_end is not before period_start",
                "deadline is not before opens and before period_start",
            ],
        }
    )
    period_start: Day
    period_end: Day
    opens: Day
    deadline: Day


class NewAvailabilityRequest(Body):
    """A lawyer's request: days off (start, end, reason) or weekday wishes (preferred, undesired)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"window_id": 1, "kind": "unavailable", "start": "2026-04-08", "end": "2026-04-08", "reason": "开庭"}
            ],
            "x-rules": [
                "the window accepts requests today (between opens and deadline)",
                "unavailable: start and end within the window's period, end not before start, a reason",
                "weekdays: at least one preferred weekday, none both preferred and undesired",
            ],
        }
    )
    window_id: Id
    kind: Annotated[str, Field(pattern="^(unavailable|weekdays)$")]
    start: Day | None = None
    end: Day | None = None
    reason: Text200 = ""
    preferred: list[Weekday] = Field(default_factory=list, max_length=7)
    undesired: list[Weekday] = Field(default_factory=list, max_length=7)

    _end = field_validator("end")(_not_before("start", "ends ({end}) before it starts ({start})"))


class Approval(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"reason": "同意"}]})
    reason: Text500 = ""


class Refusal(Body):
    """A decline: the reason the lawyer reads is required."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"reason": "本月人手紧张"}], "x-rules": ["reason is not blank"]}
    )
    reason: Annotated[Text500, Field(min_length=1)]
