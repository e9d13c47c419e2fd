"""Errors as data: a code and its parameters, worded by the class's template for the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from scheduler.core.errors import InputError, NotPositive, OutOfRange, ReversedPeriod, require_period
from scheduler.solver import SolveParams


def test_a_reversed_period_carries_its_code_and_dates_and_the_english_words() -> None:
    with pytest.raises(ReversedPeriod) as caught:
        require_period(dt.date(2026, 3, 2), dt.date(2026, 3, 1))
    error = caught.value
    assert isinstance(error, InputError) and error.code == "period.reversed"
    assert error.params == {"start": dt.date(2026, 3, 2), "end": dt.date(2026, 3, 1)}
    assert str(error) == "the period ends (2026-03-01) before it starts (2026-03-02)"
    require_period(dt.date(2026, 3, 1), dt.date(2026, 3, 1))  # one day is a period


def test_solve_settings_out_of_range_name_the_field_and_the_value() -> None:
    with pytest.raises(OutOfRange) as low:
        SolveParams(neighbourhoods=-1)
    assert low.value.params == {"field": "neighbourhoods", "minimum": 0, "value": -1}
    assert str(low.value) == "neighbourhoods must be at least 0, got -1"
    with pytest.raises(NotPositive) as zero:
        SolveParams(deterministic_time_s=0)
    assert zero.value.code == "value.not_positive" and zero.value.params["value"] == 0
