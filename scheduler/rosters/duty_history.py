"""What changed in a lawyer's duties: each published version compared with the one before it, and each move
of a duty they serve, so a duty that changes does not just vanish from the lawyer's page.

Read from the versions themselves (their assignments, changelog and the audit event that made them) with a
fixed number of queries; the words are the template's, the kinds are plain codes:

- ``added``: a new duty for the lawyer (a new publication, or a place filled);
- ``taken_over``: the lawyer took a colleague's place (``other`` names the colleague);
- ``swapped``: the lawyer exchanged this duty with a colleague for ``exchange``;
- ``handed_over``: a colleague took the lawyer's place (``other``);
- ``cancelled``: the duty was cancelled;
- ``removed``: the lawyer is no longer on the duty and nobody took the place;
- ``moved``: the duty the lawyer serves moved to another day or hours (``moved_from`` holds the old ones).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from scheduler.models import Assignment, AuditEvent, Duty, DutyType, Lawyer, Office, Roster
from scheduler.rosters.notice_board import PAST_DAYS

OFFICE_TIME = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class ChangedDuty:
    id: int
    date: dt.date
    start: dt.time
    end: dt.time
    office_name: str
    office_name_en: str
    duty_type_zh: str
    duty_type_en: str


@dataclass(frozen=True)
class DutyChangeLine:
    """One change to one of the lawyer's duties."""

    kind: str
    at: dt.datetime
    duty: ChangedDuty
    reason: str = ""
    other: str = ""  # the colleague who took over or handed over
    exchange: ChangedDuty | None = None  # the duty received in a swap
    moved_from: tuple[dt.date, str, str] | None = None  # the old (date, start, end) of a moved duty
    version: int = 0

    @property
    def local_at(self) -> dt.datetime:
        """When the change was made, in the offices' time zone (times are stored in UTC)."""
        return self.at.replace(tzinfo=dt.UTC).astimezone(OFFICE_TIME)


def changes_to_duties(session: Session, lawyer_id: int, today: dt.date, limit: int = 30) -> tuple[DutyChangeLine, ...]:
    """The newest changes to the lawyer's duties over the past year, newest first (three queries)."""
    since = today - dt.timedelta(days=PAST_DAYS)
    rosters = session.execute(
        select(Roster.id, Roster.period_start, Roster.period_end, Roster.version, Roster.published_at, Roster.changelog)
        .where(Roster.status != "draft", Roster.period_end >= since)
        .order_by(Roster.period_start, Roster.period_end, Roster.version)
    ).all()
    ids = [r.id for r in rosters]
    in_period = select(Roster.id).where(Roster.status != "draft", Roster.period_end >= since)
    mine = select(Assignment.duty_id).where(Assignment.lawyer_id == lawyer_id, Assignment.roster_id.in_(in_period))
    teams: dict[int, dict[int, set[int]]] = defaultdict(lambda: defaultdict(set))
    names: dict[int, str] = {}
    duties: dict[int, tuple[ChangedDuty, bool]] = {}
    for r in session.execute(
        select(
            Assignment.roster_id,
            Assignment.lawyer_id,
            Lawyer.name.label("lawyer_name"),
            Duty.id,
            Duty.date,
            Duty.start,
            Duty.end,
            Duty.cancelled_at,
            Office.name.label("office_name"),
            Office.name_en.label("office_name_en"),
            DutyType.name_zh,
            DutyType.name_en,
        )
        .join(Lawyer, Lawyer.id == Assignment.lawyer_id)
        .join(Duty, Duty.id == Assignment.duty_id)
        .join(Office, Office.id == Duty.office_id)
        .join(DutyType, DutyType.id == Duty.duty_type_id)
        .where(Assignment.roster_id.in_(in_period), Assignment.duty_id.in_(mine))
    ):
        teams[r.roster_id][r.id].add(r.lawyer_id)
        names[r.lawyer_id] = r.lawyer_name
        duties[r.id] = (
            ChangedDuty(r.id, r.date, r.start, r.end, r.office_name, r.office_name_en or "", r.name_zh, r.name_en),
            r.cancelled_at is not None,
        )
    events = session.execute(
        select(
            AuditEvent.action,
            AuditEvent.entity,
            AuditEvent.entity_id,
            AuditEvent.at,
            AuditEvent.reason,
            AuditEvent.before,
        )
        .where(
            or_(
                and_(AuditEvent.entity == "roster", AuditEvent.entity_id.in_([str(i) for i in ids])),
                and_(AuditEvent.action == "duty.move", AuditEvent.entity_id.in_([str(d) for d in duties])),
            )
        )
        .order_by(AuditEvent.at, AuditEvent.id)
    ).all()
    actions = {e.entity_id: e.action for e in events if e.entity == "roster"}
    lines: list[DutyChangeLine] = []
    previous: Any = None
    for roster in rosters:
        same_period = previous is not None and (previous.period_start, previous.period_end) == (
            roster.period_start,
            roster.period_end,
        )
        if same_period:
            lines.extend(
                _compare(
                    lawyer_id,
                    teams[previous.id],
                    teams[roster.id],
                    duties,
                    names,
                    roster,
                    actions.get(str(roster.id), ""),
                )
            )
        previous = roster
    for e in events:
        if e.action == "duty.move" and int(e.entity_id) in duties and _served(lawyer_id, teams, int(e.entity_id)):
            lines.append(
                DutyChangeLine("moved", e.at, duties[int(e.entity_id)][0], e.reason or "", moved_from=_old(e.before))
            )
    lines.sort(key=lambda line: line.at, reverse=True)
    return tuple(lines[:limit])


def _old(before: Any) -> tuple[dt.date, str, str] | None:
    """The (date, start, end) a moved duty had, from its audit event; None if the event does not say."""
    try:
        doc = dict(before or {})
        return dt.date.fromisoformat(str(doc["date"])), str(doc.get("start", "")), str(doc.get("end", ""))
    except (KeyError, TypeError, ValueError):
        return None


def _served(lawyer_id: int, teams: Mapping[int, Mapping[int, set[int]]], duty_id: int) -> bool:
    return any(lawyer_id in team.get(duty_id, ()) for team in teams.values())


def _compare(
    lawyer_id: int,
    old: Mapping[int, set[int]],
    new: Mapping[int, set[int]],
    duties: Mapping[int, tuple[ChangedDuty, bool]],
    names: Mapping[int, str],
    roster: Any,
    action: str,
) -> list[DutyChangeLine]:
    """The lawyer's changes from one version to the next, a swap read as one line."""
    changelog = list(roster.changelog or [])
    last = changelog[-1] if changelog else {}
    reason = str(last.get("why", ""))
    at = roster.published_at or dt.datetime.fromisoformat(str(last.get("at", "1970-01-01T00:00:00")))
    lost = sorted(d for d, team in old.items() if lawyer_id in team and lawyer_id not in new.get(d, ()))
    gained = sorted(d for d, team in new.items() if lawyer_id in team and lawyer_id not in old.get(d, ()))
    lines: list[DutyChangeLine] = []
    exchanged: set[int] = set()
    for duty_id in lost:
        if duty_id not in duties:
            continue
        duty, cancelled = duties[duty_id]
        takers = sorted(new.get(duty_id, set()) - old.get(duty_id, set()))
        back = next(
            (g for g in gained if g not in exchanged and takers and takers[0] in old.get(g, ()) and g in duties), None
        )
        if back is not None:
            exchanged.add(back)
            lines.append(
                DutyChangeLine(
                    "swapped", at, duty, reason, names.get(takers[0], ""), duties[back][0], version=roster.version
                )
            )
        elif cancelled or action == "roster.cancel_duty":
            lines.append(DutyChangeLine("cancelled", at, duty, reason, version=roster.version))
        elif takers:
            lines.append(
                DutyChangeLine("handed_over", at, duty, reason, names.get(takers[0], ""), version=roster.version)
            )
        else:
            lines.append(DutyChangeLine("removed", at, duty, reason, version=roster.version))
    for duty_id in gained:
        if duty_id in exchanged or duty_id not in duties:
            continue
        givers = sorted(old.get(duty_id, set()) - new.get(duty_id, set()))
        kind = "taken_over" if givers else "added"
        other = names.get(givers[0], "") if givers else ""
        lines.append(DutyChangeLine(kind, at, duties[duty_id][0], reason, other, version=roster.version))
    return lines
