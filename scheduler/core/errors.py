"""Domain exceptions. Each carries a message a user can act on; the CLI and the web turn them into
one-line errors and 4xx answers instead of tracebacks."""

from __future__ import annotations

import datetime as dt


class SchedulerError(Exception):
    """Base of every error a user can cause."""


class InputError(SchedulerError):
    """Bad input: a file, an argument, a form field. The message names what and where."""


class NotFound(SchedulerError):
    """A named thing (office code, licence number, roster id) does not exist."""


class Conflict(SchedulerError):
    """The change collides with a newer change or a rule of the roster."""


class CalendarUnknown(SchedulerError):
    """Planning reaches a year whose official working-day arrangement is not known."""


class FieldError(InputError):
    """Bad input that one named field is to blame for: a form field, a query parameter, a body field.

    `field` names it as the caller knows it; the web puts the message beside the form field, the API
    answers {"field", "message"}, the command line prints "field: message".
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.detail = message


class ReversedPeriod(InputError):
    """A period whose end comes before its start; `start` and `end` say which, for the caller to word it."""

    def __init__(self, start: dt.date, end: dt.date) -> None:
        super().__init__(f"the period ends ({end}) before it starts ({start})")
        self.start = start
        self.end = end


def require_period(start: dt.date, end: dt.date) -> None:
    """Refuse a period [start, end] that ends before it starts (the one check every use case makes)."""
    if end < start:
        raise ReversedPeriod(start, end)
