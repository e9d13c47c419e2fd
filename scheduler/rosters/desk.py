"""What the clerk pages show: the week's duties, a duty's ranked swap and cover suggestions, proposals
with their rule check, swap requests awaiting approval, attendance to record, and the audit log.

Loaders return plain frozen dataclasses and, where a page lists a whole week or period, run a fixed
number of queries whatever the number of duties and lawyers.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from scheduler.changes.apply import Change, apply_changes, evaluate
from scheduler.changes.suggest import Suggestion
from scheduler.core.errors import NotFound
from scheduler.core.paging import Page
from scheduler.models import (
    Assignment,
    Attendance,
    AuditEvent,
    Duty,
    DutyType,
    LawFirm,
    Lawyer,
    Office,
    Proposal,
    Roster,
    StatusPeriod,
    SwapRequest,
    lawyer_offices,
)
from scheduler.rosters.proposals import roster_state
from scheduler.rosters.suggestions import suggest_for_duty
from scheduler.rosters.versions import roster_for_day


@dataclass(frozen=True)
class Person:
    """A lawyer as the clerk pages name them."""

    id: int
    name: str
    firm: str = ""
    licence_no: str = ""


@dataclass(frozen=True)
class DutyInfo:
    """A duty as the clerk pages name it."""

    id: int
    date: dt.date
    start: dt.time
    end: dt.time
    office_code: str
    office_name: str
    office_name_en: str
    type_code: str
    type_zh: str
    type_en: str
    needed: int
    note: str = ""


_DUTY_COLUMNS = (
    Duty.id,
    Duty.date,
    Duty.start,
    Duty.end,
    Office.code.label("office_code"),
    Office.name.label("office_name"),
    Office.name_en.label("office_name_en"),
    DutyType.code.label("type_code"),
    DutyType.name_zh.label("type_zh"),
    DutyType.name_en.label("type_en"),
    Duty.needed,
    Duty.note,
)


def _duties(session: Session, *where: Any) -> list[DutyInfo]:
    rows = session.execute(
        select(*_DUTY_COLUMNS)
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(*where)
        .order_by(Office.code, Duty.date, Duty.start, Duty.id)
    )
    return [DutyInfo(*row) for row in rows]


def _people(session: Session, ids: Iterable[int]) -> dict[int, Person]:
    rows = session.execute(
        select(Lawyer.id, Lawyer.name, LawFirm.name.label("firm"), Lawyer.licence_no)
        .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
        .where(Lawyer.id.in_(set(ids)))
    )
    return {r.id: Person(r.id, r.name, r.firm or "", r.licence_no) for r in rows}


# --- the week ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WeekDuty:
    duty: DutyInfo
    version: int
    team: tuple[Person, ...]

    @property
    def open_places(self) -> int:
        return max(0, self.duty.needed - len(self.team))


@dataclass(frozen=True)
class OfficeWeek:
    code: str
    name: str
    name_en: str
    duties: tuple[WeekDuty, ...]


@dataclass(frozen=True)
class ClerkWeek:
    """The published duties of [start, end] by office, with what waits for the clerk."""

    start: dt.date
    end: dt.date
    offices: tuple[OfficeWeek, ...]
    unpublished: int  # duties of the week no published roster covers yet
    waiting_requests: int  # swap requests both lawyers agreed to, awaiting approval
    open_proposals: int


def clerk_week(session: Session, start: dt.date, end: dt.date) -> ClerkWeek:
    """Every office with its published duties in [start, end] and who is on them (six queries)."""
    offices = session.execute(select(Office.code, Office.name, Office.name_en).order_by(Office.code)).all()
    rosters = session.execute(
        select(Roster.id, Roster.version, Roster.period_start, Roster.period_end)
        .where(Roster.status == "published", Roster.period_start <= end, Roster.period_end >= start)
        .order_by(Roster.published_at.desc(), Roster.id.desc())
    ).all()
    duties = _duties(session, Duty.date.between(start, end))
    covering = {d.id: next((r for r in rosters if r.period_start <= d.date <= r.period_end), None) for d in duties}
    teams: dict[int, list[Person]] = defaultdict(list)
    shown = {duty_id: r.id for duty_id, r in covering.items() if r is not None}
    if shown:
        for row in session.execute(
            select(Assignment.duty_id, Assignment.roster_id, Lawyer.id, Lawyer.name, LawFirm.name.label("firm"))
            .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(Assignment.roster_id.in_(set(shown.values())), Assignment.duty_id.in_(shown.keys()))
            .order_by(Assignment.duty_id, Assignment.slot)
        ):
            if shown[row.duty_id] == row.roster_id:
                teams[row.duty_id].append(Person(row.id, row.name, row.firm or ""))
    by_office: dict[str, list[WeekDuty]] = defaultdict(list)
    for d in duties:
        found = covering[d.id]
        if found is not None:
            by_office[d.office_code].append(WeekDuty(d, found.version, tuple(teams[d.id])))
    for group in by_office.values():
        group.sort(key=lambda w: (w.duty.date, w.duty.start))
    waiting = session.scalar(select(func.count()).where(SwapRequest.state == "accepted")) or 0
    proposals = session.scalar(select(func.count()).where(Proposal.state == "open")) or 0
    return ClerkWeek(
        start,
        end,
        tuple(OfficeWeek(o.code, o.name, o.name_en, tuple(by_office[o.code])) for o in offices),
        sum(1 for r in covering.values() if r is None),
        waiting,
        proposals,
    )


# --- a duty's swap and cover suggestions ---------------------------------------------------------


@dataclass(frozen=True)
class SuggestionView:
    """A feasible change ranked by its effect on the objective (negative is better)."""

    lawyer: Person  # who takes the duty
    partner_duty: DutyInfo | None  # for a swap: the duty given in return
    delta: int
    terms_delta: tuple[tuple[str, int], ...]
    reason: str
    # The figures of the reason, so that the page can say it in the reader's language (None: not recognised).
    duties: int | None = None
    pool_average: str | None = None


@dataclass(frozen=True)
class DutyDesk:
    """One published duty with its team, and what the clerk can do about the selected lawyer's place."""

    duty: DutyInfo
    version: int
    team: tuple[Person, ...]
    selected: Person | None  # whose place is being changed; None: an open place
    covers: tuple[SuggestionView, ...]
    swaps: tuple[SuggestionView, ...]
    candidates: tuple[Person, ...]  # everyone else who may serve the office, for a cover of one's own choice
    past: bool

    @property
    def open_places(self) -> int:
        return max(0, self.duty.needed - len(self.team))


def duty_desk(
    session: Session, duty_id: int, lawyer_id: int | None, today: dt.date, *, suggest: bool = True
) -> DutyDesk:
    """The duty `duty_id` in the published roster covering it, with ranked covers for `lawyer_id`'s place (or
    an open place) and swaps with colleagues (without them when not `suggest`: a form being checked needs only
    the team and the candidates). Raises NotFound for an unknown or unpublished duty."""
    found = _duties(session, Duty.id == duty_id)
    if not found:
        raise NotFound(f"duty {duty_id} does not exist")
    duty = found[0]
    roster = roster_for_day(session, duty.date)
    state = roster_state(session, roster, today)
    team_ids = state.assignments.get(duty_id, ())
    past = duty.date < today
    selected = lawyer_id if lawyer_id in team_ids else None
    if selected is None and len(team_ids) >= duty.needed and team_ids:
        selected = team_ids[0]
    covers: tuple[Suggestion, ...] = ()
    swaps: tuple[Suggestion, ...] = ()
    if suggest and not past:
        ranked = suggest_for_duty(session, duty_id, today, leaving=selected, swaps=selected is not None)
        state, covers, swaps = ranked.state, ranked.covers, ranked.swaps
    office_id = next(d.office_id for d in state.problem.duties if d.id == duty_id)
    pool = [lw.id for lw in state.problem.lawyers if office_id in lw.offices and lw.id not in team_ids]
    partners = {s.partner_duty_id for s in swaps if s.partner_duty_id is not None}
    people = _people(session, [*team_ids, *pool])
    labels = {d.id: d for d in _duties(session, Duty.id.in_(partners))} if partners else {}

    def view(s: Suggestion) -> SuggestionView:
        partner = labels.get(s.partner_duty_id) if s.partner_duty_id is not None else None
        return SuggestionView(
            people[s.lawyer_id],
            partner,
            s.delta,
            tuple(sorted(s.terms_delta.items())),
            s.reason,
            s.duties,
            f"{s.pool_average:.1f}",
        )

    return DutyDesk(
        duty=duty,
        version=roster.version,
        team=tuple(people[x] for x in team_ids),
        selected=people[selected] if selected is not None else None,
        covers=tuple(view(s) for s in covers),
        swaps=tuple(view(s) for s in swaps),
        candidates=tuple(sorted((people[x] for x in pool), key=lambda p: (p.name, p.id))),
        past=past,
    )


# --- proposals -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    duty: DutyInfo
    removed: tuple[Person, ...]
    added: tuple[Person, ...]


@dataclass(frozen=True)
class ViolationLine:
    rule: str
    message: str


@dataclass(frozen=True)
class UnfilledLine:
    duty: DutyInfo | None
    missing: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class ProposalView:
    """A proposal with the rule check and the objective change computed when it was made."""

    id: int
    kind: str
    state: str
    reason: str
    created_by: str
    created_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    period: tuple[dt.date, dt.date]
    base_version: int
    base_current: bool  # the version it was made on is still the published one
    changes: tuple[ChangeLine, ...]
    violations: tuple[ViolationLine, ...]
    objective_before: int | None
    objective_after: int | None
    terms_delta: tuple[tuple[str, int], ...]
    unfilled: tuple[UnfilledLine, ...]
    moved_others: bool
    swap_request_id: int | None

    @property
    def objective_delta(self) -> int | None:
        if self.objective_before is None or self.objective_after is None:
            return None
        return self.objective_after - self.objective_before


def proposal_view(session: Session, proposal_id: int) -> ProposalView:
    """Proposal `proposal_id` with its changes by duty and lawyer (four queries)."""
    row = session.execute(
        select(Proposal, Roster.version, Roster.status, Roster.period_start, Roster.period_end)
        .join(Roster, Roster.id == Proposal.base_roster_id)
        .where(Proposal.id == proposal_id)
    ).first()
    if row is None:
        raise NotFound(f"proposal {proposal_id} does not exist")
    proposal: Proposal = row.Proposal
    evaluation = dict(proposal.evaluation or {})
    changes = [Change.from_json(c) for c in proposal.changes]
    unfilled_json = list(evaluation.get("unfilled", []))
    duty_ids = {c.duty_id for c in changes} | {int(u["duty_id"]) for u in unfilled_json}
    duties = {d.id: d for d in _duties(session, Duty.id.in_(duty_ids))}
    people = _people(session, [x for c in changes for x in (*c.remove, *c.add)])
    return ProposalView(
        id=proposal.id,
        kind=proposal.kind,
        state=proposal.state,
        reason=proposal.reason,
        created_by=proposal.created_by,
        created_at=proposal.created_at,
        decided_by=proposal.decided_by,
        decided_at=proposal.decided_at,
        period=(row.period_start, row.period_end),
        base_version=row.version,
        base_current=row.status == "published",
        changes=tuple(
            ChangeLine(duties[c.duty_id], tuple(people[x] for x in c.remove), tuple(people[x] for x in c.add))
            for c in changes
            if c.duty_id in duties
        ),
        violations=tuple(
            ViolationLine(str(v.get("rule", "")), str(v.get("message", "")))
            for v in evaluation.get("new_violations", [])
        ),
        objective_before=evaluation.get("objective_before"),
        objective_after=evaluation.get("objective_after"),
        terms_delta=tuple(sorted((str(k), int(v)) for k, v in dict(evaluation.get("terms_delta", {})).items())),
        unfilled=tuple(
            UnfilledLine(duties.get(int(u["duty_id"])), int(u.get("missing", 0)), tuple(u.get("reasons", ())))
            for u in unfilled_json
        ),
        moved_others=bool(evaluation.get("moved_others", False)),
        swap_request_id=proposal.swap_request_id,
    )


@dataclass(frozen=True)
class ProposalRow:
    id: int
    kind: str
    reason: str
    created_by: str
    created_at: dt.datetime
    changes: int
    violations: int
    base_current: bool


def open_proposals(session: Session) -> list[ProposalRow]:
    """Proposals waiting for a decision, oldest first (one query)."""
    rows = session.execute(
        select(Proposal, Roster.status)
        .join(Roster, Roster.id == Proposal.base_roster_id)
        .where(Proposal.state == "open")
        .order_by(Proposal.id)
    )
    return [
        ProposalRow(
            r.Proposal.id,
            r.Proposal.kind,
            r.Proposal.reason,
            r.Proposal.created_by,
            r.Proposal.created_at,
            len(r.Proposal.changes),
            len((r.Proposal.evaluation or {}).get("new_violations", [])),
            r.status == "published",
        )
        for r in rows
    ]


# --- swap requests -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequestRow:
    """A lawyers' swap request as the clerk sees it."""

    id: int
    state: str
    message: str
    updated_at: dt.datetime
    giver: Person
    taker: Person
    duty: DutyInfo
    exchange: DutyInfo | None
    decided_by: str | None


def swap_request_rows(session: Session, states: Sequence[str], limit: int = 100) -> list[RequestRow]:
    """Swap requests in `states`, newest first, with both lawyers and duties (two queries)."""
    return _request_rows(session, SwapRequest.state.in_(states), limit=limit)


def _request_rows(session: Session, *where: Any, limit: int) -> list[RequestRow]:
    giver, taker = aliased(Lawyer), aliased(Lawyer)
    rows = session.execute(
        select(SwapRequest, giver.name.label("giver"), taker.name.label("taker"))
        .join(giver, giver.id == SwapRequest.from_lawyer_id)
        .join(taker, taker.id == SwapRequest.to_lawyer_id)
        .where(*where)
        .order_by(SwapRequest.updated_at.desc(), SwapRequest.id.desc())
        .limit(limit)
    ).all()
    duty_ids = {x for r in rows for x in (r.SwapRequest.duty_id, r.SwapRequest.exchange_duty_id) if x is not None}
    duties = {d.id: d for d in _duties(session, Duty.id.in_(duty_ids))} if duty_ids else {}
    return [
        RequestRow(
            id=r.SwapRequest.id,
            state=r.SwapRequest.state,
            message=r.SwapRequest.message,
            updated_at=r.SwapRequest.updated_at,
            giver=Person(r.SwapRequest.from_lawyer_id, r.giver),
            taker=Person(r.SwapRequest.to_lawyer_id, r.taker),
            duty=duties[r.SwapRequest.duty_id],
            exchange=duties.get(r.SwapRequest.exchange_duty_id) if r.SwapRequest.exchange_duty_id else None,
            decided_by=r.SwapRequest.decided_by,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class RequestCheck:
    """What approving a request would do to the published roster, judged now (nothing is stored)."""

    request: RequestRow
    valid: bool  # False: the roster changed and a lawyer is no longer on the duty
    violations: tuple[ViolationLine, ...]
    objective_delta: int
    terms_delta: tuple[tuple[str, int], ...]


def swap_request_check(session: Session, request_id: int, today: dt.date) -> RequestCheck:
    """Swap request `request_id` with the rule check of its change against the current published version."""
    found = _request_rows(session, SwapRequest.id == request_id, limit=1)
    if not found:
        raise NotFound(f"swap request {request_id} does not exist")
    row = found[0]
    changes = [Change(row.duty.id, (row.giver.id,), (row.taker.id,))]
    if row.exchange is not None:
        changes.append(Change(row.exchange.id, (row.taker.id,), (row.giver.id,)))
    try:
        state = roster_state(session, roster_for_day(session, row.duty.date), today)
        after = apply_changes(state.assignments, changes)
    except (ValueError, NotFound):
        return RequestCheck(row, False, (), 0, ())
    verdict = evaluate(state.problem, state.assignments, after)
    return RequestCheck(
        row,
        True,
        tuple(ViolationLine(v.rule, v.message) for v in verdict.new_violations),
        verdict.objective_delta,
        tuple(sorted(verdict.terms_delta.items())),
    )


# --- standing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandingRow:
    lawyer: Person
    status: str
    start: dt.date
    end: dt.date | None
    reason: str


def standing_rows(session: Session, today: dt.date) -> list[StandingRow]:
    """Suspensions and removals in force today or later, by start (one query)."""
    rows = session.execute(
        select(StatusPeriod, Lawyer.name, Lawyer.licence_no)
        .join(Lawyer, Lawyer.id == StatusPeriod.lawyer_id)
        .where(or_(StatusPeriod.end.is_(None), StatusPeriod.end >= today))
        .order_by(StatusPeriod.start, Lawyer.name)
    )
    return [
        StandingRow(
            Person(r.StatusPeriod.lawyer_id, r.name, licence_no=r.licence_no),
            r.StatusPeriod.status,
            r.StatusPeriod.start,
            r.StatusPeriod.end,
            r.StatusPeriod.reason,
        )
        for r in rows
    ]


# --- attendance ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceLine:
    """A rostered lawyer on a published duty, what was recorded, and who could have substituted."""

    duty: DutyInfo
    lawyer: Person
    status: str | None  # None: nothing recorded yet
    substitute: Person | None
    note: str
    substitutes: tuple[Person, ...]


def attendance_lines(session: Session, start: dt.date, end: dt.date) -> list[AttendanceLine]:
    """Every lawyer the current published rosters put on a duty in [start, end], by date and duty (four queries)."""
    pairs = session.execute(
        select(Assignment.duty_id, Assignment.lawyer_id)
        .join(Roster, and_(Roster.id == Assignment.roster_id, Roster.status == "published"))
        .where(Assignment.date.between(start, end))
        .order_by(Assignment.date, Assignment.duty_id, Assignment.slot)
    ).all()
    duties = {d.id: d for d in _duties(session, Duty.id.in_({p.duty_id for p in pairs}))} if pairs else {}
    recorded = {
        (a.duty_id, a.lawyer_id): a
        for a in session.scalars(select(Attendance).where(Attendance.duty_id.in_(duties.keys())))
    }
    offices = {d.office_code for d in duties.values()}
    serving: dict[str, list[int]] = defaultdict(list)
    for code, lawyer_id in session.execute(
        select(Office.code, lawyer_offices.c.lawyer_id)
        .join(lawyer_offices, lawyer_offices.c.office_id == Office.id)
        .where(Office.code.in_(offices))
    ):
        serving[code].append(lawyer_id)
    ids = {p.lawyer_id for p in pairs} | {x for group in serving.values() for x in group}
    ids |= {a.substitute_lawyer_id for a in recorded.values() if a.substitute_lawyer_id is not None}
    people = _people(session, ids) if ids else {}
    teams: dict[int, set[int]] = defaultdict(set)
    for p in pairs:
        teams[p.duty_id].add(p.lawyer_id)
    lines = []
    for p in pairs:
        duty, entry = duties[p.duty_id], recorded.get((p.duty_id, p.lawyer_id))
        others = sorted(
            (people[x] for x in serving[duty.office_code] if x not in teams[p.duty_id]), key=lambda q: (q.name, q.id)
        )
        lines.append(
            AttendanceLine(
                duty=duty,
                lawyer=people[p.lawyer_id],
                status=entry.status if entry else None,
                substitute=people.get(entry.substitute_lawyer_id) if entry and entry.substitute_lawyer_id else None,
                note=entry.note if entry else "",
                substitutes=tuple(others),
            )
        )
    return sorted(lines, key=lambda line: (line.duty.date, line.duty.start, line.duty.id, line.lawyer.name))


# --- the audit log -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditLine:
    id: int
    at: dt.datetime  # in the service's time zone
    actor: str
    action: str
    entity: str
    entity_id: str
    reason: str
    before: str  # JSON text, "" when there is none
    after: str


def _json_text(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def audit_page(
    session: Session,
    timezone: str,
    *,
    actor: str = "",
    action: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    number: int = 1,
    size: int = 50,
) -> Page[AuditLine]:
    """Audit events, newest first, whose actor contains `actor`, whose action is `action` (or starts with
    `action` followed by a dot) and that happened on days [start, end] of `timezone` (two queries)."""
    zone = ZoneInfo(timezone)

    def utc(day: dt.date) -> dt.datetime:
        # Events are stored in UTC; a day is the bureau's day.
        return dt.datetime.combine(day, dt.time(0), zone).astimezone(dt.UTC).replace(tzinfo=None)

    query = select(AuditEvent)
    if actor.strip():
        query = query.where(AuditEvent.actor.contains(actor.strip(), autoescape=True))
    if action:
        query = query.where(
            or_(AuditEvent.action == action, AuditEvent.action.startswith(f"{action}.", autoescape=True))
        )
    if start is not None:
        query = query.where(AuditEvent.at >= utc(start))
    if end is not None:
        query = query.where(AuditEvent.at < utc(end + dt.timedelta(days=1)))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size).offset((number - 1) * size)
    )
    lines = tuple(
        AuditLine(
            e.id,
            e.at.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None),
            e.actor,
            e.action,
            e.entity,
            e.entity_id,
            e.reason,
            _json_text(e.before),
            _json_text(e.after),
        )
        for e in events
    )
    return Page(lines, number, size, total)


def audit_actions(session: Session) -> list[str]:
    """Every action the log holds, and the area before each dot ("roster" for "roster.swap"), sorted (one query)."""
    actions = set(session.scalars(select(AuditEvent.action).distinct()))
    return sorted(actions | {a.split(".", 1)[0] for a in actions if "." in a})
