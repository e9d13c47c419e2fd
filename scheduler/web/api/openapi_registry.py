"""The OpenAPI paths of the registry writes (scheduler.web.api.registry) and the schemas of their answers."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from scheduler.web.api.openapi_operations import PLANNERS, operation, path_id
from scheduler.web.api.openapi_schemas import BOOL, CLOCK, DATE, ID, INT, STR, Schema, array, nullable, obj, ref
from scheduler.web.api.registry_inputs import (
    DutyCancel,
    DutyChange,
    FirmChange,
    LawyerChange,
    LawyerUpsert,
    NewDuties,
    NewFirm,
    NewLeaderDay,
    NewOffice,
    OfficeChange,
    UnavailabilityChange,
)

BODIES: tuple[type[BaseModel], ...] = (
    NewOffice,
    OfficeChange,
    NewFirm,
    FirmChange,
    LawyerUpsert,
    LawyerChange,
    UnavailabilityChange,
    NewLeaderDay,
    DutyChange,
    DutyCancel,
    NewDuties,
)


def registry_schemas() -> dict[str, Schema]:
    """The answers of the writes that no read answers with."""
    return {
        "ImportOutcome": obj(
            {
                "created": INT,
                "updated": INT,
                "unchanged": INT,
                "firms_created": INT,
                "warnings": array(STR),
                "lawyer_ids": array(ID),
            }
        ),
        "Proposals": obj({"proposals": array(ref("Proposal"))}),
        "DutyRecord": obj(
            {
                "id": ID,
                "office": obj({"code": STR, "name": STR, "name_en": STR}),
                "duty_type": STR,
                "date": DATE,
                "start": CLOCK,
                "end": CLOCK,
                "needed": INT,
                "min_years": INT,
                "specialty": nullable(STR),
                "language": nullable(STR),
                "note": STR,
                "cancelled": BOOL,
            }
        ),
        "DutyChanged": obj(
            {"duty": ref("DutyRecord"), "version": nullable(INT), "proposal": nullable(ref("Proposal"))}
        ),
        "DutiesCreated": obj({"created": INT, "existing": INT, "provisional_years": array(INT)}),
    }


def _rules(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_json_schema().get("x-rules", ()))


def _write(
    op_id: str, summary: str, tag: str, ok: tuple[int, str, Schema], body: type[BaseModel], **more: Any
) -> Schema:
    return operation(op_id, summary, tag, ok, roles=PLANNERS, body=body.__name__, rules=_rules(body), **more)


def registry_paths() -> dict[str, dict[str, Schema]]:
    """The write operations, by path and method (merged into the document's paths)."""
    code = {
        "name": "code",
        "in": "path",
        "required": True,
        "description": "The office's code, e.g. 522326.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 16, "pattern": "^[^\\x00]*$"},
    }
    duty_id = path_id("duty_id", "duty")
    span_id = path_id("span_id", "unavailability period")
    return {
        "/offices": {
            "post": _write(
                "createOffice", "Create an office", "offices", (201, "The office.", ref("Office")), NewOffice
            )
        },
        "/offices/{code}": {
            "patch": _write(
                "changeOffice",
                "Change an office",
                "offices",
                (200, "The office.", ref("Office")),
                OfficeChange,
                parameters=(code,),
                errors=(404,),
            )
        },
        "/firms": {
            "post": _write("createFirm", "Create a law firm", "firms", (201, "The firm.", ref("Firm")), NewFirm)
        },
        "/firms/{firm_id}": {
            "patch": _write(
                "changeFirm",
                "Rename a firm or correct its credit code",
                "firms",
                (200, "The firm.", ref("Firm")),
                FirmChange,
                parameters=(path_id("firm_id", "law firm"),),
                errors=(404,),
            )
        },
        "/lawyers": {
            "put": _write(
                "upsertLawyers",
                "Create or update lawyers by licence number (all or nothing)",
                "lawyers",
                (200, "What was created and updated.", ref("ImportOutcome")),
                LawyerUpsert,
            )
        },
        "/lawyers/by-licence/{licence_no}": {
            "put": _write(
                "upsertLawyer",
                "Create or change one lawyer by licence number",
                "lawyers",
                (200, "The lawyer, created or changed.", ref("Lawyer")),
                LawyerChange,
                parameters=(
                    {
                        "name": "licence_no",
                        "in": "path",
                        "required": True,
                        "description": "The lawyer's 17-digit licence number.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 40, "pattern": "^[^\\x00]*$"},
                    },
                ),
                errors=(404,),  # a path part longer than a licence can be names no lawyer
            )
        },
        "/unavailability/{span_id}": {
            "patch": _write(
                "changeUnavailability",
                "Correct a period a lawyer cannot serve",
                "lawyers",
                (200, "The repair proposals of the duties it now hits.", ref("Proposals")),
                UnavailabilityChange,
                parameters=(span_id,),
                errors=(404,),
            ),
            "delete": operation(
                "deleteUnavailability",
                "Delete a period entered by mistake",
                "lawyers",
                (200, "Deleted.", obj({"id": ID, "deleted": BOOL})),
                roles=PLANNERS,
                parameters=(span_id,),
                errors=(404,),
            ),
        },
        "/leader-days": {
            "post": _write(
                "createLeaderDay",
                "Add a leader reception day",
                "duties",
                (201, "The duty, and on a published period its staffing proposal.", ref("DutyChanged")),
                NewLeaderDay,
                errors=(404, 409),
            )
        },
        "/duties": {
            "post": _write(
                "createDuties",
                "Create the window duties of a period",
                "duties",
                (201, "How many were created.", ref("DutiesCreated")),
                NewDuties,
            )
        },
        "/duties/{duty_id}": {
            "patch": _write(
                "changeDuty",
                "Move a duty or change a leader day",
                "duties",
                (200, "The duty, and on a published period the new version.", ref("DutyChanged")),
                DutyChange,
                parameters=(duty_id,),
                errors=(404, 409),
            )
        },
        "/duties/{duty_id}/cancel": {
            "post": _write(
                "cancelDuty",
                "Cancel a duty",
                "duties",
                (200, "The duty, and on a published period the new version.", ref("DutyChanged")),
                DutyCancel,
                parameters=(duty_id,),
                errors=(404, 409),
            )
        },
    }
