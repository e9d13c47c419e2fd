"""Joint meetings' minutes (会议纪要) and decisions (议定事项), for staff only: upload, download, decide."""

from __future__ import annotations

import datetime as dt

from flask import Response, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from scheduler.attendance import meeting_minutes
from scheduler.core.errors import FieldError, SchedulerError
from scheduler.models import JointMeeting, MeetingDecision
from scheduler.web import db_session, today
from scheduler.web.auth import actor, require_offices, role_required
from scheduler.web.clerk.blueprint import CLERKS, bp
from scheduler.web.forms import RangeForm, field_error
from scheduler.web.i18n import word
from scheduler.web.record_forms import DecisionForm, MinutesForm, RemoveForm


def _page(
    failed: int | None = None, minutes: MinutesForm | None = None, decision: DecisionForm | None = None
) -> tuple[str, int]:
    start, end = RangeForm().span(*meeting_minutes.default_span(today()))
    page = render_template(
        "clerk/meetings.html",
        records=meeting_minutes.meeting_records(db_session(), start, end),
        start=start,
        end=end,
        failed=failed,
        minutes=minutes or MinutesForm(formdata=None),
        decision=decision or DecisionForm(formdata=None),
        done_form=RemoveForm(formdata=None),
    )
    return page, 200 if failed is None else 400


def _held_meeting(meeting_id: int | None) -> None:
    """403 unless the account holds the office of an office's own meeting (a prefecture-wide one has none)."""
    meeting = db_session().get(JointMeeting, meeting_id) if meeting_id is not None else None
    if meeting is not None and meeting.office_id is not None:
        require_offices({meeting.office_id})


def _refused(form: MinutesForm | DecisionForm, exc: SchedulerError) -> None:
    db_session().rollback()
    if isinstance(exc, FieldError):
        field_error(form, exc)
    else:
        form.form_errors.append(word(exc))


@bp.get("/meetings")
@role_required(*CLERKS)
def meetings() -> tuple[str, int]:
    """The joint meetings held (past year, next quarter), each with its minutes and decisions."""
    return _page()


@bp.post("/meetings/<int:meeting_id>/minutes")
@role_required(*CLERKS)
def upload_minutes(meeting_id: int) -> ResponseReturnValue:
    """Upload the minutes of one meeting's occurrence (PDF, DOCX or ODT, at most 5 MB); replaces the old file."""
    _held_meeting(meeting_id)
    form = MinutesForm()
    if form.validate_on_submit():
        upload = form.document.data
        # One byte over the limit is enough to refuse the file; a bigger one is not read further.
        data = upload.read(meeting_minutes.MAX_MINUTES_BYTES + 1)
        db = db_session()
        try:
            meeting_minutes.upload_minutes(db, meeting_id, form.meeting_date.data, upload.filename or "", data, actor())
        except SchedulerError as exc:
            _refused(form, exc)
        else:
            db.commit()
            flash(_("已上传会议纪要。"), "info")
            return redirect(url_for("clerk.meetings"))
    return _page(meeting_id, minutes=form)


@bp.get("/meetings/<int:meeting_id>/minutes/<meeting_date>")
@role_required(*CLERKS)
def minutes_file(meeting_id: int, meeting_date: str) -> Response:
    """The minutes as a download (never shown inline: the browser must not run anything in it)."""
    try:
        day = dt.date.fromisoformat(meeting_date)
    except ValueError:
        raise meeting_minutes.MinutesMissing() from None
    row = meeting_minutes.minutes_file(db_session(), meeting_id, day)
    ascii_name = f"minutes-{meeting_id}-{day}.{row.kind}"
    response = Response(row.content, mimetype=meeting_minutes.MEDIA_TYPES[row.kind])
    response.headers["Content-Disposition"] = f'attachment; filename="{ascii_name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/meetings/<int:meeting_id>/decisions")
@role_required(*CLERKS)
def add_decision(meeting_id: int) -> ResponseReturnValue:
    """Add a decision of one meeting's occurrence, with its owner and due date."""
    _held_meeting(meeting_id)
    form = DecisionForm()
    if form.validate_on_submit():
        db = db_session()
        try:
            meeting_minutes.add_decision(
                db,
                meeting_id,
                form.meeting_date.data,
                form.text.data or "",
                form.owner.data or "",
                form.due.data,
                actor(),
            )
        except SchedulerError as exc:
            _refused(form, exc)
        else:
            db.commit()
            flash(_("已添加议定事项。"), "info")
            return redirect(url_for("clerk.meetings"))
    return _page(meeting_id, decision=form)


@bp.post("/decisions/<int:decision_id>/<any(done, open):state>")
@role_required(*CLERKS)
def decision_state(decision_id: int, state: str) -> ResponseReturnValue:
    """Mark a decision carried out, or open again."""
    decision = db_session().get(MeetingDecision, decision_id)
    _held_meeting(decision.meeting_id if decision is not None else None)
    form = RemoveForm()
    if form.validate_on_submit():
        db = db_session()
        meeting_minutes.set_decision_done(db, decision_id, state == "done", actor())
        db.commit()
        flash(_("已更新议定事项。"), "info")
    return redirect(url_for("clerk.meetings"))
