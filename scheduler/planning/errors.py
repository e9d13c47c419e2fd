"""The errors of planning (duties, leader days, holiday arrangements, solve jobs), as data."""

from __future__ import annotations

from scheduler.core.errors import Conflict, InputError, NotFound, Outcome


class UnknownDutyType(NotFound):
    code = "planning.unknown_duty_type"
    template = "不认识的值班类型“{value}”"


class UnknownOffice(NotFound):
    code = "planning.unknown_office"
    template = "没有代码为“{value}”的信访局（可用：{known}）"


class LeaderDayReversed(InputError):
    code = "planning.leader_day_reversed"
    template = "领导接待日 {day}：结束时间（{end}）早于开始时间（{start}）"


class LeaderDayNeeded(InputError):
    code = "planning.leader_day_needed"
    template = "领导接待日 {day}：需要的律师人数须为 1 到 10，而不是 {value}"


class LeaderDayLanguage(InputError):
    code = "planning.leader_day_language"
    template = "领导接待日 {day}，语言：{reason}"


class LeaderDayTaken(InputError):
    code = "planning.leader_day_taken"
    template = "{office} 在 {day} {start} 已有领导接待日"


class HolidayFileUnreadable(InputError):
    code = "holidays.unreadable"
    template = "无法读取 {file}"


class HolidayFileEmpty(InputError):
    code = "holidays.empty"
    template = "{file}：没有数据行"


HolidayRowShort = Outcome("holidays.row_short", "须按“日期,类型,名称”填写")
HolidayKind = Outcome("holidays.kind", "“{value}”须为 off（休息）或 workday（调休上班）")
HolidayDayTwice = Outcome("holidays.day_twice", "{day} 已在第 {row} 行给出")
HolidayWeekdayWorkday = Outcome("holidays.weekday_workday", "{day} 是周一到周五；只有周末才能是调休上班日")


class SolveUnderWay(Conflict):
    code = "planning.solve_under_way"
    template = "{start} 至 {end} 的求解已在进行中；请等它结束"


class SolveJobNotFound(NotFound):
    code = "planning.job_not_found"
    template = "第 {number} 号求解任务不存在"
