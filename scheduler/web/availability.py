"""Lawyers' availability requests (值班意愿申请): the lawyer sends days off and weekday wishes from their page
before the deadline; the planner opens a request window per period and approves or declines each request
on one page (or approves all at once). The use cases are in scheduler.people.availability_requests.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from scheduler.core.errors import SchedulerError
from scheduler.models.availability import AvailabilityRequest, RequestWindow
from scheduler.people import availability_requests as requests
from scheduler.people import scope
from scheduler.web import db_session, today
from scheduler.web.auth import actor, current_account, current_lawyer_id, require_offices, role_required
from scheduler.web.forms import REQUIRED, WEEKDAYS, MultiCheckboxField, plausible
from scheduler.web.i18n import long_date, word

bp = Blueprint("availability", __name__, url_prefix="/availability")
PLANNERS = ("planner", "admin")
STATE_LABELS = {"pending": _l("待审批"), "approved": _l("已批准"), "declined": _l("未批准")}


class WindowForm(FlaskForm):
    period_start = DateField(_l("排班时段开始"), validators=[InputRequired(REQUIRED), plausible])
    period_end = DateField(_l("排班时段结束"), validators=[InputRequired(REQUIRED), plausible])
    opens = DateField(_l("开始接受申请"), validators=[InputRequired(REQUIRED), plausible])
    deadline = DateField(_l("申请截止日期"), validators=[InputRequired(REQUIRED), plausible])


class DaysOffForm(FlaskForm):
    start = DateField(_l("开始日期"), validators=[InputRequired(REQUIRED), plausible])
    end = DateField(_l("结束日期"), validators=[InputRequired(REQUIRED), plausible])
    reason = StringField(_l("原因"), validators=[DataRequired(REQUIRED), Length(max=200)])

    def validate_end(self, field: DateField) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("结束日期早于开始日期。"))


class WeekdaysForm(FlaskForm):
    preferred = MultiCheckboxField(_l("希望值班日"), coerce=int, choices=WEEKDAYS)
    undesired = MultiCheckboxField(_l("不希望值班日"), coerce=int, choices=WEEKDAYS)


class DecisionForm(FlaskForm):
    reason = StringField(_l("说明"), validators=[Length(max=500)])


@bp.app_template_global("my_availability")
def my_availability() -> dict[str, object]:
    """For the lawyer's page: the windows open today, the lawyer's requests, and the empty forms."""
    lawyer_id = current_account().lawyer_id
    if lawyer_id is None:
        return {"windows": [], "requests": [], "days_off": None, "weekdays": None}
    db = db_session()
    return {
        "windows": requests.open_windows(db, today()),
        "requests": requests.requests_of_lawyer(db, lawyer_id),
        "days_off": DaysOffForm(formdata=None),
        "weekdays": WeekdaysForm(formdata=None),
    }


@bp.app_template_filter("request_state")
def request_state(state: str) -> str:
    return str(STATE_LABELS[state])


@bp.app_template_filter("describe_request")
def describe_request(row: AvailabilityRequest) -> str:
    """The request in the reader's language (the use case's `describe` words it in Chinese for mail and logs)."""
    if row.kind == "unavailable":
        assert row.start is not None and row.end is not None
        span = long_date(row.start)
        if row.end != row.start:
            span = _("%(start)s 至 %(end)s", start=span, end=long_date(row.end))
        return _("%(span)s 不能值班（%(reason)s）", span=span, reason=row.reason)
    return _(
        "希望值班日：%(wanted)s；不希望值班日：%(unwanted)s",
        wanted=_weekdays(row.preferred_weekdays),
        unwanted=_weekdays(row.undesired_weekdays),
    )


def _weekdays(days: list[int]) -> str:
    names = {choice.value: str(choice.label) for choice in WEEKDAYS}
    return _("、").join(names[d] for d in sorted(days)) or _("无")


def _back() -> ResponseReturnValue:
    return redirect(url_for("lawyer.index") + "#my-availability")


def _form_problems(form: FlaskForm) -> None:
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text}：{error}", "error")


@bp.post("/mine/<int:window_id>/days-off")
@role_required("lawyer")
def ask_days_off(window_id: int) -> ResponseReturnValue:
    """The lawyer asks not to serve on a range of days of the window's period."""
    form = DaysOffForm()
    if not form.validate_on_submit():
        _form_problems(form)
        return _back()
    assert form.start.data and form.end.data
    db = db_session()
    try:
        requests.ask_days_off(
            db,
            window_id,
            current_lawyer_id(),
            form.start.data,
            form.end.data,
            form.reason.data or "",
            actor(),
            today=today(),
        )
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return _back()
    db.commit()
    flash(_("已提交申请，等待审批。"), "info")
    return _back()


@bp.post("/mine/<int:window_id>/weekdays")
@role_required("lawyer")
def ask_weekdays(window_id: int) -> ResponseReturnValue:
    """The lawyer states the weekdays they wish and those they would rather not serve on."""
    form = WeekdaysForm()
    if not form.validate_on_submit():
        _form_problems(form)
        return _back()
    db = db_session()
    try:
        requests.ask_weekdays(
            db,
            window_id,
            current_lawyer_id(),
            form.preferred.data or [],
            form.undesired.data or [],
            actor(),
            today=today(),
        )
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return _back()
    db.commit()
    flash(_("已提交申请，等待审批。"), "info")
    return _back()


def _page(window_form: WindowForm | None = None, status: int = 200) -> tuple[str, int]:
    db = db_session()
    windows = requests.windows(db)
    asked = request.args.get("window", "")
    chosen: RequestWindow | None = next((w for w in windows if str(w.id) == asked), windows[0] if windows else None)
    rows = requests.requests_of_window(db, chosen.id) if chosen else []
    page = render_template(
        "availability/index.html",
        windows=windows,
        chosen=chosen,
        rows=rows,
        form=window_form or WindowForm(),
        decision=DecisionForm(),
        today=today(),
    )
    return page, status


@bp.get("/")
@role_required(*PLANNERS)
def index() -> tuple[str, int]:
    """Request windows, the chosen window's requests (pending first) with approve and decline."""
    return _page()


@bp.post("/windows")
@role_required(*PLANNERS)
def open_window() -> ResponseReturnValue:
    """Open (or move) the request window of a period."""
    form = WindowForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    assert form.period_start.data and form.period_end.data and form.opens.data and form.deadline.data
    db = db_session()
    try:
        window = requests.open_window(
            db, form.period_start.data, form.period_end.data, form.opens.data, form.deadline.data, actor()
        )
    except SchedulerError as exc:
        db.rollback()
        form.deadline.errors = [*form.deadline.errors, word(exc)]
        return _page(form, 400)
    db.commit()
    flash(_("已设置申请时段。"), "info")
    return redirect(url_for("availability.index", window=window.id))


def _held_lawyers(query: Select[int]) -> None:
    """403 unless the account holds every office the requesting lawyers serve (their days and wishes are
    those offices' data)."""
    db = db_session()
    lawyer_ids = set(db.scalars(query))
    require_offices(scope.lawyer_office_ids(db, lawyer_ids))


def _decided(window_id: int, message: str, proposals: int = 0) -> ResponseReturnValue:
    db_session().commit()
    flash(message, "info")
    if proposals:
        flash(_("已发布的排班受到影响，已生成 %(n)s 个补位方案，请在“待处理的变更”中处理。", n=proposals), "warning")
    return redirect(url_for("availability.index", window=window_id))


@bp.post("/requests/<int:request_id>/approve")
@role_required(*PLANNERS)
def approve(request_id: int) -> ResponseReturnValue:
    """Approve one request: days off become unavailability, weekday wishes the lawyer's preferences."""
    _held_lawyers(select(AvailabilityRequest.lawyer_id).where(AvailabilityRequest.id == request_id))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page(status=400)
    decision = requests.approve(db_session(), request_id, actor(), today=today(), reason=form.reason.data or "")
    return _decided(decision.request.window_id, _("已批准。"), len(decision.proposal_ids))


@bp.post("/requests/<int:request_id>/decline")
@role_required(*PLANNERS)
def decline(request_id: int) -> ResponseReturnValue:
    """Decline one request, with the reason the lawyer reads."""
    _held_lawyers(select(AvailabilityRequest.lawyer_id).where(AvailabilityRequest.id == request_id))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _page(status=400)
    db = db_session()
    try:
        decision = requests.decline(db, request_id, form.reason.data or "", actor())
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        window_id = requests.get_request(db, request_id).window_id
        return redirect(url_for("availability.index", window=window_id))
    return _decided(decision.request.window_id, _("已不予批准，律师会看到理由。"))


@bp.post("/windows/<int:window_id>/approve-all")
@role_required(*PLANNERS)
def approve_all(window_id: int) -> ResponseReturnValue:
    """Approve every pending request of the window (the account must hold the offices of their lawyers)."""
    pending = AvailabilityRequest.window_id == window_id, AvailabilityRequest.state == "pending"
    _held_lawyers(select(AvailabilityRequest.lawyer_id).where(*pending))
    if not DecisionForm().validate_on_submit():
        return _page(status=400)
    decisions = requests.approve_all(db_session(), window_id, actor(), today=today())
    proposals = sum(len(d.proposal_ids) for d in decisions)
    return _decided(window_id, _("已批准 %(n)s 条申请。", n=len(decisions)), proposals)
