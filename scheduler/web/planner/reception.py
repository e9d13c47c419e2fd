"""The reception log's monthly statistics (on screen and as .xlsx) and its list of categories."""

from __future__ import annotations

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from scheduler.attendance import consultations
from scheduler.attendance.reception_stats import ReceptionMonth, reception_month, reception_tables
from scheduler.attendance.reports.excel import xlsx_bytes
from scheduler.attendance.reports.export import MEDIA_TYPES
from scheduler.core.errors import FieldError, SchedulerError
from scheduler.web import db_session, settings, today
from scheduler.web.auth import actor, role_required
from scheduler.web.forms import field_error
from scheduler.web.i18n import word
from scheduler.web.planner.blueprint import PLANNERS, bp
from scheduler.web.record_forms import CategoryForm, MonthQuery


@bp.get("/reports/reception")
@role_required(*PLANNERS)
def reception_report() -> ResponseReturnValue:
    """A month of the reception log per office and per lawyer, by category and referral."""
    query = MonthQuery()
    asked = query.year_month((today().year, today().month))
    report: ReceptionMonth | None = None
    if asked is not None:
        try:
            report = reception_month(db_session(), *asked)
        except SchedulerError as exc:
            query.month.errors = [word(exc)]
    status = 200 if report is not None else 400
    return render_template("planner/reception.html", query=query, report=report), status


@bp.get("/reports/reception/<int:year>/<int:month>.xlsx")
@role_required(*PLANNERS)
def reception_file(year: int, month: int) -> Response:
    """The month's statistics as an .xlsx workbook: one sheet per office, one per lawyer."""
    report = reception_month(db_session(), year, month)
    data = xlsx_bytes(reception_tables(report, settings().bureau_name))
    return Response(
        data,
        mimetype=MEDIA_TYPES[".xlsx"],
        headers={"Content-Disposition": f'attachment; filename="reception-{year}-{month:02d}.xlsx"'},
    )


def _categories_page(form: CategoryForm, status: int = 200) -> tuple[str, int]:
    rows = consultations.categories(db_session())
    return render_template("planner/categories.html", rows=rows, form=form), status


@bp.route("/reception/categories", methods=["GET", "POST"])
@role_required(*PLANNERS)
def reception_categories() -> ResponseReturnValue:
    """The categories of the reception log; a new one is added at the end."""
    form = CategoryForm()
    if not form.is_submitted():
        return _categories_page(form)
    if not form.validate():
        return _categories_page(form, 400)
    db = db_session()
    try:
        consultations.add_category(db, form.name.data or "", actor())
    except FieldError as exc:
        db.rollback()
        field_error(form, exc)
        return _categories_page(form, 400)
    db.commit()
    flash(_("已添加咨询类别。"), "info")
    return redirect(url_for("planner.reception_categories"))


@bp.post("/reception/categories/<int:category_id>")
@role_required(*PLANNERS)
def change_reception_category(category_id: int) -> ResponseReturnValue:
    """Rename a category, or retire it (unticked 在用): old records keep it, new ones cannot choose it."""
    form = CategoryForm()
    db = db_session()
    if form.validate_on_submit():
        try:
            consultations.change_category(db, category_id, form.name.data or "", bool(form.active.data), actor())
        except FieldError as exc:
            db.rollback()
            flash(word(exc), "error")
            return redirect(url_for("planner.reception_categories"))
        db.commit()
        flash(_("已修改咨询类别。"), "info")
    else:
        flash(_("类别名称须为 1 到 40 个字。"), "error")
    return redirect(url_for("planner.reception_categories", _anchor=f"category-{category_id}"))
