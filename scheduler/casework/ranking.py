"""Ranking the lawyers who could take an entrusted case: pure, free of the ORM, like the duty suggestions.

A candidate's score is a penalty, lower is better, with the figures behind it kept for the reason shown
beside the name (as a duty suggestion shows "2 duties this period, pool average 3.1"):
  no specialty matching the case's category   +SPECIALTY_MISS
  the case needs a language the lawyer lacks  +LANGUAGE_MISS
  each open case the lawyer already carries   +PER_OPEN_CASE
  each year in practice (up to YEARS_CAP)      -1
Ties go to the lower lawyer id, so the same data always gives the same list.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

SPECIALTY_MISS = 100
LANGUAGE_MISS = 50
# An open case outweighs any seniority (YEARS_CAP): work is spread before it goes to the most senior.
PER_OPEN_CASE = 20
YEARS_CAP = 20


@dataclass(frozen=True)
class CaseNeeds:
    """What a case asks of its lawyers."""

    category: str
    language: str = ""  # a language code, or "" when none is needed
    year: int = 2026  # the year in practice is counted to


@dataclass(frozen=True)
class Candidate:
    """A lawyer who may take cases, as plain values."""

    id: int
    name: str
    firm: str
    first_practice_year: int
    specialties: frozenset[str]
    languages: frozenset[str]
    open_cases: int


@dataclass(frozen=True)
class RankedLawyer:
    """A candidate with their score (lower is better) and the figures that explain it."""

    candidate: Candidate
    score: int
    specialty_match: bool
    language_match: bool
    years: int
    open_cases: int
    average_open: float  # open cases per candidate


def rank_lawyers(needs: CaseNeeds, candidates: Iterable[Candidate], limit: int = 10) -> list[RankedLawyer]:
    """The best `limit` candidates for a case with `needs`, best first (see the module docstring)."""
    pool = list(candidates)
    average = round(statistics.mean(c.open_cases for c in pool), 1) if pool else 0.0
    ranked = []
    for c in pool:
        specialty = bool(needs.category) and needs.category in c.specialties
        language = not needs.language or needs.language in c.languages
        years = max(0, needs.year - c.first_practice_year)
        score = (
            (0 if specialty else SPECIALTY_MISS)
            + (0 if language else LANGUAGE_MISS)
            + PER_OPEN_CASE * c.open_cases
            - min(years, YEARS_CAP)
        )
        ranked.append(RankedLawyer(c, score, specialty, language, years, c.open_cases, average))
    return sorted(ranked, key=lambda r: (r.score, r.candidate.id))[:limit]
