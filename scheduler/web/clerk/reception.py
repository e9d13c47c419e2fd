"""The reception log (接待登记) kept by a clerk for the lawyers: served duties and their consultations."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from scheduler.attendance import consultations
from scheduler.models import Consultation
from scheduler.people import scope
from scheduler.web import db_session, today
from scheduler.web.auth import actor, office_scoped, require_offices, role_required
from scheduler.web.clerk.blueprint import CLERKS, bp
from scheduler.web.forms import RangeForm
from scheduler.web.reception_pages import consultation_form, record_from, saved_message
from scheduler.web.record_forms import RemoveForm

RECEPTION_DAYS = 31  # the list shows the past month unless asked otherwise


@bp.get("/reception")
@role_required(*CLERKS)
def reception() -> str:
    """The duties served in a date range, each with the number of consultations and visitors logged."""
    start, end = RangeForm().span(today() - dt.timedelta(days=RECEPTION_DAYS), today())
    duties = consultations.served_duties(db_session(), start, end)
    return render_template("clerk/reception.html", duties=duties, start=start, end=end)


@bp.route("/reception/duties/<int:duty_id>", methods=["GET", "POST"])
@role_required(*CLERKS)
@office_scoped
def reception_duty(duty_id: int) -> ResponseReturnValue:
    """A served duty's consultations, and the form to log one for a lawyer who served it."""
    db = db_session()
    duty = consultations.duty_of(db, duty_id)
    servers = sorted(
        (consultations.find_lawyer(db, lawyer_id) for lawyer_id in consultations.servers_of(db, duty_id)),
        key=lambda lawyer: lawyer.licence_no,
    )
    form = consultation_form([(lawyer.id, lawyer.name) for lawyer in servers])
    if form.is_submitted():
        if record_from(form, duty_id, form.lawyer.data or 0, actor()):
            flash(saved_message(), "info")
            return redirect(url_for("clerk.reception_duty", duty_id=duty_id))
        status = 400
    else:
        status = 200
    page = render_template(
        "clerk/reception_duty.html",
        duty=duty,
        servers=servers,
        rows=consultations.consultations_of(db, duty_id),
        form=form,
        remove_form=RemoveForm(formdata=None),
    )
    return page, status


@bp.post("/reception/consultations/<int:consultation_id>/remove")
@role_required(*CLERKS)
def remove_consultation(consultation_id: int) -> ResponseReturnValue:
    """Delete a consultation entered by mistake (one of the offices the account holds)."""
    db = db_session()
    row = db.get(Consultation, consultation_id)
    if row is not None:
        require_offices(scope.duty_offices(db, [row.duty_id]))
    form = RemoveForm()
    if not form.validate_on_submit():
        return redirect(url_for("clerk.reception"))
    duty_id = consultations.remove_consultation(db, consultation_id, actor(), form.reason.data or "")
    db.commit()
    flash(_("已删除这条接待登记。"), "info")
    return redirect(url_for("clerk.reception_duty", duty_id=duty_id))
