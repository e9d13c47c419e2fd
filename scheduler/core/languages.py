"""The languages a lawyer may speak at reception: one code each, a Chinese name and accepted spellings.

Offices ask for a language by code (an office in a Buyi county wants `buyi`), lawyers record the
codes they speak, and the solver matches codes. Free text never matched (布依语 is not `buyi`), so
every entry point maps what a person typed to a code here and refuses a spelling it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from scheduler.core.errors import InputError


@dataclass(frozen=True)
class Language:
    """One language of the vocabulary."""

    code: str
    name_zh: str
    name_en: str
    spellings: tuple[str, ...]  # besides the code and the two names; compared without case or spaces


LANGUAGES: tuple[Language, ...] = (
    Language("mandarin", "普通话", "Mandarin", ("国语", "汉语", "中文", "putonghua", "chinese", "官话")),
    Language("buyi", "布依语", "Buyi", ("布依话", "布依", "bouyei", "bouxqyaix", "布依族语")),
    Language("miao", "苗语", "Miao (Hmong)", ("苗话", "苗", "hmong", "hmongic")),
    Language("yi", "彝语", "Yi", ("彝话", "彝", "nuosu")),
    Language("gelao", "仡佬语", "Gelao", ("仡佬话", "仡佬", "gelo")),
    Language("shui", "水语", "Sui", ("水话", "水家话", "sui")),
    Language("zhuang", "壮语", "Zhuang", ("壮话", "壮", "vahcuengh")),
    Language("dong", "侗语", "Dong (Kam)", ("侗话", "kam")),
    Language("cantonese", "粤语", "Cantonese", ("广东话", "白话", "yue")),
    Language("english", "英语", "English", ("英文", "en")),
)
BY_CODE = {lang.code: lang for lang in LANGUAGES}


def _key(text: str) -> str:
    return re.sub(r"[\s_\-·]+", "", text).casefold()


_SPELLINGS = {
    _key(spelling): lang.code
    for lang in LANGUAGES
    for spelling in (lang.code, lang.name_zh, lang.name_en, *lang.spellings)
}


def known_languages() -> str:
    """The vocabulary as a person reads it in a message: '普通话 (mandarin)、布依语 (buyi)…'."""
    return "、".join(f"{lang.name_zh} ({lang.code})" for lang in LANGUAGES)


def code_of(text: str) -> str | None:
    """The code for any accepted spelling of a language (布依话, Buyi, BUYI -> 'buyi'); None if unknown."""
    return _SPELLINGS.get(_key(text))


class UnknownLanguage(InputError, ValueError):
    """A spelling outside the vocabulary; the message names it and the known languages."""

    code = "language.unknown"
    template = "未知语言“{value}”；可选：{known}"

    def __init__(self, text: str) -> None:
        # Names, not codes: a clerk knows 布依语, not buyi.
        super().__init__(value=text, known=[lang.name_zh for lang in LANGUAGES])
        self.text = text


def to_code(text: str) -> str:
    """The code for `text`, or UnknownLanguage."""
    code = code_of(text)
    if code is None:
        raise UnknownLanguage(text)
    return code


def to_codes(values: Iterable[str]) -> list[str]:
    """Codes for every spelling in `values`, once each and in order; UnknownLanguage on the first unknown."""
    codes: list[str] = []
    for value in values:
        if not value.strip():
            continue
        code = to_code(value)
        if code not in codes:
            codes.append(code)
    return codes


def lenient_codes(values: Iterable[str]) -> frozenset[str]:
    """Codes for the spellings it knows, each unknown one kept as typed: for data stored before the vocabulary."""
    return frozenset(code_of(v) or v for v in values)


def name_zh(code: str) -> str:
    """The Chinese name of `code` (the code itself when it is not in the vocabulary)."""
    lang = BY_CODE.get(code)
    return lang.name_zh if lang else code


def name_en(code: str) -> str:
    """The English name of `code` (the code itself when it is not in the vocabulary)."""
    lang = BY_CODE.get(code)
    return lang.name_en if lang else code
