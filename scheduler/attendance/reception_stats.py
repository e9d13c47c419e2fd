"""Monthly statistics of the reception log, per office and per lawyer: consultations and visitors by the
matter's category and by referral. Counts only: no advice, nothing about the visitors."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.attendance.consultations import REFERRAL_ZH, categories
from scheduler.attendance.record_errors import BadMonth
from scheduler.attendance.reports.table import DEFAULT_BUREAU, Column, Table, Value
from scheduler.models import Duty, Lawyer, Office
from scheduler.models.records import REFERRALS, Consultation, ConsultationCategory


@dataclass
class ReceptionLine:
    """One office's or one lawyer's month: consultations and visitors, in all and by category and referral."""

    name: str
    detail: str = ""  # the lawyer's licence number, or "" for an office
    consultations: int = 0
    visitors: int = 0
    by_category: Counter[str] = field(default_factory=Counter)  # consultations by category name
    visitors_by_category: Counter[str] = field(default_factory=Counter)
    by_referral: Counter[str] = field(default_factory=Counter)  # consultations by referral code
    visitors_by_referral: Counter[str] = field(default_factory=Counter)

    def add(self, visitors: int, category: str, referral: str) -> None:
        self.consultations += 1
        self.visitors += visitors
        self.by_category[category] += 1
        self.visitors_by_category[category] += visitors
        self.by_referral[referral] += 1
        self.visitors_by_referral[referral] += visitors


@dataclass(frozen=True)
class ReceptionMonth:
    """A month of the reception log: the categories (the list's order, retired ones only when used), the
    referral codes, one line per office and per lawyer (by name), and the totals."""

    year: int
    month: int
    categories: tuple[str, ...]
    referrals: tuple[str, ...]
    offices: tuple[ReceptionLine, ...]
    lawyers: tuple[ReceptionLine, ...]
    total: ReceptionLine


def month_span(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of the month; BadMonth for a month outside 2000..2100."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise BadMonth(value=f"{year}-{month}")
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def reception_month(session: Session, year: int, month: int) -> ReceptionMonth:
    """The month's statistics (two queries besides the category list)."""
    first, last = month_span(year, month)
    listed = categories(session)
    rows = session.execute(
        select(
            Consultation.visitors,
            Consultation.referral,
            ConsultationCategory.name,
            Office.code,
            Office.name,
            Lawyer.id,
            Lawyer.name,
            Lawyer.licence_no,
        )
        .join(Duty, Consultation.duty_id == Duty.id)
        .join(Office, Duty.office_id == Office.id)
        .join(Lawyer, Consultation.lawyer_id == Lawyer.id)
        .join(ConsultationCategory, Consultation.category_id == ConsultationCategory.id)
        .where(Duty.date.between(first, last))
    ).all()
    offices: dict[str, ReceptionLine] = {}
    lawyers: dict[int, ReceptionLine] = {}
    total = ReceptionLine("合计")
    for visitors, referral, category, office_code, office_name, lawyer_id, lawyer_name, licence in rows:
        offices.setdefault(office_code, ReceptionLine(office_name)).add(visitors, category, referral)
        lawyers.setdefault(lawyer_id, ReceptionLine(lawyer_name, licence)).add(visitors, category, referral)
        total.add(visitors, category, referral)
    used = set(total.by_category)
    return ReceptionMonth(
        year=year,
        month=month,
        categories=tuple(c.name for c in listed if c.active or c.name in used),
        referrals=REFERRALS,
        offices=tuple(offices[code] for code in sorted(offices)),
        lawyers=tuple(sorted(lawyers.values(), key=lambda line: (line.name, line.detail))),
        total=total,
    )


def _cells(line: ReceptionLine, report: ReceptionMonth) -> tuple[Value, ...]:
    return (
        line.consultations,
        line.visitors,
        *(v for c in report.categories for v in (line.by_category[c], line.visitors_by_category[c])),
        *(v for r in report.referrals for v in (line.by_referral[r], line.visitors_by_referral[r])),
    )


def reception_tables(report: ReceptionMonth, bureau: str = DEFAULT_BUREAU) -> tuple[Table, Table]:
    """The month per office and per lawyer, as report tables (consultations and visitors side by side)."""
    counts = (
        Column("接待次数", "count", 10),
        Column("来访人数", "count", 10),
        *(Column(f"{c}（{what}）", "count", 12) for c in report.categories for what in ("次", "人")),
        *(Column(f"引导{REFERRAL_ZH[r]}（{what}）", "count", 14) for r in report.referrals for what in ("次", "人")),
    )
    number = Column("序号", "count", 6)
    title = f"{bureau} {report.year}年{report.month}月律师接待登记统计"
    note = "说明：按值班日期统计；“次”为接待次数，“人”为来访人数。本表不含来访人身份信息。"
    offices = Table(
        "按信访局",
        f"{title}（按信访局）",
        (number, Column("信访局", width=20), *counts),
        tuple((i, line.name, *_cells(line, report)) for i, line in enumerate(report.offices, start=1)),
        ("合计", "", *_cells(report.total, report)),
        (note,),
    )
    lawyers = Table(
        "按律师",
        f"{title}（按律师）",
        (number, Column("姓名", width=10), Column("执业证号", width=20), *counts),
        tuple((i, line.name, line.detail, *_cells(line, report)) for i, line in enumerate(report.lawyers, start=1)),
        ("合计", "", "", *_cells(report.total, report)),
        (note,),
    )
    return offices, lawyers
