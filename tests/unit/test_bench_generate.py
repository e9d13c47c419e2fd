"""The benchmark problems, the greedy baseline and the benchmark's own bookkeeping."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from bench.generate import SIZES, generate
from bench.greedy import greedy
from bench.solver import KEYS, failures, median_of, table
from scheduler.core.problem import LEADER_DAY, WINDOW
from scheduler.solver import check
from scheduler.solver.format_writing import problem_to_json
from scheduler.solver.objective import can_serve

ROOT = Path(__file__).resolve().parents[2]


def test_the_same_size_and_seed_give_the_same_problem_and_another_seed_another() -> None:
    assert generate("prefecture-year", seed=3) == generate("prefecture-year", seed=3)
    assert generate("prefecture-year", seed=3) != generate("prefecture-year", seed=4)


def test_the_problem_does_not_depend_on_the_string_hash_seed() -> None:
    # Sets are written sorted, so the text differs only if the problem does (and ortools stays unloaded).
    code = (
        "import dataclasses, hashlib, json; from bench.generate import generate; "
        "text = json.dumps(dataclasses.asdict(generate('prefecture-year')), "
        "default=lambda o: sorted(o, key=repr) if isinstance(o, frozenset) else str(o)); "
        "print(hashlib.sha256(text.encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


@pytest.mark.parametrize(
    ("size", "offices", "lawyers", "weeks", "leader_days", "prefectures"),
    [
        ("county-quarter", 1, 15, 13, 3, 1),
        ("prefecture-year", 10, 150, 52, 120, 1),
        ("province-year", 90, 1500, 52, 1080, 9),
    ],
)
def test_each_size_has_the_promised_counts(
    size: str, offices: int, lawyers: int, weeks: int, leader_days: int, prefectures: int
) -> None:
    problem = generate(size)
    assert len(problem.offices) == offices
    assert len(problem.lawyers) == lawyers
    assert (problem.end - problem.start).days + 1 == 7 * weeks
    kinds = Counter(duty.kind for duty in problem.duties)
    assert kinds == {WINDOW: offices * weeks, LEADER_DAY: leader_days}
    windows = Counter((duty.office_id, duty.date.weekday()) for duty in problem.duties if duty.kind == WINDOW)
    assert set(windows.values()) == {weeks}, "one window a week, on the office's own weekday"
    assert {duty.needed for duty in problem.duties} <= {1, 2}
    assert len({duty.id for duty in problem.duties}) == len(problem.duties)
    # Office codes start with their prefecture's code; prefectures share no lawyers.
    prefecture_of = {office.id: office.code[:4] for office in problem.offices}
    assert len(set(prefecture_of.values())) == prefectures
    assert all(len({prefecture_of[o] for o in lawyer.offices}) == 1 for lawyer in problem.lawyers)


def test_most_lawyers_serve_one_office_and_about_a_fifth_also_the_prefecture_bureau() -> None:
    problem = generate("prefecture-year")
    bureau = problem.offices[0].id
    two = [lawyer for lawyer in problem.lawyers if len(lawyer.offices) == 2]
    assert all(bureau in lawyer.offices for lawyer in two)
    assert all(len(lawyer.offices) <= 2 for lawyer in problem.lawyers)
    assert 0.10 <= len(two) / len(problem.lawyers) <= 0.30


def test_problems_carry_the_details_that_make_the_greedy_roster_costly() -> None:
    problem = generate("prefecture-year")
    lawyers = problem.lawyers
    assert sum(bool(lawyer.preferred_weekdays) for lawyer in lawyers) > 20
    assert sum(bool(lawyer.undesired_weekdays) for lawyer in lawyers) > 10
    assert sum(bool(lawyer.unavailable) for lawyer in lawyers) > 50
    assert sum(lawyer.history_duties > 0 for lawyer in lawyers) > 50
    assert any(lawyer.inactive for lawyer in lawyers)
    assert len({lawyer.firm_id for lawyer in lawyers}) > 10
    assert sum(bool(office.wanted_languages) for office in problem.offices) >= 5
    assert any(duty.specialty for duty in problem.duties)


@pytest.mark.parametrize("size", list(SIZES))
def test_the_greedy_roster_keeps_every_hard_rule(size: str) -> None:
    problem = generate(size)
    roster = greedy(problem)
    result = check(problem, roster)
    assert result.violations == ()
    assert set(roster) == {duty.id for duty in problem.duties}
    # It staffs nearly every place, so the solver's advantage lies in the soft goals.
    places = sum(duty.needed for duty in problem.duties)
    assert sum(len(team) for team in roster.values()) >= 0.95 * places


def test_the_greedy_roster_keeps_fixed_pairs() -> None:
    problem = generate("county-quarter")
    duty = problem.duties[0]
    last = max((lawyer for lawyer in problem.lawyers if can_serve(lawyer, duty)), key=lambda lawyer: lawyer.id)
    pinned = (duty.id, last.id)
    problem = dataclasses.replace(problem, fixed=frozenset({pinned}))
    roster = greedy(problem)
    assert pinned[1] in roster[pinned[0]]
    assert check(problem, roster).violations == ()


def test_generated_problems_are_valid_documents() -> None:
    from scheduler.solver.problem_format import problem_from_json

    problem = generate("prefecture-year")
    assert problem_from_json(json.loads(json.dumps(problem_to_json(problem)))) == problem


def _run(size: str, objective: int | None, greedy_objective: int, **extra: object) -> dict[str, object]:
    run: dict[str, object] = dict.fromkeys(KEYS)
    run.update(size=size, status="feasible", objective=objective, checked_objective=objective, bound=10)
    run.update(greedy_objective=greedy_objective, violations=[], greedy_violations=[], wall_s=1.0, peak_rss_mb=50.0)
    run.update(extra)
    return run


def test_repeated_runs_are_summed_up_by_their_medians() -> None:
    runs = [_run("x", 100, 200, wall_s=3.0, status="optimal"), _run("x", 100, 200, wall_s=1.0)]
    runs.append(_run("x", 100, 200, wall_s=2.0, status="optimal"))
    row = median_of(runs)
    assert row["wall_s"] == 2.0
    assert median_of(runs[:2])["wall_s"] == 1.0, "an observed value, not a mean of two"
    assert row["status"] == "optimal"
    assert row["first_solution_s"] is None
    assert set(row) == set(KEYS)
    assert "not proven" not in table([row]) and "50.0%" in table([row])


def test_a_roster_worse_than_greedy_or_breaking_a_rule_is_a_failure() -> None:
    assert failures([_run("x", 100, 200)]) == []
    assert failures([_run("x", 300, 200)]) == ["x: objective 300 is worse than greedy 200"]
    assert failures([_run("x", 100, 200, violations=["lawyer 1 ..."])]) == [
        "x: solver roster breaks a hard rule: lawyer 1 ..."
    ]
    assert failures([_run("x", None, 200, status="no_solution")]) == ["x: no roster found (no_solution)"]
