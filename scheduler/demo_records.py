"""The demo's records of the quarter before its roster: a published roster of that quarter, the attendance
of its past duties, the consultations logged on them (接待登记), and a training with its attendance, so that
the assessment, the reception statistics and the lawyers' pages have something to show.

The past quarter is staffed by the greedy start of the solver (every hard rule kept) rather than a full
solve: it is history, built in a second. Its own seeded generator leaves the demo's other draws as they were.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.attendance.consultations import ConsultationSpec, categories, record_consultation
from scheduler.attendance.records import record_attendance
from scheduler.attendance.training import TrainingSpec, add_training, invite, record_training_attendance
from scheduler.models import Duty
from scheduler.planning.duties import generate_windows
from scheduler.planning.holidays import load_calendar
from scheduler.planning.problem_builder import build_problem
from scheduler.rosters.drafts import save_draft
from scheduler.rosters.publishing import publish_draft
from scheduler.rosters.versions import assignments_of
from scheduler.solver.greedy import start_roster

SEED = 2012 + 15  # the demo's seed and issue 15, which asked for these records
QUARTER_WEEKS = 13
ACTOR = "demo"
# What visitors bring, by category, with the advice a lawyer might give and where it sends them.
ADVICE = {
    "征地拆迁": ("告知征收补偿标准的依据，建议先申请政府信息公开。", ("administrative_review", "litigation")),
    "劳动争议": ("建议收集工资条、考勤记录，向劳动人事争议仲裁委员会申请仲裁。", ("arbitration", "legal_aid")),
    "社会保障": ("告知社保补缴和待遇核定的办理渠道。", ("other_department", "none")),
    "婚姻家庭": ("解释离婚财产分割和抚养权的法律规定，建议先行调解。", ("litigation", "legal_aid", "none")),
    "行政": ("说明行政复议和行政诉讼的期限，建议在法定期限内申请复议。", ("administrative_review", "litigation")),
    "刑事": ("告知刑事案件的控告和申诉途径，建议委托辩护或代理律师。", ("other_department", "legal_aid")),
    "其他": ("解答相关法律问题，引导通过法定途径反映诉求。", ("none", "other_department")),
}
CATEGORY_WEIGHTS = {"征地拆迁": 5, "劳动争议": 6, "社会保障": 3, "婚姻家庭": 3, "行政": 2, "刑事": 1, "其他": 2}


@dataclass(frozen=True)
class DemoRecords:
    """What the block added: duties attended, consultations logged, lawyers invited to the training."""

    attended: int
    consultations: int
    invited: int


def past_quarter(start: dt.date) -> tuple[dt.date, dt.date]:
    """The 13 weeks before the demo period that starts on `start`."""
    return start - dt.timedelta(weeks=QUARTER_WEEKS), start - dt.timedelta(days=1)


def build_records(session: Session, start: dt.date, today: dt.date) -> DemoRecords:
    """Publish the quarter before `start`, record its attendance up to yesterday, log consultations on the
    duties served, and hold a training in the middle of it with its attendance."""
    rng = random.Random(SEED)
    first, last = past_quarter(start)
    generate_windows(session, first, last, ACTOR)
    built = build_problem(session, first, last, today=first)
    table = start_roster(built.problem)
    save_draft(session, built.problem, table, report={}, provisional=built.provisional, actor=ACTOR)
    roster = publish_draft(session, first, last, ACTOR, "demo history")
    duties = {d.id: d for d in session.scalars(select(Duty).where(Duty.date.between(first, last)))}
    attended, logged = 0, 0
    choices = [c.name for c in categories(session, active_only=True) if c.name in CATEGORY_WEIGHTS]
    weights = [CATEGORY_WEIGHTS[name] for name in choices]
    for duty_id, lawyer_ids in sorted(assignments_of(roster).items(), key=lambda item: duties[item[0]].date):
        duty = duties[duty_id]
        if duty.date >= today:
            continue
        for lawyer_id in lawyer_ids:
            draw = rng.random()
            status = "absent" if draw < 0.03 else ("late" if draw < 0.08 else "attended")
            record_attendance(session, duty_id, lawyer_id, status, ACTOR, today=today)
            if status == "absent":
                continue
            attended += 1
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4))):
                category = rng.choices(choices, weights)[0]
                advice, referrals = ADVICE[category]
                at = dt.time(
                    duty.start.hour + rng.randrange(max(1, duty.end.hour - duty.start.hour)),
                    rng.choice((0, 15, 30, 45)),
                )
                visitors = rng.choice((1, 1, 1, 2, 2, 3)) if rng.random() > 0.05 else rng.randint(5, 12)
                spec = ConsultationSpec(duty_id, lawyer_id, at, visitors, category, rng.choice(referrals), advice)
                record_consultation(session, spec, ACTOR, today=today)
                logged += 1
    invited = _training(session, rng, first, last, today)
    return DemoRecords(attended, logged, invited)


def _training(session: Session, rng: random.Random, first: dt.date, last: dt.date, today: dt.date) -> int:
    """A training for the lawyers of 兴义 and 望谟 on a working day in the middle of the quarter."""
    calendar = load_calendar(session)
    day = first + dt.timedelta(weeks=QUARTER_WEEKS // 2)
    while not calendar.is_workday(day):
        day += dt.timedelta(days=1)
    spec = TrainingSpec(
        "律师参与信访工作专项培训",
        day,
        dt.time(14, 30),
        dt.time(17, 30),
        location="黔西南州司法局三楼会议室",
        organiser="黔西南州司法局、黔西南州信访局",
        content="《信访工作条例》解读；接待登记规范；引导群众依法维权与法律援助转介。",
    )
    training = add_training(session, spec, ACTOR)
    lawyers = invite(session, training.id, ACTOR, offices=["522301", "522326"])
    if day <= min(today, last):
        for lawyer in lawyers:
            draw = rng.random()
            status = "absent" if draw < 0.1 else ("excused" if draw < 0.2 else "attended")
            note = "开庭" if status == "excused" else ""
            record_training_attendance(session, training.id, lawyer.id, status, ACTOR, note=note, today=today)
    return len(lawyers)
