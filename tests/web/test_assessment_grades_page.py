"""The assessment page grades lawyers: compute, override with a reason (kept on recompute), the commendation
list, the printable report, and a scoped planner kept to their offices' lawyers."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.models import AuditEvent, Lawyer, Office
from scheduler.models.grades import AssessmentGrade
from tests.web.conftest import build_roster, login, post_form

ClientAs = Callable[..., FlaskClient]
PAGE = "/planner/reports/assessment?year=2026&threshold=2"


def _licence(factory: sessionmaker[Session], name: str) -> str:
    with factory() as session:
        return session.scalars(select(Lawyer.licence_no).where(Lawyer.name == name)).one()


def _grade_cell(page: str, licence: str) -> str:
    found = re.search(rf'<td class="grade" data-licence="{licence}">(.*?)<details', page, re.S)
    assert found, page
    return re.sub(r"<[^>]+>|\s+", "", found.group(1))


def test_the_planner_computes_overrides_and_recomputes_grades(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=3, duties=2, per_duty=1)
    app.config["TODAY"] = dt.date(2026, 5, 1)
    planner = client_as("planner")
    page = planner.get(PAGE).get_data(as_text=True)
    licence = _licence(session_factory, "律师0")
    assert "计算考核等次" in page and _grade_cell(page, licence) == "未计算" and "拟表彰名单" not in page

    assert post_form(planner, "/planner/reports/assessment/2026/grades").status_code == 302
    page = planner.get(PAGE).get_data(as_text=True)
    assert "已计算 3 名律师的考核等次" in page and "重新计算考核等次" in page
    assert _grade_cell(page, licence) == "称职"  # no duty recorded as served yet: never 优秀
    assert "值班 0 次（优秀须至少 4 次）" in page

    url = f"/planner/reports/assessment/2026/grade/{licence}"
    refused = post_form(planner, url, {"grade": "excellent", "reason": ""})
    assert refused.status_code == 302
    assert "请写明调整理由" in planner.get(PAGE).get_data(as_text=True)
    post_form(planner, url, {"grade": "outstanding", "reason": "理由"})
    assert "没有“outstanding”这个考核等次" in planner.get(PAGE).get_data(as_text=True)
    post_form(planner, url, {"grade": "excellent", "reason": "承办疑难案件成效突出", "page": "1"})
    post_form(planner, "/planner/reports/assessment/2026/grades")
    page = planner.get(PAGE).get_data(as_text=True)
    assert _grade_cell(page, licence).startswith("优秀（人工调整，计算结果：称职；理由：承办疑难案件成效突出）")
    section = re.search(r'<section class="commendation".*?</section>', page, re.S)
    assert section and "律师0" in section.group(0) and "律师1" not in section.group(0)
    book = load_workbook(io.BytesIO(planner.get("/planner/reports/assessment/2026.xlsx").data))
    assert book.sheetnames[-1] == "拟表彰名单" and book.worksheets[0].cell(2, 22).value == "考核等次"
    with session_factory() as session:
        actions = session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("assessment.%"))).all()
        assert sorted(actions) == ["assessment.grade", "assessment.grade", "assessment.override"]


def test_the_print_report_is_a4_chinese_without_navigation(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    build_roster(session_factory, lawyers=3, duties=2, per_duty=1)
    app.config["TODAY"] = dt.date(2026, 5, 1)
    planner = client_as("planner")
    post_form(planner, "/planner/reports/assessment/2026/grades")
    post_form(
        planner,
        f"/planner/reports/assessment/2026/grade/{_licence(session_factory, '律师1')}",
        {"grade": "excellent", "reason": "表现突出"},
    )
    response = planner.get("/planner/reports/assessment/2026/print")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and '<html lang="zh-CN">' in page
    assert "2026 年度信访值班律师考核结果" in page and "黔西南州司法局" in page and "2026年5月1日" in page
    assert "<nav" not in page and "assessment-print.css" in page
    assert "优秀*" in page and "优秀律师：</strong>律师1" in page
    with planner.get("/static/assessment-print.css") as css:
        assert "size: A4" in css.get_data(as_text=True)
    assert planner.get("/planner/reports/assessment/1999/print").status_code == 404


def test_only_planners_grade_and_a_scoped_planner_grades_only_their_offices(
    app: Flask,
    client_as: ClientAs,
    make_account: Callable[..., int],
    session_factory: sessionmaker[Session],
) -> None:
    world = build_roster(session_factory, lawyers=2, duties=2, per_duty=1)
    build_roster(
        session_factory, lawyers=2, duties=2, per_duty=1, code="522301", name_prefix="兴义", start=dt.date(2026, 6, 3)
    )
    app.config["TODAY"] = dt.date(2026, 5, 1)
    wangmo = _licence(session_factory, "律师0")
    for other in (client_as("clerk"), client_as("lawyer", lawyer_id=world.lawyer_ids[0])):
        assert post_form(other, "/planner/reports/assessment/2026/grades").status_code == 403
    with session_factory() as session:
        xingyi = session.scalars(select(Office.id).where(Office.code == "522301")).one()
    scoped = login(app.test_client(), make_account("planner", office_ids=[xingyi]))
    page = scoped.get(PAGE).get_data(as_text=True)
    assert "兴义0" in page and "律师0" not in page
    post_form(scoped, "/planner/reports/assessment/2026/grades")
    refused = post_form(scoped, f"/planner/reports/assessment/2026/grade/{wangmo}", {"grade": "basic", "reason": "x"})
    assert refused.status_code == 403
    with session_factory() as session:
        graded = session.scalars(select(Lawyer.name).join(AssessmentGrade, AssessmentGrade.lawyer_id == Lawyer.id))
        assert sorted(graded) == ["兴义0", "兴义1"]
