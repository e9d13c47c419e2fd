"""Counting the SQL statements a piece of code sends, to keep pages at a fixed number of queries.

Wrap the request in `with count_queries(app_engine(app)) as counted:` and assert on `counted.count`
(with `counted.report()` as the message, which lists the statements).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class QueryCount:
    """The statements seen while counting, in order."""

    statements: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.statements)

    def report(self) -> str:
        """The statements, numbered, for an assertion message."""
        return "\n".join(f"{i}. {' '.join(s.split())[:300]}" for i, s in enumerate(self.statements, 1))


@contextmanager
def count_queries(engine: Engine) -> Iterator[QueryCount]:
    """Count every statement `engine` sends to the database inside the block (BEGIN/COMMIT are not statements
    SQLAlchemy sends through the cursor, so they are not counted; SAVEPOINTs would be)."""
    counted = QueryCount()

    def _before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        counted.statements.append(statement)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield counted
    finally:
        event.remove(engine, "before_cursor_execute", _before)


def app_engine(app: Flask) -> Engine:
    """The engine behind the application's sessions."""
    engine: Engine = app.extensions["scheduler.sessions"].kw["bind"]
    return engine
