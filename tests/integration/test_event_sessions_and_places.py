"""Events show how a duty is really served: an office that closes for lunch gets a morning and an afternoon
event, and a leader reception day shows its own scope and place, not the window's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.calendars.feeds import calendar_options, lawyer_feed, office_feed
from scheduler.calendars.ical import calendar, invitation
from scheduler.calendars.sync import sync_published
from scheduler.calendars.views import STANDARD_SCOPE
from scheduler.config import Settings
from scheduler.models import Assignment, Duty, Office, Roster
from scheduler.planning.duties import LeaderDaySpec, add_leader_day
from tests.integration.calendar_fixtures import (
    ACTOR,
    END,
    FIRST_ROSTER,
    START,
    T0,
    World,
    build_world,
    calendar_settings,
    events_by_uid,
    publish_version,
)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return calendar_settings(db_url, tmp_path)


def _times(data: bytes) -> list[tuple[str, str, str]]:
    return sorted(
        (uid, f"{e.decoded('DTSTART'):%m-%d %H:%M}", f"{e.decoded('DTEND'):%H:%M}")
        for uid, e in events_by_uid(data).items()
    )


def test_an_office_with_a_lunch_break_shows_a_morning_and_an_afternoon_event(
    session: Session, settings: Settings
) -> None:
    world: World = build_world(session)
    xingyi = session.get_one(Office, world.offices["522301"])
    xingyi.am_start, xingyi.am_end, xingyi.pm_start, xingyi.pm_end = (
        dt.time(9),
        dt.time(12),
        dt.time(14),
        dt.time(17, 30),
    )
    for duty in session.scalars(select(Duty).where(Duty.office_id == xingyi.id)):
        duty.start, duty.end = dt.time(9), dt.time(17, 30)
    session.commit()
    publish_version(session, world, FIRST_ROSTER)
    sync_published(session, START, END, ACTOR, T0, settings=settings)
    session.commit()
    options = calendar_options(settings)
    office = office_feed(session, settings, "522301", T0)
    assert office is not None
    first = world.duties[0]
    times = [t for t in _times(calendar(office, options)) if t[0].startswith(f"duty-{first}")]
    assert times == [
        (f"duty-{first}-s2@duty.example.org", "03-04 14:00", "17:30"),
        (f"duty-{first}@duty.example.org", "03-04 09:00", "12:00"),
    ]
    data = calendar(office, options)
    assert "09:00–12:00、14:00–17:30" in events_by_uid(data)[f"duty-{first}@duty.example.org"].get("DESCRIPTION")
    # A lawyer's feed shows the sessions too; the invitation stays one event (one UID per iTIP message).
    mine = lawyer_feed(session, settings, f"token-0-{'x' * 30}", T0)
    assert mine is not None and len([t for t in _times(calendar(mine, options)) if f"duty-{first}-" in t[0]]) == 2
    (view,) = [v for v in mine.events if v.duty.duty_id == first]
    invite = invitation(
        view, options, organizer="duty@example.org", attendee_email="a@example.org", attendee_name="王明"
    )
    assert len(events_by_uid(invite)) == 1


def test_a_leader_day_shows_its_own_scope_and_place(session: Session, settings: Settings) -> None:
    world: World = build_world(session)
    spec = LeaderDaySpec(
        "522323", dt.date(2026, 3, 6), dt.time(9), dt.time(11, 30), note="县委书记接待", place="普安县委信访接待室"
    )
    duty = add_leader_day(session, spec, "test")
    session.commit()
    publish_version(session, world, FIRST_ROSTER)
    roster = session.scalars(select(Roster).where(Roster.status == "published")).one()
    session.add(
        Assignment(roster=roster, duty_id=duty.id, lawyer_id=world.lawyers[0], date=duty.date, slot=0, places=1)
    )
    sync_published(session, START, END, ACTOR, T0, settings=settings)
    session.commit()
    office = office_feed(session, settings, "522323", T0)
    assert office is not None
    event = events_by_uid(calendar(office, calendar_options(settings)))[f"duty-{duty.id}@duty.example.org"]
    assert "普安县委信访接待室" in str(event.get("LOCATION")) and "普安县盘水街道1号" not in str(event.get("LOCATION"))
    described = str(event.get("DESCRIPTION"))
    assert "协助党政领导接待来访群众" in described and STANDARD_SCOPE not in described
