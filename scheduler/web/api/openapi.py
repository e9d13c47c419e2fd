"""The OpenAPI 3.1 document of the JSON API, served at /api/v1/openapi.json.

The request schemas and query parameters are made here from the pydantic models that validate the requests
(scheduler.web.api.inputs), so that the document says what the validation does; the response schemas are in
`openapi_schemas`; the operations here. tests/api/test_openapi.py keeps the document in
step with the routes (every API route is described, and nothing else), and tests/api/test_schemathesis.py
checks the answers against it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

from scheduler.web.api.inputs import (
    NO_NUL,
    Accept,
    DutiesQuery,
    Empty,
    LawyersQuery,
    NewProposal,
    NewSolveJob,
    NewSwapRequest,
    NewUnavailability,
    Publish,
    RostersQuery,
    SuggestionsQuery,
    SwapProposal,
)
from scheduler.web.api.openapi_assessment import assessment_paths, assessment_schemas
from scheduler.web.api.openapi_casework import BODIES as CASEWORK_BODIES
from scheduler.web.api.openapi_casework import casework_paths, casework_schemas
from scheduler.web.api.openapi_operations import EVERYONE, OWN, PLANNERS, STAFF, operation, path_id
from scheduler.web.api.openapi_records import BODIES as RECORDS_BODIES
from scheduler.web.api.openapi_records import records_paths, records_schemas
from scheduler.web.api.openapi_registry import BODIES as REGISTRY_BODIES
from scheduler.web.api.openapi_registry import registry_paths, registry_schemas
from scheduler.web.api.openapi_schemas import FREE, INPUT_PERIOD, STR, Schema, array, ref, schemas
from scheduler.web.api.openapi_work import BODIES as WORK_BODIES
from scheduler.web.api.openapi_work import work_paths, work_schemas
from scheduler.web.api.validation import MAX_BODY

# --- request schemas, from the models that validate the requests ----------------------------------

REF = "#/components/schemas/{model}"
BODIES: tuple[type[BaseModel], ...] = (NewUnavailability, Publish, Accept, Empty, NewSwapRequest, NewSolveJob)


def input_schemas() -> dict[str, Schema]:
    """The components of the request bodies: each model's JSON Schema, and the proposals' oneOf of two."""
    found: dict[str, Schema] = {}
    for model in (*BODIES, *REGISTRY_BODIES, *WORK_BODIES, *RECORDS_BODIES, *CASEWORK_BODIES):
        schema = model.model_json_schema(ref_template=REF)
        found.update(schema.pop("$defs", {}))  # models a body nests (the lawyers of an upsert)
        found[model.__name__] = schema
    proposal = TypeAdapter(NewProposal).json_schema(ref_template=REF)
    found.update(proposal.pop("$defs"))
    found["NewProposal"] = proposal
    return found


def rules_of(model: type[BaseModel]) -> tuple[str, ...]:
    """The rules across fields that `model` checks and declares (its schema's x-rules)."""
    return tuple(model.model_json_schema().get("x-rules", ()))


def query_parameters(model: type[BaseModel]) -> tuple[Schema, ...]:
    """The query parameters of a query model: one per field, its schema that of the field."""
    schema = model.model_json_schema()
    rules = schema.get("x-rules", ())
    parameters = []
    for name, field in schema["properties"].items():
        field = dict(field)
        field.pop("title", None)
        description = field.pop("description", "")
        if "anyOf" in field:  # Optional: a query parameter is left out, never null
            field.update(next(s for s in field.pop("anyOf") if s.get("type") != "null"))
            field.pop("default", None)
        parameter: Schema = {"name": name, "in": "query", "required": name in schema.get("required", ())}
        parameter["description"] = " ".join((description, *(f"Rule: {rule}." for rule in rules if name in rule)))
        parameters.append(parameter | {"schema": field})
    return tuple(parameters)


def _paths() -> dict[str, Any]:
    proposal_id = path_id("proposal_id", "proposal")
    request_id = path_id("request_id", "swap request")
    lawyer_id = path_id("lawyer_id", "lawyer")
    roster_id = path_id("roster_id", "roster version")

    def request_action(action: str, summary: str, roles: tuple[str, ...]) -> Schema:
        return {
            "post": operation(
                f"{action}SwapRequest",
                summary,
                "swap requests",
                (200, "The swap request in its new state.", ref("SwapRequest")),
                roles=roles,
                parameters=(request_id,),
                body="Empty",
                body_required=False,
                errors=(404, 409),
            )
        }

    return {
        "/me": {
            "get": operation(
                "getMe", "The signed-in account", "accounts", (200, "The account.", ref("Me")), roles=EVERYONE
            )
        },
        "/offices": {
            "get": operation("listOffices", "Every petition office", "offices", (200, "Offices.", array(ref("Office"))))
        },
        "/offices/{code}": {
            "get": operation(
                "getOffice",
                "One office",
                "offices",
                (200, "The office.", ref("Office")),
                parameters=(
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "description": "The office's code, e.g. 522326.",
                        "schema": {"type": "string", "minLength": 1, "maxLength": 16, "pattern": NO_NUL},
                        "example": "522326",
                    },
                ),
                errors=(404,),
            )
        },
        "/firms": {"get": operation("listFirms", "Every law firm", "firms", (200, "Firms.", array(ref("Firm"))))},
        "/lawyers": {
            "get": operation(
                "listLawyers",
                "A page of lawyers",
                "lawyers",
                (200, "One page of lawyers by name.", ref("LawyerPage")),
                roles=STAFF,
                parameters=query_parameters(LawyersQuery),
            )
        },
        "/lawyers/{lawyer_id}": {
            "get": operation(
                "getLawyer",
                "One lawyer",
                "lawyers",
                (200, "The lawyer (never their calendar token).", ref("Lawyer")),
                roles=OWN,
                parameters=(lawyer_id,),
                errors=(404,),
            )
        },
        "/lawyers/{lawyer_id}/unavailability": {
            "get": operation(
                "listUnavailability",
                "A lawyer's days off duty",
                "lawyers",
                (200, "Spans of days, earliest first.", array(ref("Unavailability"))),
                roles=OWN,
                parameters=(lawyer_id,),
                errors=(404,),
            )
        },
        "/unavailability": {
            "post": operation(
                "addUnavailability",
                "Record days a lawyer cannot serve",
                "lawyers",
                (
                    201,
                    "Recorded, with a repair proposal per published roster it touches.",
                    ref("UnavailabilityRecorded"),
                ),
                roles=STAFF,
                body="NewUnavailability",
                rules=rules_of(NewUnavailability),
                errors=(404,),
            )
        },
        "/duties": {
            "get": operation(
                "listDuties",
                "Published duties",
                "duties",
                (200, "Duties whose period is published, with their lawyers' names and firms.", array(ref("Duty"))),
                parameters=query_parameters(DutiesQuery),
                rules=rules_of(DutiesQuery),
                errors=(404,),
            )
        },
        "/duties/{duty_id}/suggestions": {
            "get": operation(
                "suggest",
                "Who could take a published duty",
                "duties",
                (200, "Feasible changes, best (lowest objective change) first.", ref("Suggestions")),
                roles=STAFF,
                parameters=(path_id("duty_id", "duty"), *query_parameters(SuggestionsQuery)),
                rules=(*rules_of(SuggestionsQuery), "replace and swap name a lawyer on the duty"),
                errors=(404,),
            )
        },
        "/rosters": {
            "get": operation(
                "listRosters",
                "Drafts and versions",
                "rosters",
                (200, "Rosters by period and version.", array(ref("RosterListItem"))),
                roles=STAFF,
                parameters=query_parameters(RostersQuery),
                rules=rules_of(RostersQuery),
            )
        },
        "/rosters/{roster_id}": {
            "get": operation(
                "getRoster",
                "A draft or version with its assignments",
                "rosters",
                (200, "The roster.", ref("Roster")),
                roles=STAFF,
                parameters=(roster_id,),
                errors=(404,),
            )
        },
        "/rosters/{roster_id}/diff/{other_id}": {
            "get": operation(
                "diffRosters",
                "What changed between two versions of one period",
                "rosters",
                (200, "Each duty whose lawyers differ.", ref("RosterDiff")),
                roles=STAFF,
                parameters=(roster_id, path_id("other_id", "other roster version")),
                errors=(404,),
            )
        },
        "/rosters/{period}/publish": {
            "post": operation(
                "publishRoster",
                "Publish a period's draft",
                "rosters",
                (200, "The new published version.", ref("RosterSummary")),
                roles=PLANNERS,
                parameters=(
                    {
                        "name": "period",
                        "in": "path",
                        "required": True,
                        "description": "START..END, e.g. 2026-03-02..2026-03-29; END is not before START.",
                        "schema": INPUT_PERIOD,
                        "example": "2026-03-02..2026-03-29",
                    },
                ),
                body="Publish",
                rules=("START and END are days of the calendar, END not before START",),
                body_required=False,
                errors=(404, 409),
            )
        },
        "/proposals": {
            "post": operation(
                "propose",
                "Propose a swap or a cover",
                "proposals",
                (201, "The open proposal with its evaluation.", ref("Proposal")),
                roles=STAFF,
                body="NewProposal",
                rules=(
                    *rules_of(SwapProposal),
                    "the roster's rules: a lawyer swapped or replaced is on the duty, a lawyer who comes in is not, "
                    "a cover fills an open place when no lawyer is replaced",
                ),
                errors=(404,),
            )
        },
        "/proposals/{proposal_id}": {
            "get": operation(
                "getProposal",
                "A proposal",
                "proposals",
                (200, "The proposal.", ref("Proposal")),
                roles=STAFF,
                parameters=(proposal_id,),
                errors=(404,),
            )
        },
        "/proposals/{proposal_id}/accept": {
            "post": operation(
                "acceptProposal",
                "Accept a proposal as the next version",
                "proposals",
                (200, "The accepted proposal and the version it published.", ref("Accepted")),
                roles=STAFF,
                parameters=(proposal_id,),
                body="Accept",
                body_required=False,
                errors=(404, 409),
            )
        },
        "/proposals/{proposal_id}/discard": {
            "post": operation(
                "discardProposal",
                "Discard a proposal",
                "proposals",
                (200, "The discarded proposal.", ref("Proposal")),
                roles=STAFF,
                parameters=(proposal_id,),
                body="Empty",
                body_required=False,
                errors=(404, 409),
            )
        },
        "/swap-requests": {
            "post": operation(
                "requestSwap",
                "Offer a duty to a colleague, or propose an exchange",
                "swap requests",
                (201, "The proposed swap request.", ref("SwapRequest")),
                roles=("lawyer",),
                body="NewSwapRequest",
                rules=(
                    "the roster's rules: duty_id is an upcoming duty of the signed-in lawyer, to_lawyer_id is another "
                    "lawyer, exchange_duty_id is a duty of theirs",
                ),
                errors=(404,),
            )
        },
        "/swap-requests/{request_id}": {
            "get": operation(
                "getSwapRequest",
                "A swap request",
                "swap requests",
                (200, "The swap request.", ref("SwapRequest")),
                roles=(*STAFF, "lawyer (one of the two)"),
                parameters=(request_id,),
                errors=(404,),
            )
        },
        "/swap-requests/{request_id}/accept": request_action("accept", "The colleague agrees", ("lawyer",)),
        "/swap-requests/{request_id}/decline": request_action("decline", "The colleague declines", ("lawyer",)),
        "/swap-requests/{request_id}/withdraw": request_action("withdraw", "The requester withdraws", ("lawyer",)),
        "/swap-requests/{request_id}/approve": request_action("approve", "Staff approve", STAFF),
        "/swap-requests/{request_id}/reject": request_action("reject", "Staff reject", STAFF),
        "/solve-jobs": {
            "post": operation(
                "startSolve",
                "Solve a period in the background",
                "solve jobs",
                (202, "The queued job; poll its Location.", ref("SolveJob")),
                roles=PLANNERS,
                body="NewSolveJob",
                rules=rules_of(NewSolveJob),
                errors=(409, 503),
                headers={"Location": STR},
            )
        },
        "/solve-jobs/{job_id}": {
            "get": operation(
                "getSolveJob",
                "A solve job's state and progress",
                "solve jobs",
                (200, "The job.", ref("SolveJob")),
                roles=STAFF,
                parameters=(path_id("job_id", "solve job"),),
                errors=(404,),
            )
        },
        "/openapi.json": {"get": operation("openapi", "This document", "meta", (200, "The OpenAPI document.", FREE))},
    }


def _merged(*groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Paths of several groups; a path in two groups has the methods of both."""
    paths: dict[str, Any] = {}
    for group in groups:
        for path, methods in group.items():
            paths[path] = paths.get(path, {}) | methods
    return paths


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document (built once; callers must not change it)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Petition duty scheduler API",
            "version": "1",
            "description": "Offices, lawyers, duties, rosters and their changes for lawyers on petition-reception "
            "duty (信访律师值班). Scripts authenticate with HTTP Basic (an account's username and password); a "
            "browser session works too, and its writes must send the X-CSRFToken header (see GET /me). "
            f"Request bodies are JSON objects of at most {MAX_BODY} bytes; unknown fields are refused.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/api/v1"}],
        "paths": _merged(
            _paths(),
            registry_paths(),
            assessment_paths(),
            work_paths(),
            records_paths(query_parameters),
            casework_paths(query_parameters),
        ),
        "components": {
            "schemas": schemas()
            | input_schemas()
            | registry_schemas()
            | work_schemas()
            | records_schemas()
            | casework_schemas()
            | assessment_schemas(),
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
        },
    }
