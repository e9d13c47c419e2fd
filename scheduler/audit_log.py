"""The audit log as the clerk and planner pages read it: a page of events, filtered, and the actions there are."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from scheduler.core.paging import Page
from scheduler.models import (
    AuditEvent,
)

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
