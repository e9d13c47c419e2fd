"""The errors of allowances, assessments, joint meetings and report files, as data (scheduler.core.errors)."""

from __future__ import annotations

from typing import ClassVar

from scheduler.core.errors import InputError, NotFound


class NotYuan(InputError):
    code = "allowance.not_yuan"
    template = "“{value}”不是以元计的金额（0 或以上，最多两位小数）"


class RateOfEndedMonth(InputError):
    code = "allowance.rate_of_ended_month"
    template = (
        "{kind}的补贴标准已自 {effective} 起适用，那个月已经结束；新标准会改写已报的金额。请从 {month} 或以后开始设置"
    )


class NotAMonth(InputError):
    code = "allowance.not_a_month"
    template = "{year}-{month} 不是一个月份"


class NoRate(InputError):
    code = "allowance.no_rate"
    template = "{kind}在 {day} 没有补贴标准（共 {count} 个值班日缺少标准）"
    # Rates are set on the command line only: a page asks for the administrator, the command line says how.
    hints: ClassVar[dict[str, str]] = {
        "web": "请联系系统管理员设置自 {first} 起的补贴标准",
        "cli": "请设置：scheduler allowance-rate set --type {type} --from {first_iso} --amount 金额",
    }


class NotAYear(InputError):
    code = "assessment.not_a_year"
    template = "{year} 不是可以考核的年份"


class AbsenceThreshold(InputError):
    code = "assessment.absence_threshold"
    template = "缺勤次数的门槛须至少为 1，而不是 {value}"


class MeetingTitle(InputError):
    code = "meeting.title"
    template = "联席会议须有标题，最多 200 个字"


class MeetingReversed(InputError):
    code = "meeting.reversed"
    template = "会议结束时间（{end}）早于开始时间（{start}）"


class UnknownRecurrence(InputError):
    code = "meeting.unknown_recurrence"
    template = "不认识的重复方式“{value}”；可用：{known}"


class UntilForOnce(InputError):
    code = "meeting.until_for_once"
    template = "结束日期只用于重复的会议"


class UntilBeforeFirst(InputError):
    code = "meeting.until_before_first"
    template = "会议重复到 {until}，早于第一次的日期 {first}"


class MeetingTextsTooLong(InputError):
    code = "meeting.texts_too_long"
    template = "地点最多 200 个字，备注最多 1000 个字"


class MeetingOnDayOff(InputError):
    code = "meeting.day_off"
    template = "联席会议日期不是工作日：{days}；请改期，或确需在休息日开会时加 --allow-day-off"


class MeetingNotFound(NotFound):
    code = "meeting.not_found"
    template = "第 {number} 号联席会议不存在"


class ReportFileType(InputError):
    code = "report.file_type"
    template = "{file}：报表写成 .xlsx 或 .csv，而不是“{suffix}”"


class UnknownAllowanceView(InputError):
    code = "report.allowance_view"
    template = "不认识的补贴汇总方式“{value}”；可用：{known}"


class OverrideNeedsGrade(InputError):
    """`scheduler assessment grade`: --override names the lawyer, --grade the grade; one without the other."""

    code = "assessment.override_needs_grade"
    template = "--override（执业证号）和 --grade（等次）须一起给出"


class NoGradesYet(InputError):
    code = "assessment.no_grades_yet"
    template = "{year} 年尚未评定等次：请先运行 scheduler assessment grade --year {year}"
