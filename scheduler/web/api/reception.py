"""The API of the reception log (接待登记): consultations on served duties, their categories, month statistics.

Each route calls the use case of scheduler.attendance.consultations (or reception_stats) that the lawyer's,
the clerk's and the planner's pages and `scheduler reception` call: the same checks (a duty the lawyer
served), the same audit events. A lawyer reads, records and removes only their own consultations; clerks and
planners those on duties of the offices they hold. Nothing here names a visitor; no route is public.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, jsonify
from flask.typing import ResponseReturnValue

from scheduler.attendance import consultations
from scheduler.attendance.reception_stats import ReceptionLine, reception_month
from scheduler.attendance.record_errors import RecordFieldError
from scheduler.models.records import Consultation
from scheduler.people import scope
from scheduler.web import db_session, today
from scheduler.web.api.auth import EVERYONE, PLANNERS, reader
from scheduler.web.api.inputs import body, query
from scheduler.web.api.records_inputs import ConsultationsQuery, NewConsultation, RemoveQuery, StatsQuery
from scheduler.web.auth import actor, current_account, current_lawyer_id, current_scope, require_offices, role_required

bp = Blueprint("reception", __name__)
ID = "int(min=1, max=2147483647)"
RECEPTION_DAYS = 31  # as the clerk's list: the past month unless asked otherwise


class LawyerNeeded(RecordFieldError):
    """Staff log a consultation for a lawyer: the body must say which one (the page's form has the choice)."""

    code = "reception.lawyer_needed"
    field_name = "lawyer_id"
    template = "请指明为哪位值班律师登记接待"


def consultation_json(row: Consultation) -> dict[str, Any]:
    duty = row.duty
    return {
        "id": row.id,
        "duty": {
            "id": duty.id,
            "date": duty.date.isoformat(),
            "office": {"code": duty.office.code, "name": duty.office.name},
        },
        "lawyer": {"id": row.lawyer_id, "name": row.lawyer.name},
        "time": f"{row.time:%H:%M}",
        "visitors": row.visitors,
        "category": row.category.name,
        "referral": row.referral,
        "advice": row.advice,
    }


def _is_lawyer() -> bool:
    return current_account().role == "lawyer"


@bp.get("/consultations")
@reader(*EVERYONE)
def list_consultations() -> ResponseReturnValue:
    """Consultations on duties dated in a span: a lawyer's own, or those of the offices staff hold."""
    given = query(ConsultationsQuery)
    end = given.end or today()
    start = given.start or end - dt.timedelta(days=RECEPTION_DAYS)
    lawyer_id = given.lawyer
    if _is_lawyer():
        if lawyer_id is not None and lawyer_id != current_lawyer_id():
            abort(403)
        lawyer_id = current_lawyer_id()
    held = current_scope()
    rows = [
        row
        for row in consultations.consultations_between(db_session(), start, end)
        if (lawyer_id is None or row.lawyer_id == lawyer_id)
        and (not given.office or row.duty.office.code == given.office)
        and (_is_lawyer() or held.holds({row.duty.office_id}))
    ]
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), "items": [consultation_json(r) for r in rows]})


@bp.post("/consultations")
@role_required(*EVERYONE)
def record_consultation() -> ResponseReturnValue:
    """Log a consultation on a served duty: a lawyer their own, staff for the lawyer who served it."""
    given = body(NewConsultation)
    db = db_session()
    if _is_lawyer():
        if given.lawyer_id is not None and given.lawyer_id != current_lawyer_id():
            abort(403)
        lawyer_id = current_lawyer_id()
    else:
        if given.lawyer_id is None:
            raise LawyerNeeded()
        require_offices(scope.duty_offices(db, [given.duty_id]))
        lawyer_id = given.lawyer_id
    spec = consultations.ConsultationSpec(
        duty_id=given.duty_id,
        lawyer=lawyer_id,
        time=given.time,
        visitors=given.visitors,
        category=given.category_id,
        referral=given.referral,
        advice=given.advice,
    )
    row = consultations.record_consultation(db, spec, actor(), today=today())
    answer = consultation_json(row)
    db.commit()
    return jsonify(answer), 201


@bp.delete(f"/consultations/<{ID}:consultation_id>")
@role_required(*EVERYONE)
def remove_consultation(consultation_id: int) -> ResponseReturnValue:
    """Remove a consultation entered by mistake: a lawyer one of their own, staff one of their offices'."""
    given = query(RemoveQuery)
    db = db_session()
    if _is_lawyer():
        duty_id = consultations.remove_consultation(db, consultation_id, actor(), lawyer_id=current_lawyer_id())
    else:
        row = db.get(Consultation, consultation_id)
        if row is not None:
            require_offices(scope.duty_offices(db, [row.duty_id]))
        duty_id = consultations.remove_consultation(db, consultation_id, actor(), given.reason)
    db.commit()
    return jsonify({"id": consultation_id, "duty_id": duty_id, "deleted": True})


def _line_json(line: ReceptionLine) -> dict[str, Any]:
    return {
        "name": line.name,
        "detail": line.detail,
        "consultations": line.consultations,
        "visitors": line.visitors,
        "by_category": dict(line.by_category),
        "by_referral": dict(line.by_referral),
    }


@bp.get("/consultations/stats")
@reader(*PLANNERS)
def consultation_stats() -> ResponseReturnValue:
    """A month of the reception log per office and per lawyer, by category and referral (the planner's page)."""
    given = query(StatsQuery)
    year, month = (int(part) for part in given.month.split("-")) if given.month else (today().year, today().month)
    report = reception_month(db_session(), year, month)
    return jsonify(
        {
            "month": f"{report.year:04d}-{report.month:02d}",
            "categories": list(report.categories),
            "referrals": list(report.referrals),
            "offices": [_line_json(line) for line in report.offices],
            "lawyers": [_line_json(line) for line in report.lawyers],
            "total": _line_json(report.total),
        }
    )


@bp.get("/consultation-categories")
@reader(*EVERYONE)
def list_categories() -> ResponseReturnValue:
    """The categories of matters, in the planner's order (retired ones marked inactive)."""
    db = db_session()
    rows = consultations.categories(db)
    db.commit()  # a database without categories gets the policy's list here: the ids answered must stay
    return jsonify({"categories": [{"id": c.id, "name": c.name, "active": c.active} for c in rows]})
