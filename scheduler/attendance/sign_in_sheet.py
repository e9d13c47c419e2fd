"""Sign-in sheets (签到表): write one for a period to fill in, and import a filled one.

See scheduler.attendance.records for the columns and the statuses a sheet may hold.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.attendance.messages import (
    AnyDuty,
    DutyMissing,
    DutyOnOtherDay,
    InRowToo,
    LawyerMissing,
    LicenceIsOther,
    LicenceStoredAsNumber,
    NamedNone,
    NamedSeveral,
    NoDutyOn,
    NoLawyerLicence,
    NoSuchDutyNumber,
    NotOnAny,
    SeveralDuties,
    SheetNeedsDuty,
    SheetNeedsLawyer,
    SubstitutesInRow,
    TwoNamed,
    UnknownOfficeText,
    UnknownStatusWord,
)
from scheduler.attendance.records import (
    SIGN_IN_COLUMNS,
    STATUS_BY_WORD,
    STATUS_ZH,
    _check,
    _Refused,
    _store,
    _Teams,
    _who,
    attendance_between,
    describe_duty,
)
from scheduler.core import tabular
from scheduler.core.dates import NotADate
from scheduler.core.errors import InputError, Message
from scheduler.core.licence import licence_problem
from scheduler.core.tabular import Sheet
from scheduler.core.tabular_errors import BadCell, NotWholeNumber, NumberRequired, TooLong
from scheduler.models import Duty, Lawyer, Office


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
        raise SheetNeedsDuty(file=path.name)
    if "licence_no" not in sheet.headers and "name" not in sheet.headers:
        raise SheetNeedsLawyer(file=path.name)
    reader = _SheetReader(session, sheet, today or dt.date.today())
    entries = [entry for row in sheet.rows if (entry := reader.entry(row)) is not None]
    seen: dict[tuple[int, int], int] = {}
    stand_ins: dict[tuple[int, int], int] = {}
    for e in entries:
        key = (e.duty.id, e.lawyer.id)
        if key in seen:
            reader.problem(
                e.number, "licence_no", InRowToo(lawyer=_who(e.lawyer), duty=describe_duty(e.duty), row=seen[key])
            )
        seen.setdefault(key, e.number)
        if e.substitute is not None:
            used = (e.duty.id, e.substitute.id)
            if used in stand_ins:
                reader.problem(e.number, "substitute", SubstitutesInRow(lawyer=_who(e.substitute), row=stand_ins[used]))
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

    def problem(self, number: int, key: str, reason: Message | InputError) -> None:
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
            self.problem(row.number, "status", UnknownStatusWord(value=word))
        try:
            note = tabular.text(cells.get("note"), 500)
        except TooLong as exc:
            self.problem(row.number, "note", exc)
        try:
            duty, lawyer = self._duty(cells, self._lawyer(cells))
            substitute = self._substitute(cells)
            if status is not None:
                _check(self.session, self.teams, duty, lawyer, status, substitute, self.today)
        except _Refused as exc:
            self.problem(row.number, exc.column, exc)
        if len(self.sheet.problems) > problems or status is None:
            return None
        return _Entry(row.number, duty, lawyer, status, substitute, note)

    def _lawyer(self, cells: dict[str, object]) -> Lawyer | str:
        """The lawyer of a licence number, or the bare name to look up among the duty's lawyers."""
        licence, name = tabular.text(cells.get("licence_no")), tabular.text(cells.get("name"))
        if isinstance(cells.get("licence_no"), int | float):
            raise _Refused("licence_no", LicenceStoredAsNumber())
        if licence:
            problem = licence_problem(licence)
            if problem:
                raise _Refused("licence_no", problem)
            lawyer = self.lawyers.get(licence)
            if lawyer is None:
                raise _Refused("licence_no", NoLawyerLicence(value=licence))
            if name and name != lawyer.name:
                raise _Refused("name", LicenceIsOther(value=licence, owner=lawyer.name, name=name))
            return lawyer
        if not name:
            raise _Refused("licence_no", LawyerMissing())
        return name

    def _duty(self, cells: dict[str, object], lawyer: Lawyer | str) -> tuple[Duty, Lawyer]:
        """The duty of the row and its rostered lawyer (a bare name is resolved among the duty's lawyers)."""
        day = self._date(cells)
        if tabular.text(cells.get("duty_id")):
            try:
                duty_id = tabular.whole_number(cells.get("duty_id"))
            except NotWholeNumber as exc:
                raise _Refused("duty_id", exc.message) from None
            except NumberRequired as exc:
                raise _Refused("duty_id", exc.message) from None
            duty = self.session.get(Duty, duty_id)
            if duty is None:
                raise _Refused("duty_id", NoSuchDutyNumber(value=duty_id))
            if day is not None and day != duty.date:
                raise _Refused("date", DutyOnOtherDay(value=duty_id, day=duty.date, typed=day))
            candidates = [duty]
        elif day is None:
            raise _Refused("duty_id", DutyMissing())
        else:
            candidates = self._duties_on(day, cells)
        matches = [(d, lw) for d in candidates if (lw := self._on(d, lawyer)) is not None]
        if len(candidates) == 1 and not matches and isinstance(lawyer, Lawyer):
            return candidates[0], lawyer  # _check then names the lawyers who are on it
        if not matches:
            who = lawyer if isinstance(lawyer, str) else _who(lawyer)
            raise _Refused("licence_no", NotOnAny(lawyer=who, duties=[describe_duty(d) for d in candidates]))
        if len(matches) > 1:
            # The duty numbers are those of the sign-in sheet's 值班编号 column, which the clerk sees.
            raise _Refused("duty_id", SeveralDuties(duties=[d.id for d, _ in matches]))
        return matches[0]

    def _date(self, cells: dict[str, object]) -> dt.date | None:
        if not tabular.text(cells.get("date")) and not isinstance(cells.get("date"), dt.date):
            return None
        try:
            return tabular.date(cells.get("date"))
        except (NotADate, BadCell) as exc:
            raise _Refused("date", exc.message) from None

    def _duties_on(self, day: dt.date, cells: dict[str, object]) -> list[Duty]:
        query = select(Duty).where(Duty.date == day).order_by(Duty.id)
        office_text = tabular.text(cells.get("office"))
        if office_text:
            offices = [o.id for o in self.offices if office_text in (o.code, o.name)]
            if not offices:
                raise _Refused("office", UnknownOfficeText(value=office_text))
            query = query.where(Duty.office_id.in_(offices))
        kind = tabular.text(cells.get("duty_type"))
        duties = [d for d in self.session.scalars(query) if not kind or kind in (d.duty_type.code, d.duty_type.name_zh)]
        if not duties:
            raise _Refused("date", NoDutyOn(day=day, office=office_text, kind=kind or AnyDuty()))
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
            raise _Refused("name", TwoNamed(duty=describe_duty(duty), name=lawyer))
        return named[0] if named else None

    def _substitute(self, cells: dict[str, object]) -> Lawyer | None:
        ref = tabular.text(cells.get("substitute"))
        if not ref:
            return None
        if ref.isdigit() and len(ref) == 17:
            found = self.lawyers.get(ref)
            if found is None:
                raise _Refused("substitute", NoLawyerLicence(value=ref))
            return found
        named = [lw for lw in self.lawyers.values() if lw.name == ref]
        if len(named) != 1:
            if not named:
                raise _Refused("substitute", NamedNone(name=ref))
            raise _Refused("substitute", NamedSeveral(count=len(named), name=ref))
        return named[0]
