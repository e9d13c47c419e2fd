"""The API's writes to the registry (planners): offices, firms, lawyers, unavailability, leader days, duties.

Each route calls the use case the planner's page or the command line calls for the same change, so the
checks, the audit event and the repairs of a published roster are the same whichever way a change comes in.
Lawyers are upserted by licence number through the spreadsheet import's row checks (all errors at once,
nothing written on error): the way a bureau's registry keeps the roster's directory in step.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue
from pydantic import BaseModel
from sqlalchemy import func, select

from scheduler.core import tabular
from scheduler.core.errors import FieldError
from scheduler.core.tabular_errors import FileProblems
from scheduler.models import Duty, LawFirm, Lawyer, Office, Unavailability
from scheduler.people import directory, scope, standing
from scheduler.people.errors import FirmNotFound, OfficeNotFound
from scheduler.people.lawyer_sheets import LAWYER_COLUMNS, ImportResult, import_lawyer_rows
from scheduler.planning.duties import LeaderDaySpec, generate_windows
from scheduler.rosters import duty_changes, proposals
from scheduler.rosters.errors import DutyNotFound
from scheduler.web import db_session, today
from scheduler.web.api import shaping as api_views
from scheduler.web.api.auth import PLANNERS
from scheduler.web.api.inputs import body
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
from scheduler.web.api.validation import ApiInputError, ErrorItem
from scheduler.web.auth import actor, require_every_office, require_offices, role_required
from scheduler.web.i18n import word

bp = Blueprint("registry", __name__)
ID = "int(min=1, max=2147483647)"


def _given(model: BaseModel) -> dict[str, Any]:
    """The fields the body gave (null included: it clears a field that may be empty)."""
    return {name: getattr(model, name) for name in model.model_fields_set}


def _office_fields(given: dict[str, Any], current: directory.OfficeFields | None) -> directory.OfficeFields:
    known = {f.name for f in dataclasses.fields(directory.OfficeFields)}
    values: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in given.items() if k in known}
    if current is None:
        # Null in a new office means the default (no afternoon session, empty texts).
        return directory.OfficeFields(**{k: v for k, v in values.items() if v is not None})
    clearable = {"pm_start", "pm_end"}
    return dataclasses.replace(current, **{k: v for k, v in values.items() if v is not None or k in clearable})


@bp.post("/offices")
@role_required(*PLANNERS)
def create_office() -> ResponseReturnValue:
    """Create an office (the planner's office form): an account holding every office only."""
    require_every_office()
    given = body(NewOffice)
    db = db_session()
    office = directory.save_office(db, None, given.code, _office_fields(_given(given), None), actor())
    db.commit()
    return jsonify(api_views.office_detail(db, office.code)), 201


@bp.patch("/offices/<code>")
@role_required(*PLANNERS)
def change_office(code: str) -> ResponseReturnValue:
    """Change an office's fields; those left out keep their values."""
    db = db_session()
    office = db.scalar(select(Office).where(Office.code == code[:16]))
    if office is None or len(code) > 16:
        raise OfficeNotFound()
    require_offices({office.id})
    given = body(OfficeChange)
    current = directory.office_row(db, office.id).fields
    directory.save_office(db, office.id, office.code, _office_fields(_given(given), current), actor())
    db.commit()
    return jsonify(api_views.office_detail(db, office.code))


def _firm_json(firm: LawFirm) -> dict[str, Any]:
    lawyers = db_session().scalar(select(func.count()).where(Lawyer.firm_id == firm.id))
    return {"id": firm.id, "name": firm.name, "credit_code": firm.credit_code, "lawyers": lawyers or 0}


@bp.post("/firms")
@role_required(*PLANNERS)
def create_firm() -> ResponseReturnValue:
    """Create a law firm (name and 统一社会信用代码)."""
    given = body(NewFirm)
    db = db_session()
    firm = directory.save_firm(db, None, given.name, given.credit_code, actor())
    db.commit()
    return jsonify(_firm_json(firm)), 201


@bp.patch(f"/firms/<{ID}:firm_id>")
@role_required(*PLANNERS)
def change_firm(firm_id: int) -> ResponseReturnValue:
    """Rename a firm or correct its credit code."""
    db = db_session()
    firm = db.get(LawFirm, firm_id)
    if firm is None:
        raise FirmNotFound()
    given = body(FirmChange)
    name = given.name if given.name is not None else firm.name
    code = given.credit_code if given.credit_code is not None else firm.credit_code
    firm = directory.save_firm(db, firm_id, name, code, actor())
    db.commit()
    return jsonify(_firm_json(firm))


def _import(rows: list[dict[str, Any]], reason: str, where: str) -> ImportResult:
    """The rows through the spreadsheet import's checks; a 400 naming `where`[i].field for each bad cell."""
    sheet = tabular.records_sheet("API", LAWYER_COLUMNS, rows)
    try:
        return import_lawyer_rows(db_session(), sheet, actor(), reason or "API")
    except FileProblems as exc:
        cells = exc.cells
        items = tuple(ErrorItem(where.format(index=row - 1) + key, word(message)) for row, key, message in cells)
        raise ApiInputError(items or (ErrorItem(None, word(exc)),)) from None


def _import_json(result: ImportResult) -> dict[str, Any]:
    return {
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "firms_created": result.firms_created,
        "warnings": list(result.warnings),
        "lawyer_ids": list(result.lawyer_ids),
    }


@bp.put("/lawyers")
@role_required(*PLANNERS)
def upsert_lawyers() -> ResponseReturnValue:
    """Create or update lawyers by licence number, all or nothing, with the checks of the spreadsheet import
    (like the file import: an account holding every office only)."""
    require_every_office()
    given = body(LawyerUpsert)
    rows = [_given(item) for item in given.lawyers]
    result = _import(rows, given.reason, "lawyers[{index}].")
    db_session().commit()
    return jsonify(_import_json(result))


@bp.put("/lawyers/by-licence/<licence_no>")
@role_required(*PLANNERS)
def upsert_lawyer(licence_no: str) -> ResponseReturnValue:
    """Create or change one lawyer by licence number, with the import's checks; for a known lawyer the fields
    left out keep their values."""
    if len(licence_no) > 40:
        abort(404)  # longer than any licence number: names no lawyer
    require_every_office()  # the import's checks, as the file import: any office or lawyer may be named
    given = body(LawyerChange)
    db = db_session()
    row = _given(given) | {"licence_no": licence_no}
    lawyer = db.scalar(select(Lawyer).where(Lawyer.licence_no == licence_no))
    if lawyer is not None:
        # The import's required columns: their values stay when the body leaves them out.
        row.setdefault("name", lawyer.name)
        row.setdefault("firm", lawyer.firm.name if lawyer.firm else "")
        row.setdefault("first_practice_year", lawyer.first_practice_year)
    result = _import([row], "API", "")
    db.commit()
    return jsonify(api_views.lawyer_detail(db, result.lawyer_ids[0], today()))


# One rule for both methods: two rules of one path would answer an id out of range with 405, not 404.
@bp.route(f"/unavailability/<{ID}:span_id>", methods=["PATCH", "DELETE"])
@role_required(*PLANNERS)
def unavailability_period(span_id: int) -> ResponseReturnValue:
    """PATCH corrects a period a lawyer cannot serve (the duties it now hits get repair proposals);
    DELETE removes a period entered by mistake."""
    db = db_session()
    span = db.get(Unavailability, span_id)
    if span is not None:
        require_offices(scope.lawyer_office_ids(db, [span.lawyer_id]))
    if request.method == "DELETE":
        standing.remove_unavailability(db, span_id, actor())
        db.commit()
        return jsonify({"id": span_id, "deleted": True})
    given = body(UnavailabilityChange)
    found = standing.change_unavailability(db, span_id, given.start, given.end, given.reason, actor(), today=today())
    answer = {"proposals": [api_views.proposal_json(p) for p in found]}
    db.commit()
    return jsonify(answer)


def _duty_json(duty: Duty) -> dict[str, Any]:
    """The duty as GET /duties shows it, without the roster's lawyers (a change's answer names the version)."""
    return {
        "id": duty.id,
        "office": {"code": duty.office.code, "name": duty.office.name, "name_en": duty.office.name_en},
        "duty_type": duty.duty_type.code,
        "date": duty.date.isoformat(),
        "start": f"{duty.start:%H:%M}",
        "end": f"{duty.end:%H:%M}",
        "needed": duty.needed,
        "min_years": duty.min_years,
        "specialty": duty.specialty,
        "language": duty.language,
        "note": duty.note,
        "cancelled": duty.cancelled_at is not None,
    }


def _duty_answer(duty: Duty, version: Any = None, proposal: Any = None) -> dict[str, Any]:
    return {
        "duty": _duty_json(duty),
        "version": version.version if version is not None else None,
        "proposal": api_views.proposal_json(proposal) if proposal is not None else None,
    }


@bp.post("/leader-days")
@role_required(*PLANNERS)
def create_leader_day() -> ResponseReturnValue:
    """Add a leader reception day; on a published period, a staffing proposal (accepted at once with accept)."""
    given = body(NewLeaderDay)
    db = db_session()
    office_id = db.scalar(select(Office.id).where(Office.code == given.office))
    if office_id is not None:
        require_offices({office_id})
    spec = LeaderDaySpec(
        given.office, given.date, given.start, given.end, given.needed, given.min_years, given.specialty,
        given.language, given.note, given.place, given.scope,
    )  # fmt: skip
    outcome = duty_changes.add_leader_day_to_roster(db, spec, actor(), today=today())
    version = None
    proposal = outcome.proposal
    if proposal is not None and given.accept:
        version = proposals.accept(db, proposal.id, actor())
    answer = _duty_answer(outcome.duty, version, proposal)
    db.commit()
    return jsonify(answer), 201


def _duty(duty_id: int) -> Duty:
    duty = db_session().get(Duty, duty_id)
    if duty is None:
        raise DutyNotFound()
    require_offices({duty.office_id})  # before the body: another office's duty is a 403 whatever is sent
    return duty


@bp.patch(f"/duties/<{ID}:duty_id>")
@role_required(*PLANNERS)
def change_duty(duty_id: int) -> ResponseReturnValue:
    """Move a duty or change a leader day's requirements; on a published period, a new version."""
    _duty(duty_id)
    given = body(DutyChange)
    edit = duty_changes.DutyEdit(
        given.date, given.start, given.end, given.needed, given.min_years, given.specialty, given.language, given.note
    )
    db = db_session()
    result = duty_changes.edit_duty(db, duty_id, edit, given.reason, actor(), today=today())
    answer = _duty_answer(result.duty, result.version)
    db.commit()
    return jsonify(answer)


@bp.post(f"/duties/<{ID}:duty_id>/cancel")
@role_required(*PLANNERS)
def cancel_duty(duty_id: int) -> ResponseReturnValue:
    """Cancel a duty; on a published period, a new version without it."""
    _duty(duty_id)
    given = body(DutyCancel)
    db = db_session()
    result = duty_changes.cancel_duty(db, duty_id, given.reason, actor(), today=today())
    answer = _duty_answer(result.duty, result.version)
    db.commit()
    return jsonify(answer)


@bp.post("/duties")
@role_required(*PLANNERS)
def create_duties() -> ResponseReturnValue:
    """Create the window duties of a period (each office's window weekday, moved off days off)."""
    given = body(NewDuties)
    if given.end < given.start:
        raise ApiInputError((ErrorItem("to", f"ends ({given.end}) before it starts ({given.start})"),))
    db = db_session()
    known = {row.code: row.id for row in db.execute(select(Office.code, Office.id))}
    unknown = [code for code in given.offices if code not in known]
    if unknown:
        raise FieldError("offices", f"unknown office code {', '.join(unknown)}")
    if given.offices:
        require_offices({known[code] for code in given.offices})
    else:
        require_every_office()  # no office named: every office's duties
    made = generate_windows(db, given.start, given.end, actor(), list(given.offices) or None)
    answer = {"created": made.created, "existing": made.existing, "provisional_years": made.provisional_years}
    db.commit()
    return jsonify(answer), 201
