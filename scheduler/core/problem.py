"""The roster problem as plain, frozen values: what the solver and the checker consume.

Nothing here knows about the database or the web. The service layer builds a
`Problem` from the ORM (`scheduler.planning.problem_builder`), the standalone JSON
format (`scheduler.solver.problem_format`) builds one from a file, and tests build
them by hand (`tests/builders.py`).

Identifiers are plain integers (database ids, or ids from the JSON document).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

WINDOW = "window"
LEADER_DAY = "leader_day"


@dataclass(frozen=True)
class Office:
    """A petition office whose duties lawyers staff."""

    id: int
    code: str
    name: str
    # Languages the office wants present on its window days (e.g. "buyi").
    wanted_languages: frozenset[str] = frozenset()


@dataclass(frozen=True)
class InactivePeriod:
    """A span in which a lawyer may not serve because of their status.

    `end` is inclusive; `None` means open-ended (a removal).
    """

    start: dt.date
    end: dt.date | None
    status: str  # "suspended" or "removed"
    reason: str = ""

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Lawyer:
    """A lawyer who may be put on duty, with everything that decides eligibility."""

    id: int
    name: str
    firm_id: int | None
    first_practice_year: int
    specialties: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    offices: frozenset[int] = frozenset()  # ids of offices this lawyer may serve
    unavailable: frozenset[dt.date] = frozenset()
    inactive: tuple[InactivePeriod, ...] = ()
    max_per_month: int = 4
    preferred_weekdays: frozenset[int] = frozenset()  # 0 = Monday ... 6 = Sunday
    undesired_weekdays: frozenset[int] = frozenset()
    # Duties served in earlier periods that fairness carries over (see Weights.fairness).
    history_duties: int = 0

    def years_in_practice(self, on: dt.date) -> int:
        return on.year - self.first_practice_year

    def inactive_on(self, day: dt.date) -> InactivePeriod | None:
        return next((p for p in self.inactive if p.covers(day)), None)


@dataclass(frozen=True)
class Duty:
    """One slot to staff: an office, a date and time, and what the lawyers must bring."""

    id: int
    office_id: int
    date: dt.date
    start: dt.time
    end: dt.time
    kind: str  # WINDOW, LEADER_DAY, or any other duty type code
    needed: int = 1
    min_years: int = 0
    specialty: str | None = None
    language: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Weights:
    """Weights of the soft goals. Each may be 0 to switch its term off.

    Defaults are documented in docs/problem-format.md; they make firm diversity
    dominate, then fairness, then the wishes of individual lawyers.
    """

    # Each place a duty leaves unstaffed. Large so that coverage comes before every wish.
    uncovered: int = 10_000
    fairness: int = 10
    undesired_weekday: int = 5
    preferred_weekday: int = 2
    spacing: int = 1
    leader_fit: int = 3
    language: int = 8
    firm_diversity: int = 50
    stability: int = 100


@dataclass(frozen=True)
class Problem:
    """A whole planning period: the duties to staff and the lawyers who may staff them."""

    start: dt.date
    end: dt.date
    offices: tuple[Office, ...]
    lawyers: tuple[Lawyer, ...]
    duties: tuple[Duty, ...]
    # (duty id, lawyer id) pairs that must stay: past duties, duties pinned by a clerk.
    fixed: frozenset[tuple[int, int]] = frozenset()
    # (duty id, lawyer id) pairs of the published roster; changing one costs `stability`.
    previous: frozenset[tuple[int, int]] = frozenset()
    weights: Weights = field(default_factory=Weights)
    min_gap_days: int = 7  # at least this many days between two duties of one lawyer
