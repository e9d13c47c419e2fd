"""Deterministic benchmark problems at three sizes, shaped like Guizhou's petition offices.

`generate(size, seed)` always returns the same `Problem` for the same arguments (on any
machine and whatever PYTHONHASHSEED is). The shapes follow docs in ../shared/DOMAIN.md:
a weekly window at each office on a fixed weekday, dated leader days needing senior lawyers
and sometimes a specialty, Buyi/Miao/Yi-speaking counties, law firms, weekday wishes,
unavailable days, suspensions and duties carried over from earlier periods.

Window days are plain weekdays: this generator has no working-day calendar, so holidays
and make-up workdays are ignored (the real service takes them from scheduler.core.workdays).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from dataclasses import dataclass

from scheduler.core.problem import LEADER_DAY, WINDOW, Duty, InactivePeriod, Lawyer, Office, Problem


@dataclass(frozen=True)
class Size:
    """How big a benchmark problem is."""

    prefectures: int
    counties: int  # county-level offices per prefecture
    prefecture_office: bool  # whether each prefecture's own petition bureau is an office too
    lawyers: int  # in total, split evenly between prefectures (which share none)
    weeks: int
    leader_days: int  # per prefecture, over the whole period
    # Lawyers also serve one to three neighbouring offices (so the whole province is one pool),
    # a third of the offices need two lawyers a window, and monthly limits are tighter.
    interlocked: bool = False


SIZES: dict[str, Size] = {
    "county-quarter": Size(prefectures=1, counties=1, prefecture_office=False, lawyers=15, weeks=13, leader_days=3),
    "prefecture-year": Size(prefectures=1, counties=9, prefecture_office=True, lawyers=150, weeks=52, leader_days=120),
    "province-year": Size(prefectures=9, counties=9, prefecture_office=True, lawyers=1500, weeks=52, leader_days=120),
    "prefecture-interlocked": Size(
        prefectures=1, counties=9, prefecture_office=True, lawyers=60, weeks=52, leader_days=120, interlocked=True
    ),
    "province-interlocked": Size(
        prefectures=9, counties=9, prefecture_office=True, lawyers=530, weeks=52, leader_days=120, interlocked=True
    ),
}

START = dt.date(2026, 1, 5)  # a Monday, so a period of whole weeks holds each weekday `weeks` times

# Guizhou's nine prefecture-level divisions (code, name); the benchmark's prefecture is Qianxinan.
PREFECTURES = (
    ("5223", "黔西南州"),
    ("5201", "贵阳市"),
    ("5202", "六盘水市"),
    ("5203", "遵义市"),
    ("5204", "安顺市"),
    ("5205", "毕节市"),
    ("5206", "铜仁市"),
    ("5226", "黔东南州"),
    ("5227", "黔南州"),
)
# Qianxinan's county-level offices, with the language a window there benefits from. 晴隆 and 普安
# speak another Buyi dialect than the main area, so a "buyi" speaker is not what they want.
QIANXINAN_COUNTIES = (
    ("522301", "兴义市", "buyi"),
    ("522302", "兴仁市", "buyi"),
    ("522323", "普安县", None),
    ("522324", "晴隆县", None),
    ("522325", "贞丰县", "buyi"),
    ("522326", "望谟县", "buyi"),
    ("522327", "册亨县", "buyi"),
    ("522328", "安龙县", "buyi"),
    ("522399", "义龙新区", None),  # a functional zone without a national code; 99 is ours
)
OTHER_LANGUAGES = (None, None, "miao", "buyi", "yi")  # what other prefectures' counties want
SPECIALTIES = ("land", "labour", "family", "administrative", "demolition", "social-security", "contract")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韦岑班"
GIVEN = "丽明华勇军芳静伟强敏燕杰磊娟涛超秀英刚平红霞斌波辉"


def generate(size: str, seed: int = 0) -> Problem:
    """The benchmark problem `size` (a key of SIZES) for `seed`; the same arguments give the same problem."""
    spec = SIZES[size]
    # A string seed is hashed with SHA-512 by `random`, independent of PYTHONHASHSEED.
    rng = random.Random(f"{size}/{seed}")
    end = START + dt.timedelta(weeks=spec.weeks, days=-1)
    offices: list[Office] = []
    lawyers: list[Lawyer] = []
    duties: list[Duty] = []
    firms = 0
    for p in range(spec.prefectures):
        share = spec.lawyers // spec.prefectures + (p < spec.lawyers % spec.prefectures)
        group = _offices(p, spec, first_id=len(offices) + 1, rng=rng)
        offices += group
        firms, group_lawyers = _lawyers(group, spec, share, len(lawyers) + 1, firms, end, rng)
        lawyers += group_lawyers
        duties += _duties(group, group_lawyers, spec, end, rng)
    if spec.interlocked:
        lawyers = _interlock(offices, lawyers, rng)
    duties.sort(key=lambda d: (d.date, d.start, d.office_id))
    duties = [dataclasses.replace(duty, id=i) for i, duty in enumerate(duties, start=1)]
    return Problem(start=START, end=end, offices=tuple(offices), lawyers=tuple(lawyers), duties=tuple(duties))


def _offices(p: int, spec: Size, first_id: int, rng: random.Random) -> list[Office]:
    code, name = PREFECTURES[p]
    found = []
    if spec.prefecture_office:
        found.append(Office(first_id, f"{code}00", f"{name}信访局"))
    for c in range(spec.counties):
        if p == 0:
            county_code, county_name, language = QIANXINAN_COUNTIES[c]
        else:
            county_code, county_name, language = (
                f"{code}{c + 21:02d}",
                f"{name}第{c + 1}县",
                rng.choice(OTHER_LANGUAGES),
            )
        wanted = frozenset({language}) if language else frozenset()
        found.append(Office(first_id + len(found), county_code, f"{county_name}信访局", wanted))
    return found


def _lawyers(
    offices: list[Office], spec: Size, count: int, first_id: int, firms: int, end: dt.date, rng: random.Random
) -> tuple[int, list[Lawyer]]:
    """Lawyers of one prefecture; most serve their home office, ~20% also the prefecture bureau."""
    prefecture = offices[0] if spec.prefecture_office else None
    # The prefecture seat (the first county, e.g. 兴义市) has the most lawyers, the bureau its own few.
    weights = ([1.0] if prefecture else []) + [3.0] + [1.2] * (spec.counties - 1)
    office_firms = {}
    for office in offices:
        office_firms[office.id] = list(range(firms + 1, firms + 1 + rng.randint(2, 5)))
        firms += len(office_firms[office.id])
    found = []
    for i in range(count):
        # The first lawyers go one to each office, so that no office is left without any.
        home = offices[i] if i < len(offices) else rng.choices(offices, weights)[0]
        serves = {home.id}
        if prefecture and home is not prefecture and rng.random() < 0.2:
            serves.add(prefecture.id)
        languages = {"mandarin"} | set(home.wanted_languages if rng.random() < 0.35 else ())
        if rng.random() < 0.05:
            languages.add(rng.choice(("buyi", "miao", "yi")))
        firm_choices = office_firms[home.id]
        preferred, undesired = _weekday_wishes(rng)
        found.append(
            Lawyer(
                id=first_id + i,
                name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                # One firm in each place is much larger than the others.
                firm_id=rng.choices(firm_choices, [3] + [1] * (len(firm_choices) - 1))[0],
                first_practice_year=START.year - min(30, int(rng.expovariate(1 / 7))) - (rng.random() < 0.9),
                specialties=frozenset(rng.sample(SPECIALTIES, rng.choice((0, 1, 1, 2, 2, 3)))),
                languages=frozenset(languages),
                offices=frozenset(serves),
                unavailable=_unavailable(rng, end),
                inactive=_inactive(rng, end),
                max_per_month=rng.choices((4, 2, 1), (75, 20, 5))[0],
                preferred_weekdays=preferred,
                undesired_weekdays=undesired,
                history_duties=rng.choices((0, rng.randint(1, 12)), (40, 60))[0],
            )
        )
    return firms, found


def _weekday_wishes(rng: random.Random) -> tuple[frozenset[int], frozenset[int]]:
    preferred = frozenset(rng.sample(range(5), rng.choice((1, 2)))) if rng.random() < 0.35 else frozenset()
    others = [day for day in range(5) if day not in preferred]
    undesired = frozenset({rng.choice(others)}) if rng.random() < 0.25 else frozenset()
    return preferred, undesired


def _unavailable(rng: random.Random, end: dt.date) -> frozenset[dt.date]:
    span = (end - START).days
    # Court hearings here and there, and for some lawyers a holiday of one or two weeks.
    days = {START + dt.timedelta(days=rng.randrange(span + 1)) for _ in range(rng.randint(0, span // 30))}
    if rng.random() < 0.25:
        first = START + dt.timedelta(days=rng.randrange(span + 1))
        days |= {first + dt.timedelta(days=k) for k in range(rng.randint(5, 14)) if first + dt.timedelta(days=k) <= end}
    return frozenset(days)


def _inactive(rng: random.Random, end: dt.date) -> tuple[InactivePeriod, ...]:
    roll = rng.random()
    span = (end - START).days
    start = START + dt.timedelta(days=rng.randrange(span + 1))
    if roll < 0.03:
        return (InactivePeriod(start, start + dt.timedelta(days=rng.randint(30, 90)), "suspended", "纪律处分"),)
    if roll < 0.04:
        return (InactivePeriod(start, None, "removed", "未按要求值班"),)
    return ()


def _duties(offices: list[Office], lawyers: list[Lawyer], spec: Size, end: dt.date, rng: random.Random) -> list[Duty]:
    """Weekly windows and dated leader days of one prefecture's offices (ids are set by the caller)."""
    duties = []
    busy = {offices[0].id, offices[1].id} if spec.prefecture_office else {offices[0].id}
    if spec.interlocked:
        busy |= {office.id for office in offices if rng.random() < 0.25}
    for k, office in enumerate(offices):
        weekday = 2 if k == 0 else (k - 1) % 5  # the bureau on Wednesdays, counties spread over the week
        first = START + dt.timedelta(days=weekday)
        for week in range(spec.weeks):
            day = first + dt.timedelta(weeks=week)
            needed = 2 if office.id in busy else 1
            duties.append(Duty(0, office.id, day, dt.time(9), dt.time(17, 30), WINDOW, needed, min_years=1))
    # The bureau holds leader days twice a month; the counties share the rest.
    weights = [4.0] + [1.0] * (len(offices) - 1) if spec.prefecture_office else [1.0] * len(offices)
    workdays = [START + dt.timedelta(days=d) for d in range((end - START).days + 1)]
    workdays = [day for day in workdays if day.weekday() < 5]
    for _ in range(spec.leader_days):
        office = rng.choices(offices, weights)[0]
        seniors = [lw for lw in lawyers if office.id in lw.offices and lw.first_practice_year <= START.year - 5]
        # A specialty only when at least three senior lawyers of the office have it, so it can be met.
        held = sorted({s for lw in seniors for s in lw.specialties})
        held = [s for s in held if sum(s in lw.specialties for lw in seniors) >= 3]
        specialty = rng.choice(held) if held and rng.random() < 0.3 else None
        morning = rng.random() < 0.6
        duties.append(
            Duty(
                0,
                office.id,
                rng.choice(workdays),
                dt.time(9) if morning else dt.time(14, 30),
                dt.time(12) if morning else dt.time(17, 30),
                LEADER_DAY,
                needed=rng.choices((1, 2), (70, 30))[0],
                min_years=5,
                specialty=specialty,
                note="领导信访接待日",
            )
        )
    return duties


def _interlock(offices: list[Office], lawyers: list[Lawyer], rng: random.Random) -> list[Lawyer]:
    """Lawyers also serve one to three offices next to their home office (in the province's order,
    across prefecture borders too), and have tighter monthly limits: pools join into one."""
    index = {office.id: i for i, office in enumerate(offices)}
    found = []
    for lawyer in lawyers:
        home = index[min(lawyer.offices, key=lambda o: (o != max(lawyer.offices), o))]
        near = [i for i in (home - 2, home - 1, home + 1, home + 2) if 0 <= i < len(offices)]
        extra = rng.sample(near, min(len(near), rng.choice((1, 1, 2, 3))))
        serves = frozenset(lawyer.offices | {offices[i].id for i in extra})
        limit = rng.choices((1, 2, 3), (40, 45, 15))[0]
        found.append(dataclasses.replace(lawyer, offices=serves, max_per_month=limit))
    return found
