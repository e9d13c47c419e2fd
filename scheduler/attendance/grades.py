"""Assessment grades (考核等次) and commendation (表彰奖励, policy 五(四)): pure rules, no ORM.

A lawyer's year (the counts of scheduler.attendance.assessment, by name) and whether a suspension or a
removal touched the year give one of four grades, with the reasons as codes and parameters:

  不称职 incompetent   absences >= `incompetent_absences` (default 3), or attendance rate below
                       `incompetent_rate` percent (default 60)*, or a suspension/removal in the year
  基本称职 basic        absences >= `basic_absences` (default 1), or late >= `basic_late` (default 3), or
                       attendance rate below `basic_rate` (default 90)*, or trainings missed >= `basic_trainings_missed`
                       (default 2)
  优秀 excellent       none of the above and: at least `excellent_min_served` duties served (default 4), attendance
                       rate >= `excellent_rate` (default 100), late <= `excellent_max_late` (default 1), at least
                       `excellent_consultations` consultations (default 10) or `excellent_opinions` legal opinions
                       (default 1), at least `excellent_trainings` trainings attended (default 1) and none missed
  称职 competent       everything else

The attendance rate is served / (served + absent) in percent; unrecorded duties do not count either way, and
a lawyer with no duty due has no rate (never 优秀, never 不称职 for the rate alone). * The rate lowers a grade
only from `rate_min_due` duties due (default 4): one absence in two duties is a 50 % rate, which the absences
rule already weighs.

The thresholds are set with "name=value" pairs separated by commas (SCHEDULER_GRADE_RULES, e.g.
"excellent_min_served=6,basic_late=4,firm_good_share=75"); `parse_rules` reads them.

Firms proposed for commendation: at least `firm_min_lawyers` graded lawyers (default 2), at least
`firm_min_excellent` of them 优秀 (default 1), none 不称职, and at least `firm_good_share` percent (default 80)
优秀 or 称职.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields

from scheduler.core.errors import InputError

EXCELLENT, COMPETENT, BASIC, INCOMPETENT = "excellent", "competent", "basic", "incompetent"
GRADES = (EXCELLENT, COMPETENT, BASIC, INCOMPETENT)  # best first
GRADE_LABELS = {EXCELLENT: "优秀", COMPETENT: "称职", BASIC: "基本称职", INCOMPETENT: "不称职"}
GRADE_CODES = {label: code for code, label in GRADE_LABELS.items()}

# Chinese texts of the reasons (the web translates its own copies; the CLI and the API print these).
REASON_TEMPLATES = {
    "sanctioned": "本年度被停止执业或取消值班资格",
    "absences": "缺勤 {count} 次（达到 {threshold} 次）",
    "low_rate": "出勤率 {rate}%（低于 {threshold}%）",
    "late": "迟到 {count} 次（达到 {threshold} 次）",
    "trainings_missed": "缺席培训 {count} 次（达到 {threshold} 次）",
    "few_served": "值班 {count} 次（优秀须至少 {threshold} 次）",
    "few_contributions": "接待 {consultations} 次、法律意见书 {opinions} 份（优秀须接待 {threshold} 次或有意见书）",
    "no_training": "参加培训 {count} 次（优秀须至少 {threshold} 次）",
    "full_attendance": "出勤率 {rate}%，无缺勤",
    "contributions": "接待 {consultations} 次、法律意见书 {opinions} 份",
    "trained": "参加培训 {count} 次",
}


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """The grading thresholds; the defaults are documented in the module docstring."""

    incompetent_absences: int = 3
    incompetent_rate: int = 60
    rate_min_due: int = 4
    basic_absences: int = 1
    basic_late: int = 3
    basic_rate: int = 90
    basic_trainings_missed: int = 2
    excellent_min_served: int = 4
    excellent_rate: int = 100
    excellent_max_late: int = 1
    excellent_consultations: int = 10
    excellent_opinions: int = 1
    excellent_trainings: int = 1


@dataclass(frozen=True, kw_only=True)
class FirmRule:
    """When a firm is proposed for commendation (see the module docstring)."""

    firm_min_lawyers: int = 2
    firm_min_excellent: int = 1
    firm_good_share: int = 80


@dataclass(frozen=True)
class Reason:
    """Why a grade: a code of REASON_TEMPLATES and its parameters."""

    code: str
    params: Mapping[str, int] = field(default_factory=dict)

    def text(self) -> str:
        return REASON_TEMPLATES[self.code].format(**self.params)


@dataclass(frozen=True)
class Grade:
    grade: str
    reasons: tuple[Reason, ...]


def attendance_rate(served: int, absent: int) -> int | None:
    """Served duties in percent of those due (served or absent), rounded down; None when none was due."""
    due = served + absent
    return None if due == 0 else served * 100 // due


def grade(counts: Mapping[str, int], *, sanctioned: bool = False, thresholds: Thresholds | None = None) -> Grade:
    """The grade of a lawyer's year from its counts by name (attended, late, absent, consultations, opinions,
    trainings_attended, trainings_missed; missing ones are 0) and whether a sanction touched the year."""
    t = thresholds or Thresholds()
    c = {name: int(counts.get(name, 0)) for name in _NAMES}
    served = c["attended"] + c["late"]
    rate = attendance_rate(served, c["absent"])
    weighed = rate is not None and served + c["absent"] >= t.rate_min_due

    worst: list[Reason] = []
    if sanctioned:
        worst.append(Reason("sanctioned"))
    if c["absent"] >= t.incompetent_absences:
        worst.append(Reason("absences", {"count": c["absent"], "threshold": t.incompetent_absences}))
    if weighed and rate is not None and rate < t.incompetent_rate:
        worst.append(Reason("low_rate", {"rate": rate, "threshold": t.incompetent_rate}))
    if worst:
        return Grade(INCOMPETENT, tuple(worst))

    weak: list[Reason] = []
    if c["absent"] >= t.basic_absences:
        weak.append(Reason("absences", {"count": c["absent"], "threshold": t.basic_absences}))
    if weighed and rate is not None and rate < t.basic_rate:
        weak.append(Reason("low_rate", {"rate": rate, "threshold": t.basic_rate}))
    if c["late"] >= t.basic_late:
        weak.append(Reason("late", {"count": c["late"], "threshold": t.basic_late}))
    if c["trainings_missed"] >= t.basic_trainings_missed:
        weak.append(Reason("trainings_missed", {"count": c["trainings_missed"], "threshold": t.basic_trainings_missed}))
    if weak:
        return Grade(BASIC, tuple(weak))

    missing: list[Reason] = []
    if served < t.excellent_min_served:
        missing.append(Reason("few_served", {"count": served, "threshold": t.excellent_min_served}))
    if rate is not None and rate < t.excellent_rate:
        missing.append(Reason("low_rate", {"rate": rate, "threshold": t.excellent_rate}))
    if c["late"] > t.excellent_max_late:
        missing.append(Reason("late", {"count": c["late"], "threshold": t.excellent_max_late + 1}))
    contributed = c["consultations"] >= t.excellent_consultations or c["opinions"] >= t.excellent_opinions
    if not contributed:
        params = {"consultations": c["consultations"], "opinions": c["opinions"]}
        missing.append(Reason("few_contributions", params | {"threshold": t.excellent_consultations}))
    if c["trainings_attended"] < t.excellent_trainings or c["trainings_missed"] > 0:
        missing.append(Reason("no_training", {"count": c["trainings_attended"], "threshold": t.excellent_trainings}))
    if missing:
        return Grade(COMPETENT, tuple(missing))
    return Grade(
        EXCELLENT,
        (
            Reason("full_attendance", {"rate": rate or 0}),
            Reason("contributions", {"consultations": c["consultations"], "opinions": c["opinions"]}),
            Reason("trained", {"count": c["trainings_attended"]}),
        ),
    )


_NAMES = ("attended", "late", "absent", "consultations", "opinions", "trainings_attended", "trainings_missed")


def commended_firms(grades_by_firm: Mapping[str, Iterable[str]], rule: FirmRule | None = None) -> list[str]:
    """The firms (in the given order) whose lawyers' final grades meet `rule`."""
    r = rule or FirmRule()
    chosen = []
    for firm, grades in grades_by_firm.items():
        listed = list(grades)
        good = sum(1 for g in listed if g in (EXCELLENT, COMPETENT))
        if (
            len(listed) >= r.firm_min_lawyers
            and listed.count(EXCELLENT) >= r.firm_min_excellent
            and INCOMPETENT not in listed
            and good * 100 >= r.firm_good_share * len(listed)
        ):
            chosen.append(firm)
    return chosen


class BadGradeRule(InputError):
    code = "grades.bad_rule"
    template = "考核等次规则“{item}”有误：须为“名称=非负整数”，名称可选 {names}"


def parse_rules(text: str) -> tuple[Thresholds, FirmRule]:
    """The thresholds and the firm rule of "name=value,..." (empty: the defaults); BadGradeRule names a bad item."""
    names = {f.name for f in fields(Thresholds)}, {f.name for f in fields(FirmRule)}
    values: tuple[dict[str, int], dict[str, int]] = ({}, {})
    for item in (part.strip() for part in text.replace("，", ",").split(",")):
        if not item:
            continue
        name, _, raw = (piece.strip() for piece in item.partition("="))
        kind = 0 if name in names[0] else 1 if name in names[1] else -1
        if kind < 0 or not raw.isdigit():
            raise BadGradeRule(item=item, names="、".join(sorted(names[0] | names[1])))
        values[kind][name] = int(raw)
    return Thresholds(**values[0]), FirmRule(**values[1])
