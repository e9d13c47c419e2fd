"""Property tests on random small problems: valid rosters, the checker agrees, tiny ones are optimal."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduler.core.problem import LEADER_DAY, WINDOW, Problem, Weights
from scheduler.solver import check
from scheduler.solver.objective import can_serve
from tests.builders import day, duty, lawyer, office, problem, solve_and_check

SETTINGS = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def problems(draw: st.DrawFn, max_lawyers: int, max_duties: int) -> Problem:
    """Random problems over one or two offices, touching every rule and term."""
    office_ids = range(1, draw(st.integers(1, 2)) + 1)
    wanted = st.sampled_from([frozenset(), frozenset({"buyi"})])
    offices = [office(i, wanted_languages=draw(wanted)) for i in office_ids]
    weekdays = st.sets(st.integers(0, 6), max_size=2)
    lawyers = [
        lawyer(
            i,
            offices=draw(st.sets(st.sampled_from(list(office_ids)), max_size=2)),
            firm_id=draw(st.sampled_from([None, 1, 2])),
            first_practice_year=draw(st.integers(2014, 2026)),
            specialties=draw(st.sets(st.sampled_from(["land", "labour"]), max_size=1)),
            languages=draw(st.sets(st.sampled_from(["buyi", "mandarin"]), max_size=2)),
            unavailable={day(n) for n in draw(st.sets(st.integers(0, 40), max_size=2))},
            max_per_month=draw(st.integers(1, 3)),
            preferred_weekdays=draw(weekdays),
            undesired_weekdays=draw(weekdays),
            history_duties=draw(st.integers(0, 3)),
        )
        for i in range(1, draw(st.integers(1, max_lawyers)) + 1)
    ]
    duties = [
        duty(
            i,
            draw(st.integers(0, 40)),
            office_id=draw(st.sampled_from(list(office_ids))),
            kind=draw(st.sampled_from([WINDOW, WINDOW, LEADER_DAY])),
            needed=draw(st.integers(1, 2)),
            min_years=draw(st.sampled_from([0, 0, 5])),
            specialty=draw(st.sampled_from([None, None, "land"])),
            language=draw(st.sampled_from([None, None, None, "buyi"])),
        )
        for i in range(1, draw(st.integers(0, max_duties)) + 1)
    ]
    pairs = [(d.id, x.id) for d in duties for x in lawyers if can_serve(x, d)]
    fixed = draw(st.sets(st.sampled_from(pairs), max_size=2)) if pairs else set()
    everything = [(d.id, x.id) for d in duties for x in lawyers]
    previous = draw(st.sets(st.sampled_from(everything), max_size=3)) if everything else set()
    weight = st.sampled_from([0, 1, 3, 10])
    weights = Weights(
        uncovered=draw(st.sampled_from([0, 40, 1000])),
        **{name: draw(weight) for name in ("fairness", "undesired_weekday", "preferred_weekday", "spacing")},
        **{name: draw(weight) for name in ("leader_fit", "language", "firm_diversity", "stability")},
    )
    gap = draw(st.integers(0, 8))
    return problem(lawyers, duties, offices, fixed=fixed, previous=previous, weights=weights, min_gap_days=gap)


def all_rosters(p: Problem) -> Iterator[dict[int, tuple[int, ...]]]:
    """Every roster whose teams are eligible and no larger than needed (the checker judges the rest)."""
    choices = []
    for d in p.duties:
        eligible = [x.id for x in p.lawyers if can_serve(x, d)]
        choices.append([team for k in range(d.needed + 1) for team in itertools.combinations(eligible, k)])
    for teams in itertools.product(*choices):
        yield {d.id: team for d, team in zip(p.duties, teams, strict=True)}


@SETTINGS
@given(problems(max_lawyers=4, max_duties=4))
def test_on_tiny_problems_the_solver_finds_the_brute_force_optimum(p: Problem) -> None:
    valid = [result.objective for roster in all_rosters(p) if (result := check(p, roster)).ok]
    report = solve_and_check(p).report
    if not valid:
        assert report.status == "infeasible"
    else:
        assert report.status == "optimal"
        assert report.objective == min(valid)


@SETTINGS
@given(problems(max_lawyers=8, max_duties=12))
def test_on_small_problems_the_roster_is_valid_and_the_checker_agrees(p: Problem) -> None:
    report = solve_and_check(p).report
    assert report.status in ("optimal", "infeasible")
    if report.status == "infeasible":
        assert report.conflicts
        assert not check(p, {d: [x for d2, x in p.fixed if d2 == d] for d, _ in p.fixed}).ok
