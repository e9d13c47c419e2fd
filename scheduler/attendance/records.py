"""Attendance on duties that have taken place (出勤登记): record or correct one lawyer's duty, import a
sign-in sheet (签到表), list a period; and the facts the reports and the fairness history are computed from.

A clerk records, for each lawyer the published roster put on a duty, one of:
  attended (出勤), late (迟到), absent (缺勤), substituted (替班: another lawyer served in their place).
A substitute's duty counts for the substitute; an absence counts for nobody.

Sign-in sheets (.csv or .xlsx; Chinese or English headers; * = required):
  值班编号/duty_id or 日期/date* (with 信访局/office, code or name, and 值班类型/duty_type to narrow it down),
  执业证号/licence_no or 姓名/name* (a name is looked up among the lawyers on that duty),
  出勤情况/status* (出勤 到岗 已到, 迟到, 缺勤 未到, 替班 代班, or the English words; an empty cell skips the row),
  替班律师/substitute (licence number, or a name only one lawyer has), 备注/note.
Importing is all or nothing: every row is checked first and every problem is reported together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.messages import (
    DutyAhead,
    DutyName,
    DutyNotFound,
    NoLawyerId,
    NoLawyerNamed,
    NoLawyerWithLicence,
    NoRosterCovers,
    NoteTooLong,
    NotOnDuty,
    RecordedMeanwhile,
    SeveralLawyersNamed,
    SubstituteMissing,
    SubstituteNotActive,
    SubstituteOnDuty,
    SubstituteOnlyForSubstituted,
    SubstituteSelf,
    SubstituteTwice,
    UnknownStatus,
)
from scheduler.audit import record
from scheduler.core.errors import InputError, Message, Named, NotFound, require_period
from scheduler.core.tabular import Column
from scheduler.models import Assignment, Duty, Lawyer, Roster
from scheduler.models.attendance import Attendance
from scheduler.models.rosters import utcnow
from scheduler.people.errors import STANDING
from scheduler.people.scope import EVERY_OFFICE, OfficeScope
from scheduler.rosters.versions import assignments_of, roster_for_day

STATUS_ZH = {"attended": "出勤", "late": "迟到", "absent": "缺勤", "substituted": "替班"}
_STATUS_WORDS = {
    "attended": ("attended", "出勤", "到岗", "已到", "正常"),
    "late": ("late", "迟到"),
    "absent": ("absent", "缺勤", "未到"),
    "substituted": ("substituted", "替班", "代班"),
}
STATUS_BY_WORD = {word.casefold(): status for status, words in _STATUS_WORDS.items() for word in words}

SIGN_IN_COLUMNS = (
    Column("duty_id", "值班编号", "duty_id", ("duty",)),
    Column("date", "日期", "date", ("值班日期",)),
    Column("office", "信访局", "office", ("office_code", "信访局代码")),
    Column("duty_type", "值班类型", "duty_type"),
    Column("licence_no", "执业证号", "licence_no", ("license_no", "licence", "license", "执业证号码")),
    Column("name", "姓名", "name", ("律师姓名",)),
    Column("status", "出勤情况", "status", ("出勤", "签到情况")),
    Column("substitute", "替班律师", "substitute", ("substitute_licence_no", "替班律师执业证号")),
    Column("note", "备注", "note"),
)


class _Refused(InputError):
    """A refusal that belongs to one column of a sign-in sheet (`column` is the column's key)."""

    def __init__(self, column: str, message: str | Message) -> None:
        super().__init__(message)
        self.column = column


def parse_status(word: str) -> str:
    """The status a clerk's word means (English or Chinese, see the module docstring)."""
    status = STATUS_BY_WORD.get(word.strip().casefold())
    if status is None:
        raise UnknownStatus(value=word.strip())
    return status


def find_lawyer(session: Session, ref: str | int) -> Lawyer:
    """A lawyer by id (a number), by licence number (17 digits), or by a name only one lawyer has."""
    text = str(ref).strip()
    if isinstance(ref, int) or (text.isdigit() and len(text) < 17):
        found = session.get(Lawyer, int(text))
        if found is None:
            raise NoLawyerId(value=text)
        return found
    if text.isdigit():
        found = session.scalar(select(Lawyer).where(Lawyer.licence_no == text))
        if found is None:
            raise NoLawyerWithLicence(value=text)
        return found
    named = session.scalars(select(Lawyer).where(Lawyer.name == text)).all()
    if len(named) != 1:
        if not named:
            raise NoLawyerNamed(name=text)
        raise SeveralLawyersNamed(count=len(named), name=text)
    return named[0]


def describe_duty(duty: Duty) -> Message:
    """`2026年3月4日 望谟县信访局 律师接待窗口值班`: how messages name a duty."""
    return DutyName(
        day=duty.date,
        office=Named(duty.office.name, duty.office.name_en),
        kind=Named(duty.duty_type.name_zh, duty.duty_type.name_en),
    )


def _who(lawyer: Lawyer) -> str:
    return f"{lawyer.name}（{lawyer.licence_no}）"


class _Teams:
    """Who the published roster puts on each duty; each roster is loaded once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tables: dict[int, dict[int, tuple[int, ...]]] = {}

    def of(self, duty: Duty) -> tuple[int, ...]:
        try:
            roster = roster_for_day(self.session, duty.date)
        except NotFound:
            raise _Refused("duty_id", NoRosterCovers(duty=describe_duty(duty), day=duty.date)) from None
        if roster.id not in self._tables:
            self._tables[roster.id] = assignments_of(roster)
        return self._tables[roster.id].get(duty.id, ())


def _check(
    session: Session,
    teams: _Teams,
    duty: Duty,
    lawyer: Lawyer,
    status: str,
    substitute: Lawyer | None,
    today: dt.date,
) -> None:
    """Refuse (with the column to blame) what cannot be recorded; return when the entry is valid."""
    if duty.date > today:
        raise _Refused("duty_id", DutyAhead(duty=describe_duty(duty), today=today))
    team = teams.of(duty)
    if lawyer.id not in team:
        names = [_who(lw) for lw in session.scalars(select(Lawyer).where(Lawyer.id.in_(team)))] or ["—"]
        raise _Refused("licence_no", NotOnDuty(lawyer=_who(lawyer), duty=describe_duty(duty), team=names))
    if status != "substituted":
        if substitute is not None:
            raise _Refused("substitute", SubstituteOnlyForSubstituted(status=STATUS_ZH[status]))
        return
    if substitute is None:
        raise _Refused("substitute", SubstituteMissing(lawyer=_who(lawyer), duty=describe_duty(duty)))
    if substitute.id == lawyer.id:
        raise _Refused("substitute", SubstituteSelf(lawyer=_who(lawyer)))
    if substitute.id in team:
        raise _Refused("substitute", SubstituteOnDuty(lawyer=_who(substitute), duty=describe_duty(duty)))
    standing = substitute.status_on(duty.date)
    if standing != "active":
        worded = STANDING[standing]() if standing in STANDING else standing
        raise _Refused("substitute", SubstituteNotActive(lawyer=_who(substitute), day=duty.date, standing=worded))
    other = session.scalar(
        select(Attendance).where(
            Attendance.duty_id == duty.id,
            Attendance.substitute_lawyer_id == substitute.id,
            Attendance.lawyer_id != lawyer.id,
        )
    )
    if other is not None:
        raise _Refused("substitute", SubstituteTwice(lawyer=_who(substitute), other=_who(other.lawyer)))


def _json(row: Attendance) -> dict[str, Any]:
    return {
        "duty_id": row.duty_id,
        "lawyer_id": row.lawyer_id,
        "status": row.status,
        "substitute_lawyer_id": row.substitute_lawyer_id,
        "note": row.note,
    }


def _store(
    session: Session,
    duty: Duty,
    lawyer: Lawyer,
    status: str,
    substitute: Lawyer | None,
    note: str,
    actor: str,
    why: str,
) -> tuple[Attendance, str]:
    """Write the entry and its audit event; returns it with 'created', 'corrected' or 'unchanged'."""
    row = session.scalar(select(Attendance).where(Attendance.duty_id == duty.id, Attendance.lawyer_id == lawyer.id))
    substitute_id = substitute.id if substitute else None
    wanted = {
        "duty_id": duty.id,
        "lawyer_id": lawyer.id,
        "status": status,
        "substitute_lawyer_id": substitute_id,
        "note": note,
    }
    if row is not None and _json(row) == wanted:
        return row, "unchanged"
    before = _json(row) if row is not None else None
    if row is None:
        row = Attendance(duty_id=duty.id, lawyer_id=lawyer.id)
        session.add(row)
    row.status, row.substitute_lawyer_id, row.note = status, substitute_id, note
    row.recorded_by, row.recorded_at = actor, utcnow()
    try:
        session.flush()
    except IntegrityError as exc:
        # The unique (duty, lawyer) caught another clerk recording the same lawyer at the same moment.
        raise RecordedMeanwhile(lawyer=_who(lawyer), duty=describe_duty(duty)) from exc
    action = "attendance.record" if before is None else "attendance.correct"
    record(session, actor, action, entity="attendance", entity_id=row.id, reason=why, before=before, after=wanted)
    return row, "created" if before is None else "corrected"


def record_attendance(
    session: Session,
    duty_id: int,
    lawyer: str | int,
    status: str,
    actor: str,
    *,
    substitute: str | int | None = None,
    note: str = "",
    today: dt.date | None = None,
) -> Attendance:
    """Record (or correct) how `lawyer` (id, licence number or unique name) did on a past duty.

    Refused with a message naming the duty and lawyer: an unknown duty or lawyer, a duty after `today`,
    a lawyer the published roster does not put on the duty, a substitute missing for 'substituted' or
    given for another status, a lawyer substituting for themselves or already on the duty.
    A correction changes the row and audits the before and after.
    """
    status = parse_status(status)
    note = note.strip()
    if len(note) > 500:
        raise NoteTooLong()
    found = session.get(Duty, duty_id)
    if found is None:
        raise DutyNotFound()
    who = find_lawyer(session, lawyer)
    stand_in = find_lawyer(session, substitute) if substitute not in (None, "") else None
    _check(session, _Teams(session), found, who, status, stand_in, today or dt.date.today())
    return _store(session, found, who, status, stand_in, note, actor, "")[0]


# What happened, as the reports and the fairness history read it.


@dataclass(frozen=True)
class Rostered:
    """A lawyer on a duty in the current published roster."""

    duty_id: int
    lawyer_id: int
    date: dt.date
    duty_type_id: int


@dataclass(frozen=True)
class Served:
    """A duty served: by the rostered lawyer (on time or late) or by a substitute in their place."""

    duty_id: int
    date: dt.date
    duty_type_id: int
    lawyer_id: int  # who served
    late: bool
    substitute_for: int | None  # the rostered lawyer, when `lawyer_id` was the substitute


def rostered(session: Session, start: dt.date, end: dt.date, scope: OfficeScope = EVERY_OFFICE) -> list[Rostered]:
    """Every lawyer the current published rosters put on a duty in [start, end] at an office `scope` holds."""
    rows = session.execute(
        select(Assignment.duty_id, Assignment.lawyer_id, Assignment.date, Duty.duty_type_id)
        .join(Roster, Assignment.roster_id == Roster.id)
        .join(Duty, Assignment.duty_id == Duty.id)
        .where(Roster.status == "published", Assignment.date.between(start, end), scope.clause(Duty.office_id))
        .order_by(Assignment.date, Assignment.duty_id, Assignment.lawyer_id)
    )
    return [Rostered(*row) for row in rows]


def recorded(session: Session, start: dt.date, end: dt.date, scope: OfficeScope = EVERY_OFFICE) -> list[Attendance]:
    """The attendance recorded for duties in [start, end] at offices `scope` holds, with their duties loaded."""
    return list(
        session.scalars(
            select(Attendance)
            .join(Duty, Attendance.duty_id == Duty.id)
            .where(Duty.date.between(start, end), scope.clause(Duty.office_id))
            .options(selectinload(Attendance.duty))
            .order_by(Duty.date, Attendance.duty_id, Attendance.lawyer_id)
        )
    )


def served(records: Iterable[Attendance]) -> list[Served]:
    """The duties served according to `records`: an absence is served by nobody."""
    result = []
    for row in records:
        if row.status == "absent":
            continue
        substituted = row.status == "substituted"
        result.append(
            Served(
                duty_id=row.duty_id,
                date=row.duty.date,
                duty_type_id=row.duty.duty_type_id,
                lawyer_id=row.substitute_lawyer_id if substituted and row.substitute_lawyer_id else row.lawyer_id,
                late=row.status == "late",
                substitute_for=row.lawyer_id if substituted else None,
            )
        )
    return result


# Listing and sign-in sheets.


@dataclass(frozen=True)
class DutyAttendance:
    """One rostered lawyer on one published duty, with what was recorded (status None: nothing yet)."""

    duty_id: int
    date: dt.date
    office: str
    duty_type: str
    lawyer_id: int
    name: str
    licence_no: str
    status: str | None
    substitute: Lawyer | None
    note: str


def attendance_between(session: Session, start: dt.date, end: dt.date) -> list[DutyAttendance]:
    """Every rostered lawyer on the published duties in [start, end], by date, duty and licence."""
    require_period(start, end)
    entries = {(r.duty_id, r.lawyer_id): r for r in recorded(session, start, end)}
    pairs = rostered(session, start, end)
    duties = {
        d.id: d
        for d in session.scalars(
            select(Duty)
            .where(Duty.id.in_({p.duty_id for p in pairs}))
            .options(selectinload(Duty.office), selectinload(Duty.duty_type))
        )
    }
    lawyers = {lw.id: lw for lw in session.scalars(select(Lawyer).where(Lawyer.id.in_({p.lawyer_id for p in pairs})))}
    lines = []
    for p in pairs:
        duty, lawyer, entry = duties[p.duty_id], lawyers[p.lawyer_id], entries.get((p.duty_id, p.lawyer_id))
        lines.append(
            DutyAttendance(
                duty_id=duty.id,
                date=duty.date,
                office=duty.office.name,
                duty_type=duty.duty_type.name_zh,
                lawyer_id=lawyer.id,
                name=lawyer.name,
                licence_no=lawyer.licence_no,
                status=entry.status if entry else None,
                substitute=entry.substitute if entry else None,
                note=entry.note if entry else "",
            )
        )
    return sorted(lines, key=lambda line: (line.date, line.duty_id, line.licence_no))
