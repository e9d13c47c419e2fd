"""Why places stay open: reasons found by checking every lawyer against the rules and the final roster."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scheduler.core.problem import InactivePeriod, Problem
from scheduler.solver import Reason, Unstaffed
from scheduler.solver.explain import explain_unstaffed
from tests.builders import day, duty, lawyer, office, only, problem, solve_and_check


def only_unstaffed(p: Problem, roster: Mapping[int, Sequence[int]] | None = None) -> Unstaffed:
    """The single unstaffed duty of the solved (or given) roster."""
    found = explain_unstaffed(p, roster) if roster is not None else solve_and_check(p).report.unstaffed
    assert len(found) == 1, found
    return found[0]


def test_a_duty_whose_every_eligible_lawyer_is_unavailable_says_so() -> None:
    lawyers = [lawyer(i, unavailable={day(0)}) for i in range(1, 5)]
    gap = only_unstaffed(problem(lawyers, [duty(1, 0)], weights=only(uncovered=1000)))
    assert gap == Unstaffed(1, 1, (Reason("unavailable", (("count", 4), ("of", 4))),))
    assert gap.reasons[0].text() == "all 4 eligible lawyers are unavailable that day"
    assert gap.reasons[0].text("zh") == "全部4名符合条件的律师当天不能值班"


def test_a_duty_needing_a_language_nobody_has_names_the_language() -> None:
    lawyers = [lawyer(1, languages={"mandarin"}), lawyer(2, languages={"miao"})]
    gap = only_unstaffed(problem(lawyers, [duty(1, 0, language="buyi")], weights=only(uncovered=1000)))
    assert [r.code for r in gap.reasons] == ["language"]
    assert gap.reasons[0].text() == "needs a Buyi speaker; none is eligible"
    assert gap.reasons[0].text("zh") == "需要会布依语的律师；没有符合条件的律师"


def test_a_duty_after_every_lawyer_reached_the_monthly_limit_says_so() -> None:
    lawyers = [lawyer(1, max_per_month=1), lawyer(2, max_per_month=1)]
    duties = [duty(1, 0), duty(2, 7), duty(3, 14)]
    solution = solve_and_check(problem(lawyers, duties, weights=only(uncovered=1000)))
    (gap,) = solution.report.unstaffed
    assert gap.missing == 1
    assert [(r.code, r.param("count")) for r in gap.reasons] == [("monthly_limit", 2)]
    assert gap.reasons[0].text() == "the 2 remaining eligible lawyers have reached their monthly limit"


def test_an_office_nobody_may_serve_is_named() -> None:
    offices = [office(1), office(2, name="望谟县信访局")]
    gap = only_unstaffed(problem([lawyer(1)], [duty(1, 0, office_id=2)], offices, weights=only(uncovered=1000)))
    assert gap.reasons == (Reason("no_office_lawyer", (("office", "望谟县信访局"),)),)
    assert gap.reasons[0].text() == "no lawyer may serve office 望谟县信访局"


def test_reasons_narrow_the_candidates_stage_by_stage_with_counts() -> None:
    removed = (InactivePeriod(day(0), None, "removed"),)
    lawyers = [
        lawyer(1, inactive=removed),
        lawyer(2, first_practice_year=2025),
        lawyer(3, unavailable={day(0)}),
        lawyer(4, specialties={"land"}, unavailable={day(0)}),
    ]
    gap = only_unstaffed(problem(lawyers, [duty(1, 0, min_years=3)], weights=only(uncovered=1000)))
    assert [(r.code, r.param("count"), r.param("of")) for r in gap.reasons] == [
        ("inactive", 1, 4),
        ("min_years", 1, 3),
        ("unavailable", 2, 2),
    ]
    assert (
        gap.reasons[0].text()
        == "1 of the 4 lawyers who may serve office Office 1 are suspended or removed on 2026-03-02"
    )
    assert gap.reasons[1].text() == "1 of 3 active lawyers have fewer than 3 years in practice"


def test_lawyers_busy_on_the_roster_are_reasons_too() -> None:
    lawyers = [lawyer(1), lawyer(2), lawyer(3, offices={1, 2})]
    p = problem(lawyers, [duty(1, 0, needed=3), duty(2, 0, office_id=2), duty(3, 3)], min_gap_days=7)
    roster = {1: (1,), 2: (3,), 3: (2,)}
    gap = only_unstaffed(p, roster)
    assert gap.missing == 2
    assert [(r.code, r.param("count")) for r in gap.reasons] == [("on_this_duty", 1), ("same_day", 1), ("min_gap", 1)]


def test_a_place_someone_could_still_take_is_reported_as_not_chosen() -> None:
    p = problem([lawyer(1)], [duty(1, 0)], weights=only(undesired_weekday=5))
    gap = only_unstaffed(p, {1: ()})
    assert gap.reasons == (Reason("not_chosen", (("count", 1),)),)
    assert "could still take the place" in gap.reasons[0].text()


def test_a_fully_staffed_roster_has_nothing_to_explain() -> None:
    assert explain_unstaffed(problem([lawyer(1)], [duty(1, 0)]), {1: (1,)}) == ()
