"""The audit log as the clerk and planner pages read it: a page of events, filtered, and the actions there are."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from scheduler.core.paging import Page
from scheduler.models import AuditEvent, AuditEventOffice, Office

EXPORT_LIMIT = 20_000  # an export holds at most this many events (a year of a busy prefecture is far fewer)

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
    # The names the sentence needs, recorded with the event ({} for events written before they were kept).
    details: dict[str, Any] = field(default_factory=dict)
    raw_before: Any = None  # the stored values, for the sentence of an old event
    raw_after: Any = None


@dataclass(frozen=True)
class AuditFilter:
    """Which events to show. `office_ids` scopes the log to an account's offices (None = every office; an event
    that concerns no office, such as a sign-in, is then left out); `office_id` is the reader's own choice."""

    person: str = ""  # part of the actor's or a concerned lawyer's name, or of the actor's account name
    action: str = ""  # an action ("roster.swap") or an area ("roster")
    start: dt.date | None = None
    end: dt.date | None = None
    office_id: int | None = None
    office_ids: frozenset[int] | set[int] | None = None


def _json_text(value: Any) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _filtered(timezone: str, wanted: AuditFilter) -> Select[AuditEvent]:
    zone = ZoneInfo(timezone)

    def utc(day: dt.date) -> dt.datetime:
        # Events are stored in UTC; a day is the bureau's day.
        return dt.datetime.combine(day, dt.time(0), zone).astimezone(dt.UTC).replace(tzinfo=None)

    def concerns(office_ids: set[int] | frozenset[int]) -> Any:
        return exists().where(AuditEventOffice.event_id == AuditEvent.id, AuditEventOffice.office_id.in_(office_ids))

    query = select(AuditEvent)
    person = wanted.person.strip()
    if person:
        query = query.where(
            or_(AuditEvent.actor.contains(person, autoescape=True), AuditEvent.people.contains(person, autoescape=True))
        )
    if wanted.action:
        query = query.where(
            or_(AuditEvent.action == wanted.action, AuditEvent.action.startswith(f"{wanted.action}.", autoescape=True))
        )
    if wanted.start is not None:
        query = query.where(AuditEvent.at >= utc(wanted.start))
    if wanted.end is not None:
        query = query.where(AuditEvent.at < utc(wanted.end + dt.timedelta(days=1)))
    if wanted.office_id is not None:
        query = query.where(concerns({wanted.office_id}))
    if wanted.office_ids is not None:
        query = query.where(concerns(set(wanted.office_ids)))
    return query


def _line(e: AuditEvent, zone: ZoneInfo) -> AuditLine:
    return AuditLine(
        e.id,
        e.at.replace(tzinfo=dt.UTC).astimezone(zone).replace(tzinfo=None),
        e.actor,
        e.action,
        e.entity,
        e.entity_id,
        e.reason,
        _json_text(e.before),
        _json_text(e.after),
        e.details if isinstance(e.details, dict) else {},
        e.before,
        e.after,
    )


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
    wanted: AuditFilter | None = None,
) -> Page[AuditLine]:
    """Audit events, newest first, as `wanted` says (or, for older callers, whose actor or concerned people
    contain `actor`, whose action is `action` or in the area `action`, on days [start, end]); two queries."""
    wanted = wanted or AuditFilter(person=actor, action=action, start=start, end=end)
    query = _filtered(timezone, wanted)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = session.scalars(
        query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(size).offset((number - 1) * size)
    )
    zone = ZoneInfo(timezone)
    return Page(tuple(_line(e, zone) for e in events), number, size, total)


def audit_lines(session: Session, timezone: str, wanted: AuditFilter, limit: int = EXPORT_LIMIT) -> list[AuditLine]:
    """Every event `wanted` selects, oldest first, up to `limit`: what an export holds (one query)."""
    query = _filtered(timezone, wanted).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    zone = ZoneInfo(timezone)
    return [_line(e, zone) for e in reversed(list(session.scalars(query)))]


def audit_actions(session: Session) -> list[str]:
    """Every action the log holds, and the area before each dot ("roster" for "roster.swap"), sorted (one query)."""
    actions = set(session.scalars(select(AuditEvent.action).distinct()))
    return sorted(actions | {a.split(".", 1)[0] for a in actions if "." in a})


@dataclass(frozen=True)
class OfficeChoice:
    id: int
    name: str
    name_en: str


def audit_offices(session: Session, office_ids: set[int] | frozenset[int] | None = None) -> list[OfficeChoice]:
    """The offices the log's office filter offers (those of `office_ids`, or all), by code (one query)."""
    query = select(Office.id, Office.name, Office.name_en).order_by(Office.code)
    if office_ids is not None:
        query = query.where(Office.id.in_(office_ids))
    return [OfficeChoice(*row) for row in session.execute(query)]
