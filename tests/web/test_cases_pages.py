"""The pages of entrusted cases and of lawyers' availability requests, for staff and for the lawyer."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from werkzeug.test import TestResponse

from scheduler.casework import cases
from scheduler.db import transaction
from scheduler.models import Lawyer, Unavailability
from scheduler.models.casework import CaseOpinion
from scheduler.people import availability_requests as requests
from tests.web.conftest import TODAY, build_roster, csrf_token
from tests.web.querycount import app_engine, count_queries

PDF = b"%PDF-1.7\n%%EOF\n"


def _post(client: FlaskClient, path: str, data: dict[str, object], **kwargs: object) -> TestResponse:
    """POST a form as the browser would, with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf_token(client), **data}, **kwargs)  # type: ignore[arg-type]


def _form() -> dict[str, object]:
    return {
        "title": "某村征地补偿争议",
        "summary": "对补偿标准有异议。",
        "category": "土地征收",
        "office": "522326",
        "leader": "王副县长",
        "language": "",
        "entrusted_on": TODAY.isoformat(),
        "due_date": (TODAY + dt.timedelta(days=14)).isoformat(),
    }


def _create_case(clerk: FlaskClient) -> int:
    response = _post(clerk, "/cases/new", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").rpartition("/")[2])


def test_a_clerk_creates_assigns_and_files_an_opinion_the_lawyer_downloads(
    client_as: Callable[..., FlaskClient], session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    with transaction(session_factory) as session:
        session.get(Lawyer, world.lawyer_ids[1]).specialties = ["土地征收"]  # type: ignore[union-attr]
    clerk = client_as("clerk")
    case_id = _create_case(clerk)
    page = clerk.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "委托2026-001" in page and "专业对口" in page
    assert page.index("律师1") < page.index("律师0")  # the specialist is suggested first

    chosen = world.lawyer_ids[1]
    assert _post(clerk, f"/cases/{case_id}/assign", data={"lawyers": [str(chosen)]}).status_code == 302
    refused = _post(clerk, f"/cases/{case_id}/opinions", data={"file": (io.BytesIO(b"MZ binary"), "意见书.pdf")})
    assert refused.status_code == 400 and "文件内容不是 PDF 文档" in refused.get_data(as_text=True)
    with session_factory() as session:
        assert session.scalar(select(func.count(CaseOpinion.id))) == 0
    filed = _post(clerk, f"/cases/{case_id}/opinions", data={"file": (io.BytesIO(PDF), "意见书.pdf")})
    assert filed.status_code == 302
    with session_factory() as session:
        opinion_id = session.scalars(select(CaseOpinion.id)).one()
    assert "已出具意见" in clerk.get(f"/cases/{case_id}").get_data(as_text=True)
    assert "委托2026-001" in clerk.get("/cases/").get_data(as_text=True)
    edit = clerk.get(f"/cases/{case_id}/edit").get_data(as_text=True)
    assert "某村征地补偿争议" in edit
    moved = _post(clerk, f"/cases/{case_id}/edit", data={**_form(), "due_date": "2026-02-01"})
    assert moved.status_code == 400 and "办理期限早于委托日期" in moved.get_data(as_text=True)
    assert _post(clerk, f"/cases/{case_id}/edit", data={**_form(), "due_date": "2026-03-20"}).status_code == 302
    assert "2026年3月20日" in clerk.get(f"/cases/{case_id}").get_data(as_text=True)

    lawyer = client_as("lawyer", lawyer_id=chosen)
    mine = lawyer.get("/me/").get_data(as_text=True)
    assert "我承办的委托案件" in mine and "某村征地补偿争议" in mine and "意见书.pdf" in mine
    download = lawyer.get(f"/cases/opinions/{opinion_id}")
    assert download.status_code == 200 and download.data == PDF and download.mimetype == "application/pdf"
    other = client_as("lawyer", lawyer_id=world.lawyer_ids[0])
    assert other.get(f"/cases/opinions/{opinion_id}").status_code == 404
    assert other.get(f"/cases/{case_id}").status_code == 403
    assert "暂无委托案件" in other.get("/me/").get_data(as_text=True)


def test_a_lawyer_asks_for_days_off_and_reads_the_planner_s_decision(
    client_as: Callable[..., FlaskClient], session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory, start=dt.date(2026, 2, 4), status="draft")
    start, end = dt.date(2026, 3, 2), dt.date(2026, 3, 29)
    planner = client_as("planner")
    opened = _post(
        planner,
        "/availability/windows",
        data={"period_start": start, "period_end": end, "opens": "2026-02-01", "deadline": "2026-02-25"},
    )
    assert opened.status_code == 302
    lawyer = client_as("lawyer", lawyer_id=world.lawyer_ids[0])
    assert "请在 2026年2月25日 前提交" in lawyer.get("/me/").get_data(as_text=True)
    with session_factory() as session:
        window = requests.window_for_period(session, start, end).id
    asked = _post(
        lawyer,
        f"/availability/mine/{window}/days-off",
        data={"start": "2026-03-09", "end": "2026-03-10", "reason": "开庭"},
    )
    assert asked.status_code == 302
    _post(lawyer, f"/availability/mine/{window}/weekdays", data={"undesired": ["0"]})
    page = planner.get("/availability/").get_data(as_text=True)
    assert "律师0" in page and "2026年3月9日 至 2026年3月10日 不能值班（开庭）" in page
    with session_factory() as session:
        first, _second = [r.id for r in requests.requests_of_window(session, window)]
    assert _post(planner, f"/availability/requests/{first}/decline", data={"reason": ""}).status_code == 302
    _post(planner, f"/availability/requests/{first}/decline", data={"reason": "当天已安排，请另行调换"})
    _post(planner, f"/availability/windows/{window}/approve-all", data={})
    mine = lawyer.get("/me/").get_data(as_text=True)
    assert "未批准" in mine and "当天已安排，请另行调换" in mine and "已批准" in mine
    lawyer.get("/language/en")
    english = lawyer.get("/me/").get_data(as_text=True)
    assert "March 9, 2026 to March 10, 2026: cannot serve (开庭)" in english and "Declined" in english
    with session_factory() as session:
        assert session.scalars(select(Unavailability)).all() == []  # the declined days stay available
        assert session.get(Lawyer, world.lawyer_ids[0]).undesired_weekdays == [0]  # type: ignore[union-attr]


def test_after_the_deadline_the_lawyer_is_told_in_chinese_and_nothing_is_stored(
    client_as: Callable[..., FlaskClient], session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    with transaction(session_factory) as session:
        window = requests.open_window(
            session, dt.date(2026, 3, 2), dt.date(2026, 3, 29), dt.date(2026, 2, 1), dt.date(2026, 2, 10), "p"
        ).id
    lawyer = client_as("lawyer", lawyer_id=world.lawyer_ids[0])
    late = _post(
        lawyer,
        f"/availability/mine/{window}/days-off",
        data={"start": "2026-03-09", "end": "2026-03-09", "reason": "开庭"},
        follow_redirects=True,
    )
    assert "已于 2026年2月10日 截止，不能再提交" in late.get_data(as_text=True)
    with session_factory() as session:
        assert requests.requests_of_lawyer(session, world.lawyer_ids[0]) == []


def test_the_lawyer_s_cases_section_runs_a_fixed_number_of_queries_whatever_the_number_of_cases(
    app: Flask, client_as: Callable[..., FlaskClient], session_factory: sessionmaker[Session]
) -> None:
    world = build_roster(session_factory)
    me = world.lawyer_ids[0]
    lawyer = client_as("lawyer", lawyer_id=me)

    def queries() -> int:
        with count_queries(app_engine(app)) as counted:
            assert lawyer.get("/me/").status_code == 200
        return counted.count

    def add_cases(n: int) -> None:
        with transaction(session_factory) as session:
            for i in range(n):
                fields = cases.CaseFields("案件", "", "行政", "522326", "", TODAY, TODAY + dt.timedelta(days=9 + i))
                case_id = cases.create_case(session, fields, "clerk").id
                cases.assign_lawyers(session, case_id, [me, world.lawyer_ids[1 + i % 3]], "clerk", today=TODAY)
                cases.file_opinion(session, case_id, f"意见{i}.pdf", PDF, "clerk")

    add_cases(1)
    one = queries()
    add_cases(4)
    assert queries() == one
    assert lawyer.get("/me/").get_data(as_text=True).count("意见") >= 5
