"""Rendering feeds: RFC 5545 form, two independent parsers, stable bytes, time zone, alarms, invitations."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given
from hypothesis import strategies as st

from scheduler.calendars.ical import calendar, fold, invitation, text
from scheduler.calendars.views import (
    CalendarOptions,
    DutyView,
    EventView,
    FeedView,
    LawyerOnDuty,
    Reminder,
    code_from_slug,
    lawyer_uid,
    office_slug,
    office_uid,
)

OPTIONS = CalendarOptions(host="duty.example.org")
CHANGED = dt.datetime(2026, 2, 20, 8, 30, 15)
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _duty(duty_id: int = 1, day: dt.date = dt.date(2026, 3, 4), start: dt.time = dt.time(9), **kw: object) -> DutyView:
    values: dict[str, object] = {
        "duty_id": duty_id,
        "office_code": "522301",
        "office_name": "兴义市信访局",
        "duty_type": "律师接待窗口值班",
        "date": day,
        "start": start,
        "end": dt.time(12),
        "address": "兴义市瑞金南路8号 一楼律师接待窗口",
        "phone": "0859-3101111",
        "note": "接待领导：州委副书记；主题：征地拆迁",
        "lawyers": (LawyerOnDuty("王明", "贵州黔鼎律师事务所"), LawyerOnDuty("李华")),
    }
    values.update(kw)
    return DutyView(**values)  # type: ignore[arg-type]


def _lawyer_feed(count: int = 3, status: str = "CONFIRMED") -> FeedView:
    events = tuple(
        EventView(
            lawyer_uid(i, 7, OPTIONS.host),
            _duty(i, dt.date(2026, 3, 4) + dt.timedelta(weeks=i)),
            status,  # type: ignore[arg-type]
            i,
            CHANGED,
        )
        for i in range(count)
    )
    return FeedView("lawyer", "王明律师 · 信访值班", "个人日历", events)


def test_a_feed_parses_with_icalendar_and_vobject_with_every_required_property() -> None:
    data = calendar(_lawyer_feed(), OPTIONS)
    parsed = icalendar.Calendar.from_ical(data)
    for name in (
        "PRODID",
        "VERSION",
        "CALSCALE",
        "X-WR-CALNAME",
        "X-WR-TIMEZONE",
        "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL",
    ):
        assert name in parsed, name
    assert parsed["VERSION"] == "2.0" and parsed["X-WR-TIMEZONE"] == "Asia/Shanghai"
    assert parsed["X-WR-CALNAME"] == "王明律师 · 信访值班"
    events = parsed.walk("VEVENT")
    assert len(events) == 3
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY", "LOCATION", "DESCRIPTION"):
            assert name in event, name
    assert len({str(e["UID"]) for e in events}) == 3

    other = vobject.readOne(data.decode("utf-8"))
    assert [e.uid.value for e in other.vevent_list] == [str(e["UID"]) for e in events]
    first = other.vevent_list[0]
    assert first.dtstart.value == dt.datetime(2026, 3, 4, 9, 0, tzinfo=first.dtstart.value.tzinfo)
    assert first.dtstart.value.utcoffset() == dt.timedelta(hours=8)
    assert first.summary.value == "律师接待窗口值班 · 兴义市信访局"


def test_lines_end_in_crlf_and_are_folded_at_75_octets_without_splitting_a_character() -> None:
    data = calendar(_lawyer_feed(), OPTIONS)
    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    lines = data.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the Chinese description is long enough to fold
    for line in lines:
        line.decode("utf-8")  # a fold inside a character would not decode


def test_times_carry_the_shanghai_tzid_and_its_vtimezone_and_stamps_come_from_the_change() -> None:
    data = calendar(_lawyer_feed(1), OPTIONS)
    parsed = icalendar.Calendar.from_ical(data)
    (zone,) = parsed.walk("VTIMEZONE")
    assert zone["TZID"] == "Asia/Shanghai"
    assert b"DTSTART;TZID=Asia/Shanghai:20260304T090000\r\n" in data
    assert b"DTEND;TZID=Asia/Shanghai:20260304T120000\r\n" in data
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("DTSTART") == dt.datetime(2026, 3, 4, 9, tzinfo=SHANGHAI)
    assert event.decoded("DTSTAMP") == CHANGED.replace(tzinfo=dt.UTC)
    assert event.decoded("LAST-MODIFIED") == CHANGED.replace(tzinfo=dt.UTC)


def test_the_same_feed_renders_to_the_same_bytes_whatever_the_order_of_its_events() -> None:
    feed = _lawyer_feed(4)
    shuffled = FeedView(feed.kind, feed.name, feed.description, tuple(reversed(feed.events)))
    assert calendar(feed, OPTIONS) == calendar(shuffled, OPTIONS)


def test_summary_location_and_description_name_the_duty_office_scope_rules_and_contact() -> None:
    (event,) = icalendar.Calendar.from_ical(calendar(_lawyer_feed(1), OPTIONS)).walk("VEVENT")
    assert event["SUMMARY"] == "律师接待窗口值班 · 兴义市信访局"
    assert event["LOCATION"] == "兴义市信访局 兴义市瑞金南路8号 一楼律师接待窗口"
    description = str(event["DESCRIPTION"])
    for part in (
        "值班内容：为来访群众提供法律咨询",
        "值班纪律：",
        "不收取任何费用",
        "联系电话：0859-3101111",
        "王明（贵州黔鼎律师事务所）、李华",
    ):
        assert part in description, part
    assert "2026年3月4日（星期三）09:00–12:00" in description


def test_the_default_reminder_rings_at_18_00_the_day_before() -> None:
    (event,) = icalendar.Calendar.from_ical(calendar(_lawyer_feed(1), OPTIONS)).walk("VEVENT")
    (alarm,) = event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    start = event.decoded("DTSTART")
    assert (start + alarm.decoded("TRIGGER")).replace(tzinfo=None) == dt.datetime(2026, 3, 3, 18, 0)


def test_the_reminder_is_configurable_or_can_be_switched_off() -> None:
    same_morning = CalendarOptions(host="h", reminder=Reminder(days_before=0, at=dt.time(7, 30)))
    (alarm,) = icalendar.Calendar.from_ical(calendar(_lawyer_feed(1), same_morning)).walk("VALARM")
    assert alarm.decoded("TRIGGER") == -dt.timedelta(minutes=90)
    assert b"VALARM" not in calendar(_lawyer_feed(1), CalendarOptions(host="h", reminder=None))


def test_cancelled_events_and_public_feeds_have_no_alarm() -> None:
    cancelled = calendar(_lawyer_feed(2, "CANCELLED"), OPTIONS)
    assert b"VALARM" not in cancelled
    events = icalendar.Calendar.from_ical(cancelled).walk("VEVENT")
    assert {str(e["STATUS"]) for e in events} == {"CANCELLED"}
    assert all(str(e["SUMMARY"]).startswith("已取消：") for e in events)
    feed = _lawyer_feed(2)
    office = FeedView("office", "兴义市信访局 · 律师值班", "公示", feed.events)
    assert b"VALARM" not in calendar(office, OPTIONS)


def test_uids_are_stable_names_of_the_duty_and_lawyer() -> None:
    assert lawyer_uid(12, 7, "duty.example.org") == "duty-12-lawyer-7@duty.example.org"
    assert office_uid(12, "duty.example.org") == "duty-12@duty.example.org"


def test_an_invitation_is_an_itip_request_or_cancel_with_organizer_and_attendee() -> None:
    view = _lawyer_feed(1).events[0]
    request = icalendar.Calendar.from_ical(
        invitation(view, OPTIONS, organizer="duty@example.org", attendee_email="wang@example.org", attendee_name="王明")
    )
    assert request["METHOD"] == "REQUEST"
    (event,) = request.walk("VEVENT")
    assert str(event["ORGANIZER"]) == "mailto:duty@example.org"
    assert str(event["ATTENDEE"]) == "mailto:wang@example.org"
    assert event["ATTENDEE"].params["CN"] == "王明"
    assert str(event["UID"]) == view.uid
    cancelled = EventView(view.uid, view.duty.without_lawyers(), "CANCELLED", view.sequence + 1, CHANGED)
    cancel = invitation(
        cancelled, OPTIONS, organizer="d@example.org", attendee_email="w@example.org", attendee_name="王"
    )
    parsed = icalendar.Calendar.from_ical(cancel)
    assert parsed["METHOD"] == "CANCEL"
    assert parsed.walk("VEVENT")[0]["SEQUENCE"] == 1
    vobject.readOne(cancel.decode("utf-8"))


def test_office_codes_map_to_safe_paths_and_back() -> None:
    assert office_slug("522301") == "522301"
    for code in ("522301", "yilong", "义龙", "a/b", "x-1"):
        slug = office_slug(code)
        assert re.fullmatch(r"[0-9A-Za-z_-]+", slug)
        assert code_from_slug(slug) == code
    assert code_from_slug("x-zz") is None and code_from_slug("../etc") is None


@given(st.text(min_size=0, max_size=400))
def test_any_text_survives_escaping_and_folding(value: str) -> None:
    line = b"DESCRIPTION:" + text(value)
    folded = fold(line)
    pieces = folded.split(b"\r\n")
    assert all(len(piece) <= 75 for piece in pieces)
    assert all(piece.startswith(b" ") for piece in pieces[1:])
    assert b"".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    expected = value.replace("\r\n", "\n").replace("\r", "\n")
    parsed = icalendar.Event.from_ical(b"BEGIN:VEVENT\r\n" + folded + b"\r\nEND:VEVENT\r\n")
    assert str(parsed["DESCRIPTION"]) == expected


@pytest.mark.parametrize("name", ["王明", 'Zhang "Sam" San', "李\r\n华"])
def test_an_attendee_name_cannot_break_the_line_or_the_quotes(name: str) -> None:
    view = _lawyer_feed(1).events[0]
    data = invitation(view, OPTIONS, organizer="d@example.org", attendee_email="w@example.org", attendee_name=name)
    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert "\n" not in event["ATTENDEE"].params["CN"]


def test_a_snapshot_keeps_every_field_of_a_duty_view() -> None:
    from dataclasses import fields

    view = _duty(scope="s", visitor_notes="v", discipline="d")
    # "sessions" and the hotline's fields only when set: the snapshots of other duties stay as they were.
    assert {f.name for f in fields(DutyView)} == set(view.to_snapshot()) | {"sessions", "hotline", "mailbox"}
    assert DutyView.from_snapshot(view.to_snapshot()) == view
    split = _duty(sessions=((dt.time(9), dt.time(12)), (dt.time(14), dt.time(17, 30))), hotline=True, mailbox="m@x.cn")
    assert {f.name for f in fields(DutyView)} == set(split.to_snapshot())
    assert DutyView.from_snapshot(split.to_snapshot()) == split
