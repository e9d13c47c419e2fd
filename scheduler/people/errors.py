"""The errors and worded outcomes of the people area (standing, directory, accounts), as data."""

from __future__ import annotations

from scheduler.core.errors import Conflict, InputError, NotFound, Outcome

# A lawyer's standing in words (停止执业 / 取消资格), for the messages that name it.
STANDING = {
    "suspended": Outcome("standing.suspended", "停止执业"),
    "removed": Outcome("standing.removed", "取消资格"),
    "active": Outcome("standing.active", "在职"),
}

# Why a repair was proposed: stored with the proposal as data, worded when shown.
RemovalReason = Outcome("repair.removal", "{name} 自 {start} 起取消资格：{reason}")
SuspensionReason = Outcome("repair.suspension", "{name} 停止执业（{start} 至 {end}）：{reason}")
UnavailableReason = Outcome("repair.unavailable", "{name} 在 {start} 至 {end} 不能值班：{reason}")


class LawyerNotFound(NotFound):
    code = "people.lawyer_not_found"
    template = "没有执业证号为 {value} 的律师"


class ReasonRequired(InputError):
    code = "people.reason_required"
    template = "请填写原因"


class AlreadyRemoved(Conflict):
    code = "people.already_removed"
    template = "{name}（{licence}）已被取消资格"


class AlreadyStanding(Conflict):
    code = "people.already_standing"
    template = "{name}（{licence}）自 {start} 起已{standing}"


class NotSuspended(Conflict):
    code = "people.not_suspended"
    template = "{name}（{licence}）在 {day} 没有停止执业或被取消资格"


class OfficeNotFound(NotFound):
    code = "people.office_not_found"
    template = "该信访局不存在"


class FirmNotFound(NotFound):
    code = "people.firm_not_found"
    template = "该律师事务所不存在"


class LawyerRecordNotFound(NotFound):
    code = "people.lawyer_record_not_found"
    template = "该律师不存在"


OfficeNameRequired = Outcome("people.office_name", "请填写信访局名称")
MorningReversed = Outcome("people.morning_reversed", "上午的结束时间早于开始时间")
AfternoonBoth = Outcome("people.afternoon_both", "下午的开始和结束时间要么都填，要么都不填")
AfternoonBeforeMorning = Outcome("people.afternoon_early", "下午须在上午结束之后开始")
AfternoonReversed = Outcome("people.afternoon_reversed", "下午的结束时间早于开始时间")
OfficeCodeShape = Outcome("people.office_code_shape", "信访局代码“{value}”须为 1 到 16 个字母、数字、- 或 _")
OfficeCodeTaken = Outcome("people.office_code_taken", "信访局代码 {value} 已被使用")
FirmNameRequired = Outcome("people.firm_name", "请填写律师事务所名称")
FirmNameTaken = Outcome("people.firm_name_taken", "{firm}（{code}）已使用这个名称")
FirmCodeTaken = Outcome("people.firm_code_taken", "{firm}（{code}）已使用这个统一社会信用代码")
LawyerNameRequired = Outcome("people.lawyer_name", "请填写律师姓名")
PracticeYearRange = Outcome("people.practice_year", "年份须在 1950 年到 {last} 年之间")
EmailShape = Outcome("people.email", "“{value}”不是电子邮箱地址")
MonthlyLimitRange = Outcome("people.monthly_limit", "每月值班上限须在 0 到 31 之间")
WeekdayBoth = Outcome("people.weekday_both", "同一天不能既希望又不希望值班")
SpecialtyLength = Outcome("people.specialty_length", "每项最多 40 个字")
FirmChosenMissing = Outcome("people.firm_missing", "所选的律师事务所不存在")
OfficeChosenMissing = Outcome("people.office_missing", "所选的信访局有不存在的")
LicenceTaken = Outcome("people.licence_taken", "执业证号 {value} 已属于 {owner}")
