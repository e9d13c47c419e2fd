"""The Flask application: `create_app()` wires settings, the database and one blueprint per area."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from scheduler.config import Settings, load_settings
from scheduler.db import make_engine, make_session_factory, upgrade


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application. `config` overrides (tests) win over the environment (SCHEDULER_*).

    Recognised keys besides Flask's own: SETTINGS (a scheduler.config.Settings), DATABASE_URL,
    CALENDARS_DIR, AUTO_MIGRATE (default True: bring the schema up to date at start).
    """
    config = dict(config or {})
    settings: Settings = config.pop("SETTINGS", None) or load_settings(
        **{k: v for k, v in (("database_url", config.pop("DATABASE_URL", None)),) if v}
    )
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_AS_ASCII=False,
    )
    app.config.update(config)
    engine = make_engine(settings.database_url)
    if app.config.get("AUTO_MIGRATE", True):
        upgrade(engine)
    app.extensions["scheduler.settings"] = settings
    app.extensions["scheduler.sessions"] = make_session_factory(engine)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()

    from scheduler.web import feeds

    app.register_blueprint(feeds.bp)
    return app


def settings() -> Settings:
    """The settings of the current application."""
    return current_app.extensions["scheduler.settings"]  # type: ignore[no-any-return]


def db_session() -> Session:
    """The request's database session (closed when the request ends)."""
    if "db_session" not in g:
        factory: sessionmaker[Session] = current_app.extensions["scheduler.sessions"]
        g.db_session = factory()
    return g.db_session  # type: ignore[no-any-return]
