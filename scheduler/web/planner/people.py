"""Offices, law firms and lawyers: list, search, edit, and import from a spreadsheet."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session
from werkzeug.datastructures import FileStorage

from scheduler.core.errors import FieldError, InputError
from scheduler.core.paging import page_number
from scheduler.core.tabular import Column
from scheduler.people import lawyer_sheets as lawyer_io
from scheduler.people import scope
from scheduler.people.directory import (
    OfficeRow,
    firm_row,
    firm_rows,
    lawyer_page,
    lawyer_record,
    office_row,
    office_rows,
    save_firm,
    save_lawyer,
    save_office,
)
from scheduler.web import db_session, today
from scheduler.web.auth import actor, current_scope, require_every_office, require_offices, role_required
from scheduler.web.forms import (
    FirmForm,
    LawyerForm,
    OfficeForm,
    UploadForm,
    field_error,
)
from scheduler.web.i18n import local, word
from scheduler.web.planner.blueprint import PLANNERS, bp
from scheduler.web.uploads import file_problems


@contextmanager
def uploaded(storage: FileStorage) -> Iterator[Path]:
    """The uploaded file saved in a private temporary folder, under its own name (the importers' messages
    name the file, as the planner knows it); removed afterwards."""
    # Only the last part of the name, without characters a file system refuses; the suffix chose the format.
    name = re.sub(r'[\x00-\x1f<>:"|?*]', "_", Path((storage.filename or "").replace("\\", "/")).name)[-120:]
    suffix = Path(name).suffix.lower()
    if name in ("", ".", "..") or name.startswith("."):
        name = f"upload{suffix}"
    with tempfile.TemporaryDirectory(prefix="scheduler-upload-") as folder:
        path = Path(folder) / name
        storage.save(path)
        yield path


# --- offices -------------------------------------------------------------------------------------


def office_label(office: OfficeRow) -> str:
    """An office as a choice in a form: its name in the reader's language (its code is no word a reader uses)."""
    return local(office.fields.name, office.fields.name_en)


@bp.get("/offices")
@role_required(*PLANNERS)
def offices() -> str:
    """Every petition office with its window day, hours and number of lawyers."""
    return render_template("planner/offices.html", offices=office_rows(db_session(), current_scope()))


def _office_form(office_id: int | None) -> ResponseReturnValue:
    db = db_session()
    if office_id is None:
        require_every_office()  # a new office is the prefecture's to add
    else:
        require_offices({office_id})
    current = office_row(db, office_id) if office_id is not None else None
    form = OfficeForm()
    if current is not None and not form.is_submitted():
        form.fill(current.fields)
    if form.validate_on_submit():
        try:
            save_office(db, office_id, form.code.data or "", form.value(), actor())
        except FieldError as exc:
            db.rollback()
            field_error(form, exc)
        else:
            db.commit()
            flash(_("已保存信访局 %(name)s。", name=form.name.data), "info")
            return redirect(url_for("planner.offices"))
    status = 400 if form.is_submitted() else 200
    return render_template("planner/office_form.html", form=form, office=current), status


@bp.route("/offices/new", methods=["GET", "POST"])
@role_required(*PLANNERS)
def new_office() -> ResponseReturnValue:
    """Add a petition office."""
    return _office_form(None)


@bp.route("/offices/<int:office_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def edit_office(office_id: int) -> ResponseReturnValue:
    """Change an office: name, window day and hours, holiday policy, notice texts."""
    return _office_form(office_id)


# --- law firms -----------------------------------------------------------------------------------


@bp.get("/firms")
@role_required(*PLANNERS)
def firms() -> str:
    """Every law firm with its credit code and number of lawyers."""
    return render_template("planner/firms.html", firms=firm_rows(db_session()))


def _firm_form(firm_id: int | None) -> ResponseReturnValue:
    db = db_session()
    current = firm_row(db, firm_id) if firm_id is not None else None
    form = FirmForm(obj=current) if current is not None and request.method == "GET" else FirmForm()
    if form.validate_on_submit():
        try:
            save_firm(db, firm_id, form.name.data or "", form.credit_code.data or "", actor())
        except FieldError as exc:
            db.rollback()
            field_error(form, exc)
        else:
            db.commit()
            flash(_("已保存律师事务所 %(name)s。", name=form.name.data), "info")
            return redirect(url_for("planner.firms"))
    status = 400 if form.is_submitted() else 200
    return render_template("planner/firm_form.html", form=form, firm=current), status


@bp.route("/firms/new", methods=["GET", "POST"])
@role_required(*PLANNERS)
def new_firm() -> ResponseReturnValue:
    """Add a law firm."""
    return _firm_form(None)


@bp.route("/firms/<int:firm_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def edit_firm(firm_id: int) -> ResponseReturnValue:
    """Rename a law firm or correct its credit code."""
    return _firm_form(firm_id)


# --- lawyers -------------------------------------------------------------------------------------


@bp.get("/lawyers")
@role_required(*PLANNERS)
def lawyers() -> str:
    """Lawyers, searched by name, licence number or firm and filtered by office, fifty to a page."""
    db = db_session()
    text, office = request.args.get("q", "")[:60], request.args.get("office", "")[:16]
    number = page_number(request.args.get("page"))
    page = lawyer_page(db, today(), text=text, office_code=office, number=number, scope=current_scope())
    offices = office_rows(db, current_scope())
    return render_template("planner/lawyers.html", page=page, q=text, office=office, offices=offices, form=UploadForm())


def _lawyer_form(db: Session, lawyer_id: int | None) -> ResponseReturnValue:
    if lawyer_id is not None:
        # A lawyer's record serves every office they serve: changing it needs them all.
        require_offices(scope.lawyer_office_ids(db, [lawyer_id]))
    # The offices a posted form names must be held too (a scoped planner is offered only those).
    require_offices({int(x) for x in request.form.getlist("office_ids") if x.isdigit()})
    current = lawyer_record(db, lawyer_id) if lawyer_id is not None else None
    form = LawyerForm()
    held = office_rows(db, current_scope())
    form.choose([(f.id, f.name) for f in firm_rows(db)], [(o.id, office_label(o)) for o in held])
    if current is not None and not form.is_submitted():
        form.fill(current.fields)
    if form.validate_on_submit():
        try:
            save_lawyer(db, lawyer_id, form.licence_no.data or "", form.value(), actor(), today())
        except FieldError as exc:
            db.rollback()
            field_error(form, exc)
        else:
            db.commit()
            flash(_("已保存律师 %(name)s。", name=form.name.data), "info")
            return redirect(url_for("planner.lawyers", q=current.licence_no if current else form.licence_no.data))
    status = 400 if form.is_submitted() else 200
    return render_template("planner/lawyer_form.html", form=form, lawyer=current), status


@bp.route("/lawyers/new", methods=["GET", "POST"])
@role_required(*PLANNERS)
def new_lawyer() -> ResponseReturnValue:
    """Add a lawyer (several at once: import a file)."""
    return _lawyer_form(db_session(), None)


@bp.route("/lawyers/<int:lawyer_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def edit_lawyer(lawyer_id: int) -> ResponseReturnValue:
    """Change a lawyer's details, offices and wishes."""
    return _lawyer_form(db_session(), lawyer_id)


def import_file(
    form: UploadForm,
    importer: Callable[[Session, Path, str], lawyer_io.ImportResult],
    columns: tuple[Column, ...],
    template: str,
    **context: object,
) -> tuple[str, int] | lawyer_io.ImportResult:
    """Run `importer` on the uploaded file; a refused file comes back as its page, with each row's problems."""
    if not form.validate_on_submit():
        return render_template(template, form=form, problems=None, **context), 400
    db = db_session()
    with uploaded(form.file.data) as path:
        try:
            result = importer(db, path, actor())
        except InputError as exc:
            db.rollback()
            problems = file_problems(path, columns, exc)
            return render_template(template, form=form, problems=problems, **context), 400
    db.commit()
    return result


@bp.route("/lawyers/import", methods=["GET", "POST"])
@role_required(*PLANNERS)
def import_lawyers() -> ResponseReturnValue:
    """Import lawyers from .xlsx or .csv; all or nothing, with every problem shown beside its row."""
    require_every_office()  # a file may name any office
    form = UploadForm()
    if request.method == "GET":
        return render_template("planner/import.html", form=form, problems=None, kind="lawyers")
    outcome = import_file(
        form, lawyer_io.import_lawyers, lawyer_io.LAWYER_COLUMNS, "planner/import.html", kind="lawyers"
    )
    if not isinstance(outcome, lawyer_io.ImportResult):
        return outcome
    flash(
        _(
            "导入完成：新增 %(created)s 名，更新 %(updated)s 名，未变 %(unchanged)s 名，新增律所 %(firms)s 家。",
            created=outcome.created,
            updated=outcome.updated,
            unchanged=outcome.unchanged,
            firms=outcome.firms_created,
        ),
        "info",
    )
    for warning in outcome.warnings:
        flash(word(warning), "warning")
    return redirect(url_for("planner.lawyers"))
