"""The input of the API's entrusted cases (scheduler.web.api.casework), as pydantic models that validate the
requests and make the OpenAPI schemas. Limits are the columns' and the case form's; what a schema cannot
say (a known office and language, a due date not before the entrusting, a status the case may move to, an
opinion file's type and content) is the use case's check, listed as x-rules.

A legal opinion is sent as base64 in JSON (`content_base64`) rather than multipart, so that the OpenAPI
document and its fuzzing describe it like every other body; its size limit is the upload page's.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field, JsonValue, WithJsonSchema, field_validator

from scheduler.casework.cases import STATUS_NAMES
from scheduler.casework.opinion_files import MAX_OPINION_BYTES
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
    _not_before,
    _problem,
    _strip,
    _text,
    _text_rules,
)

Text40 = Annotated[str, _text_rules(40), BeforeValidator(_text), AfterValidator(_strip)]
Summary = Annotated[str, _text_rules(4000), BeforeValidator(_text), AfterValidator(_strip)]
MAX_BASE64 = 4 * math.ceil(MAX_OPINION_BYTES / 3)
BASE64_PATTERN = "^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
CASE_RULES: list[JsonValue] = [
    "due_date is not before entrusted_on",
    "office is the code of an office",
    "language is empty or a known language code",
    "title and category are not blank",
]


class NewCase(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "某村土地征收补偿信访案",
                    "category": "土地征收",
                    "office": "522326",
                    "entrusted_on": "2026-02-20",
                    "due_date": "2026-03-20",
                }
            ],
            "x-rules": CASE_RULES,
        }
    )
    title: Annotated[Text200, Field(min_length=1)]
    summary: Summary = ""
    category: Annotated[Text40, Field(min_length=1)]
    office: Annotated[Text16, Field(min_length=1)] = Field(description="The entrusting office's code.")
    leader: Text100 = Field("", description="包案领导: the leader in charge, by name and post.")
    entrusted_on: Day
    due_date: Day
    language: Text16 = Field("", description="A language the petitioners speak (a code), or empty.")

    _due = field_validator("due_date")(_not_before("entrusted_on", "is before entrusted_on ({start})"))


class CaseChange(Body):
    """A case's details; those left out keep their values."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"due_date": "2026-04-10", "reason": "延期"}], "x-rules": CASE_RULES}
    )
    title: Annotated[Text200, Field(min_length=1)] | None = None
    summary: Summary | None = None
    category: Annotated[Text40, Field(min_length=1)] | None = None
    office: Annotated[Text16, Field(min_length=1)] | None = None
    leader: Text100 | None = None
    entrusted_on: Day | None = None
    due_date: Day | None = None
    language: Text16 | None = None
    reason: Text500 = ""


class Assignment(Body):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"lawyers": [1, 2], "reason": "擅长土地征收"}],
            "x-rules": ["each lawyer is practising today", "the case is not closed or withdrawn"],
        }
    )
    lawyers: list[Id] = Field(min_length=1, max_length=20, description="The whole team: who is left out is taken off.")
    reason: Text500 = ""


class StatusChange(Body):
    model_config = ConfigDict(json_schema_extra={"examples": [{"status": "closed", "reason": "已办结"}]})
    status: Annotated[str, Field(pattern="^(" + "|".join(STATUS_NAMES) + ")$")]
    reason: Text500 = ""


def _base64(value: Any) -> bytes:
    if not isinstance(value, str):
        raise _problem("must be a string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise _problem("must be base64 (RFC 4648, with padding)") from None


class OpinionUpload(Body):
    """A legal opinion file: PDF, DOCX or ODT, at most the upload page's size, its bytes in base64."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"filename": "法律意见书.pdf", "content_base64": "JVBERi0xLjQK"}],
            "x-rules": [
                "filename ends in .pdf, .docx or .odt and the content is such a document, not empty",
                f"the content is at most {MAX_OPINION_BYTES} bytes",
                "the case has lawyers and is not closed or withdrawn",
            ],
        }
    )
    filename: Annotated[Text200, Field(min_length=1)]
    content_base64: Annotated[
        bytes,
        BeforeValidator(_base64),
        WithJsonSchema(
            {
                "type": "string",
                "maxLength": MAX_BASE64,
                "pattern": BASE64_PATTERN,
                "description": "The file's bytes in base64 (RFC 4648, padded).",
            }
        ),
    ]


class CasesQuery(Query):
    status: Annotated[str, Field(pattern="^(" + "|".join(STATUS_NAMES) + ")$")] | None = Field(
        None, description="Only cases of this status."
    )


class SuggestionsLimit(Query):
    limit: Annotated[int, Field(ge=1, le=50), BeforeValidator(_integer)] = Field(10, description="How many.")
