"""The hotline's errors: codes with Chinese templates (their English is in messages.po)."""

from __future__ import annotations

from scheduler.core.errors import FieldError, NotFound


class HotlineFieldError(FieldError):
    """A hotline setting a planner gave wrongly; worded by the class's template, blamed on one field."""

    code = "hotline.field"
    template = ""

    def __init__(self, field: str, **params: object) -> None:
        super().__init__(field, self.template.format(**params))
        self.params = params


class HotlinePhoneMissing(HotlineFieldError):
    code = "hotline.phone_missing"
    template = "信访局 {office} 的咨询电话不能为空"


class HotlineBadWeekday(HotlineFieldError):
    code = "hotline.bad_weekday"
    template = "咨询电话值守的星期 {value} 无效，应为 1（周一）至 7（周日）"


class HotlineBadNeeded(HotlineFieldError):
    code = "hotline.bad_needed"
    template = "每天值守律师人数应为 1 至 10，不是 {value}"


class HotlineBadHours(HotlineFieldError):
    code = "hotline.bad_hours"
    template = "咨询电话值守时间 {end} 结束，早于开始时间 {start}"


class HotlineBadShare(HotlineFieldError):
    code = "hotline.bad_share"
    template = "咨询电话值守一天折合窗口值班的比例应在 0.1 至 1 之间（以 0.1 为单位），不是 {value}"


class HotlineBadMailbox(HotlineFieldError):
    code = "hotline.bad_mailbox"
    template = "电子信箱 {value} 格式不正确"


class HotlineMissing(NotFound):
    code = "hotline.missing"
    template = "信访局 {office} 尚未设置律师咨询电话"

    def __init__(self, office: str) -> None:
        super().__init__(office=office)
