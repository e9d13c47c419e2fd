"""Changing the published roster: a duty's ranked swap and cover suggestions, proposals shown with their rule
check before anyone accepts them, and removal or suspension of a lawyer with the replacement proposals.

Nothing changes the roster until a proposal is accepted; accepting publishes the next version.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from scheduler.core.errors import Conflict, SchedulerError
from scheduler.people import scope, standing
from scheduler.people.directory import lawyer_choices
from scheduler.people.standing_views import standing_rows
from scheduler.rosters import proposals
from scheduler.rosters.desk import DutyDesk, duty_desk
from scheduler.rosters.proposal_views import open_proposals, proposal_view
from scheduler.web import db_session, today
from scheduler.web.auth import actor, current_account, current_scope, require_offices, role_required
from scheduler.web.clerk.blueprint import CLERKS, OVERRIDERS, bp
from scheduler.web.forms import CoverForm, DecisionForm, StandingForm, SwapForm, options
from scheduler.web.i18n import word


def _cover_form(desk: DutyDesk) -> CoverForm:
    form = CoverForm()
    form.lawyer_in.choices = options(
        (p.id, _("%(name)s（%(firm)s）", name=p.name, firm=p.firm) if p.firm else p.name) for p in desk.candidates
    )
    return form


def _duty_page(
    duty_id: int, lawyer_id: int | None, cover: CoverForm | None = None, status: int = 200
) -> tuple[str, int]:
    require_offices(scope.duty_offices(db_session(), [duty_id]))
    desk = duty_desk(db_session(), duty_id, lawyer_id, today(), scope=current_scope())
    page = render_template("clerk/duty.html", desk=desk, cover_form=cover or _cover_form(desk), swap_form=SwapForm())
    return page, status


@bp.get("/duties/<int:duty_id>")
@role_required(*CLERKS)
def duty(duty_id: int) -> tuple[str, int]:
    """A published duty's team; for the chosen lawyer (?lawyer=ID) or an open place, ranked covers and swaps."""
    return _duty_page(duty_id, request.args.get("lawyer", type=int))


@bp.post("/duties/<int:duty_id>/cover")
@role_required(*CLERKS)
def cover(duty_id: int) -> ResponseReturnValue:
    """Propose that a lawyer takes another's place on the duty (or an open place); shows the proposal."""
    db = db_session()
    require_offices(scope.duty_offices(db, [duty_id]))
    out = request.form.get("lawyer_out", type=int)
    desk = duty_desk(db, duty_id, out, today(), suggest=False)
    form = _cover_form(desk)
    if not form.validate_on_submit():
        return _duty_page(duty_id, out, form, 400)
    if out is not None and (desk.selected is None or desk.selected.id != out):
        form.lawyer_out.errors = [_("这位律师已不在这次值班中，请刷新页面。")]
        form.form_errors.append(form.lawyer_out.errors[0])
        return _duty_page(duty_id, None, form, 400)
    try:
        proposal = proposals.propose_cover(
            db, duty_id, out, form.lawyer_in.data, actor(), (form.reason.data or "").strip(), today=today()
        )
    except SchedulerError as exc:
        db.rollback()
        form.lawyer_in.errors = [*form.lawyer_in.errors, word(exc)]
        return _duty_page(duty_id, out, form, 400)
    db.commit()
    return redirect(url_for("clerk.proposal", proposal_id=proposal.id))


@bp.post("/duties/<int:duty_id>/swap")
@role_required(*CLERKS)
def swap(duty_id: int) -> ResponseReturnValue:
    """Propose that a lawyer on this duty and a colleague exchange duties; shows the proposal."""
    # Both duties' offices, the form's one included: a swap crossing offices needs an account holding both.
    require_offices(scope.duty_offices(db_session(), [duty_id, request.form.get("duty_b", type=int)]))
    form = SwapForm()
    if not form.validate_on_submit():
        flash(_("换班信息不完整，请从建议列表中选择。"), "error")
        return _duty_page(duty_id, form.lawyer_a.data, status=400)
    assert form.lawyer_a.data and form.duty_b.data and form.lawyer_b.data
    db = db_session()
    try:
        proposal = proposals.propose_swap(
            db,
            duty_id,
            form.lawyer_a.data,
            form.duty_b.data,
            form.lawyer_b.data,
            actor(),
            (form.reason.data or "").strip(),
            today=today(),
        )
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return _duty_page(duty_id, form.lawyer_a.data, status=400)
    db.commit()
    return redirect(url_for("clerk.proposal", proposal_id=proposal.id))


# --- proposals -----------------------------------------------------------------------------------


@bp.get("/proposals")
@role_required(*CLERKS)
def proposal_list() -> str:
    """Proposals waiting for a decision: repairs after a removal or unavailability, swaps and covers not yet decided."""
    return render_template("clerk/proposals.html", proposals=open_proposals(db_session(), current_scope()))


def _proposal_page(proposal_id: int, form: DecisionForm | None = None, status: int = 200) -> tuple[str, int]:
    require_offices(scope.proposal_offices(db_session(), proposal_id))
    page = render_template(
        "clerk/proposal.html",
        proposal=proposal_view(db_session(), proposal_id),
        form=form or DecisionForm(),
        can_override=current_account().role in OVERRIDERS,
    )
    return page, status


@bp.get("/proposals/<int:proposal_id>")
@role_required(*CLERKS)
def proposal(proposal_id: int) -> tuple[str, int]:
    """A proposal before it is accepted: who leaves and joins which duty, the hard rules it would break, and
    the change of the objective term by term."""
    return _proposal_page(proposal_id)


@bp.post("/proposals/<int:proposal_id>/accept")
@role_required(*CLERKS)
def accept(proposal_id: int) -> ResponseReturnValue:
    """Accept a proposal: the roster's next version is published. Breaking a hard rule needs a planner's reason."""
    require_offices(scope.proposal_offices(db_session(), proposal_id))
    form = DecisionForm()
    if not form.validate_on_submit():
        return _proposal_page(proposal_id, form, 400)
    reason = (form.override_reason.data or "").strip()
    if reason and current_account().role not in OVERRIDERS:
        abort(403)
    db = db_session()
    try:
        roster = proposals.accept(db, proposal_id, actor(), override_reason=reason or None, today=today())
    except Conflict as exc:
        db.rollback()
        form.override_reason.errors = [*form.override_reason.errors, word(exc)]
        return _proposal_page(proposal_id, form, 409)
    db.commit()
    flash(_("已采纳，排班表第 %(version)s 版已发布。", version=roster.version), "info")
    return redirect(url_for("clerk.proposal", proposal_id=proposal_id))


@bp.post("/proposals/<int:proposal_id>/discard")
@role_required(*CLERKS)
def discard(proposal_id: int) -> ResponseReturnValue:
    """Discard a proposal; the roster stays as it is."""
    db = db_session()
    require_offices(scope.proposal_offices(db, proposal_id))
    try:
        proposals.discard(db, proposal_id, actor())
    except Conflict as exc:
        db.rollback()
        flash(word(exc), "error")
        return redirect(url_for("clerk.proposal", proposal_id=proposal_id))
    db.commit()
    flash(_("已放弃这项变更，排班表未改动。"), "info")
    return redirect(url_for("clerk.proposal_list"))


# --- removal and suspension ----------------------------------------------------------------------


def _standing_page(form: StandingForm, status: int = 200) -> tuple[str, int]:
    db = db_session()
    form.licence.choices = options([("", _("请选择律师")), *lawyer_choices(db, current_scope())])
    rows = standing_rows(db, today(), current_scope())
    return render_template("clerk/standing.html", form=form, rows=rows), status


@bp.get("/standing")
@role_required(*CLERKS)
def standing_page() -> tuple[str, int]:
    """Suspensions and removals in force, and the form to suspend, remove or reinstate a lawyer."""
    return _standing_page(StandingForm())


@bp.post("/standing")
@role_required(*CLERKS)
def change_standing() -> ResponseReturnValue:
    """Suspend, remove or reinstate a lawyer; their published duties from that day get replacement proposals."""
    form = StandingForm()
    # A lawyer's standing changes their duties at every office they serve: the account must hold them all.
    require_offices(scope.licence_offices(db_session(), request.form.get("licence", "")))
    form.licence.choices = options([("", ""), *lawyer_choices(db_session(), current_scope())])
    if not form.validate_on_submit():
        return _standing_page(form, 400)
    assert form.start.data
    db, licence, reason = db_session(), form.licence.data or "", (form.reason.data or "").strip()
    try:
        if form.action.data == "remove":
            made = standing.remove(db, licence, form.start.data, reason, actor(), today=today())
        elif form.action.data == "suspend":
            assert form.end.data
            made = standing.suspend(db, licence, form.start.data, form.end.data, reason, actor(), today=today())
        else:
            standing.reinstate(db, licence, form.start.data, reason, actor())
            made = []
    except SchedulerError as exc:
        db.rollback()
        form.licence.errors = [*form.licence.errors, word(exc)]
        return _standing_page(form, 400)
    db.commit()
    if not made:
        flash(_("已保存。已发布的排班中没有需要补位的值班。"), "info")
        return redirect(url_for("clerk.standing_page"))
    flash(_("已保存。已生成 %(count)s 项补位方案，请逐项查看后采纳。", count=len(made)), "info")
    if len(made) == 1:
        return redirect(url_for("clerk.proposal", proposal_id=made[0].id))
    return redirect(url_for("clerk.proposal_list"))
