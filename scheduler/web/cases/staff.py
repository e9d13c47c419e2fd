"""The staff's pages of entrusted cases: the list, a new case, one case (assign with ranked suggestions,
status, opinions), and the download of an opinion."""

from __future__ import annotations

from urllib.parse import quote

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from scheduler.casework import cases as casework
from scheduler.casework.errors import CaseFinished, NoLawyersYet
from scheduler.casework.opinion_files import MEDIA_TYPES
from scheduler.casework.views import CaseRow, case_detail, case_rows, suggest_lawyers
from scheduler.core.errors import FieldError, SchedulerError
from scheduler.people.directory import office_rows
from scheduler.web import db_session, today
from scheduler.web.auth import actor, current_account, require_offices, role_required
from scheduler.web.cases.blueprint import STAFF, bp
from scheduler.web.cases.forms import STATUS_LABELS, AssignForm, CaseForm, OpinionForm, StatusForm
from scheduler.web.forms import field_error, options
from scheduler.web.i18n import word


@bp.get("/")
@role_required(*STAFF)
def index() -> str:
    """Every case, the nearest due date first; `?status=` narrows the list."""
    status = request.args.get("status", "")
    rows = case_rows(db_session(), today(), status=status if status in STATUS_LABELS else None)
    return render_template("cases/index.html", rows=rows, status=status, labels=STATUS_LABELS)


def _case_form() -> CaseForm:
    form = CaseForm()
    rows = office_rows(db_session())
    form.office.choices = options((o.code, o.fields.name) for o in rows)
    # A case entrusted by an office the account does not hold is refused (403), as in the API.
    require_offices({o.id for o in rows if o.code == request.form.get("office")})
    if not form.is_submitted():
        form.entrusted_on.data = today()
    return form


def _held_case(case_id: int) -> None:
    """404 for an unknown case; 403 unless the account holds the case's entrusting office."""
    require_offices({casework.get_case(db_session(), case_id).office_id})


@bp.route("/new", methods=["GET", "POST"])
@role_required(*STAFF)
def new() -> ResponseReturnValue:
    """Record a case entrusted by an office."""
    form = _case_form()
    page = "cases/new.html"
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(page, form=form, categories=casework.CASE_CATEGORIES), status
    db = db_session()
    try:
        created = casework.create_case(db, form.value(), actor())
    except FieldError as exc:
        db.rollback()
        field_error(form, exc)
        return render_template(page, form=form, categories=casework.CASE_CATEGORIES), 400
    db.commit()
    flash(_("已登记委托案件 %(number)s。请指派承办律师。", number=created.number), "info")
    return redirect(url_for("cases.detail", case_id=created.id))


@bp.route("/<int:case_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit(case_id: int) -> ResponseReturnValue:
    """Change a case's details (a new due date, say) while it is open."""
    db = db_session()
    case = casework.get_case(db, case_id)
    require_offices({case.office_id})
    form = _case_form()
    if not form.is_submitted():
        form.title.data, form.summary.data, form.category.data = case.title, case.summary, case.category
        form.office.data, form.leader.data, form.language.data = case.office.code, case.leader, case.language
        form.entrusted_on.data, form.due_date.data = case.entrusted_on, case.due_date
    page = "cases/edit.html"
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template(page, form=form, case=case, categories=casework.CASE_CATEGORIES), status
    try:
        casework.edit_case(db, case_id, form.value(), actor())
    except SchedulerError as exc:
        db.rollback()
        if isinstance(exc, FieldError):
            field_error(form, exc)
        else:
            form.form_errors.append(word(exc))
        return render_template(page, form=form, case=case, categories=casework.CASE_CATEGORIES), 400
    db.commit()
    flash(_("已保存案件信息。"), "info")
    return redirect(url_for("cases.detail", case_id=case_id))


def _detail_page(row: CaseRow, status: int = 200, **forms: object) -> tuple[str, int]:
    db = db_session()
    suggestions = suggest_lawyers(db, row.id, today()) if row.status not in casework.FINAL_STATUSES else []
    assign = forms.get("assign") or AssignForm()
    assert isinstance(assign, AssignForm)
    assign.lawyers.choices = options(
        [(lw.id, f"{lw.name}（{lw.firm}）" if lw.firm else lw.name) for lw in row.lawyers]
        + [(s.candidate.id, s.candidate.name) for s in suggestions]
    )
    if not assign.is_submitted():
        assign.lawyers.data = [lw.id for lw in row.lawyers]
    state = forms.get("state") or StatusForm()
    assert isinstance(state, StatusForm)
    state.status.choices = options((code, STATUS_LABELS[code]) for code in casework.NEXT_STATUSES[row.status])
    page = render_template(
        "cases/detail.html",
        case=row,
        suggestions={s.candidate.id: s for s in suggestions},
        assign=assign,
        state=state,
        upload=forms.get("upload") or OpinionForm(),
        labels=STATUS_LABELS,
    )
    return page, status


@bp.get("/<int:case_id>")
@role_required(*STAFF)
def detail(case_id: int) -> tuple[str, int]:
    """One case: its lawyers and the ranked suggestions, its status, its opinions."""
    _held_case(case_id)
    return _detail_page(case_detail(db_session(), case_id, today()))


def _refused(case_id: int, exc: SchedulerError, **forms: object) -> tuple[str, int]:
    db = db_session()
    db.rollback()
    form = next(iter(forms.values()))
    if isinstance(exc, FieldError):
        field_error(form, exc)
    else:
        form.form_errors.append(word(exc))  # type: ignore[attr-defined]
    return _detail_page(case_detail(db, case_id, today()), 400 if isinstance(exc, FieldError) else 409, **forms)


@bp.post("/<int:case_id>/assign")
@role_required(*STAFF)
def assign(case_id: int) -> ResponseReturnValue:
    """Make the checked lawyers the case's lawyers."""
    _held_case(case_id)
    db = db_session()
    form = AssignForm()
    # Any lawyer may be checked (a suggestion, or one already on the case); the use case checks each.
    form.lawyers.choices = options((int(v), v) for v in request.form.getlist("lawyers") if v.isdigit())
    if not form.validate_on_submit():
        return _detail_page(case_detail(db, case_id, today()), 400, assign=form)
    try:
        casework.assign_lawyers(
            db, case_id, form.lawyers.data or [], actor(), today=today(), reason=(form.reason.data or "").strip()
        )
    except SchedulerError as exc:
        return _refused(case_id, exc, assign=form)
    db.commit()
    flash(_("已更新承办律师。"), "info")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.post("/<int:case_id>/status")
@role_required(*STAFF)
def set_status(case_id: int) -> ResponseReturnValue:
    """Move the case to another status (办理中, 已出具意见, 已结案, 撤回)."""
    _held_case(case_id)
    db = db_session()
    form = StatusForm()
    form.status.choices = options(STATUS_LABELS.items())
    if not form.validate_on_submit():
        return _detail_page(case_detail(db, case_id, today()), 400, state=form)
    try:
        casework.set_status(db, case_id, form.status.data or "", actor(), (form.reason.data or "").strip())
    except SchedulerError as exc:
        return _refused(case_id, exc, state=form)
    db.commit()
    flash(_("已更新案件状态。"), "info")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.post("/<int:case_id>/opinions")
@role_required(*STAFF)
def upload_opinion(case_id: int) -> ResponseReturnValue:
    """File a legal opinion (PDF, DOCX or ODT): refused, with the reason beside the field, when its type,
    content or size is wrong; nothing is stored then."""
    _held_case(case_id)
    db = db_session()
    form = OpinionForm()
    if not form.validate_on_submit():
        return _detail_page(case_detail(db, case_id, today()), 400, upload=form)
    upload = form.file.data
    try:
        casework.file_opinion(db, case_id, upload.filename or "", upload.read(), actor())
    except SchedulerError as exc:
        db.rollback()
        form.file.errors = [word(exc)]
        status = 400 if not isinstance(exc, NoLawyersYet | CaseFinished) else 409
        return _detail_page(case_detail(db, case_id, today()), status, upload=form)
    db.commit()
    flash(_("已上传法律意见书。"), "info")
    return redirect(url_for("cases.detail", case_id=case_id))


@bp.get("/opinions/<int:opinion_id>")
@role_required(*STAFF, "lawyer")
def download_opinion(opinion_id: int) -> Response:
    """An opinion's file, for staff and for the lawyers of its case (404 for any other lawyer)."""
    account = current_account()
    lawyer_id = account.lawyer_id if account.role == "lawyer" else None
    if account.role == "lawyer" and lawyer_id is None:
        abort(403)
    opinion = casework.opinion_of(db_session(), opinion_id, lawyer_id=lawyer_id)
    response = Response(opinion.content, mimetype=MEDIA_TYPES[opinion.kind])
    # RFC 6266: an ASCII fallback and the real (Chinese) name encoded.
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"opinion-{opinion.id}.{opinion.kind}\"; filename*=UTF-8''{quote(opinion.filename)}"
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
