"""The demo's entrusted cases (two, each with its legal opinion) and lawyers' availability requests for the
period after the demo's, built through the same use cases as the pages and the command line."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.casework import cases
from scheduler.casework.views import suggest_lawyers
from scheduler.models import Lawyer
from scheduler.people import availability_requests as requests

ACTOR = "demo"


def opinion_docx(title: str, paragraphs: list[str]) -> bytes:
    """A small Word document (the least that Word and LibreOffice open) holding an opinion's text."""
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in [title, *paragraphs])
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/'
            'document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.'
            'main+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            '2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            # A fixed date: the same demo gives the same bytes.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _demo_case(session: Session, fields: cases.CaseFields, team: int, today: dt.date, text: list[str]) -> int:
    case = cases.create_case(session, fields, ACTOR)
    chosen = [r.candidate.id for r in suggest_lawyers(session, case.id, today, limit=team)]
    cases.assign_lawyers(session, case.id, chosen, ACTOR, today=today, reason="按推荐顺序指派")
    cases.file_opinion(
        session, case.id, f"{case.number}法律意见书.docx", opinion_docx(f"关于{case.title}的法律意见书", text), ACTOR
    )
    return case.id


def build_demo_casework(session: Session, today: dt.date, period_end: dt.date) -> None:
    """Two entrusted cases with opinions (one closed), and a request window for the period after the demo's
    with a few requests: one approved, one declined with its reason, two waiting."""
    _demo_case(
        session,
        cases.CaseFields(
            title="某村集体土地征收补偿标准争议",
            summary="村民对集体土地征收补偿标准和安置方式有异议，多次到县、州反映。",
            category="土地征收",
            office_code="522326",
            leader="县人民政府分管副县长",
            entrusted_on=today - dt.timedelta(days=30),
            due_date=today + dt.timedelta(days=10),
            language="buyi",
        ),
        2,
        today,
        ["一、基本情况……", "二、法律分析：依照《中华人民共和国土地管理法》第四十八条……", "三、处理建议……"],
    )
    closed = _demo_case(
        session,
        cases.CaseFields(
            title="某建筑工地农民工工资拖欠",
            summary="务工人员反映工程款结算后工资仍未足额支付。",
            category="劳动争议",
            office_code="522301",
            leader="市人力资源和社会保障局局长",
            entrusted_on=today - dt.timedelta(days=60),
            due_date=today - dt.timedelta(days=20),
        ),
        1,
        today,
        ["一、基本情况……", "二、法律分析：依照《保障农民工工资支付条例》……", "三、处理建议：申请劳动仲裁……"],
    )
    cases.set_status(session, closed, "closed", ACTOR, "意见已被采纳，工资已支付")

    start = period_end + dt.timedelta(days=1)
    window = requests.open_window(
        session,
        start,
        start + dt.timedelta(weeks=13) - dt.timedelta(days=1),
        today,
        period_end - dt.timedelta(days=14),
        ACTOR,
    )
    lawyers = list(session.scalars(select(Lawyer).order_by(Lawyer.id).limit(4)))
    first_week = start + dt.timedelta(days=7)
    approved = requests.ask_days_off(
        session, window.id, lawyers[0].id, first_week, first_week + dt.timedelta(days=4), "外地开庭", ACTOR, today=today
    )
    requests.approve(session, approved.id, ACTOR, today=today)
    declined = requests.ask_weekdays(session, window.id, lawyers[1].id, [], [0, 1, 2, 3], ACTOR, today=today)
    requests.decline(session, declined.id, "不希望的值班日过多，请至少保留三个工作日", ACTOR)
    requests.ask_days_off(
        session,
        window.id,
        lawyers[2].id,
        start + dt.timedelta(days=21),
        start + dt.timedelta(days=23),
        "年休假",
        ACTOR,
        today=today,
    )
    requests.ask_weekdays(session, window.id, lawyers[3].id, [2], [4], ACTOR, today=today)
