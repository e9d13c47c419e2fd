"""One lawyer search: the planner's list and the API find the same lawyers, case-insensitively, on every database."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from scheduler.db import transaction
from scheduler.models import LawFirm, Lawyer
from tests.web.conftest import build_roster

Headers = dict[str, str]


def test_the_planner_page_and_the_api_find_the_same_lawyers_whatever_the_case(
    app: Flask,
    session_factory: sessionmaker[Session],
    client: FlaskClient,
    client_as: Callable[..., FlaskClient],
    basic: Callable[..., Headers],
) -> None:
    world = build_roster(session_factory, lawyers=4, duties=1)
    with transaction(session_factory) as session:
        firm = LawFirm(name="Dacheng Law Offices 贵阳", credit_code="31520000MD0000099X")
        session.add(firm)
        for lawyer_id in world.lawyer_ids[:2]:
            session.get_one(Lawyer, lawyer_id).firm = firm
        names = sorted(session.get_one(Lawyer, i).name for i in world.lawyer_ids[:2])
        other_names = [session.get_one(Lawyer, i).name for i in world.lawyer_ids[2:]]
    planner = client_as("planner")
    for query in ("dacheng", "DACHENG", "Law offices"):
        page = planner.get(f"/planner/lawyers?q={query}").get_data(as_text=True)
        answer = client.get(f"/api/v1/lawyers?q={query}", headers=basic("planner")).get_json()
        assert sorted(item["name"] for item in answer["items"]) == names, query
        assert all(name in page for name in names), query
        assert not any(name in page for name in other_names), query
        others = set(world.lawyer_ids[2:])
        assert not {item["id"] for item in answer["items"]} & others
