"""The reception log's pages: a lawyer logs on their own served duty, a clerk for a lawyer, the planner sees
the month and downloads it, edits the categories; refusals are shown beside their field and change nothing."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.consultations import categories
from scheduler.db import transaction
from scheduler.models.records import Consultation, ConsultationCategory
from tests.integration.attendance_fixtures import RECORDED_ON, recorded_county
from tests.web.conftest import post_form

ClientAs = Callable[..., FlaskClient]
MARCH_4, MARCH_11, APRIL_8 = dt.date(2026, 3, 4), dt.date(2026, 3, 11), dt.date(2026, 4, 8)


def _consultations(factory: sessionmaker[Session]) -> int:
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Consultation)) or 0


def _category_id(factory: sessionmaker[Session], name: str) -> int:
    with transaction(factory) as session:
        # Through the use case: a truncated test database gets the policy's categories back on first use.
        return next(c.id for c in categories(session) if c.name == name)


def _form(category: int, **changes: str) -> dict[str, str]:
    return {
        "time": "09:40",
        "visitors": "2",
        "category": str(category),
        "referral": "legal_aid",
        "advice": "符合法律援助条件，引导至法律援助中心。",
        **changes,
    }


def test_a_lawyer_logs_a_consultation_on_a_duty_they_served(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    lawyer = client_as("lawyer", lawyer_id=county.lawyers[4])
    listing = lawyer.get("/me/records/reception").get_data(as_text=True)
    assert f"/me/records/reception/duties/{county.duties[MARCH_11]}" in listing  # as the substitute
    url = f"/me/records/reception/duties/{county.duties[MARCH_11]}"
    assert "请勿填写来访人姓名" in lawyer.get(url).get_data(as_text=True)
    labour = _category_id(session_factory, "劳动争议")
    done = post_form(lawyer, url, _form(labour))
    assert done.status_code == 302
    page = lawyer.get(url).get_data(as_text=True)
    assert "法律援助中心" in page and "劳动争议" in page
    assert _consultations(session_factory) == 1


def test_bad_entries_are_shown_beside_their_field_and_change_nothing(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    lawyer = client_as("lawyer", lawyer_id=county.lawyers[0])
    labour = _category_id(session_factory, "劳动争议")
    url = f"/me/records/reception/duties/{county.duties[MARCH_4]}"
    few = post_form(lawyer, url, _form(labour, visitors="0"))
    assert few.status_code == 400 and "来访人数须在 1 到 500 之间" in few.get_data(as_text=True)
    wrong = post_form(lawyer, url, _form(999999))
    assert wrong.status_code == 400 and "咨询类别" in wrong.get_data(as_text=True)
    unserved = post_form(lawyer, f"/me/records/reception/duties/{county.duties[APRIL_8]}", _form(labour))
    assert unserved.status_code == 400 and "不能登记接待" in unserved.get_data(as_text=True)
    # Another lawyer's duty: they did not serve it.
    other = post_form(lawyer, f"/me/records/reception/duties/{county.duties[MARCH_11]}", _form(labour))
    assert other.status_code == 400
    assert _consultations(session_factory) == 0


def test_a_clerk_logs_for_a_lawyer_and_the_planner_sees_the_month(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    clerk = client_as("clerk")
    assert "/clerk/reception/duties/" in clerk.get("/clerk/reception?start=2026-03-01&end=2026-04-10").get_data(
        as_text=True
    )
    url = f"/clerk/reception/duties/{county.duties[MARCH_4]}"
    assert post_form(clerk, url, _form(_category_id(session_factory, "婚姻家庭"), lawyer=str(county.lawyers[1])))
    assert _consultations(session_factory) == 1
    assert client_as("lawyer", lawyer_id=county.lawyers[1]).get("/planner/reports/reception").status_code == 403
    planner = client_as("planner")
    page = planner.get("/planner/reports/reception?month=2026-03").get_data(as_text=True)
    assert "婚姻家庭" in page and "律师1" in page and "法律援助中心" not in page  # counts, no advice
    assert planner.get("/planner/reports/reception?month=2026-13").status_code == 400
    workbook = planner.get("/planner/reports/reception/2026/3.xlsx")
    assert workbook.status_code == 200
    assert load_workbook(io.BytesIO(workbook.data)).sheetnames == ["按信访局", "按律师"]
    # A clerk removes it again.
    with session_factory() as session:
        row_id = session.scalars(select(Consultation.id)).one()
    assert post_form(clerk, f"/clerk/reception/consultations/{row_id}/remove").status_code == 302
    assert _consultations(session_factory) == 0


def test_no_public_page_shows_the_reception_log(
    app: Flask, client: FlaskClient, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    county = recorded_county(session_factory)
    app.config["TODAY"] = RECORDED_ON
    url = f"/me/records/reception/duties/{county.duties[MARCH_4]}"
    post_form(client_as("lawyer", lawyer_id=county.lawyers[0]), url, _form(_category_id(session_factory, "刑事")))
    assert _consultations(session_factory) == 1
    for path in ("/", "/notice/522326", "/notice/522326/week/2026/10", "/calendars/office/522326.ics"):
        assert "引导至法律援助中心" not in client.get(path).get_data(as_text=True)
    assert client.get("/clerk/reception").status_code in (302, 401)


def test_the_planner_adds_and_retires_a_category(client_as: ClientAs, session_factory: sessionmaker[Session]) -> None:
    planner = client_as("planner")
    assert "征地拆迁" in planner.get("/planner/reception/categories").get_data(as_text=True)
    assert post_form(planner, "/planner/reception/categories", {"name": "涉法涉诉"}).status_code == 302
    again = post_form(planner, "/planner/reception/categories", {"name": "涉法涉诉"})
    assert again.status_code == 400 and "已存在" in again.get_data(as_text=True)
    added = _category_id(session_factory, "涉法涉诉")
    post_form(planner, f"/planner/reception/categories/{added}", {"name": "涉法涉诉"})  # "active" unticked
    with session_factory() as session:
        assert session.get_one(ConsultationCategory, added).active is False
    assert post_form(client_as("clerk"), "/planner/reception/categories", {"name": "x"}).status_code == 403
