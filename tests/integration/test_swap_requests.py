"""Lawyers' swap requests: offer or exchange, the colleague answers, a clerk decides; expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.errors import Conflict, InputError
from scheduler.db import transaction
from scheduler.models import AuditEvent
from scheduler.rosters import swap_requests as requests
from scheduler.rosters import versions
from tests.integration.roster_fixtures import END, START, TODAY, published_county


def _table(session: Session) -> dict[int, tuple[int, ...]]:
    roster = versions.current_published(session, START, END)
    assert roster is not None
    return versions.assignments_of(roster)


def _pair(session: Session, ids: list[int]) -> tuple[int, int, int]:
    """A duty, a lawyer on it, and a lawyer on no duty at all."""
    table = _table(session)
    duty_id, team = sorted(table.items())[0]
    busy = {lw for ls in table.values() for lw in ls}
    idle = next(lw for lw in ids if lw not in busy)
    return duty_id, team[0], idle


def test_an_offer_accepted_and_approved_moves_the_duty(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        duty_id, giver, taker = _pair(session, ids)
        r = requests.create(session, duty_id, giver, taker, message="家中有事", today=TODAY)
        assert r.state == "proposed"
        requests.respond(session, r.id, taker, True)
        assert r.state == "accepted"
        assert giver in _table(session)[duty_id]  # nothing moves before the clerk approves
        requests.decide(session, r.id, True, "clerk", today=TODAY)
        assert r.state == "approved"
        table = _table(session)
        assert taker in table[duty_id] and giver not in table[duty_id]
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        ours = [a for a in actions if a.startswith(("swap_request.", "roster.cover"))]
        assert ours == ["swap_request.create", "swap_request.accepted", "roster.cover", "swap_request.approved"]


def test_an_exchange_swaps_both_duties(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory, lawyers=8)
    with transaction(session_factory) as session:
        table = _table(session)
        (d1, t1), (d2, t2) = sorted(table.items())[:2]
        a, b = t1[0], next(lw for lw in t2 if lw not in t1)
        r = requests.create(session, d1, a, b, exchange_duty_id=d2, today=TODAY)
        requests.respond(session, r.id, b, True)
        requests.decide(session, r.id, True, "clerk", today=TODAY)
        table = _table(session)
        assert b in table[d1] and a in table[d2]
        assert len(ids) == 8


def test_declined_withdrawn_and_rejected_requests_change_nothing(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        before = _table(session)
        duty_id, giver, taker = _pair(session, ids)
        declined = requests.create(session, duty_id, giver, taker, today=TODAY)
        requests.respond(session, declined.id, taker, False)
        withdrawn = requests.create(session, duty_id, giver, taker, today=TODAY)
        requests.withdraw(session, withdrawn.id, giver)
        rejected = requests.create(session, duty_id, giver, taker, today=TODAY)
        requests.respond(session, rejected.id, taker, True)
        requests.decide(session, rejected.id, False, "clerk")
        assert [declined.state, withdrawn.state, rejected.state] == ["declined", "withdrawn", "rejected"]
        assert _table(session) == before


def test_only_the_right_people_can_move_a_request(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        duty_id, giver, taker = _pair(session, ids)
        r = requests.create(session, duty_id, giver, taker, today=TODAY)
        with pytest.raises(Conflict, match="只有被邀请的律师"):
            requests.respond(session, r.id, giver, True)
        with pytest.raises(Conflict, match="只有提出换班申请的律师"):
            requests.withdraw(session, r.id, taker)
        with pytest.raises(Conflict, match="只有对方已同意的申请"):
            requests.decide(session, r.id, True, "clerk")
        with pytest.raises(InputError, match="不在第 1 版排班的"):
            requests.create(session, duty_id, taker, giver, today=TODAY)


def test_requests_expire_when_the_duty_has_passed(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        duty_id, giver, taker = _pair(session, ids)
        r = requests.create(session, duty_id, giver, taker, today=TODAY)
        assert requests.expire(session, today=r.expires_on) == 0
        assert requests.expire(session, today=r.expires_on + dt.timedelta(days=1)) == 1
        assert r.state == "expired"
        with pytest.raises(Conflict):
            requests.respond(session, r.id, taker, True)


def test_auto_approval_applies_an_accepted_request_that_breaks_no_rule(session_factory: sessionmaker[Session]) -> None:
    ids = published_county(session_factory, lawyers=10)
    with transaction(session_factory) as session:
        duty_id, giver, taker = _pair(session, ids)
        r = requests.create(session, duty_id, giver, taker, today=TODAY)
        requests.respond(session, r.id, taker, True, auto_approve=True, today=TODAY)
        assert r.state == "approved" and r.decided_by == "auto"
        assert taker in _table(session)[duty_id]
