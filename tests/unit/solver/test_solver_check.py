"""The checker on hand-made rosters: plain-English violations and the objective from the problem alone."""

from __future__ import annotations

from scheduler.core.problem import LEADER_DAY, InactivePeriod, Weights
from scheduler.solver import CheckResult, check
from tests.builders import day, duty, lawyer, office, only, problem


def rules(result: CheckResult) -> list[str]:
    return [v.rule for v in result.violations]


def test_a_valid_roster_has_no_violations_and_terms_that_sum_to_the_objective() -> None:
    p = problem([lawyer(1), lawyer(2)], [duty(1, 0), duty(2, 7)])
    result = check(p, {1: [1], 2: [2]})
    assert result.ok
    assert result.objective == sum(result.terms.values())
    assert list(result.terms) == [
        "uncovered",
        "fairness",
        "undesired_weekday",
        "preferred_weekday",
        "spacing",
        "leader_fit",
        "language",
        "firm_diversity",
        "stability",
    ]


def test_each_pair_rule_is_reported_with_duty_lawyer_and_date() -> None:
    suspended = (InactivePeriod(day(0), day(9), "suspended", "纪律处分"),)
    lawyers = [
        lawyer(1, offices={2}),
        lawyer(2, inactive=suspended),
        lawyer(3, unavailable={day(0)}),
        lawyer(4, first_practice_year=2025),
    ]
    p = problem(lawyers, [duty(5, 0, needed=4, min_years=2, specialty="land", language="buyi")])
    result = check(p, {5: [1, 2, 3, 4]})
    by_lawyer: dict[int | None, list[str]] = {}
    for v in result.violations:
        assert v.duty_id == 5
        by_lawyer.setdefault(v.lawyer_id, []).append(v.rule)
    assert by_lawyer[1] == ["office", "specialty", "language"]
    assert by_lawyer[2] == ["active", "specialty", "language"]
    assert by_lawyer[3] == ["available", "specialty", "language"]
    assert by_lawyer[4] == ["min_years", "specialty", "language"]
    messages = {v.rule: v.message for v in result.violations}
    assert messages["office"] == "lawyer 1 (Lawyer 1) may not serve office 522301 (Office 1) (duty 5 on 2026-03-02)"
    assert messages["active"] == "lawyer 2 (Lawyer 2) is suspended on 2026-03-02: 纪律处分 (duty 5 on 2026-03-02)"
    assert messages["min_years"] == "duty 5 on 2026-03-02 needs 2 years in practice; lawyer 4 (Lawyer 4) has 1"


def test_rules_about_a_lawyers_other_duties_are_reported() -> None:
    p = problem([lawyer(1, max_per_month=2, offices={1, 2})], [duty(1, 0), duty(2, 0, office_id=2), duty(3, 3)])
    result = check(p, {1: [1], 2: [1], 3: [1]})
    assert rules(result) == ["one_per_day", "min_gap", "min_gap", "monthly_limit"]
    assert result.violations[0].message == "lawyer 1 (Lawyer 1) serves duties 1 and 2 on the same day 2026-03-02"
    assert result.violations[-1].message == "lawyer 1 (Lawyer 1) serves 3 duties in 2026-03; the limit is 2"


def test_capacity_fixed_pairs_and_unknown_ids_are_reported() -> None:
    p = problem([lawyer(1), lawyer(2)], [duty(1, 0), duty(2, 7)], fixed={(2, 2)})
    result = check(p, {1: [1, 2, 1, 9], 3: [1]})
    assert rules(result) == ["duplicate", "unknown_lawyer", "capacity", "unknown_duty", "fixed"]


def test_the_objective_is_recomputed_from_the_problem() -> None:
    offices = [office(1, wanted_languages=frozenset({"buyi"}))]
    lawyers = [
        lawyer(1, firm_id=3, undesired_weekdays={0}, first_practice_year=2020),
        lawyer(2, firm_id=3, preferred_weekdays={4}),
    ]
    duties = [duty(1, 0, needed=3), duty(2, 7, kind=LEADER_DAY)]
    p = problem(lawyers, duties, offices, previous={(2, 2)}, min_gap_days=7)
    result = check(p, {1: [1, 2], 2: [1]})
    w = Weights()
    assert result.terms["uncovered"] == 1 * w.uncovered
    assert result.terms["undesired_weekday"] == 2 * w.undesired_weekday  # lawyer 1 twice on a Monday
    assert result.terms["preferred_weekday"] == 1 * w.preferred_weekday
    assert result.terms["spacing"] == 1 * w.spacing  # lawyer 1: days 0 and 7
    assert result.terms["leader_fit"] == (4 + 3) * w.leader_fit
    assert result.terms["language"] == 1 * w.language  # the leader day does not count
    assert result.terms["firm_diversity"] == 1 * w.firm_diversity
    assert result.terms["stability"] == 1 * w.stability
    # D = 4 places, lawyer 1 can serve both dates, lawyer 2 both: targets 20 each; counts 2 and 1.
    assert result.terms["fairness"] == (0 + 10) * w.fairness


def test_weights_scale_terms_and_zero_switches_them_off() -> None:
    p = problem([lawyer(1)], [duty(1, 0, needed=2)], weights=only(uncovered=3))
    assert check(p, {1: [1]}).terms == {**dict.fromkeys(check(p, {}).terms, 0), "uncovered": 3}
