"""Private feed addresses never reach a log: the token in /calendars/private/<token>.ics is masked.

A lawyer's feed URL is the only secret guarding their calendar; logs are read by more people, kept longer
and shipped further than the database. The filter is attached to the loggers that write request lines in
the web process: gunicorn's access and error logs, Werkzeug's development server, and the application's.
"""

from __future__ import annotations

import logging
import re
from typing import Any

# The token is what follows private/ up to a character a token never holds (a dot, slash, space, quote, ?).
PRIVATE_FEED = re.compile(r"(/calendars/private/)[^./\s\"'?&#]+")
MASK = r"\1***"
LOGGERS = ("gunicorn.access", "gunicorn.error", "werkzeug", "scheduler", "flask.app")


def mask_tokens(text: str) -> str:
    """`text` with the token of every private feed path replaced by ***."""
    return PRIVATE_FEED.sub(MASK, text)


def _masked(value: Any) -> Any:
    return mask_tokens(value) if isinstance(value, str) else value


class TokenMaskingFilter(logging.Filter):
    """Masks private feed tokens in a record's message and arguments (gunicorn passes its atoms as a dict)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask_tokens(record.msg)
        if isinstance(record.args, dict):
            record.args = {key: _masked(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_masked(value) for value in record.args)
        return True


_FILTER = TokenMaskingFilter()


def install(*extra: logging.Logger) -> None:
    """Attach the filter (once) to the request-logging loggers of this process and to `extra`."""
    for logger in (*(logging.getLogger(name) for name in LOGGERS), *extra):
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
