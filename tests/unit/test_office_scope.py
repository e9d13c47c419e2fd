"""OfficeScope: what an account holding some offices, or all of them, may see and change."""

from __future__ import annotations

import pytest

from scheduler.people.scope import EVERY_OFFICE, OfficeScope, OutOfScope

WANGMO, XINGYI, ANLONG = 1, 2, 3


def test_an_account_of_one_office_changes_only_what_lies_wholly_in_it() -> None:
    scope = OfficeScope(frozenset({WANGMO}))
    assert scope.holds({WANGMO}) and not scope.holds({WANGMO, XINGYI}) and not scope.holds({XINGYI})
    assert scope.touches({WANGMO, XINGYI}) and not scope.touches({XINGYI})
    assert scope.holds(set())  # nothing named: nothing to refuse (an unknown id answers 404 further in)


def test_a_change_crossing_offices_needs_both() -> None:
    assert OfficeScope(frozenset({WANGMO, XINGYI})).holds({WANGMO, XINGYI})
    with pytest.raises(OutOfScope, match="此账户无权查看或更改其他信访局"):
        OfficeScope(frozenset({WANGMO})).require({WANGMO, XINGYI})


def test_the_prefecture_staff_hold_every_office_even_ones_created_later() -> None:
    assert EVERY_OFFICE.everything and EVERY_OFFICE.holds({WANGMO, XINGYI, ANLONG, 99})
    assert not OfficeScope(frozenset()).touches({WANGMO})  # a lawyer's account holds no office
