"""The annual assessment (年度考核) of participating lawyers, per lawyer and per firm.

What each number counts, for duties dated in the year:
  assigned      duties the current published rosters put the lawyer on (after every accepted change)
  attended      duties served on time, including those served as a substitute
  late          duties served late
  absent        duties the lawyer was rostered for and did not come to
  substituted   duties of the lawyer that a substitute served on the day (被替班)
  substitute    duties the lawyer served on the day in a colleague's place (替班)
  given away    duties an accepted roster change took off the lawyer: a swap, a cover (an approved swap
                request becomes one) or a repair after a removal, suspension or unavailability (转出)
  taken over    duties an accepted roster change gave the lawyer in someone else's place (接替)
  leader days   leader reception days served (attended, late or as a substitute)
  swap requests swap requests the lawyer made, whatever became of them
  unrecorded    rostered duties up to today with no attendance recorded
  cases         entrusted cases (委托案件) given to the lawyer that year, withdrawn ones left out
  opinions      legal opinions (法律意见书) filed that year for cases the lawyer is on
  consultations consultations the lawyer logged on duties of the year (接待登记), and their visitors
  trainings     trainings of the year attended, and missed (absent; an excused absence is not missed)
A lawyer whose absences reach the threshold is flagged for the removal flow (`scheduler lawyer
remove`); nobody is removed automatically.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from scheduler.attendance.allowance import NO_FIRM
from scheduler.attendance.consultations import consultation_counts
from scheduler.attendance.records import recorded, rostered, served
from scheduler.attendance.report_errors import AbsenceThreshold, NotAYear
from scheduler.attendance.training import training_counts
from scheduler.core.names import pinyin_key, text_key
from scheduler.core.problem import LEADER_DAY
from scheduler.models import Duty, DutyType, Lawyer
from scheduler.models.casework import CaseOpinion, EntrustedCase, case_lawyers
from scheduler.models.changes import Proposal, SwapRequest
from scheduler.people.scope import EVERY_OFFICE, OfficeScope, lawyer_clause

DEFAULT_ABSENCE_THRESHOLD = 2
COUNTS = (
    "assigned",
    "attended",
    "late",
    "absent",
    "substituted",
    "substitute",
    "given_away",
    "taken_over",
    "leader_days",
    "swap_requests",
    "unrecorded",
    "cases",
    "opinions",
    "consultations",
    "visitors",
    "trainings_attended",
    "trainings_missed",
)


@dataclass(frozen=True, kw_only=True)
class Counts:
    """The counts of a year (see the module docstring), shared by a lawyer's row and a firm's summary."""

    assigned: int
    attended: int
    late: int
    absent: int
    substituted: int
    substitute: int
    given_away: int
    taken_over: int
    leader_days: int
    swap_requests: int
    unrecorded: int
    # Defaults: rows built elsewhere (tests, charts) from duty counts alone stay valid.
    cases: int = 0
    opinions: int = 0
    # Records of the notice's other work; 0 where nothing was recorded (rows built without them stay valid).
    consultations: int = 0
    visitors: int = 0
    trainings_attended: int = 0
    trainings_missed: int = 0

    @property
    def served(self) -> int:
        """Duties actually served: on time or late, own or as a substitute."""
        return self.attended + self.late


@dataclass(frozen=True, kw_only=True)
class AssessmentRow(Counts):
    """One lawyer's year; see the module docstring for what each count means."""

    lawyer_id: int
    name: str
    licence_no: str
    firm: str
    flagged: bool


@dataclass(frozen=True, kw_only=True)
class FirmSummary(Counts):
    """A firm's lawyers summed; `flagged` counts its lawyers flagged for removal."""

    firm: str
    lawyers: int
    flagged: int


@dataclass(frozen=True)
class AssessmentReport:
    """The year's rows per lawyer (by firm, then licence number) and the threshold that flags them."""

    year: int
    absence_threshold: int
    today: dt.date
    rows: tuple[AssessmentRow, ...]

    def flagged(self) -> tuple[AssessmentRow, ...]:
        return tuple(row for row in self.rows if row.flagged)

    def total(self, count: str) -> int:
        """The sum of one count (a name in COUNTS) over all lawyers."""
        return sum(getattr(row, count) for row in self.rows)

    def firms(self) -> tuple[FirmSummary, ...]:
        """One summary per firm, in the order of the rows."""
        groups: dict[str, list[AssessmentRow]] = defaultdict(list)
        for row in self.rows:
            groups[row.firm].append(row)
        return tuple(
            FirmSummary(
                firm=firm,
                lawyers=len(group),
                **{count: sum(getattr(row, count) for row in group) for count in COUNTS},
                flagged=sum(1 for row in group if row.flagged),
            )
            for firm, group in groups.items()
        )

    def removal_command(self, row: AssessmentRow) -> str:
        """The command that starts the removal flow for a flagged lawyer (from next year, or today if later)."""
        start = max(dt.date(self.year + 1, 1, 1), self.today)
        reason = f"{self.year}年度考核：缺勤{row.absent}次"
        return f'scheduler lawyer remove {row.licence_no} --from {start} --reason "{reason}"'


def annual_assessment(
    session: Session,
    year: int,
    *,
    absence_threshold: int = DEFAULT_ABSENCE_THRESHOLD,
    today: dt.date | None = None,
    scope: OfficeScope = EVERY_OFFICE,
) -> AssessmentReport:
    """The assessment of `year`: every lawyer with a duty, a record or a request that year, and every
    lawyer not removed before it; flagged when their absences reach `absence_threshold`. Only duties at
    offices `scope` holds count, and only lawyers with one of them or serving such an office are listed."""
    if not 2000 <= year <= 2100:
        raise NotAYear(year=year)
    if absence_threshold < 1:
        raise AbsenceThreshold(value=absence_threshold)
    today = today or dt.date.today()
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts: dict[str, Counter[int]] = {count: Counter() for count in COUNTS}

    assignments = rostered(session, first, last, scope)
    counts["assigned"].update(a.lawyer_id for a in assignments)
    records = recorded(session, first, last, scope)
    known = {(r.duty_id, r.lawyer_id) for r in records}
    counts["unrecorded"].update(
        a.lawyer_id for a in assignments if a.date <= today and (a.duty_id, a.lawyer_id) not in known
    )
    counts["absent"].update(r.lawyer_id for r in records if r.status == "absent")
    leader = session.scalar(select(DutyType.id).where(DutyType.code == LEADER_DAY))
    for s in served(records):
        counts["late" if s.late else "attended"][s.lawyer_id] += 1
        if s.substitute_for is not None:
            counts["substituted"][s.substitute_for] += 1
            counts["substitute"][s.lawyer_id] += 1
        if s.duty_type_id == leader:
            counts["leader_days"][s.lawyer_id] += 1
    _roster_changes(session, first, last, counts, scope)
    _casework(session, first, last, counts, scope)
    counts["swap_requests"].update(
        session.scalars(
            select(SwapRequest.from_lawyer_id)
            .join(Duty, SwapRequest.duty_id == Duty.id)
            .where(Duty.date.between(first, last), scope.clause(Duty.office_id))
        )
    )

    counts["consultations"], counts["visitors"] = consultation_counts(session, first, last, scope)
    counts["trainings_attended"], counts["trainings_missed"] = training_counts(session, first, last)

    # Trainings belong to no office: they count for the lawyers in scope, but bring no lawyer into it.
    active = set().union(*(c.keys() for name, c in counts.items() if not name.startswith("trainings_")))
    query = select(Lawyer).options(selectinload(Lawyer.firm), selectinload(Lawyer.status_periods))
    if not scope.everything:
        query = query.where(or_(lawyer_clause(scope, Lawyer.id), Lawyer.id.in_(sorted(active))))
    lawyers = session.scalars(query)
    rows = [
        AssessmentRow(
            lawyer_id=lawyer.id,
            name=lawyer.name,
            licence_no=lawyer.licence_no,
            firm=lawyer.firm.name if lawyer.firm else NO_FIRM,
            **{count: counts[count][lawyer.id] for count in COUNTS},
            flagged=counts["absent"][lawyer.id] >= absence_threshold,
        )
        for lawyer in lawyers
        if lawyer.id in active or not _removed_before(lawyer, first)
    ]
    rows.sort(key=lambda row: (text_key(row.firm), pinyin_key(row.name), row.licence_no))
    return AssessmentReport(year, absence_threshold, today, tuple(rows))


def _roster_changes(
    session: Session, first: dt.date, last: dt.date, counts: dict[str, Counter[int]], scope: OfficeScope
) -> None:
    """Count the duties of the year at held offices that accepted proposals took off (given away) or gave
    (taken over)."""
    proposals = session.scalars(select(Proposal).where(Proposal.state == "accepted")).all()
    duty_ids = {int(c["duty_id"]) for p in proposals for c in p.changes}
    held = select(Duty.id, Duty.date).where(Duty.id.in_(duty_ids), scope.clause(Duty.office_id))
    dates = {duty_id: day for duty_id, day in session.execute(held)}
    for proposal in proposals:
        for change in proposal.changes:
            if first <= dates.get(int(change["duty_id"]), dt.date.min) <= last:
                counts["given_away"].update(_ids(change.get("remove", ())))
                counts["taken_over"].update(_ids(change.get("add", ())))


def _casework(
    session: Session, first: dt.date, last: dt.date, counts: dict[str, Counter[int]], scope: OfficeScope
) -> None:
    """Count each lawyer's entrusted cases of the year, entrusted by an office `scope` holds, and the opinions
    filed in it (two queries)."""
    counts["cases"].update(
        session.scalars(
            select(case_lawyers.c.lawyer_id)
            .join(EntrustedCase, EntrustedCase.id == case_lawyers.c.case_id)
            .where(
                EntrustedCase.entrusted_on.between(first, last),
                EntrustedCase.status != "withdrawn",
                scope.clause(EntrustedCase.office_id),
            )
        )
    )
    start, end = dt.datetime.combine(first, dt.time()), dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    counts["opinions"].update(
        session.scalars(
            select(case_lawyers.c.lawyer_id)
            .join(CaseOpinion, CaseOpinion.case_id == case_lawyers.c.case_id)
            .join(EntrustedCase, EntrustedCase.id == case_lawyers.c.case_id)
            .where(
                CaseOpinion.uploaded_at >= start, CaseOpinion.uploaded_at < end, scope.clause(EntrustedCase.office_id)
            )
        )
    )


def _ids(values: Iterable[object]) -> list[int]:
    return [int(str(v)) for v in values]


def _removed_before(lawyer: Lawyer, day: dt.date) -> bool:
    return any(p.status == "removed" and p.start < day for p in lawyer.status_periods)
