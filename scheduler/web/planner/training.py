"""Trainings (专项培训): set one up, invite lawyers (or every lawyer of an office or a firm), record attendance."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from scheduler.attendance import training
from scheduler.core.errors import FieldError, SchedulerError
from scheduler.models import LawFirm, Office
from scheduler.web import db_session, today
from scheduler.web.auth import actor, role_required
from scheduler.web.forms import field_error, items, options
from scheduler.web.i18n import word
from scheduler.web.planner.blueprint import PLANNERS, bp
from scheduler.web.record_forms import InviteForm, TrainingAttendanceForm, TrainingForm


def _spec(form: TrainingForm) -> training.TrainingSpec:
    return training.TrainingSpec(
        title=form.title.data or "",
        date=form.date.data,  # required by the form
        start=form.start.data,
        end=form.end.data,
        location=form.location.data or "",
        organiser=form.organiser.data or "",
        content=form.content.data or "",
    )


def _refused(form: TrainingForm | InviteForm | TrainingAttendanceForm, exc: SchedulerError) -> None:
    db_session().rollback()
    if isinstance(exc, FieldError):
        field_error(form, exc)
    else:
        form.form_errors.append(word(exc))


@bp.route("/trainings", methods=["GET", "POST"])
@role_required(*PLANNERS)
def trainings() -> ResponseReturnValue:
    """Every training, the latest first, and the form to set up a new one."""
    form = TrainingForm()
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            db = db_session()
            try:
                added = training.add_training(db, _spec(form), actor())
            except SchedulerError as exc:
                _refused(form, exc)
            else:
                db.commit()
                flash(_("已添加培训，请邀请参加的律师。"), "info")
                return redirect(url_for("planner.training_page", training_id=added.id))
    rows = training.list_trainings(db_session())
    return render_template("planner/trainings.html", rows=rows, form=form), status


def _invite_form() -> InviteForm:
    db = db_session()
    form = InviteForm()
    form.offices.choices = options((o.code, o.name) for o in db.scalars(select(Office).order_by(Office.code)))
    form.firms.choices = options((f.id, f.name) for f in db.scalars(select(LawFirm).order_by(LawFirm.name)))
    return form


def _training_page(
    training_id: int,
    *,
    edit: TrainingForm | None = None,
    invite: InviteForm | None = None,
    attendance: TrainingAttendanceForm | None = None,
    status: int = 200,
) -> tuple[str, int]:
    found = training.get_training(db_session(), training_id)
    if edit is None:
        edit = TrainingForm(formdata=None, obj=found)
    page = render_template(
        "planner/training.html",
        training=found,
        invitations=sorted(found.invitations, key=lambda i: i.lawyer.licence_no),
        edit=edit,
        invite=invite or _invite_form(),
        attendance=attendance or TrainingAttendanceForm(formdata=None),
        held=found.date <= today(),
    )
    return page, status


@bp.route("/trainings/<int:training_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def training_page(training_id: int) -> ResponseReturnValue:
    """A training: its details (to change), its invitations with attendance, the invitation form."""
    form = TrainingForm()
    if not form.is_submitted():
        return _training_page(training_id)
    if form.validate():
        db = db_session()
        try:
            training.change_training(db, training_id, _spec(form), actor())
        except SchedulerError as exc:
            _refused(form, exc)
        else:
            db.commit()
            flash(_("已修改培训。"), "info")
            return redirect(url_for("planner.training_page", training_id=training_id))
    return _training_page(training_id, edit=form, status=400)


@bp.post("/trainings/<int:training_id>/invite")
@role_required(*PLANNERS)
def invite_to_training(training_id: int) -> ResponseReturnValue:
    """Invite lawyers by licence number or name, and every lawyer of the offices and firms ticked."""
    form = _invite_form()
    if form.validate_on_submit():
        db = db_session()
        try:
            new = training.invite(
                db,
                training_id,
                actor(),
                lawyers=items(form.lawyers.data),
                offices=form.offices.data or (),
                firms=form.firms.data or (),
            )
        except SchedulerError as exc:
            _refused(form, exc)
        else:
            db.commit()
            flash(_("已邀请 %(count)s 位律师。", count=len(new)), "info")
            return redirect(url_for("planner.training_page", training_id=training_id))
    return _training_page(training_id, invite=form, status=400)


@bp.post("/trainings/<int:training_id>/attendance")
@role_required(*PLANNERS)
def training_attendance(training_id: int) -> ResponseReturnValue:
    """Record how one invited lawyer did: attended, absent or excused."""
    form = TrainingAttendanceForm()
    if form.validate_on_submit():
        db = db_session()
        try:
            training.record_training_attendance(
                db,
                training_id,
                form.lawyer_id.data or 0,
                form.status.data or "",
                actor(),
                note=form.note.data or "",
                today=today(),
            )
        except SchedulerError as exc:
            _refused(form, exc)
        else:
            db.commit()
            flash(_("已登记培训出勤。"), "info")
            return redirect(
                url_for("planner.training_page", training_id=training_id, _anchor=f"i-{form.lawyer_id.data}")
            )
    return _training_page(training_id, attendance=form, status=400)
