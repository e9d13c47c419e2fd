"""Lists of people and firms read in pinyin order on the pages, paged lists included."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import LawFirm, Lawyer
from tests.web.conftest import build_roster

ClientAs = Callable[..., FlaskClient]
NAMES = ["朱桂", "单雄信", "安然", "曾国藩", "罗磊超", "邓超"]  # in pinyin: 安 邓 罗 单(shàn) 曾(zēng) 朱
FIRMS = ["兴义市正义律师事务所", "安顺律师事务所"]


def _positions(page: str, words: list[str]) -> list[str]:
    return sorted(words, key=page.index)


def test_the_lawyers_and_firms_pages_list_in_pinyin_order(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=len(NAMES))
    with transaction(session_factory) as session:
        for lawyer, name in zip(session.scalars(select(Lawyer).order_by(Lawyer.id)), NAMES, strict=True):
            lawyer.name = name
        for firm, name in zip(session.scalars(select(LawFirm).order_by(LawFirm.id)), FIRMS, strict=True):
            firm.name = name
    planner = client_as("planner")
    lawyers = planner.get("/planner/lawyers").get_data(as_text=True)
    assert _positions(lawyers, NAMES) == ["安然", "邓超", "罗磊超", "单雄信", "曾国藩", "朱桂"]
    firms = planner.get("/planner/firms").get_data(as_text=True)
    assert _positions(firms, FIRMS) == ["安顺律师事务所", "兴义市正义律师事务所"]


def test_a_duty_s_lawyers_appear_in_pinyin_order_on_the_notice(
    client: FlaskClient, session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=2)
    with transaction(session_factory) as session:
        first, second = (session.get(Lawyer, i) for i in world.lawyer_ids)  # slots 0 and 1 of the duty
        assert first is not None and second is not None
        first.name, second.name = "朱桂", "安然"
    notice = client.get("/notice/522326/week/2026/10").get_data(as_text=True)
    assert _positions(notice, ["朱桂", "安然"]) == ["安然", "朱桂"]
