"""Words at the edge: a `Message` (or an error) worded in a reader's language from the catalogue.

The Chinese template of a message is its gettext id; the English catalogue is the .po file the web
interface uses (scheduler/web/translations), read here with Babel alone so that the command line words
its errors the same way without Flask. Parameters are worded per language: a date reads 2027年1月12日
in Chinese and 12 Jan 2027 in English; a nested message is worded too.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from scheduler.core.errors import Message, Named, SchedulerError, chinese_value, render

TRANSLATIONS = Path(__file__).resolve().parents[1] / "web" / "translations"
CHINESE = "zh_CN"
ENGLISH = "en"


@cache
def load_catalogues(directory: Path = TRANSLATIONS) -> dict[str, Translations]:
    """Each language's .po file under `directory`, compiled in memory once per process; fuzzy entries are left out."""
    catalogues = {}
    for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            catalogue = read_po(fh, locale=po.parent.parent.name)
        buffer = io.BytesIO()
        write_mo(buffer, catalogue, use_fuzzy=False)
        buffer.seek(0)
        catalogues[po.parent.parent.name] = Translations(buffer)
    return catalogues


def translations(language: str) -> NullTranslations:
    """The catalogue of `language` (Chinese needs none: its texts are the message ids)."""
    return load_catalogues().get(language, NullTranslations())


def english_value(value: Any) -> str:
    """A parameter as the English text shows it: 12 Jan 2027, 09:00, lists with commas."""
    if isinstance(value, Named):
        return value.en or value.zh
    if isinstance(value, Message):
        return word(value, ENGLISH)
    if isinstance(value, dt.datetime):
        return f"{format_date(value.date(), 'd MMM y', locale='en')} {value:%H:%M}"
    if isinstance(value, dt.date):
        return str(format_date(value, "d MMM y", locale="en"))
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(english_value(v) for v in value)
    return chinese_value(value)


def word(said: Message | SchedulerError | str, language: str = CHINESE, surface: str = "") -> str:
    """`said` in `language` (zh_CN or en); a message without a code (typed text) is shown as it is.

    An error whose class has a hint for `surface` ("web", "cli") gets it after its message."""
    message = said.message if isinstance(said, SchedulerError) else said
    if isinstance(message, str):
        message = Message(message)
    hint = type(said).hints.get(surface, "") if isinstance(said, SchedulerError) else ""
    if language != ENGLISH:
        text = str(message)
        return f"{text}；{render(hint, message.params, chinese_value)}" if hint else text
    head = message.template
    if message.code:
        head = render(translations(ENGLISH).ugettext(message.template), message.params, english_value)
    if hint:
        head = f"{head}; {render(translations(ENGLISH).ugettext(hint), message.params, english_value)}"
    return "\n".join([head, *(word(d, language) for d in message.details)])
