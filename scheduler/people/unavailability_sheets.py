"""Unavailability in and out of spreadsheets (.csv or .xlsx): the 不能值班 periods bureaus keep in a sheet.

The columns and the cell parsers are those of scheduler.people.lawyer_sheets (the module docstring there
lists them); this module holds the two use cases, so that neither module grows past the house limit.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.audit import record
from scheduler.core import tabular
from scheduler.core.errors import ReversedPeriod
from scheduler.models import Lawyer, Unavailability
from scheduler.people.lawyer_sheets import (
    PLAUSIBLE_YEARS,
    UNAVAILABILITY_COLUMNS,
    UNAVAILABILITY_PARSERS,
    ImportResult,
    _check_language,
    _parse,
)
from scheduler.people.sheet_errors import (
    ImplausibleDate,
    LicenceOfOther,
    NoLawyerWithLicence,
)


def import_unavailability(session: Session, path: Path, actor: str = "cli") -> ImportResult:
    """Add the unavailability periods listed in `path` to known lawyers; a period already recorded
    (same lawyer, dates and reason) is not added twice.

    Writes nothing and raises InputError listing every bad cell unless every row is valid.
    """
    sheet = tabular.read_sheet(path, UNAVAILABILITY_COLUMNS)
    rows = _parse(sheet, UNAVAILABILITY_PARSERS)
    lawyers = {lawyer.licence_no: lawyer for lawyer in session.scalars(select(Lawyer))}
    for number, values in rows:
        licence, name = values.get("licence_no"), values.get("name")
        lawyer = lawyers.get(licence) if licence else None
        if licence and lawyer is None:
            sheet.problem(number, "licence_no", NoLawyerWithLicence(value=licence))
        elif lawyer is not None and name and name != lawyer.name:
            sheet.problem(number, "name", LicenceOfOther(value=licence, owner=lawyer.name, name=name))
        for key in ("start", "end"):
            if key in values and values[key].year not in PLAUSIBLE_YEARS:
                sheet.problem(number, key, ImplausibleDate(value=values[key]))
        if "start" in values and "end" in values and values["end"] < values["start"]:
            sheet.problem(number, "end", ReversedPeriod(values["start"], values["end"]).message)
    sheet.raise_problems("unavailability periods")

    known = {(u.lawyer_id, u.start, u.end, u.reason) for u in session.scalars(select(Unavailability))}
    added: list[Unavailability] = []
    for _number, values in rows:
        lawyer = lawyers[values["licence_no"]]
        start, end, reason = values["start"], values["end"], values.get("reason", "")
        if (lawyer.id, start, end, reason) in known:
            continue
        known.add((lawyer.id, start, end, reason))
        period = Unavailability(lawyer=lawyer, start=start, end=end, reason=reason)
        session.add(period)
        added.append(period)
    session.flush()
    for period in added:
        after = {
            "licence_no": period.lawyer.licence_no,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "reason": period.reason,
        }
        record(
            session,
            actor,
            "unavailability.create",
            entity="unavailability",
            entity_id=period.id,
            reason=f"imported from {path.name}",
            after=after,
        )
    session.flush()
    return ImportResult(created=len(added), unchanged=len(rows) - len(added))


def export_unavailability(session: Session, path: Path, language: str = "zh") -> int:
    """Write every unavailability period to `path` in the import format; returns the number written."""
    _check_language(language)
    periods = session.scalars(
        select(Unavailability)
        .join(Unavailability.lawyer)
        .options(selectinload(Unavailability.lawyer))
        .order_by(Lawyer.licence_no, Unavailability.start, Unavailability.end, Unavailability.reason)
    ).all()
    rows = [[p.lawyer.licence_no, p.lawyer.name, p.start, p.end, p.reason] for p in periods]
    tabular.write_sheet(path, [c.header(language) for c in UNAVAILABILITY_COLUMNS], rows)
    return len(rows)
