"""Benchmark the solver on the generated problems and compare it with the greedy baseline.

    python bench/solver.py --size county-quarter
    python bench/solver.py --size all --time-limit 60 --repeat 3 --json bench/results/solver.json

Each run of each size happens in a child process of its own, so that the peak memory (peak
RSS) belongs to that size alone. A run checks the solver's roster with `check()` and judges
the greedy roster with the same checker; the benchmark fails (exit 1) when the solver's roster
breaks a hard rule or costs more than the greedy one. With --repeat, figures are medians.
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
)
# Time limits when --time-limit is not given: enough for each size to get near its optimum.
DEFAULT_TIME_LIMITS = {"county-quarter": 10.0, "prefecture-year": 30.0, "province-year": 60.0}


def run_one(size: str, time_limit_s: float, workers: int, seed: int) -> dict[str, Any]:
    """Generate, solve, check and compare one size in this process; the figures of one run."""
    from scheduler.solver import SolveParams, check, solve

    problem = generate(size)
    greedy_result = check(problem, greedy(problem))
    solution = solve(problem, SolveParams(time_limit_s=time_limit_s, workers=workers, seed=seed))
    report = solution.report
    checked = check(problem, solution.assignments)
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
        # Not written to the JSON file; the parent turns them into failures.
        "violations": [v.message for v in checked.violations],
        "checked_objective": checked.objective,
        "greedy_violations": [v.message for v in greedy_result.violations],
    }


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
        values = [run[key] for run in runs if run[key] is not None]
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
    header = "size,status,first (s),optimum at (s),wall (s),objective,bound,gap,peak RSS (MB),greedy,saved vs greedy"
    lines: list[tuple[str, ...]] = [tuple(header.split(","))]
    for row in rows:
        objective, greedy_objective = row["objective"], row["greedy_objective"]
        saved = f"{1 - objective / greedy_objective:.1%}" if objective is not None and greedy_objective else "-"
        lines.append(
            (
                row["size"],
                row["status"],
                _fmt(row["first_solution_s"], ".2f"),
                _fmt(row["wall_s"], ".2f") if row["status"] == "optimal" else "not proven",
                _fmt(row["wall_s"], ".2f"),
                _fmt(objective, ",.0f"),
                _fmt(row["bound"], ",.0f"),
                _fmt(row["gap"], ".2%"),
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
    parser.add_argument("--run-one", choices=list(SIZES), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.workers < 1 or (args.time_limit is not None and args.time_limit <= 0):
        parser.error("--repeat and --workers must be at least 1, --time-limit positive")

    if args.run_one:
        limit = args.time_limit or DEFAULT_TIME_LIMITS[args.run_one]
        print(json.dumps(run_one(args.run_one, limit, args.workers, args.seed)))
        return 0

    sizes = list(SIZES) if args.size == "all" else [args.size]
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
