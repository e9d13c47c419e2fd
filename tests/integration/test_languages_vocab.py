"""Languages as a vocabulary where the data lives: the solver's input, the directory and the demo."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from roster_fixtures import END, START, build_county
from sqlalchemy.orm import Session

from scheduler.core.errors import FieldError
from scheduler.demo import OFFICES
from scheduler.people.directory import _office_fields, save_office
from scheduler.planning.duties import generate_windows
from scheduler.planning.problem_builder import build_problem


def test_a_lawyer_recorded_with_buyi_in_chinese_counts_as_a_speaker_where_buyi_is_wanted(session: Session) -> None:
    lawyers = build_county(session, lawyers=3)
    office = lawyers[0].offices[0]
    office.wanted_languages = ["布依语"]  # stored before the vocabulary, as typed
    lawyers[0].languages = ["布依话"]
    lawyers[1].languages = ["Buyi"]
    generate_windows(session, START, END, "test")
    built = build_problem(session, START, END, today=dt.date(2026, 2, 1)).problem
    speakers = [lw.id for lw in built.lawyers if "buyi" in lw.languages]
    assert speakers == [lawyers[0].id, lawyers[1].id]
    assert built.offices[0].wanted_languages == frozenset({"buyi"})


def test_the_directory_stores_codes_and_refuses_an_unknown_language_naming_the_field(session: Session) -> None:
    office = build_county(session, lawyers=1)[0].offices[0]
    fields = _office_fields(office)
    save_office(session, office.id, office.code, dataclasses.replace(fields, wanted_languages=("布依语", "苗话")), "t")
    assert office.wanted_languages == ["buyi", "miao"]
    with pytest.raises(FieldError) as caught:
        save_office(session, office.id, office.code, dataclasses.replace(fields, wanted_languages=("彝族话",)), "t")
    assert caught.value.field == "wanted_languages" and "彝族话" in str(caught.value)
    assert office.wanted_languages == ["buyi", "miao"]


def test_the_demo_offices_want_the_languages_spoken_there() -> None:
    wanted = {seed.name: set(seed.languages) for seed in OFFICES}
    # Buyi is spoken in every county (a different dialect in 晴隆 and 普安) and in 义龙新区.
    assert all("buyi" in langs for langs in wanted.values())
    for county in ("普安县信访局", "晴隆县信访局", "义龙新区信访局", "望谟县信访局"):
        assert wanted[county] == {"buyi", "miao"}
