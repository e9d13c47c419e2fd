"""Tiny helpers to build `Problem`s in tests: sensible defaults, override what the test is about."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scheduler.config import Settings
from scheduler.core.problem import LEADER_DAY, WINDOW, Duty, InactivePeriod, Lawyer, Office, Problem, Weights
from scheduler.solver import Solution, SolveParams, check, solve

MONDAY = dt.date(2026, 3, 2)  # day 0 of every test calendar
# Redis runs on every machine of this project (and .ci/run starts it): its tests use it for real, never skip.
TEST_REDIS_URL = os.environ.get("SCHEDULER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def settings_for(db_url: str, folder: Path, **overrides: Any) -> Settings:
    """Settings of a test: its database, an instance and a calendars folder under `folder`, a fixed secret."""
    fields: dict[str, Any] = {
        "instance_dir": folder / "instance",
        "database_url": db_url,
        "secret_key": "test-secret",
        "calendars_dir": folder / "calendars",
        **overrides,
    }
    return Settings(**fields)


def day(n: int) -> dt.date:
    """The date `n` days after the test calendar's first Monday (day(0) is a Monday)."""
    return MONDAY + dt.timedelta(days=n)


def office(id: int = 1, **overrides: Any) -> Office:
    """An office with code "5223{id:02d}" and no wanted languages unless overridden."""
    return Office(**{"id": id, "code": f"5223{id:02d}", "name": f"Office {id}", **overrides})


def lawyer(id: int, **overrides: Any) -> Lawyer:
    """A lawyer of office 1 with 16 years in practice (in 2026), a firm of their own, no wishes."""
    fields: dict[str, Any] = {
        "id": id,
        "name": f"Lawyer {id}",
        "firm_id": 1000 + id,
        "first_practice_year": 2010,
        "offices": frozenset({1}),
    }
    fields.update(overrides)
    for name in ("specialties", "languages", "offices", "unavailable", "preferred_weekdays", "undesired_weekdays"):
        fields[name] = frozenset(fields.get(name, ()))
    return Lawyer(**fields)


def duty(id: int, when: int | dt.date, **overrides: Any) -> Duty:
    """A 9:00-12:00 window duty at office 1 needing one lawyer; `when` is a date or a day number."""
    date = day(when) if isinstance(when, int) else when
    fields: dict[str, Any] = {
        "id": id,
        "office_id": 1,
        "date": date,
        "start": dt.time(9),
        "end": dt.time(12),
        "kind": WINDOW,
    }
    return Duty(**{**fields, **overrides})


def only(**weights: int) -> Weights:
    """Weights with every term switched off except those given."""
    zero = {f.name: 0 for f in dataclasses.fields(Weights)}
    return Weights(**{**zero, **weights})


def problem(
    lawyers: Iterable[Lawyer],
    duties: Iterable[Duty],
    offices: Iterable[Office] | None = None,
    **overrides: Any,
) -> Problem:
    """A problem over the given lawyers and duties; offices default to every office id they mention."""
    lawyers, duties = tuple(lawyers), tuple(duties)
    if offices is None:
        ids = {d.office_id for d in duties} | {o for lawyer in lawyers for o in lawyer.offices}
        offices = [office(i) for i in sorted(ids)]
    dates = [d.date for d in duties] or [MONDAY]
    fields: dict[str, Any] = {"start": min(dates), "end": max(dates), "weights": Weights()}
    fields.update(overrides)
    for name in ("fixed", "previous"):
        fields[name] = frozenset(fields.get(name, ()))
    return Problem(offices=tuple(offices), lawyers=lawyers, duties=duties, **fields)


def sample_region(
    seed: int = 0,
    *,
    prefectures: int = 1,
    offices: int = 10,
    lawyers: int = 150,
    weeks: int = 52,
    leader_days: int = 120,
) -> Problem:
    """A random region shaped like the real thing, per prefecture: weekly window duties (1-2 lawyers)
    at each office, dated leader days needing seniors, lawyers who mostly serve one office and
    sometimes a neighbouring second, with unavailable days, wishes, history and a few suspensions."""
    rng = random.Random(seed)
    start = dt.date(2026, 1, 5)
    all_offices: list[Office] = []
    all_lawyers: list[Lawyer] = []
    all_duties: list[Duty] = []
    for p in range(prefectures):
        ids = [p * offices + i + 1 for i in range(offices)]
        for i in ids:
            wanted = frozenset({"buyi"}) if rng.random() < 0.5 else frozenset()
            all_offices.append(office(i, code=f"52{p + 1:02d}{i:02d}", wanted_languages=wanted))
            weekday = rng.randrange(5)
            for week in range(weeks):
                date = start + dt.timedelta(weeks=week, days=weekday)
                all_duties.append(duty(len(all_duties) + 1, date, office_id=i, needed=rng.choice((1, 2))))
        for _ in range(leader_days * weeks // 52):
            date = start + dt.timedelta(weeks=rng.randrange(weeks), days=rng.randrange(5))
            specialty = rng.choice((None, None, None, "land", "labour"))
            all_duties.append(
                duty(len(all_duties) + 1, date, office_id=rng.choice(ids), kind=LEADER_DAY, min_years=3,
                     specialty=specialty, start=dt.time(14, 30), end=dt.time(17, 30))
            )  # fmt: skip
        for _ in range(lawyers):
            home = rng.randrange(offices)
            served = {ids[home]} | ({ids[(home + 1) % offices]} if rng.random() < 0.2 else set())
            unavailable = {start + dt.timedelta(days=rng.randrange(weeks * 7)) for _ in range(rng.randrange(15))}
            suspended: tuple[InactivePeriod, ...] = ()
            if rng.random() < 0.03:
                begin = start + dt.timedelta(weeks=rng.randrange(weeks))
                suspended = (InactivePeriod(begin, begin + dt.timedelta(weeks=8), "suspended"),)
            all_lawyers.append(
                lawyer(
                    len(all_lawyers) + 1,
                    firm_id=p * 100 + rng.randrange(30),
                    first_practice_year=rng.randrange(1995, 2025),
                    specialties=rng.sample(("land", "labour", "family", "administrative"), rng.randrange(3)),
                    languages={"mandarin"} | ({"buyi"} if rng.random() < 0.3 else set()),
                    offices=served,
                    unavailable=unavailable,
                    inactive=suspended,
                    max_per_month=rng.choice((2, 3, 4, 4)),
                    preferred_weekdays={rng.randrange(5)} if rng.random() < 0.2 else (),
                    undesired_weekdays={rng.randrange(5)} if rng.random() < 0.2 else (),
                    history_duties=rng.randrange(9),
                )
            )
    return problem(all_lawyers, all_duties, all_offices, start=start, end=start + dt.timedelta(weeks=weeks))


def solve_and_check(problem: Problem, **params: Any) -> Solution:
    """Solve (10 s limit unless given) and assert what every full solve must satisfy.

    Every duty is in the roster with sorted lawyer ids; a roster with a status of
    "optimal" or "feasible" breaks no hard rule, and the checker's objective and terms
    equal the solver's.
    """
    solution = solve(problem, SolveParams(**{"time_limit_s": 10.0, **params}))
    assert set(solution.assignments) == {d.id for d in problem.duties}
    assert all(list(team) == sorted(team) for team in solution.assignments.values())
    report = solution.report
    if report.status in ("optimal", "feasible"):
        checked = check(problem, solution.assignments)
        assert checked.violations == ()
        assert checked.terms == report.terms
        assert checked.objective == report.objective == sum(report.terms.values())
    return solution
