"""Signing in and out, and the guards of every area.

Other blueprints protect their views with `@role_required("planner", "admin")` (or `@login_required` for
any signed-in account) and read the signed-in account with `current_account()`, a lawyer's own record
with `current_lawyer_id()`, and the name for audit logs with `actor()`.

Anonymous visitors get 401 (a browser asking for a page is sent to the sign-in page instead);
a signed-in account without the role gets 403.

Offices: `current_scope()` is the signed-in account's OfficeScope (scheduler.people.scope), passed down into
read models and use cases; `@office_scoped` (below `@role_required`) refuses with 403 a URL naming another
office's duty, proposal, swap request, roster or lawyer, and `require_offices(...)` does the same for ids a
form or body names. Also here: one's own password (/account/password) and the one-time reset links.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from limits import RateLimitItem, parse
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from scheduler.audit import record
from scheduler.core.errors import SchedulerError
from scheduler.models.accounts import ROLES, User
from scheduler.models.rosters import utcnow
from scheduler.people import accounts, scope
from scheduler.people.scope import OfficeScope, scope_of
from scheduler.web import db_session, error_response, limiter, safe_next, wants_json
from scheduler.web.i18n import SESSION_KEY as LANGUAGE_KEY
from scheduler.web.i18n import word

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
    display_name: str = ""
    # The offices the account holds (None: every office), computed once per request from the account.
    office_ids: frozenset[int] | None = frozenset()
    must_change_password: bool = False

    # Flask-Login's user protocol.
    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def scope(self) -> OfficeScope:
        return OfficeScope(self.office_ids)

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


def account_of(user: User) -> Account:
    """The request's view of `user`, with the offices it holds."""
    held = scope_of(db_session(), user)
    return Account(
        user.id,
        user.username,
        user.role,
        user.lawyer_id,
        user.display_name,
        held.office_ids,
        user.must_change_password,
    )


SESSION_VERSION_KEY = "_session_version"


@login_manager.user_loader
def _load_account(user_id: str) -> Account | None:
    # A deactivated or deleted account loses its sessions at the next request, and so does a session
    # started before the account's last sign-out, password change or disabling (its version is older).
    user = accounts.account(db_session(), int(user_id)) if user_id.isdigit() else None
    if user is None or session.get(SESSION_VERSION_KEY) != user.session_version:
        return None
    return account_of(user)


@login_manager.unauthorized_handler
def _unauthorized() -> ResponseReturnValue:
    if request.method in ("GET", "HEAD") and not wants_json():
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(401)


# What an account signed in with a temporary password may do before it has chosen its own.
OPEN_WITH_TEMPORARY_PASSWORD = frozenset({"auth.password", "auth.logout"})


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
            if current_user.must_change_password and request.endpoint not in OPEN_WITH_TEMPORARY_PASSWORD:
                # A temporary password opens only the page that replaces it.
                if request.method in ("GET", "HEAD") and not wants_json():
                    return redirect(url_for("auth.password", next=request.full_path.rstrip("?")))
                return error_response(403, _("请先设置新密码（管理员发放的临时密码只能使用一次）。"))
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


def current_scope() -> OfficeScope:
    """The offices the signed-in account holds, to pass down into read models and use cases."""
    return current_account().scope


def require_offices(office_ids: set[int]) -> None:
    """403 unless the signed-in account holds every office of `office_ids` (a change crossing offices needs
    an account holding all of them)."""
    if not current_scope().holds(office_ids):
        abort(403)


def require_every_office() -> None:
    """403 unless the signed-in account holds every office: for what no single office owns (the working-day
    calendar, new offices, files naming any office or lawyer)."""
    if not current_scope().everything:
        abort(403)


# What each id in a URL touches: the offices the account must hold to see or change it.
OFFICES_OF_URL_ID: dict[str, Callable[[Any, int], set[int]]] = {
    "duty_id": lambda db, duty_id: scope.duty_offices(db, [duty_id]),
    "proposal_id": scope.proposal_offices,
    "request_id": scope.swap_request_offices,
    "roster_id": scope.roster_offices,
    "other_id": scope.roster_offices,
    "lawyer_id": lambda db, lawyer_id: scope.lawyer_office_ids(db, [lawyer_id]),
    "office_id": lambda _db, office_id: {office_id},
}


def office_scoped(view: View) -> View:
    """Below @role_required: 403 unless the account holds every office the URL's ids (duty, proposal, swap
    request, roster, lawyer, office) touch. An unknown id touches none: the view answers 404 as before."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        account = current_account()
        if account.role != "lawyer":  # a lawyer's own pages check their own records
            db = db_session()
            for name, value in kwargs.items():
                offices_of = OFFICES_OF_URL_ID.get(name)
                if offices_of is None:
                    continue
                offices = offices_of(db, value)
                # A lawyer serving several offices may be read by any of them; a change needs them all.
                reading_a_lawyer = name == "lawyer_id" and request.method in ("GET", "HEAD")
                if reading_a_lawyer:
                    allowed = not offices or account.scope.touches(offices)
                else:
                    allowed = account.scope.holds(offices)
                if not allowed:
                    abort(403)
        return view(*args, **kwargs)

    return cast(View, guarded)


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


def _login_rate() -> RateLimitItem:
    return parse(str(current_app.config["LOGIN_RATE_LIMIT"]))


def _limits_on() -> bool:
    return bool(limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True))


def _login_key() -> str:
    # One count per address for the sign-in form and the API's Basic credentials alike.
    return f"login-failures/{request.remote_addr or 'unknown'}"


def too_many_failures() -> bool:
    """True when this address failed to sign in too often lately (LOGIN_RATE_LIMIT); successes do not count,
    so colleagues behind one address do not lock each other out."""
    return _limits_on() and not limiter.limiter.test(_login_rate(), _login_key())


def count_failure() -> None:
    """Count a failed sign-in (form or Basic credentials) against this address."""
    if _limits_on():
        limiter.limiter.hit(_login_rate(), _login_key())


def check_credentials(username: str, password: str) -> tuple[Any, dt.datetime | None]:
    """(the account, None) for right credentials; (None, None) for wrong ones; (None, until) for a locked
    account. The failure count or the sign-in time is committed, and a failure counted against the address."""
    db = db_session()
    try:
        user = accounts.authenticate(db, username, password)
    except accounts.AccountLocked as locked:
        db.commit()  # the count and the lock of this failure are kept
        count_failure()
        return None, locked.until
    db.commit()  # the failure count or the time of this sign-in
    if user is None:
        count_failure()
    return user, None


def local_time(moment: dt.datetime) -> str:
    """A naive UTC time as the reader's local time of day, e.g. 14:35 (the date too when it is not today)."""
    return format_datetime(moment.replace(tzinfo=dt.UTC), "HH:mm", rebase=True)


def retry_after(until: dt.datetime) -> int:
    """Whole seconds from now until `until` (naive UTC), at least 1: the Retry-After of a locked account."""
    return max(1, math.ceil((until - utcnow()).total_seconds()))


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The sign-in form; a success starts a fresh session and goes back to where the visitor came from."""
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and too_many_failures():
        abort(429)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form)
    user, locked_until = check_credentials(form.username.data or "", form.password.data or "")
    if locked_until is not None:
        flash(_("登录失败次数过多，此账户已暂时锁定。请于 %(time)s 之后再试。", time=local_time(locked_until)), "error")
        return render_template("auth/login.html", form=form), 429, {"Retry-After": str(retry_after(locked_until))}
    if user is None:
        flash(_("用户名或密码不正确。"), "error")
        return render_template("auth/login.html", form=form)
    language = session.get(LANGUAGE_KEY)
    session.clear()  # nothing from before the sign-in survives into the account's session
    if language:
        session[LANGUAGE_KEY] = language
    session[SESSION_VERSION_KEY] = user.session_version
    login_user(account_of(user))
    if user.must_change_password:
        flash(_("请先设置新密码（管理员发放的临时密码只能使用一次）。"), "info")
        return redirect(url_for("auth.password", next=safe_next(form.next.data, home_for(user.role))))
    return redirect(safe_next(form.next.data, home_for(user.role)))


@bp.post("/logout")
@login_required
def logout() -> ResponseReturnValue:
    """Sign out everywhere: every session of the account ends (the server forgets them), then the public notice."""
    db = db_session()
    user = db.get(User, current_account().id)
    if user is not None:
        accounts.end_sessions(user)
        record(db, actor(), "account.logout", entity="user", entity_id=user.id)
        db.commit()
    logout_user()
    session.pop(SESSION_VERSION_KEY, None)
    flash(_("已退出登录。"), "info")
    return redirect(url_for("public.index"))


SAME_AS_NEW = EqualTo("new", _l("两次输入的新密码不一致"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("当前密码"), validators=[DataRequired(), Length(max=accounts.MAX_PASSWORD)])
    new = PasswordField(
        _l("新密码"), validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD, max=accounts.MAX_PASSWORD)]
    )
    confirm = PasswordField(
        _l("再次输入新密码"), validators=[DataRequired(), EqualTo("new", _l("两次输入的新密码不一致"))]
    )
    next = HiddenField()


class ResetForm(FlaskForm):
    new = PasswordField(
        _l("新密码"), validators=[DataRequired(), Length(min=accounts.MIN_PASSWORD, max=accounts.MAX_PASSWORD)]
    )
    confirm = PasswordField(
        _l("再次输入新密码"), validators=[DataRequired(), EqualTo("new", _l("两次输入的新密码不一致"))]
    )


def _keep_this_session(user: User) -> None:
    # A new password ends every session; this one carries on under the new version.
    session[SESSION_VERSION_KEY] = user.session_version
    login_user(account_of(user))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password() -> ResponseReturnValue:
    """Change one's own password; every other session of the account ends."""
    form = PasswordForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("auth/password.html", form=form), 400 if form.is_submitted() else 200
    db = db_session()
    try:
        user = accounts.change_own_password(db, current_account().id, form.current.data or "", form.new.data or "")
    except SchedulerError as exc:
        db.rollback()
        field = form.current if isinstance(exc, accounts.WrongPassword) else form.new
        field.errors = [*field.errors, word(exc)]
        return render_template("auth/password.html", form=form), 400
    db.commit()
    _keep_this_session(user)
    flash(_("密码已更改，此账户在其他设备上的登录已全部退出。"), "info")
    return redirect(safe_next(form.next.data, home_for(user.role)))


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset(token: str) -> ResponseReturnValue:
    """A one-time reset link an admin handed out: choose a new password, then sign in with it."""
    db = db_session()
    form = ResetForm()
    try:
        accounts.reset_link_account(db, token)
    except accounts.ResetLinkInvalid as exc:
        return render_template("auth/reset.html", form=None, problem=word(exc)), 404
    if not form.validate_on_submit():
        return render_template("auth/reset.html", form=form, problem=""), 400 if form.is_submitted() else 200
    try:
        accounts.reset_with_link(db, token, form.new.data or "")
    except SchedulerError as exc:
        db.rollback()
        form.new.errors = [*form.new.errors, word(exc)]
        return render_template("auth/reset.html", form=form, problem=""), 400
    db.commit()
    flash(_("新密码已设置，请用新密码登录。"), "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    # "basic": a session moved to another address is marked not fresh rather than dropped (phones roam).
    login_manager.session_protection = "basic"
