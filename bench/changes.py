"""Benchmark of roster changes on a published prefecture-year roster (not a test).

    python bench/changes.py [--repeat 3] [--json FILE]

Solves the generated prefecture-year problem once (the "published" roster), then measures, each
repeated and reported as the median:
- repairing after one removal: time, changed assignments, vacated places (target: changes equal
  vacated whenever a fill exists, at most 1 s);
- repairing after removing 10 % of one pool at once: time, changes, vacated places;
- cover suggestions for 60 duties: median and 95th percentile time (target: p95 at most 200 ms).
Everything runs on plain values (scheduler.changes.repair, scheduler.changes.suggest), so the figures are the
algorithms' own; the services add one database load and one write around them.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate
from scheduler.changes.repair import plan_repair, vacated_pairs
from scheduler.changes.suggest import suggest_cover
from scheduler.core.problem import InactivePeriod, Problem
from scheduler.solver import SolveParams, check, solve
from scheduler.solver.objective import pools

PARAMS = SolveParams(time_limit_s=30, workers=2, seed=0)


def _remove(problem: Problem, lawyer_ids: set[int], on: dt.date) -> Problem:
    lawyers = tuple(
        dataclasses.replace(lw, inactive=(*lw.inactive, InactivePeriod(on, None, "removed", "bench")))
        if lw.id in lawyer_ids
        else lw
        for lw in problem.lawyers
    )
    return dataclasses.replace(problem, lawyers=lawyers)


def _repair(problem: Problem, roster: dict[int, tuple[int, ...]], ids: set[int], on: dt.date) -> dict[str, Any]:
    changed = _remove(problem, ids, on)
    vacated = len(vacated_pairs(changed, roster, on))
    started = time.perf_counter()
    plan = plan_repair(changed, roster, on, today=on, params=PARAMS)
    seconds = time.perf_counter() - started
    assert check(changed, plan.assignments).violations == (), "the repaired roster breaks a rule"
    return {"s": seconds, "changed": plan.changed, "vacated": vacated, "unfilled": len(plan.unfilled)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    problem = generate("prefecture-year")
    solution = solve(problem, PARAMS)
    roster = {d: tuple(ls) for d, ls in solution.assignments.items()}
    assert check(problem, roster).violations == ()
    on = problem.start + dt.timedelta(weeks=26)  # mid-year: half the roster is in the past
    load = {lw.id: sum(lw.id in ls for d, ls in roster.items()) for lw in problem.lawyers}
    one = {max(load, key=lambda i: (load[i], -i))}
    pool = max(pools(problem), key=lambda p: len(p.lawyer_ids))
    tenth = set(sorted(pool.lawyer_ids, key=lambda i: (-load[i], i))[: max(1, len(pool.lawyer_ids) // 10)])

    ones = [_repair(problem, roster, one, on) for _ in range(args.repeat)]
    tenths = [_repair(problem, roster, tenth, on) for _ in range(args.repeat)]
    staffed = [(d, ls[0]) for d, ls in sorted(roster.items()) if ls][:: max(1, len(roster) // 60)][:60]
    timings = []
    for _ in range(args.repeat):
        for duty_id, lawyer_id in staffed:
            started = time.perf_counter()
            suggest_cover(problem, roster, duty_id, lawyer_id)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    figures = {
        "repair_one_s": round(statistics.median(r["s"] for r in ones), 3),
        "repair_one_changed": ones[0]["changed"],
        "repair_one_vacated": ones[0]["vacated"],
        "repair_tenth_s": round(statistics.median(r["s"] for r in tenths), 3),
        "repair_tenth_changed": tenths[0]["changed"],
        "repair_tenth_vacated": tenths[0]["vacated"],
        "repair_tenth_unfilled": tenths[0]["unfilled"],
        "suggest_p50_ms": round(statistics.median(timings), 1),
        "suggest_p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
        "solve_status": solution.report.status,
        "repeat": args.repeat,
    }
    for key, value in figures.items():
        print(f"{key:<24} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
