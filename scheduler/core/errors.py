"""Domain exceptions. Each carries a message a user can act on; the CLI and the web turn them into
one-line errors and 4xx answers instead of tracebacks.

An error class may also be data: a `code`, its `params`, and a `template` that words them (in English, for
the command line). A use case then raises the class with parameters only, and the web can word the same
code in the reader's language instead of showing the English text."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar


class SchedulerError(Exception):
    """Base of every error a user can cause: a message, or a `code` with `params` worded by `template`."""

    code: ClassVar[str] = "error"
    template: ClassVar[str] = ""

    def __init__(self, message: str = "", **params: Any) -> None:
        self.params = params
        super().__init__(message or self.template.format(**params))


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
    """A period whose end comes before its start."""

    code = "period.reversed"
    template = "the period ends ({end}) before it starts ({start})"

    def __init__(self, start: dt.date, end: dt.date) -> None:
        super().__init__(start=start, end=end)
        self.start = start
        self.end = end


class OutOfRange(InputError):
    """A number outside what a setting allows: `field`, the `value` given and the `minimum` allowed."""

    code = "value.out_of_range"
    template = "{field} must be at least {minimum}, got {value}"


class NotPositive(InputError):
    """A number that must be above 0: `field` and the `value` given."""

    code = "value.not_positive"
    template = "{field} must be positive, got {value}"


def require_period(start: dt.date, end: dt.date) -> None:
    """Refuse a period [start, end] that ends before it starts (the one check every use case makes)."""
    if end < start:
        raise ReversedPeriod(start, end)
