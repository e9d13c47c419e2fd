"""Languages: Chinese (zh-CN) by default, English on request, through Flask-Babel.

The interface is written in Chinese: the message ids in templates and code are the Chinese texts, so
the default language needs no catalogue at all. The English catalogue is a standard gettext .po file,
committed under translations/en/LC_MESSAGES/messages.po and compiled in memory when the application
starts. Nothing is compiled at build time or written to disk, so a fresh clone installed with
`pip install -e .` (or a wheel on a read-only file system) serves English at once, and translators
keep the usual tools (`pybabel extract -F scheduler/web/translations/babel.cfg ...`, Poedit).
A missing English text shows the Chinese one; tests/web/test_i18n.py keeps the catalogue complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from babel.dates import format_skeleton
from babel.support import NullTranslations, Translations
from flask import Blueprint, Flask, redirect, request, session
from flask_babel import Babel, Domain, format_date, get_locale, gettext
from werkzeug.wrappers import Response

from scheduler.calendars.views import (
    STANDARD_DISCIPLINE,
    STANDARD_LEADER_SCOPE,
    STANDARD_SCOPE,
    STANDARD_VISITOR_NOTES,
)
from scheduler.core import languages, wording
from scheduler.core.errors import Message, SchedulerError
from scheduler.core.wording import TRANSLATIONS as TRANSLATIONS
from scheduler.core.wording import load_catalogues
from scheduler.web import safe_next

DEFAULT = "zh_CN"
SESSION_KEY = "lang"
# The standard notice texts live in scheduler.calendars.views; the catalogue carries their English versions.
STANDARD_TEXTS = frozenset({STANDARD_SCOPE, STANDARD_VISITOR_NOTES, STANDARD_DISCIPLINE, STANDARD_LEADER_SCOPE})


@dataclass(frozen=True)
class Language:
    code: str  # Babel's locale name
    html: str  # the BCP 47 tag of <html lang>
    label: str  # the language's name in itself, for the switch


LANGUAGES = {lang.code: lang for lang in (Language("zh_CN", "zh-CN", "中文"), Language("en", "en", "English"))}

bp = Blueprint("i18n", __name__)


class CatalogueDomain(Domain):
    """A Flask-Babel domain that answers from catalogues already in memory instead of .mo files on disk."""

    def __init__(self, catalogues: dict[str, Translations]) -> None:
        super().__init__(domain="messages")
        self.catalogues = catalogues

    def get_translations(self) -> NullTranslations:
        locale = get_locale()
        return self.catalogues.get(str(locale), NullTranslations()) if locale is not None else NullTranslations()


class CatalogueBabel(Babel):
    """Flask-Babel with the in-memory catalogues as its default domain."""

    def __init__(self, app: Flask, catalogues: dict[str, Translations], **kwargs: Any) -> None:
        self._domain = CatalogueDomain(catalogues)
        super().__init__(app, **kwargs)

    @property
    def domain_instance(self) -> CatalogueDomain:
        return self._domain


def select_locale() -> str:
    """The language chosen with the switch (kept in the session), else Chinese."""
    chosen = session.get(SESSION_KEY)
    return chosen if chosen in LANGUAGES else DEFAULT


def current_language() -> Language:
    return LANGUAGES.get(str(get_locale()), LANGUAGES[DEFAULT])


def is_english() -> bool:
    return current_language().code == "en"


def notice_text(text: str) -> str:
    """An office's notice text; the standard texts appear in the reader's language, an office's own as written."""
    # gettext without variables does no %-formatting, so any text is safe to pass.
    return gettext(text) if text in STANDARD_TEXTS else text


def long_date(day: dt.date) -> str:
    """2026年3月4日 / March 4, 2026."""
    return str(format_date(day, "long"))


def weekday(day: dt.date) -> str:
    """星期三 / Wednesday."""
    return str(format_date(day, "EEEE"))


def month_title(day: dt.date) -> str:
    """2026年3月 / March 2026."""
    # "yMMMM" is a skeleton (the fields wanted), not a pattern: as a pattern it gave "2026十二月".
    return str(format_skeleton("yMMMM", day, locale=get_locale()))


def word(said: Message | SchedulerError | str) -> str:
    """An error or an outcome in the reader's language: its code's template translated, its params worded."""
    return wording.word(said, current_language().code, "web")


def local(zh: str, en: str) -> str:
    """The English name of a thing when English is chosen and the thing has one, else the Chinese name."""
    return en if en and is_english() else zh


def language_name(code: str) -> str:
    """A spoken language's name (vocabulary code -> 布依语 / Buyi) in the reader's language."""
    return languages.name_en(code) if is_english() else languages.name_zh(code)


@bp.get("/language/<code>")
def switch(code: str) -> Response:
    """Choose the interface language and go back to the page the switch was on."""
    if code in LANGUAGES:
        session[SESSION_KEY] = code
    return redirect(safe_next(request.args.get("next")))


def init_app(app: Flask) -> None:
    """Install Babel with the in-memory catalogues, the date filters and the template helpers."""
    CatalogueBabel(
        app,
        load_catalogues(),
        locale_selector=select_locale,
        default_locale=DEFAULT,
        default_timezone=app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai"),
    )
    app.jinja_env.filters.update(
        long_date=long_date, weekday=weekday, month_title=month_title, notice=notice_text, language_name=language_name
    )
    app.jinja_env.filters["word"] = word
    app.jinja_env.globals.update(local=local, languages=LANGUAGES)

    @app.context_processor
    def _language() -> dict[str, Any]:
        return {"language": current_language()}
