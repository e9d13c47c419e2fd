"""Names in the order Chinese readers expect: by pinyin, syllable by syllable, tone breaking ties.

Code-point order puts 张 before 李 and scatters a surname's people; a bureau's lists (lawyers, firms, a
notice's names, reports) read like a dictionary instead: 安, 白, 曹 … 张, 赵, 朱. pypinyin reads the
characters; a surname, though, is read as a surname, which pypinyin's phrase data does not know: 单 is shàn
(not dān), 曾 zēng, 解 xiè, 仇 qiú, 区 ōu, 查 zhā … and compound surnames (万俟 mòqí, 尉迟 yùchí) are
read whole. A person's name is therefore read surname first from SURNAMES, the rest by pypinyin; a firm's
name (which starts with a place, not a surname) is read by pypinyin alone.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose reading as a surname differs from the everyday reading pypinyin would choose (TONE3 syllables).
SURNAMES: dict[str, tuple[str, ...]] = {
    "万俟": ("mo4", "qi2"),
    "尉迟": ("yu4", "chi2"),
    "长孙": ("zhang3", "sun1"),
    "澹台": ("tan2", "tai2"),
    "单于": ("chan2", "yu2"),
    "令狐": ("ling2", "hu2"),
    "单": ("shan4",),
    "曾": ("zeng1",),
    "解": ("xie4",),
    "仇": ("qiu2",),
    "区": ("ou1",),
    "查": ("zha1",),
    "覃": ("qin2",),
    "朴": ("piao2",),
    "盖": ("ge3",),
    "缪": ("miao4",),
    "翟": ("zhai2",),
    "乐": ("yue4",),
    "召": ("shao4",),
    "尉": ("wei4",),
    "华": ("hua4",),
    "纪": ("ji3",),
    "繁": ("po2",),
    "员": ("yun4",),
    "种": ("chong2",),
    "秘": ("bi4",),
    "句": ("gou1",),
    "过": ("guo1",),
    "藏": ("zang4",),
    "宁": ("ning4",),
    "燕": ("yan1",),
    "车": ("che1",),
    "阚": ("kan4",),
    "黑": ("he4",),
    "那": ("na1",),
    "薄": ("bo2",),
    "柏": ("bai3",),
    "贲": ("ben1",),
    "谌": ("chen2",),
    "都": ("du1",),
    "长": ("chang2",),
    "重": ("chong2",),
    "折": ("she2",),
    "隗": ("wei3",),
    "祭": ("zhai4",),
    "能": ("nai4",),
    "说": ("yue4",),
    "沈": ("shen3",),
    "任": ("ren2",),
    "卜": ("bu3",),
}
_LONGEST = max(len(s) for s in SURNAMES)

Syllable = tuple[str, int, str]  # (letters, tone 1-5 or 0 for a character that is not Han, the character)


def _each(chars: str) -> list[str]:
    return list(chars)


def _syllables(text: str) -> list[str]:
    # errors: a character pypinyin cannot read (Latin, digits, punctuation) stays itself, one per character.
    readings: list[str] = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, errors=_each)  # type: ignore[arg-type]
    return readings


def _split(reading: str, char: str) -> Syllable:
    if reading and reading[-1].isdigit() and reading != char:
        return reading[:-1], int(reading[-1]), char
    return reading.casefold(), 0, char


def _key(text: str, readings: list[str]) -> tuple[Syllable, ...]:
    if len(readings) != len(text):  # not one reading a character: compare the text as it is
        return tuple(_split(c, c) for c in text)
    return tuple(_split(r, c) for r, c in zip(readings, text, strict=True))


@lru_cache(maxsize=8192)
def pinyin_key(name: str) -> tuple[Syllable, ...]:
    """The sort key of a person's name: its syllables in pinyin with tones (surname read as a surname), then
    the characters (two names read alike keep a stable order). Use as `sorted(people, key=lambda p:
    pinyin_key(p.name))`."""
    name = name.strip()
    for size in range(min(_LONGEST, len(name) - 1), 0, -1):
        surname = SURNAMES.get(name[:size])
        if surname is not None:
            return _key(name, [*surname, *_syllables(name[size:])])
    return _key(name, _syllables(name))


@lru_cache(maxsize=4096)
def text_key(text: str) -> tuple[Syllable, ...]:
    """The sort key of a text that is not a person's name (a firm, an office): its pinyin as pypinyin reads it."""
    text = text.strip()
    return _key(text, _syllables(text))


def sort_text(name: str) -> str:
    """`pinyin_key` as plain ASCII ("shan4xiong2xin4") for a database column a paged list orders by: letters
    and digits only, so every collation (SQLite's bytes, PostgreSQL's locale) orders it the same way; a
    syllable's tone digit ends it, and digits sort before letters, so "shan4" comes before "shang1"."""
    parts = []
    for letters, tone, char in pinyin_key(name):
        if tone:
            parts.append(f"{letters}{tone}")
        elif char.isascii() and char.isalnum():
            parts.append(f"{char.lower()}0")
    return "".join(parts)[:240]
