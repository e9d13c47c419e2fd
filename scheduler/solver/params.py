"""Settings of one solver run."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scheduler.core.errors import InputError


@dataclass(frozen=True)
class SolveParams:
    """How long and how wide to search.

    `time_limit_s` bounds the whole call. `workers` is how many pools (independent parts of
    the problem) are searched at once; each search is single-threaded, so a problem of one
    pool uses one core. `seed` seeds CP-SAT: the same seed gives the same roster, whatever
    `workers` is, whenever the searches end before the time limit (with status "optimal").
    """

    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        if not (math.isfinite(self.time_limit_s) and self.time_limit_s > 0):
            raise InputError(f"time limit must be a positive number of seconds, got {self.time_limit_s}")
        if self.workers < 1:
            raise InputError(f"workers must be at least 1, got {self.workers}")
