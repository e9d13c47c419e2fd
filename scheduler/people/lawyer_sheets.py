"""Lawyers and their unavailability in and out of spreadsheets (.csv or .xlsx), as bureaus keep them.

Headers may be Chinese or English (case and surrounding spaces ignored; a space or hyphen may stand
for an underscore). Required columns are marked *.

  lawyers:        姓名/name*, 执业证号/licence_no* (also license_no, licence, license, 执业证号码),
                  律师事务所/firm* (also 律所), 统一社会信用代码/firm_credit_code (also credit_code),
                  电话/phone (also 手机, 联系电话), 邮箱/email (also 电子邮箱), 首次执业年份/first_practice_year*,
                  专业领域/specialties, 语言/languages, 可服务信访局/offices (names or codes),
                  每月最多值班/max_per_month, 希望值班日/preferred_weekdays, 不希望值班日/undesired_weekdays
  unavailability: 执业证号/licence_no*, 姓名/name (checked against the lawyer's name), 开始日期/start*,
                  结束日期/end*, 原因/reason

A cell listing several values separates them with ; ， 、 or , (full-width or not); office codes and
weekdays may also be separated by spaces. Weekdays are written 周一..周日 (also 周天), 星期一..星期日
(also 星期天), 礼拜一..礼拜日 (also 礼拜天), mon..sun, monday..sunday, or 1..7 with 1 = Monday.
Dates are YYYY-MM-DD (also YYYY/M/D) or date cells in .xlsx. An .xlsx file is read from its first sheet.

Importing is all or nothing: every row is checked first and every problem is reported together.
A licence number already known updates that lawyer; a column left out of the file leaves that field
as it is (a new lawyer gets the default). An unknown firm is created when its credit code is given.
Each created or changed lawyer, created firm and added unavailability gets its own audit event.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.core import tabular
from scheduler.core.errors import Message
from scheduler.core.languages import name_en, name_zh, to_codes
from scheduler.core.licence import credit_code_problem, licence_problem, licence_warnings
from scheduler.core.tabular import Cell, Column, Sheet
from scheduler.core.tabular_errors import CellRefused, TooLong
from scheduler.models import LawFirm, Lawyer, Office
from scheduler.people.sheet_errors import (
    AlsoPreferred,
    CodeBelongsTo,
    CreditCodeWithoutFirm,
    FirmCodeInRow,
    FirmHasCode,
    HeaderLanguage,
    LicenceAsNumber,
    LicenceTwice,
    MonthlyLimit,
    NameRequired,
    NotEmail,
    PracticeYear,
    RowWarning,
    UnknownFirm,
    UnknownOffices,
    UnknownWeekday,
)

LANGUAGES = ("zh", "en")
LICENCE_ALIASES = ("license_no", "licence", "license", "执业证号码")

LAWYER_COLUMNS = (
    Column("name", "姓名", "name", required=True),
    Column("licence_no", "执业证号", "licence_no", LICENCE_ALIASES, required=True),
    Column("firm", "律师事务所", "firm", ("律所",), required=True),
    Column("firm_credit_code", "统一社会信用代码", "firm_credit_code", ("credit_code",)),
    Column("phone", "电话", "phone", ("手机", "联系电话")),
    Column("email", "邮箱", "email", ("电子邮箱",)),
    Column("first_practice_year", "首次执业年份", "first_practice_year", required=True),
    Column("specialties", "专业领域", "specialties"),
    Column("languages", "语言", "languages"),
    Column("offices", "可服务信访局", "offices"),
    Column("max_per_month", "每月最多值班", "max_per_month"),
    Column("preferred_weekdays", "希望值班日", "preferred_weekdays"),
    Column("undesired_weekdays", "不希望值班日", "undesired_weekdays"),
)
UNAVAILABILITY_COLUMNS = (
    Column("licence_no", "执业证号", "licence_no", LICENCE_ALIASES, required=True),
    Column("name", "姓名", "name"),
    Column("start", "开始日期", "start", required=True),
    Column("end", "结束日期", "end", required=True),
    Column("reason", "原因", "reason"),
)

WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_NAMES = {
    name: day
    for day in range(7)
    for name in (
        WEEKDAYS_EN[day],
        _FULL_EN[day],
        str(day + 1),
        *(prefix + "一二三四五六日"[day] for prefix in ("周", "星期", "礼拜")),
        *((prefix + "天" for prefix in ("周", "星期", "礼拜")) if day == 6 else ()),
    )
}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Unavailability outside these years is a typo (2206 for 2026), not a plan.
PLAUSIBLE_YEARS = range(2000, 2100)


@dataclass(frozen=True)
class ImportResult:
    """What an import did. For unavailability, `created` counts added periods, `unchanged` those present."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    firms_created: int = 0
    warnings: tuple[Message, ...] = ()
    # The lawyers of the rows, in row order (for the API's answer).
    lawyer_ids: tuple[int, ...] = ()


# Cells of one column each: the value, or ValueError with a reason a clerk understands.


def weekdays(cell: Cell) -> list[int]:
    """Weekdays as numbers 0 = Monday .. 6 = Sunday, in the order written (see the module docstring)."""
    days: list[int] = []
    unknown: list[str] = []
    for item in tabular.items(cell, split_on_spaces=True):
        day = WEEKDAY_NAMES.get(item.casefold())
        if day is None:
            unknown.append(item)
        elif day not in days:
            days.append(day)
    if unknown:
        raise UnknownWeekday(value=unknown)
    return days


def _licence(cell: Cell) -> str:
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        # Excel keeps 15 significant digits of a number, so the last digits of the licence are already lost.
        raise LicenceAsNumber()
    number = tabular.text(cell)
    problem = licence_problem(number)
    if problem:
        raise CellRefused(problem)
    return number


def _name(cell: Cell) -> str:
    name = tabular.text(cell, 60)
    if not name:
        raise NameRequired()
    return name


def _email(cell: Cell) -> str:
    email = tabular.text(cell, 120)
    if email and not EMAIL.match(email):
        raise NotEmail(value=email)
    return email


def _credit_code(cell: Cell) -> str:
    code = tabular.text(cell).upper()
    problem = credit_code_problem(code) if code else None
    if problem:
        raise CellRefused(problem)
    return code


def _max_per_month(cell: Cell) -> int:
    number = tabular.whole_number(cell)
    if not 0 <= number <= 31:
        raise MonthlyLimit(value=number)
    return number


def _practice_year(cell: Cell) -> int:
    year = tabular.whole_number(cell)
    this_year = dt.date.today().year
    if not 1950 <= year <= this_year:
        raise PracticeYear(value=year, last=this_year)
    return year


def _names(max_length: int) -> Callable[[Cell], list[str]]:
    # Duties name a specialty or language in a short column; a longer one could never match.
    def parse(cell: Cell) -> list[str]:
        found = tabular.items(cell)
        too_long = [item for item in found if len(item) > max_length]
        if too_long:
            raise TooLong(value=too_long[0], limit=max_length)
        return found

    return parse


def _languages(cell: Cell) -> list[str]:
    # Every spelling a clerk may type (布依话, Buyi) becomes the code offices and duties ask for.
    return to_codes(tabular.items(cell))


LAWYER_PARSERS: dict[str, Callable[[Cell], Any]] = {
    "name": _name,
    "licence_no": _licence,
    "firm": lambda cell: tabular.text(cell, 120),
    "firm_credit_code": _credit_code,
    "phone": lambda cell: tabular.text(cell, 40),
    "email": _email,
    "first_practice_year": _practice_year,
    "specialties": _names(40),
    "languages": _languages,
    "offices": lambda cell: tabular.items(cell, split_on_spaces=True),
    "max_per_month": _max_per_month,
    "preferred_weekdays": weekdays,
    "undesired_weekdays": weekdays,
}
UNAVAILABILITY_PARSERS: dict[str, Callable[[Cell], Any]] = {
    "licence_no": _licence,
    "name": lambda cell: tabular.text(cell, 60),
    "start": tabular.date,
    "end": tabular.date,
    "reason": lambda cell: tabular.text(cell, 200),
}


def _parse(sheet: Sheet, parsers: dict[str, Callable[[Cell], Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Each row's values by column; a bad cell is noted on the sheet and left out of its row."""
    parsed = []
    for row in sheet.rows:
        values: dict[str, Any] = {}
        for key, cell in row.cells.items():
            try:
                values[key] = parsers[key](cell)
            except ValueError as exc:
                sheet.problem(row.number, key, exc)
        parsed.append((row.number, values))
    return parsed


# Lawyers.


def import_lawyers(session: Session, path: Path, actor: str = "cli") -> ImportResult:
    """Create or update the lawyers listed in `path`, keyed by licence number.

    Writes nothing and raises InputError listing every bad cell (row, column, reason) unless every
    row is valid; the caller's transaction then holds the whole import.
    """
    return import_lawyer_rows(session, tabular.read_sheet(path, LAWYER_COLUMNS), actor, f"imported from {path.name}")


def import_lawyer_rows(session: Session, sheet: Sheet, actor: str, reason: str) -> ImportResult:
    """Create or update the lawyers of `sheet`'s rows (a file's, or an API body's), all or nothing.

    The checks of a spreadsheet import, whatever the rows came from: SheetProblems names every bad cell."""
    rows = _parse(sheet, LAWYER_PARSERS)
    offices = {key: o for o in session.scalars(select(Office)) for key in (o.code, o.name)}  # by code or by name
    firms = {f.name: f for f in session.scalars(select(LawFirm))}
    new_firms = _new_firms(sheet, rows, firms)
    seen: dict[str, int] = {}
    for number, values in rows:
        licence = values.get("licence_no")
        if licence in seen:
            sheet.problem(number, "licence_no", LicenceTwice(value=licence, row=seen[licence]))
        elif licence:
            seen[licence] = number
        unknown = [code for code in values.get("offices", []) if code not in offices]
        if unknown:
            known = sorted({o.code for o in offices.values()}) or ["—"]
            sheet.problem(number, "offices", UnknownOffices(value=unknown, known=known))
        both = set(values.get("preferred_weekdays", [])) & set(values.get("undesired_weekdays", []))
        if both:
            days = [WEEKDAYS_ZH[d] for d in sorted(both)]
            sheet.problem(number, "undesired_weekdays", AlsoPreferred(value=days))
    sheet.raise_problems("lawyers")

    for name, code in new_firms.items():
        firms[name] = LawFirm(name=name, credit_code=code)
        session.add(firms[name])
    existing = {
        lawyer.licence_no: lawyer
        for lawyer in session.scalars(select(Lawyer).options(selectinload(Lawyer.offices), selectinload(Lawyer.firm)))
    }
    changes: list[tuple[Lawyer, dict[str, Any] | None]] = []
    warnings: list[Message] = []
    for number, values in rows:
        lawyer = existing.get(values["licence_no"])
        before = _lawyer_json(lawyer) if lawyer else None
        if lawyer is None:
            lawyer = Lawyer(licence_no=values["licence_no"], calendar_token=secrets.token_urlsafe(24))
            session.add(lawyer)
            found = licence_warnings(lawyer.licence_no)
            warnings += [RowWarning(file=sheet.path.name, row=number, reason=w) for w in found]
        _apply(lawyer, values, firms, offices)
        changes.append((lawyer, before))
    session.flush()

    for name in new_firms:
        firm = firms[name]
        after = {"name": firm.name, "credit_code": firm.credit_code}
        record(session, actor, "law_firms.create", entity="law_firm", entity_id=firm.id, reason=reason, after=after)
    created = updated = 0
    for lawyer, before in changes:
        after = _lawyer_json(lawyer)
        if before is None:
            created += 1
            record(session, actor, "lawyers.create", entity="lawyer", entity_id=lawyer.id, reason=reason, after=after)
        elif before != after:
            updated += 1
            changed = [key for key in after if before[key] != after[key]]
            record(
                session,
                actor,
                "lawyers.update",
                entity="lawyer",
                entity_id=lawyer.id,
                reason=reason,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    session.flush()
    ids = tuple(lawyer.id for lawyer, _before in changes)
    return ImportResult(created, updated, len(changes) - created - updated, len(new_firms), tuple(warnings), ids)


def _new_firms(sheet: Sheet, rows: list[tuple[int, dict[str, Any]]], firms: dict[str, LawFirm]) -> dict[str, str]:
    """The firms to create (name -> credit code), noting firms that are unknown or contradict each other."""
    by_code = {f.credit_code: f.name for f in firms.values()}
    new: dict[str, str] = {}
    given_in: dict[str, int] = {}
    for number, values in rows:
        name, code = values.get("firm", ""), values.get("firm_credit_code", "")
        if not code:
            continue
        if not name:
            sheet.problem(number, "firm_credit_code", CreditCodeWithoutFirm())
        elif name in firms and firms[name].credit_code != code:
            sheet.problem(number, "firm_credit_code", FirmHasCode(firm=name, known=firms[name].credit_code, value=code))
        elif name in firms:
            continue
        elif name in new and new[name] != code:
            sheet.problem(number, "firm_credit_code", FirmCodeInRow(firm=name, known=new[name], row=given_in[name]))
        elif code in by_code and by_code[code] != name:
            sheet.problem(number, "firm_credit_code", CodeBelongsTo(value=code, firm=by_code[code]))
        else:
            new[name], given_in[name], by_code[code] = code, number, name
    for number, values in rows:
        name = values.get("firm", "")
        # A row that gave a code has had its problem noted above; one message per mistake is enough.
        if name and name not in firms and name not in new and not values.get("firm_credit_code"):
            sheet.problem(number, "firm", UnknownFirm(firm=name))
    return new


def _apply(lawyer: Lawyer, values: dict[str, Any], firms: dict[str, LawFirm], offices: dict[str, Office]) -> None:
    """Set the fields of the columns present; equal values are left alone so nothing is rewritten needlessly."""
    for key, value in values.items():
        if key == "firm":
            firm = firms[value] if value else None
            if lawyer.firm is not firm:
                lawyer.firm = firm
        elif key == "offices":
            chosen = sorted({offices[code].id: offices[code] for code in value}.values(), key=lambda o: o.code)
            if [o.code for o in lawyer.offices] != [o.code for o in chosen]:
                lawyer.offices = chosen
        elif key != "firm_credit_code" and getattr(lawyer, key) != value:
            setattr(lawyer, key, value)


def _lawyer_json(lawyer: Lawyer) -> dict[str, Any]:
    """The imported fields of a lawyer, for the audit log (never the calendar token: it is a secret)."""
    return {
        "name": lawyer.name,
        "licence_no": lawyer.licence_no,
        "firm": lawyer.firm.name if lawyer.firm else None,
        "phone": lawyer.phone,
        "email": lawyer.email,
        "first_practice_year": lawyer.first_practice_year,
        "specialties": list(lawyer.specialties),
        "languages": list(lawyer.languages),
        "offices": [o.code for o in lawyer.offices],
        "max_per_month": lawyer.max_per_month,
        "preferred_weekdays": list(lawyer.preferred_weekdays),
        "undesired_weekdays": list(lawyer.undesired_weekdays),
    }


def export_lawyers(session: Session, path: Path, language: str = "zh") -> int:
    """Write every lawyer to `path` in the import format, headers in `language` ('zh' or 'en').

    Importing the file again changes nothing. Returns the number of lawyers written.
    """
    _check_language(language)
    lawyers = session.scalars(
        select(Lawyer)
        .options(selectinload(Lawyer.offices), selectinload(Lawyer.firm))
        .order_by(Lawyer.name_key, Lawyer.licence_no)  # pinyin order
    ).all()
    joiner = "、" if language == "zh" else "; "
    # Languages by name, as a clerk reads them; the import maps each name back to its code.
    language_name = name_zh if language == "zh" else name_en
    day_names = WEEKDAYS_ZH if language == "zh" else WEEKDAYS_EN
    rows = [
        [
            lawyer.name,
            lawyer.licence_no,
            lawyer.firm.name if lawyer.firm else "",
            lawyer.firm.credit_code if lawyer.firm else "",
            lawyer.phone,
            lawyer.email,
            lawyer.first_practice_year,
            joiner.join(lawyer.specialties),
            joiner.join(map(language_name, lawyer.languages)),
            joiner.join(o.name if language == "zh" else o.code for o in lawyer.offices),  # names, as a clerk reads them
            lawyer.max_per_month,
            joiner.join(day_names[d] for d in lawyer.preferred_weekdays),
            joiner.join(day_names[d] for d in lawyer.undesired_weekdays),
        ]
        for lawyer in lawyers
    ]
    tabular.write_sheet(path, [c.header(language) for c in LAWYER_COLUMNS], rows)
    return len(rows)


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise HeaderLanguage(value=language, known=list(LANGUAGES))
