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
