"""Use cases of entrusted cases: create, assign lawyers, change status, file an opinion. Each writes its audit
event in the same transaction; the caller commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.audit import record
from scheduler.casework.errors import (
    BadStatusChange,
    CaseFieldError,
    CaseFinished,
    CaseNotFound,
    LawyerNotServing,
    NoLawyersYet,
    NoOpinionYet,
    OpinionNotFound,
    UnknownCaseLawyer,
)
from scheduler.casework.opinion_files import opinion_kind
from scheduler.core.languages import LANGUAGES
from scheduler.models import Lawyer, Office
from scheduler.models.casework import CaseOpinion, EntrustedCase
from scheduler.models.rosters import utcnow

# The wording of each status (受理/办理中/已出具意见/已结案/撤回), also used by pages and the command line.
STATUS_NAMES = {
    "accepted": "受理",
    "in_progress": "办理中",
    "opinion_given": "已出具意见",
    "closed": "已结案",
    "withdrawn": "撤回",
}
OPEN_STATUSES = ("accepted", "in_progress")
FINAL_STATUSES = ("closed", "withdrawn")
# Where a status may go: an opinion may be revised (back to 办理中); closed and withdrawn cases are final.
NEXT_STATUSES = {
    "accepted": ("in_progress", "opinion_given", "withdrawn"),
    "in_progress": ("opinion_given", "withdrawn"),
    "opinion_given": ("in_progress", "closed", "withdrawn"),
    "closed": (),
    "withdrawn": (),
}
# Suggested categories (the form offers them; another may be typed): the demo's specialties and the
# notice's matters, so that a category meets the lawyers' specialties.
CASE_CATEGORIES = ("土地征收", "劳动争议", "社会保障", "婚姻家庭", "行政", "民商事", "合同", "刑事", "其他")


@dataclass(frozen=True)
class CaseFields:
    """What a planner or clerk enters for a case. No petitioner's identity belongs in title or summary."""

    title: str
    summary: str
    category: str
    office_code: str
    leader: str
    entrusted_on: dt.date
    due_date: dt.date
    language: str = ""


def get_case(session: Session, case_id: int) -> EntrustedCase:
    """The case `case_id`; CaseNotFound otherwise."""
    case = session.get(EntrustedCase, case_id)
    if case is None:
        raise CaseNotFound(case=case_id)
    return case


def case_by_number(session: Session, number: str) -> EntrustedCase:
    """The case with reference `number` (e.g. 委托2026-001), or by its id when `number` is digits."""
    case = session.scalar(select(EntrustedCase).where(EntrustedCase.number == number.strip()))
    if case is None and number.strip().isdigit():
        case = session.get(EntrustedCase, int(number))
    if case is None:
        raise CaseNotFound(case=number)
    return case


def _checked(session: Session, fields: CaseFields) -> Office:
    if not fields.title.strip():
        raise CaseFieldError("title", label="案件名称", problem="不能为空")
    if len(fields.title.strip()) > 200:
        raise CaseFieldError("title", label="案件名称", problem="最多 200 个字")
    if not fields.category.strip() or len(fields.category.strip()) > 40:
        raise CaseFieldError("category", label="案件类别", problem="请填写，最多 40 个字")
    if len(fields.leader.strip()) > 100:
        raise CaseFieldError("leader", label="包案领导", problem="最多 100 个字")
    if fields.language and fields.language not in {lang.code for lang in LANGUAGES}:
        raise CaseFieldError("language", label="语言", problem=f"不认识“{fields.language}”")
    if fields.due_date < fields.entrusted_on:
        raise CaseFieldError(
            "due_date", label="办理期限", problem=f"{fields.due_date} 早于委托日期 {fields.entrusted_on}"
        )
    office = session.scalar(select(Office).where(Office.code == fields.office_code.strip()))
    if office is None:
        raise CaseFieldError("office", label="委托单位", problem=f"没有代码为 {fields.office_code} 的信访局")
    return office


def _next_number(session: Session, year: int) -> str:
    prefix = f"委托{year}-"
    taken = session.scalar(select(func.count(EntrustedCase.id)).where(EntrustedCase.number.like(f"{prefix}%"))) or 0
    return f"{prefix}{taken + 1:03d}"


def _snapshot(case: EntrustedCase) -> dict[str, object]:
    return {
        "number": case.number,
        "title": case.title,
        "category": case.category,
        "office": case.office.code if case.office else None,
        "leader": case.leader,
        "language": case.language,
        "entrusted_on": str(case.entrusted_on),
        "due_date": str(case.due_date),
        "status": case.status,
        "lawyers": [lw.licence_no for lw in case.lawyers],
    }


def create_case(session: Session, fields: CaseFields, actor: str) -> EntrustedCase:
    """Record a case entrusted by an office (status 受理), numbered 委托YYYY-NNN in its year."""
    office = _checked(session, fields)
    case = EntrustedCase(
        number=_next_number(session, fields.entrusted_on.year),
        title=fields.title.strip(),
        summary=fields.summary.strip(),
        category=fields.category.strip(),
        office=office,
        leader=fields.leader.strip(),
        language=fields.language,
        entrusted_on=fields.entrusted_on,
        due_date=fields.due_date,
        status="accepted",
        created_by=actor,
        changed_at=utcnow(),
    )
    session.add(case)
    session.flush()
    record(session, actor, "case.create", entity="case", entity_id=case.id, after=_snapshot(case))
    return case


def edit_case(session: Session, case_id: int, fields: CaseFields, actor: str, reason: str = "") -> EntrustedCase:
    """Change a case's details (a new due date, say); refused once it is closed or withdrawn."""
    case = _open_case(session, case_id)
    office = _checked(session, fields)
    before = _snapshot(case)
    case.title, case.summary, case.category = fields.title.strip(), fields.summary.strip(), fields.category.strip()
    case.office, case.leader, case.language = office, fields.leader.strip(), fields.language
    case.entrusted_on, case.due_date, case.changed_at = fields.entrusted_on, fields.due_date, utcnow()
    session.flush()
    record(
        session,
        actor,
        "case.edit",
        entity="case",
        entity_id=case.id,
        reason=reason,
        before=before,
        after=_snapshot(case),
    )
    return case


def _open_case(session: Session, case_id: int) -> EntrustedCase:
    case = get_case(session, case_id)
    if case.status in FINAL_STATUSES:
        raise CaseFinished(number=case.number, status=STATUS_NAMES[case.status])
    return case


def lawyers_by_licence(session: Session, licences: Sequence[str]) -> list[int]:
    """The ids of the lawyers with these licence numbers, in order; UnknownCaseLawyer for one not found."""
    found = dict(session.execute(select(Lawyer.licence_no, Lawyer.id).where(Lawyer.licence_no.in_(licences))).all())
    for licence in licences:
        if licence not in found:
            raise UnknownCaseLawyer(licence=licence)
    return [found[licence] for licence in licences]


def assign_lawyers(
    session: Session, case_id: int, lawyer_ids: Sequence[int], actor: str, *, today: dt.date, reason: str = ""
) -> EntrustedCase:
    """Make `lawyer_ids` the case's lawyers (the whole team: who is left out is taken off). A lawyer suspended
    or removed today is refused; at least one lawyer is needed. An accepted case is then 办理中."""
    case = _open_case(session, case_id)
    ids = list(dict.fromkeys(lawyer_ids))
    if not ids:
        raise CaseFieldError("lawyers", label="承办律师", problem="请至少选择一位律师")
    lawyers = list(session.scalars(select(Lawyer).where(Lawyer.id.in_(ids))))
    if len(lawyers) != len(ids):
        raise CaseFieldError("lawyers", label="承办律师", problem="所选律师不存在")
    for lawyer in lawyers:
        if lawyer.status_on(today) != "active":
            raise LawyerNotServing(name=lawyer.name, licence=lawyer.licence_no)
    before = _snapshot(case)
    case.lawyers = sorted(lawyers, key=lambda lw: lw.licence_no)
    if case.status == "accepted":
        case.status = "in_progress"
    case.changed_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "case.assign",
        entity="case",
        entity_id=case.id,
        reason=reason,
        before=before,
        after=_snapshot(case),
    )
    return case


def set_status(session: Session, case_id: int, status: str, actor: str, reason: str = "") -> EntrustedCase:
    """Move a case to `status` along NEXT_STATUSES; 已出具意见 needs a filed opinion, 已结案 needs lawyers."""
    case = get_case(session, case_id)
    if status not in STATUS_NAMES:
        raise CaseFieldError("status", label="状态", problem=f"不认识“{status}”")
    if status not in NEXT_STATUSES[case.status]:
        raise BadStatusChange(number=case.number, old=STATUS_NAMES[case.status], new=STATUS_NAMES[status])
    if status == "opinion_given" and not case.opinions:
        raise NoOpinionYet(number=case.number)
    if status == "closed" and not case.lawyers:
        raise NoLawyersYet(number=case.number)
    before = _snapshot(case)
    case.status, case.changed_at = status, utcnow()
    session.flush()
    record(
        session,
        actor,
        "case.status",
        entity="case",
        entity_id=case.id,
        reason=reason,
        before=before,
        after=_snapshot(case),
    )
    return case


def file_opinion(session: Session, case_id: int, filename: str, content: bytes, actor: str) -> CaseOpinion:
    """File a legal opinion for the case (checked: PDF, DOCX or ODT, size); nothing is written when refused.
    A case in 受理 or 办理中 with lawyers becomes 已出具意见."""
    case = _open_case(session, case_id)
    kind = opinion_kind(filename, content)
    if not case.lawyers:
        raise NoLawyersYet(number=case.number)
    before = _snapshot(case)
    opinion = CaseOpinion(
        case=case,
        filename=filename.strip()[-200:],
        kind=kind,
        size=len(content),
        content=content,
        uploaded_by=actor,
        uploaded_at=utcnow(),
    )
    session.add(opinion)
    if case.status in OPEN_STATUSES:
        case.status = "opinion_given"
    case.changed_at = utcnow()
    session.flush()
    after = {**_snapshot(case), "opinion": {"filename": opinion.filename, "kind": kind, "size": opinion.size}}
    record(session, actor, "case.opinion", entity="case", entity_id=case.id, before=before, after=after)
    return opinion


def opinion_of(session: Session, opinion_id: int, *, lawyer_id: int | None = None) -> CaseOpinion:
    """An opinion to download; with `lawyer_id`, only one of that lawyer's cases (else OpinionNotFound, so that
    another case's opinion is not even known to exist)."""
    opinion = session.get(CaseOpinion, opinion_id)
    if opinion is None or (lawyer_id is not None and lawyer_id not in {lw.id for lw in opinion.case.lawyers}):
        raise OpinionNotFound()
    return opinion
