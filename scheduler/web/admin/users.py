"""The admin's account pages: the list, a new account, one account's edit form and its password resets."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from scheduler.core.errors import NotFound, SchedulerError
from scheduler.models.accounts import ROLES, User
from scheduler.people import account_admin, accounts
from scheduler.people.directory import office_rows
from scheduler.web import db_session
from scheduler.web.admin.blueprint import ADMINS, bp
from scheduler.web.auth import actor, role_required
from scheduler.web.forms import MultiCheckboxField, options
from scheduler.web.i18n import word

ROLE_LABELS = {"admin": _l("管理员"), "planner": _l("排班员"), "clerk": _l("窗口工作人员"), "lawyer": _l("律师")}


class AccountForm(FlaskForm):
    display_name = StringField(_l("显示名称"), validators=[Optional(), Length(max=accounts.MAX_DISPLAY_NAME)])
    role = SelectField(_l("角色"), choices=options((r, ROLE_LABELS[r]) for r in ROLES))
    all_offices = BooleanField(_l("全部信访局（州级工作人员）"))
    offices = MultiCheckboxField(_l("所属信访局"), coerce=int)
    lawyer = StringField(_l("关联律师的执业证号（仅律师账户）"), validators=[Optional(), Length(max=17)])


class NewAccountForm(AccountForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=60)])


class ActionForm(FlaskForm):
    """The one-button forms (disable, enable, reset): only their CSRF token."""


@bp.app_template_filter("moment")
def moment(value: dt.datetime) -> str:
    """A naive UTC time as the reader's local date and time, e.g. 2026-12-10 14:03."""
    return format_datetime(value.replace(tzinfo=dt.UTC), "yyyy-MM-dd HH:mm", rebase=True)


def _office_choices(form: AccountForm) -> None:
    form.offices.choices = options((o.id, o.fields.name) for o in office_rows(db_session()))


def _username(user_id: int) -> str:
    user = db_session().get(User, user_id)
    if user is None:
        raise NotFound(_("没有这个账户"))
    return user.username


@bp.get("/")
@role_required(*ADMINS)
def index() -> str:
    """Every account with its role, offices, linked lawyer, state and last sign-in."""
    return render_template(
        "admin/index.html", rows=account_admin.account_rows(db_session()), roles=ROLE_LABELS, form=ActionForm()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@role_required(*ADMINS)
def new_user() -> ResponseReturnValue:
    """Create an account; its first password is a temporary one, shown once, to be changed at first sign-in."""
    form = NewAccountForm()
    _office_choices(form)
    if not form.validate_on_submit():
        return render_template("admin/new.html", form=form), 400 if form.is_submitted() else 200
    db = db_session()
    temporary = accounts.temporary_password()
    try:
        user = accounts.create_account(
            db,
            form.username.data or "",
            form.role.data or "",
            temporary,
            lawyer_licence=(form.lawyer.data or "").strip() or None,
            actor=actor(),
            display_name=form.display_name.data or "",
            offices=accounts.resolve_offices(db, form.offices.data or []),
            all_offices=bool(form.all_offices.data),
            must_change_password=True,
        )
    except SchedulerError as exc:
        db.rollback()
        form.form_errors.append(word(exc))
        return render_template("admin/new.html", form=form), 400
    username = user.username
    db.commit()
    return render_template("admin/secret.html", username=username, password=temporary, link=None)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(*ADMINS)
def edit_user(user_id: int) -> ResponseReturnValue:
    """One account: display name, role, offices and linked lawyer; and its password and state."""
    db = db_session()
    row = account_admin.account_row(db, _username(user_id))
    form = AccountForm(
        data={
            "display_name": row.display_name,
            "role": row.role,
            "all_offices": row.all_offices,
            "offices": row.office_ids,
            "lawyer": row.lawyer_licence,
        }
        if request.method == "GET"
        else None
    )
    _office_choices(form)
    page = {"row": row, "form": form, "actions": ActionForm(), "roles": ROLE_LABELS}
    if not form.validate_on_submit():
        return render_template("admin/edit.html", **page), 400 if form.is_submitted() else 200
    try:
        account_admin.update_account(
            db,
            row.username,
            actor(),
            role=form.role.data,
            display_name=form.display_name.data or "",
            offices=accounts.resolve_offices(db, form.offices.data or []),
            all_offices=bool(form.all_offices.data),
            lawyer_licence=(form.lawyer.data or "").strip() or None,
        )
    except SchedulerError as exc:
        db.rollback()
        form.form_errors.append(word(exc))
        return render_template("admin/edit.html", **page), 400
    db.commit()
    flash(_("已保存账户 %(name)s。", name=row.username), "info")
    return redirect(url_for("admin.index"))


def _set_active(user_id: int, active: bool) -> ResponseReturnValue:
    db = db_session()
    username = _username(user_id)
    try:
        accounts.set_active(db, username, active, actor())
    except SchedulerError as exc:
        db.rollback()
        flash(word(exc), "error")
        return redirect(url_for("admin.edit_user", user_id=user_id))
    db.commit()
    if active:
        flash(_("已启用账户 %(name)s。", name=username), "info")
    else:
        flash(_("已停用账户 %(name)s，其登录已全部退出。", name=username), "info")
    return redirect(url_for("admin.index"))


@bp.post("/users/<int:user_id>/disable")
@role_required(*ADMINS)
def disable(user_id: int) -> ResponseReturnValue:
    """Disable an account: no sign-in, and its sessions end at once."""
    return _set_active(user_id, False)


@bp.post("/users/<int:user_id>/enable")
@role_required(*ADMINS)
def enable(user_id: int) -> ResponseReturnValue:
    """Enable an account again (and lift a lockout)."""
    return _set_active(user_id, True)


@bp.post("/users/<int:user_id>/temporary-password")
@role_required(*ADMINS)
def temporary_password(user_id: int) -> ResponseReturnValue:
    """A temporary password, shown once on the answer page; the account must change it at the next sign-in."""
    db = db_session()
    username = _username(user_id)
    password = accounts.issue_temporary_password(db, username, actor())
    db.commit()
    return render_template("admin/secret.html", username=username, password=password, link=None)


@bp.post("/users/<int:user_id>/reset-link")
@role_required(*ADMINS)
def reset_link(user_id: int) -> ResponseReturnValue:
    """A one-time password-reset link (valid 24 hours), shown once on the answer page."""
    db = db_session()
    username = _username(user_id)
    token = accounts.issue_reset_link(db, username, actor())
    db.commit()
    link = url_for("auth.reset", token=token, _external=True)
    return render_template("admin/secret.html", username=username, password=None, link=link)
