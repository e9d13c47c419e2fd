"""The audit log reads as sentences with names, keeps them after renames, filters by person, office, action and
date, is scoped to an account's offices, and exports the same sentences to Excel."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.audit import record
from scheduler.audit_log import AuditFilter, audit_lines, audit_page
from scheduler.db import transaction
from scheduler.models import AuditEvent, AuditEventOffice, Duty, Lawyer, Office, User
from tests.web.conftest import build_roster
from tests.web.querycount import app_engine, count_queries

ClientAs = Callable[..., FlaskClient]
ZONE = "Asia/Shanghai"


def _cross_office_swap(factory: sessionmaker[Session]) -> tuple[int, int]:
    """A roster at 望谟 plus a leader day at 兴义, and a swap between a 望谟 lawyer and a 兴义 lawyer recorded
    by the clerk 王芳; returns the two office ids."""
    world = build_roster(factory, lawyers=2, duties=1, per_duty=1)
    with transaction(factory) as session:
        wangmo = session.scalar(select(Office).where(Office.code == world.office_code))
        assert wangmo is not None
        xingyi = Office(code="522301", name="兴义市信访局", name_en="Xingyi Shi Petition Bureau")
        session.add(xingyi)
        window = session.get(Duty, world.duty_ids[0])
        assert window is not None
        leader = Duty(
            office=xingyi,
            duty_type=window.duty_type,
            date=dt.date(2026, 12, 16),
            start=dt.time(9),
            end=dt.time(12),
        )
        session.add(leader)
        zhu = session.get(Lawyer, world.lawyer_ids[0])
        assert zhu is not None
        zhu.name = "朱桂"
        luo = session.get(Lawyer, world.lawyer_ids[1])
        assert luo is not None
        luo.name = "罗磊超"
        session.add(User(username="wangfang", password_hash="x", role="clerk"))
        session.flush()
        record(
            session,
            "user:wangfang",
            "roster.swap",
            entity="roster",
            entity_id=world.roster_id,
            reason="家中有事",
            before={"version": 1, "duties": {str(leader.id): [zhu.id], str(window.id): [luo.id]}},
            after={"version": 2, "duties": {str(leader.id): [luo.id], str(window.id): [zhu.id]}},
        )
        return wangmo.id, xingyi.id


def test_a_swap_reads_as_a_sentence_with_names_and_keeps_them_after_renames(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _cross_office_swap(session_factory)
    with transaction(session_factory) as session:
        for lawyer in session.scalars(select(Lawyer)):
            lawyer.name = "改名" + lawyer.name  # a later rename must not rewrite the log
    page = client_as("clerk").get("/clerk/audit").get_data(as_text=True)
    assert "wangfang（窗口）将兴义市信访局 12月16日 律师接待窗口值班 由 朱桂 换为 罗磊超" in page
    assert "由 罗磊超 换为 朱桂，理由：家中有事" in page
    table = page[page.index('<table class="audit">') :]
    assert "改名" not in table and "roster" not in table and "user:" not in table


def test_the_log_is_filtered_by_person_office_and_action(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    wangmo, xingyi = _cross_office_swap(session_factory)
    with transaction(session_factory) as session:
        session.add(AuditEvent(actor="cli", action="holidays.import", entity="holiday_overrides"))
    clerk = client_as("clerk")
    assert "共 2 条" in clerk.get("/clerk/audit").get_data(as_text=True)
    assert "共 1 条" in clerk.get("/clerk/audit?actor=罗磊超").get_data(as_text=True)  # a lawyer concerned
    assert "共 1 条" in clerk.get("/clerk/audit?actor=wangfang").get_data(as_text=True)  # the actor
    assert "共 1 条" in clerk.get(f"/clerk/audit?office={xingyi}").get_data(as_text=True)
    assert "共 1 条" in clerk.get(f"/clerk/audit?office={wangmo}").get_data(as_text=True)
    only_import = clerk.get("/clerk/audit?action=holidays.import").get_data(as_text=True)
    assert "共 1 条" in only_import and "命令行：导入节假日" in only_import
    with session_factory() as session:
        concerned = set(session.scalars(select(AuditEventOffice.office_id)))
        assert concerned == {wangmo, xingyi}  # a swap across offices concerns both
        scoped = audit_page(session, ZONE, wanted=AuditFilter(office_ids={xingyi}))
        assert scoped.total == 1  # an account of 兴义 sees the swap, not the office-less import
        assert audit_page(session, ZONE, wanted=AuditFilter(office_ids=set())).total == 0
        assert audit_page(session, ZONE, wanted=AuditFilter()).total == 2


def test_an_old_event_without_names_still_reads_sensibly(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    with transaction(session_factory) as session:
        session.add(AuditEvent(actor="user:zhang", action="roster.swap", entity="roster", entity_id="3", after={}))
    page = client_as("clerk").get("/clerk/audit").get_data(as_text=True)
    table = page[page.index('<table class="audit">') :]
    assert "zhang：换班（排班表）" in table and "roster" not in table


def test_the_filtered_log_exports_to_excel_with_the_same_sentences(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _, xingyi = _cross_office_swap(session_factory)
    response = client_as("clerk").get(f"/clerk/audit.xlsx?office={xingyi}")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("时间", "操作人", "操作", "记录")
    assert len(rows) == 2 and rows[1][1] == "wangfang（窗口）" and rows[1][2] == "换班"
    assert "由 朱桂 换为 罗磊超" in str(rows[1][3])
    with session_factory() as session:
        assert [line.action for line in audit_lines(session, ZONE, AuditFilter(office_id=xingyi))] == ["roster.swap"]


def test_the_log_reads_in_english_when_english_is_chosen(
    client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _cross_office_swap(session_factory)
    clerk = client_as("clerk")
    clerk.get("/language/en")
    page = clerk.get("/clerk/audit").get_data(as_text=True)
    swap = "wangfang (front desk) swapped: Xingyi Shi Petition Bureau Dec 16 Lawyer reception window: "
    assert swap + "朱桂 replaced by 罗磊超" in page


def test_the_audit_page_asks_the_database_the_same_few_times_however_many_events_it_shows(
    app: Flask, client_as: ClientAs, session_factory: sessionmaker[Session]
) -> None:
    _cross_office_swap(session_factory)
    clerk = client_as("clerk")
    clerk.get("/clerk/audit")  # the signed-in account is loaded and cached like on any page

    def queries() -> int:
        with count_queries(app_engine(app)) as counted:
            assert clerk.get("/clerk/audit").status_code == 200
        return counted.count

    few = queries()
    with transaction(session_factory) as session:
        for _ in range(30):
            record(session, "user:wangfang", "holidays.import", entity="holiday_overrides")
    assert queries() == few
