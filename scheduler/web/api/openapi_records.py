"""The OpenAPI paths and answer schemas of the reception log and training API (scheduler.web.api.reception,
scheduler.web.api.trainings), merged into the document by scheduler.web.api.openapi."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from scheduler.web.api.openapi_operations import EVERYONE, OWN, PLANNERS, STAFF, operation, path_id
from scheduler.web.api.openapi_schemas import BOOL, CLOCK, DATE, ID, INT, STR, Schema, array, nullable, obj, ref
from scheduler.web.api.records_inputs import (
    ConsultationsQuery,
    DecisionState,
    Invitations,
    MeetingsQuery,
    NewConsultation,
    NewDecision,
    NewTraining,
    RemoveQuery,
    StatsQuery,
    TrainingAttendance,
)

BODIES: tuple[type[BaseModel], ...] = (
    NewConsultation,
    NewTraining,
    Invitations,
    TrainingAttendance,
    NewDecision,
    DecisionState,
)
Parameters = Callable[[type[BaseModel]], tuple[Schema, ...]]
COUNTS: Schema = {"type": "object", "additionalProperties": {"type": "integer"}}


def _rules(model: type[BaseModel]) -> tuple[str, ...]:
    return tuple(model.model_json_schema().get("x-rules", ()))


def records_schemas() -> dict[str, Schema]:
    """The answers of the reception log and training operations."""
    line = obj(
        {
            "name": STR,
            "detail": STR,
            "consultations": INT,
            "visitors": INT,
            "by_category": COUNTS,
            "by_referral": COUNTS,
        }
    )
    invitation = obj(
        {
            "lawyer": obj({"id": ID, "name": STR}),
            "status": {"type": "string", "enum": ["invited", "attended", "absent", "excused"]},
            "note": STR,
        }
    )
    return {
        "Consultation": obj(
            {
                "id": ID,
                "duty": obj({"id": ID, "date": DATE, "office": obj({"code": STR, "name": STR})}),
                "lawyer": obj({"id": ID, "name": STR}),
                "time": CLOCK,
                "visitors": INT,
                "category": STR,
                "referral": STR,
                "advice": STR,
            }
        ),
        "Consultations": obj({"from": DATE, "to": DATE, "items": array(ref("Consultation"))}),
        "ConsultationRemoved": obj({"id": ID, "duty_id": ID, "deleted": BOOL}),
        "ReceptionMonth": obj(
            {
                "month": STR,
                "categories": array(STR),
                "referrals": array(STR),
                "offices": array(line),
                "lawyers": array(line),
                "total": line,
            }
        ),
        "ConsultationCategories": obj({"categories": array(obj({"id": ID, "name": STR, "active": BOOL}))}),
        "TrainingInvitation": invitation,
        "Training": obj(
            {
                "id": ID,
                "title": STR,
                "date": DATE,
                "start": CLOCK,
                "end": CLOCK,
                "location": STR,
                "organiser": STR,
                "content": STR,
                "invitations": array(ref("TrainingInvitation")),
            }
        ),
        "Trainings": obj({"items": array(ref("Training"))}),
        "Invited": obj({"invited": array(obj({"id": ID, "name": STR})), "training": ref("Training")}),
        "MeetingDecision": obj(
            {"id": ID, "meeting_id": ID, "meeting_date": DATE, "text": STR, "owner": STR, "due": DATE, "done": BOOL}
        ),
        "Meetings": obj(
            {
                "from": DATE,
                "to": DATE,
                "items": array(
                    obj(
                        {
                            "meeting_id": ID,
                            "title": STR,
                            "date": DATE,
                            "office": STR,
                            "minutes": nullable(obj({"filename": STR, "kind": STR, "size": INT})),
                            "decisions": array(ref("MeetingDecision")),
                        }
                    )
                ),
            }
        ),
    }


def records_paths(query_parameters: Parameters) -> dict[str, dict[str, Schema]]:
    """The reception log and training operations, by path and method (`query_parameters` makes a query
    model's parameters, as the document's other operations have them)."""
    training_id = path_id("training_id", "training")
    return {
        "/consultations": {
            "get": operation(
                "listConsultations",
                "Consultations logged on duties of a span",
                "reception",
                (200, "The consultations, by date and time.", ref("Consultations")),
                roles=OWN,
                parameters=query_parameters(ConsultationsQuery),
                rules=_rules(ConsultationsQuery),
            ),
            "post": operation(
                "recordConsultation",
                "Log a consultation on a served duty",
                "reception",
                (201, "The consultation.", ref("Consultation")),
                roles=OWN,
                body="NewConsultation",
                rules=_rules(NewConsultation),
                errors=(404,),
            ),
        },
        "/consultations/{consultation_id}": {
            "delete": operation(
                "removeConsultation",
                "Remove a consultation entered by mistake",
                "reception",
                (200, "Removed.", ref("ConsultationRemoved")),
                roles=OWN,
                parameters=(path_id("consultation_id", "consultation"), *query_parameters(RemoveQuery)),
                errors=(404,),
            )
        },
        "/consultations/stats": {
            "get": operation(
                "consultationStats",
                "A month of the reception log per office and per lawyer",
                "reception",
                (200, "The month's statistics.", ref("ReceptionMonth")),
                roles=PLANNERS,
                parameters=query_parameters(StatsQuery),
            )
        },
        "/consultation-categories": {
            "get": operation(
                "listConsultationCategories",
                "The categories of matters",
                "reception",
                (200, "The categories.", ref("ConsultationCategories")),
                roles=EVERYONE,
            )
        },
        "/trainings": {
            "get": operation(
                "listTrainings",
                "Trainings: every one (planners) or those one is invited to (a lawyer)",
                "trainings",
                (200, "The trainings, the latest first.", ref("Trainings")),
                roles=(*PLANNERS, "lawyer (their own invitations)"),
            ),
            "post": operation(
                "addTraining",
                "Set up a training",
                "trainings",
                (201, "The training.", ref("Training")),
                roles=PLANNERS,
                body="NewTraining",
                rules=_rules(NewTraining),
            ),
        },
        "/trainings/{training_id}/invitations": {
            "post": operation(
                "inviteToTraining",
                "Invite lawyers, or every lawyer of offices or firms",
                "trainings",
                (200, "Who was newly invited, and the training.", ref("Invited")),
                roles=PLANNERS,
                parameters=(training_id,),
                body="Invitations",
                rules=_rules(Invitations),
                errors=(404,),
            )
        },
        "/trainings/{training_id}/attendance": {
            "post": operation(
                "recordTrainingAttendance",
                "Record how an invited lawyer did",
                "trainings",
                (200, "The invitation.", ref("TrainingInvitation")),
                roles=PLANNERS,
                parameters=(training_id,),
                body="TrainingAttendance",
                rules=_rules(TrainingAttendance),
                errors=(404,),
            )
        },
        "/meetings": {
            "get": operation(
                "listMeetings",
                "Joint meetings' occurrences with minutes and decisions",
                "meetings",
                (200, "The occurrences, the latest first.", ref("Meetings")),
                roles=STAFF,
                parameters=query_parameters(MeetingsQuery),
                rules=_rules(MeetingsQuery),
            )
        },
        "/meetings/{meeting_id}/decisions": {
            "post": operation(
                "addMeetingDecision",
                "Add a decision of a meeting's occurrence",
                "meetings",
                (201, "The decision.", ref("MeetingDecision")),
                roles=STAFF,
                parameters=(path_id("meeting_id", "joint meeting"),),
                body="NewDecision",
                rules=_rules(NewDecision),
                errors=(404,),
            )
        },
        "/decisions/{decision_id}": {
            "patch": operation(
                "setMeetingDecisionDone",
                "Mark a decision carried out, or open again",
                "meetings",
                (200, "The decision.", ref("MeetingDecision")),
                roles=STAFF,
                parameters=(path_id("decision_id", "meeting decision"),),
                body="DecisionState",
                errors=(404,),
            )
        },
    }
