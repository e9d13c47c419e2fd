"""The Flask application: `create_app()` wires settings, the database, security, languages and one
blueprint per area.

Run it with `flask --app scheduler.web run`, `scheduler serve`, or `gunicorn 'scheduler.web:create_app()'`.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import DataError
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from scheduler.config import Settings, load_settings
from scheduler.core.errors import Conflict, FieldError, InputError, NotFound, SchedulerError
from scheduler.db import make_engine, make_session_factory, upgrade
from scheduler.people.scope import OutOfScope
from scheduler.web import log_masking

# Modules with a `bp` blueprint (and optionally `init_app(app)`), registered in this order.
# An area adds its module here, e.g. "scheduler.web.planner".
BLUEPRINTS = [
    "scheduler.web.i18n",
    "scheduler.web.labels",
    "scheduler.web.auth",
    "scheduler.web.public",
    "scheduler.web.hotline_board",
    "scheduler.web.lawyer",
    "scheduler.web.lawyer_records",
    "scheduler.web.feeds",
    "scheduler.web.planner",
    "scheduler.web.clerk",
    "scheduler.web.cases",
    "scheduler.web.availability",
    "scheduler.web.api",
    "scheduler.web.admin",
]

# Every form POST carries a token; an area with another defence (e.g. a token-authenticated JSON API)
# exempts itself with `csrf.exempt(bp)`.
csrf = CSRFProtect()
# Limits count per client address; storage from RATELIMIT_STORAGE_URI (in memory unless configured).
limiter = Limiter(key_func=get_remote_address)

# Assets are all served from /static: nothing is fetched from another site.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _defaults(settings: Settings) -> dict[str, Any]:
    secure = settings.secure_cookies
    return {
        "SECRET_KEY": settings.secret_key,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure,
        "PERMANENT_SESSION_LIFETIME": dt.timedelta(hours=12),
        "BABEL_DEFAULT_TIMEZONE": settings.timezone,
        # A form left open for a working day still submits.
        "WTF_CSRF_TIME_LIMIT": 12 * 3600,
        "RATELIMIT_STORAGE_URI": settings.ratelimit_storage_uri,
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": "10 per minute",
        "TODAY": None,
        # Imports of lawyer lists and sign-in sheets are small; refuse anything larger before reading it.
        "MAX_CONTENT_LENGTH": 10 * 1024 * 1024,
        "AUTO_MIGRATE": settings.auto_migrate,
    }


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application. `config` overrides (tests) win over the environment (SCHEDULER_*).

    Recognised keys besides Flask's own and its extensions': SETTINGS (a scheduler.config.Settings),
    DATABASE_URL, AUTO_MIGRATE (default True: bring the schema up to date at start), TODAY (a date the
    pages take for today, for tests and demos), LOGIN_RATE_LIMIT (default "10 per minute").
    The Settings (scheduler.config) decide Secure cookies, trusted reverse proxies, where login limits are
    counted and whether to migrate at start; the session factory carries them to the use cases.
    """
    config = dict(config or {})
    settings: Settings = config.pop("SETTINGS", None) or load_settings(
        **{k: v for k, v in (("database_url", config.pop("DATABASE_URL", None)),) if v}
    )
    app = Flask(__name__)
    # Before any route is registered: every <int:...> of every page is bounded like a database id.
    app.url_map.converters["int"] = IdConverter
    # Chinese names stay readable in JSON answers (Flask 3 no longer reads JSON_AS_ASCII).
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config.update(_defaults(settings))
    app.config.update(config)
    if not app.config["SECRET_KEY"]:
        raise RuntimeError("no secret key: set SCHEDULER_SECRET_KEY or let scheduler.config create one")
    proxies = settings.proxy_count
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    engine = make_engine(settings.database_url)
    if app.config["AUTO_MIGRATE"]:
        upgrade(engine)
    app.extensions["scheduler.settings"] = settings
    app.extensions["scheduler.sessions"] = make_session_factory(engine, settings)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    # In the worker process, after gunicorn has set up its loggers: no private feed token is logged.
    log_masking.install(app.logger)
    app.before_request(refuse_nul)
    csrf.init_app(app)
    limiter.init_app(app)
    register_error_handlers(app)
    register_blueprints(app)
    app.after_request(_security_headers)
    return app


MAX_ID = 2**31 - 1  # ids are PostgreSQL `integer` columns


class IdConverter(IntegerConverter):
    """Flask's int converter, bounded by the database's integers: /clerk/duties/<30 digits> is a 404 of the
    router, never a number the database refuses."""

    def __init__(self, url_map: Map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID) -> None:
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max)


def refuse_nul() -> None:
    """Answer 400, naming the field, when a path part, query parameter or form field holds a NUL character.

    A NUL is never part of valid text here, and PostgreSQL refuses it in text columns: caught at the edge,
    it is a clear 400 instead of a database error further in.
    """
    fields = [(name, value) for name, value in (request.view_args or {}).items() if isinstance(value, str)]
    fields += [("path", request.path)]
    # The API reads its query and body through its models (web.api.inputs), reporting every bad field at once.
    if not request.path.startswith("/api/"):
        fields += list(request.args.items(multi=True))
        if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            fields += list(request.form.items(multi=True))
    for name, value in fields:
        if "\x00" in name or "\x00" in value:
            field = name.replace("\x00", "\\0")
            if wants_json():
                from scheduler.web.api.validation import bad

                raise bad(field, "must not contain NUL characters")
            raise FieldError(field, _("%(field)s：不能包含空字符（NUL）。", field=field))


def register_blueprints(app: Flask) -> None:
    """Register the blueprint of every module in BLUEPRINTS, after its `init_app(app)` if it has one."""
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        if hasattr(module, "init_app"):
            module.init_app(app)
        app.register_blueprint(module.bp)


def settings() -> Settings:
    """The settings of the current application."""
    return current_app.extensions["scheduler.settings"]


def db_session() -> Session:
    """The request's database session (closed when the request ends; commit what must be kept)."""
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions["scheduler.sessions"]
        g.db_session = factory()
    return g.db_session


def today() -> dt.date:
    """Today in the service's time zone (a bureau in China), or the TODAY of the configuration."""
    fixed = current_app.config.get("TODAY")
    if fixed is not None:
        return fixed if isinstance(fixed, dt.date) else dt.date.fromisoformat(str(fixed))
    return dt.datetime.now(ZoneInfo(settings().timezone)).date()


def wants_json() -> bool:
    """True for API requests: errors are then answered as JSON rather than as a page."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` if it is a path on this site, else `default`: a ?next= must not become an open redirect."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def _security_headers(response: Response) -> Response:
    # setdefault: a view with stricter needs (the private feeds' no-referrer) keeps its own.
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _titles() -> dict[int, str]:
    return {
        400: _("请求有误"),
        401: _("请先登录"),
        403: _("没有权限"),
        404: _("页面不存在"),
        405: _("不支持的请求方式"),
        409: _("操作冲突"),
        429: _("尝试次数过多"),
        500: _("服务器内部错误"),
        503: _("服务暂时不可用"),
    }


def error_response(status: int, message: str = "", code: str | None = None) -> tuple[Any, int]:
    """The error page (or, for API requests, the JSON body {"error", "message"}, with the error's stable
    `code` when it has one) of `status`."""
    title = _titles().get(status, _("出错了"))
    if wants_json():
        coded = {"code": code} if code else {}
        return jsonify(error=status, title=title, message=message, **coded), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def register_error_handlers(app: Flask) -> None:
    """Domain errors become 4xx answers with their message; HTTP errors get a page in the reader's language."""

    def _domain(status: int) -> Any:
        # Worded at the edge, in the reader's language (scheduler.web.i18n.word, loaded as the blueprints are).
        word = importlib.import_module("scheduler.web.i18n").word
        return lambda exc: error_response(status, word(exc), exc.code)

    app.register_error_handler(SchedulerError, _domain(400))
    app.register_error_handler(InputError, _domain(400))
    app.register_error_handler(NotFound, _domain(404))
    app.register_error_handler(Conflict, _domain(409))
    app.register_error_handler(OutOfScope, _domain(403))  # another office's duty, lawyer or roster

    def _refused_by_database(exc: Exception) -> Any:
        # Input the edge let through but the database refused (a value too long or out of range): a 400
        # that changes nothing, never a 404 (the record may well exist) and never the database's own words.
        db_session().rollback()
        current_app.logger.warning("database refused a request's data: %s", exc)
        return error_response(400, _("无法保存这些数据：某个值过长、超出范围或格式不对。"))

    app.register_error_handler(OverflowError, _refused_by_database)
    app.register_error_handler(DataError, _refused_by_database)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError) -> Any:
        return error_response(400, _("表单已失效（缺少或过期的安全令牌）。请返回，刷新页面后重试。"))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Any:
        status = exc.code or 500
        messages = {
            401: _("此页面需要登录。"),
            429: _("请求过于频繁，请稍后再试。"),
        }
        response = error_response(status, messages.get(status, ""))
        allowed = getattr(exc, "valid_methods", None)
        if status == 405 and allowed:
            return response[0], status, {"Allow": ", ".join(allowed)}
        return response
