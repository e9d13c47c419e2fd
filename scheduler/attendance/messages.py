"""The messages of attendance records and sign-in sheets, as data (scheduler.core.errors)."""

from __future__ import annotations

from scheduler.core.errors import Conflict, InputError, NotFound, Outcome

# How messages name a duty: its day, office and kind (never its database number).
DutyName = Outcome("attendance.duty", "{day} {office}的{kind}")

NoRosterCovers = Outcome("attendance.no_roster", "{duty}：没有已发布的排班覆盖 {day}")
DutyAhead = Outcome("attendance.duty_ahead", "{duty} 在今天（{today}）之后；值班结束后才能登记出勤")
NotOnDuty = Outcome("attendance.not_on_duty", "{lawyer} 不在已发布排班的 {duty} 中（在班：{team}）")
SubstituteOnlyForSubstituted = Outcome("attendance.substitute_needless", "只有“替班”才填写替班律师，“{status}”不需要")
SubstituteMissing = Outcome("attendance.substitute_missing", "{lawyer} 的 {duty}：替班须填写替班律师")
SubstituteSelf = Outcome("attendance.substitute_self", "{lawyer} 不能为自己替班")
SubstituteOnDuty = Outcome("attendance.substitute_on_duty", "{lawyer} 本就在 {duty} 中，不能替班")
SubstituteNotActive = Outcome("attendance.substitute_not_active", "{lawyer} 在 {day} {standing}，不能替班")
SubstituteTwice = Outcome("attendance.substitute_twice", "{lawyer} 已在这次值班中为 {other} 替班")
InRowToo = Outcome("attendance.in_row_too", "{lawyer} 的 {duty} 也在第 {row} 行")
SubstitutesInRow = Outcome("attendance.substitutes_in_row", "{lawyer} 在第 {row} 行已为这次值班替班")
UnknownStatusWord = Outcome(
    "attendance.unknown_status_word", "不认识的出勤情况“{value}”；请写 出勤、迟到、缺勤 或 替班"
)
LicenceStoredAsNumber = Outcome("attendance.licence_number", "执业证号存成了数字，Excel 会把它四舍五入；请用文本格式")
NoLawyerLicence = Outcome("attendance.no_lawyer_licence", "没有执业证号为 {value} 的律师")
LicenceIsOther = Outcome("attendance.licence_is_other", "执业证号 {value} 属于 {owner}，不属于 {name}")
LawyerMissing = Outcome("attendance.lawyer_missing", "缺少律师：请填写执业证号或姓名")
NoSuchDutyNumber = Outcome("attendance.no_duty_number", "没有编号为 {value} 的值班")
DutyOnOtherDay = Outcome("attendance.duty_other_day", "编号 {value} 的值班在 {day}，不是 {typed}")
DutyMissing = Outcome("attendance.duty_missing", "缺少值班：请填写值班编号或日期")
NotOnAny = Outcome("attendance.not_on_any", "{lawyer} 不在已发布排班的 {duties} 中")
SeveralDuties = Outcome("attendance.several_duties", "有多个值班符合（{duties}）；请填写值班编号")
UnknownOfficeText = Outcome("attendance.unknown_office", "不认识的信访局“{value}”（请填写代码或名称）")
NoDutyOn = Outcome("attendance.no_duty_on", "{day} {office} 没有{kind}")
TwoNamed = Outcome("attendance.two_named", "{duty} 中有两位律师名叫 {name}；请填写执业证号")
NamedNone = Outcome("attendance.named_none", "没有名叫“{name}”的律师；请填写替班律师的执业证号")
NamedSeveral = Outcome("attendance.named_several", "有 {count} 位律师名叫“{name}”；请填写替班律师的执业证号")
AnyDuty = Outcome("attendance.any_duty", "任何值班")


class UnknownStatus(InputError):
    code = "attendance.unknown_status"
    template = "不认识的出勤情况“{value}”；请用 出勤、迟到、缺勤 或 替班"


class NoLawyerId(NotFound):
    code = "attendance.no_lawyer"
    template = "没有编号为 {value} 的律师"


class NoLawyerWithLicence(NotFound):
    code = "attendance.no_licence"
    template = "没有执业证号为 {value} 的律师"


class NoLawyerNamed(NotFound):
    code = "attendance.no_name"
    template = "没有名叫“{name}”的律师；请填写执业证号"


class SeveralLawyersNamed(NotFound):
    code = "attendance.several_named"
    template = "有 {count} 位律师名叫“{name}”；请填写执业证号"


class NoteTooLong(InputError):
    code = "attendance.note_too_long"
    template = "备注超过 500 个字"


class DutyNotFound(NotFound):
    code = "attendance.duty_not_found"
    template = "该值班不存在"


class RecordedMeanwhile(Conflict):
    code = "attendance.recorded_meanwhile"
    template = "{lawyer} 在 {duty} 的出勤刚被别人登记；请刷新后重新登记"


class SheetNeedsDuty(InputError):
    code = "attendance.sheet_needs_duty"
    template = "{file}：签到表须有“值班编号/duty_id”或“日期/date”列"


class SheetNeedsLawyer(InputError):
    code = "attendance.sheet_needs_lawyer"
    template = "{file}：签到表须有“执业证号/licence_no”或“姓名/name”列"
