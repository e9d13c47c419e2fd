"""How fast the command line starts: `scheduler --help` and `scheduler publish --help`.

    python bench/cli_startup.py [--repeat 11] [--json FILE]

Each command runs in a fresh interpreter, `--repeat` times; the figures are medians, and the ratio to a bare
`python -c pass` run in the same process (the interpreter's own start) makes runs on noisy, shared
machines comparable. Target: `scheduler --help` under 0.3 s on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

CASES = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "scheduler --help": [sys.executable, "-m", "scheduler.cli.entry", "--help"],
    "scheduler publish --help": [sys.executable, "-m", "scheduler.cli.entry", "publish", "--help"],
    "scheduler solve --help": [sys.executable, "-m", "scheduler.cli.entry", "solve", "--help"],
}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run(repeat: int) -> dict[str, Any]:
    """Median seconds of each case, and its ratio to the bare interpreter."""
    samples: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(repeat):
        # Interleaved, so that a burst of load on the machine touches every case alike.
        for name, command in CASES.items():
            samples[name].append(timed(command))
    base = statistics.median(samples["python -c pass (baseline)"])
    return {
        name: {"median_s": round(statistics.median(s), 3), "ratio_to_python": round(statistics.median(s) / base, 1)}
        for name, s in samples.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=11)
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures to this file.")
    args = parser.parse_args()
    figures = run(args.repeat)
    for name, row in figures.items():
        print(f"{name:<28} {row['median_s']:>7.3f} s  ({row['ratio_to_python']}x python)")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
