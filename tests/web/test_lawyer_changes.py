"""A lawyer's page says what changed in their duties (in words, with names, reason and time) and shows each
swap request's state from the reader's side."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.rosters import proposals
from scheduler.rosters.duty_changes import cancel_duty
from tests.web.conftest import TODAY, World, build_roster, post_form

ClientAs = Callable[..., FlaskClient]


def _page(client: FlaskClient) -> str:
    response = client.get("/me/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _changes(page: str) -> list[str]:
    section = re.search(r'<section class="duty-changes">.*?</section>', page, re.S)
    assert section, page
    return [
        " ".join(re.sub(r"<[^>]+>", " ", row).split())
        for row in re.findall(r"<tr class=\"change-.*?</tr>", section.group(0), re.S)
    ]


def _pair(world: World) -> tuple[int, int, int, int]:
    """Two duties and a lawyer on each who is not on the other."""
    first, second = world.duty_ids[0], world.duty_ids[1]
    giver = next(lw for lw in world.team[first] if lw not in world.team[second])
    taker = next(lw for lw in world.team[second] if lw not in world.team[first])
    return first, second, giver, taker


def test_a_swap_shows_on_both_lawyers_pages_as_an_exchange_with_the_colleagues_name_and_reason(
    app: Flask, session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    app.config["TODAY"] = TODAY
    world = build_roster(session_factory, lawyers=4, duties=2, per_duty=1)
    first, second, giver, taker = _pair(world)
    with transaction(session_factory) as session:
        proposal = proposals.propose_swap(session, first, giver, second, taker, "clerk", "开庭冲突", today=TODAY)
        proposals.accept(session, proposal.id, "clerk", today=TODAY)
    mine = _changes(_page(client_as("lawyer", lawyer_id=giver)))
    assert len(mine) == 1
    assert "与 律师1 互换，改为 2026年3月11日 值班" in mine[0] and "2026年3月4日" in mine[0] and "开庭冲突" in mine[0]
    theirs = _changes(_page(client_as("lawyer", lawyer_id=taker)))
    assert len(theirs) == 1 and "与 律师0 互换，改为 2026年3月4日 值班" in theirs[0]
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d ", mine[0])


def test_a_cover_and_a_cancellation_are_told_to_the_lawyers_they_touch(
    app: Flask, session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    app.config["TODAY"] = TODAY
    world = build_roster(session_factory, lawyers=4, duties=3, per_duty=1)
    first, second, third = world.duty_ids
    out = world.team[first][0]
    cover = next(lw for lw in world.lawyer_ids if lw not in (out, *world.team[second], *world.team[third]))
    cancelled_lawyer = world.team[third][0]
    with transaction(session_factory) as session:
        proposal = proposals.propose_cover(session, first, out, cover, "clerk", "生病", today=TODAY)
        proposals.accept(session, proposal.id, "clerk", today=TODAY)
        cancel_duty(session, third, "信访局当天停止接待", "clerk", today=TODAY)
    covered = _changes(_page(client_as("lawyer", lawyer_id=out)))
    assert any("改由 律师" in row and "生病" in row for row in covered), covered
    taking = _changes(_page(client_as("lawyer", lawyer_id=cover)))
    assert any("您接替 律师0 值班" in row for row in taking), taking
    gone = _changes(_page(client_as("lawyer", lawyer_id=cancelled_lawyer)))
    assert any("值班已取消" in row and "信访局当天停止接待" in row for row in gone), gone


def test_a_lawyer_whose_duties_did_not_change_is_told_so(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=2, per_duty=1)
    assert "过去一年您的值班没有变动" in _page(client_as("lawyer", lawyer_id=world.lawyer_ids[0]))


def test_a_swap_request_reads_from_each_side_and_only_the_asked_colleague_can_answer(
    session_factory: sessionmaker[Session], client_as: ClientAs
) -> None:
    world = build_roster(session_factory, lawyers=4, duties=2, per_duty=1)
    first, _second, giver, taker = _pair(world)
    giving, taking = client_as("lawyer", lawyer_id=giver), client_as("lawyer", lawyer_id=taker)
    assert post_form(giving, f"/me/duties/{first}/swap", {"to_lawyer": str(taker)}).status_code == 302
    asked = _page(taking)
    assert "等待您答复" in asked and "待对方答复" not in asked
    assert "/accept" in asked and "/decline" in asked
    asking = _page(giving)
    assert "待对方答复" in asking and "等待您答复" not in asking
    assert "/accept" not in asking and "/withdraw" in asking
    request_id = re.search(r"/me/swap-requests/(\d+)/accept", asked).group(1)  # type: ignore[union-attr]
    assert post_form(taking, f"/me/swap-requests/{request_id}/accept").status_code == 302
    assert "您已同意，待审批" in _page(taking) and "对方已同意，待审批" in _page(giving)
