"""The planner's review before publishing: the roster as a table (date × office, names and firms), printable
on A4 landscape, and each lawyer's duties against their fair share."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from scheduler.core.problem import Problem
from scheduler.db import transaction
from scheduler.models import Assignment
from scheduler.rosters import review
from scheduler.solver import objective
from scheduler.solver.pools import Pool
from tests.web.conftest import build_roster

ClientAs = Callable[..., FlaskClient]


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def _section(page: str, css_class: str) -> str:
    found = re.search(rf'<table class="{css_class}">.*?</table>', page, re.S)
    assert found, page
    return found.group(0)


def test_the_review_shows_who_serves_each_day_at_each_office_with_their_firm(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=3, duties=4, per_duty=1, status="draft")
    page = _page(client_as("planner"), f"/planner/rosters/{world.roster_id}")
    grid = _section(page, "roster-grid")
    assert "望谟县" in re.search(r"<thead>.*?</thead>", grid, re.S).group(0)  # type: ignore[union-attr]
    rows = re.findall(r"<tr>\s*<th scope=\"row\" class=\"day\">(.*?)</tr>", grid, re.S)
    assert len(rows) == 4  # one row per day with a duty
    assert "2026年3月4日" in rows[0] and "星期三" in rows[0]
    assert re.search(r"<li>律师0<span class=\"firm\">律师所\d+</span></li>", rows[0])
    assert "律师1" in rows[1] and "律师0" in rows[3]
    assert "打印" in page and "data-print" in page


def test_the_review_lists_each_lawyers_duties_and_flags_one_far_from_the_fair_share(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=4, duties=3, per_duty=1)
    # The draft piles all three duties on one new lawyer: five lawyers share three duties, 0.6 each.
    piled = build_roster(session_factory, lawyers=1, duties=3, per_duty=1, status="draft", name_prefix="新", version=2)
    page = _page(client_as("planner"), f"/planner/rosters/{piled.roster_id}")
    lines = _section(page, "per-lawyer")
    flagged = re.findall(r'<tr class="warn">\s*<th scope="row">([^<]+)</th>(.*?)</tr>', lines, re.S)
    assert [name for name, _ in flagged] == ["新0"]
    cells = re.findall(r'<td class="num">([^<]*)</td>', flagged[0][1])
    assert cells == ["3", "0.6 ⚠"]
    assert "2026年3月4日" in flagged[0][1] and "2026年3月18日" in flagged[0][1]
    others = re.findall(r'<tr>\s*<th scope="row">(律师\d)</th>', lines)
    assert sorted(others) == ["律师0", "律师1", "律师2", "律师3"]


def test_the_review_marks_an_open_place_in_the_table(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=4, duties=2, per_duty=2, status="draft")
    with transaction(session_factory) as session:
        session.execute(
            delete(Assignment).where(Assignment.roster_id == world.roster_id, Assignment.duty_id == world.duty_ids[1])
        )
    page = _page(client_as("planner"), f"/planner/rosters/{world.roster_id}")
    rows = re.findall(r"<tr>\s*<th scope=\"row\" class=\"day\">(.*?)</tr>", _section(page, "roster-grid"), re.S)
    assert "空缺" not in rows[0]
    assert '<li class="open">空缺 2 人</li>' in rows[1]


def test_the_review_builds_the_periods_pools_once(
    client_as: ClientAs, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = build_roster(session_factory, lawyers=3, duties=2, per_duty=1, status="draft")
    calls: list[int] = []
    real = objective.pools

    def counted(problem: Problem) -> tuple[Pool, ...]:
        calls.append(1)
        return real(problem)

    monkeypatch.setattr(objective, "pools", counted)
    monkeypatch.setattr(review, "pools", counted)
    _page(client_as("planner"), f"/planner/rosters/{world.roster_id}")
    assert len(calls) == 1
