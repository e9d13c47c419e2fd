"""Days: when lawyers cannot serve (unavailability), leader reception days (党政领导信访接待日), and the
working-day overrides of years the calendar package does not know yet (the State Council's arrangement,
or an expected one marked provisional)."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from scheduler.core.errors import InputError, SchedulerError
from scheduler.people import lawyer_sheets as lawyer_io
from scheduler.people import scope, standing, unavailability_sheets
from scheduler.people.directory import lawyer_choices, office_rows
from scheduler.planning import holidays
from scheduler.planning.calendar_views import leader_day_rows, override_days, override_years, unavailability_rows
from scheduler.planning.duties import LeaderDaySpec
from scheduler.rosters.duty_changes import add_leader_day_to_roster
from scheduler.rosters.replan import impact_of_years, replan
from scheduler.web import db_session, today
from scheduler.web.auth import actor, current_scope, require_every_office, require_offices, role_required
from scheduler.web.forms import (
    HolidayUploadForm,
    LeaderDayForm,
    RangeForm,
    ReasonForm,
    UnavailabilityForm,
    UploadForm,
    options,
)
from scheduler.web.i18n import word
from scheduler.web.planner.blueprint import PLANNERS, bp
from scheduler.web.planner.people import import_file, office_label, uploaded
from scheduler.web.uploads import file_problems

LEADER_DAYS_AHEAD = 180
UNAVAILABILITY_DAYS = 90  # the unavailability list shows this far ahead unless asked otherwise


def _leader_days_page(form: LeaderDayForm, status: int = 200) -> tuple[str, int]:
    db = db_session()
    start, end = RangeForm().span(today(), today() + dt.timedelta(days=LEADER_DAYS_AHEAD))
    form.office.choices = options((o.code, office_label(o)) for o in office_rows(db, current_scope()))
    rows = leader_day_rows(db, start, end, current_scope())
    page = render_template("planner/leader_days.html", form=form, rows=rows, start=start, end=end)
    return page, status


@bp.get("/leader-days")
@role_required(*PLANNERS)
def leader_days() -> tuple[str, int]:
    """Leader reception days in a date range, and the form to add one."""
    return _leader_days_page(LeaderDayForm())


@bp.post("/leader-days")
@role_required(*PLANNERS)
def add_leader_days() -> ResponseReturnValue:
    """Add a leader reception day; refused on a day off, as a duplicate, or with hours reversed."""
    require_offices(scope.office_ids_of(db_session(), [request.form.get("office", "")]))
    form = LeaderDayForm()
    form.office.choices = options((o.code, o.code) for o in office_rows(db_session(), current_scope()))
    if not form.validate_on_submit():
        return _leader_days_page(form, 400)
    assert form.date.data and form.start.data and form.end.data
    spec = LeaderDaySpec(
        office_code=form.office.data or "",
        date=form.date.data,
        start=form.start.data,
        end=form.end.data,
        needed=form.needed.data or 1,
        min_years=form.min_years.data or 0,
        specialty=(form.specialty.data or "").strip() or None,
        language=(form.language.data or "").strip() or None,
        note=(form.note.data or "").strip(),
        place=(form.place.data or "").strip(),
        scope=(form.scope.data or "").strip(),
    )
    db = db_session()
    try:
        outcome = add_leader_day_to_roster(db, spec, actor(), today=today())
    except SchedulerError as exc:
        db.rollback()
        form.date.errors = [*form.date.errors, word(exc)]
        return _leader_days_page(form, 400)
    db.commit()
    if outcome.proposal is not None:
        # A published period: the new place is staffed as a repair, shown for acceptance.
        flash(_("已添加领导接待日。该时段已发布，已生成安排律师的变更建议，确认后发布新版本。"), "info")
        return redirect(url_for("clerk.proposal", proposal_id=outcome.proposal.id))
    flash(_("已添加领导接待日。重新求解该时段后，排班中才会安排律师。"), "info")
    return redirect(url_for("planner.leader_days", start=spec.date.isoformat(), end=spec.date.isoformat()))


def _holidays_page(form: HolidayUploadForm, status: int = 200, problems: object = None) -> tuple[str, int]:
    db = db_session()
    years = override_years(db)
    asked = request.args.get("year", "")
    year = int(asked) if asked.isdigit() and len(asked) == 4 else (years[-1].year if years else today().year)
    try:
        # What the stored arrangement asks of the duties already there (after an import, say).
        impact = impact_of_years(db, [year])
    except SchedulerError:
        impact = None
    page = render_template(
        "planner/holidays.html",
        form=form,
        years=years,
        year=year,
        days=override_days(db, year),
        problems=problems,
        impact=impact if impact is not None and not impact.empty else None,
        replan_form=ReasonForm(),
        offices=office_rows(db),  # the impact names offices, not codes
    )
    return page, status


@bp.get("/holidays")
@role_required(*PLANNERS)
def holiday_overrides() -> tuple[str, int]:
    """The years with a stored working-day arrangement, one year's days, and the form to import a year."""
    return _holidays_page(HolidayUploadForm())


@bp.post("/holidays")
@role_required(*PLANNERS)
def import_holidays() -> ResponseReturnValue:
    """Import a year's arrangement (CSV rows date,kind,name); it replaces what was stored for that year."""
    require_every_office()  # the working-day calendar is every office's
    form = HolidayUploadForm()
    if not form.validate_on_submit():
        return _holidays_page(form, 400)
    db = db_session()
    with uploaded(form.file.data) as path:
        try:
            overrides = holidays.read_overrides(path, confirmed=not form.provisional.data)
            result = holidays.replace_years(db, overrides, actor(), source=path.name)
        except InputError as exc:
            db.rollback()
            return _holidays_page(form, 400, file_problems(path, None, exc))
    db.commit()
    flash(_("已导入 %(years)s 年的 %(days)s 天。", years="、".join(map(str, result.years)), days=result.days), "info")
    return redirect(url_for("planner.holiday_overrides", year=result.years[-1]))


@bp.post("/replan")
@role_required(*PLANNERS)
def replan_duties() -> ResponseReturnValue:
    """Apply the calendar change to the duties of a period (the same use case as `scheduler duties replan`)."""
    form = ReasonForm()
    try:
        start = dt.date.fromisoformat(request.form.get("start", ""))
        end = dt.date.fromisoformat(request.form.get("end", ""))
    except ValueError:
        flash(_("时段的日期无效。"), "error")
        return redirect(url_for("planner.holiday_overrides"))
    if not form.validate_on_submit():
        return redirect(url_for("planner.holiday_overrides", year=start.year))
    db = db_session()
    require_offices(scope.period_offices(db, start, end))
    try:
        result = replan(db, start, end, actor(), reason=(form.reason.data or "").strip(), today=today())
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return redirect(url_for("planner.holiday_overrides", year=start.year))
    db.commit()
    published = "、".join(str(v.version) for v in result.versions)
    if published:
        flash(_("已按新的节假日安排调整值班，并发布了第 %(versions)s 版。", versions=published), "info")
    else:
        flash(_("已按新的节假日安排调整值班（该时段尚未发布）。"), "info")
    return redirect(url_for("planner.holiday_overrides", year=start.year))


# --- unavailability ------------------------------------------------------------------------------


def _unavailability_page(form: UnavailabilityForm, upload: UploadForm, status: int = 200) -> tuple[str, int]:
    db = db_session()
    start, end = RangeForm().span(today(), today() + dt.timedelta(days=UNAVAILABILITY_DAYS))
    form.licence.choices = options([("", _("请选择律师")), *lawyer_choices(db, current_scope())])
    page = render_template(
        "planner/unavailability.html",
        form=form,
        upload=upload,
        rows=unavailability_rows(db, start, end, current_scope()),
        start=start,
        end=end,
        problems=None,
    )
    return page, status


@bp.get("/unavailability")
@role_required(*PLANNERS)
def unavailability() -> tuple[str, int]:
    """Days lawyers cannot serve, in a date range, with forms to add one or import a file."""
    return _unavailability_page(UnavailabilityForm(), UploadForm())


@bp.post("/unavailability")
@role_required(*PLANNERS)
def add_unavailability() -> ResponseReturnValue:
    """Record days a lawyer cannot serve; published duties they hit get repair proposals for the clerk."""
    require_offices(scope.licence_offices(db_session(), request.form.get("licence", "")))
    form = UnavailabilityForm()
    form.licence.choices = options([("", ""), *lawyer_choices(db_session(), current_scope())])
    if not form.validate_on_submit():
        return _unavailability_page(form, UploadForm(), 400)
    assert form.start.data and form.end.data
    db = db_session()
    try:
        proposals = standing.add_unavailability(
            db, form.licence.data or "", form.start.data, form.end.data, form.reason.data or "", actor(), today=today()
        )
    except SchedulerError as exc:
        db.rollback()
        form.form_errors.append(word(exc))
        return _unavailability_page(form, UploadForm(), 400)
    db.commit()
    flash(_("已登记不能值班的日期。"), "info")
    if proposals:
        flash(
            _("已发布的排班中有 %(count)s 处需要补位，已生成补位方案，请值班事务人员处理。", count=len(proposals)),
            "info",
        )
    return redirect(url_for("planner.unavailability"))


@bp.post("/unavailability/import")
@role_required(*PLANNERS)
def import_unavailability() -> ResponseReturnValue:
    """Import unavailability from .xlsx or .csv; all or nothing, with every problem shown beside its row."""
    require_every_office()  # a file may name any lawyer
    upload = UploadForm()
    outcome = import_file(
        upload,
        unavailability_sheets.import_unavailability,
        lawyer_io.UNAVAILABILITY_COLUMNS,
        "planner/import.html",
        kind="unavailability",
    )
    if not isinstance(outcome, lawyer_io.ImportResult):
        return outcome
    flash(
        _(
            "导入完成：新增 %(created)s 段，已有 %(unchanged)s 段。",
            created=outcome.created,
            unchanged=outcome.unchanged,
        ),
        "info",
    )
    return redirect(url_for("planner.unavailability"))
