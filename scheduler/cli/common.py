"""What every database command needs: settings, a migrated database, a session factory, dates."""

from __future__ import annotations

import datetime as dt

import click
from sqlalchemy.orm import Session, sessionmaker

from scheduler.config import Settings, load_settings
from scheduler.db import make_engine, make_session_factory, upgrade


def settings() -> Settings:
    # Read each time: tests change the environment between invocations.
    return load_settings()


def database() -> sessionmaker[Session]:
    """A session factory on the configured database, its schema brought up to date first."""
    engine = make_engine(settings().database_url)
    upgrade(engine)
    return make_session_factory(engine)


class DateParam(click.ParamType):
    """A YYYY-MM-DD date; anything else is a one-line usage error naming the option."""

    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)


DATE = DateParam()
