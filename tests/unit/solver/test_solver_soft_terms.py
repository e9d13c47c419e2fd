"""Each soft term alone: an exact expected cost, equal to the checker's; weight 0 switches it off."""

from __future__ import annotations

import dataclasses

import pytest

from scheduler.core.problem import LEADER_DAY, Problem, Weights
from scheduler.solver import objective
from scheduler.solver.model import PoolModel
from tests.builders import day, duty, lawyer, office, only, problem, solve_and_check

MONDAY, TUESDAY = 0, 1


def cost(p: Problem, term: str) -> int:
    """The solver's value of one term at the optimum (checked against the checker on the way)."""
    solution = solve_and_check(p)
    assert solution.report.status == "optimal"
    others = {name: value for name, value in solution.report.terms.items() if name != term}
    assert set(others.values()) == {0}, others
    return solution.report.terms[term]


def test_each_open_place_costs_the_uncovered_weight() -> None:
    p = problem([lawyer(1)], [duty(1, 0, needed=3)], weights=only(uncovered=7))
    assert cost(p, "uncovered") == 2 * 7


def test_an_assignment_on_an_undesired_weekday_costs_its_weight() -> None:
    p = problem(
        [lawyer(1, undesired_weekdays={MONDAY})], [duty(1, 0)], weights=only(uncovered=1000, undesired_weekday=5)
    )
    assert cost(p, "undesired_weekday") == 5


def test_the_solver_avoids_an_undesired_weekday_when_someone_else_can_serve() -> None:
    lawyers = [lawyer(1, undesired_weekdays={MONDAY}), lawyer(2)]
    p = problem(lawyers, [duty(1, 0)], weights=only(uncovered=1000, undesired_weekday=5))
    assert solve_and_check(p).assignments == {1: (2,)}


def test_an_assignment_off_the_preferred_weekdays_costs_its_weight() -> None:
    p = problem(
        [lawyer(1, preferred_weekdays={TUESDAY})],
        [duty(1, 0), duty(2, 8)],
        weights=only(uncovered=1000, preferred_weekday=2),
    )
    assert cost(p, "preferred_weekday") == 2  # Monday costs, the Tuesday eight days later does not


def test_a_lawyer_without_preferred_weekdays_pays_nothing_for_any_day() -> None:
    p = problem([lawyer(1)], [duty(1, 0)], weights=only(uncovered=1000, preferred_weekday=2))
    assert cost(p, "preferred_weekday") == 0


def test_each_pair_of_own_duties_closer_than_twice_the_gap_costs_spacing() -> None:
    p = problem(
        [lawyer(1)], [duty(1, 0), duty(2, 7), duty(3, 14)], weights=only(uncovered=1000, spacing=3), min_gap_days=7
    )
    assert cost(p, "spacing") == 2 * 3  # days 0-7 and 7-14; days 0-14 are far enough apart


def test_spacing_spreads_duties_between_lawyers() -> None:
    duties = [duty(1, 0), duty(2, 7), duty(3, 14)]
    p = problem([lawyer(1), lawyer(2)], duties, weights=only(uncovered=1000, spacing=1), min_gap_days=7)
    solution = solve_and_check(p)
    assert solution.report.objective == 0
    assert solution.assignments[1] == solution.assignments[3] != solution.assignments[2]


@pytest.mark.parametrize(
    ("first_year", "specialties", "duty_specialty", "points"),
    [
        (2020, (), None, (10 - 6) + 3),  # six years and no specialty
        (2020, ("land",), None, 10 - 6),
        (2020, ("land",), "land", 10 - 6),
        (1990, (), None, 3),  # seniority is capped at ten years
        (1990, ("labour",), None, 0),
    ],
)
def test_a_leader_day_costs_less_for_senior_and_specialised_lawyers(
    first_year: int, specialties: tuple, duty_specialty: str | None, points: int
) -> None:
    lawyers = [lawyer(1, first_practice_year=first_year, specialties=specialties)]
    duties = [duty(1, 0, kind=LEADER_DAY, specialty=duty_specialty)]
    p = problem(lawyers, duties, weights=only(uncovered=1000, leader_fit=3))
    assert cost(p, "leader_fit") == 3 * points


def test_leader_days_go_to_the_best_suited_lawyer() -> None:
    lawyers = [lawyer(1, first_practice_year=2023), lawyer(2, first_practice_year=2001, specialties={"land"})]
    p = problem(lawyers, [duty(1, 0, kind=LEADER_DAY)], weights=only(uncovered=1000, leader_fit=3))
    assert solve_and_check(p).assignments == {1: (2,)}


def test_a_window_without_a_speaker_of_a_wanted_language_costs_its_weight() -> None:
    offices = [office(1, wanted_languages=frozenset({"buyi"}))]
    p = problem([lawyer(1, languages={"mandarin"})], [duty(1, 0)], offices, weights=only(uncovered=1000, language=8))
    assert cost(p, "language") == 8


def test_the_solver_puts_a_speaker_on_a_window_that_wants_the_language() -> None:
    offices = [office(1, wanted_languages=frozenset({"buyi"}))]
    lawyers = [lawyer(1, languages={"mandarin"}), lawyer(2, languages={"buyi"})]
    p = problem(lawyers, [duty(1, 0)], offices, weights=only(uncovered=1000, language=8))
    assert solve_and_check(p).assignments == {1: (2,)}


def test_the_language_term_ignores_duties_other_than_windows() -> None:
    offices = [office(1, wanted_languages=frozenset({"buyi"}))]
    p = problem([lawyer(1)], [duty(1, 0, kind=LEADER_DAY)], offices, weights=only(uncovered=1000, language=8))
    assert cost(p, "language") == 0


def test_two_lawyers_of_one_firm_on_a_duty_cost_firm_diversity() -> None:
    lawyers = [lawyer(1, firm_id=5), lawyer(2, firm_id=5)]
    p = problem(lawyers, [duty(1, 0, needed=2)], weights=only(uncovered=1000, firm_diversity=50))
    assert cost(p, "firm_diversity") == 50


def test_the_solver_mixes_firms_on_a_duty_when_it_can() -> None:
    lawyers = [lawyer(1, firm_id=5), lawyer(2, firm_id=5), lawyer(3, firm_id=6)]
    p = problem(lawyers, [duty(1, 0, needed=2)], weights=only(uncovered=1000, firm_diversity=50))
    team = solve_and_check(p).assignments[1]
    assert 3 in team and len(team) == 2


def test_lawyers_without_a_firm_never_count_as_one_firm() -> None:
    lawyers = [lawyer(1, firm_id=None), lawyer(2, firm_id=None)]
    p = problem(lawyers, [duty(1, 0, needed=2)], weights=only(uncovered=1000, firm_diversity=50))
    assert cost(p, "firm_diversity") == 0


def test_each_dropped_pair_of_the_previous_roster_costs_stability() -> None:
    lawyers = [lawyer(1, unavailable={day(0)}), lawyer(2)]
    p = problem(lawyers, [duty(1, 0)], previous={(1, 1)}, weights=only(uncovered=1000, stability=100))
    solution = solve_and_check(p)
    assert solution.assignments == {1: (2,)}
    assert solution.report.terms["stability"] == 100


def test_the_solver_keeps_the_previous_roster_when_nothing_changed() -> None:
    lawyers = [lawyer(1), lawyer(2), lawyer(3)]
    duties = [duty(1, 0), duty(2, 7), duty(3, 14)]
    previous = {(1, 3), (2, 1), (3, 2)}
    p = problem(lawyers, duties, previous=previous, weights=only(uncovered=1000, stability=100))
    assert solve_and_check(p).assignments == {1: (3,), 2: (1,), 3: (2,)}


def test_fairness_charges_the_distance_to_a_fair_share() -> None:
    # Three places for two equally available lawyers: 1.5 each, so a 2-1 split is 0.5 off for both.
    p = problem(
        [lawyer(1), lawyer(2)],
        [duty(i, i - 1) for i in (1, 2, 3)],
        weights=only(uncovered=1000, fairness=10),
        min_gap_days=1,
    )
    assert objective.fairness_targets(p, objective.pools(p)[0]) == {1: 15, 2: 15}
    # floor((S*c - T)^2 / S) with S = 10: floor(5^2 / 10) = 2 for each.
    assert cost(p, "fairness") == 10 * (2 + 2)


def test_fairness_counts_history_so_the_busier_lawyer_serves_less() -> None:
    lawyers = [lawyer(1, history_duties=3), lawyer(2)]
    p = problem(lawyers, [duty(i, i - 1) for i in (1, 2, 3)], weights=only(uncovered=1000, fairness=10), min_gap_days=1)
    assert objective.fairness_targets(p, objective.pools(p)[0]) == {1: 0, 2: 30}
    solution = solve_and_check(p)
    assert solution.report.terms["fairness"] == 0
    assert all(team == (2,) for team in solution.assignments.values())


def test_fairness_shares_in_proportion_to_available_days() -> None:
    lawyers = [lawyer(1), lawyer(2, unavailable={day(0)})]
    p = problem(lawyers, [duty(i, i - 1) for i in (1, 2, 3)], weights=only(uncovered=1000, fairness=10), min_gap_days=1)
    # 3 places over 3 + 2 available days: 1.8 and 1.2, scaled by 10.
    assert objective.fairness_targets(p, objective.pools(p)[0]) == {1: 18, 2: 12}
    # 2 and 1 duties: floor(2^2 / 10) + floor(2^2 / 10) = 0; 1 and 2 would cost 6 + 6.
    assert cost(p, "fairness") == 0
    assert objective.fairness_units(1, 18) == objective.fairness_units(2, 12) == 6


def test_a_fair_share_rounds_half_up_and_never_goes_below_zero() -> None:
    lawyers = [lawyer(1, history_duties=9), lawyer(2), lawyer(3)]
    p = problem(lawyers, [duty(1, 0)], min_gap_days=1)
    # D + H = 10 over 3 equal lawyers: 33.3 - 90 < 0 becomes 0; the others get round(33.33) = 33.
    assert objective.fairness_targets(p, objective.pools(p)[0]) == {1: 0, 2: 33, 3: 33}


def test_fairness_is_convex_so_extra_work_is_spread_not_piled() -> None:
    # Four places, two equal lawyers (target 20 each): 2-2 costs 0, 3-1 costs 2 x floor(10^2 / 10).
    assert objective.fairness_units(2, 20) == 0
    assert objective.fairness_units(3, 20) + objective.fairness_units(1, 20) == 20
    # Above the share the cost keeps rising faster: a second extra duty costs three times the first.
    first = objective.fairness_units(3, 20) - objective.fairness_units(2, 20)
    second = objective.fairness_units(4, 20) - objective.fairness_units(3, 20)
    assert (first, second) == (10, 30)
    lawyers = [lawyer(1), lawyer(2), lawyer(3)]
    p = problem(
        lawyers, [duty(i, i - 1) for i in range(1, 7)], weights=only(uncovered=1000, fairness=1), min_gap_days=1
    )
    solution = solve_and_check(p)
    counts = [sum(x in team for team in solution.assignments.values()) for x in (1, 2, 3)]
    assert counts == [2, 2, 2]
    assert solution.report.terms["fairness"] == 0


def test_a_lawyer_allowed_at_two_offices_gets_no_larger_share_than_a_colleague() -> None:
    # Lawyer 1 may also serve office 2 (another weekday); lawyer 2 only office 1. Same availability.
    lawyers = [lawyer(1, offices={1, 2}), lawyer(2), lawyer(3, offices={2})]
    duties = [duty(i, 7 * (i - 1)) for i in range(1, 5)] + [duty(10 + i, 7 * i + 2, office_id=2) for i in range(4)]
    p = problem(lawyers, duties, [office(1), office(2)], weights=only(uncovered=1000, fairness=1))
    targets = objective.fairness_targets(p, objective.pools(p)[0])
    assert targets[1] == targets[2] == targets[3]


TERM_PATTERN = {
    # The helper variables each term creates, by name.
    "fairness": "fair_sq_",
    "spacing": "close_",
    "language": "no_language_",
    "firm_diversity": "firm_extra_",
}


def every_term_problem(weights: Weights) -> Problem:
    """A problem in which every term costs something at the optimum (with all weights on)."""
    offices = [office(1, wanted_languages=frozenset({"buyi"}))]
    lawyers = [
        lawyer(1, firm_id=5, undesired_weekdays={MONDAY}, preferred_weekdays={TUESDAY}, first_practice_year=2024),
        lawyer(2, firm_id=5, undesired_weekdays={MONDAY}, history_duties=4),
        lawyer(3, offices={2}),
    ]
    duties = [duty(1, 0, needed=3), duty(2, 7, needed=2), duty(3, 14, kind=LEADER_DAY, needed=2)]
    return problem(lawyers, duties, offices, weights=weights, previous={(1, 3)}, min_gap_days=7)


def test_with_every_weight_on_every_term_costs_something_in_the_pattern() -> None:
    terms = solve_and_check(every_term_problem(Weights())).report.terms
    assert all(value > 0 for value in terms.values()), terms


@pytest.mark.parametrize("term", objective.TERMS)
def test_a_zero_weight_switches_its_term_off_entirely(term: str) -> None:
    p = every_term_problem(dataclasses.replace(Weights(), **{term: 0}))
    model = PoolModel(p)
    assert set(model.terms) == set(objective.TERMS) - {term}
    prefix = TERM_PATTERN.get(term)
    if prefix:
        assert not any(v.name.startswith(prefix) for v in model.ctx.model.proto.variables)
    assert solve_and_check(p).report.terms[term] == 0
