"""The OpenAPI paths and answer schemas of the hotline and availability-request API (scheduler.web.api.hotline,
scheduler.web.api.availability), merged into the document by scheduler.web.api.openapi."""

from __future__ import annotations

from pydantic import BaseModel

from scheduler.web.api.openapi_operations import PLANNERS, operation, path_id
from scheduler.web.api.openapi_schemas import BOOL, CLOCK, DATE, ID, INT, NUMBER, STR, Schema, array, nullable, obj, ref
from scheduler.web.api.work_inputs import Approval, HotlineChange, NewAvailabilityRequest, NewWindow, Refusal

BODIES: tuple[type[BaseModel], ...] = (HotlineChange, NewWindow, NewAvailabilityRequest, Approval, Refusal)
WEEKDAYS = array({"type": "integer", "minimum": 0, "maximum": 6})


def _rules(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_json_schema().get("x-rules", ()))


def work_schemas() -> dict[str, Schema]:
    """The answers of the hotline and availability-request operations."""
    hotline_day = obj(
        {
            "date": DATE,
            "start": CLOCK,
            "end": CLOCK,
            "cancelled": BOOL,
            "lawyers": array(obj({"name": STR, "firm": STR})),
        }
    )
    return {
        "Hotline": obj(
            {
                "office": obj({"code": STR, "name": STR}),
                "phone": STR,
                "mailbox": STR,
                "pattern": STR,
                "weekdays": WEEKDAYS,
                "needed": INT,
                "start": CLOCK,
                "end": CLOCK,
                "served_from": array(STR),
                "today": nullable(hotline_day),
            }
        ),
        "Hotlines": obj({"hotlines": array(ref("Hotline")), "share": NUMBER}),
        "RequestWindow": obj(
            {"id": ID, "period_start": DATE, "period_end": DATE, "opens": DATE, "deadline": DATE, "accepting": BOOL}
        ),
        "RequestWindows": obj({"windows": array(ref("RequestWindow"))}),
        "AvailabilityRequest": obj(
            {
                "id": ID,
                "window_id": ID,
                "lawyer": obj({"id": ID, "name": STR}),
                "kind": {"type": "string", "enum": ["unavailable", "weekdays"]},
                "start": nullable(DATE),
                "end": nullable(DATE),
                "preferred": WEEKDAYS,
                "undesired": WEEKDAYS,
                "reason": STR,
                "state": {"type": "string", "enum": ["pending", "approved", "declined"]},
                "decision_reason": STR,
                "description": STR,
            }
        ),
        "AvailabilityRequests": obj(
            {"window": nullable(ref("RequestWindow")), "requests": array(ref("AvailabilityRequest"))}
        ),
        "AvailabilityDecision": obj({"request": ref("AvailabilityRequest"), "proposal_ids": array(ID), "mailed": BOOL}),
    }


def work_paths() -> dict[str, dict[str, Schema]]:
    """The hotline and availability-request operations, by path and method."""
    availability_id = path_id("availability_id", "availability request")
    office_code = {
        "name": "office_code",
        "in": "path",
        "required": True,
        "description": "The office's code, e.g. 522326.",
        "schema": {"type": "string", "minLength": 1, "maxLength": 16, "pattern": "^[^\\x00]*$"},
    }
    window_id = {
        "name": "window_id",
        "in": "query",
        "required": False,
        "description": "Planners: the request window (the latest by default); a lawyer always sees their own.",
        "schema": ID,
    }
    return {
        "/hotlines": {
            "get": operation(
                "listHotlines",
                "Every hotline: number, mailbox, pattern and today's lawyers",
                "hotline",
                (200, "The hotlines and a hotline day's share of a window day.", ref("Hotlines")),
            )
        },
        "/hotlines/{office_code}": {
            "put": operation(
                "setHotline",
                "Set up or change an office's hotline",
                "hotline",
                (200, "The hotline.", ref("Hotline")),
                roles=PLANNERS,
                parameters=(office_code,),
                body="HotlineChange",
                rules=_rules(HotlineChange),
                errors=(404,),
            )
        },
        "/request-windows": {
            "get": operation(
                "listRequestWindows",
                "Every availability request window",
                "availability",
                (200, "The windows, the latest period first.", ref("RequestWindows")),
                roles=PLANNERS,
            ),
            "post": operation(
                "openRequestWindow",
                "Open (or move) the request window of a period",
                "availability",
                (201, "The window.", ref("RequestWindow")),
                roles=PLANNERS,
                body="NewWindow",
                rules=_rules(NewWindow),
            ),
        },
        "/availability-requests": {
            "get": operation(
                "listAvailabilityRequests",
                "Availability requests: a window's (planners) or one's own (a lawyer)",
                "availability",
                (200, "The requests.", ref("AvailabilityRequests")),
                roles=(*PLANNERS, "lawyer (their own)"),
                parameters=(window_id,),
                errors=(404,),
            ),
            "post": operation(
                "sendAvailabilityRequest",
                "Ask for days off or state weekday wishes (the signed-in lawyer)",
                "availability",
                (201, "The request, pending.", ref("AvailabilityRequest")),
                roles=("lawyer",),
                body="NewAvailabilityRequest",
                rules=_rules(NewAvailabilityRequest),
                errors=(404, 409),
            ),
        },
        "/availability-requests/{availability_id}/approve": {
            "post": operation(
                "approveAvailabilityRequest",
                "Approve a request",
                "availability",
                (200, "The decision.", ref("AvailabilityDecision")),
                roles=PLANNERS,
                parameters=(availability_id,),
                body="Approval",
                body_required=False,
                errors=(404, 409),
            )
        },
        "/availability-requests/{availability_id}/decline": {
            "post": operation(
                "declineAvailabilityRequest",
                "Decline a request with a reason",
                "availability",
                (200, "The decision.", ref("AvailabilityDecision")),
                roles=PLANNERS,
                parameters=(availability_id,),
                body="Refusal",
                rules=_rules(Refusal),
                errors=(404, 409),
            )
        },
    }
