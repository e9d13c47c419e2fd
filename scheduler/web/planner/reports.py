"""The monthly allowance (生活补贴) and the annual assessment (年度考核): on screen, and as .xlsx, .csv or SVG."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from markupsafe import Markup

from scheduler.attendance.allowance import AllowanceReport, monthly_report
from scheduler.attendance.assessment import DEFAULT_ABSENCE_THRESHOLD, AssessmentReport, annual_assessment
from scheduler.attendance.grading import (
    commendations,
    compute_grades,
    configured_rules,
    graded_rows,
    override_grade,
    sheet_grading,
)
from scheduler.attendance.reports.chart import assessment_chart
from scheduler.attendance.reports.export import MEDIA_TYPES, allowance_bytes, assessment_bytes, chart_bytes
from scheduler.core.errors import InputError, SchedulerError
from scheduler.core.paging import Page, page_number
from scheduler.people.scope import OutOfScope
from scheduler.web import db_session, settings, today
from scheduler.web.auth import actor, current_scope, role_required
from scheduler.web.forms import AllowanceQuery, AssessmentQuery
from scheduler.web.grade_forms import ComputeGradesForm, OverrideGradeForm
from scheduler.web.i18n import word
from scheduler.web.planner.blueprint import PLANNERS, bp


def _download(data: bytes, fmt: str, filename: str) -> Response:
    return Response(
        data, mimetype=MEDIA_TYPES[f".{fmt}"], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


def _allowance(year: int, month: int, pay_late: bool) -> AllowanceReport:
    return monthly_report(db_session(), year, month, pay_late=pay_late, today=today(), scope=current_scope())


@bp.get("/reports/allowance")
@role_required(*PLANNERS)
def allowance() -> ResponseReturnValue:
    """The allowance of a month, per lawyer or per firm, with the duties not paid and why."""
    query = AllowanceQuery()
    if not query.month.data:
        query.month.data = today().strftime("%Y-%m")
    report, error = None, ""
    if query.validate():
        year, month = query.year_month()
        try:
            report = _allowance(year, month, bool(query.pay_late.data))
        except InputError as exc:
            error = word(exc)
    # A first visit (no filters) is not a bad request, even when the month cannot be reported yet.
    status = 400 if report is None and request.args else 200
    return render_template("planner/allowance.html", query=query, report=report, error=error), status


@bp.get("/reports/allowance/<int:year>/<int:month>.<any(xlsx, csv):fmt>")
@role_required(*PLANNERS)
def allowance_file(year: int, month: int, fmt: str) -> Response:
    """The month's allowance as a spreadsheet (?by=firm sums per firm; ?pay_late=y pays late duties)."""
    by = "firm" if request.args.get("by") == "firm" else "lawyer"
    report = _allowance(year, month, request.args.get("pay_late", "") in ("y", "1", "on", "true"))
    data = allowance_bytes(report, f".{fmt}", by, bureau=settings().bureau_name)
    return _download(data, fmt, f"allowance-{year}-{month:02d}-{by}.{fmt}")


def _assessment(year: int, threshold: int) -> AssessmentReport:
    return annual_assessment(db_session(), year, absence_threshold=threshold, today=today(), scope=current_scope())


ASSESSMENT_PAGE_SIZE = 30  # lawyers per page: a prefecture has hundreds, and one long table is unreadable


@bp.get("/reports/assessment")
@role_required(*PLANNERS)
def assessment() -> ResponseReturnValue:
    """The year's assessment per lawyer (a page at a time), with the flagged lawyers and the chart of duties
    served and absences; a first visit opens on the current year."""
    query = AssessmentQuery()
    asked = "year" in request.args or "threshold" in request.args
    if not asked:
        # A first visit shows this year's report at once instead of an empty form that says "required".
        query.year.data, query.threshold.data = today().year, DEFAULT_ABSENCE_THRESHOLD
    report, chart, rows, proposed = None, None, None, None
    if not asked or query.validate():
        assert query.year.data is not None
        report = _assessment(query.year.data, query.threshold.data or DEFAULT_ABSENCE_THRESHOLD)
        chart = Markup(assessment_chart(report, settings().bureau_name))  # the chart escapes every text it draws
        graded = graded_rows(db_session(), report)
        proposed = commendations(graded, configured_rules(db_session())[1]) if any(g.final for g in graded) else None
        number = min(page_number(request.args.get("page")), max(1, -(-len(graded) // ASSESSMENT_PAGE_SIZE)))
        first = (number - 1) * ASSESSMENT_PAGE_SIZE
        rows = Page(graded[first : first + ASSESSMENT_PAGE_SIZE], number, ASSESSMENT_PAGE_SIZE, len(graded))
    status = 400 if report is None and request.args else 200
    page = render_template(
        "planner/assessment.html",
        query=query,
        report=report,
        chart=chart,
        rows=rows,
        proposed=proposed,
        compute_form=ComputeGradesForm(),
        override_form=OverrideGradeForm(formdata=None),
    )
    return page, status


def _back(year: int) -> ResponseReturnValue:
    page = request.form.get("page", "")
    return redirect(url_for("planner.assessment", year=year, page=page if page.isdigit() else None))


@bp.post("/reports/assessment/<int:year>/grades")
@role_required(*PLANNERS)
def compute_assessment_grades(year: int) -> ResponseReturnValue:
    """Compute (or recompute) the grades of the year's lawyers the account may see; overrides are kept."""
    if not ComputeGradesForm().validate():
        return _back(year)
    db = db_session()
    count = compute_grades(db, _assessment(year, DEFAULT_ABSENCE_THRESHOLD), actor())
    db.commit()
    flash(_("已计算 %(count)s 名律师的考核等次（人工调整保留）。", count=count), "info")
    return _back(year)


@bp.post("/reports/assessment/<int:year>/grade/<licence>")
@role_required(*PLANNERS)
def override_assessment_grade(year: int, licence: str) -> ResponseReturnValue:
    """Override one lawyer's grade with a reason (audited); a lawyer outside the account's offices: 403."""
    form = OverrideGradeForm()
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return _back(year)
    db = db_session()
    try:
        override_grade(
            db,
            _assessment(year, DEFAULT_ABSENCE_THRESHOLD),
            licence,
            form.grade.data or "",
            form.reason.data or "",
            actor(),
        )
    except OutOfScope:
        raise  # the application answers 403
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return _back(year)
    db.commit()
    flash(_("已调整考核等次。"), "info")
    return _back(year)


@bp.get("/reports/assessment/<int:year>/print")
@role_required(*PLANNERS)
def assessment_print(year: int) -> ResponseReturnValue:
    """The year's assessment for the joint meeting (联席会议): A4, Chinese, no navigation."""
    if not 2000 <= year <= 2100:
        abort(404)
    report = _assessment(year, DEFAULT_ABSENCE_THRESHOLD)
    graded = graded_rows(db_session(), report)
    return render_template(
        "planner/assessment_print.html",
        report=report,
        rows=graded,
        proposed=commendations(graded, configured_rules(db_session())[1]),
        bureau=settings().bureau_name,
        issued=today(),
    )


@bp.get("/reports/assessment/<int:year>.<any(xlsx, csv, svg):fmt>")
@role_required(*PLANNERS)
def assessment_file(year: int, fmt: str) -> Response:
    """The year's assessment as a spreadsheet, or its chart as SVG (?threshold=N flags N absences)."""
    threshold = request.args.get("threshold", "")
    report = _assessment(year, int(threshold) if threshold.isdigit() else DEFAULT_ABSENCE_THRESHOLD)
    bureau = settings().bureau_name
    if fmt == "svg":
        data = chart_bytes(report, bureau=bureau)
    else:
        grading = sheet_grading(graded_rows(db_session(), report), configured_rules(db_session())[1])
        data = assessment_bytes(report, f".{fmt}", bureau=bureau, grading=grading)
    return _download(data, fmt, f"assessment-{year}.{fmt}")
