"""The consultation hotline and mailbox (律师咨询电话、电子信箱): the planner sets up each office's line."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, IntegerField, SelectField, SelectMultipleField, StringField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from scheduler.core.errors import FieldError, SchedulerError
from scheduler.people.directory import office_rows
from scheduler.planning.hotline import EVERY_WORKING_DAY, HotlineSpec, hotline_share, hotlines, set_hotline
from scheduler.web import db_session
from scheduler.web.auth import actor, require_offices, role_required
from scheduler.web.forms import REQUIRED, WEEKDAYS, MultiCheckboxField, options
from scheduler.web.i18n import word
from scheduler.web.planner.blueprint import PLANNERS, bp
from scheduler.web.planner.people import office_label


class HotlineForm(FlaskForm):
    office = SelectField(_l("信访局"), validators=[DataRequired(REQUIRED)])
    phone = StringField(_l("咨询电话"), validators=[DataRequired(REQUIRED), Length(max=40)])
    mailbox = StringField(_l("电子信箱（可选）"), validators=[Length(max=120)])
    weekdays = MultiCheckboxField(_l("值守日（不选则为每个工作日）"), coerce=int, choices=WEEKDAYS)
    needed = IntegerField(
        _l("每天值守律师人数"),
        default=1,
        validators=[InputRequired(REQUIRED), NumberRange(1, 10, _l("请填写 1 到 10。"))],
    )
    start = TimeField(_l("开始"), default=dt.time(9), validators=[InputRequired(REQUIRED)])
    end = TimeField(_l("结束"), default=dt.time(17), validators=[InputRequired(REQUIRED)])
    served_from = SelectMultipleField(_l("也可由以下信访局的律师远程值守"), default=[])
    share = DecimalField(
        _l("一天值守折合窗口值班（0.1 至 1）"),
        places=1,
        validators=[Optional(), NumberRange(0.1, 1, _l("请填写 0.1 到 1。"))],
    )

    def validate_end(self, field: TimeField) -> None:
        if field.data and self.start.data and field.data <= self.start.data:
            raise ValidationError(_l("结束时间须晚于开始时间。"))


def _page(form: HotlineForm, status: int = 200) -> tuple[str, int]:
    db = db_session()
    choices = options((o.code, office_label(o)) for o in office_rows(db))
    form.office.choices = choices
    form.served_from.choices = choices
    if form.share.data is None:
        form.share.data = Decimal(str(hotline_share(db)))
    return render_template("planner/hotline.html", form=form, rows=hotlines(db)), status


@bp.get("/hotline")
@role_required(*PLANNERS)
def hotline_page() -> tuple[str, int]:
    """Every office's hotline, and the form to set one up or change it."""
    return _page(HotlineForm())


@bp.post("/hotline")
@role_required(*PLANNERS)
def set_hotline_page() -> ResponseReturnValue:
    """Set up or change an office's hotline; its days are created with the next period's duties."""
    form = HotlineForm()
    rows = office_rows(db_session())
    codes = options((o.code, o.code) for o in rows)
    form.office.choices = codes
    form.served_from.choices = codes
    # The office's line and the offices serving it remotely: the account must hold each of them.
    ids = {o.code: o.id for o in rows}
    named = [form.office.data or "", *(form.served_from.data or ())]
    require_offices({ids[code] for code in named if code in ids})
    if not form.validate_on_submit():
        return _page(form, 400)
    assert form.start.data and form.end.data
    pattern = ",".join(str(d + 1) for d in form.weekdays.data or ()) or EVERY_WORKING_DAY
    spec = HotlineSpec(
        office_code=form.office.data or "",
        phone=form.phone.data or "",
        mailbox=form.mailbox.data or "",
        pattern=pattern,
        needed=form.needed.data or 1,
        start=form.start.data,
        end=form.end.data,
        served_from=tuple(form.served_from.data or ()),
        share=float(form.share.data) if form.share.data is not None else None,
    )
    db = db_session()
    try:
        set_hotline(db, spec, actor())
    except SchedulerError as exc:
        db.rollback()
        target = getattr(form, exc.field, form.phone) if isinstance(exc, FieldError) else form.phone
        target.errors = [*target.errors, word(exc)]
        return _page(form, 400)
    db.commit()
    flash(_("已保存咨询电话设置。生成时段值班后，求解时会安排值守律师。"), "info")
    return redirect(url_for("planner.hotline_page"))
