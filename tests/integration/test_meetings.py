"""Joint meetings: recurrence, the occurrences the feeds show, changes with stable UIDs, the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.meetings import (
    MeetingSpec,
    add_meeting,
    add_months,
    change_meeting,
    get_meeting,
    list_meetings,
    meetings_between,
    remove_meeting,
)
from scheduler.cli.attendance import meeting
from scheduler.core.errors import InputError, NotFound
from scheduler.db import transaction
from scheduler.models import AuditEvent, Office

NINE, NOON = dt.time(9), dt.time(12)
YEAR_2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))

HOST = "duty.example.cn"  # the UIDs' domain


def _offices(session: Session) -> None:
    session.add_all([Office(code="522326", name="望谟县信访局"), Office(code="522301", name="兴义市信访局")])
    session.flush()


def test_months_are_added_to_the_same_day_or_the_end_of_a_shorter_month() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 3) == dt.date(2026, 4, 30)
    assert add_months(dt.date(2026, 11, 15), 3) == dt.date(2027, 2, 15)
    assert add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def test_recurring_meetings_repeat_until_their_end_and_feeds_get_each_occurrence(
    session_factory: sessionmaker[Session],
) -> None:
    with transaction(session_factory) as session:
        _offices(session)
        quarterly = MeetingSpec(
            "信访律师工作联席会议", dt.date(2026, 1, 31), NINE, NOON, "州信访局三楼会议室", recurrence="quarterly"
        )
        q = add_meeting(session, quarterly, "clerk", allow_day_off=True)  # Sat Jan 31: the test is about recurrence
        h = add_meeting(
            session,
            MeetingSpec(
                "望谟县联席会议",
                dt.date(2026, 3, 10),
                dt.time(14, 30),
                dt.time(17),
                recurrence="half-yearly",
                until=dt.date(2027, 3, 9),
                office_code="522326",
                note="请各律所负责人参加",
            ),
            "clerk",
        )
        once = add_meeting(
            session, MeetingSpec("年度总结会", dt.date(2026, 12, 20), NINE, NOON), "clerk", allow_day_off=True
        )
    with session_factory() as session:
        found = meetings_between(session, *YEAR_2026, host="duty.example.cn")
        assert [(o.date, o.uid, o.office_code) for o in found] == [
            (dt.date(2026, 1, 31), f"meeting-{q.id}-0@duty.example.cn", None),
            (dt.date(2026, 3, 10), f"meeting-{h.id}-0@duty.example.cn", "522326"),
            (dt.date(2026, 4, 30), f"meeting-{q.id}-1@duty.example.cn", None),
            (dt.date(2026, 7, 31), f"meeting-{q.id}-2@duty.example.cn", None),
            (dt.date(2026, 9, 10), f"meeting-{h.id}-1@duty.example.cn", "522326"),
            (dt.date(2026, 10, 31), f"meeting-{q.id}-3@duty.example.cn", None),
            (dt.date(2026, 12, 20), f"meeting-{once.id}-0@duty.example.cn", None),
        ]
        first = found[1]
        assert (first.title, first.start, first.end, first.location, first.sequence) == (
            "望谟县联席会议",
            dt.time(14, 30),
            dt.time(17),
            "",
            0,
        )
        assert first.description == "每半年联席会议\n请各律所负责人参加"
        assert found[0].location == "州信访局三楼会议室"
        # The half-yearly meeting ends before 2027-03-10; the quarterly one goes on.
        later = meetings_between(session, dt.date(2027, 1, 1), dt.date(2027, 12, 31), host="h")
        assert [o.date for o in later] == [dt.date(2027, m, d) for m, d in ((1, 31), (4, 30), (7, 31), (10, 31))]


def test_a_change_keeps_the_uids_and_raises_the_sequence(session_factory: sessionmaker[Session]) -> None:
    spec = MeetingSpec("联席会议", dt.date(2026, 3, 31), NINE, NOON, recurrence="quarterly")
    with transaction(session_factory) as session:
        created = add_meeting(session, spec, "clerk")
    with session_factory() as session:
        before = meetings_between(session, *YEAR_2026, host=HOST)
    with transaction(session_factory) as session:
        change_meeting(session, created.id, spec, "clerk")  # no change: the same sequence
        moved = MeetingSpec("联席会议", dt.date(2026, 4, 2), dt.time(15), dt.time(17), "新址", recurrence="quarterly")
        changed = change_meeting(session, created.id, moved, "clerk", allow_day_off=True)  # Oct 2 is 国庆
        assert changed.sequence == 1
    with session_factory() as session:
        after = meetings_between(session, *YEAR_2026, host=HOST)
        # Occurrence n keeps its UID (the fourth, 2027-01-02, falls outside the year).
        assert [o.uid for o in after] == [o.uid for o in before][:3]
        assert [o.date for o in after] == [dt.date(2026, 4, 2), dt.date(2026, 7, 2), dt.date(2026, 10, 2)]
        assert {o.sequence for o in after} == {1} and after[0].changed_at > before[0].changed_at
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions == ["meeting.add", "meeting.change"]
    with transaction(session_factory) as session:
        remove_meeting(session, created.id, "clerk", "改为线上")
    with session_factory() as session:
        assert meetings_between(session, *YEAR_2026, host=HOST) == []
        last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert last is not None and (last.action, last.reason) == ("meeting.remove", "改为线上")


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"end": dt.time(8)}, InputError, "会议结束时间（08:00）早于开始时间（09:00）"),
        ({"title": " "}, InputError, "联席会议须有标题"),
        ({"recurrence": "monthly"}, InputError, "不认识的重复方式“monthly”"),
        ({"until": dt.date(2026, 6, 1)}, InputError, "结束日期只用于重复的会议"),
        ({"recurrence": "quarterly", "until": dt.date(2026, 1, 1)}, InputError, "早于第一次的日期"),
        ({"office_code": "999999"}, NotFound, "没有代码为“999999”的信访局"),
    ],
)
def test_a_bad_meeting_is_refused(
    session: Session, changes: dict[str, object], error: type[Exception], message: str
) -> None:
    spec = {"title": "联席会议", "first_date": dt.date(2026, 3, 31), "start": NINE, "end": NOON, **changes}
    with pytest.raises(error) as caught:
        add_meeting(session, MeetingSpec(**spec), "clerk")  # type: ignore[arg-type]
    assert message in str(caught.value)


def test_the_command_line_adds_lists_changes_and_removes(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    with transaction(session_factory) as session:
        _offices(session)
    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")})
    args = ["--title", "联席会议", "--date", "2026-03-31", "--start", "9:00", "--end", "11:30"]
    added = runner.invoke(meeting, ["add", *args, "--recurrence", "quarterly", "--location", "州信访局"])
    assert added.exit_code == 0, added.output
    number = added.output.split()[2]
    assert added.output == (
        f"joint meeting {number} added: 联席会议, 2026-03-31 09:00-11:30 at 州信访局 (prefecture-wide, quarterly)\n"
    )
    listed = runner.invoke(meeting, ["list", "--from", "2026-06-01", "--to", "2026-12-31"])
    assert listed.output.splitlines() == [
        "2026-06-30 09:00-11:30 联席会议 (prefecture) 州信访局",
        "2026-09-30 09:00-11:30 联席会议 (prefecture) 州信访局",
        "2026-12-31 09:00-11:30 联席会议 (prefecture) 州信访局",
    ]
    changed = runner.invoke(
        meeting, ["change", number, *args, "--office", "522326", "--recurrence", "half-yearly", "--until", "2027-12-31"]
    )
    assert changed.exit_code == 0, changed.output
    assert runner.invoke(meeting, ["list"]).output == (
        f"{number}: 联席会议, 2026-03-31 09:00-11:30 (522326, half-yearly until 2027-12-31)\n"
    )
    bad = runner.invoke(meeting, ["add", *args[:6], "--end", "8:00"])
    assert (bad.exit_code, bad.output) == (1, "错误：会议结束时间（08:00）早于开始时间（09:00）\n")
    bad_time = runner.invoke(meeting, ["add", *args[:6], "--end", "noon"])
    assert bad_time.exit_code == 2 and "'noon' is not a time of day (HH:MM)" in bad_time.output
    assert runner.invoke(meeting, ["remove", number]).output == f"joint meeting {number} removed\n"
    assert runner.invoke(meeting, ["list"]).output == "no joint meeting\n"
    missing = runner.invoke(meeting, ["remove", number])
    assert (missing.exit_code, missing.output) == (1, f"错误：第 {number} 号联席会议不存在\n")


def test_a_meeting_on_a_day_off_is_refused_unless_allowed(session: Session) -> None:
    # 2026-10-02 is 国庆节; the quarterly meeting from 2026-04-02 lands on it at its third occurrence.
    once = MeetingSpec("联席会议", dt.date(2026, 10, 2), NINE, NOON)
    with pytest.raises(InputError) as caught:
        add_meeting(session, once, "clerk")
    assert "联席会议日期不是工作日" in str(caught.value) and "2026-10-02（星期五，国庆节" in str(caught.value)
    quarterly = MeetingSpec("联席会议", dt.date(2026, 4, 2), NINE, NOON, recurrence="quarterly")
    with pytest.raises(InputError) as caught:
        add_meeting(session, quarterly, "clerk")
    assert "2026-10-02" in str(caught.value) and "2026-04-02" not in str(caught.value)
    saturday = MeetingSpec("联席会议", dt.date(2026, 3, 7), NINE, NOON)
    with pytest.raises(InputError, match="星期六"):
        add_meeting(session, saturday, "clerk")
    assert list_meetings(session) == []  # nothing was stored
    made_up = add_meeting(session, MeetingSpec("联席会议", dt.date(2026, 2, 28), NINE, NOON), "clerk")  # Sat 调休
    with pytest.raises(InputError):
        change_meeting(session, made_up.id, once, "clerk")
    assert get_meeting(session, made_up.id).first_date == dt.date(2026, 2, 28)
    allowed = add_meeting(session, once, "clerk", allow_day_off=True)
    assert allowed.first_date == dt.date(2026, 10, 2)
