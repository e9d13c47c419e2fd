"""Setting up the consultation hotline and mailbox (律师咨询电话、电子信箱, 四(五)) of an office or the prefecture.

A hotline is configuration: its days become duties of type "hotline" when a period's duties are
generated (`planning.duties.generate_windows`), and the normal solve staffs them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.core.problem import FULL_SHARE, HOTLINE
from scheduler.models import Hotline, Office
from scheduler.planning.duties import duty_type, office_by_code
from scheduler.planning.hotline_errors import (
    HotlineBadHours,
    HotlineBadMailbox,
    HotlineBadNeeded,
    HotlineBadShare,
    HotlineBadWeekday,
    HotlineMissing,
    HotlinePhoneMissing,
)

EVERY_WORKING_DAY = "workdays"
_MAILBOX = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class HotlineSpec:
    """What a planner states about a hotline. `pattern`: "workdays" or ISO weekdays like "1,3,5"."""

    office_code: str
    phone: str
    mailbox: str = ""
    pattern: str = EVERY_WORKING_DAY
    needed: int = 1
    start: dt.time = dt.time(9, 0)
    end: dt.time = dt.time(17, 0)
    # Codes of the other offices whose lawyers may answer it besides its own (a remote, shared line).
    served_from: tuple[str, ...] = ()
    # How much a hotline day counts in fairness, as a fraction of a window day; None: unchanged.
    share: float | None = None


@dataclass(frozen=True)
class HotlineView:
    """A hotline as pages and the command line show it."""

    office_code: str
    office_name: str
    phone: str
    mailbox: str
    weekdays: tuple[int, ...]  # 0 = Monday; empty: every working day
    needed: int
    start: dt.time
    end: dt.time
    served_from: tuple[str, ...] = field(default=())

    @property
    def pattern(self) -> str:
        """The pattern as the command line takes it back."""
        return ",".join(str(d + 1) for d in self.weekdays) if self.weekdays else EVERY_WORKING_DAY


def parse_pattern(text: str) -> list[int]:
    """Weekdays (0 = Monday) of a pattern: "workdays" (or empty) for every working day, else ISO numbers "1,3,5"."""
    text = text.strip().lower()
    if text in ("", EVERY_WORKING_DAY, "每个工作日", "工作日"):
        return []
    days = set()
    for part in re.split(r"[,，\s]+", text):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= 7:
            raise HotlineBadWeekday("pattern", value=part)
        days.add(int(part) - 1)
    return sorted(days)


def set_hotline(session: Session, spec: HotlineSpec, actor: str) -> Hotline:
    """Create or change the hotline of an office; with `share`, also how much a hotline day counts in fairness."""
    office = office_by_code(session, spec.office_code)
    phone, mailbox = spec.phone.strip(), spec.mailbox.strip()
    if not phone:
        raise HotlinePhoneMissing("phone", office=office.name)
    if mailbox and not _MAILBOX.fullmatch(mailbox):
        raise HotlineBadMailbox("mailbox", value=mailbox)
    if not 1 <= spec.needed <= 10:
        raise HotlineBadNeeded("needed", value=spec.needed)
    if spec.end <= spec.start:
        raise HotlineBadHours("end", start=f"{spec.start:%H:%M}", end=f"{spec.end:%H:%M}")
    weekdays = parse_pattern(spec.pattern)
    served_from = [office_by_code(session, code) for code in dict.fromkeys(spec.served_from)]
    tenths = None
    if spec.share is not None:
        tenths = round(spec.share * FULL_SHARE)
        if not 1 <= tenths <= FULL_SHARE or abs(tenths - spec.share * FULL_SHARE) > 1e-9:
            raise HotlineBadShare("share", value=spec.share)
    hotline = session.scalar(select(Hotline).where(Hotline.office_id == office.id))
    before = _json(hotline) if hotline is not None else None
    if hotline is None:
        hotline = Hotline(office_id=office.id, phone=phone)
        session.add(hotline)
    hotline.phone, hotline.mailbox, hotline.weekdays = phone, mailbox, weekdays
    hotline.needed, hotline.start, hotline.end = spec.needed, spec.start, spec.end
    # The hotline's own office always serves it; the list names the others.
    hotline.served_from = [o for o in served_from if o.id != office.id]
    kind = duty_type(session, HOTLINE)
    if tenths is not None:
        kind.fairness_share = tenths
    session.flush()
    after = _json(hotline) | {"fairness_share": kind.fairness_share}
    record(session, actor, "hotline.set", entity="hotline", entity_id=hotline.id, before=before, after=after)
    return hotline


def remove_hotline(session: Session, office_code: str, actor: str) -> None:
    """Remove an office's hotline; its duties already generated stay (cancel them like any duty)."""
    office = office_by_code(session, office_code)
    hotline = session.scalar(select(Hotline).where(Hotline.office_id == office.id))
    if hotline is None:
        raise HotlineMissing(office=office.name)
    record(session, actor, "hotline.remove", entity="hotline", entity_id=hotline.id, before=_json(hotline))
    session.delete(hotline)
    session.flush()


def hotlines(session: Session) -> list[HotlineView]:
    """Every hotline, by office code (two queries)."""
    rows = session.scalars(
        select(Hotline)
        .join(Office, Office.id == Hotline.office_id)
        .options(selectinload(Hotline.served_from), selectinload(Hotline.office))
        .order_by(Office.code)
    ).all()
    return [
        HotlineView(
            office_code=h.office.code,
            office_name=h.office.name,
            phone=h.phone,
            mailbox=h.mailbox,
            weekdays=tuple(h.weekdays),
            needed=h.needed,
            start=h.start,
            end=h.end,
            served_from=tuple(o.code for o in h.served_from),
        )
        for h in rows
    ]


def hotline_share(session: Session) -> float:
    """How much a hotline day counts in fairness, as a fraction of a window day."""
    return duty_type(session, HOTLINE).fairness_share / FULL_SHARE


def _json(hotline: Hotline) -> dict[str, object]:
    return {
        "office_id": hotline.office_id,
        "phone": hotline.phone,
        "mailbox": hotline.mailbox,
        "weekdays": list(hotline.weekdays),
        "needed": hotline.needed,
        "start": f"{hotline.start:%H:%M}",
        "end": f"{hotline.end:%H:%M}",
        "served_from": [o.id for o in hotline.served_from],
    }
