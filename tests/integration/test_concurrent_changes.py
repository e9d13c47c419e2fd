"""Two (or twenty) clerks changing one roster at the same moment: exactly one wins, nothing is doubled."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from scheduler.config import Settings
from scheduler.core.errors import Conflict, chinese_date
from scheduler.db import make_engine, make_session_factory, transaction
from scheduler.models import Duty
from scheduler.rosters import proposals, publishing, versions
from tests.integration.roster_fixtures import END, START, TODAY, published_county

CLERKS = 20


@pytest.fixture
def wide_factory(db_url: str, settings: Settings) -> Iterator[sessionmaker[Session]]:
    """Sessions on an engine whose pool lets every clerk hold a connection at the same moment."""
    engine = make_engine(db_url, pool_size=CLERKS + 2, max_overflow=0)
    yield make_session_factory(engine, settings)
    engine.dispose()


def _race(factory: sessionmaker[Session], proposal_ids: list[int]) -> tuple[list[int], list[str]]:
    barrier = threading.Barrier(len(proposal_ids))
    won: list[int] = []
    lost: list[str] = []
    lock = threading.Lock()

    def clerk(proposal_id: int) -> None:
        barrier.wait()
        try:
            with transaction(factory) as session:
                roster = proposals.accept(session, proposal_id, f"clerk{proposal_id}", today=TODAY)
                version = roster.version
        except Conflict as exc:
            with lock:
                lost.append(str(exc))
            return
        with lock:
            won.append(version)

    threads = [threading.Thread(target=clerk, args=(pid,)) for pid in proposal_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return won, lost


def test_twenty_clerks_covering_one_duty_at_once_leave_exactly_one_change(
    wide_factory: sessionmaker[Session],
) -> None:
    session_factory = wide_factory
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        table = versions.assignments_of(versions.current_published(session, START, END))  # type: ignore[arg-type]
        duty_id, team = sorted(table.items())[0]
        idle = [lw for lw in ids if lw not in team]
        made = [
            proposals.propose_cover(session, duty_id, team[0], idle[i % len(idle)], f"clerk{i}", today=TODAY).id
            for i in range(CLERKS)
        ]
    won, lost = _race(session_factory, made)
    assert len(won) == 1 and len(lost) == CLERKS - 1
    # Each loser is told which duty (by day and office) and that a newer version came first.
    with session_factory() as session:
        duty = session.get_one(Duty, duty_id)
        named = f"{chinese_date(duty.date)} {duty.office.name}"
    assert all(named in message for message in lost)
    assert all("新版本" in message or "已更新" in message or "同时修改" in message for message in lost)
    with session_factory() as session:
        current = versions.current_published(session, START, END)
        assert current is not None and current.version == 2
        assert [r.version for r in versions.versions(session, START, END)] == [1, 2]
        _assert_invariants(session, current.id)


def test_concurrent_swaps_of_different_duties_never_double_book_a_lawyer(
    wide_factory: sessionmaker[Session],
) -> None:
    session_factory = wide_factory
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        table = versions.assignments_of(versions.current_published(session, START, END))  # type: ignore[arg-type]
        made = []
        for i, (duty_id, team) in enumerate(sorted(table.items())):
            idle = [lw for lw in ids if all(lw not in ls for ls in table.values())] or ids
            made.append(proposals.propose_cover(session, duty_id, team[0], idle[i % len(idle)], "c", today=TODAY).id)
    won, lost = _race(session_factory, made)
    assert len(won) == 1 and len(lost) == len(made) - 1
    with session_factory() as session:
        current = versions.current_published(session, START, END)
        assert current is not None
        _assert_invariants(session, current.id)


def _assert_invariants(session: Session, roster_id: int) -> None:
    roster = session.get(publishing.Roster, roster_id)
    assert roster is not None
    per_duty = Counter(a.duty_id for a in roster.assignments)
    for duty_id, count in per_duty.items():
        duty = session.get(Duty, duty_id)
        assert duty is not None and count <= duty.needed
    per_day = Counter((a.lawyer_id, a.date) for a in roster.assignments)
    assert max(per_day.values()) == 1
