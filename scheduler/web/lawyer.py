"""A lawyer's own pages: duties, the personal calendar feed (with its QR code and rotation), swap requests."""

from __future__ import annotations

from functools import lru_cache

import segno
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.wrappers import Response
from wtforms import SelectField, TextAreaField
from wtforms.validators import Length

from scheduler.calendars.feeds import feed_url, private_path, webcal_url
from scheduler.calendars.rotation import rotate_and_republish
from scheduler.models.changes import SwapRequest
from scheduler.models.rosters import utcnow
from scheduler.rosters import swap_requests
from scheduler.rosters.duty_history import changes_to_duties
from scheduler.rosters.lawyer_duties import (
    LawyerProfile,
    SwapOptions,
    lawyer_duties,
    lawyer_profile,
    swap_options,
    swap_requests_of,
)
from scheduler.web import db_session, settings, today
from scheduler.web.auth import actor, current_lawyer_id, role_required
from scheduler.web.i18n import local

bp = Blueprint("lawyer", __name__, url_prefix="/me")


@bp.after_request
def _private(response: Response) -> Response:
    # These pages show the secret feed address: no shared cache, no Referer carrying it to another site.
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _profile_or_403() -> LawyerProfile:
    profile = lawyer_profile(db_session(), current_lawyer_id())
    if profile is None:
        abort(403)
    return profile


def _options_or_404(duty_id: int) -> SwapOptions:
    """The swap choices of one of the signed-in lawyer's upcoming published duties; 404 for any other duty."""
    options = swap_options(db_session(), current_lawyer_id(), duty_id, today())
    if options is None:
        abort(404)
    return options


def _my_request(request_id: int) -> SwapRequest:
    """A swap request the signed-in lawyer made or was asked; 404 for anyone else's (its existence stays private)."""
    request = swap_requests.get(db_session(), request_id)
    if current_lawyer_id() not in (request.from_lawyer_id, request.to_lawyer_id):
        abort(404)
    return request


@lru_cache(maxsize=1024)
def feed_qr_svg(url: str) -> Markup:
    """An inline SVG QR code of `url` (no file, no external service).

    Cached: drawing it is most of the lawyer page's time, and a lawyer's URL changes only on rotation.
    """
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff", title=url)
    return Markup(svg)  # segno writes the markup itself and escapes the URL in <title>


@bp.get("/")
@role_required("lawyer")
def index() -> str:
    """The lawyer's duties (upcoming and past), what changed in them, the calendar subscription, and the swap
    requests."""
    profile = _profile_or_403()
    url = feed_url(settings(), private_path(profile.calendar_token))
    return render_template(
        "lawyer/index.html",
        profile=profile,
        duties=lawyer_duties(db_session(), profile.id, today()),
        changes=changes_to_duties(db_session(), profile.id, today()),
        requests=swap_requests_of(db_session(), profile.id),
        feed={"https": url, "webcal": webcal_url(url)},
        qr=feed_qr_svg(url),
    )


@bp.post("/calendar/rotate")
@role_required("lawyer")
def rotate_calendar() -> ResponseReturnValue:
    """Give the lawyer a new feed address; the old one answers 404 from now on, static file included."""
    profile = _profile_or_403()
    rotation = rotate_and_republish(db_session(), profile.licence_no, actor(), "rotated by the lawyer", utcnow())
    if rotation.error:
        # The token changed, but the static copy of the old feed could not be removed: say so honestly.
        flash(_("已生成新的订阅地址，但日历文件未能更新，旧地址可能暂时仍可访问。请联系管理员。"), "warning")
    else:
        flash(_("已生成新的订阅地址，旧地址已失效。请在日历应用中重新订阅。"), "info")
    return redirect(url_for("lawyer.index"))


class SwapForm(FlaskForm):
    to_lawyer = SelectField(_l("交给哪位律师"), coerce=int)
    # "" for a plain offer, else "LAWYER_ID:DUTY_ID": the colleague's duty taken in return.
    exchange = SelectField(_l("换取对方的值班（可选）"), default="")
    message = TextAreaField(_l("留言（可选）"), validators=[Length(max=500)])

    def fill(self, options: SwapOptions) -> None:
        self.to_lawyer.choices = [(c.id, f"{c.name}（{c.firm}）" if c.firm else c.name) for c in options.colleagues]
        self.exchange.choices = [("", _("不换取，只请对方代班"))] + [
            (
                f"{e.lawyer_id}:{e.duty.duty_id}",
                f"{e.lawyer_name} · {e.duty.date.isoformat()} {local(e.duty.office_name, e.duty.office_name_en)}",
            )
            for e in options.exchanges
        ]

    def exchange_duty_id(self) -> int | None:
        """The exchanged duty, or None; a wrong colleague for it is a form error (and None)."""
        if not self.exchange.data:
            return None
        lawyer_id, duty_id = (int(part) for part in str(self.exchange.data).split(":"))
        if lawyer_id != self.to_lawyer.data:
            self.exchange.errors = [_("所选的值班不是这位律师的。")]
            return None
        return duty_id


@bp.route("/duties/<int:duty_id>/swap", methods=["GET", "POST"])
@role_required("lawyer")
def swap(duty_id: int) -> ResponseReturnValue:
    """Offer one of the lawyer's upcoming duties to a colleague, or propose an exchange of duties."""
    options = _options_or_404(duty_id)
    form = SwapForm()
    form.fill(options)
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("lawyer/swap.html", options=options, form=form), status
    exchange = form.exchange_duty_id()
    if form.exchange.errors:
        return render_template("lawyer/swap.html", options=options, form=form), 400
    db = db_session()
    swap_requests.create(
        db,
        duty_id,
        current_lawyer_id(),
        form.to_lawyer.data,
        exchange_duty_id=exchange,
        message=(form.message.data or "").strip(),
        today=today(),
    )
    db.commit()
    flash(_("换班请求已发出，等待对方答复。"), "info")
    return redirect(url_for("lawyer.index"))


def _answer(request_id: int, agree: bool) -> ResponseReturnValue:
    request = _my_request(request_id)
    db = db_session()
    swap_requests.respond(
        db, request.id, current_lawyer_id(), agree, auto_approve=settings().auto_approve_swaps, today=today()
    )
    db.commit()
    flash(_("已同意换班请求。") if agree else _("已拒绝换班请求。"), "info")
    return redirect(url_for("lawyer.index"))


@bp.post("/swap-requests/<int:request_id>/accept")
@role_required("lawyer")
def accept(request_id: int) -> ResponseReturnValue:
    """Agree to a colleague's request (a clerk then approves it, unless approval is automatic)."""
    return _answer(request_id, True)


@bp.post("/swap-requests/<int:request_id>/decline")
@role_required("lawyer")
def decline(request_id: int) -> ResponseReturnValue:
    """Turn a colleague's request down."""
    return _answer(request_id, False)


@bp.post("/swap-requests/<int:request_id>/withdraw")
@role_required("lawyer")
def withdraw(request_id: int) -> ResponseReturnValue:
    """Take back one's own open request."""
    request = _my_request(request_id)
    db = db_session()
    swap_requests.withdraw(db, request.id, current_lawyer_id())
    db.commit()
    flash(_("换班请求已撤回。"), "info")
    return redirect(url_for("lawyer.index"))
