"""The command line's language: SCHEDULER_LANG (zh or en), else the locale, else Chinese.

The environment is read here, at the edge, and nowhere in the use cases: they raise errors as data
(scheduler.core.errors) and this module words them with the same catalogue as the web pages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from scheduler.core import wording
from scheduler.core.errors import Message, SchedulerError

LANGUAGE_SETTING = "SCHEDULER_LANG"
# The locale variables in POSIX order of precedence.
LOCALE_SETTINGS = ("LC_ALL", "LC_MESSAGES", "LANG")


def _language_of(value: str) -> str | None:
    value = value.strip().lower()
    if value.startswith("zh"):
        return wording.CHINESE
    if value.startswith("en"):
        return wording.ENGLISH
    return None


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """zh_CN or en: SCHEDULER_LANG if it names one, else the first locale variable set, else Chinese."""
    env = os.environ if environ is None else environ
    chosen = _language_of(env.get(LANGUAGE_SETTING, ""))
    if chosen:
        return chosen
    for name in LOCALE_SETTINGS:
        if env.get(name):
            # The first variable set decides, as for every program (LANG=C means no language: Chinese).
            return _language_of(env[name]) or wording.CHINESE
    return wording.CHINESE


def say(said: Message | SchedulerError | str) -> str:
    """`said` worded in the command line's language."""
    return wording.word(said, cli_language(), "cli")


def error_line(exc: SchedulerError) -> str:
    """The line (or lines) printed for a domain error."""
    prefix = "error: " if cli_language() == wording.ENGLISH else "错误："
    return prefix + say(exc)
