"""The living allowance (生活补贴): rates per duty type from a date, and the monthly report per lawyer and firm.

A duty is paid at the rate of its type in force on its date, so a new rate never changes a month
before it. Only served duties are paid: attended, substituted (to the substitute), and late ones
when the bureau pays them (`pay_late`). Duties whose attendance is not recorded are not paid; the
report lists them so the clerk can record them and run it again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.records import recorded, rostered, served
from scheduler.attendance.report_errors import NoRate, NotAMonth, NotYuan, RateOfEndedMonth
from scheduler.audit import record
from scheduler.core.names import pinyin_key, text_key
from scheduler.models import DutyType, Lawyer
from scheduler.models.attendance import AllowanceRate, Attendance
from scheduler.people.scope import EVERY_OFFICE, OfficeScope
from scheduler.planning.duties import duty_type

NO_FIRM = "（无所属律所）"
CENT = Decimal("0.01")


def parse_amount(value: str | int | Decimal) -> Decimal:
    """Yuan with at most two decimals, not negative (e.g. '200', '187.50')."""
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise NotYuan(value=value) from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT) or amount >= Decimal("1e8"):
        raise NotYuan(value=value)
    return amount.quantize(CENT)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def set_rate(
    session: Session,
    type_code: str,
    effective_from: dt.date,
    amount: str | int | Decimal,
    actor: str,
    *,
    today: dt.date | None = None,
) -> AllowanceRate:
    """Pay `amount` yuan per duty of type `type_code` from `effective_from` until the next rate.

    Refused when it would change what a month that has ended pays: a rate (or a change of one) dated
    before this month, where an earlier rate already applied. A first rate may start in the past.
    """
    value = parse_amount(amount)
    kind = duty_type(session, type_code)
    this_month = month_start(today or dt.date.today())
    existing = session.scalars(select(AllowanceRate).where(AllowanceRate.duty_type_id == kind.id)).all()
    if effective_from < this_month and any(r.effective_from <= effective_from for r in existing):
        raise RateOfEndedMonth(kind=kind.name_zh, effective=effective_from, month=this_month)
    rate = next((r for r in existing if r.effective_from == effective_from), None)
    before = _json(rate) if rate is not None else None
    if rate is None:
        rate = AllowanceRate(duty_type_id=kind.id, effective_from=effective_from, amount=value)
        session.add(rate)
    rate.amount = value
    session.flush()
    record(
        session,
        actor,
        "allowance_rate.set",
        entity="allowance_rate",
        entity_id=rate.id,
        before=before,
        after=_json(rate),
    )
    return rate


def _json(rate: AllowanceRate) -> dict[str, object]:
    return {"duty_type_id": rate.duty_type_id, "effective_from": str(rate.effective_from), "amount": str(rate.amount)}


def rates(session: Session) -> Sequence[AllowanceRate]:
    """Every rate, by duty type and date."""
    return session.scalars(
        select(AllowanceRate)
        .options(selectinload(AllowanceRate.duty_type))
        .order_by(AllowanceRate.duty_type_id, AllowanceRate.effective_from)
    ).all()


def rate_on(all_rates: Sequence[AllowanceRate], duty_type_id: int, day: dt.date) -> AllowanceRate | None:
    """The rate of a duty type in force on `day`: the latest that starts on or before it."""
    applying = [r for r in all_rates if r.duty_type_id == duty_type_id and r.effective_from <= day]
    return max(applying, key=lambda r: r.effective_from, default=None)


@dataclass(frozen=True)
class AllowanceLine:
    """A lawyer's paid duties of one type at one rate in the month."""

    lawyer_id: int
    name: str
    licence_no: str
    firm: str
    duty_type: str  # code
    duty_type_zh: str
    rate: Decimal
    count: int

    @property
    def amount(self) -> Decimal:
        return self.rate * self.count


@dataclass(frozen=True)
class FirmLine:
    """A firm's paid duties of one type at one rate in the month."""

    firm: str
    duty_type: str
    duty_type_zh: str
    rate: Decimal
    lawyers: int
    count: int

    @property
    def amount(self) -> Decimal:
        return self.rate * self.count


@dataclass(frozen=True)
class Unrecorded:
    """A rostered lawyer on a past duty of the month whose attendance is not recorded (so not paid)."""

    duty_id: int
    date: dt.date
    name: str
    licence_no: str


@dataclass(frozen=True)
class AllowanceReport:
    """The allowance of one month: lines by lawyer, type and rate, with what was left unpaid and why."""

    year: int
    month: int
    pay_late: bool
    lines: tuple[AllowanceLine, ...]
    late_unpaid: int  # late duties not paid, as the bureau decided
    unrecorded: tuple[Unrecorded, ...]

    @property
    def total_count(self) -> int:
        return sum(line.count for line in self.lines)

    @property
    def total_amount(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    def by_lawyer(self) -> dict[int, Decimal]:
        """Each paid lawyer's total for the month."""
        totals: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for line in self.lines:
            totals[line.lawyer_id] += line.amount
        return dict(totals)

    def by_firm(self) -> tuple[FirmLine, ...]:
        """The lines summed per firm, duty type and rate."""
        groups: dict[tuple[str, str, str, Decimal], list[AllowanceLine]] = defaultdict(list)
        for line in self.lines:
            groups[(line.firm, line.duty_type, line.duty_type_zh, line.rate)].append(line)
        return tuple(
            FirmLine(firm, code, zh, rate, len({x.lawyer_id for x in group}), sum(x.count for x in group))
            for (firm, code, zh, rate), group in groups.items()
        )


def monthly_report(
    session: Session,
    year: int,
    month: int,
    *,
    pay_late: bool = False,
    today: dt.date | None = None,
    scope: OfficeScope = EVERY_OFFICE,
) -> AllowanceReport:
    """The allowance of `year`-`month` per lawyer, duty type and rate, for the duties at offices `scope` holds.

    Raises InputError naming the duty type and date when a paid duty has no rate in force.
    """
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise NotAMonth(year=year, month=f"{month:02d}")
    first, last = dt.date(year, month, 1), month_end(year, month)
    records = recorded(session, first, last, scope)
    services = served(records)
    paid = [s for s in services if pay_late or not s.late]
    all_rates = rates(session)
    types = {t.id: t for t in session.scalars(select(DutyType))}
    missing = sorted({(s.date, s.duty_type_id) for s in paid if not rate_on(all_rates, s.duty_type_id, s.date)})
    if missing:
        day, kind = missing[0][0], types[missing[0][1]]
        raise NoRate(
            kind=kind.name_zh, day=day, count=len(missing), type=kind.code, first=first, first_iso=first.isoformat()
        )
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    for s in paid:
        rate = rate_on(all_rates, s.duty_type_id, s.date)
        assert rate is not None
        counts[(s.lawyer_id, s.duty_type_id, rate.id)] += 1
    lawyers = _lawyers(session, {key[0] for key in counts})
    by_id = {r.id: r for r in all_rates}
    lines = []
    for (lawyer_id, type_id, rate_id), count in counts.items():
        lawyer, rate = lawyers[lawyer_id], by_id[rate_id]
        lines.append(
            AllowanceLine(
                lawyer_id=lawyer_id,
                name=lawyer.name,
                licence_no=lawyer.licence_no,
                firm=lawyer.firm.name if lawyer.firm else NO_FIRM,
                duty_type=types[type_id].code,
                duty_type_zh=types[type_id].name_zh,
                rate=rate.amount,
                count=count,
            )
        )
    # Types in the order they were created (window first), as bureaus list them.
    order = {t.code: t.id for t in types.values()}
    lines.sort(key=lambda x: (text_key(x.firm), pinyin_key(x.name), x.licence_no, order[x.duty_type], x.rate))
    return AllowanceReport(
        year=year,
        month=month,
        pay_late=pay_late,
        lines=tuple(lines),
        late_unpaid=0 if pay_late else sum(1 for s in services if s.late),
        unrecorded=unrecorded(session, records, first, min(last, today or dt.date.today()), scope),
    )


def _lawyers(session: Session, ids: set[int]) -> dict[int, Lawyer]:
    query = select(Lawyer).where(Lawyer.id.in_(ids)).options(selectinload(Lawyer.firm))
    return {lw.id: lw for lw in session.scalars(query)}


def unrecorded(
    session: Session,
    records: Sequence[Attendance],
    first: dt.date,
    last: dt.date,
    scope: OfficeScope = EVERY_OFFICE,
) -> tuple[Unrecorded, ...]:
    """Rostered lawyers on duties in [first, last] that `records` say nothing about."""
    if last < first:
        return ()
    known = {(r.duty_id, r.lawyer_id) for r in records}
    missing = [r for r in rostered(session, first, last, scope) if (r.duty_id, r.lawyer_id) not in known]
    lawyers = _lawyers(session, {r.lawyer_id for r in missing})
    return tuple(
        Unrecorded(r.duty_id, r.date, lawyers[r.lawyer_id].name, lawyers[r.lawyer_id].licence_no) for r in missing
    )
