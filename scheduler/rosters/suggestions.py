"""Ranked suggestions for one published duty: who could take a lawyer's place (or an open place), and with
whom a lawyer could exchange the duty. The one use case behind the clerk's duty page, the API's
/duties/{id}/suggestions and `scheduler suggest`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from scheduler.changes.suggest import Suggestion, suggest_cover, suggest_swaps
from scheduler.core.errors import FieldError
from scheduler.models import Duty, Lawyer
from scheduler.people.scope import EVERY_OFFICE, OfficeScope
from scheduler.rosters.errors import DutyNotFound, LawyerNotOnDuty, NoOpenPlace, duty_name, lawyer_name
from scheduler.rosters.proposals import RosterState, roster_state
from scheduler.rosters.versions import roster_for_day
from scheduler.solver.objective import pools


@dataclass(frozen=True)
class DutySuggestions:
    """The duty's team in the published version covering it, and the ranked covers and swaps asked for."""

    duty_id: int
    state: RosterState
    team: tuple[int, ...]
    covers: tuple[Suggestion, ...]
    swaps: tuple[Suggestion, ...]

    @property
    def roster_id(self) -> int:
        return self.state.roster.id

    @property
    def version(self) -> int:
        return self.state.roster.version


def suggest_for_duty(
    session: Session,
    duty_id: int,
    today: dt.date | None,
    *,
    leaving: int | None = None,
    covers: bool = True,
    swaps: bool = False,
    limit: int = 10,
    field: str = "lawyer",
    scope: OfficeScope = EVERY_OFFICE,
) -> DutySuggestions:
    """Ranked, feasible changes of the published duty `duty_id`, best first: with `covers`, who could take
    `leaving`'s place (or an open place when `leaving` is None); with `swaps`, whom `leaving` could exchange
    duties with. `field` names `leaving` in errors (the API's "replace" or "swap"). Swaps with a duty at an
    office `scope` does not hold are left out (such a swap needs an account holding both offices).

    Reads the period's problem (a fixed number of queries whatever its size). Raises NotFound for an unknown
    or unpublished duty, FieldError when `leaving` is not on the duty or a cover is asked for a full duty
    without naming who leaves.
    """
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise DutyNotFound()
    state = roster_state(session, roster_for_day(session, duty.date), today)
    team = state.assignments.get(duty_id, ())
    if leaving is not None and leaving not in team:
        who = session.get(Lawyer, leaving)
        raise FieldError(
            field,
            LawyerNotOnDuty(
                lawyer=lawyer_name(who) if who else leaving, duty=duty_name(duty), version=state.roster.version
            ),
        )
    found_covers: list[Suggestion] = []
    found_swaps: list[Suggestion] = []
    if covers:
        if leaving is None and len(team) >= duty.needed:
            raise FieldError(field, NoOpenPlace(duty=duty_name(duty)))
        found_covers = suggest_cover(state.problem, state.assignments, duty_id, leaving, limit)
    if swaps and leaving is not None:
        pool = next(p for p in pools(state.problem) if duty_id in p.duty_ids)
        # A lawyer no longer linked to the duty's office has no partner in its pool to exchange with.
        if leaving in pool.lawyer_ids:
            found_swaps = suggest_swaps(state.problem, state.assignments, duty_id, leaving, limit)
    if not scope.everything:
        office_of = {d.id: d.office_id for d in state.problem.duties}
        found_swaps = [s for s in found_swaps if scope.holds([office_of.get(s.partner_duty_id or 0, -1)])]
    return DutySuggestions(duty_id, state, tuple(team), tuple(found_covers), tuple(found_swaps))
