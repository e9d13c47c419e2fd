"""A lawyer's own records (at /me/records): the reception log of the duties they served, their trainings.

A blueprint of its own beside scheduler.web.lawyer, under the same /me prefix and the same privacy headers.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from scheduler.attendance import consultations, training
from scheduler.web import db_session, today
from scheduler.web.auth import actor, current_lawyer_id, role_required
from scheduler.web.reception_pages import consultation_form, record_from, saved_message
from scheduler.web.record_forms import RemoveForm

bp = Blueprint("my_records", __name__, url_prefix="/me/records")
RECEPTION_DAYS = 92  # a quarter of served duties


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/reception")
@role_required("lawyer")
def reception() -> str:
    """The duties the lawyer served in the last quarter, each with the consultations logged."""
    duties = consultations.served_duties(
        db_session(), today() - dt.timedelta(days=RECEPTION_DAYS), today(), lawyer_id=current_lawyer_id()
    )
    return render_template("lawyer/reception.html", duties=duties)


@bp.route("/reception/duties/<int:duty_id>", methods=["GET", "POST"])
@role_required("lawyer")
def reception_duty(duty_id: int) -> ResponseReturnValue:
    """The lawyer's consultations on one duty they served, and the form to log another."""
    db = db_session()
    me = current_lawyer_id()
    duty = consultations.duty_of(db, duty_id)
    served = me in consultations.servers_of(db, duty_id)
    form = consultation_form([])
    status = 200
    if form.is_submitted():
        if record_from(form, duty_id, me, actor()):
            flash(saved_message(), "info")
            return redirect(url_for("my_records.reception_duty", duty_id=duty_id))
        status = 400
    page = render_template(
        "lawyer/reception_duty.html",
        duty=duty,
        served=served,
        rows=consultations.consultations_of(db, duty_id, lawyer_id=me),
        form=form,
        remove_form=RemoveForm(formdata=None),
    )
    return page, status


@bp.post("/reception/consultations/<int:consultation_id>/remove")
@role_required("lawyer")
def remove_consultation(consultation_id: int) -> ResponseReturnValue:
    """Delete one of the lawyer's own consultations entered by mistake (anyone else's: 404)."""
    form = RemoveForm()
    if not form.validate_on_submit():
        return redirect(url_for("my_records.reception"))
    db = db_session()
    duty_id = consultations.remove_consultation(db, consultation_id, actor(), lawyer_id=current_lawyer_id())
    db.commit()
    flash(_("已删除这条接待登记。"), "info")
    return redirect(url_for("my_records.reception_duty", duty_id=duty_id))


@bp.get("/trainings")
@role_required("lawyer")
def trainings() -> str:
    """The trainings the lawyer is invited to, with how each went."""
    return render_template(
        "lawyer/trainings.html", rows=training.trainings_of(db_session(), current_lawyer_id()), today=today()
    )
