"""Trainings (专项培训): set up, invited by lawyer, office or firm, attendance after the day, the invited
lawyers' calendars, the command line; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.record_errors import (
    NobodyInvited,
    NotInvited,
    OfficeMissing,
    TrainingHours,
    TrainingNotHeld,
    TrainingTitle,
    UnknownTrainingStatus,
)
from scheduler.attendance.training import (
    TrainingSpec,
    add_training,
    change_training,
    invite,
    record_training_attendance,
    training_counts,
    trainings_of,
)
from scheduler.calendars.feeds import all_feeds, lawyer_feed, office_feed
from scheduler.cli.records import training_group
from scheduler.config import Settings
from scheduler.db import transaction
from scheduler.models import AuditEvent, Lawyer, Office
from scheduler.models.records import Training, TrainingInvitation
from tests.integration.roster_fixtures import build_county

DAY = dt.date(2026, 4, 15)
AFTER = dt.date(2026, 4, 20)
SPEC = TrainingSpec("信访法治化专项培训", DAY, dt.time(9), dt.time(12), "州司法局三楼", "州司法局", "信访工作条例解读")


def _county(factory: sessionmaker[Session]) -> list[int]:
    with transaction(factory) as session:
        people = build_county(session, lawyers=6)
        # A lawyer of another office, in no firm: an office invitation leaves them out.
        other = Office(code="522301", name="兴义市信访局")
        outsider = Lawyer(
            name="外县律师", licence_no="15223201011099999", first_practice_year=2011, calendar_token="outsider-token"
        )
        outsider.offices = [other]
        session.add_all([other, outsider])
        session.flush()
        return [lw.id for lw in people] + [outsider.id]


def _rows(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with factory() as session:
        return (
            session.scalar(select(func.count()).select_from(Training)) or 0,
            session.scalar(select(func.count()).select_from(TrainingInvitation)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.action.like("training.%")))
            or 0,
        )


def test_a_training_is_set_up_invited_by_office_firm_and_lawyer_and_its_attendance_counted(
    session_factory: sessionmaker[Session],
) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        training_id = add_training(session, SPEC, "planner").id
        by_firm = invite(session, training_id, "planner", firms=["贵州第0律师事务所"])
        assert [lw.name for lw in by_firm] == ["律师0", "律师2", "律师4"]
        by_office = invite(session, training_id, "planner", offices=["522326"])
        assert sorted(lw.name for lw in by_office) == ["律师1", "律师3", "律师5"]  # not twice
        assert [lw.name for lw in invite(session, training_id, "planner", lawyers=["外县律师"])] == ["外县律师"]
        record_training_attendance(session, training_id, ids[0], "出席", "planner", today=AFTER)
        record_training_attendance(session, training_id, ids[1], "absent", "planner", today=AFTER)
        record_training_attendance(session, training_id, ids[2], "请假", "planner", note="开庭", today=AFTER)
        attended, missed = training_counts(session, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
        assert (attended[ids[0]], missed[ids[1]], attended[ids[2]] + missed[ids[2]]) == (1, 1, 0)
        mine = trainings_of(session, ids[2])
        assert [(t.title, t.status) for t in mine] == [("信访法治化专项培训", "excused")]
    assert _rows(session_factory) == (1, 7, 7)


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        (TrainingSpec(" ", DAY, dt.time(9), dt.time(12)), TrainingTitle),
        (TrainingSpec("培训", DAY, dt.time(12), dt.time(9)), TrainingHours),
    ],
)
def test_a_training_without_title_or_with_reversed_hours_is_refused(
    session_factory: sessionmaker[Session], spec: TrainingSpec, error: type[Exception]
) -> None:
    with pytest.raises(error), transaction(session_factory) as session:
        add_training(session, spec, "planner")
    assert _rows(session_factory) == (0, 0, 0)


def test_bad_invitations_and_attendance_are_refused_and_change_nothing(
    session_factory: sessionmaker[Session],
) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        training_id = add_training(session, SPEC, "planner").id
        invite(session, training_id, "planner", lawyers=[ids[0]])
    before = _rows(session_factory)
    with pytest.raises(NobodyInvited), transaction(session_factory) as session:
        invite(session, training_id, "planner")
    with pytest.raises(OfficeMissing), transaction(session_factory) as session:
        invite(session, training_id, "planner", lawyers=[ids[1]], offices=["999999"])
    with pytest.raises(TrainingNotHeld, match="举行后才能登记出勤"), transaction(session_factory) as session:
        record_training_attendance(session, training_id, ids[0], "attended", "planner", today=DAY - dt.timedelta(1))
    with pytest.raises(NotInvited, match="律师3"), transaction(session_factory) as session:
        record_training_attendance(session, training_id, ids[3], "attended", "planner", today=AFTER)
    with pytest.raises(UnknownTrainingStatus), transaction(session_factory) as session:
        record_training_attendance(session, training_id, ids[0], "迟到", "planner", today=AFTER)
    assert _rows(session_factory) == before


def test_invited_lawyers_see_the_training_in_their_own_calendar_only(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    ids = _county(session_factory)
    now = dt.datetime(2026, 4, 1, 8)
    with transaction(session_factory) as session:
        training_id = add_training(session, SPEC, "planner").id
        invite(session, training_id, "planner", lawyers=[ids[0]])
    with session_factory() as session:
        tokens = {lw.id: lw.calendar_token for lw in session.scalars(select(Lawyer))}
        feed = lawyer_feed(session, settings, tokens[ids[0]], now)
        assert feed is not None
        (event,) = [e for e in feed.events if e.uid.startswith("training-")]
        assert event.duty.duty_type == "专项培训：信访法治化专项培训" and event.duty.address == "州司法局三楼"
        assert "信访工作条例解读" in event.duty.scope
        other = lawyer_feed(session, settings, tokens[ids[1]], now)
        assert other is not None and not [e for e in other.events if e.uid.startswith("training-")]
        office = office_feed(session, settings, "522326", now)
        assert office is not None and not [e for e in office.events if e.uid.startswith("training-")]
        static = all_feeds(session, settings, now).lawyers[tokens[ids[0]]]
        assert [e.uid for e in static.events if e.uid.startswith("training-")] == [event.uid]
    with transaction(session_factory) as session:
        change_training(session, training_id, TrainingSpec(SPEC.title, DAY, dt.time(14), dt.time(17)), "planner")
    with session_factory() as session:
        feed = lawyer_feed(session, settings, tokens[ids[0]], now)
        assert feed is not None
        (moved,) = [e for e in feed.events if e.uid == event.uid]
        assert (moved.duty.start, moved.sequence) == (dt.time(14), 1)


def test_the_command_line_sets_up_invites_and_records(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    ids = _county(session_factory)
    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url, "SCHEDULER_INSTANCE_DIR": str(tmp_path / "instance")})
    added = runner.invoke(
        training_group,
        [
            "add",
            "--title",
            "调解技巧培训",
            "--date",
            "2026-04-15",
            "--start",
            "14:30",
            "--end",
            "17:00",
            "--organiser",
            "州信访局",
        ],
    )
    assert added.exit_code == 0, added.output
    with session_factory() as session:
        training_id = session.scalars(select(Training.id)).one()
    invited = runner.invoke(training_group, ["invite", str(training_id), "--office", "望谟县信访局"])
    assert invited.exit_code == 0 and "6 lawyer(s) invited" in invited.output
    early = runner.invoke(
        training_group,
        ["attend", str(training_id), "--lawyer", str(ids[0]), "--status", "出席", "--today", "2026-04-14"],
    )
    assert early.exit_code == 1 and "举行后才能登记出勤" in early.output
    done = runner.invoke(
        training_group,
        ["attend", str(training_id), "--lawyer", str(ids[0]), "--status", "出席", "--today", "2026-04-15"],
    )
    assert done.exit_code == 0 and "出席" in done.output
    assert "调解技巧培训" in runner.invoke(training_group, ["list"]).output
