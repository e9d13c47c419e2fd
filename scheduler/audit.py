"""Writing the audit log. Call `record` inside the transaction that makes the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from scheduler.models import AuditEvent


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
) -> AuditEvent:
    """Add an audit event to `session`; it is committed (or rolled back) with the change."""
    event = AuditEvent(
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id),
        reason=reason,
        before=before,
        after=after,
    )
    session.add(event)
    return event
