"""The languages vocabulary: every accepted spelling maps to one code; an unknown one is refused by name."""

from __future__ import annotations

import pytest

from scheduler.core.languages import LANGUAGES, UnknownLanguage, code_of, lenient_codes, name_zh, to_codes


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("普通话", "mandarin"), ("国语", "mandarin"), ("Mandarin", "mandarin"),
        ("布依语", "buyi"), ("布依话", "buyi"), ("Buyi", "buyi"), (" BUYI ", "buyi"),
        ("苗语", "miao"), ("miao", "miao"), ("彝语", "yi"), ("仡佬语", "gelao"), ("水语", "shui"),
        ("壮语", "zhuang"), ("English", "english"), ("英语", "english"),
    ],
)
def test_each_spelling_maps_to_its_code(typed: str, code: str) -> None:
    assert code_of(typed) == code


def test_no_spelling_belongs_to_two_languages() -> None:
    seen: dict[str, str] = {}
    for lang in LANGUAGES:
        for spelling in (lang.code, lang.name_zh, lang.name_en, *lang.spellings):
            owner = code_of(spelling)
            assert owner == lang.code, (spelling, owner, lang.code)
            seen[spelling] = lang.code


def test_to_codes_keeps_order_drops_repeats_and_refuses_an_unknown_spelling() -> None:
    assert to_codes(["布依话", "普通话", "buyi"]) == ["buyi", "mandarin"]
    with pytest.raises(UnknownLanguage) as caught:
        to_codes(["普通话", "klingon"])
    assert "'klingon'" in str(caught.value) and "布依语 (buyi)" in str(caught.value)


def test_stored_free_text_counts_as_its_code_where_the_solver_matches() -> None:
    # A lawyer recorded before the vocabulary with 布依语 now speaks `buyi` for an office that wants it.
    assert lenient_codes(["布依语", "方言"]) == frozenset({"buyi", "方言"})
    assert name_zh("miao") == "苗语" and name_zh("方言") == "方言"
