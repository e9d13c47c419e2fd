"""What every database command needs: settings, a migrated database, a session factory, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session, sessionmaker

from scheduler.config import Settings, load_settings
from scheduler.db import make_engine, make_session_factory, transaction, upgrade


def settings() -> Settings:
    # Read each time: tests change the environment between invocations.
    return load_settings()


@contextmanager
def open_database() -> Iterator[sessionmaker[Session]]:
    """A session factory on the configured database (schema brought up to date first).

    The engine is disposed of on exit: commands also run inside long-lived processes (tests, a shell).
    """
    config = settings()
    engine = make_engine(config.database_url)
    try:
        upgrade(engine)
        yield make_session_factory(engine, config)
    finally:
        engine.dispose()


@contextmanager
def session_scope() -> Iterator[Session]:
    """One transaction on the configured database: committed on success, rolled back on error."""
    with open_database() as factory, transaction(factory) as session:
        yield session


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
