"""The roster problem as plain, frozen values: what the solver and the checker consume.

Nothing here knows about the database or the web. The service layer builds a
`Problem` from the ORM (`scheduler.planning.problem_builder`), the standalone JSON
format (`scheduler.solver.problem_format`) builds one from a file, and tests build
them by hand (`tests/builders.py`).

Identifiers are plain integers (database ids, or ids from the JSON document).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

WINDOW = "window"
LEADER_DAY = "leader_day"
HOTLINE = "hotline"
# A duty's weight in the fairness share, in tenths of a window day (a hotline day may count 5: half).
FULL_SHARE = 10


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
    # How much the duty counts in the fairness share, in tenths of a window day (FULL_SHARE).
    share: int = FULL_SHARE
    # Offices whose lawyers may serve it (a remote hotline); empty: the duty's own office only.
    served_from: frozenset[int] = frozenset()

    @property
    def staff_offices(self) -> frozenset[int]:
        """The offices whose lawyers may serve this duty."""
        return self.served_from or frozenset((self.office_id,))


def serves(lawyer: Lawyer, duty: Duty) -> bool:
    """Whether the lawyer belongs to an office whose lawyers may serve the duty."""
    return not lawyer.offices.isdisjoint(duty.staff_offices)


def by_staff_office(duties: Iterable[Duty]) -> dict[int, list[Duty]]:
    """Duties by each office whose lawyers may serve them, in the given order.

    A remote duty appears under every office it may be served from, so a lawyer of several of
    those offices meets it more than once: use `own_duties` for one list per lawyer.
    """
    found: dict[int, list[Duty]] = {}
    for duty in duties:
        for office_id in sorted(duty.staff_offices):
            found.setdefault(office_id, []).append(duty)
    return found


def own_duties(lawyer: Lawyer, index: Mapping[int, Sequence[Duty]]) -> list[Duty]:
    """The duties of `index` (see `by_staff_office`) the lawyer's offices may serve, each once, by date and id."""
    seen: dict[int, Duty] = {}
    for office_id in lawyer.offices:
        for duty in index.get(office_id, ()):
            seen.setdefault(duty.id, duty)
    return sorted(seen.values(), key=lambda d: (d.date, d.id))


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
