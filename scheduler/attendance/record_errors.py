"""The refusals of the reception log, trainings and meeting minutes, as data: a `code`, parameters, and a
Chinese `template` that words them (the English wording is in the web's catalogue under the same text).

A refusal that one form field is to blame for names that field (`field`), so the page puts the message
beside it and the command line prints "field: message".
"""

from __future__ import annotations

from typing import Any, ClassVar

from scheduler.core.errors import FieldError, InputError, NotFound


class RecordFieldError(FieldError):
    """A refusal worded by the class's template and blamed on the class's `field_name`."""

    field_name: ClassVar[str] = ""

    def __init__(self, **params: Any) -> None:
        # Worded like any templated error (code and params kept), then blamed on the field as FieldError does.
        InputError.__init__(self, **params)
        self.field = self.field_name
        self.detail = str(self)


# --- the reception log -----------------------------------------------------------------------------


class UnknownCategory(RecordFieldError):
    code = "reception.unknown_category"
    template = "没有名为“{name}”的咨询类别（可选：{choices}）"
    field_name = "category"


class BadVisitors(RecordFieldError):
    code = "reception.visitors"
    template = "来访人数须在 1 到 500 之间，填写的是 {value}"
    field_name = "visitors"


class UnknownReferral(RecordFieldError):
    code = "reception.unknown_referral"
    template = "没有“{value}”这种引导去向（可选：{choices}）"
    field_name = "referral"


class AdviceTooLong(RecordFieldError):
    code = "reception.advice_too_long"
    template = "解答意见不能超过 {limit} 个字（现有 {length} 个字）"
    field_name = "advice"


class DutyNotServed(InputError):
    """The lawyer has not served the duty (yet): no attendance of theirs is recorded as served."""

    code = "reception.duty_not_served"
    template = "{lawyer}未在 {date} {office}{duty_type}登记为已值班（尚未登记出勤、缺勤或值班尚未到来），不能登记接待"


class DutyMissing(NotFound):
    code = "reception.duty_missing"
    template = "所选的值班不存在"


class LawyerMissing(NotFound):
    code = "records.lawyer_missing"
    template = "找不到律师“{ref}”（请填写执业证号或姓名）"


class ConsultationMissing(NotFound):
    code = "reception.consultation_missing"
    template = "所选的接待登记不存在"


class CategoryName(RecordFieldError):
    code = "reception.category_name"
    template = "咨询类别名称须为 1 到 40 个字"
    field_name = "name"


class CategoryExists(RecordFieldError):
    code = "reception.category_exists"
    template = "咨询类别“{name}”已存在"
    field_name = "name"


class CategoryMissing(NotFound):
    code = "reception.category_missing"
    template = "所选的咨询类别不存在"


class BadMonth(InputError):
    code = "reception.bad_month"
    template = "统计月份须为 2000 年到 2100 年之间的年月，填写的是 {value}"


# --- trainings -------------------------------------------------------------------------------------


class TrainingMissing(NotFound):
    code = "training.missing"
    template = "所选的培训不存在"


class TrainingTitle(RecordFieldError):
    code = "training.title"
    template = "培训须有标题，且不超过 200 个字"
    field_name = "title"


class TrainingHours(RecordFieldError):
    code = "training.hours"
    template = "培训的结束时间（{end}）不晚于开始时间（{start}）"
    field_name = "end"


class TrainingTextTooLong(RecordFieldError):
    code = "training.text_too_long"
    template = "地点和主办单位不能超过 200 个字，培训内容不能超过 2000 个字"
    field_name = "content"


class NobodyInvited(InputError):
    code = "training.nobody_invited"
    template = "没有选中任何律师：请选择律师、信访局或律师事务所"


class OfficeMissing(NotFound):
    code = "records.office_missing"
    template = "找不到信访局“{ref}”"


class FirmMissing(NotFound):
    code = "records.firm_missing"
    template = "找不到律师事务所“{ref}”"


class NotInvited(InputError):
    code = "training.not_invited"
    template = "{lawyer}未受邀参加培训“{title}”"


class TrainingNotHeld(InputError):
    code = "training.not_held"
    template = "培训“{title}”在 {date} 举行，举行后才能登记出勤"


class UnknownTrainingStatus(RecordFieldError):
    code = "training.unknown_status"
    template = "没有“{value}”这种出勤情况（可选：出席、缺席、请假）"
    field_name = "status"


# --- joint meetings: minutes and decisions ---------------------------------------------------------


class MinutesType(RecordFieldError):
    code = "minutes.type"
    template = "会议纪要只接受 PDF、DOCX 或 ODT 文件，“{filename}”不是这几种文件"
    field_name = "document"


class MinutesTooLarge(RecordFieldError):
    code = "minutes.too_large"
    template = "会议纪要文件不能超过 {limit} MB，“{filename}”有 {size} MB"
    field_name = "document"


class MinutesEmpty(RecordFieldError):
    code = "minutes.empty"
    template = "文件“{filename}”是空的"
    field_name = "document"


class NotAMeetingDate(RecordFieldError):
    code = "minutes.not_a_meeting_date"
    template = "联席会议“{title}”在 {date} 没有举行"
    field_name = "meeting_date"


class MinutesMissing(NotFound):
    code = "minutes.missing"
    template = "这次会议还没有上传会议纪要"


class DecisionText(RecordFieldError):
    code = "minutes.decision_text"
    template = "议定事项须有内容（不超过 1000 个字）和责任人（不超过 100 个字）"
    field_name = "text"


class DecisionMissing(NotFound):
    code = "minutes.decision_missing"
    template = "所选的议定事项不存在"
