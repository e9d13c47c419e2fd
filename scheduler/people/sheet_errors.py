"""The messages of the lawyer and unavailability sheets (scheduler.people.lawyer_sheets), cell by cell."""

from __future__ import annotations

from scheduler.core.errors import InputError, Outcome
from scheduler.core.tabular_errors import BadCell, FileRowProblem

RowWarning = FileRowProblem


class UnknownWeekday(BadCell):
    code = "sheet.unknown_weekday"
    template = "不认识的星期“{value}”；请写 周一…周日、mon…sun 或 1…7"


class LicenceAsNumber(BadCell):
    code = "sheet.licence_as_number"
    template = "执业证号存成了数字，Excel 会把它四舍五入；请把这一列设为文本格式"


class NameRequired(BadCell):
    code = "sheet.name_required"
    template = "须填写姓名"


class NotEmail(BadCell):
    code = "sheet.not_email"
    template = "“{value}”不是电子邮箱地址"


class MonthlyLimit(BadCell):
    code = "sheet.monthly_limit"
    template = "{value} 不在 0 到 31 之间"


class PracticeYear(BadCell):
    code = "sheet.practice_year"
    template = "{value} 不是 1950 年到 {last} 年之间的年份"


LicenceTwice = Outcome("sheet.licence_twice", "执业证号 {value} 已在第 {row} 行出现")
UnknownOffices = Outcome("sheet.unknown_offices", "不认识的信访局代码 {value}（可用：{known}）")
AlsoPreferred = Outcome("sheet.also_preferred", "{value} 也是希望值班日")
CreditCodeWithoutFirm = Outcome("sheet.code_without_firm", "填写统一社会信用代码时须同时填写律师事务所名称")
FirmHasCode = Outcome("sheet.firm_has_code", "{firm} 的统一社会信用代码是 {known}，不是 {value}")
FirmCodeInRow = Outcome("sheet.firm_code_in_row", "{firm} 在第 {row} 行的统一社会信用代码是 {known}")
CodeBelongsTo = Outcome("sheet.code_belongs_to", "统一社会信用代码 {value} 属于 {firm}")
UnknownFirm = Outcome("sheet.unknown_firm", "不认识的律师事务所“{firm}”；请填写它的统一社会信用代码以新建")
NoLawyerWithLicence = Outcome("sheet.no_lawyer", "没有执业证号为 {value} 的律师；请先导入该律师")
LicenceOfOther = Outcome("sheet.licence_of_other", "执业证号 {value} 属于 {owner}，不属于 {name}")
ImplausibleDate = Outcome("sheet.implausible_date", "{value} 不是合理的日期")


class HeaderLanguage(InputError):
    code = "sheet.header_language"
    template = "表头语言“{value}”须为 {known} 之一"
