"""What the clerk's desk shows: the week's duties, a duty's ranked swap and cover suggestions, and the swap
requests awaiting approval.

Loaders return plain frozen dataclasses and, where a page lists a whole week or period, run a fixed
number of queries whatever the number of duties and lawyers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, aliased

from scheduler.changes.apply import Change, apply_changes, evaluate
from scheduler.changes.suggest import Suggestion
from scheduler.core.errors import NotFound
from scheduler.core.names import pinyin_key
from scheduler.core.problem import serves
from scheduler.models import (
    Assignment,
    Duty,
    LawFirm,
    Lawyer,
    Office,
    Proposal,
    Roster,
    SwapRequest,
)
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, held_duties, held_proposals
from scheduler.rosters.duty_info import DutyInfo, Person, duty_infos, people_by_id
from scheduler.rosters.errors import DutyNotFound, SwapRequestNotFound
from scheduler.rosters.proposal_views import ViolationLine
from scheduler.rosters.proposals import roster_state
from scheduler.rosters.suggestions import suggest_for_duty
from scheduler.rosters.versions import roster_for_day
from scheduler.rosters.violations import violation_messages

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


def clerk_week(session: Session, start: dt.date, end: dt.date, scope: OfficeScope = EVERY_OFFICE) -> ClerkWeek:
    """Every office `scope` holds with its published duties in [start, end] and who is on them (six queries)."""
    offices = session.execute(
        select(Office.code, Office.name, Office.name_en).where(scope.clause(Office.id)).order_by(Office.code)
    ).all()
    rosters = session.execute(
        select(Roster.id, Roster.version, Roster.period_start, Roster.period_end)
        .where(Roster.status == "published", Roster.period_start <= end, Roster.period_end >= start)
        .order_by(Roster.published_at.desc(), Roster.id.desc())
    ).all()
    duties = duty_infos(session, Duty.date.between(start, end), scope.clause(Duty.office_id))
    covering = {d.id: next((r for r in rosters if r.period_start <= d.date <= r.period_end), None) for d in duties}
    teams: dict[int, list[Person]] = defaultdict(list)
    shown = {duty_id: r.id for duty_id, r in covering.items() if r is not None}
    if shown:
        for row in session.execute(
            select(Assignment.duty_id, Assignment.roster_id, Lawyer.id, Lawyer.name, LawFirm.name.label("firm"))
            .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
            .outerjoin(LawFirm, LawFirm.id == Lawyer.firm_id)
            .where(Assignment.roster_id.in_(set(shown.values())), Assignment.duty_id.in_(shown.keys()))
            .order_by(Assignment.duty_id, Lawyer.name_key, Assignment.slot)  # names in pinyin order
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
    waiting = session.scalar(select(func.count()).where(SwapRequest.state == "accepted", *_requests_in(scope))) or 0
    if scope.everything:
        proposals = session.scalar(select(func.count()).where(Proposal.state == "open")) or 0
    else:
        open_ones = list(session.scalars(select(Proposal).where(Proposal.state == "open")))
        proposals = len(held_proposals(session, open_ones, scope))
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
    session: Session,
    duty_id: int,
    lawyer_id: int | None,
    today: dt.date,
    *,
    suggest: bool = True,
    scope: OfficeScope = EVERY_OFFICE,
) -> DutyDesk:
    """The duty `duty_id` in the published roster covering it, with ranked covers for `lawyer_id`'s place (or
    an open place) and swaps with colleagues (without them when not `suggest`: a form being checked needs only
    the team and the candidates). Raises NotFound for an unknown or unpublished duty."""
    found = duty_infos(session, Duty.id == duty_id)
    if not found:
        raise DutyNotFound()
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
        ranked = suggest_for_duty(session, duty_id, today, leaving=selected, swaps=selected is not None, scope=scope)
        state, covers, swaps = ranked.state, ranked.covers, ranked.swaps
    planned = next(d for d in state.problem.duties if d.id == duty_id)
    # Lawyers of every office that may serve it (a hotline may be answered from several offices).
    pool = [lw.id for lw in state.problem.lawyers if serves(lw, planned) and lw.id not in team_ids]
    partners = {s.partner_duty_id for s in swaps if s.partner_duty_id is not None}
    people = people_by_id(session, [*team_ids, *pool])
    labels = {d.id: d for d in duty_infos(session, Duty.id.in_(partners))} if partners else {}

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
        candidates=tuple(sorted((people[x] for x in pool), key=lambda p: (pinyin_key(p.name), p.id))),
        past=past,
    )


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


def swap_request_rows(
    session: Session, states: Sequence[str], limit: int = 100, scope: OfficeScope = EVERY_OFFICE
) -> list[RequestRow]:
    """Swap requests in `states` whose duties are at offices `scope` holds, newest first, with both lawyers and
    duties (two queries)."""
    return _request_rows(session, SwapRequest.state.in_(states), *_requests_in(scope), limit=limit)


def _requests_in(scope: OfficeScope) -> tuple[Any, ...]:
    # Both duties of the request at held offices; nothing to add for an all-office scope.
    if scope.everything:
        return ()
    held = held_duties(scope)
    return (
        SwapRequest.duty_id.in_(held),
        or_(SwapRequest.exchange_duty_id.is_(None), SwapRequest.exchange_duty_id.in_(held)),
    )


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
    duties = {d.id: d for d in duty_infos(session, Duty.id.in_(duty_ids))} if duty_ids else {}
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
        raise SwapRequestNotFound()
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
        tuple(
            ViolationLine(v.rule, m)
            for v, m in zip(verdict.new_violations, violation_messages(session, verdict.new_violations), strict=True)
        ),
        verdict.objective_delta,
        tuple(sorted(verdict.terms_delta.items())),
    )
