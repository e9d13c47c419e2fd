"""The API of joint meetings' records (联席会议): each occurrence's minutes (what was uploaded) and decisions.

The routes call the use cases of scheduler.attendance.meeting_minutes that the clerk's meeting page and
`scheduler meetings` call, with the page's roles (clerks, planners, admins). The minutes themselves are
uploaded and downloaded on the page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from scheduler.attendance import meeting_minutes
from scheduler.models.records import MeetingDecision
from scheduler.web import db_session, today
from scheduler.web.api.auth import STAFF, reader
from scheduler.web.api.inputs import body, query
from scheduler.web.api.records_inputs import DecisionState, MeetingsQuery, NewDecision
from scheduler.web.auth import actor, role_required

bp = Blueprint("meetings", __name__)
ID = "int(min=1, max=2147483647)"


def decision_json(row: MeetingDecision) -> dict[str, Any]:
    return {
        "id": row.id,
        "meeting_id": row.meeting_id,
        "meeting_date": row.meeting_date.isoformat(),
        "text": row.text,
        "owner": row.owner,
        "due": row.due.isoformat(),
        "done": row.done,
    }


@bp.get("/meetings")
@reader(*STAFF)
def list_meetings() -> ResponseReturnValue:
    """Every occurrence of every joint meeting in a span, the latest first, with minutes and decisions."""
    given = query(MeetingsQuery)
    start, end = meeting_minutes.default_span(today())
    start, end = given.start or start, given.end or end
    records = meeting_minutes.meeting_records(db_session(), start, end)
    items = [
        {
            "meeting_id": r.meeting_id,
            "title": r.title,
            "date": r.date.isoformat(),
            "office": r.office,
            "minutes": None
            if r.minutes is None
            else {"filename": r.minutes.filename, "kind": r.minutes.kind, "size": r.minutes.size},
            "decisions": [decision_json(d) for d in r.decisions],
        }
        for r in records
    ]
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), "items": items})


@bp.post(f"/meetings/<{ID}:meeting_id>/decisions")
@role_required(*STAFF)
def add_decision(meeting_id: int) -> ResponseReturnValue:
    """Add a decision of the meeting held on meeting_date: what, who carries it out, by when."""
    given = body(NewDecision)
    db = db_session()
    row = meeting_minutes.add_decision(db, meeting_id, given.meeting_date, given.text, given.owner, given.due, actor())
    answer = decision_json(row)
    db.commit()
    return jsonify(answer), 201


@bp.patch(f"/decisions/<{ID}:decision_id>")
@role_required(*STAFF)
def decision_state(decision_id: int) -> ResponseReturnValue:
    """Mark a decision carried out, or open again."""
    given = body(DecisionState)
    db = db_session()
    row = meeting_minutes.set_decision_done(db, decision_id, given.done, actor())
    answer = decision_json(row)
    db.commit()
    return jsonify(answer)
