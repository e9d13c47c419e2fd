"""Keeping the calendars in step with published rosters: SEQUENCE, cancellations, notices, stable bytes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.calendars.feeds import (
    all_feeds,
    calendar_options,
    feed_view,
    lawyer_feed,
    lawyer_feed_state,
    office_feed,
    prefecture_feed,
)
from scheduler.calendars.ical import calendar
from scheduler.calendars.sync import sync_all_published, sync_published
from scheduler.calendars.views import STANDARD_SCOPE
from scheduler.config import Settings
from scheduler.models import AuditEvent, CalendarEntry, Duty, Notice, Office, OfficeEntry, Roster
from scheduler.rosters.notice_board import office_notice, week_of
from tests.integration.calendar_fixtures import (
    ACTOR,
    END,
    FIRST_ROSTER,
    START,
    T0,
    World,
    build_world,
    calendar_settings,
    event_blocks,
    events_by_uid,
    publish_and_sync,
)

T1 = T0 + dt.timedelta(days=1)
T2 = T0 + dt.timedelta(days=2)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return calendar_settings(db_url, tmp_path)


@pytest.fixture
def world(session: Session) -> World:
    built = build_world(session)
    session.commit()
    return built


def _all_files(session: Session, settings: Settings, now: dt.datetime) -> dict[str, bytes]:
    feeds = all_feeds(session, settings, now)
    options = calendar_options(settings)
    files = {f"lawyer:{token}": calendar(feed, options) for token, feed in feeds.lawyers.items()}
    files.update((f"public:{item.path}", calendar(item.feed, options)) for item in feeds.public)
    return files


def _blocks(files: dict[str, bytes]) -> dict[tuple[str, str], bytes]:
    return {(name, uid): block for name, data in files.items() for uid, block in event_blocks(data).items()}


def _token(world: World, index: int) -> str:
    return f"token-{index}-" + "x" * 30


def test_the_first_publication_confirms_every_duty_and_invites_each_lawyer_with_an_address(
    session: Session, world: World, settings: Settings
) -> None:
    result = publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    assert (result.added, result.updated, result.cancelled, result.office_changed) == (6, 0, 0, 4)
    # Lawyer 5 has no e-mail address: the feed still shows the duty, and the result names them.
    assert result.notices == 5 and result.without_email == (world.lawyers[5],)
    assert session.scalar(select(func.count(Notice.id)).where(Notice.method == "REQUEST")) == 5
    entries = session.scalars(select(CalendarEntry)).all()
    assert {(e.status, e.sequence, e.changed_at) for e in entries} == {("confirmed", 0, T0)}
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.sync")).one()
    assert audit.after["added"] == 6 and audit.actor == ACTOR


def test_a_sync_without_change_changes_nothing_and_feeds_stay_byte_identical(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    before = _all_files(session, settings, T1)
    # A new version with the same assignments (e.g. a re-solve that found the same roster).
    again = publish_and_sync(session, world, FIRST_ROSTER, settings, T2)
    assert not again.changed and again.notices == 0
    assert _all_files(session, settings, T2 + dt.timedelta(hours=5)) == before
    assert session.scalar(select(func.count(Notice.id))) == 5


def test_after_a_swap_exactly_the_affected_events_change_and_the_lawyer_who_lost_the_duty_sees_it_cancelled(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    before_files = _all_files(session, settings, T1)
    before = _blocks(before_files)
    notices_before = session.scalar(select(func.count(Notice.id)))

    # Lawyer 2 (Pu'an, Mar 5) hands the duty to lawyer 5: an exchange is the same on each side.
    swapped = {**FIRST_ROSTER, 1: (5,), 3: (2,)}
    result = publish_and_sync(session, world, swapped, settings, T1)
    after_files = _all_files(session, settings, T1 + dt.timedelta(hours=1))
    after = _blocks(after_files)

    host = calendar_options(settings).host
    d1, d3 = world.duties[1], world.duties[3]
    l2, l5 = world.lawyers[2], world.lawyers[5]
    affected = {
        (f"lawyer:{_token(world, 2)}", f"duty-{d1}-lawyer-{l2}@{host}"),  # lost Mar 5: cancelled
        (f"lawyer:{_token(world, 5)}", f"duty-{d3}-lawyer-{l5}@{host}"),  # lost Mar 12: cancelled
        (f"lawyer:{_token(world, 5)}", f"duty-{d1}-lawyer-{l5}@{host}"),  # new
        (f"lawyer:{_token(world, 2)}", f"duty-{d3}-lawyer-{l2}@{host}"),  # new
        *((f"public:{path}", f"duty-{d}@{host}") for path in ("office/522323.ics", "prefecture.ics") for d in (d1, d3)),
    }
    new = {key for key in after if key not in before}
    changed = {key for key in before if key in after and after[key] != before[key]}
    assert new | changed == affected
    assert set(before) <= set(after)  # nothing dropped: cancellations are kept
    for key in set(before) - affected:
        assert after[key] == before[key], key  # every other event is byte-identical
    for name, uid in changed:
        old_event = events_by_uid(before_files[name])[uid]
        new_event = events_by_uid(after_files[name])[uid]
        assert new_event["SEQUENCE"] > old_event["SEQUENCE"]
    lost = events_by_uid(after_files[f"lawyer:{_token(world, 2)}"])[f"duty-{d1}-lawyer-{l2}@{host}"]
    assert (str(lost["STATUS"]), lost["SEQUENCE"]) == ("CANCELLED", 1)
    assert lost.decoded("DTSTAMP") == T1.replace(tzinfo=dt.UTC)
    assert "杨洋" not in str(lost["DESCRIPTION"])  # who took it over is not shown to the one who lost it

    assert (result.added, result.cancelled, result.updated) == (2, 2, 0)
    # Lawyer 2 gets a CANCEL and a REQUEST; lawyer 5 has no address.
    notices = session.scalars(select(Notice).where(Notice.id > notices_before).order_by(Notice.id)).all()
    assert sorted((n.recipient, n.method) for n in notices) == [
        ("lawyer2@example.org", "CANCEL"),
        ("lawyer2@example.org", "REQUEST"),
    ]
    cancel = next(n for n in notices if n.method == "CANCEL")
    assert "【值班取消】" in cancel.subject and "METHOD:CANCEL" in cancel.ics and "SEQUENCE:1" in cancel.ics


def test_a_new_colleague_raises_the_sequence_of_the_lawyer_who_stays_and_says_so(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    result = publish_and_sync(session, world, {**FIRST_ROSTER, 0: (0, 2), 1: (1,)}, settings, T1)
    stays = session.scalars(
        select(CalendarEntry).where(
            CalendarEntry.duty_id == world.duties[0], CalendarEntry.lawyer_id == world.lawyers[0]
        )
    ).one()
    assert (stays.status, stays.sequence, stays.changed_at) == ("confirmed", 1, T1)
    assert result.updated == 1
    notice = session.scalars(
        select(Notice).where(Notice.recipient == "lawyer0@example.org").order_by(Notice.id.desc())
    ).first()
    assert notice is not None and "【值班变更】" in notice.subject
    assert "同班律师：由 李华 改为 张伟（贵州黔鼎律师事务所）" in notice.body


def test_a_cancelled_duty_given_back_is_confirmed_with_a_higher_sequence(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_and_sync(session, world, {**FIRST_ROSTER, 1: (5,)}, settings, T1)
    publish_and_sync(session, world, FIRST_ROSTER, settings, T2)
    entry = session.scalars(select(CalendarEntry).where(CalendarEntry.lawyer_id == world.lawyers[2])).one()
    assert (entry.status, entry.sequence, entry.cancelled_at) == ("confirmed", 2, None)


def test_a_moved_duty_raises_the_sequence_of_all_its_events_and_the_notice_names_the_new_time(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    duty = session.get(Duty, world.duties[0])
    assert duty is not None
    duty.start, duty.end = dt.time(14, 30), dt.time(17, 30)
    result = sync_published(session, START, END, ACTOR, T1, settings=settings)
    session.commit()
    assert (result.updated, result.office_changed, result.notices) == (2, 1, 2)
    office_entry = session.scalars(select(OfficeEntry).where(OfficeEntry.duty_id == duty.id)).one()
    assert office_entry.sequence == 1 and office_entry.snapshot["start"] == "14:30"
    notice = session.scalars(select(Notice).order_by(Notice.id.desc())).first()
    assert notice is not None
    assert "时间：由 2026年3月4日（星期三）09:00–12:00 改为 2026年3月4日（星期三）14:30–17:30" in notice.body


def test_an_edited_office_address_reaches_the_feeds_only_through_a_sync(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    before = _all_files(session, settings, T1)
    office = session.get(Office, world.offices["522301"])
    assert office is not None
    office.address = "兴义市新区政务中心3楼"
    session.commit()
    assert _all_files(session, settings, T1) == before  # feeds show what was published, not live edits
    (result,) = sync_all_published(session, ACTOR, T2, settings=settings)
    session.commit()
    assert result.updated == 4 and result.office_changed == 2
    feed = office_feed(session, settings, "522301", T2)
    assert feed is not None and {e.sequence for e in feed.events} == {1}
    assert all("政务中心" in e.duty.address for e in feed.events)


def test_a_blank_office_text_gives_the_standard_text_in_the_feed_and_on_the_public_notice_alike(
    session: Session, world: World, settings: Settings
) -> None:
    office = session.get_one(Office, world.offices["522301"])
    office.reception_scope = "  \n "  # blank, though not empty: both places must fall back alike
    session.commit()
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    feed = office_feed(session, settings, "522301", T1)
    assert feed is not None and feed.events
    assert {e.duty.scope for e in feed.events} == {STANDARD_SCOPE}
    first = min(e.duty.date for e in feed.events)
    notice = office_notice(session, "522301", week_of(first))
    assert notice is not None and notice.office.reception_scope == STANDARD_SCOPE


def test_a_removed_lawyer_keeps_a_feed_of_cancellations_for_the_keep_period_then_an_empty_one(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    # Lawyer 3 is removed; a replacement takes Xingyi Mar 11.
    publish_and_sync(session, world, {**FIRST_ROSTER, 2: (4, 1)}, settings, T1)
    token = _token(world, 3)
    feed = lawyer_feed(session, settings, token, T1 + dt.timedelta(days=29))
    assert feed is not None and [e.status for e in feed.events] == ["CANCELLED"]
    assert feed.last_modified == T1
    later = lawyer_feed(session, settings, token, T1 + dt.timedelta(days=31))
    assert later is not None and later.events == ()
    # Dropping the cancellation is a change: Last-Modified moves to the moment it dropped.
    assert later.last_modified == T1 + dt.timedelta(days=settings.cancelled_keep_days)


def test_a_duty_left_without_lawyers_is_cancelled_in_the_office_feed_without_names(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    roster = {k: v for k, v in FIRST_ROSTER.items() if k != 3}
    publish_and_sync(session, world, roster, settings, T1)
    feed = office_feed(session, settings, "522323", T1)
    assert feed is not None
    cancelled = [e for e in feed.events if e.status == "CANCELLED"]
    assert len(cancelled) == 1 and cancelled[0].sequence == 1 and cancelled[0].duty.lawyers == ()


def test_without_a_published_roster_every_event_of_the_period_is_cancelled(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    for roster in session.scalars(select(Roster)):
        roster.status = "superseded"
    session.flush()
    result = sync_published(session, START, END, ACTOR, T1, settings=settings)
    assert result.roster_id is None and result.cancelled == 6 and result.office_changed == 4
    feed = prefecture_feed(session, settings, T1)
    assert {e.status for e in feed.events} == {"CANCELLED"}


def test_stored_fingerprints_match_what_the_feeds_show(session: Session, world: World, settings: Settings) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_and_sync(session, world, {**FIRST_ROSTER, 1: (5,), 2: (3,)}, settings, T1)
    by_duty = {e.duty_id: e for e in session.scalars(select(OfficeEntry))}
    for entry in session.scalars(select(CalendarEntry)):
        token = _token(world, world.lawyers.index(entry.lawyer_id))
        feed = lawyer_feed(session, settings, token, T2)
        assert feed is not None
        (event,) = [e for e in feed.events if e.duty.duty_id == entry.duty_id]
        assert event.duty.fingerprint() == entry.fingerprint
    for entry in by_duty.values():
        feed = prefecture_feed(session, settings, T2)
        (event,) = [e for e in feed.events if e.duty.duty_id == entry.duty_id]
        assert event.duty.fingerprint() == entry.fingerprint


def test_the_feed_service_uses_a_fixed_number_of_queries(session: Session, world: World, settings: Settings) -> None:
    from sqlalchemy import event

    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    statements: list[str] = []
    engine = session.get_bind()

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        state = lawyer_feed_state(session, settings, _token(world, 0), T1)
        # Enough for the validators: the lawyer, their entries and the trainings they are invited to.
        assert state is not None and len(statements) == 3
        feed_view(session, state)
        assert len(statements) == 4
        statements.clear()
        # Public feeds also read the joint meetings: one query more.
        office_feed(session, settings, "522301", T1)
        assert len(statements) == 4
        statements.clear()
        prefecture_feed(session, settings, T1)
        assert len(statements) == 4
        statements.clear()
        all_feeds(session, settings, T1)
        assert len(statements) == 6  # and one for every lawyer's trainings
    finally:
        event.remove(engine, "before_cursor_execute", count)
