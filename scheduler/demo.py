"""The demo prefecture: Qianxinan (黔西南州) with its ten petition offices and about 150 lawyers.

Everything comes from one seeded random generator, so every run builds the same data. Names,
firms, phones and addresses are invented; office names and codes are real (../shared/DOMAIN.md).
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.attendance.grading import grade_years
from scheduler.audit import record
from scheduler.casework.demo_records import build_demo_casework
from scheduler.core.licence import make_licence
from scheduler.demo_records import build_records, past_quarter
from scheduler.models import LawFirm, Lawyer, Office, Unavailability
from scheduler.planning.duties import LeaderDaySpec, add_leader_day, generate_windows
from scheduler.planning.holidays import load_calendar, read_overrides, replace_years

SEED = 2012  # the year of the founding notice, 州府办发〔2012〕192号
PERIOD_WEEKS = 13
PREFECTURE = "522300"
ACTOR = "demo"


@dataclass(frozen=True)
class OfficeSeed:
    code: str
    name: str
    name_en: str
    lawyers: int
    weekday: int
    languages: tuple[str, ...]
    street: str


# The languages each office wants at its window: Qianxinan is a Buyi and Miao autonomous prefecture.
# Buyi (main dialect area 望谟, 册亨, 安龙, 贞丰, 兴义, 兴仁; the third, Qianxi dialect in 晴隆 and 普安) is
# spoken in every county and in 义龙新区; Miao villages are spread over 晴隆, 普安, 兴仁, 贞丰, 望谟, 安龙 and
# 义龙 (the prefecture's own 州情 summary and the Buyi dialect survey, as in ../shared/DOMAIN.md). 兴义's
# and 册亨's Miao are few; a bureau corrects its own office on the planner page.
BUYI_MIAO = ("buyi", "miao")
OFFICES = (
    OfficeSeed(PREFECTURE, "黔西南州信访局", "Qianxinan Prefecture Petition Bureau", 0, 1, BUYI_MIAO, "兴义市桔山大道"),
    OfficeSeed("522301", "兴义市信访局", "Xingyi Shi Petition Bureau", 40, 0, ("buyi",), "兴义市瑞金南路"),
    OfficeSeed("522302", "兴仁市信访局", "Xingren Shi Petition Bureau", 18, 2, BUYI_MIAO, "兴仁市东湖街道"),
    OfficeSeed("522323", "普安县信访局", "Pu'an Xian Petition Bureau", 13, 3, BUYI_MIAO, "普安县盘水街道"),
    OfficeSeed("522324", "晴隆县信访局", "Qinglong Xian Petition Bureau", 13, 2, BUYI_MIAO, "晴隆县莲城街道"),
    OfficeSeed("522325", "贞丰县信访局", "Zhenfeng Xian Petition Bureau", 15, 1, BUYI_MIAO, "贞丰县珉谷街道"),
    OfficeSeed("522326", "望谟县信访局", "Wangmo Xian Petition Bureau", 14, 3, BUYI_MIAO, "望谟县王母街道"),
    OfficeSeed("522327", "册亨县信访局", "Ceheng Xian Petition Bureau", 13, 4, ("buyi",), "册亨县者楼街道"),
    OfficeSeed("522328", "安龙县信访局", "Anlong Xian Petition Bureau", 15, 0, BUYI_MIAO, "安龙县栖凤街道"),
    OfficeSeed("yilong", "义龙新区信访局", "Yilong Xinqu Petition Bureau", 11, 4, BUYI_MIAO, "义龙新区顶效街道"),
)
# Share of an office's lawyers who speak the office's wanted language.
LANGUAGE_SHARE = 0.3
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林韦岑班潘龙吴杨石"
GIVEN = "明华建国文军平志伟芳娜敏静丽强磊洋艳勇杰娟涛超秀英霞刚桂兰德云鹏飞"
SPECIALTIES = ("行政", "劳动争议", "土地征收", "婚姻家庭", "民商事", "刑事", "合同")
FIRM_WORDS = ("黔鼎", "盘江", "万峰", "金州", "凤凰", "布依", "山水", "正和", "立德", "公信")


@dataclass(frozen=True)
class DemoSummary:
    """What `scheduler demo` built or found."""

    created: bool
    offices: int
    firms: int
    lawyers: int
    duties: int
    start: dt.date
    end: dt.date
    provisional_years: list[int]


def demo_period(today: dt.date) -> tuple[dt.date, dt.date]:
    """The 13 weeks from the next Monday after `today`."""
    start = today + dt.timedelta(days=7 - today.weekday())
    return start, start + dt.timedelta(weeks=PERIOD_WEEKS) - dt.timedelta(days=1)


def build_demo(session: Session, today: dt.date, *, history: bool = True) -> DemoSummary:
    """Create the demo prefecture if it is not there yet, and the duties of the demo period.

    With `history` (the default), the quarter before the period is published and served too, with its
    consultations and a training (scheduler.demo_records); tests of an empty calendar turn it off."""
    start, end = demo_period(today)
    created = session.scalar(select(Office).where(Office.code == PREFECTURE)) is None
    rng = random.Random(SEED)
    _install_expected_years(session, start, end)
    if created:
        offices = _offices(session)
        firms = _firms(session, rng)
        lawyers = _lawyers(session, rng, offices, firms)
        _unavailability(session, rng, lawyers, offices, start, end)
        record(session, ACTOR, "demo.build", entity="demo", after={"lawyers": len(lawyers)})
    windows = generate_windows(session, start, end, ACTOR)
    if created:
        _leader_days(session, rng, start, end)
    if created:  # --- hotline (律师咨询电话、电子信箱): the prefecture's line, its rota and its allowance rate ---
        from scheduler.demo_hotline import add_demo_hotline

        add_demo_hotline(session, today, start, end)
    if created:
        # Entrusted cases with their opinions, and lawyers' availability requests for the next period.
        build_demo_casework(session, today, end)
    if created and history:
        # The quarter before: a roster served, consultations logged and a training held (issue 15).
        build_records(session, start, today)
        # The assessment of those records graded, as a planner would before the joint meeting (issue 15).
        grade_years(session, {day.year for day in past_quarter(start)}, ACTOR, today)
    calendar = load_calendar(session)
    return DemoSummary(
        created=created,
        offices=session.scalar(select(func.count(Office.id))) or 0,
        firms=session.scalar(select(func.count(LawFirm.id))) or 0,
        lawyers=session.scalar(select(func.count(Lawyer.id))) or 0,
        duties=_count_duties(session, start, end),
        start=start,
        end=end,
        provisional_years=sorted(set(windows.provisional_years) | set(calendar.provisional_years(start, end))),
    )


def _count_duties(session: Session, start: dt.date, end: dt.date) -> int:
    from scheduler.models import Duty

    return session.scalar(select(func.count(Duty.id)).where(Duty.date.between(start, end))) or 0


def _install_expected_years(session: Session, start: dt.date, end: dt.date) -> None:
    """For a year without official data, install the expected arrangement, labelled provisional."""
    calendar = load_calendar(session)
    for year in range((start - dt.timedelta(days=7)).year, end.year + 1):
        if calendar.knows(year):
            continue
        data = resources.files("scheduler.data") / f"holidays-{year}-expected.csv"
        if not data.is_file():
            continue  # planning will then fail with the message that names the missing year
        with resources.as_file(data) as path:
            replace_years(session, read_overrides(Path(path), confirmed=False), ACTOR, source=f"expected {year}")


def _offices(session: Session) -> dict[str, Office]:
    offices = {}
    for seed in OFFICES:
        two_sessions = seed.code in (PREFECTURE, "522301")
        office = Office(
            code=seed.code,
            name=seed.name,
            name_en=seed.name_en,
            level="prefecture" if seed.code == PREFECTURE else "county",
            address=f"{seed.street}{len(seed.code) * 7 % 90 + 1}号 {seed.name}一楼律师接待窗口",
            phone=f"0859-{3100000 + int(seed.code[-2:]) * 1111 if seed.code.isdigit() else 3229000}",
            window_weekday=seed.weekday,
            am_start=dt.time(9, 0),
            am_end=dt.time(12, 0),
            pm_start=dt.time(14, 30) if two_sessions else None,
            pm_end=dt.time(17, 30) if two_sessions else None,
            lawyers_per_window=2 if two_sessions else 1,
            holiday_policy="next_workday" if seed.code != "yilong" else "skip",
            wanted_languages=list(seed.languages),
        )
        session.add(office)
        offices[seed.code] = office
    session.flush()
    return offices


def _firms(session: Session, rng: random.Random) -> list[LawFirm]:
    firms = []
    places = ("兴义", "兴仁", "普安", "晴隆", "贞丰", "望谟", "册亨", "安龙", "义龙", "黔西南")
    for i in range(30):
        place = places[i % len(places)]
        word = FIRM_WORDS[(i * 3 + i // len(places)) % len(FIRM_WORDS)]
        region = OFFICES[1 + i % 9].code if OFFICES[1 + i % 9].code.isdigit() else "522301"
        serial = rng.randrange(10**6, 10**7)
        firm = LawFirm(name=f"贵州{word}({place})律师事务所", credit_code=f"31{region}MD{serial:07d}{i % 10}")
        session.add(firm)
        firms.append(firm)
    session.flush()
    return firms


def _lawyers(session: Session, rng: random.Random, offices: dict[str, Office], firms: list[LawFirm]) -> list[Lawyer]:
    lawyers: list[Lawyer] = []
    serial = 0
    for index, seed in enumerate(OFFICES):
        if seed.lawyers == 0:
            continue
        local_firms = [f for i, f in enumerate(firms) if i % 9 == (index - 1) % 9] or firms
        for n in range(seed.lawyers):
            serial += 1
            year = rng.randint(1996, 2023)
            gender = rng.randint(0, 1)
            languages = ["mandarin"]
            # 义龙 asked for no language before the vocabulary; its speakers are every third lawyer rather
            # than a random draw, so the draws of every later office (and the demo's roster) stay the same.
            # Taking the language in turn (not at random) keeps the draws too.
            speaks = n % 3 == 0 if seed.code == "yilong" else rng.random() < LANGUAGE_SHARE
            if seed.languages and speaks:
                languages.append(seed.languages[n % len(seed.languages)])
            served = [offices[seed.code]]
            # A third of Xingyi's lawyers also staff the prefecture bureau in the same city.
            if seed.code == "522301" and n % 3 == 0:
                served.append(offices[PREFECTURE])
            weekdays = list(range(5))
            undesired = rng.sample(weekdays, 1) if rng.random() < 0.25 else []
            preferred = [d for d in rng.sample(weekdays, 2) if d not in undesired] if rng.random() < 0.2 else []
            lawyer = Lawyer(
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2))),
                licence_no=make_licence("5223", year, gender, 100000 + serial),
                firm=rng.choice(local_firms),
                phone=f"139{rng.randrange(10**7, 10**8)}",
                email=f"lawyer{serial:03d}@example.org",
                first_practice_year=year,
                specialties=sorted(rng.sample(SPECIALTIES, rng.randint(1, 3))),
                languages=languages,
                max_per_month=2,
                preferred_weekdays=sorted(preferred),
                undesired_weekdays=undesired,
                calendar_token=secrets.token_urlsafe(24),
            )
            lawyer.offices = served
            session.add(lawyer)
            lawyers.append(lawyer)
    session.flush()
    return lawyers


def _unavailability(
    session: Session,
    rng: random.Random,
    lawyers: list[Lawyer],
    offices: dict[str, Office],
    start: dt.date,
    end: dt.date,
) -> None:
    days = (end - start).days
    for lawyer in lawyers:
        if rng.random() < 0.2:
            first = start + dt.timedelta(days=rng.randrange(days))
            length = rng.randint(2, 12)
            reason = rng.choice(("开庭", "外地办案", "休假", "培训"))
            session.add(
                Unavailability(lawyer=lawyer, start=first, end=first + dt.timedelta(days=length), reason=reason)
            )
    # Every Ceheng lawyer is at a provincial training on the office's second window day: that duty
    # cannot be staffed, and the planner sees why.
    ceheng = offices["522327"]
    training = start + dt.timedelta(days=(ceheng.window_weekday - start.weekday()) % 7 + 7)
    for lawyer in lawyers:
        if ceheng in lawyer.offices:
            session.add(Unavailability(lawyer=lawyer, start=training, end=training, reason="省律协集中培训"))
    session.flush()


def _leader_days(session: Session, rng: random.Random, start: dt.date, end: dt.date) -> None:
    """A leader reception day each month per office, on a working day that is not its window day."""
    calendar = load_calendar(session)
    topics = ("征地拆迁", "劳动欠薪", "城镇建设", "教育医疗", "涉法涉诉")
    month = dt.date(start.year, start.month, 1)
    while month <= end:
        for index, seed in enumerate(OFFICES):
            day = month + dt.timedelta(days=14 + index % 5)
            while not calendar.is_workday(day) or day.weekday() == seed.weekday:
                day += dt.timedelta(days=1)
            if not start <= day <= end:
                continue
            topic = rng.choice(topics)
            specialty = "土地征收" if topic == "征地拆迁" else ("劳动争议" if topic == "劳动欠薪" else None)
            spec = LeaderDaySpec(
                office_code=seed.code,
                date=day,
                start=dt.time(9, 0),
                end=dt.time(12, 0),
                needed=1,
                min_years=5,
                specialty=specialty,
                note=f"接待领导：{'州' if seed.code == PREFECTURE else '县（市、区）'}委副书记；主题：{topic}",
            )
            add_leader_day(session, spec, ACTOR)
        month = (month + dt.timedelta(days=32)).replace(day=1)
