"""What each report sheet shows: the allowance per lawyer or per firm, the assessment per lawyer and per firm."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scheduler.attendance.allowance import AllowanceReport
from scheduler.attendance.assessment import AssessmentReport, AssessmentRow, FirmSummary
from scheduler.attendance.report_errors import UnknownAllowanceView
from scheduler.attendance.reports.table import DEFAULT_BUREAU, Column, Table, Value

ALLOWANCE_VIEWS = ("lawyer", "firm")

NUMBER = Column("序号", "count", 6)
RATE = Column("补贴标准（元/次）", "money", 16)
AMOUNT = Column("金额（元）", "money", 14)
DUTY_TYPE = Column("值班类型", width=20)
FIRM = Column("律师事务所", width=24)

# The assessment's counts, in the order of the columns: (header, AssessmentRow / FirmSummary field).
ASSESSMENT_COUNTS = (
    ("排班", "assigned"),
    ("实际值班", "served"),
    ("出勤", "attended"),
    ("迟到", "late"),
    ("缺勤", "absent"),
    ("被替班", "substituted"),
    ("替班", "substitute"),
    ("转出", "given_away"),
    ("接替", "taken_over"),
    ("领导接待日", "leader_days"),
    ("换班申请", "swap_requests"),
    ("未登记", "unrecorded"),
    ("接待次数", "consultations"),
    ("来访人数", "visitors"),
    ("参加培训", "trainings_attended"),
    ("缺席培训", "trainings_missed"),
)


def allowance_title(report: AllowanceReport, by: str, bureau: str = DEFAULT_BUREAU) -> str:
    view = "按律师" if by == "lawyer" else "按律师事务所"
    return f"{bureau} {report.year}年{report.month}月律师信访值班生活补贴发放表（{view}）"


def _allowance_notes(report: AllowanceReport) -> tuple[str, ...]:
    notes = ["说明：按值班当日有效的补贴标准计发；替班的补贴发给实际值班的律师；缺勤不计发。"]
    if report.pay_late:
        notes.append("迟到的值班计发补贴。")
    else:
        notes.append(f"迟到的值班不计发补贴（本月{report.late_unpaid}次）。")
    if report.unrecorded:
        notes.append(f"另有{len(report.unrecorded)}人次值班尚未登记出勤，未计入本表。")
    return tuple(notes)


def allowance_table(report: AllowanceReport, by: str = "lawyer", bureau: str = DEFAULT_BUREAU) -> Table:
    """The month's allowance, one line per lawyer (or firm), duty type and rate, with totals."""
    if by not in ALLOWANCE_VIEWS:
        raise UnknownAllowanceView(value=by, known=list(ALLOWANCE_VIEWS))
    count = Column("值班次数", "count", 10)
    columns: tuple[Column, ...]
    if by == "lawyer":
        columns = (
            NUMBER,
            Column("姓名", width=10),
            Column("执业证号", width=20),
            FIRM,
            DUTY_TYPE,
            RATE,
            count,
            AMOUNT,
        )
        rows: list[tuple[Value, ...]] = [
            (i, x.name, x.licence_no, x.firm, x.duty_type_zh, x.rate, x.count, x.amount)
            for i, x in enumerate(report.lines, start=1)
        ]
        totals: tuple[Value, ...] = ("合计", "", "", "", "", None, report.total_count, report.total_amount)
        sheet = "按律师"
    else:
        columns = (NUMBER, FIRM, DUTY_TYPE, RATE, Column("律师人数", "count", 10), count, AMOUNT)
        rows = [
            (i, x.firm, x.duty_type_zh, x.rate, x.lawyers, x.count, x.amount)
            for i, x in enumerate(report.by_firm(), start=1)
        ]
        lawyers = len({line.lawyer_id for line in report.lines})
        totals = ("合计", "", "", None, lawyers, report.total_count, report.total_amount)
        sheet = "按律师事务所"
    return Table(sheet, allowance_title(report, by, bureau), columns, tuple(rows), totals, _allowance_notes(report))


def _counts(item: AssessmentRow | FirmSummary) -> tuple[int, ...]:
    return tuple(getattr(item, field) for _, field in ASSESSMENT_COUNTS)


@dataclass(frozen=True)
class Grading:
    """The grades to add to the assessment: lawyer id -> grade (Chinese, e.g. 优秀 or 优秀（调整）), and the
    lawyers and firms proposed for commendation."""

    grades: Mapping[int, str]
    lawyers: tuple[AssessmentRow, ...]
    firms: tuple[str, ...]


def assessment_tables(
    report: AssessmentReport, bureau: str = DEFAULT_BUREAU, grading: Grading | None = None
) -> tuple[Table, ...]:
    """The year's assessment per lawyer (with the removal flag, and the grade when `grading` is given) and per
    firm, each with totals; with `grading` also the commendation sheet."""
    counts = tuple(Column(header, "count", 8 if len(header) < 4 else 11) for header, _ in ASSESSMENT_COUNTS)
    sums = tuple(sum(values) for values in zip(*(_counts(r) for r in report.rows), strict=True)) if report.rows else ()
    sums = sums or (0,) * len(ASSESSMENT_COUNTS)
    flagged = len(report.flagged())
    graded = grading is not None
    grade_column = (Column("考核等次", width=14),) if graded else ()

    def _grade(row: AssessmentRow) -> tuple[Value, ...]:
        return (grading.grades.get(row.lawyer_id, "未计算"),) if grading is not None else ()

    lawyers = Table(
        "律师考核",
        f"{bureau} {report.year}年度信访值班律师考核表",
        (
            NUMBER,
            Column("姓名", width=10),
            Column("执业证号", width=20),
            FIRM,
            *counts,
            Column("缺勤超限", width=10),
            *grade_column,
        ),
        tuple(
            (i, r.name, r.licence_no, r.firm, *_counts(r), "是" if r.flagged else "", *_grade(r))
            for i, r in enumerate(report.rows, start=1)
        ),
        ("合计", "", "", "", *sums, f"{flagged}人", *(("",) if graded else ())),
        (
            f"说明：缺勤达到{report.absence_threshold}次的律师在“缺勤超限”栏标“是”，"
            "可启动取消资格流程（scheduler lawyer remove），系统不自动取消。",
            f"统计截至{report.today:%Y-%m-%d}；“未登记”为截至该日尚未登记出勤的值班；"
            "“转出”“接替”为经批准的换班、代班和调整。",
        ),
    )
    firms = Table(
        "律师事务所汇总",
        f"{bureau} {report.year}年度信访值班律师考核汇总（按律师事务所）",
        (NUMBER, FIRM, Column("律师人数", "count", 10), *counts, Column("缺勤超限人数", "count", 12)),
        tuple((i, f.firm, f.lawyers, *_counts(f), f.flagged) for i, f in enumerate(report.firms(), start=1)),
        ("合计", "", len(report.rows), *sums, flagged),
    )
    if grading is None:
        return lawyers, firms
    return lawyers, firms, commendation_table(report, grading, bureau)


def commendation_table(report: AssessmentReport, grading: Grading, bureau: str = DEFAULT_BUREAU) -> Table:
    """The lawyers (优秀) and the firms proposed for commendation, one per row."""
    rows: list[tuple[Value, ...]] = [
        (i, "优秀律师", r.name, r.licence_no, r.firm) for i, r in enumerate(grading.lawyers, start=1)
    ]
    start = len(rows) + 1
    rows += [(start + i, "优秀律师事务所", "", "", firm) for i, firm in enumerate(grading.firms)]
    return Table(
        "拟表彰名单",
        f"{bureau} {report.year}年度拟表彰律师和律师事务所名单",
        (NUMBER, Column("类别", width=16), Column("姓名", width=10), Column("执业证号", width=20), FIRM),
        tuple(rows),
        None,
        (f"优秀律师 {len(grading.lawyers)} 名，优秀律师事务所 {len(grading.firms)} 家；提交联席会议审议。",),
    )
