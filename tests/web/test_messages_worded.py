"""A service's error is worded at the edge in the reader's language: Chinese on a Chinese page, English on an
English one; form dates are read as people type them."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask.testing import FlaskClient
from sqlalchemy.orm import Session, sessionmaker

from tests.web.conftest import SQLITE_ONLY, build_roster, post_form

ClientAs = Callable[..., FlaskClient]
LEADER_DAY = {"office": "522326", "start": "09:00", "end": "12:00", "needed": "1", "min_years": "0", "note": "接待"}


def _beside(page: str, field: str) -> str:
    found = re.search(rf'id="{field}-error">([^<]+)<', page)
    assert found, f"no message beside {field}"
    return found.group(1)


@SQLITE_ONLY
def test_a_service_error_is_chinese_on_a_chinese_page_and_english_on_an_english_one(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    planner = client_as("planner")
    chinese = post_form(planner, "/planner/leader-days", {**LEADER_DAY, "date": "2026-10-01"})
    assert chinese.status_code == 400
    assert (
        _beside(chinese.get_data(as_text=True), "date")
        == "领导接待日 2026年10月1日 是法定休息日（国庆节）；请选择工作日"
    )
    planner.get("/language/en")
    english = post_form(planner, "/planner/leader-days", {**LEADER_DAY, "date": "2026-10-01"})
    message = _beside(english.get_data(as_text=True), "date")
    assert message == "leader reception day 1 Oct 2026 is a statutory day off (国庆节); choose a working day"


@SQLITE_ONLY
def test_a_form_date_is_read_as_people_type_it(client_as: ClientAs, session_factory: sessionmaker[Session]) -> None:
    build_roster(session_factory, lawyers=1, duties=1, per_duty=1)
    planner = client_as("planner")
    typed = post_form(planner, "/planner/leader-days", {**LEADER_DAY, "date": "2026年10月1日"})
    # Read as 1 October 2026, which the service then refuses as a holiday: the date itself was understood.
    assert "法定休息日" in _beside(typed.get_data(as_text=True), "date")
    wrong = post_form(planner, "/planner/leader-days", {**LEADER_DAY, "date": "下周二"})
    assert wrong.status_code == 400
    assert _beside(wrong.get_data(as_text=True), "date").startswith("“下周二”不是日期")


@SQLITE_ONLY
def test_the_solver_status_is_a_word_of_the_reader_s_language(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    from scheduler.models import Roster

    world = build_roster(session_factory, lawyers=2, duties=1, per_duty=1)
    with session_factory.begin() as session:
        session.get_one(Roster, world.roster_id).solver_status = "optimal"
    planner = client_as("planner")
    page = planner.get(f"/planner/rosters/{world.roster_id}").get_data(as_text=True)
    assert "<dd>最优" in page and "optimal" not in page
    planner.get("/language/en")
    assert "<dd>optimal" in planner.get(f"/planner/rosters/{world.roster_id}").get_data(as_text=True)


@SQLITE_ONLY
def test_a_repair_s_reason_is_stored_as_data_and_worded_in_the_reader_s_language(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    import datetime as dt

    from sqlalchemy import select

    from scheduler.models import Assignment, Duty, Lawyer, Proposal, Roster
    from tests.integration.roster_fixtures import published_county

    published_county(session_factory)
    with session_factory() as session:
        lawyer = session.scalars(
            select(Lawyer)
            .join(Assignment, Assignment.lawyer_id == Lawyer.id)
            .join(Duty, Duty.id == Assignment.duty_id)
            .join(Roster, Roster.id == Assignment.roster_id)
            .where(Roster.status == "published", Duty.date == dt.date(2026, 3, 18))
        ).first()
        assert lawyer is not None
        name, licence = lawyer.name, lawyer.licence_no
    clerk = client_as("clerk")
    form = {"licence": licence, "action": "remove", "start": "2026-03-01", "reason": "违反纪律"}
    removed = post_form(clerk, "/clerk/standing", form)
    assert removed.status_code == 302
    with session_factory() as session:
        proposal = session.scalars(select(Proposal)).one()
        assert proposal.reason_message == {
            "code": "repair.removal",
            "params": {"name": name, "start": "2026-03-01", "reason": {"code": "", "params": {"text": "违反纪律"}}},
        }
    chinese = clerk.get(removed.headers["Location"]).get_data(as_text=True)
    assert f"{name} 自 2026年3月1日 起取消资格：违反纪律" in chinese
    clerk.get("/language/en")
    english = clerk.get(removed.headers["Location"]).get_data(as_text=True)
    assert f"removal of {name} from 1 Mar 2026: 违反纪律" in english
