"""Read models of entrusted cases: the list, one case, a lawyer's own cases, ranked suggestions of lawyers.

Each reads a fixed number of queries whatever the number of cases; an opinion's content is never loaded
except by the download itself.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from scheduler.casework.cases import OPEN_STATUSES, STATUS_NAMES, get_case
from scheduler.casework.ranking import Candidate, CaseNeeds, RankedLawyer, rank_lawyers
from scheduler.models import Lawyer
from scheduler.models.casework import CaseOpinion, EntrustedCase, case_lawyers


@dataclass(frozen=True)
class CaseLawyer:
    id: int
    name: str
    licence_no: str
    firm: str


@dataclass(frozen=True)
class OpinionRow:
    id: int
    filename: str
    kind: str
    size: int
    uploaded_by: str
    uploaded_at: dt.datetime


@dataclass(frozen=True)
class CaseRow:
    """A case as lists show it; `overdue` when still open after its due date."""

    id: int
    number: str
    title: str
    summary: str
    category: str
    office_code: str
    office_name: str
    leader: str
    language: str
    entrusted_on: dt.date
    due_date: dt.date
    status: str
    lawyers: tuple[CaseLawyer, ...]
    opinions: tuple[OpinionRow, ...]
    overdue: bool

    @property
    def status_name(self) -> str:
        return STATUS_NAMES[self.status]

    @property
    def open(self) -> bool:
        return self.status in (*OPEN_STATUSES, "opinion_given")


def _rows(session: Session, query: Select[EntrustedCase], today: dt.date) -> list[CaseRow]:
    cases = list(
        session.scalars(
            query.options(
                # Many-to-one in the same query; the teams in one more: a fixed count whatever the list.
                joinedload(EntrustedCase.office),
                selectinload(EntrustedCase.lawyers).joinedload(Lawyer.firm),
            )
        )
    )
    opinions: dict[int, list[OpinionRow]] = {c.id: [] for c in cases}
    if cases:
        for row in session.execute(
            select(
                CaseOpinion.case_id,
                CaseOpinion.id,
                CaseOpinion.filename,
                CaseOpinion.kind,
                CaseOpinion.size,
                CaseOpinion.uploaded_by,
                CaseOpinion.uploaded_at,
            )
            .where(CaseOpinion.case_id.in_(list(opinions)))
            .order_by(CaseOpinion.id)
        ):
            opinions[row.case_id].append(OpinionRow(*row[1:]))
    return [
        CaseRow(
            id=c.id,
            number=c.number,
            title=c.title,
            summary=c.summary,
            category=c.category,
            office_code=c.office.code,
            office_name=c.office.name,
            leader=c.leader,
            language=c.language,
            entrusted_on=c.entrusted_on,
            due_date=c.due_date,
            status=c.status,
            lawyers=tuple(
                CaseLawyer(lw.id, lw.name, lw.licence_no, lw.firm.name if lw.firm else "") for lw in c.lawyers
            ),
            opinions=tuple(opinions[c.id]),
            overdue=c.status in OPEN_STATUSES and c.due_date < today,
        )
        for c in cases
    ]


def case_rows(session: Session, today: dt.date, *, status: str | None = None, open_only: bool = False) -> list[CaseRow]:
    """Every case (or those of `status`, or the open ones), the nearest due date first."""
    query = select(EntrustedCase)
    if status:
        query = query.where(EntrustedCase.status == status)
    if open_only:
        query = query.where(EntrustedCase.status.in_((*OPEN_STATUSES, "opinion_given")))
    return _rows(session, query.order_by(EntrustedCase.due_date, EntrustedCase.id), today)


def case_detail(session: Session, case_id: int, today: dt.date) -> CaseRow:
    """One case with its lawyers and opinions; CaseNotFound for an unknown id."""
    get_case(session, case_id)
    return _rows(session, select(EntrustedCase).where(EntrustedCase.id == case_id), today)[0]


def lawyer_cases(session: Session, lawyer_id: int, today: dt.date) -> list[CaseRow]:
    """The cases a lawyer is on: open ones by due date first, then finished ones."""
    query = (
        select(EntrustedCase)
        .join(case_lawyers, case_lawyers.c.case_id == EntrustedCase.id)
        .where(case_lawyers.c.lawyer_id == lawyer_id)
        .order_by(EntrustedCase.due_date, EntrustedCase.id)
    )
    rows = _rows(session, query, today)
    return sorted(rows, key=lambda r: (not r.open, r.due_date, r.id))


def open_case_counts(session: Session) -> Counter[int]:
    """Open cases (受理, 办理中) per lawyer: the case load the ranking weighs."""
    rows = session.execute(
        select(case_lawyers.c.lawyer_id, func.count())
        .join(EntrustedCase, EntrustedCase.id == case_lawyers.c.case_id)
        .where(EntrustedCase.status.in_(OPEN_STATUSES))
        .group_by(case_lawyers.c.lawyer_id)
    )
    return Counter({lawyer_id: n for lawyer_id, n in rows})


def suggest_lawyers(session: Session, case_id: int, today: dt.date, limit: int = 10) -> list[RankedLawyer]:
    """Lawyers active today who could take the case, best first (scheduler.casework.ranking), leaving out
    those already on it."""
    case = get_case(session, case_id)
    on_case = {lw.id for lw in case.lawyers}
    load = open_case_counts(session)
    lawyers = session.scalars(
        select(Lawyer).options(selectinload(Lawyer.firm), selectinload(Lawyer.status_periods)).order_by(Lawyer.id)
    )
    candidates = [
        Candidate(
            id=lw.id,
            name=lw.name,
            firm=lw.firm.name if lw.firm else "",
            first_practice_year=lw.first_practice_year,
            specialties=frozenset(lw.specialties or ()),
            languages=frozenset(lw.languages or ()),
            open_cases=load.get(lw.id, 0),
        )
        for lw in lawyers
        if lw.id not in on_case and lw.status_on(today) == "active"
    ]
    return rank_lawyers(CaseNeeds(case.category, case.language, today.year), candidates, limit)
