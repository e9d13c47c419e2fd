"""Benchmark the solver on the generated problems and compare it with the greedy baseline.

    python bench/solver.py --size county-quarter
    python bench/solver.py --size all --time-limit 60 --repeat 3 --json bench/results/solver.json
    python bench/solver.py --size province-interlocked --reference-seconds 300   # store a reference

Each run of each size happens in a child process of its own, so that the peak memory (peak
RSS) belongs to that size alone. A run checks the solver's roster with `check()` and judges
the greedy roster with the same checker; the benchmark fails (exit 1) when the solver's roster
breaks a hard rule or costs more than the greedy one. With --repeat, figures are medians.

Besides the objective, each run is judged by measures the solver does not optimise: open places
(against the plain date-order greedy's), the sum of squared duties per lawyer, and the spread (most
minus fewest duties) among lawyers of a pool with the same eligibility and history. The gap to the
reference compares with bench/reference/<size>.json: a long run (--reference-seconds, stored with
the commit it came from) or a proven optimum.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    # Run as a script: make the repository importable (bench/ is not an installed package).
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import SIZES, generate
from bench.greedy import greedy

KEYS = (
    "size",
    "status",
    "first_solution_s",
    "wall_s",
    "objective",
    "bound",
    "gap",
    "peak_rss_mb",
    "greedy_objective",
    "open_places",
    "sum_squares",
    "spread",
    "best_solution_s",
    "reference_objective",
    "gap_to_reference",
    "greedy_open_places",
    "greedy_sum_squares",
    "greedy_spread",
)
REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
# Time limits when --time-limit is not given: enough for each size to get near its optimum.
DEFAULT_TIME_LIMITS = {
    "county-quarter": 10.0,
    "prefecture-year": 30.0,
    "province-year": 60.0,
    "prefecture-interlocked": 30.0,
    "province-interlocked": 30.0,
}


def run_one(size: str, time_limit_s: float, workers: int, seed: int) -> dict[str, Any]:
    """Generate, solve, check and compare one size in this process; the figures of one run."""
    from scheduler.solver import SolveParams, check, solve
    from scheduler.solver.measures import pool_fairness, spread, sum_squares

    problem = generate(size)
    greedy_roster = greedy(problem)
    greedy_result = check(problem, greedy_roster)
    solution = solve(problem, SolveParams(time_limit_s=time_limit_s, workers=workers, seed=seed))
    report = solution.report
    checked = check(problem, solution.assignments)
    fairness = pool_fairness(problem, solution.assignments)
    reference = load_reference(size)
    reference_objective = reference["objective"] if reference else None
    return {
        "size": size,
        "status": report.status,
        "first_solution_s": report.first_solution_s,
        "wall_s": report.wall_s,
        "objective": report.objective,
        "bound": report.bound,
        "gap": report.gap,
        # ru_maxrss is in KiB on Linux.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "greedy_objective": greedy_result.objective,
        "open_places": open_places(problem, solution.assignments),
        "sum_squares": sum_squares(fairness),
        "spread": spread(fairness),
        "best_solution_s": report.best_solution_s,
        "reference_objective": reference_objective,
        "gap_to_reference": (
            (checked.objective - reference_objective) / max(1, reference_objective)
            if reference_objective is not None
            else None
        ),
        "greedy_open_places": open_places(problem, greedy_roster),
        # The same measures of the date-order greedy's roster: what the solver is judged against.
        "greedy_sum_squares": sum_squares(pool_fairness(problem, greedy_roster)),
        "greedy_spread": spread(pool_fairness(problem, greedy_roster)),
        # Not written to the JSON file; the parent turns them into failures.
        "violations": [v.message for v in checked.violations],
        "checked_objective": checked.objective,
        "greedy_violations": [v.message for v in greedy_result.violations],
    }


def open_places(problem: Any, roster: dict[int, tuple[int, ...]]) -> int:
    """Places the roster leaves open."""
    return sum(max(0, duty.needed - len(roster.get(duty.id, ()))) for duty in problem.duties)


def load_reference(size: str) -> dict[str, Any] | None:
    """The stored reference result of a size (bench/reference/<size>.json), or None."""
    path = REFERENCE_DIR / f"{size}.json"
    return json.loads(path.read_text()) if path.exists() else None


def store_reference(size: str, seconds: float, workers: int, seed: int) -> dict[str, Any]:
    """A long run of one size, stored as its reference with the commit it came from."""
    # The commit is read before the run, so that it names the code that ran.
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=False, cwd=Path(__file__).parent
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "scheduler"],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).parent,
    ).stdout.strip()
    run = run_in_child(size, seconds, workers, seed)
    reference = {
        "size": size,
        "objective": run["checked_objective"],
        "status": run["status"],
        "open_places": run["open_places"],
        "sum_squares": run["sum_squares"],
        "spread": run["spread"],
        "seconds": seconds,
        "workers": workers,
        "seed": seed,
        "commit": commit + ("+uncommitted" if dirty else ""),
        "kind": "proven optimum" if run["status"] == "optimal" else f"best of a {seconds:g} s run",
    }
    REFERENCE_DIR.mkdir(exist_ok=True)
    (REFERENCE_DIR / f"{size}.json").write_text(json.dumps(reference, indent=2) + "\n")
    return reference


def run_in_child(size: str, time_limit_s: float, workers: int, seed: int) -> dict[str, Any]:
    """`run_one` in a fresh Python process, so that its peak memory is its own."""
    command = [sys.executable, __file__, "--run-one", size, "--time-limit", str(time_limit_s)]
    command += ["--workers", str(workers), "--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=3 * time_limit_s + 300, check=False)
    if done.returncode != 0:
        raise SystemExit(f"benchmark of {size} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from repeated runs: the most frequent status and the median of each figure.

    The median is the lower middle value (so always one that was measured), taken over the runs
    that have the figure: a run without a roster has no objective.
    """
    row: dict[str, Any] = {"size": runs[0]["size"]}
    row["status"] = Counter(run["status"] for run in runs).most_common(1)[0][0]
    for key in KEYS[2:]:
        values = [run.get(key) for run in runs if run.get(key) is not None]
        row[key] = statistics.median_low(values) if values else None
    return row


def failures(runs: list[dict[str, Any]]) -> list[str]:
    """What is wrong with these runs: broken rules, or a roster costing more than the greedy one."""
    found = []
    for run in runs:
        size = run["size"]
        found += [f"{size}: solver roster breaks a hard rule: {message}" for message in run["violations"]]
        found += [f"{size}: greedy roster breaks a hard rule: {message}" for message in run["greedy_violations"]]
        if run["objective"] is None:
            found.append(f"{size}: no roster found ({run['status']})")
            continue
        if run["checked_objective"] != run["objective"]:
            found.append(f"{size}: reported objective {run['objective']} but check() finds {run['checked_objective']}")
        if run["checked_objective"] > run["greedy_objective"]:
            found.append(f"{size}: objective {run['checked_objective']} is worse than greedy {run['greedy_objective']}")
    return found


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a fixed-width table; 'optimum at' is shown only when optimality was proven."""
    header = (
        "size,status,first (s),best at (s),optimum at (s),wall (s),objective,bound,gap,open,greedy open,"
        "sum squares,greedy sum squares,spread,greedy spread,gap to ref,peak RSS (MB),greedy,saved vs greedy"
    )
    lines: list[tuple[str, ...]] = [tuple(header.split(","))]
    for row in rows:
        objective, greedy_objective = row["objective"], row["greedy_objective"]
        saved = f"{1 - objective / greedy_objective:.1%}" if objective is not None and greedy_objective else "-"
        lines.append(
            (
                row["size"],
                row["status"],
                _fmt(row["first_solution_s"], ".2f"),
                _fmt(row.get("best_solution_s"), ".2f"),
                _fmt(row["wall_s"], ".2f") if row["status"] == "optimal" else "not proven",
                _fmt(row["wall_s"], ".2f"),
                _fmt(objective, ",.0f"),
                _fmt(row["bound"], ",.0f"),
                _fmt(row["gap"], ".2%"),
                _fmt(row.get("open_places"), "d"),
                _fmt(row.get("greedy_open_places"), "d"),
                _fmt(row.get("sum_squares"), ",d"),
                _fmt(row.get("greedy_sum_squares"), ",d"),
                _fmt(row.get("spread"), "d"),
                _fmt(row.get("greedy_spread"), "d"),
                _fmt(row.get("gap_to_reference"), ".2%"),
                _fmt(row["peak_rss_mb"], ",.0f"),
                _fmt(greedy_objective, ",.0f"),
                saved,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    return "\n".join("  ".join(cell.rjust(width) for cell, width in zip(line, widths, strict=True)) for line in lines)


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark as the command line asks; the exit status is 1 when a run failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=[*SIZES, "all"], default="county-quarter")
    parser.add_argument("--time-limit", type=float, help="seconds per solve (default: by size, 10/30/60)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; figures are medians")
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    parser.add_argument("--reference-seconds", type=float, help="store a run this long as the size's reference")
    parser.add_argument("--run-one", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.workers < 1 or (args.time_limit is not None and args.time_limit <= 0):
        parser.error("--repeat and --workers must be at least 1, --time-limit positive")

    if args.run_one:
        limit = args.time_limit or DEFAULT_TIME_LIMITS[args.run_one]
        print(json.dumps(run_one(args.run_one, limit, args.workers, args.seed)))
        return 0

    sizes = list(SIZES) if args.size == "all" else [args.size]
    if args.reference_seconds:
        for size in sizes:
            print(json.dumps(store_reference(size, args.reference_seconds, args.workers, args.seed)))
        return 0
    rows, problems = [], []
    for size in sizes:
        limit = args.time_limit or DEFAULT_TIME_LIMITS[size]
        runs = []
        for n in range(args.repeat):
            print(f"{size}: run {n + 1} of {args.repeat} (time limit {limit:g} s) ...", file=sys.stderr)
            runs.append(run_in_child(size, limit, args.workers, args.seed))
        rows.append(median_of(runs))
        problems += failures(runs)
    print(table(rows))
    if args.json:
        figures = [{key: row[key] for key in KEYS} for row in rows]
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures if len(figures) > 1 else figures[0], indent=2) + "\n")
    for problem in problems:
        print(f"FAILED {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
