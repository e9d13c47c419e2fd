"""Errors as data: a code and its parameters, worded by the class's template for the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.core import wording
from scheduler.core.errors import InputError, NotPositive, OutOfRange, ReversedPeriod, require_period
from scheduler.solver import SolveParams


def test_a_reversed_period_carries_its_code_and_dates_and_the_words_in_both_languages() -> None:
    with pytest.raises(ReversedPeriod) as caught:
        require_period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))
    error = caught.value
    assert isinstance(error, InputError) and error.code == "period.reversed"
    assert error.params == {"start": dt.date(2026, 3, 2), "end": dt.date(2026, 3, 1)}
    assert str(error) == "结束日期（2026年3月1日）早于开始日期（2026年3月2日）"
    assert wording.word(error, "en") == "the period ends (1 Mar 2026) before it starts (2 Mar 2026)"
    require_period(dt.date(2026, 3, 1), dt.date(2026, 3, 1))  # one day is a period


def test_solve_settings_out_of_range_name_the_field_and_the_value() -> None:
    with pytest.raises(OutOfRange) as low:
        SolveParams(neighbourhoods=-1)
    assert low.value.params == {"field": "neighbourhoods", "minimum": 0, "value": -1}
    assert str(low.value) == "neighbourhoods 至少为 0，而不是 -1"
    assert wording.word(low.value, "en") == "neighbourhoods must be at least 0, got -1"
    with pytest.raises(NotPositive) as zero:
        SolveParams(deterministic_time_s=0)
    assert zero.value.code == "value.not_positive" and zero.value.params["value"] == 0
