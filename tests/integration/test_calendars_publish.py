"""Static publication: atomic writes, nothing written when nothing changed, no public link to a private feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.calendars.static_files import publish_all, write_files
from scheduler.calendars.sync import sync_published
from scheduler.cli import main
from scheduler.cli.calendars import calendar as calendar_group
from scheduler.cli.calendars import publish as publish_command
from scheduler.config import Settings
from scheduler.db import make_engine, upgrade
from scheduler.demo import build_demo
from scheduler.models import Assignment, AuditEvent, Duty, Lawyer, Roster
from tests.integration.calendar_fixtures import (
    FIRST_ROSTER,
    T0,
    World,
    build_world,
    calendar_settings,
    parse_both,
    publish_and_sync,
)

T1 = T0 + dt.timedelta(days=1)


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    return calendar_settings(db_url, tmp_path)


@pytest.fixture
def world(session: Session) -> World:
    built = build_world(session)
    session.commit()
    return built


def _files(directory: Path) -> dict[str, Path]:
    return {p.relative_to(directory).as_posix(): p for p in directory.rglob("*") if p.is_file()}


def test_publish_writes_every_feed_and_an_index_of_the_public_ones(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    result = publish_all(session, settings, T1)
    files = _files(settings.calendars_dir)
    tokens = list(session.scalars(select(Lawyer.calendar_token)))
    expected = {"index.html", "prefecture.ics", "private/index.html"}
    expected |= {f"office/{code}.ics" for code in world.offices} | {f"private/{t}.ics" for t in tokens}
    assert set(files) == expected == set(result.written)
    for name, path in files.items():
        if name.endswith(".ics"):
            parse_both(path.read_bytes())
        assert path.stat().st_mode & 0o777 == 0o644
    index = files["index.html"].read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in index
    assert 'href="webcal://duty.example.org/calendars/office/522301.ics"' in index
    assert 'href="https://duty.example.org/calendars/prefecture.ics"' in index
    # No public file names a private feed.
    for name, path in files.items():
        if not name.startswith("private/"):
            text = path.read_text(encoding="utf-8")
            assert "private/" not in text
            assert not any(token in text for token in tokens)
    assert "href" not in files["private/index.html"].read_text(encoding="utf-8")


def test_a_token_that_is_not_url_safe_gets_no_file(session: Session, world: World, settings: Settings) -> None:
    lawyer = session.get(Lawyer, world.lawyers[0])
    assert lawyer is not None
    lawyer.calendar_token = "../../escaped-" + "x" * 20
    session.commit()
    result = publish_all(session, settings, T1)
    assert not any("escaped" in name for name in result.written)
    assert not (settings.calendars_dir.parent / ("escaped-" + "x" * 20 + ".ics")).exists()


def test_publishing_an_unchanged_roster_writes_nothing_and_keeps_modification_times(
    session: Session, world: World, settings: Settings
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_all(session, settings, T1)
    stamps = {name: path.stat().st_mtime_ns for name, path in _files(settings.calendars_dir).items()}
    again = publish_all(session, settings, T1 + dt.timedelta(hours=3))
    assert again.written == () and again.removed == ()
    assert len(again.unchanged) == len(stamps)
    assert {name: path.stat().st_mtime_ns for name, path in _files(settings.calendars_dir).items()} == stamps


def test_a_change_rewrites_only_the_files_it_touches(session: Session, world: World, settings: Settings) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_all(session, settings, T1)
    publish_and_sync(session, world, {**FIRST_ROSTER, 1: (5,), 3: (2,)}, settings, T1)
    result = publish_all(session, settings, T1)
    tokens = {i: f"token-{i}-" + "x" * 30 for i in (2, 5)}
    assert set(result.written) == {
        "prefecture.ics",
        "office/522323.ics",
        *(f"private/{t}.ics" for t in tokens.values()),
    }


def test_files_are_replaced_by_a_rename_of_a_complete_file_staged_in_the_same_folder(
    session: Session, world: World, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    seen = []
    real_replace = os.replace
    live = settings.calendars_dir

    def checking_replace(source: str | Path, target: str | Path) -> None:
        source, target = Path(source), Path(target)
        if target.relative_to(live).parts[0].startswith(".staging-"):
            real_replace(source, target)  # writing the staged copy
            return
        # At the moment of the switch, the staged file is complete, in a hidden folder of calendars/ (the
        # same file system, so the rename is atomic) at the same relative path.
        staging = source.relative_to(live).parts[0]
        assert staging.startswith(".staging-")
        assert source.relative_to(live / staging) == target.relative_to(live)
        if target.suffix == ".ics":
            parse_both(source.read_bytes())
        seen.append(target.name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", checking_replace)
    result = publish_all(session, settings, T1)
    assert len(seen) == len(result.written)


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(tmp_path: Path) -> None:
    write_files(tmp_path, {"prefecture.ics": b"old"})

    class Boom(Exception):
        pass

    def failing_replace(source: str, target: str) -> None:
        raise Boom

    original = os.replace
    os.replace = failing_replace  # type: ignore[assignment]
    try:
        with pytest.raises(Boom):
            write_files(tmp_path, {"prefecture.ics": b"new"})
    finally:
        os.replace = original
    assert (tmp_path / "prefecture.ics").read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prefecture.ics"]


def test_only_managed_files_are_removed(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("keep", encoding="utf-8")
    write_files(tmp_path, {"office/a.ics": b"a", "private/t.ics": b"t", "index.html": b"i"})
    result = write_files(tmp_path, {"index.html": b"i"})
    assert set(result.removed) == {"office/a.ics", "private/t.ics"}
    assert (tmp_path / "README.md").exists()


def _env(settings: Settings, db_url: str) -> dict[str, str]:
    return {
        "SCHEDULER_DATABASE_URL": db_url,
        "SCHEDULER_INSTANCE_DIR": str(settings.instance_dir),
        "SCHEDULER_CALENDARS_DIR": str(settings.calendars_dir),
        "SCHEDULER_BASE_URL": settings.base_url,
        "SCHEDULER_SECRET_KEY": "test-secret",
    }


def test_the_publish_command_reports_written_then_unchanged(
    session: Session, world: World, settings: Settings, db_url: str
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    runner = CliRunner()
    first = runner.invoke(publish_command, [], env=_env(settings, db_url))
    assert first.exit_code == 0, first.output
    assert "calendars: 12 written, 0 unchanged, 0 removed" in first.output
    second = runner.invoke(publish_command, [], env=_env(settings, db_url))
    assert "calendars: 0 written, 12 unchanged, 0 removed" in second.output


def test_rotating_a_token_prints_the_new_url_and_removes_the_old_file(
    session: Session, world: World, settings: Settings, db_url: str
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_all(session, settings, T1)
    old = f"token-0-{'x' * 30}"
    assert (settings.calendars_dir / f"private/{old}.ics").exists()
    result = CliRunner().invoke(
        calendar_group, ["rotate-token", world.licence(0), "--reason", "link forwarded"], env=_env(settings, db_url)
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    lawyer = session.scalars(select(Lawyer).where(Lawyer.licence_no == world.licence(0))).one()
    new = lawyer.calendar_token
    assert new != old and len(new) >= 22  # at least 128 bits of URL-safe base64
    assert result.output.strip() == f"https://duty.example.org/calendars/private/{new}.ics"
    assert not (settings.calendars_dir / f"private/{old}.ics").exists()
    assert (settings.calendars_dir / f"private/{new}.ics").exists()
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "calendar.rotate_token")).one()
    assert audit.reason == "link forwarded" and old not in str(audit.after) and new not in str(audit.after)


def test_rotating_the_token_of_an_unknown_licence_is_a_clear_error(settings: Settings, db_url: str) -> None:
    result = CliRunner().invoke(calendar_group, ["rotate-token", "15223201011099999"], env=_env(settings, db_url))
    assert result.exit_code == 1
    assert "错误：没有执业证号为 15223201011099999 的律师" in result.output


def _publish_demo_roster(session: Session, today: dt.date) -> tuple[dt.date, dt.date]:
    """The demo's duties with lawyers of each office taken in turn (one duty a day each), published."""
    summary = build_demo(session, today, history=False)  # the feeds then hold this roster only
    start, end = summary.start, summary.end
    roster = Roster(period_start=start, period_end=end, version=1, status="published", published_at=T0)
    session.add(roster)
    session.flush()
    lawyers = session.scalars(select(Lawyer).order_by(Lawyer.id)).all()
    by_office: dict[int, list[Lawyer]] = {}
    for lawyer in lawyers:
        for office in lawyer.offices:
            by_office.setdefault(office.id, []).append(lawyer)
    rng = random.Random(1)
    busy: set[tuple[int, dt.date]] = set()
    for duty in session.scalars(select(Duty).where(Duty.date.between(start, end)).order_by(Duty.date, Duty.id)):
        candidates = [lw for lw in by_office.get(duty.office_id, []) if (lw.id, duty.date) not in busy]
        for slot, lawyer in enumerate(rng.sample(candidates, min(duty.needed, len(candidates)))):
            busy.add((lawyer.id, duty.date))
            session.add(
                Assignment(
                    roster=roster, duty_id=duty.id, lawyer_id=lawyer.id, date=duty.date, slot=slot, places=duty.needed
                )
            )
    session.flush()
    return start, end


def test_the_demo_prefecture_publishes_feeds_that_both_parsers_read(
    session_factory: sessionmaker[Session], settings: Settings
) -> None:
    with session_factory() as session:
        start, end = _publish_demo_roster(session, dt.date(2026, 11, 28))
        result = sync_published(session, start, end, "test", T0, settings=settings)
        session.commit()
        assert result.added > 100 and result.notices == result.added  # every demo lawyer has an address
        published = publish_all(session, settings, T1)
    files = _files(settings.calendars_dir)
    assert len(published.written) == len(files) > 150
    uids: set[str] = set()
    for name in ("prefecture.ics", "office/522301.ics", "office/yilong.ics"):
        events = parse_both(files[name].read_bytes()).walk("VEVENT")
        assert events
        if name == "prefecture.ics":
            uids = {str(e["UID"]) for e in events}
            assert len(uids) == len(events)
    lawyer_uids = set()
    for name, path in files.items():
        if name.startswith("private/") and name.endswith(".ics"):
            for event in parse_both(path.read_bytes()).walk("VEVENT"):
                # An office that closes for lunch has a second event a duty: duty-1-lawyer-2-s2@host.
                lawyer_uids.add(re.sub(r"-s\d+@", "@", str(event["UID"])))
    assert len(lawyer_uids) == result.added and not lawyer_uids & uids


def test_publish_without_a_database_is_an_error_and_deletes_nothing(
    session: Session, world: World, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The database variable unset in another directory: the default database does not exist there.
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_all(session, settings, T1)
    before = _files(settings.calendars_dir)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    env = {"SCHEDULER_CALENDARS_DIR": str(settings.calendars_dir), "SCHEDULER_SECRET_KEY": "test-secret"}
    result = CliRunner().invoke(main, ["publish"], env=env)
    assert result.exit_code == 1
    assert f"错误：{elsewhere / 'instance' / 'scheduler.sqlite3'} 处没有数据库" in result.output
    assert not (elsewhere / "instance" / "scheduler.sqlite3").exists()
    assert _files(settings.calendars_dir).keys() == before.keys()


def test_an_empty_publication_over_published_feeds_is_refused_unless_allowed(
    session: Session, world: World, settings: Settings, tmp_path: Path
) -> None:
    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_all(session, settings, T1)
    before = {path: p.read_bytes() for path, p in _files(settings.calendars_dir).items()}
    empty = tmp_path / "empty.sqlite3"
    engine = make_engine(f"sqlite:///{empty}")
    upgrade(engine)
    engine.dispose()
    env = {**_env(settings, f"sqlite:///{empty}")}
    refused = CliRunner().invoke(main, ["publish"], env=env)
    assert refused.exit_code == 1 and "错误：拒绝用空的发布覆盖" in refused.output
    assert {path: p.read_bytes() for path, p in _files(settings.calendars_dir).items()} == before
    allowed = CliRunner().invoke(publish_command, ["--allow-empty"], env=env)
    assert allowed.exit_code == 0, allowed.output
    assert not any(path.startswith(("office/", "private/t")) for path in _files(settings.calendars_dir))


def test_a_relative_sqlite_url_is_resolved_once_to_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.config import load_settings

    monkeypatch.chdir(tmp_path)
    loaded = load_settings({"SCHEDULER_DATABASE_URL": "sqlite:///data/x.sqlite3", "SCHEDULER_SECRET_KEY": "k"})
    assert loaded.database_url == f"sqlite:///{tmp_path / 'data' / 'x.sqlite3'}"
    default = load_settings({"SCHEDULER_SECRET_KEY": "k"})
    assert default.database_url == f"sqlite:///{tmp_path / 'instance' / 'scheduler.sqlite3'}"


def test_a_publish_that_fails_midway_switches_nothing_in_and_prints_one_error_line(
    session: Session, world: World, settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The disk fills up after two files: office and lawyer feeds must not end up from different runs.
    import errno

    from scheduler.calendars import static_files

    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    publish_all(session, settings, T1)
    before = {path: p.read_bytes() for path, p in _files(settings.calendars_dir).items()}
    publish_and_sync(session, world, {**FIRST_ROSTER, 1: (5,), 3: (2,)}, settings, T1)
    real_write = static_files.write_atomically
    calls = []

    def filling_disk(path: Path, data: bytes) -> None:
        calls.append(path)
        if len(calls) > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data)

    monkeypatch.setattr(static_files, "write_atomically", filling_disk)
    result = CliRunner().invoke(main, ["publish", "--no-sync"], env=_env(settings, db_url))
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"错误：无法在 {settings.calendars_dir} 发布日历：No space left on device"
    ]
    assert {path: p.read_bytes() for path, p in _files(settings.calendars_dir).items()} == before


def _dates(data: bytes) -> list[str]:
    return sorted(str(event.decoded("DTSTART").date()) for event in parse_both(data).walk("VEVENT"))


def test_office_and_prefecture_feeds_keep_90_days_of_past_duties_and_a_lawyers_feed_a_year(
    session: Session, world: World, settings: Settings
) -> None:
    from scheduler.calendars.feeds import calendar_options, lawyer_feed, office_feed, prefecture_feed
    from scheduler.calendars.ical import calendar

    publish_and_sync(session, world, FIRST_ROSTER, settings, T0)
    later = dt.datetime(2026, 6, 5, 12)  # Mar 4 and 5 are 93 and 92 days back, Mar 11 and 12 86 and 85
    options = calendar_options(settings)
    prefecture = prefecture_feed(session, settings, later)
    assert _dates(calendar(prefecture, options)) == ["2026-03-11", "2026-03-12"]
    xingyi = office_feed(session, settings, "522301", later)
    assert xingyi is not None and _dates(calendar(xingyi, options)) == ["2026-03-11"]
    own = lawyer_feed(session, settings, f"token-0-{'x' * 30}", later)  # lawyer 0 is on Mar 4
    assert own is not None and _dates(calendar(own, options)) == ["2026-03-04"]
    # The static publication holds the same windows.
    publish_all(session, settings, later)
    assert _dates((settings.calendars_dir / "prefecture.ics").read_bytes()) == ["2026-03-11", "2026-03-12"]
    assert _dates((settings.calendars_dir / f"private/token-0-{'x' * 30}.ics").read_bytes()) == ["2026-03-04"]
    # A year on, the lawyer's own feed lets it go too; the window is a setting.
    a_year_on = lawyer_feed(session, settings, f"token-0-{'x' * 30}", later.replace(year=2027))
    assert a_year_on is not None and _dates(calendar(a_year_on, options)) == []
    wide = dataclasses.replace(settings, feed_past_days=365)
    assert len(_dates(calendar(prefecture_feed(session, wide, later), options))) == 4
