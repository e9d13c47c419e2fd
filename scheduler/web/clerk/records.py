"""Lawyers' swap requests awaiting approval, attendance on past duties, and the audit log with its filters."""

from __future__ import annotations

import datetime as dt

from flask import Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from scheduler.attendance import records as attendance
from scheduler.attendance.attendance_lines import attendance_lines
from scheduler.audit_log import AuditFilter, audit_actions, audit_lines, audit_offices, audit_page
from scheduler.core.errors import Conflict, SchedulerError
from scheduler.core.paging import page_number
from scheduler.people import scope
from scheduler.rosters import swap_requests
from scheduler.rosters.desk import swap_request_check, swap_request_rows
from scheduler.web import db_session, settings, today
from scheduler.web.audit_export import XLSX, audit_workbook
from scheduler.web.audit_sentences import audit_sentence
from scheduler.web.auth import actor, current_scope, require_offices, role_required
from scheduler.web.clerk.blueprint import CLERKS, bp
from scheduler.web.forms import AttendanceForm, AuditQuery, RangeForm, options
from scheduler.web.i18n import word
from scheduler.web.labels import action_name, office_name

ATTENDANCE_DAYS = 28  # the attendance page shows the past four weeks unless asked otherwise
DECIDED = ("approved", "rejected")


# --- swap requests -------------------------------------------------------------------------------


@bp.get("/swap-requests")
@role_required(*CLERKS)
def swap_request_list() -> str:
    """Swap requests both lawyers agreed to, awaiting approval; and the latest decided ones."""
    db = db_session()
    return render_template(
        "clerk/swap_requests.html",
        waiting=swap_request_rows(db, ["accepted"], scope=current_scope()),
        decided=swap_request_rows(db, DECIDED, limit=20, scope=current_scope()),
    )


@bp.get("/swap-requests/<int:request_id>")
@role_required(*CLERKS)
def swap_request(request_id: int) -> str:
    """A swap request with the rule check of its change against the roster as it is now."""
    require_offices(scope.swap_request_offices(db_session(), request_id))
    return render_template("clerk/swap_request.html", check=swap_request_check(db_session(), request_id, today()))


def _decide(request_id: int, approve: bool) -> ResponseReturnValue:
    db = db_session()
    require_offices(scope.swap_request_offices(db, request_id))
    try:
        swap_requests.decide(db, request_id, approve, actor(), today=today())
    except Conflict as exc:
        db.rollback()
        flash(word(exc), "error")
        return redirect(url_for("clerk.swap_request", request_id=request_id))
    db.commit()
    flash(_("已批准换班，排班表已更新。") if approve else _("已驳回换班请求。"), "info")
    return redirect(url_for("clerk.swap_request_list"))


@bp.post("/swap-requests/<int:request_id>/approve")
@role_required(*CLERKS)
def approve_swap_request(request_id: int) -> ResponseReturnValue:
    """Approve an agreed swap: the roster's next version is published, unless the change breaks a hard rule."""
    return _decide(request_id, True)


@bp.post("/swap-requests/<int:request_id>/reject")
@role_required(*CLERKS)
def reject_swap_request(request_id: int) -> ResponseReturnValue:
    """Reject an agreed swap; the roster stays as it is."""
    return _decide(request_id, False)


# --- attendance ----------------------------------------------------------------------------------


def _attendance_page(
    form: AttendanceForm | None = None, failed: tuple[int, int] | None = None, status: int = 200
) -> tuple[str, int]:
    start, end = RangeForm().span(today() - dt.timedelta(days=ATTENDANCE_DAYS), today())
    page = render_template(
        "clerk/attendance.html",
        lines=attendance_lines(db_session(), start, end, current_scope()),
        start=start,
        end=end,
        today=today(),
        form=form,
        failed=failed,
    )
    return page, status


@bp.get("/attendance")
@role_required(*CLERKS)
def attendance_page() -> tuple[str, int]:
    """Rostered lawyers on the published duties of a date range, each with what was recorded and a form."""
    return _attendance_page()


@bp.post("/attendance")
@role_required(*CLERKS)
def record_attendance() -> ResponseReturnValue:
    """Record or correct how one rostered lawyer did on a past duty."""
    form = AttendanceForm()
    line = (form.duty_id.data or 0, form.lawyer_id.data or 0)
    require_offices(scope.duty_offices(db_session(), [line[0]]))
    if not form.validate_on_submit():
        return _attendance_page(form, line, 400)
    substitute = (form.substitute.data or "").strip()
    db = db_session()
    try:
        attendance.record_attendance(
            db,
            line[0],
            line[1],
            form.status.data or "",
            actor(),
            substitute=int(substitute) if substitute and form.status.data == "substituted" else None,
            note=form.note.data or "",
            today=today(),
        )
    except SchedulerError as exc:
        db.rollback()
        form.status.errors = [*form.status.errors, word(exc)]
        return _attendance_page(form, line, 400)
    db.commit()
    flash(_("已登记出勤情况。"), "info")
    back = url_for("clerk.attendance_page", start=request.args.get("start"), end=request.args.get("end"))
    return redirect(f"{back}#line-{line[0]}-{line[1]}")


# --- the audit log -------------------------------------------------------------------------------


def _audit_scope() -> set[int] | None:
    """The offices whose events the signed-in account sees: None for an account holding every office; else the
    account's offices (an event that concerns none of them, or no office, is left out)."""
    offices = current_scope().office_ids
    return None if offices is None else set(offices)


# The audit page shows each event as its sentence (built on the labels of scheduler.web.labels).
bp.add_app_template_filter(audit_sentence, "audit_sentence")


def _audit_query(db: Session, office_ids: set[int] | None = None) -> tuple[AuditQuery, AuditFilter | None]:
    """The filter form with its choices, and what it selects (None when the form is wrong); `office_ids` limits
    the log and the office choices to an account's offices (None: every office)."""
    query = AuditQuery()
    query.action.choices = options([("", _("全部")), *((a, action_name(a)) for a in audit_actions(db))])
    offices = audit_offices(db, office_ids)
    query.office.choices = options([("", _("全部")), *((str(o.id), office_name(o)) for o in offices)])
    if not query.validate():
        return query, None
    office = query.office.data or ""
    wanted = AuditFilter(
        person=query.actor.data or "",
        action=query.action.data or "",
        start=query.start.data,
        end=query.end.data,
        office_id=int(office) if office.isdigit() else None,
        office_ids=office_ids,
    )
    return query, wanted


@bp.get("/audit")
@role_required(*CLERKS)
def audit() -> tuple[str, int]:
    """The audit log as sentences, newest first, filtered by person, office, action and date range; fifty to a page."""
    db = db_session()
    scope = _audit_scope()
    query, wanted = _audit_query(db, scope)
    everything = AuditFilter(office_ids=scope)  # what a wrong form shows
    page = audit_page(
        db, settings().timezone, wanted=wanted or everything, number=page_number(request.args.get("page"))
    )
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("clerk/audit.html", query=query, page=page, args=args), 200 if wanted else 400


@bp.get("/audit.xlsx")
@role_required(*CLERKS)
def audit_export() -> ResponseReturnValue:
    """The filtered audit log as an Excel workbook, oldest first, with the same sentences as the page."""
    db = db_session()
    scope = _audit_scope()
    query, wanted = _audit_query(db, scope)
    if wanted is None:
        page = audit_page(db, settings().timezone, wanted=AuditFilter(office_ids=scope))
        return render_template("clerk/audit.html", query=query, page=page, args={}), 400
    lines = audit_lines(db, settings().timezone, wanted)
    data = audit_workbook(lines, title=_("操作记录"))
    name = f"audit-{today():%Y%m%d}.xlsx"
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
