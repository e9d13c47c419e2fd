"""One duty: cancel it, move it, or delete a leader day entered by mistake (the same use cases as
`scheduler duty cancel|move` and `scheduler leader-day delete`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from scheduler.core.errors import FieldError, SchedulerError
from scheduler.core.problem import LEADER_DAY
from scheduler.models import Duty
from scheduler.rosters.duty_changes import DutyChangeResult, DutyEdit, cancel_duty, delete_leader_day, edit_duty
from scheduler.web import db_session, today
from scheduler.web.auth import actor, office_scoped, role_required
from scheduler.web.forms import REQUIRED
from scheduler.web.i18n import word
from scheduler.web.planner.blueprint import PLANNERS, bp


class CancelForm(FlaskForm):
    reason = StringField(_l("原因"), validators=[DataRequired(REQUIRED), Length(max=500)])


class MoveForm(FlaskForm):
    date = DateField(_l("新日期"), validators=[InputRequired(REQUIRED)])
    start = TimeField(_l("开始（可选）"), validators=[Optional()])
    end = TimeField(_l("结束（可选）"), validators=[Optional()])
    reason = StringField(_l("原因"), validators=[DataRequired(REQUIRED), Length(max=500)])


def _page(duty_id: int, cancel: CancelForm, move: MoveForm, status: int = 200) -> tuple[str, int]:
    duty = db_session().get(Duty, duty_id)
    if duty is None:
        abort(404)
    page = render_template(
        "planner/duty.html", duty=duty, cancel=cancel, move=move, leader_day=duty.duty_type.code == LEADER_DAY
    )
    return page, status


def _done(result: DutyChangeResult) -> ResponseReturnValue:
    if result.version is not None:
        flash(_("已发布第 %(version)s 版。", version=result.version.version), "info")
    else:
        flash(_("已修改值班；该时段尚未发布。"), "info")
    return redirect(url_for("planner.duty_page", duty_id=result.duty.id))


@bp.get("/duties/<int:duty_id>")
@role_required(*PLANNERS)
@office_scoped
def duty_page(duty_id: int) -> tuple[str, int]:
    """A duty with the forms to cancel or move it."""
    return _page(duty_id, CancelForm(), MoveForm())


@bp.post("/duties/<int:duty_id>/cancel")
@role_required(*PLANNERS)
@office_scoped
def cancel(duty_id: int) -> ResponseReturnValue:
    """Cancel a duty; on a published period a new version with CANCELLED events and notices."""
    form = CancelForm()
    if not form.validate_on_submit():
        return _page(duty_id, form, MoveForm(), 400)
    db = db_session()
    try:
        result = cancel_duty(db, duty_id, form.reason.data or "", actor(), today=today())
    except SchedulerError as exc:
        db.rollback()
        form.reason.errors = [*form.reason.errors, word(exc)]
        return _page(duty_id, form, MoveForm(), 400)
    db.commit()
    return _done(result)


@bp.post("/duties/<int:duty_id>/move")
@role_required(*PLANNERS)
@office_scoped
def move(duty_id: int) -> ResponseReturnValue:
    """Move a duty; its lawyers stay if still free and eligible, the other places are repaired."""
    form = MoveForm()
    if not form.validate_on_submit():
        return _page(duty_id, CancelForm(), form, 400)
    db = db_session()
    change = DutyEdit(date=form.date.data, start=form.start.data, end=form.end.data)
    try:
        result = edit_duty(db, duty_id, change, form.reason.data or "", actor(), today=today())
    except SchedulerError as exc:
        db.rollback()
        field = getattr(form, exc.field, form.date) if isinstance(exc, FieldError) else form.date
        field.errors = [*field.errors, word(exc)]
        return _page(duty_id, CancelForm(), form, 400)
    db.commit()
    return _done(result)


@bp.post("/duties/<int:duty_id>/delete")
@role_required(*PLANNERS)
@office_scoped
def delete(duty_id: int) -> ResponseReturnValue:
    """Delete a leader day entered by mistake (cancelled instead once published)."""
    form = CancelForm()
    if not form.validate_on_submit():
        return _page(duty_id, form, MoveForm(), 400)
    db = db_session()
    try:
        result = delete_leader_day(db, duty_id, form.reason.data or "", actor(), today=today())
    except SchedulerError as exc:
        db.rollback()
        form.reason.errors = [*form.reason.errors, word(exc)]
        return _page(duty_id, form, MoveForm(), 400)
    db.commit()
    if result.duty.cancelled_at is None:
        flash(_("已删除领导接待日。"), "info")
        return redirect(url_for("planner.leader_days"))
    return _done(result)
