"""Trainings (专项培训, 五(四)): events the planner sets up, the lawyers invited (one by one, or every
lawyer of an office or a firm), and how each invitation went: attended, absent or excused (请假).

An invited lawyer sees the training on their page and in their private calendar feed; the annual
assessment counts the trainings attended and missed (absent; an excused absence is not missed).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.consultations import find_lawyer
from scheduler.attendance.record_errors import (
    FirmMissing,
    NobodyInvited,
    NotInvited,
    OfficeMissing,
    TrainingHours,
    TrainingMissing,
    TrainingNotHeld,
    TrainingTextTooLong,
    TrainingTitle,
    UnknownTrainingStatus,
)
from scheduler.audit import record
from scheduler.models import LawFirm, Lawyer, Office, lawyer_offices
from scheduler.models.records import Training, TrainingInvitation
from scheduler.models.rosters import utcnow

STATUS_ZH = {"invited": "未登记", "attended": "出席", "absent": "缺席", "excused": "请假"}
_STATUS_WORDS = {
    **{code: code for code in ("attended", "absent", "excused")},
    "出席": "attended",
    "参加": "attended",
    "缺席": "absent",
    "请假": "excused",
}


@dataclass(frozen=True)
class TrainingSpec:
    """What the planner states about a training."""

    title: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str = ""
    organiser: str = ""
    content: str = ""


def _validate(spec: TrainingSpec) -> TrainingSpec:
    title = spec.title.strip()
    if not title or len(title) > 200:
        raise TrainingTitle()
    if spec.end <= spec.start:
        raise TrainingHours(start=f"{spec.start:%H:%M}", end=f"{spec.end:%H:%M}")
    location, organiser, content = spec.location.strip(), spec.organiser.strip(), spec.content.strip()
    if len(location) > 200 or len(organiser) > 200 or len(content) > 2000:
        raise TrainingTextTooLong()
    return TrainingSpec(title, spec.date, spec.start, spec.end, location, organiser, content)


def _json(training: Training) -> dict[str, Any]:
    return {
        "title": training.title,
        "date": str(training.date),
        "start": f"{training.start:%H:%M}",
        "end": f"{training.end:%H:%M}",
        "location": training.location,
        "organiser": training.organiser,
        "content": training.content,
        "sequence": training.sequence,
    }


def _apply(training: Training, spec: TrainingSpec) -> None:
    training.title, training.date, training.start, training.end = spec.title, spec.date, spec.start, spec.end
    training.location, training.organiser, training.content = spec.location, spec.organiser, spec.content


def add_training(session: Session, spec: TrainingSpec, actor: str) -> Training:
    """Set up a training (nobody is invited yet)."""
    spec = _validate(spec)
    training = Training(sequence=0, changed_at=utcnow())
    _apply(training, spec)
    session.add(training)
    session.flush()
    record(session, actor, "training.add", entity="training", entity_id=training.id, after=_json(training))
    return training


def get_training(session: Session, training_id: int) -> Training:
    training = session.get(Training, training_id)
    if training is None:
        raise TrainingMissing()
    return training


def change_training(session: Session, training_id: int, spec: TrainingSpec, actor: str) -> Training:
    """Replace a training's details; its calendar events keep their UID and get a higher SEQUENCE."""
    spec = _validate(spec)
    training = get_training(session, training_id)
    before = _json(training)
    _apply(training, spec)
    if _json(training) == before:
        return training
    training.sequence += 1
    training.changed_at = utcnow()
    session.flush()
    record(
        session,
        actor,
        "training.change",
        entity="training",
        entity_id=training.id,
        before=before,
        after=_json(training),
    )
    return training


def list_trainings(session: Session) -> Sequence[Training]:
    """Every training, the latest first, with its invitations and their lawyers."""
    return session.scalars(
        select(Training)
        .options(selectinload(Training.invitations).selectinload(TrainingInvitation.lawyer))
        .order_by(Training.date.desc(), Training.start.desc(), Training.id.desc())
    ).all()


def _office_ids(session: Session, codes: Iterable[str]) -> list[int]:
    ids = []
    for code in codes:
        found = session.scalar(select(Office.id).where(or_(Office.code == code, Office.name == code)))
        if found is None:
            raise OfficeMissing(ref=code)
        ids.append(found)
    return ids


def _firm_ids(session: Session, refs: Iterable[str | int]) -> list[int]:
    ids = []
    for ref in refs:
        text = str(ref).strip()
        clause = LawFirm.id == int(text) if text.isdigit() else or_(LawFirm.name == text, LawFirm.credit_code == text)
        found = session.scalar(select(LawFirm.id).where(clause))
        if found is None:
            raise FirmMissing(ref=text)
        ids.append(found)
    return ids


def invite(
    session: Session,
    training_id: int,
    actor: str,
    *,
    lawyers: Iterable[str | int] = (),
    offices: Iterable[str] = (),
    firms: Iterable[str | int] = (),
) -> list[Lawyer]:
    """Invite lawyers (id, licence number or unique name), every lawyer of the offices (code or name) and of
    the firms (id, name or credit code); a lawyer removed by the training's date is left out. Returns the
    lawyers newly invited (those invited before are not invited twice)."""
    training = get_training(session, training_id)
    chosen: dict[int, Lawyer] = {lw.id: lw for lw in (find_lawyer(session, ref) for ref in lawyers)}
    office_ids, firm_ids = _office_ids(session, offices), _firm_ids(session, firms)
    if office_ids:
        members = select(lawyer_offices.c.lawyer_id).where(lawyer_offices.c.office_id.in_(office_ids))
        chosen.update((lw.id, lw) for lw in session.scalars(select(Lawyer).where(Lawyer.id.in_(members))))
    if firm_ids:
        chosen.update((lw.id, lw) for lw in session.scalars(select(Lawyer).where(Lawyer.firm_id.in_(firm_ids))))
    if not chosen:
        raise NobodyInvited()
    invited = set(
        session.scalars(select(TrainingInvitation.lawyer_id).where(TrainingInvitation.training_id == training.id))
    )
    new = sorted(
        (lw for lw in chosen.values() if lw.id not in invited and lw.status_on(training.date) != "removed"),
        key=lambda lw: lw.licence_no,
    )
    session.add_all(TrainingInvitation(training_id=training.id, lawyer_id=lw.id, status="invited") for lw in new)
    session.flush()
    if new:
        record(
            session,
            actor,
            "training.invite",
            entity="training",
            entity_id=training.id,
            after={"lawyers": [lw.id for lw in new]},
        )
    return new


def parse_status(word: str) -> str:
    """attended, absent or excused, from the code or its Chinese word (出席、缺席、请假)."""
    status = _STATUS_WORDS.get(word.strip())
    if status is None:
        raise UnknownTrainingStatus(value=word.strip())
    return status


def record_training_attendance(
    session: Session,
    training_id: int,
    lawyer: str | int,
    status: str,
    actor: str,
    *,
    note: str = "",
    today: dt.date,
) -> TrainingInvitation:
    """Record (or correct) how an invited lawyer did: refused for a lawyer not invited and before the day."""
    status = parse_status(status)
    training = get_training(session, training_id)
    who = find_lawyer(session, lawyer)
    if training.date > today:
        raise TrainingNotHeld(title=training.title, date=training.date)
    row = session.scalar(
        select(TrainingInvitation).where(
            TrainingInvitation.training_id == training.id, TrainingInvitation.lawyer_id == who.id
        )
    )
    if row is None:
        raise NotInvited(lawyer=who.name, title=training.title)
    note = note.strip()[:500]
    before = {"status": row.status, "note": row.note}
    if before == {"status": status, "note": note}:
        return row
    row.status, row.note, row.recorded_by, row.recorded_at = status, note, actor, utcnow()
    session.flush()
    record(
        session,
        actor,
        "training.attendance",
        entity="training_invitation",
        entity_id=row.id,
        before=before,
        after={"status": status, "note": note, "lawyer_id": who.id, "training_id": training.id},
    )
    return row


@dataclass(frozen=True)
class MyTraining:
    """A training as the invited lawyer sees it."""

    training_id: int
    title: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    organiser: str
    content: str
    status: str


def trainings_of(session: Session, lawyer_id: int) -> list[MyTraining]:
    """The trainings a lawyer is invited to, the latest first (one query)."""
    rows = session.execute(
        select(Training, TrainingInvitation.status)
        .join(TrainingInvitation, TrainingInvitation.training_id == Training.id)
        .where(TrainingInvitation.lawyer_id == lawyer_id)
        .order_by(Training.date.desc(), Training.start.desc())
    ).all()
    return [
        MyTraining(t.id, t.title, t.date, t.start, t.end, t.location, t.organiser, t.content, status)
        for t, status in rows
    ]


@dataclass(frozen=True)
class TrainingEvent:
    """A training in an invited lawyer's calendar."""

    uid: str
    lawyer_id: int
    title: str
    date: dt.date
    start: dt.time
    end: dt.time
    location: str
    description: str
    sequence: int
    changed_at: dt.datetime


def training_events(
    session: Session, start: dt.date, end: dt.date, *, host: str, lawyer_id: int | None = None
) -> list[TrainingEvent]:
    """The trainings in [start, end] of every invited lawyer (or of one), for the calendars; one query.

    The UID is `training-{id}@{host}`: each lawyer's feed holds it once, and a change keeps it."""
    query = (
        select(Training, TrainingInvitation.lawyer_id)
        .join(TrainingInvitation, TrainingInvitation.training_id == Training.id)
        .where(Training.date.between(start, end))
        .order_by(Training.date, Training.start, Training.id)
    )
    if lawyer_id is not None:
        query = query.where(TrainingInvitation.lawyer_id == lawyer_id)
    return [
        TrainingEvent(
            uid=f"training-{t.id}@{host}",
            lawyer_id=invited,
            title=t.title,
            date=t.date,
            start=t.start,
            end=t.end,
            location=t.location,
            description="\n".join(
                part for part in (f"主办单位：{t.organiser}" if t.organiser else "", t.content) if part
            ),
            sequence=t.sequence,
            changed_at=t.changed_at,
        )
        for t, invited in session.execute(query)
    ]


def training_counts(session: Session, first: dt.date, last: dt.date) -> tuple[Counter[int], Counter[int]]:
    """(attended, missed) trainings per lawyer id, of trainings dated in [first, last]; one query.
    Missed is an absence; an excused absence (请假) and an unrecorded one are neither."""
    attended: Counter[int] = Counter()
    missed: Counter[int] = Counter()
    rows = session.execute(
        select(TrainingInvitation.lawyer_id, TrainingInvitation.status)
        .join(Training, TrainingInvitation.training_id == Training.id)
        .where(Training.date.between(first, last), TrainingInvitation.status.in_(("attended", "absent")))
    )
    for lawyer_id, status in rows:
        (attended if status == "attended" else missed)[lawyer_id] += 1
    return attended, missed
