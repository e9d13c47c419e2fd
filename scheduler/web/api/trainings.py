"""The API of trainings (专项培训): planners set them up, invite lawyers and record attendance; a lawyer reads
the trainings they are invited to.

Each route calls the use case of scheduler.attendance.training that the planner's training pages, the
lawyer's page and `scheduler training` call: the same checks and audit events.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from scheduler.attendance import training
from scheduler.models import Lawyer
from scheduler.models.records import Training, TrainingInvitation
from scheduler.web import db_session, today
from scheduler.web.api.auth import PLANNERS, reader
from scheduler.web.api.inputs import body
from scheduler.web.api.records_inputs import Invitations, NewTraining, TrainingAttendance
from scheduler.web.auth import actor, current_account, current_lawyer_id, role_required

bp = Blueprint("trainings", __name__)
ID = "int(min=1, max=2147483647)"


def _invitation_json(row: TrainingInvitation) -> dict[str, Any]:
    return {"lawyer": {"id": row.lawyer_id, "name": row.lawyer.name}, "status": row.status, "note": row.note}


def _details(row: Training | training.MyTraining) -> dict[str, Any]:
    return {
        "title": row.title,
        "date": row.date.isoformat(),
        "start": f"{row.start:%H:%M}",
        "end": f"{row.end:%H:%M}",
        "location": row.location,
        "organiser": row.organiser,
        "content": row.content,
    }


def training_json(row: Training) -> dict[str, Any]:
    invitations = sorted(row.invitations, key=lambda i: i.lawyer.licence_no)
    return {"id": row.id, **_details(row), "invitations": [_invitation_json(i) for i in invitations]}


@bp.get("/trainings")
@reader(*PLANNERS, "lawyer")
def list_trainings() -> ResponseReturnValue:
    """Planners: every training with its invitations. A lawyer: the trainings they are invited to."""
    db = db_session()
    if current_account().role == "lawyer":
        me = db.get_one(Lawyer, current_lawyer_id())
        mine = training.trainings_of(db, me.id)
        items = [
            {
                "id": t.training_id,
                **_details(t),
                "invitations": [{"lawyer": {"id": me.id, "name": me.name}, "status": t.status, "note": ""}],
            }
            for t in mine
        ]
        return jsonify({"items": items})
    return jsonify({"items": [training_json(t) for t in training.list_trainings(db)]})


@bp.post("/trainings")
@role_required(*PLANNERS)
def add_training() -> ResponseReturnValue:
    """Set up a training (nobody is invited yet)."""
    given = body(NewTraining)
    spec = training.TrainingSpec(
        given.title, given.date, given.start, given.end, given.location, given.organiser, given.content
    )
    db = db_session()
    row = training.add_training(db, spec, actor())
    answer = training_json(row)
    db.commit()
    return jsonify(answer), 201


@bp.post(f"/trainings/<{ID}:training_id>/invitations")
@role_required(*PLANNERS)
def invite(training_id: int) -> ResponseReturnValue:
    """Invite lawyers, every lawyer of offices (codes) and of firms (ids); those invited before stay once."""
    db = db_session()
    training.get_training(db, training_id)
    given = body(Invitations)
    new = training.invite(db, training_id, actor(), lawyers=given.lawyers, offices=given.offices, firms=given.firms)
    db.flush()
    answer = {
        "invited": [{"id": lw.id, "name": lw.name} for lw in new],
        "training": training_json(training.get_training(db, training_id)),
    }
    db.commit()
    return jsonify(answer)


@bp.post(f"/trainings/<{ID}:training_id>/attendance")
@role_required(*PLANNERS)
def attendance(training_id: int) -> ResponseReturnValue:
    """Record (or correct) how an invited lawyer did, once the training has been held."""
    db = db_session()
    training.get_training(db, training_id)
    given = body(TrainingAttendance)
    row = training.record_training_attendance(
        db, training_id, given.lawyer_id, given.status, actor(), note=given.note, today=today()
    )
    answer = _invitation_json(row)
    db.commit()
    return jsonify(answer)
