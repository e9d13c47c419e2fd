"""The solving commands on a database: solve, export problem, then the file commands on the export."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.orm import Session, sessionmaker

from scheduler.cli import main
from scheduler.db import transaction
from scheduler.planning.duties import generate_windows
from tests.integration.roster_fixtures import END, START, build_county


def _env(db_url: str, tmp_path: Path) -> dict[str, str]:
    return {"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")}


def test_export_problem_writes_a_document_the_file_commands_solve_and_check(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    with transaction(session_factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")
    runner = CliRunner()
    env = _env(db_url, tmp_path)
    problem, solution = tmp_path / "problem.json", tmp_path / "solution.json"
    exported = runner.invoke(main, ["export", "problem", "--from", str(START), "--to", str(END), str(problem)], env=env)
    assert exported.exit_code == 0, exported.output
    doc = json.loads(problem.read_text(encoding="utf-8"))
    assert doc["version"] == 1 and len(doc["duties"]) == 4 and len(doc["lawyers"]) == 8
    solved = runner.invoke(main, ["solve-file", str(problem), "--out", str(solution), "--time-limit", "10"], env=env)
    assert solved.exit_code == 0, solved.output
    checked = runner.invoke(main, ["check-file", str(problem), str(solution)], env=env)
    assert checked.exit_code == 0 and "no hard rule is broken" in checked.output


def test_solve_stores_a_draft_and_prints_the_breakdown(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    with transaction(session_factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")
    result = CliRunner().invoke(
        main, ["solve", "--from", str(START), "--to", str(END), "--time-limit", "10"], env=_env(db_url, tmp_path)
    )
    assert result.exit_code == 0, result.output
    assert "objective terms:" in result.output and "duties per lawyer, by pool:" in result.output
    assert "draft roster" in result.output and "version 1" in result.output


def test_bad_command_line_input_is_one_line_and_changes_nothing(db_url: str, tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(db_url, tmp_path)
    cases = [
        ["solve", "--from", "2026-03-29", "--to", "2026-03-01"],
        ["solve", "--from", "2026-13-01", "--to", "2026-03-01"],
        ["duties", "generate", "--from", "2026-03-01", "--to", "2026-03-29", "--office", "999999"],
        ["import", "lawyers", str(tmp_path / "missing.csv")],
        ["lawyer", "remove", "15223201011000999", "--from", "2026-03-01", "--reason", "x"],
    ]
    for args in cases:
        result = runner.invoke(main, args, env=env)
        assert result.exit_code != 0, args
        assert "Traceback" not in result.output, args
        lines = [line for line in result.output.splitlines() if line.strip()]
        # Our errors say 错误： (SCHEDULER_LANG=zh in tests); click's own usage errors say "Error:".
        assert lines and ("错误：" in lines[-1] or "error" in lines[-1].lower()), (args, result.output)


def test_solving_warns_when_duties_no_longer_match_the_working_days(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    from scheduler.planning.holidays import read_overrides, replace_years

    with transaction(session_factory) as session:
        build_county(session)
        generate_windows(session, START, END, "test")
        # A later arrangement shuts Wednesday 2026-03-11, after its window was generated.
        csv = tmp_path / "2026.csv"
        csv.write_text("date,kind,name\n2026-01-01,off,元旦\n2026-03-11,off,临时闭馆\n", encoding="utf-8")
        replace_years(session, read_overrides(csv, confirmed=True), "test")
    runner, env = CliRunner(), _env(db_url, tmp_path)
    result = runner.invoke(main, ["solve", "--from", str(START), "--to", str(END), "--time-limit", "10"], env=env)
    assert result.exit_code == 0, result.output
    assert "do not match the working-day calendar" in result.stderr
    assert f"scheduler duties replan --from {START} --to {END}" in result.stderr
    listed = runner.invoke(main, ["duties", "replan", "--from", str(START), "--to", str(END)], env=env)
    assert "2026-03-11 → 2026-03-12" in listed.output and "nothing changed; apply with --accept" in listed.output
