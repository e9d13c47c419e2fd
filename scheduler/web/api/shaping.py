"""What the JSON API shows: plain dicts, ready for `jsonify`, each loaded in a fixed number of queries.

Dates are ISO strings ("2026-03-04"), times "HH:MM", moments RFC 3339 in UTC ("2026-02-01T08:00:00Z").
A lawyer's calendar token never appears here: it is the secret of their private feed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from scheduler.core.errors import FieldError
from scheduler.core.names import text_key
from scheduler.models import (
    Assignment,
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
    Proposal,
    Roster,
    SolveJob,
    SwapRequest,
    Unavailability,
)
from scheduler.people.directory import search_lawyers
from scheduler.people.scope import EVERY_OFFICE, OfficeScope
from scheduler.rosters.versions import compare
from scheduler.web.api.errors import NoLawyer, NoOffice, NoProposal, NoRoster, OtherPeriod

Json = dict[str, Any]


def moment(value: dt.datetime | None) -> str | None:
    """A stored moment (naive UTC) as RFC 3339."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _clock(value: dt.time | None) -> str | None:
    return f"{value:%H:%M}" if value is not None else None


# --- offices and firms ---------------------------------------------------------------------------


def _office(o: Office) -> Json:
    return {
        "code": o.code,
        "name": o.name,
        "name_en": o.name_en,
        "level": o.level,
        "address": o.address,
        "phone": o.phone,
        "window_weekday": o.window_weekday,
        "am_start": _clock(o.am_start),
        "am_end": _clock(o.am_end),
        "pm_start": _clock(o.pm_start),
        "pm_end": _clock(o.pm_end),
        "lawyers_per_window": o.lawyers_per_window,
        "holiday_policy": o.holiday_policy,
        "wanted_languages": list(o.wanted_languages),
        "reception_scope": o.reception_scope,
        "visitor_notes": o.visitor_notes,
        "discipline_rules": o.discipline_rules,
    }


def office_list(session: Session) -> list[Json]:
    """Every office, the prefecture's first, then by code. One query."""
    found = session.scalars(select(Office).order_by(Office.code)).all()
    return [_office(o) for o in sorted(found, key=lambda o: (o.level != "prefecture", o.code))]


def office_detail(session: Session, code: str) -> Json:
    """The office `code`. One query."""
    office = session.scalar(select(Office).where(Office.code == code))
    if office is None:
        raise NoOffice(value=code)
    return _office(office)


def firm_list(session: Session) -> list[Json]:
    """Every law firm with the number of its lawyers, by name. One query."""
    counts = select(Lawyer.firm_id, func.count(Lawyer.id).label("lawyers")).group_by(Lawyer.firm_id).subquery("counts")
    rows = session.execute(
        select(LawFirm.id, LawFirm.name, LawFirm.credit_code, func.coalesce(counts.c.lawyers, 0).label("lawyers"))
        .outerjoin(counts, counts.c.firm_id == LawFirm.id)
        .order_by(LawFirm.name)
    )
    in_order = sorted(rows, key=lambda r: text_key(r.name))  # pinyin order, as the firms page
    return [{"id": r.id, "name": r.name, "credit_code": r.credit_code, "lawyers": r.lawyers} for r in in_order]


# --- lawyers -------------------------------------------------------------------------------------


def _lawyer(lawyer: Lawyer, today: dt.date) -> Json:
    return {
        "id": lawyer.id,
        "name": lawyer.name,
        "licence_no": lawyer.licence_no,
        "firm": {"id": lawyer.firm.id, "name": lawyer.firm.name} if lawyer.firm is not None else None,
        "phone": lawyer.phone,
        "email": lawyer.email,
        "first_practice_year": lawyer.first_practice_year,
        "specialties": list(lawyer.specialties),
        "languages": list(lawyer.languages),
        "offices": [o.code for o in lawyer.offices],
        "max_per_month": lawyer.max_per_month,
        "preferred_weekdays": list(lawyer.preferred_weekdays),
        "undesired_weekdays": list(lawyer.undesired_weekdays),
        "status": lawyer.status_on(today),
    }


_LAWYER_LOADS = (selectinload(Lawyer.firm), selectinload(Lawyer.offices), selectinload(Lawyer.status_periods))


def lawyer_page(
    session: Session, query: str, page: int, per_page: int, today: dt.date, scope: OfficeScope = EVERY_OFFICE
) -> Json:
    """One page of lawyers serving an office `scope` holds, by name (and id), found by the one lawyer search
    (`search_lawyers`). Four queries."""
    found = search_lawyers(session, text=query, number=page, size=per_page, scope=scope)
    return {
        "items": [_lawyer(lw, today) for lw in found.items],
        "page": page,
        "per_page": per_page,
        "total": found.total,
    }


def lawyer_detail(session: Session, lawyer_id: int, today: dt.date) -> Json:
    """The lawyer `lawyer_id`. Four queries."""
    lawyer = session.scalar(select(Lawyer).where(Lawyer.id == lawyer_id).options(*_LAWYER_LOADS))
    if lawyer is None:
        raise NoLawyer(value=lawyer_id)
    return _lawyer(lawyer, today)


def require_lawyer(session: Session, lawyer_id: int) -> Lawyer:
    """The lawyer `lawyer_id`, or NotFound."""
    lawyer = session.get(Lawyer, lawyer_id)
    if lawyer is None:
        raise NoLawyer(value=lawyer_id)
    return lawyer


def unavailability_of(session: Session, lawyer_id: int) -> list[Json]:
    """The lawyer's days off duty, earliest first. Two queries."""
    require_lawyer(session, lawyer_id)
    spans = session.scalars(
        select(Unavailability)
        .where(Unavailability.lawyer_id == lawyer_id)
        .order_by(Unavailability.start, Unavailability.id)
    )
    return [
        {"id": u.id, "lawyer_id": u.lawyer_id, "start": _day(u.start), "end": _day(u.end), "reason": u.reason}
        for u in spans
    ]


# --- published duties ----------------------------------------------------------------------------


def published_duties(session: Session, start: dt.date, end: dt.date, office_code: str | None) -> list[Json]:
    """The duties of [start, end] whose period is published, with the lawyers of the version covering each.

    Three queries (four with an office code). Only names and firms are shown, as on the public notice.
    """
    if office_code is not None:
        office_detail(session, office_code)  # an unknown office is a 404, not an empty list
    # Newest publication first: should two published periods ever overlap, the newer one speaks.
    rosters = session.execute(
        select(Roster.id, Roster.version, Roster.period_start, Roster.period_end)
        .where(Roster.status == "published", Roster.period_start <= end, Roster.period_end >= start)
        .order_by(Roster.published_at.desc(), Roster.id.desc())
    ).all()
    query = (
        select(Duty, Office.code, Office.name, Office.name_en, DutyType.code.label("kind"))
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(Duty.date.between(start, end))
        .order_by(Duty.date, Duty.start, Office.code, Duty.id)
    )
    if office_code is not None:
        query = query.where(Office.code == office_code)
    rows = session.execute(query).all() if rosters else []
    covering = {}
    for row in rows:
        roster = next((r for r in rosters if r.period_start <= row.Duty.date <= r.period_end), None)
        if roster is not None:
            covering[row.Duty.id] = roster
    lawyers: dict[int, list[Json]] = defaultdict(list)
    if covering:
        for a in session.execute(
            select(Assignment.duty_id, Assignment.roster_id, Lawyer.id, Lawyer.name, LawFirm.name.label("firm"))
            .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(
                Assignment.roster_id.in_({r.id for r in covering.values()}),
                Assignment.duty_id.in_(covering.keys()),
            )
            .order_by(Assignment.duty_id, Assignment.slot)
        ):
            if covering[a.duty_id].id == a.roster_id:
                lawyers[a.duty_id].append({"id": a.id, "name": a.name, "firm": a.firm or ""})
    result = []
    for row in rows:
        roster = covering.get(row.Duty.id)
        if roster is None:
            continue
        duty: Duty = row.Duty
        result.append(
            {
                "id": duty.id,
                "office": {"code": row.code, "name": row.name, "name_en": row.name_en},
                "duty_type": row.kind,
                "date": _day(duty.date),
                "start": _clock(duty.start),
                "end": _clock(duty.end),
                "needed": duty.needed,
                "min_years": duty.min_years,
                "specialty": duty.specialty,
                "language": duty.language,
                "note": duty.note,
                "moved_from": _day(duty.moved_from),
                "roster": {"id": roster.id, "version": roster.version},
                "lawyers": lawyers[duty.id],
                "open_places": max(duty.needed - len(lawyers[duty.id]), 0),
            }
        )
    return result


# --- rosters -------------------------------------------------------------------------------------


def period_text(start: dt.date, end: dt.date) -> str:
    """A period as the API names it in paths: "2026-03-02..2026-03-29"."""
    return f"{start.isoformat()}..{end.isoformat()}"


def roster_summary(r: Any) -> Json:
    """A roster version without its assignments (from an ORM row or a row of the same columns)."""
    return {
        "id": r.id,
        "period": period_text(r.period_start, r.period_end),
        "period_start": _day(r.period_start),
        "period_end": _day(r.period_end),
        "version": r.version,
        "status": r.status,
        "provisional": r.provisional,
        "solver_status": r.solver_status,
        "objective": r.objective,
        "created_at": moment(r.created_at),
        "published_at": moment(r.published_at),
    }


_SUMMARY_COLUMNS = (
    Roster.id,
    Roster.period_start,
    Roster.period_end,
    Roster.version,
    Roster.status,
    Roster.provisional,
    Roster.solver_status,
    Roster.objective,
    Roster.created_at,
    Roster.published_at,
)


def roster_list(session: Session, start: dt.date | None, end: dt.date | None) -> list[Json]:
    """Every version and draft of the periods overlapping [start, end] (either end open), with assignment counts.

    One query.
    """
    counts = (
        select(Assignment.roster_id, func.count(Assignment.id).label("assignments"))
        .group_by(Assignment.roster_id)
        .subquery("counts")
    )
    query = (
        select(*_SUMMARY_COLUMNS, func.coalesce(counts.c.assignments, 0).label("assignments"))
        .outerjoin(counts, counts.c.roster_id == Roster.id)
        .order_by(Roster.period_start, Roster.period_end, Roster.version)
    )
    if start is not None:
        query = query.where(Roster.period_end >= start)
    if end is not None:
        query = query.where(Roster.period_start <= end)
    return [roster_summary(r) | {"assignments": r.assignments} for r in session.execute(query)]


def _names(session: Session, lawyer_ids: set[int]) -> dict[int, str]:
    """{lawyer id: name} of `lawyer_ids`. One query."""
    return {
        row.id: row.name for row in session.execute(select(Lawyer.id, Lawyer.name).where(Lawyer.id.in_(lawyer_ids)))
    }


def _roster(session: Session, roster_id: int) -> Roster:
    roster = session.get(Roster, roster_id)
    if roster is None:
        raise NoRoster(value=roster_id)
    return roster


def roster_detail(session: Session, roster_id: int) -> Json:
    """A version with its assignments (duty, date, office, lawyer), its changelog and solve report. Two queries."""
    roster = _roster(session, roster_id)
    rows = session.execute(
        select(Assignment, Lawyer.name, Office.code)
        .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Office, Office.id == Duty.office_id)
        .where(Assignment.roster_id == roster_id)
        .order_by(Assignment.date, Assignment.duty_id, Assignment.slot)
    )
    assignments = [
        {
            "duty_id": row.Assignment.duty_id,
            "date": _day(row.Assignment.date),
            "office": row.code,
            "lawyer_id": row.Assignment.lawyer_id,
            "lawyer_name": row.name,
            "slot": row.Assignment.slot,
            "origin": row.Assignment.origin,
            "pinned": row.Assignment.pinned,
            "revision": row.Assignment.revision,
        }
        for row in rows
    ]
    return roster_summary(roster) | {
        "assignments": assignments,
        "changelog": list(roster.changelog),
        "report": dict(roster.report),
    }


def roster_diff(session: Session, roster_id: int, other_id: int) -> Json:
    """Each duty whose lawyers differ between two versions of one period. Five queries."""
    first, second = _roster(session, roster_id), _roster(session, other_id)
    if (first.period_start, first.period_end) != (second.period_start, second.period_end):
        raise FieldError(
            "other_id",
            OtherPeriod(
                other=other_id,
                other_start=second.period_start,
                other_end=second.period_end,
                roster=roster_id,
                start=first.period_start,
                end=first.period_end,
            ),
        )
    rows = compare(first, second)
    ids = {lw for row in rows for lw in (*row.old, *row.new)}
    names = _names(session, ids)

    def people(lawyer_ids: tuple[int, ...]) -> list[Json]:
        return [{"id": lw, "name": names.get(lw, "")} for lw in lawyer_ids]

    return {
        "from": roster_summary(first),
        "to": roster_summary(second),
        "duties": [
            {
                "duty_id": row.duty_id,
                "before": people(row.old),
                "after": people(row.new),
                "removed": sorted(set(row.old) - set(row.new)),
                "added": sorted(set(row.new) - set(row.old)),
            }
            for row in rows
        ],
    }


# --- changes -------------------------------------------------------------------------------------


def proposal_json(p: Proposal) -> Json:
    """A proposal as the API shows it (loads its base version if not loaded yet)."""
    return {
        "id": p.id,
        # The model calls a replacement after a removal or an absence a "repair".
        "kind": p.kind,
        "state": p.state,
        "base_roster_id": p.base_roster_id,
        "base_version": p.base_roster.version,
        "changes": [
            {"duty_id": c["duty_id"], "remove": list(c.get("remove", ())), "add": list(c.get("add", ()))}
            for c in p.changes
        ],
        "evaluation": dict(p.evaluation),
        "reason": p.reason,
        "created_by": p.created_by,
        "created_at": moment(p.created_at),
        "decided_by": p.decided_by,
        "decided_at": moment(p.decided_at),
        "result_roster_id": p.result_roster_id,
        "swap_request_id": p.swap_request_id,
    }


def proposal_detail(session: Session, proposal_id: int) -> Json:
    """The proposal `proposal_id` with its base version. Two queries."""
    proposal = session.scalar(
        select(Proposal).where(Proposal.id == proposal_id).options(selectinload(Proposal.base_roster))
    )
    if proposal is None:
        raise NoProposal(value=proposal_id)
    return proposal_json(proposal)


def swap_request_json(r: SwapRequest) -> Json:
    """A swap request as the API shows it."""
    return {
        "id": r.id,
        "state": r.state,
        "duty_id": r.duty_id,
        "from_lawyer_id": r.from_lawyer_id,
        "to_lawyer_id": r.to_lawyer_id,
        "exchange_duty_id": r.exchange_duty_id,
        "message": r.message,
        "expires_on": _day(r.expires_on),
        "created_at": moment(r.created_at),
        "updated_at": moment(r.updated_at),
        "decided_by": r.decided_by,
        "version": r.version,
    }


def solve_job_json(job: SolveJob) -> Json:
    """A solve job with its progress as the API shows it."""
    return {
        "id": job.id,
        "period": period_text(job.period_start, job.period_end),
        "period_start": _day(job.period_start),
        "period_end": _day(job.period_end),
        "state": job.state,
        "time_limit_s": job.time_limit_s,
        "workers": job.workers,
        "seed": job.seed,
        "progress": dict(job.progress),
        "error": job.error,
        "roster_id": job.roster_id,
        "created_by": job.created_by,
        "created_at": moment(job.created_at),
        "started_at": moment(job.started_at),
        "finished_at": moment(job.finished_at),
    }
