"""The optimisation core: build a roster with CP-SAT, check it independently, explain open places."""

from scheduler.solver.check import CheckResult, Move, Violation, best_move, check
from scheduler.solver.params import SolveParams
from scheduler.solver.report import PoolFairness, Progress, Reason, Solution, SolveReport, Unstaffed
from scheduler.solver.search import solve

__all__ = [
    "CheckResult",
    "Move",
    "PoolFairness",
    "Progress",
    "Reason",
    "Solution",
    "SolveParams",
    "SolveReport",
    "Unstaffed",
    "Violation",
    "best_move",
    "check",
    "solve",
]
