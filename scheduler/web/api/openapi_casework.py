"""The OpenAPI paths and answer schemas of the entrusted cases API (scheduler.web.api.casework), merged into
the document by scheduler.web.api.openapi."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from scheduler.casework.cases import STATUS_NAMES
from scheduler.casework.opinion_files import MEDIA_TYPES
from scheduler.web.api.casework_inputs import (
    MAX_BASE64,
    Assignment,
    CaseChange,
    CasesQuery,
    NewCase,
    OpinionUpload,
    StatusChange,
    SuggestionsLimit,
)
from scheduler.web.api.openapi_operations import STAFF, operation, path_id
from scheduler.web.api.openapi_schemas import BOOL, DATE, ID, INT, MOMENT, STR, Schema, array, obj, ref

BODIES: tuple[type[BaseModel], ...] = (NewCase, CaseChange, Assignment, StatusChange, OpinionUpload)
Parameters = Callable[[type[BaseModel]], tuple[Schema, ...]]
MANY = 409  # a case closed or withdrawn, a status it may not move to, no opinion or no lawyers yet


def _rules(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_json_schema().get("x-rules", ()))


def casework_schemas() -> dict[str, Schema]:
    """The answers of the case operations."""
    return {
        "Case": obj(
            {
                "id": ID,
                "number": STR,
                "title": STR,
                "summary": STR,
                "category": STR,
                "office": obj({"code": STR, "name": STR}),
                "leader": STR,
                "language": STR,
                "entrusted_on": DATE,
                "due_date": DATE,
                "status": {"type": "string", "enum": list(STATUS_NAMES)},
                "overdue": BOOL,
                "lawyers": array(obj({"id": ID, "name": STR, "firm": STR})),
                "opinions": array(
                    obj(
                        {
                            "id": ID,
                            "filename": STR,
                            "kind": {"type": "string", "enum": list(MEDIA_TYPES)},
                            "size": INT,
                            "uploaded_at": MOMENT,
                        }
                    )
                ),
            }
        ),
        "Cases": obj({"items": array(ref("Case"))}),
        "CaseSuggestions": obj(
            {
                "items": array(
                    obj(
                        {
                            "lawyer": obj({"id": ID, "name": STR, "firm": STR}),
                            "score": INT,
                            "specialty_match": BOOL,
                            "language_match": BOOL,
                            "years": INT,
                            "open_cases": INT,
                        }
                    )
                )
            }
        ),
    }


def _case_write(op_id: str, summary: str, body: type[BaseModel], status: int = 200, **more: object) -> Schema:
    errors = more.pop("errors", (404, MANY))
    return operation(
        op_id,
        summary,
        "cases",
        (status, "The case.", ref("Case")),
        roles=STAFF,
        body=body.__name__,
        rules=_rules(body),
        errors=errors,  # type: ignore[arg-type]
        **more,  # type: ignore[arg-type]
    )


def casework_paths(query_parameters: Parameters) -> dict[str, dict[str, Schema]]:
    """The case operations, by path and method."""
    case_id = path_id("case_id", "entrusted case")
    download = operation(
        "downloadOpinion",
        "Download a legal opinion's file",
        "cases",
        (200, "The file.", {"type": "string"}),
        roles=(*STAFF, "lawyer (of the case)"),
        parameters=(case_id, path_id("opinion_id", "legal opinion")),
        errors=(404,),
    )
    download["responses"]["200"]["content"] = {
        media: {"schema": {"type": "string", "format": "binary"}} for media in MEDIA_TYPES.values()
    }
    upload = _case_write(
        "uploadOpinion", "File a legal opinion (base64 in JSON)", OpinionUpload, 201, parameters=(case_id,)
    )
    upload["description"] += (
        f" The one body allowed above the usual limit: up to {MAX_BASE64 + 4096} bytes (the file as base64)."
    )
    return {
        "/cases": {
            "get": operation(
                "listCases",
                "Entrusted cases: staff those of the offices they hold, a lawyer their own",
                "cases",
                (200, "The cases, the nearest due date first.", ref("Cases")),
                roles=(*STAFF, "lawyer (their own)"),
                parameters=query_parameters(CasesQuery),
            ),
            "post": _case_write("createCase", "Record an entrusted case", NewCase, 201, errors=()),
        },
        "/cases/{case_id}": {
            "patch": _case_write("changeCase", "Change a case's details", CaseChange, parameters=(case_id,)),
        },
        "/cases/{case_id}/suggestions": {
            "get": operation(
                "suggestCaseLawyers",
                "Lawyers who could take the case, best first",
                "cases",
                (200, "The ranked lawyers.", ref("CaseSuggestions")),
                roles=STAFF,
                parameters=(case_id, *query_parameters(SuggestionsLimit)),
                errors=(404,),
            )
        },
        "/cases/{case_id}/lawyers": {
            "post": _case_write("assignCaseLawyers", "Set the case's lawyers", Assignment, parameters=(case_id,)),
        },
        "/cases/{case_id}/status": {
            "post": _case_write("setCaseStatus", "Move the case's status", StatusChange, parameters=(case_id,)),
        },
        "/cases/{case_id}/opinions": {"post": upload},
        "/cases/{case_id}/opinions/{opinion_id}": {"get": download},
    }
