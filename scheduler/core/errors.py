"""Domain exceptions. Each carries a message a user can act on; the CLI and the web turn them into
one-line errors and 4xx answers instead of tracebacks."""

from __future__ import annotations


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
