"""Entrusted cases: ranked suggestions, assignment, opinions (type and size checked), reminders, assessment."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from scheduler.attendance.assessment import annual_assessment
from scheduler.calendars.change_mail import message
from scheduler.casework import cases
from scheduler.casework.errors import BadOpinionFile, BadStatusChange, LawyerNotServing, NoOpinionYet
from scheduler.casework.opinion_files import MAX_OPINION_BYTES
from scheduler.casework.reminders import queue_due_reminders
from scheduler.casework.views import case_detail, lawyer_cases, suggest_lawyers
from scheduler.cli.cases import case as case_cli
from scheduler.db import transaction
from scheduler.models import AuditEvent, Lawyer, Notice, StatusPeriod
from scheduler.models.casework import CaseOpinion, CaseReminder
from scheduler.models.rosters import utcnow
from tests.integration.roster_fixtures import build_county

TODAY = dt.date(2026, 3, 2)
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _fields(**overrides: object) -> cases.CaseFields:
    values: dict[str, object] = {
        "title": "某村征地补偿争议",
        "summary": "村民对征地补偿标准有异议，多次到州信访局反映。",
        "category": "土地征收",
        "office_code": "522326",
        "leader": "王副县长",
        "entrusted_on": TODAY,
        "due_date": TODAY + dt.timedelta(days=20),
    }
    values.update(overrides)
    return cases.CaseFields(**values)  # type: ignore[arg-type]


def _county(factory: sessionmaker[Session]) -> list[int]:
    """Eight lawyers: 律师0 a land specialist since 2010, 律师1 one since 2020, 律师2 a Buyi speaker."""
    with transaction(factory) as session:
        lawyers = build_county(session)
        lawyers[0].specialties = ["土地征收"]
        lawyers[1].specialties = ["土地征收"]
        lawyers[1].first_practice_year = 2020
        lawyers[2].languages = ["buyi"]
        for lawyer in lawyers:
            lawyer.email = f"{lawyer.licence_no}@example.org"
        return [lw.id for lw in lawyers]


def test_suggestions_rank_specialty_then_case_load_then_years(session_factory: sessionmaker[Session]) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        first = cases.create_case(session, _fields(), "clerk").id
        second = cases.create_case(session, _fields(title="另一宗征地争议"), "clerk").id
        ranked = suggest_lawyers(session, first, TODAY, limit=3)
        assert [r.candidate.id for r in ranked][:2] == [ids[0], ids[1]]  # both specialists, the senior first
        assert ranked[0].specialty_match and ranked[0].years == 16 and ranked[0].open_cases == 0
        cases.assign_lawyers(session, first, [ids[0]], "clerk", today=TODAY)
        # 律师0 now carries an open case: the junior specialist goes first for the next one.
        ranked = suggest_lawyers(session, second, TODAY, limit=3)
        assert [r.candidate.id for r in ranked][:2] == [ids[1], ids[0]]
        assert ranked[1].open_cases == 1 and ranked[1].average_open == pytest.approx(0.1)
        buyi = cases.create_case(session, _fields(category="婚姻家庭", language="buyi"), "clerk").id
        assert suggest_lawyers(session, buyi, TODAY, limit=1)[0].candidate.id == ids[2]
        # Lawyers already on the case are not suggested again.
        assert ids[0] not in [r.candidate.id for r in suggest_lawyers(session, first, TODAY, limit=10)]


def test_assignment_numbers_the_case_audits_and_refuses_a_suspended_lawyer(
    session_factory: sessionmaker[Session],
) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        created = cases.create_case(session, _fields(), "clerk")
        assert created.number == "委托2026-001" and created.status == "accepted"
        session.add(StatusPeriod(lawyer_id=ids[3], status="suspended", start=TODAY, end=TODAY, reason="停止执业"))
        case_id = created.id
    with transaction(session_factory) as session, pytest.raises(LawyerNotServing, match="律师3"):
        cases.assign_lawyers(session, case_id, [ids[0], ids[3]], "clerk", today=TODAY)
    with transaction(session_factory) as session:
        cases.assign_lawyers(session, case_id, [ids[1], ids[0]], "clerk", today=TODAY)
    with session_factory() as session:
        row = case_detail(session, case_id, TODAY)
        assert [lw.name for lw in row.lawyers] == ["律师0", "律师1"] and row.status_name == "办理中"
        assert [r.number for r in lawyer_cases(session, ids[1], TODAY)] == ["委托2026-001"]
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions == ["case.create", "case.assign"]


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("意见书.exe", PDF, "只接受 PDF、DOCX 或 ODT 文件"),
        ("意见书.pdf", b"MZ\x90\x00 not a pdf", "文件内容不是 PDF 文档"),
        ("意见书.docx", odt_bytes(), "文件内容不是 DOCX 文档"),
        ("意见书.pdf", b"", "文件是空的"),
        ("意见书.pdf", b"%PDF-" + b"0" * MAX_OPINION_BYTES, "文件超过 8 MB"),
    ],
)
def test_a_bad_opinion_file_is_refused_and_nothing_is_written(
    session_factory: sessionmaker[Session], name: str, content: bytes, problem: str
) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        case_id = cases.create_case(session, _fields(), "clerk").id
        cases.assign_lawyers(session, case_id, [ids[0]], "clerk", today=TODAY)
    with transaction(session_factory) as session, pytest.raises(BadOpinionFile) as refused:
        cases.file_opinion(session, case_id, name, content, "clerk")
    assert problem in str(refused.value) and name in str(refused.value)
    with session_factory() as session:
        assert session.scalar(select(func.count(CaseOpinion.id))) == 0
        assert case_detail(session, case_id, TODAY).status == "in_progress"
        assert session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.action == "case.opinion")) == 0


@pytest.mark.parametrize(
    ("name", "content"), [("意见书.pdf", PDF), ("意见书.DOCX", docx_bytes()), ("意见.odt", odt_bytes())]
)
def test_an_opinion_is_filed_and_moves_the_case_to_opinion_given(
    session_factory: sessionmaker[Session], name: str, content: bytes
) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        case_id = cases.create_case(session, _fields(), "clerk").id
        with pytest.raises(NoOpinionYet):
            cases.set_status(session, case_id, "opinion_given", "clerk")
        cases.assign_lawyers(session, case_id, [ids[0]], "clerk", today=TODAY)
        filed = cases.file_opinion(session, case_id, name, content, "clerk")
        assert filed.kind == name.rpartition(".")[2].lower() and filed.size == len(content)
    with session_factory() as session:
        assert cases.opinion_of(session, filed.id, lawyer_id=ids[0]).content == content
        with pytest.raises(Exception, match="没有这份法律意见书"):
            cases.opinion_of(session, filed.id, lawyer_id=ids[1])
        assert case_detail(session, case_id, TODAY).status_name == "已出具意见"
    with transaction(session_factory) as session:
        cases.set_status(session, case_id, "closed", "clerk", "意见已被采纳")
    with transaction(session_factory) as session, pytest.raises(BadStatusChange, match="不能从“已结案”改为“办理中”"):
        cases.set_status(session, case_id, "in_progress", "clerk")


def test_a_reminder_is_queued_once_per_case_and_due_date(session_factory: sessionmaker[Session]) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        due_soon = cases.create_case(session, _fields(due_date=TODAY + dt.timedelta(days=2)), "clerk").id
        cases.create_case(session, _fields(title="较远的案件", due_date=TODAY + dt.timedelta(days=30)), "clerk")
        cases.assign_lawyers(session, due_soon, [ids[0], ids[1]], "clerk", today=TODAY)
    for _run in range(2):
        with transaction(session_factory) as session:
            queue_due_reminders(session, TODAY, utcnow(), days_before=3)
    with session_factory() as session:
        notices = session.scalars(select(Notice).order_by(Notice.id)).all()
        assert [n.lawyer_id for n in notices] == [ids[0], ids[1]]
        assert notices[0].method == "TEXT" and "委托2026-001" in notices[0].subject
        assert "2 天后" in notices[0].body and "某村征地补偿争议" in notices[0].body
        assert session.scalar(select(func.count(CaseReminder.id))) == 1
        mail = message(notices[0], "duty@example.org")  # a plain message: no invitation attached
        assert mail.get_content_type() == "text/plain" and "请按时出具法律意见书" in mail.get_content()
    # A new due date is reminded again, once.
    with transaction(session_factory) as session:
        cases.edit_case(session, due_soon, _fields(due_date=TODAY + dt.timedelta(days=3)), "clerk", "延期")
        assert len(queue_due_reminders(session, TODAY + dt.timedelta(days=1), utcnow()).cases) == 1
    with session_factory() as session:
        assert session.scalar(select(func.count(Notice.id))) == 4


def test_cases_and_opinions_count_in_the_assessment(session_factory: sessionmaker[Session]) -> None:
    ids = _county(session_factory)
    with transaction(session_factory) as session:
        one = cases.create_case(session, _fields(), "clerk").id
        two = cases.create_case(session, _fields(title="第二宗"), "clerk").id
        gone = cases.create_case(session, _fields(title="撤回的"), "clerk").id
        cases.assign_lawyers(session, one, [ids[0], ids[1]], "clerk", today=TODAY)
        cases.assign_lawyers(session, two, [ids[0]], "clerk", today=TODAY)
        cases.assign_lawyers(session, gone, [ids[1]], "clerk", today=TODAY)
        cases.set_status(session, gone, "withdrawn", "clerk", "信访人撤回")
        cases.file_opinion(session, one, "a.pdf", PDF, "clerk")
    with session_factory() as session:
        rows = {r.lawyer_id: r for r in annual_assessment(session, 2026, today=TODAY).rows}
        assert (rows[ids[0]].cases, rows[ids[0]].opinions) == (2, 1)
        assert (rows[ids[1]].cases, rows[ids[1]].opinions) == (1, 1)
        assert (rows[ids[2]].cases, rows[ids[2]].opinions) == (0, 0)
        assert annual_assessment(session, 2025, today=TODAY).total("cases") == 0


def test_the_command_line_runs_a_case_from_entrustment_to_opinion(
    session_factory: sessionmaker[Session], db_url: str, tmp_path: Path
) -> None:
    ids = _county(session_factory)
    with session_factory() as session:
        licences = [session.get(Lawyer, i).licence_no for i in ids[:2]]  # type: ignore[union-attr]
    runner = CliRunner(env={"SCHEDULER_DATABASE_URL": db_url})
    due = str(TODAY + dt.timedelta(days=2))
    added = runner.invoke(
        case_cli,
        ["add", "--title", "某村征地补偿争议", "--category", "土地征收", "--office", "522326", "--due", due,
         "--entrusted", str(TODAY)],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output.startswith("委托2026-001 某村征地补偿争议: 受理")
    suggested = runner.invoke(case_cli, ["suggest", "委托2026-001", "--limit", "2", "--today", str(TODAY)])
    assert suggested.output.splitlines()[0].startswith(" 1. 律师0") and "专业对口" in suggested.output
    assert runner.invoke(case_cli, ["assign", "委托2026-001", *licences, "--today", str(TODAY)]).exit_code == 0
    bad = tmp_path / "opinion.pdf"
    bad.write_bytes(b"not a pdf")
    refused = runner.invoke(case_cli, ["opinion", "委托2026-001", str(bad)])
    assert refused.exit_code == 1 and "错误：法律意见书 opinion.pdf：文件内容不是 PDF 文档" in refused.output
    reminded = runner.invoke(case_cli, ["remind", "--days", "3", "--today", str(TODAY)])
    assert "1 case(s), 2 notice(s) queued" in reminded.output
    good = tmp_path / "意见书.pdf"
    good.write_bytes(PDF)
    assert runner.invoke(case_cli, ["opinion", "委托2026-001", str(good)]).exit_code == 0
    listed = runner.invoke(case_cli, ["list", "--today", str(TODAY)])
    assert "委托2026-001" in listed.output and "已出具意见" in listed.output and "意见书1份" in listed.output
    edited = runner.invoke(case_cli, ["edit", "委托2026-001", "--due", "2026-03-20", "--reason", "延期"])
    assert edited.exit_code == 0 and edited.output.strip() == "委托2026-001 某村征地补偿争议: due 2026-03-20"
    closed = runner.invoke(case_cli, ["status", "委托2026-001", "已结案"])
    assert closed.exit_code == 0 and "已结案" in closed.output
