"""Settings of one solver run."""

from __future__ import annotations

import math
from dataclasses import dataclass

from scheduler.core.errors import NotPositive, OutOfRange


@dataclass(frozen=True)
class SolveParams:
    """How long and how wide to search, and what makes a run repeatable.

    `time_limit_s` bounds the whole call. `workers` is how many searches run at once: small pools
    (independent parts of the problem) side by side, each proven by a single-threaded CP-SAT search,
    and then, for a pool too large to prove, that many neighbourhoods of its roster re-solved in
    parallel (large-neighbourhood search, see docs/solver-notes.md).

    Repeatability: with the same `seed`, a small pool (up to `search.QUICK_POOL_PAIRS` candidate pairs)
    whose search ends before the time limit (status "optimal") gets the same roster whatever `workers`
    is. Larger pools are improved by large-neighbourhood search before and instead of a proof; that
    search is repeatable when `neighbourhoods` is set: it then stops after that many neighbourhoods,
    each bounded by CP-SAT's deterministic time (`deterministic_time_s`, default 0.5 per neighbourhood)
    rather than the clock, so the same seed and `workers` give the same roster on the same machine, as
    long as the time limit does not cut the search first. `deterministic_time_s` also bounds each
    whole-pool search, which makes an unproven pool repeatable too. See docs/solver-notes.md.
    """

    time_limit_s: float = 30.0
    workers: int = 2
    seed: int = 0
    neighbourhoods: int | None = None
    deterministic_time_s: float | None = None

    def __post_init__(self) -> None:
        if not (math.isfinite(self.time_limit_s) and self.time_limit_s > 0):
            raise NotPositive(field="time_limit_s", value=self.time_limit_s)
        if self.workers < 1:
            raise OutOfRange(field="workers", minimum=1, value=self.workers)
        if self.neighbourhoods is not None and self.neighbourhoods < 0:
            raise OutOfRange(field="neighbourhoods", minimum=0, value=self.neighbourhoods)
        if self.deterministic_time_s is not None and not self.deterministic_time_s > 0:
            raise NotPositive(field="deterministic time", value=self.deterministic_time_s)
