"""What an audit event's sentence needs, looked up when the event is written.

An event stores ids (of a duty, a lawyer, a roster) in `entity_id`, `before` and `after`. The log must read
"王芳（窗口）将兴义市 12月16日 领导接待日 由 朱桂 换为 罗磊超" years later, after renames and deletions, so
`record` asks this module for a snapshot of the names behind those ids: the actor, the duties (office, date,
kind, the lawyers before and after), the lawyers and the period; and for the offices the event concerns.
The ids stay too, for links. Nothing here raises on a missing row: what is gone is simply left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.models import (
    Attendance,
    Duty,
    LawFirm,
    Lawyer,
    Office,
    Proposal,
    SwapRequest,
    Unavailability,
    User,
    lawyer_offices,
)

# Actors that are not accounts: the command line, background work, the demo builder.
MACHINE_ACTORS = ("cli", "system", "demo")


@dataclass
class Snapshot:
    """The details of one event and what its filters need."""

    details: dict[str, Any] = field(default_factory=dict)
    office_ids: set[int] = field(default_factory=set)
    people: list[str] = field(default_factory=list)

    def person(self, name: str) -> None:
        if name and name not in self.people:
            self.people.append(name)


def _ints(values: Iterable[Any]) -> list[int]:
    out = []
    for v in values:
        try:
            out.append(int(v))
        except (TypeError, ValueError):
            continue
    return out


def actor_details(session: Session, actor: str) -> dict[str, Any]:
    """Who acted, by name: {"kind": "user", "name": ..., "role": ...}, {"kind": "lawyer", ...} or {"kind": "cli"}."""
    kind, _, ref = actor.partition(":")
    if kind == "user" and ref:
        user = session.scalar(select(User).where(User.username == ref.lower()))
        if user is None:
            return {"kind": "user", "name": ref, "role": ""}
        name = getattr(user, "display_name", "") or ref
        if user.lawyer_id is not None:
            lawyer = session.get(Lawyer, user.lawyer_id)
            name = lawyer.name if lawyer is not None else name
        return {"kind": "user", "name": name, "role": user.role}
    if kind == "lawyer" and ref:
        lawyer = session.get(Lawyer, _ints([ref])[0]) if _ints([ref]) else None
        return {"kind": "lawyer", "name": lawyer.name if lawyer is not None else ref, "role": "lawyer"}
    if actor in MACHINE_ACTORS:
        return {"kind": actor}
    return {"kind": "other", "name": actor}


def _lawyer_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    wanted = set(ids)
    if not wanted:
        return {}
    return {i: n for i, n in session.execute(select(Lawyer.id, Lawyer.name).where(Lawyer.id.in_(wanted)))}


def duty_details(duty: Duty) -> dict[str, Any]:
    """A duty as the log names it: office, date and kind (for a caller about to delete the duty)."""
    return {
        "id": duty.id,
        "office_id": duty.office_id,
        "office": duty.office.name,
        "office_en": duty.office.name_en,
        "date": duty.date.isoformat(),
        "kind": duty.duty_type.name_zh,
        "kind_en": duty.duty_type.name_en,
    }


def _duties(session: Session, snap: Snapshot, ids: Iterable[int]) -> list[dict[str, Any]]:
    found = []
    for duty_id in dict.fromkeys(ids):
        duty = session.get(Duty, duty_id)
        if duty is not None:
            found.append(duty_details(duty))
            snap.office_ids.add(duty.office_id)
    return found


def _lawyer(session: Session, snap: Snapshot, lawyer_id: int) -> dict[str, Any] | None:
    lawyer = session.get(Lawyer, lawyer_id)
    if lawyer is None:
        return None
    snap.person(lawyer.name)
    snap.office_ids.update(
        session.scalars(select(lawyer_offices.c.office_id).where(lawyer_offices.c.lawyer_id == lawyer_id))
    )
    return {"id": lawyer.id, "name": lawyer.name}


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else []


def _roster_change(session: Session, snap: Snapshot, before: Any, after: Any) -> None:
    """A version made by a change: {"duties": {duty id: [lawyer ids]}} before and after -> names on each duty."""
    old = before.get("duties") if isinstance(before, Mapping) else None
    new = after.get("duties") if isinstance(after, Mapping) else None
    if not isinstance(old, Mapping) and not isinstance(new, Mapping):
        return
    old, new = old or {}, new or {}
    duty_ids = _ints([*old, *new])
    lists = [ids for ids in (*old.values(), *new.values()) if isinstance(ids, (list, tuple))]
    names = _lawyer_names(session, _ints([x for ids in lists for x in ids]))
    duties = _duties(session, snap, duty_ids)
    for d in duties:
        d["before"] = [names.get(i, "") for i in _ints(_listed(old.get(str(d["id"]))))]
        d["after"] = [names.get(i, "") for i in _ints(_listed(new.get(str(d["id"]))))]
        for n in (*d["before"], *d["after"]):
            snap.person(n)
    snap.details["duties"] = duties


def snapshot(session: Session, actor: str, entity: str, entity_id: str, before: Any, after: Any) -> Snapshot:
    """The names and offices behind an event's ids, as they are now (inside the writing transaction)."""
    snap = Snapshot()
    who = actor_details(session, actor)
    snap.details["actor"] = who
    snap.person(str(who.get("name", "")))
    ref = _ints([entity_id])
    before_doc = before if isinstance(before, Mapping) else {}
    after_doc = after if isinstance(after, Mapping) else {}
    period = after_doc.get("period") or before_doc.get("period")
    if not period and entity == "duties" and after_doc.get("start") and after_doc.get("end"):
        period = [after_doc["start"], after_doc["end"]]
    if not period and entity == "period" and entity_id.count("/") == 1:
        period = entity_id.split("/")
    if period:
        snap.details["period"] = period
    version = after_doc.get("version", before_doc.get("version"))
    if version is not None:
        snap.details["version"] = version
    if entity == "roster":
        _roster_change(session, snap, before, after)
    elif entity == "duty":
        duties = _duties(session, snap, ref)
        if not duties and before_doc.get("date"):  # deleted: what the event kept
            duties = [{"id": ref[0] if ref else None, "date": before_doc["date"], "office": "", "kind": ""}]
        snap.details["duties"] = duties
    elif entity == "lawyer" and ref:
        lawyer = _lawyer(session, snap, ref[0])
        if lawyer:
            snap.details["lawyer"] = lawyer
    elif entity == "office" and ref:
        office = session.get(Office, ref[0])
        if office is not None:
            snap.details["office"] = {"id": office.id, "name": office.name, "name_en": office.name_en}
            snap.office_ids.add(office.id)
    elif entity == "swap_request" and ref:
        request = session.get(SwapRequest, ref[0])
        if request is not None:
            ids = [request.duty_id, *([request.exchange_duty_id] if request.exchange_duty_id else [])]
            snap.details["duties"] = _duties(session, snap, ids)
            snap.details["from"] = _lawyer(session, snap, request.from_lawyer_id)
            snap.details["to"] = _lawyer(session, snap, request.to_lawyer_id)
    elif entity == "proposal" and ref:
        proposal = session.get(Proposal, ref[0])
        if proposal is not None:
            changes = [c for c in proposal.changes or () if isinstance(c, Mapping)]
            snap.details["duties"] = _duties(session, snap, _ints(c.get("duty_id") for c in changes))
    elif entity == "attendance" and ref:
        row = session.get(Attendance, ref[0])
        if row is not None:
            snap.details["duties"] = _duties(session, snap, [row.duty_id])
            snap.details["lawyer"] = _lawyer(session, snap, row.lawyer_id)
            if row.substitute_lawyer_id is not None:
                snap.details["substitute"] = _lawyer(session, snap, row.substitute_lawyer_id)
    elif entity == "unavailability" and ref:
        away = session.get(Unavailability, ref[0])
        if away is not None:
            snap.details["lawyer"] = _lawyer(session, snap, away.lawyer_id)
            snap.details["span"] = [away.start.isoformat(), away.end.isoformat()]
    elif entity == "law_firm" and ref:
        firm = session.get(LawFirm, ref[0])
        snap.details["firm"] = {"id": ref[0], "name": firm.name if firm is not None else after_doc.get("name", "")}
    elif entity == "user" and ref:
        user = session.get(User, ref[0])
        if user is not None:
            snap.details["account"] = {"id": user.id, "username": user.username, "role": user.role}
    if isinstance(after_doc.get("office_id"), int):
        snap.office_ids.add(after_doc["office_id"])
    return snap
