"""The API of entrusted cases (委托案件): record, change, suggest and assign lawyers, move the status, file
and download legal opinions.

Each route calls the use case of scheduler.casework that the staff's case pages and `scheduler cases` call:
the same checks, numbering, status rules and audit events. Staff act on the cases of the offices they hold
(the entrusting office); a lawyer reads their own cases and downloads their opinions.

An opinion is uploaded as base64 in JSON (see casework_inputs): the one API body allowed above the usual
64 KiB, up to the upload page's file limit.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import RequestEntityTooLarge

from scheduler.casework import cases as casework
from scheduler.casework.errors import OpinionNotFound
from scheduler.casework.opinion_files import MEDIA_TYPES
from scheduler.casework.views import CaseRow, case_detail, case_rows, lawyer_cases, suggest_lawyers
from scheduler.people.scope import office_codes
from scheduler.web import db_session, today
from scheduler.web.api.auth import EVERYONE, STAFF, reader
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
from scheduler.web.api.inputs import body, query, validate
from scheduler.web.api.validation import bad
from scheduler.web.auth import actor, current_account, current_lawyer_id, current_scope, require_offices, role_required

bp = Blueprint("casework", __name__)
ID = "int(min=1, max=2147483647)"
MAX_UPLOAD_BODY = MAX_BASE64 + 4096  # the base64 file and its name


def case_json(row: CaseRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number,
        "title": row.title,
        "summary": row.summary,
        "category": row.category,
        "office": {"code": row.office_code, "name": row.office_name},
        "leader": row.leader,
        "language": row.language,
        "entrusted_on": row.entrusted_on.isoformat(),
        "due_date": row.due_date.isoformat(),
        "status": row.status,
        "overdue": row.overdue,
        "lawyers": [{"id": lw.id, "name": lw.name, "firm": lw.firm} for lw in row.lawyers],
        "opinions": [
            {
                "id": o.id,
                "filename": o.filename,
                "kind": o.kind,
                "size": o.size,
                "uploaded_at": f"{o.uploaded_at:%Y-%m-%dT%H:%M:%S}Z",  # stored in UTC
            }
            for o in row.opinions
        ],
    }


def _held_case(case_id: int) -> None:
    """404 for an unknown case; 403 unless the account holds the case's entrusting office."""
    case = casework.get_case(db_session(), case_id)
    require_offices({case.office_id})


def _answer(case_id: int, status: int = 200) -> ResponseReturnValue:
    db = db_session()
    answer = case_json(case_detail(db, case_id, today()))
    db.commit()
    return jsonify(answer), status


@bp.get("/cases")
@reader(*EVERYONE)
def list_cases() -> ResponseReturnValue:
    """Staff: the cases of the offices they hold, the nearest due date first. A lawyer: their own cases."""
    given = query(CasesQuery)
    db = db_session()
    if current_account().role == "lawyer":
        rows = lawyer_cases(db, current_lawyer_id(), today())
    else:
        rows = case_rows(db, today(), status=given.status)
        scope = current_scope()
        if scope.office_ids is not None:
            held = set(office_codes(db, scope.office_ids))
            rows = [r for r in rows if r.office_code in held]
    if given.status:
        rows = [r for r in rows if r.status == given.status]
    return jsonify({"items": [case_json(r) for r in rows]})


@bp.post("/cases")
@role_required(*STAFF)
def create_case() -> ResponseReturnValue:
    """Record a case entrusted by an office (status 受理), numbered 委托YYYY-NNN."""
    given = body(NewCase)
    db = db_session()
    offices = current_scope().office_ids
    if offices is not None and given.office not in office_codes(db, offices):
        abort(403)
    fields = casework.CaseFields(
        given.title, given.summary, given.category, given.office, given.leader, given.entrusted_on,
        given.due_date, given.language,
    )  # fmt: skip
    case = casework.create_case(db, fields, actor())
    return _answer(case.id, 201)


@bp.patch(f"/cases/<{ID}:case_id>")
@role_required(*STAFF)
def change_case(case_id: int) -> ResponseReturnValue:
    """Change a case's details (those left out keep their values); refused once closed or withdrawn."""
    _held_case(case_id)
    given = body(CaseChange)
    db = db_session()
    row = case_detail(db, case_id, today())
    current = casework.CaseFields(
        row.title, row.summary, row.category, row.office_code, row.leader, row.entrusted_on, row.due_date,
        row.language,
    )  # fmt: skip
    changes = {k: getattr(given, k) for k in given.model_fields_set if k != "reason" and getattr(given, k) is not None}
    if "office" in changes:
        changes["office_code"] = changes.pop("office")
        offices = current_scope().office_ids
        if offices is not None and changes["office_code"] not in office_codes(db, offices):
            abort(403)
    casework.edit_case(db, case_id, dataclasses.replace(current, **changes), actor(), given.reason)
    return _answer(case_id)


@bp.get(f"/cases/<{ID}:case_id>/suggestions")
@reader(*STAFF)
def suggestions(case_id: int) -> ResponseReturnValue:
    """Lawyers who could take the case, best first: specialty, language, years in practice, case load."""
    _held_case(case_id)
    given = query(SuggestionsLimit)
    ranked = suggest_lawyers(db_session(), case_id, today(), given.limit)
    items = [
        {
            "lawyer": {"id": r.candidate.id, "name": r.candidate.name, "firm": r.candidate.firm},
            "score": r.score,
            "specialty_match": r.specialty_match,
            "language_match": r.language_match,
            "years": r.years,
            "open_cases": r.open_cases,
        }
        for r in ranked
    ]
    return jsonify({"items": items})


@bp.post(f"/cases/<{ID}:case_id>/lawyers")
@role_required(*STAFF)
def assign(case_id: int) -> ResponseReturnValue:
    """Make the lawyers given the case's team (an accepted case is then 办理中)."""
    _held_case(case_id)
    given = body(Assignment)
    casework.assign_lawyers(db_session(), case_id, given.lawyers, actor(), today=today(), reason=given.reason)
    return _answer(case_id)


@bp.post(f"/cases/<{ID}:case_id>/status")
@role_required(*STAFF)
def set_status(case_id: int) -> ResponseReturnValue:
    """Move the case along its statuses (已出具意见 needs an opinion, 已结案 lawyers)."""
    _held_case(case_id)
    given = body(StatusChange)
    casework.set_status(db_session(), case_id, given.status, actor(), given.reason)
    return _answer(case_id)


def _upload_body() -> OpinionUpload:
    """The upload's JSON, read with the opinion's own size limit instead of the API's 64 KiB."""
    if (request.content_length or 0) > MAX_UPLOAD_BODY:
        raise bad("body", f"must be at most {MAX_UPLOAD_BODY} bytes")
    try:
        raw = request.get_data(cache=True)
    except RequestEntityTooLarge:
        raise bad("body", f"must be at most {MAX_UPLOAD_BODY} bytes") from None
    if len(raw) > MAX_UPLOAD_BODY:
        raise bad("body", f"must be at most {MAX_UPLOAD_BODY} bytes")
    if not request.is_json:
        raise bad("Content-Type", "send the body as application/json")
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        raise bad("body", "is not valid JSON") from None
    if not isinstance(value, dict):
        raise bad("body", "must be a JSON object")
    return validate(OpinionUpload, value)


@bp.before_request
def _larger_upload() -> None:
    # After the API's own limit (set by its parent blueprint): only the opinion upload may be larger.
    if request.endpoint == "api.casework.upload_opinion":
        request.max_content_length = MAX_UPLOAD_BODY + 1


@bp.post(f"/cases/<{ID}:case_id>/opinions")
@role_required(*STAFF)
def upload_opinion(case_id: int) -> ResponseReturnValue:
    """File a legal opinion (PDF, DOCX or ODT, checked as the upload page checks it), base64 in JSON."""
    _held_case(case_id)
    given = _upload_body()
    casework.file_opinion(db_session(), case_id, given.filename, given.content_base64, actor())
    return _answer(case_id, 201)


@bp.get(f"/cases/<{ID}:case_id>/opinions/<{ID}:opinion_id>")
@reader(*EVERYONE)
def download_opinion(case_id: int, opinion_id: int) -> ResponseReturnValue:
    """An opinion's file: for staff holding the case's office and for the lawyers of the case."""
    db = db_session()
    lawyer_id = current_lawyer_id() if current_account().role == "lawyer" else None
    opinion = casework.opinion_of(db, opinion_id, lawyer_id=lawyer_id)
    if opinion.case_id != case_id:
        raise OpinionNotFound()
    if lawyer_id is None:
        require_offices({opinion.case.office_id})
    response = Response(opinion.content, mimetype=MEDIA_TYPES[opinion.kind])
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"opinion-{opinion.id}.{opinion.kind}\"; filename*=UTF-8''{quote(opinion.filename)}"
    )
    return response
