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
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.core import tabular
from scheduler.core.errors import Conflict, InputError, NotFound
from scheduler.core.licence import licence_problem
from scheduler.core.tabular import Column, Sheet
from scheduler.models import Assignment, Duty, Lawyer, Office, Roster
from scheduler.models.attendance import Attendance
from scheduler.models.rosters import utcnow
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

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def parse_status(word: str) -> str:
    """The status a clerk's word means (English or Chinese, see the module docstring)."""
    status = STATUS_BY_WORD.get(word.strip().casefold())
    if status is None:
        choices = "attended, late, absent or substituted (出勤、迟到、缺勤、替班)"
        raise InputError(f"unknown attendance status {word.strip()!r}; use {choices}")
    return status


def find_lawyer(session: Session, ref: str | int) -> Lawyer:
    """A lawyer by id (a number), by licence number (17 digits), or by a name only one lawyer has."""
    text = str(ref).strip()
    if isinstance(ref, int) or (text.isdigit() and len(text) < 17):
        found = session.get(Lawyer, int(text))
        if found is None:
            raise NotFound(f"no lawyer with id {text}")
        return found
    if text.isdigit():
        found = session.scalar(select(Lawyer).where(Lawyer.licence_no == text))
        if found is None:
            raise NotFound(f"no lawyer with licence number {text}")
        return found
    named = session.scalars(select(Lawyer).where(Lawyer.name == text)).all()
    if len(named) != 1:
        what = "no lawyer" if not named else f"{len(named)} lawyers"
        raise NotFound(f"{what} named {text!r}; give the licence number")
    return named[0]


def describe_duty(duty: Duty) -> str:
    """`duty 5 (2026-03-04 望谟县信访局 律师接待窗口值班)`: how messages name a duty."""
    return f"duty {duty.id} ({duty.date} {duty.office.name} {duty.duty_type.name_zh})"


def _who(lawyer: Lawyer) -> str:
    return f"{lawyer.name} ({lawyer.licence_no})"


class _Teams:
    """Who the published roster puts on each duty; each roster is loaded once per import."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tables: dict[int, dict[int, tuple[int, ...]]] = {}

    def of(self, duty: Duty) -> tuple[int, ...]:
        try:
            roster = roster_for_day(self.session, duty.date)
        except NotFound:
            raise _Refused("duty_id", f"{describe_duty(duty)}: no published roster covers {duty.date}") from None
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
        raise _Refused(
            "duty_id", f"{describe_duty(duty)} is after today ({today}); attendance is recorded once a duty has passed"
        )
    team = teams.of(duty)
    if lawyer.id not in team:
        names = ", ".join(_who(lw) for lw in session.scalars(select(Lawyer).where(Lawyer.id.in_(team)))) or "nobody"
        raise _Refused(
            "licence_no", f"{_who(lawyer)} is not on {describe_duty(duty)} in the published roster (on it: {names})"
        )
    if status != "substituted":
        if substitute is not None:
            raise _Refused("substitute", f"a substitute is named only for a substituted duty, not for {status}")
        return
    if substitute is None:
        raise _Refused(
            "substitute", f"{_who(lawyer)} on {describe_duty(duty)}: a substituted duty needs its substitute"
        )
    if substitute.id == lawyer.id:
        raise _Refused("substitute", f"{_who(lawyer)} cannot substitute for themselves")
    if substitute.id in team:
        raise _Refused("substitute", f"{_who(substitute)} is on {describe_duty(duty)} already, so cannot substitute")
    standing = substitute.status_on(duty.date)
    if standing != "active":
        raise _Refused("substitute", f"{_who(substitute)} is {standing} on {duty.date} and cannot substitute")
    other = session.scalar(
        select(Attendance).where(
            Attendance.duty_id == duty.id,
            Attendance.substitute_lawyer_id == substitute.id,
            Attendance.lawyer_id != lawyer.id,
        )
    )
    if other is not None:
        raise _Refused("substitute", f"{_who(substitute)} already substitutes for {_who(other.lawyer)} on this duty")


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
        raise Conflict(
            f"the attendance of {_who(lawyer)} on {describe_duty(duty)} was recorded by someone else meanwhile; "
            "reload and record it again"
        ) from exc
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
        raise InputError("the note is longer than 500 characters")
    found = session.get(Duty, duty_id)
    if found is None:
        raise NotFound(f"duty {duty_id} does not exist")
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


def rostered(session: Session, start: dt.date, end: dt.date) -> list[Rostered]:
    """Every lawyer the current published rosters put on a duty in [start, end]."""
    rows = session.execute(
        select(Assignment.duty_id, Assignment.lawyer_id, Assignment.date, Duty.duty_type_id)
        .join(Roster, Assignment.roster_id == Roster.id)
        .join(Duty, Assignment.duty_id == Duty.id)
        .where(Roster.status == "published", Assignment.date.between(start, end))
        .order_by(Assignment.date, Assignment.duty_id, Assignment.lawyer_id)
    )
    return [Rostered(*row) for row in rows]


def recorded(session: Session, start: dt.date, end: dt.date) -> list[Attendance]:
    """The attendance recorded for duties in [start, end], with their duties loaded."""
    return list(
        session.scalars(
            select(Attendance)
            .join(Duty, Attendance.duty_id == Duty.id)
            .where(Duty.date.between(start, end))
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
    if end < start:
        raise InputError(f"the period ends ({end}) before it starts ({start})")
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


def write_sign_in_sheet(session: Session, path: Path, start: dt.date, end: dt.date) -> int:
    """Write the period's rostered lawyers as a sign-in sheet (Chinese headers) that import reads back.

    Recorded statuses are filled in; the clerk fills the rest. Returns the number of rows written.
    """
    lines = attendance_between(session, start, end)
    rows = [
        [
            line.duty_id,
            line.date,
            line.office,
            line.duty_type,
            line.licence_no,
            line.name,
            STATUS_ZH[line.status] if line.status else "",
            line.substitute.licence_no if line.substitute else "",
            line.note,
        ]
        for line in lines
    ]
    tabular.write_sheet(path, [c.zh for c in SIGN_IN_COLUMNS], rows)
    return len(rows)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: entries created, corrected, unchanged, and rows skipped for an empty status."""

    created: int = 0
    corrected: int = 0
    unchanged: int = 0
    skipped: int = 0


@dataclass(frozen=True)
class _Entry:
    number: int
    duty: Duty
    lawyer: Lawyer
    status: str
    substitute: Lawyer | None
    note: str


def import_sign_in_sheet(session: Session, path: Path, actor: str, *, today: dt.date | None = None) -> ImportResult:
    """Record the attendance listed in a sign-in sheet (see the module docstring for its columns).

    Writes nothing and raises InputError listing every problem (row, column, reason) unless every row
    is valid; each created or corrected entry gets its own audit event.
    """
    sheet = tabular.read_sheet(path, SIGN_IN_COLUMNS)
    if "duty_id" not in sheet.headers and "date" not in sheet.headers:
        raise InputError(f"{path.name}: a sign-in sheet needs the column 值班编号/duty_id or 日期/date")
    if "licence_no" not in sheet.headers and "name" not in sheet.headers:
        raise InputError(f"{path.name}: a sign-in sheet needs the column 执业证号/licence_no or 姓名/name")
    reader = _SheetReader(session, sheet, today or dt.date.today())
    entries = [entry for row in sheet.rows if (entry := reader.entry(row)) is not None]
    seen: dict[tuple[int, int], int] = {}
    stand_ins: dict[tuple[int, int], int] = {}
    for e in entries:
        key = (e.duty.id, e.lawyer.id)
        if key in seen:
            reader.problem(e.number, "licence_no", f"{_who(e.lawyer)} on duty {e.duty.id} is in row {seen[key]} too")
        seen.setdefault(key, e.number)
        if e.substitute is not None:
            used = (e.duty.id, e.substitute.id)
            if used in stand_ins:
                reader.problem(
                    e.number, "substitute", f"{_who(e.substitute)} substitutes on this duty in row {stand_ins[used]}"
                )
            stand_ins.setdefault(used, e.number)
    sheet.raise_problems("attendance entries")

    why = f"imported from {path.name}"
    counts = {"created": 0, "corrected": 0, "unchanged": 0}
    for e in entries:
        counts[_store(session, e.duty, e.lawyer, e.status, e.substitute, e.note, actor, why)[1]] += 1
    return ImportResult(counts["created"], counts["corrected"], counts["unchanged"], reader.skipped)


# Where a problem shows when its own column is not in the file.
_FALLBACK_COLUMNS = {
    "duty_id": ("duty_id", "date", "office"),
    "licence_no": ("licence_no", "name"),
    "substitute": ("substitute", "status"),
}


class _SheetReader:
    """Turns sign-in sheet rows into checked entries, noting each problem on the sheet."""

    def __init__(self, session: Session, sheet: Sheet, today: dt.date) -> None:
        self.session, self.sheet, self.today = session, sheet, today
        self.teams = _Teams(session)
        self.skipped = 0
        self.lawyers = {lw.licence_no: lw for lw in session.scalars(select(Lawyer))}
        self.offices = list(session.scalars(select(Office)))

    def problem(self, number: int, key: str, reason: str) -> None:
        columns = [k for k in _FALLBACK_COLUMNS.get(key, (key,)) if k in self.sheet.headers]
        self.sheet.problem(number, columns[0] if columns else next(iter(self.sheet.headers)), reason)

    def entry(self, row: tabular.Row) -> _Entry | None:
        """The row's checked entry; None (with its problems noted) when it is not valid or has no status."""
        cells = row.cells
        word = tabular.text(cells.get("status"))
        if not word:
            self.skipped += 1
            return None
        problems = len(self.sheet.problems)
        status = STATUS_BY_WORD.get(word.casefold())
        if status is None:
            self.problem(row.number, "status", f"unknown status {word!r}; write 出勤, 迟到, 缺勤 or 替班")
        try:
            note = tabular.text(cells.get("note"), 500)
        except ValueError as exc:
            self.problem(row.number, "note", str(exc))
        try:
            duty, lawyer = self._duty(cells, self._lawyer(cells))
            substitute = self._substitute(cells)
            if status is not None:
                _check(self.session, self.teams, duty, lawyer, status, substitute, self.today)
        except _Refused as exc:
            self.problem(row.number, exc.column, str(exc))
        if len(self.sheet.problems) > problems or status is None:
            return None
        return _Entry(row.number, duty, lawyer, status, substitute, note)

    def _lawyer(self, cells: dict[str, object]) -> Lawyer | str:
        """The lawyer of a licence number, or the bare name to look up among the duty's lawyers."""
        licence, name = tabular.text(cells.get("licence_no")), tabular.text(cells.get("name"))
        if isinstance(cells.get("licence_no"), int | float):
            raise _Refused("licence_no", "the licence number is stored as a number, which Excel rounds; use text")
        if licence:
            problem = licence_problem(licence)
            if problem:
                raise _Refused("licence_no", problem)
            lawyer = self.lawyers.get(licence)
            if lawyer is None:
                raise _Refused("licence_no", f"no lawyer has licence number {licence}")
            if name and name != lawyer.name:
                raise _Refused("name", f"licence number {licence} is {lawyer.name}'s, not {name}'s")
            return lawyer
        if not name:
            raise _Refused("licence_no", "the lawyer is missing: give the licence number or the name")
        return name

    def _duty(self, cells: dict[str, object], lawyer: Lawyer | str) -> tuple[Duty, Lawyer]:
        """The duty of the row and its rostered lawyer (a bare name is resolved among the duty's lawyers)."""
        day = self._date(cells)
        if tabular.text(cells.get("duty_id")):
            try:
                duty_id = tabular.whole_number(cells.get("duty_id"))
            except ValueError as exc:
                raise _Refused("duty_id", str(exc)) from None
            duty = self.session.get(Duty, duty_id)
            if duty is None:
                raise _Refused("duty_id", f"duty {duty_id} does not exist")
            if day is not None and day != duty.date:
                raise _Refused("date", f"duty {duty_id} is on {duty.date}, not {day}")
            candidates = [duty]
        elif day is None:
            raise _Refused("duty_id", "the duty is missing: give 值班编号/duty_id or 日期/date")
        else:
            candidates = self._duties_on(day, cells)
        matches = [(d, lw) for d in candidates if (lw := self._on(d, lawyer)) is not None]
        if len(candidates) == 1 and not matches and isinstance(lawyer, Lawyer):
            return candidates[0], lawyer  # _check then names the lawyers who are on it
        if not matches:
            who = lawyer if isinstance(lawyer, str) else _who(lawyer)
            where = ", ".join(describe_duty(d) for d in candidates)
            raise _Refused("licence_no", f"{who} is not on {where} in the published roster")
        if len(matches) > 1:
            where = ", ".join(str(d.id) for d, _ in matches)
            raise _Refused("duty_id", f"several duties match (duties {where}); give 值班编号/duty_id")
        return matches[0]

    def _date(self, cells: dict[str, object]) -> dt.date | None:
        if not tabular.text(cells.get("date")) and not isinstance(cells.get("date"), dt.date):
            return None
        try:
            return tabular.date(cells.get("date"))
        except ValueError as exc:
            raise _Refused("date", str(exc)) from None

    def _duties_on(self, day: dt.date, cells: dict[str, object]) -> list[Duty]:
        query = select(Duty).where(Duty.date == day).order_by(Duty.id)
        office_text = tabular.text(cells.get("office"))
        if office_text:
            offices = [o.id for o in self.offices if office_text in (o.code, o.name)]
            if not offices:
                raise _Refused("office", f"unknown office {office_text!r} (give its code or name)")
            query = query.where(Duty.office_id.in_(offices))
        kind = tabular.text(cells.get("duty_type"))
        duties = [d for d in self.session.scalars(query) if not kind or kind in (d.duty_type.code, d.duty_type.name_zh)]
        if not duties:
            where = f" at {office_text}" if office_text else ""
            raise _Refused("date", f"no {kind or 'duty'} on {day}{where}")
        return duties

    def _on(self, duty: Duty, lawyer: Lawyer | str) -> Lawyer | None:
        """`lawyer` when the roster puts them on `duty` (a name must match exactly one lawyer there)."""
        try:
            team = self.teams.of(duty)
        except _Refused:
            return None
        if isinstance(lawyer, Lawyer):
            return lawyer if lawyer.id in team else None
        named = [lw for lw in self.lawyers.values() if lw.id in team and lw.name == lawyer]
        if len(named) > 1:
            raise _Refused("name", f"two lawyers named {lawyer} are on {describe_duty(duty)}; give the licence number")
        return named[0] if named else None

    def _substitute(self, cells: dict[str, object]) -> Lawyer | None:
        ref = tabular.text(cells.get("substitute"))
        if not ref:
            return None
        if ref.isdigit() and len(ref) == 17:
            found = self.lawyers.get(ref)
            if found is None:
                raise _Refused("substitute", f"no lawyer has licence number {ref}")
            return found
        named = [lw for lw in self.lawyers.values() if lw.name == ref]
        if len(named) != 1:
            what = "no lawyer is" if not named else f"{len(named)} lawyers are"
            raise _Refused("substitute", f"{what} named {ref!r}; give the substitute's licence number")
        return named[0]
