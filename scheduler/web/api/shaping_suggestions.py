"""The API's ranked suggestions for a duty (who could take it, or swap), shaped as JSON."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from scheduler.people.scope import EVERY_OFFICE, OfficeScope
from scheduler.rosters.suggestions import suggest_for_duty
from scheduler.web.api.shaping import Json, _names

# --- suggestions ---------------------------------------------------------------------------------


def suggestions(
    session: Session,
    duty_id: int,
    replace: int | None,
    swap: int | None,
    limit: int,
    today: dt.date,
    scope: OfficeScope = EVERY_OFFICE,
) -> Json:
    """`suggest_for_duty` as JSON: who could take `replace`'s place (or an open place), or, with `swap`, whom
    that lawyer could exchange duties with."""
    if swap is not None:
        found = suggest_for_duty(
            session, duty_id, today, leaving=swap, covers=False, swaps=True, limit=limit, field="swap", scope=scope
        )
        ranked = found.swaps
    else:
        found = suggest_for_duty(session, duty_id, today, leaving=replace, limit=limit, field="replace")
        ranked = found.covers
    names = _names(session, {s.lawyer_id for s in ranked})
    return {
        "duty_id": duty_id,
        "roster_id": found.roster_id,
        "version": found.version,
        "kind": "swap" if swap is not None else "cover",
        "suggestions": [
            {
                "lawyer_id": s.lawyer_id,
                "lawyer_name": names.get(s.lawyer_id, ""),
                "partner_duty_id": s.partner_duty_id,
                "objective_delta": s.delta,
                "terms_delta": dict(s.terms_delta),
                "reason": s.reason,
                "changes": [c.to_json() for c in s.changes],
            }
            for s in ranked
        ],
    }
