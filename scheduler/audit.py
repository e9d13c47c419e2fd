"""Writing the audit log. Call `record` inside the transaction that makes the change."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from scheduler.audit_details import snapshot
from scheduler.models import AuditEvent, AuditEventOffice


def record(
    session: Session,
    actor: str,
    action: str,
    *,
    entity: str = "",
    entity_id: object = "",
    reason: str = "",
    before: Any = None,
    after: Any = None,
    details: Mapping[str, Any] | None = None,
    offices: Iterable[int] = (),
) -> AuditEvent:
    """Add an audit event to `session`; it is committed (or rolled back) with the change.

    The names the log's sentence needs (actor, duties, lawyers, offices) are looked up now from the ids in
    `entity_id`, `before` and `after` and kept with the event; `details` adds or overrides entries and
    `offices` adds offices the event concerns, for what the ids alone do not say."""
    with session.no_autoflush:
        snap = snapshot(session, actor, entity, str(entity_id), before, after)
    snap.details.update(details or {})
    snap.office_ids.update(offices)
    event = AuditEvent(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        reason=reason,
        before=before,
        after=after,
        details=snap.details,
        people="|".join(snap.people),
        offices=[AuditEventOffice(office_id=o) for o in sorted(snap.office_ids)],
    )
    session.add(event)
    return event
