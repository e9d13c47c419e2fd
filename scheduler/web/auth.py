"""Signing in and out, and the guards of every area.

Other blueprints protect their views with `@role_required("planner", "admin")` (or `@login_required` for
any signed-in account) and read the signed-in account with `current_account()`, a lawyer's own record
with `current_lawyer_id()`, and the name for audit logs with `actor()`.

Anonymous visitors get 401 (a browser asking for a page is sent to the sign-in page instead);
a signed-in account without the role gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from scheduler.models.accounts import ROLES
from scheduler.people import accounts
from scheduler.web import db_session, limiter, safe_next, wants_json
from scheduler.web.i18n import SESSION_KEY as LANGUAGE_KEY

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True, eq=False)
class Account:
    """The signed-in account as the request sees it: plain values, no ORM object outliving its session."""

    id: int
    username: str
    role: str
    lawyer_id: int | None

    # Flask-Login's user protocol.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


@login_manager.user_loader
def _load_account(user_id: str) -> Account | None:
    # A deactivated or deleted account loses its sessions at the next request.
    user = accounts.account(db_session(), int(user_id)) if user_id.isdigit() else None
    return Account(user.id, user.username, user.role, user.lawyer_id) if user is not None else None


@login_manager.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    if request.method in ("GET", "HEAD") and not wants_json():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(401)


def role_required(*roles: str) -> Callable[[View], View]:
    """Let only signed-in accounts with one of `roles` through: 401 for anonymous, 403 for other roles.

    The allowed roles are kept on the view as `allowed_roles`; tests/web/test_route_security.py reads them.
    """
    unknown = set(roles) - set(ROLES)
    if not roles or unknown:
        raise ValueError(f"role_required needs roles among {ROLES}, got {roles}")

    def decorator(view: View) -> View:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        guarded.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return cast(View, guarded)

    return decorator


login_required = role_required(*ROLES)


def current_account() -> Account:
    """The signed-in account (401 when there is none)."""
    if not current_user.is_authenticated:
        abort(401)
    return cast(Account, current_user._get_current_object())


def current_lawyer_id() -> int:
    """The lawyer record of the signed-in lawyer account (403 for an account that is not a lawyer's)."""
    account = current_account()
    if account.lawyer_id is None:
        abort(403)
    return account.lawyer_id


def actor() -> str:
    """Who the audit log names for a change made in this request."""
    return f"user:{current_account().username}"


# Each area's index ("planner.index", ...) appears in the navigation once the area exists and admits the role.
AREAS = (("lawyer", _l("我的值班")), ("planner", _l("排班")), ("clerk", _l("值班事务")), ("admin", _l("系统管理")))


@dataclass(frozen=True)
class NavLink:
    url: str
    label: str


@bp.app_template_global()
def nav_links() -> list[NavLink]:
    """The areas the signed-in account may enter, for the navigation bar."""
    if not current_user.is_authenticated:
        return []
    links = []
    for area, label in AREAS:
        view = current_app.view_functions.get(f"{area}.index")
        if view is not None and current_user.role in getattr(view, "allowed_roles", ()):
            links.append(NavLink(url_for(f"{area}.index"), str(label)))
    return links


def home_for(role: str) -> str:
    """Where an account lands after signing in: its area's index ("planner.index", ...) once that area exists."""
    endpoint = f"{role}.index"
    return url_for(endpoint) if endpoint in current_app.view_functions else url_for("public.index")


class LoginForm(FlaskForm):
    username = StringField(_l("用户名"), validators=[DataRequired(), Length(max=60)])
    password = PasswordField(_l("密码"), validators=[DataRequired(), Length(max=accounts.MAX_PASSWORD)])
    next = HiddenField()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: str(current_app.config["LOGIN_RATE_LIMIT"]), methods=["POST"])
def login() -> ResponseReturnValue:
    """The sign-in form; a success starts a fresh session and goes back to where the visitor came from."""
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    db = db_session()
    user = accounts.authenticate(db, form.username.data or "", form.password.data or "")
    db.commit()  # the failure count or the time of this sign-in
    if user is None:
        flash(_("用户名或密码不正确。"), "error")
        return render_template("auth/login.html", form=form)
    language = session.get(LANGUAGE_KEY)
    session.clear()  # nothing from before the sign-in survives into the account's session
    if language:
        session[LANGUAGE_KEY] = language
    login_user(Account(user.id, user.username, user.role, user.lawyer_id))
    return redirect(safe_next(form.next.data, home_for(user.role)))


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Sign out and go to the public notice."""
    logout_user()
    flash(_("已退出登录。"), "info")
    return redirect(url_for("public.index"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    # "basic": a session moved to another address is marked not fresh rather than dropped (phones roam).
    login_manager.session_protection = "basic"
