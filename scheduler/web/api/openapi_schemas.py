"""The response schemas of the OpenAPI document (scheduler.web.api.openapi): shorthands and the components.

The request schemas are not here: they are made from the models that validate the requests
(scheduler.web.api.inputs).
"""

from __future__ import annotations

from typing import Any

from scheduler.models.changes import PROPOSAL_KINDS, PROPOSAL_STATES, SWAP_REQUEST_STATES
from scheduler.models.jobs import JOB_STATES
from scheduler.models.offices import HOLIDAY_POLICIES, OFFICE_LEVELS
from scheduler.models.rosters import ASSIGNMENT_ORIGINS, ROSTER_STATUSES
from scheduler.web.api.inputs import DATE_PATTERN
from scheduler.web.api.validation import MAX_ID

Schema = dict[str, Any]

# --- schema shorthands ---------------------------------------------------------------------------


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(
    properties: dict[str, Schema],
    *,
    optional: tuple[str, ...] = (),
    closed: bool = True,
    example: dict[str, Any] | None = None,
) -> Schema:
    """An object whose properties are all required except `optional`; `closed` refuses other properties."""
    schema: Schema = {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
    }
    if closed:
        schema["additionalProperties"] = False
    if example is not None:
        schema["examples"] = [example]
    return schema


def nullable(schema: Schema) -> Schema:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


ID: Schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
INT: Schema = {"type": "integer"}
STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}
DATE: Schema = {"type": "string", "format": "date"}
MOMENT: Schema = {"type": "string", "format": "date-time"}
CLOCK: Schema = {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"}
PERIOD: Schema = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\.\.[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
# A period in a path, as parse_period reads it: two days of the bounds the input dates have.
INPUT_PERIOD: Schema = {
    "type": "string",
    "pattern": "^" + DATE_PATTERN.strip("^$") + r"\.\." + DATE_PATTERN.strip("^$") + "$",
    "description": "START..END, two days YYYY-MM-DD from 2000-01-01 to 2099-12-31; END is not before START.",
}
FREE: Schema = {"type": "object"}  # a free-form document (a solve report, an evaluation)


def enum(values: tuple[str, ...]) -> Schema:
    return {"type": "string", "enum": list(values)}


# --- components ----------------------------------------------------------------------------------

ROSTER_SUMMARY = {
    "id": ID,
    "period": PERIOD,
    "period_start": DATE,
    "period_end": DATE,
    "version": INT,
    "status": enum(ROSTER_STATUSES),
    "provisional": BOOL,
    "solver_status": STR,
    "objective": nullable(INT),
    "created_at": MOMENT,
    "published_at": nullable(MOMENT),
}


def schemas() -> dict[str, Schema]:
    """The document's components/schemas."""
    person = obj({"id": ID, "name": STR})
    return {
        # `code` names the kind of domain error (stable across languages; `message` is worded).
        "Error": obj(
            {"error": INT, "title": STR, "message": STR, "code": STR, "errors": array(ref("FieldError"))},
            optional=("errors", "code"),
        ),
        "ValidationError": obj(
            {"error": {"const": 400}, "title": STR, "message": STR, "code": STR, "errors": array(ref("FieldError"))},
            optional=("code",),
        ),
        "FieldError": obj(
            {
                "field": {
                    "type": ["string", "null"],
                    "description": "The body field, query parameter, path part or header at fault; "
                    "null when the request as a whole is.",
                },
                "message": STR,
            }
        ),
        "Me": obj(
            {
                "username": STR,
                "role": enum(("admin", "planner", "clerk", "lawyer")),
                "lawyer_id": nullable(ID),
                "authentication": enum(("basic", "session")),
                "display_name": STR,
                "offices": {
                    **nullable(array(STR)),
                    "description": "The codes of the offices the account may see and change; null: every office.",
                },
                "csrf_token": {"type": "string", "description": "Only for a browser session: send it as X-CSRFToken."},
            },
            optional=("csrf_token",),
        ),
        "Office": obj(
            {
                "code": STR,
                "name": STR,
                "name_en": STR,
                "level": enum(OFFICE_LEVELS),
                "address": STR,
                "phone": STR,
                "window_weekday": {"type": "integer", "minimum": 0, "maximum": 6, "description": "0 is Monday."},
                "am_start": CLOCK,
                "am_end": CLOCK,
                "pm_start": nullable(CLOCK),
                "pm_end": nullable(CLOCK),
                "lawyers_per_window": INT,
                "holiday_policy": enum(HOLIDAY_POLICIES),
                "wanted_languages": array(STR),
                "reception_scope": STR,
                "visitor_notes": STR,
                "discipline_rules": STR,
            }
        ),
        "Firm": obj({"id": ID, "name": STR, "credit_code": STR, "lawyers": INT}),
        "Lawyer": obj(
            {
                "id": ID,
                "name": STR,
                "licence_no": STR,
                "firm": nullable(person),
                "phone": STR,
                "email": STR,
                "first_practice_year": INT,
                "specialties": array(STR),
                "languages": array(STR),
                "offices": array(STR),
                "max_per_month": INT,
                "preferred_weekdays": array(INT),
                "undesired_weekdays": array(INT),
                "status": enum(("active", "suspended", "removed")),
            }
        ),
        "LawyerPage": obj({"items": array(ref("Lawyer")), "page": INT, "per_page": INT, "total": INT}),
        "Unavailability": obj({"id": ID, "lawyer_id": ID, "start": DATE, "end": DATE, "reason": STR}),
        "UnavailabilityRecorded": obj(
            {"lawyer_id": ID, "start": DATE, "end": DATE, "reason": STR, "proposals": array(ref("Proposal"))}
        ),
        "Duty": obj(
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
                "moved_from": nullable(DATE),
                "roster": obj({"id": ID, "version": INT}),
                "lawyers": array(obj({"id": ID, "name": STR, "firm": STR})),
                "open_places": INT,
            }
        ),
        "Suggestions": obj(
            {
                "duty_id": ID,
                "roster_id": ID,
                "version": INT,
                "kind": enum(("cover", "swap")),
                "suggestions": array(
                    obj(
                        {
                            "lawyer_id": ID,
                            "lawyer_name": STR,
                            "partner_duty_id": nullable(ID),
                            "objective_delta": INT,
                            "terms_delta": {"type": "object", "additionalProperties": INT},
                            "reason": STR,
                            "changes": array(ref("Change")),
                        }
                    )
                ),
            }
        ),
        "RosterSummary": obj(ROSTER_SUMMARY),
        "RosterListItem": obj({**ROSTER_SUMMARY, "assignments": INT}),
        "Roster": obj(
            {
                **ROSTER_SUMMARY,
                "assignments": array(
                    obj(
                        {
                            "duty_id": ID,
                            "date": DATE,
                            "office": STR,
                            "lawyer_id": ID,
                            "lawyer_name": STR,
                            "slot": INT,
                            "origin": enum(ASSIGNMENT_ORIGINS),
                            "pinned": BOOL,
                            "revision": INT,
                        }
                    )
                ),
                "changelog": array({"type": "object", "additionalProperties": STR}),
                "report": FREE,
            }
        ),
        "RosterDiff": obj(
            {
                "from": ref("RosterSummary"),
                "to": ref("RosterSummary"),
                "duties": array(
                    obj(
                        {
                            "duty_id": ID,
                            "before": array(person),
                            "after": array(person),
                            "removed": array(ID),
                            "added": array(ID),
                        }
                    )
                ),
            }
        ),
        "Change": obj({"duty_id": ID, "remove": array(ID), "add": array(ID)}),
        "Proposal": obj(
            {
                "id": ID,
                "kind": {
                    **enum(PROPOSAL_KINDS),
                    "description": "A repair replaces lawyers who can no longer serve (removal, suspension, absence).",
                },
                "state": enum(PROPOSAL_STATES),
                "base_roster_id": ID,
                "base_version": INT,
                "changes": array(ref("Change")),
                "evaluation": {
                    **FREE,
                    "description": "new_violations (the hard rules the change would break), objective_before, "
                    "objective_after, objective_delta, terms_delta; for a repair also vacated and unfilled places.",
                },
                "reason": STR,
                "created_by": STR,
                "created_at": MOMENT,
                "decided_by": nullable(STR),
                "decided_at": nullable(MOMENT),
                "result_roster_id": nullable(ID),
                "swap_request_id": nullable(ID),
            }
        ),
        "Accepted": obj({"proposal": ref("Proposal"), "roster": ref("RosterSummary")}),
        "SwapRequest": obj(
            {
                "id": ID,
                "state": enum(SWAP_REQUEST_STATES),
                "duty_id": ID,
                "from_lawyer_id": ID,
                "to_lawyer_id": ID,
                "exchange_duty_id": nullable(ID),
                "message": STR,
                "expires_on": DATE,
                "created_at": MOMENT,
                "updated_at": MOMENT,
                "decided_by": nullable(STR),
                "version": INT,
            }
        ),
        "SolveJob": obj(
            {
                "id": ID,
                "period": PERIOD,
                "period_start": DATE,
                "period_end": DATE,
                "state": enum(JOB_STATES),
                "time_limit_s": NUMBER,
                "workers": INT,
                "seed": INT,
                "progress": {**FREE, "description": "The latest solution found: objective, bound, elapsed_s."},
                "error": STR,
                "roster_id": nullable(ID),
                "created_by": STR,
                "created_at": MOMENT,
                "started_at": nullable(MOMENT),
                "finished_at": nullable(MOMENT),
            }
        ),
    }
