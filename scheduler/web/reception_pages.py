"""What the clerk's and the lawyer's reception pages share: filling the consultation form and recording it."""

from __future__ import annotations

from flask_babel import gettext as _

from scheduler.attendance import consultations
from scheduler.core.errors import FieldError, SchedulerError
from scheduler.web import db_session, today
from scheduler.web.forms import field_error, options
from scheduler.web.i18n import word
from scheduler.web.record_forms import ConsultationForm


def consultation_form(lawyers: list[tuple[int, str]]) -> ConsultationForm:
    """The form with the active categories and the lawyers who served the duty to choose from."""
    form = ConsultationForm()
    form.lawyer.choices = options(lawyers)
    form.category.choices = options((c.id, c.name) for c in consultations.categories(db_session(), active_only=True))
    return form


def record_from(form: ConsultationForm, duty_id: int, lawyer_id: int, actor: str) -> bool:
    """Record the form's consultation; False (and the refusal beside its field, nothing written) when refused."""
    if not form.validate_on_submit():
        return False
    db = db_session()
    spec = consultations.ConsultationSpec(
        duty_id=duty_id,
        lawyer=lawyer_id,
        time=form.time.data,
        visitors=form.visitors.data or 0,
        category=form.category.data or "",
        referral=form.referral.data or "",
        advice=form.advice.data or "",
    )
    try:
        consultations.record_consultation(db, spec, actor, today=today())
    except SchedulerError as exc:
        db.rollback()
        if isinstance(exc, FieldError):
            field_error(form, exc)
        else:
            form.form_errors.append(word(exc))
        return False
    db.commit()
    return True


def saved_message() -> str:
    return _("已登记接待。")
