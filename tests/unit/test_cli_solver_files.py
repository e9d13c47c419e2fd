"""`scheduler solve-file` and `scheduler check-file` as a user runs them (click's CliRunner)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from scheduler.cli import main
from scheduler.core.problem import LEADER_DAY, WINDOW, Duty, Lawyer, Office, Problem
from scheduler.solver import check
from scheduler.solver.format_writing import problem_to_json
from scheduler.solver.problem_format import assignments_from_solution_json, problem_from_json


def tiny_problem(**changes: object) -> Problem:
    """One office, three lawyers, four weekly windows and a leader day nobody can staff."""
    monday = dt.date(2026, 3, 2)
    fields: dict[str, object] = {
        "start": monday,
        "end": monday + dt.timedelta(days=27),
        "offices": (Office(1, "522326", "望谟县信访局", frozenset({"buyi"})),),
        "lawyers": (
            Lawyer(1, "韦丽", 1, 2010, languages=frozenset({"buyi"}), offices=frozenset({1})),
            Lawyer(2, "王明", 2, 2015, offices=frozenset({1}), unavailable=frozenset({monday + dt.timedelta(2)})),
            Lawyer(3, "岑芳", 2, 2019, offices=frozenset({1}), undesired_weekdays=frozenset({2})),
        ),
        "duties": (
            *(
                Duty(w + 1, 1, monday + dt.timedelta(weeks=w, days=2), dt.time(9), dt.time(17, 30), WINDOW)
                for w in range(4)
            ),
            Duty(5, 1, monday + dt.timedelta(days=17), dt.time(9), dt.time(12), LEADER_DAY, specialty="land"),
        ),
    }
    fields.update(changes)
    return Problem(**fields)  # type: ignore[arg-type]


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def write_problem(folder: Path, problem: Problem) -> Path:
    path = folder / "problem.json"
    path.write_text(json.dumps(problem_to_json(problem), ensure_ascii=False), encoding="utf-8")
    return path


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("错误：")
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.fixture
def solved(tmp_path: Path) -> tuple[Path, Path, Result]:
    problem_path = write_problem(tmp_path, tiny_problem())
    out = tmp_path / "solution.json"
    result = run("solve-file", str(problem_path), "--out", str(out), "--time-limit", "10", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert checked_violations(problem_path, out) == ()
    return problem_path, out, result


def checked_violations(problem_path: Path, solution_path: Path) -> tuple[str, ...]:
    """The rules that check() finds broken by the roster written to `solution_path`."""
    problem = problem_from_json(json.loads(problem_path.read_text(encoding="utf-8")))
    assignments = assignments_from_solution_json(json.loads(solution_path.read_text(encoding="utf-8")), problem)
    return tuple(violation.rule for violation in check(problem, assignments).violations)


def test_solve_file_writes_a_roster_that_check_file_accepts(solved: tuple[Path, Path, Result]) -> None:
    problem_path, out, result = solved
    assert "status: optimal" in result.stdout
    assert "objective terms:" in result.stdout and "fairness" in result.stdout
    assert "duties per lawyer, by pool:" in result.stdout

    checked = run("check-file", str(problem_path), str(out))
    assert checked.exit_code == 0, checked.output
    assert "no hard rule is broken" in checked.stdout
    reported = json.loads(out.read_text())["report"]["objective"]
    assert f"objective: {reported:,}" in checked.stdout


def test_solve_file_names_unstaffed_places_with_reasons_in_english(solved: tuple[Path, Path, Result]) -> None:
    _, _, result = solved
    assert "unstaffed places:" in result.stdout
    assert "duty 5, leader_day at 望谟县信访局 on 2026-03-19 09:00: 1 missing" in result.stdout
    assert "needs specialty land" in result.stdout


def test_check_file_exits_1_and_names_the_broken_rule_of_a_tampered_roster(
    solved: tuple[Path, Path, Result],
) -> None:
    problem_path, out, _ = solved
    doc = json.loads(out.read_text())
    doc["assignments"]["1"] = [2]  # lawyer 2 is unavailable on the first window day
    out.write_text(json.dumps(doc))
    result = run("check-file", str(problem_path), str(out))
    assert result.exit_code == 1
    assert "hard rules broken (1):" in result.stdout
    assert "available: lawyer 2 (王明) is unavailable on 2026-03-04" in result.stdout
    assert "objective:" in result.stdout


def test_solve_file_exits_1_when_fixed_pairs_make_the_problem_infeasible(tmp_path: Path) -> None:
    problem_path = write_problem(tmp_path, tiny_problem(fixed=frozenset({(1, 2)})))
    out = tmp_path / "solution.json"
    result = run("solve-file", str(problem_path), "--out", str(out), "--time-limit", "5")
    assert result.exit_code == 1
    assert "status: infeasible" in result.stdout
    assert "conflicts:" in result.stdout
    assert json.loads(out.read_text())["report"]["status"] == "infeasible"
    # The empty roster of an infeasible problem misses exactly the fixed pair that cannot be kept.
    assert checked_violations(problem_path, out) == ("fixed",)


def test_a_missing_file_gives_a_one_line_error(tmp_path: Path) -> None:
    result = run("check-file", str(tmp_path / "nope.json"), str(tmp_path / "sol.json"))
    assert_one_line_error(result, "无法读取", "nope.json", "No such file or directory")


def test_invalid_json_is_named_by_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "problem.json"
    path.write_text('{\n  "format": "petition-duty-problem",\n  "version": 1,,\n}\n')
    result = run("solve-file", str(path), "--out", str(tmp_path / "out.json"))
    assert_one_line_error(result, "problem.json：JSON 格式错误，第 3 行第 16 列")


def test_a_bad_field_is_named_by_its_path_on_one_line(tmp_path: Path) -> None:
    doc = problem_to_json(tiny_problem())
    doc["duties"][2]["needed"] = 0
    doc["lawyers"][1]["offices"] = [9]
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(doc))
    result = run("solve-file", str(path), "--out", str(tmp_path / "out.json"))
    assert_one_line_error(
        result, "duties[2].needed: must be >= 1", "lawyers[1].offices[0]: office 9 does not exist", "2 errors"
    )


def test_a_solution_naming_an_unknown_lawyer_gives_a_one_line_error(solved: tuple[Path, Path, Result]) -> None:
    problem_path, out, _ = solved
    doc = json.loads(out.read_text())
    doc["assignments"]["2"] = [99]
    out.write_text(json.dumps(doc))
    result = run("check-file", str(problem_path), str(out))
    assert_one_line_error(result, 'solution.json: invalid solution document (1 error): assignments["2"][0]: lawyer 99')


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--time-limit", "-1"], "--time-limit"),
        (["--time-limit", "soon"], "'soon' is not a valid float"),
        (["--workers", "0"], "--workers"),
        (["--colour"], "No such option '--colour'"),
    ],
)
def test_bad_options_give_a_one_line_error(tmp_path: Path, args: list[str], expected: str) -> None:
    problem_path = write_problem(tmp_path, tiny_problem())
    result = run("solve-file", str(problem_path), "--out", str(tmp_path / "out.json"), *args)
    assert_one_line_error(result, expected, "scheduler solve-file --help")


def test_a_missing_out_option_gives_a_one_line_error(tmp_path: Path) -> None:
    result = run("solve-file", str(write_problem(tmp_path, tiny_problem())))
    assert_one_line_error(result, "Missing option '--out'")


def test_an_output_folder_that_does_not_exist_is_refused_before_solving(tmp_path: Path) -> None:
    problem_path = write_problem(tmp_path, tiny_problem())
    result = run("solve-file", str(problem_path), "--out", str(tmp_path / "missing" / "out.json"))
    assert_one_line_error(result, "文件夹", "不存在")
    assert "status:" not in result.stdout
