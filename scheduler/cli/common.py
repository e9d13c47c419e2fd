"""What every database command needs: settings, a migrated database, a session factory, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy import make_url
from sqlalchemy.orm import Session, sessionmaker

from scheduler.cli.language import say
from scheduler.config import Settings, load_settings
from scheduler.core.dates import NotADate, parse_date
from scheduler.core.errors import InputError
from scheduler.db import make_engine, make_session_factory, transaction, upgrade


def settings() -> Settings:
    # Read each time: tests change the environment between invocations.
    return load_settings()


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


@contextmanager
def open_database(*, create: bool = False) -> Iterator[sessionmaker[Session]]:
    """A session factory on the configured database (schema brought up to date first).

    A SQLite file that does not exist is an error unless `create` (only `scheduler demo` creates one): a
    command run with the wrong folder or an unset variable must not work on a fresh empty database (a
    publication from one deleted every feed). The engine is disposed of on exit: commands also run inside
    long-lived processes (tests, a shell).
    """
    config = settings()
    path = sqlite_file(config.database_url)
    if path is not None and not create and not path.exists():
        raise NoDatabase(path=path)
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


class NoDatabase(InputError):
    code = "cli.no_database"
    template = (
        "{path} 处没有数据库：请把 SCHEDULER_DATABASE_URL（或 SCHEDULER_INSTANCE_DIR）设为本服务的数据库；"
        "启动网页应用或运行 scheduler demo 会新建一个"
    )


class DateParam(click.ParamType):
    """A date as people type it (scheduler.core.dates); anything else is a one-line usage error naming the option."""

    name = "date"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except NotADate as exc:
            self.fail(say(exc), param, ctx)


DATE = DateParam()
