"""A small prefecture for the calendar tests: two offices, six lawyers, published roster versions made
directly with the ORM (the publishing service is tested elsewhere), and feed parsing helpers."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import icalendar
import vobject
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduler.calendars.sync import SyncResult, sync_published
from scheduler.config import Settings, load_settings
from scheduler.models import Assignment, Duty, DutyType, LawFirm, Lawyer, Office, Roster

START, END = dt.date(2026, 3, 2), dt.date(2026, 3, 29)
T0 = dt.datetime(2026, 2, 20, 8, 0, 0)
ACTOR = "test"


def calendar_settings(db_url: str, tmp: Path, **overrides: object) -> Settings:
    """Settings for a test: its database, its own calendars folder, a fixed base URL and secret."""
    env = {
        "SCHEDULER_DATABASE_URL": db_url,
        "SCHEDULER_INSTANCE_DIR": str(tmp / "instance"),
        "SCHEDULER_CALENDARS_DIR": str(tmp / "calendars"),
        "SCHEDULER_BASE_URL": "https://duty.example.org",
        "SCHEDULER_SECRET_KEY": "test-secret",
    }
    return load_settings(env, **overrides)


@dataclass
class World:
    """Ids of what `build_world` made."""

    offices: dict[str, int]
    lawyers: list[int]  # lawyers[i] has licence 1522320101100000{i}
    duties: list[int]  # four window duties: Xingyi on Mar 4 and 11 (2 places), Pu'an on Mar 5 and 12

    def licence(self, index: int) -> str:
        return f"152232010110000{index:02d}"


def build_world(session: Session) -> World:
    """Two offices, six lawyers (the last without an e-mail address), four window duties."""
    window = DutyType(code="window", name_zh="律师接待窗口值班", name_en="Lawyer reception window")
    firm = LawFirm(name="贵州黔鼎律师事务所", credit_code="31520000MD0000001X")
    xingyi = Office(code="522301", name="兴义市信访局", address="兴义市瑞金南路8号", phone="0859-3101111")
    puan = Office(
        code="522323",
        name="普安县信访局",
        address="普安县盘水街道1号",
        phone="0859-7231111",
        discipline_rules="1. 按时到岗；\n2. 不收费。",
    )
    prefecture = Office(code="522300", name="黔西南州信访局", level="prefecture", address="兴义市桔山大道1号")
    session.add_all([window, firm, xingyi, puan, prefecture])
    session.flush()
    lawyers = []
    for i, name in enumerate(["王明", "李华", "张伟", "刘芳", "陈静", "杨洋"]):
        lawyer = Lawyer(
            name=name,
            licence_no=f"152232010110000{i:02d}",
            first_practice_year=2010,
            email=f"lawyer{i}@example.org" if i < 5 else "",
            firm=firm if i % 2 == 0 else None,
            calendar_token=f"token-{i}-" + "x" * 30,
        )
        session.add(lawyer)
        lawyers.append(lawyer)
    duties = []
    for office, day, needed in (
        (xingyi, dt.date(2026, 3, 4), 2),
        (puan, dt.date(2026, 3, 5), 1),
        (xingyi, dt.date(2026, 3, 11), 2),
        (puan, dt.date(2026, 3, 12), 1),
    ):
        duty = Duty(office=office, duty_type=window, date=day, start=dt.time(9), end=dt.time(12), needed=needed)
        session.add(duty)
        duties.append(duty)
    session.flush()
    return World(
        offices={o.code: o.id for o in (xingyi, puan, prefecture)},
        lawyers=[lawyer.id for lawyer in lawyers],
        duties=[duty.id for duty in duties],
    )


FIRST_ROSTER = {0: (0, 1), 1: (2,), 2: (3, 4), 3: (5,)}  # duty index -> lawyer indexes


def publish_version(
    session: Session, world: World, roster: Mapping[int, Sequence[int]], start: dt.date = START, end: dt.date = END
) -> Roster:
    """Store `roster` (duty index -> lawyer indexes) as the period's new published version."""
    session.execute(
        update(Roster)
        .where(Roster.period_start == start, Roster.period_end == end, Roster.status == "published")
        .values(status="superseded")
    )
    version = len(session.scalars(select(Roster.id).where(Roster.period_start == start)).all()) + 1
    published = Roster(period_start=start, period_end=end, version=version, status="published", published_at=T0)
    session.add(published)
    session.flush()
    duties = {d.id: d for d in session.scalars(select(Duty).where(Duty.id.in_(world.duties)))}
    for duty_index, lawyer_indexes in roster.items():
        duty = duties[world.duties[duty_index]]
        for slot, lawyer_index in enumerate(lawyer_indexes):
            session.add(
                Assignment(
                    roster=published,
                    duty_id=duty.id,
                    lawyer_id=world.lawyers[lawyer_index],
                    date=duty.date,
                    slot=slot,
                    places=duty.needed,
                )
            )
    session.flush()
    return published


def publish_and_sync(
    session: Session, world: World, roster: Mapping[int, Sequence[int]], settings: Settings, now: dt.datetime
) -> SyncResult:
    publish_version(session, world, roster)
    result = sync_published(session, START, END, ACTOR, now, settings=settings)
    session.commit()
    return result


_EVENT = re.compile(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", re.S)
_UID = re.compile(rb"\r\nUID:(.*?)\r\n")


def event_blocks(data: bytes) -> dict[str, bytes]:
    """The VEVENT blocks of a feed by UID, byte for byte."""
    blocks = {}
    for match in _EVENT.finditer(data):
        uid = _UID.search(match.group(0))
        assert uid is not None
        blocks[uid.group(1).decode()] = match.group(0)
    return blocks


def parse_both(data: bytes) -> icalendar.Calendar:
    """Parse with icalendar and with vobject (an independent parser); the icalendar result."""
    parsed = icalendar.Calendar.from_ical(data)
    other = vobject.readOne(data.decode("utf-8"))
    assert len(getattr(other, "vevent_list", [])) == len(parsed.walk("VEVENT"))
    return parsed


def events_by_uid(data: bytes) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in parse_both(data).walk("VEVENT")}
