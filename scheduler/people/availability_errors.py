"""Refusals of lawyers' availability requests, as data: a code and a Chinese template."""

from __future__ import annotations

from scheduler.core.errors import Conflict, FieldError, InputError, NotFound


class WindowNotFound(NotFound):
    code = "availability.window_not_found"
    template = "没有这个申请时段（{window}）"


class RequestNotFound(NotFound):
    code = "availability.request_not_found"
    template = "没有这条值班意愿申请（{request}）"


class RequestWindowClosed(Conflict):
    code = "availability.closed"
    template = (
        "{start} 至 {end} 的值班意愿申请已于 {deadline} 截止，不能再提交；"
        "如确有不能值班的日子，请联系信访局工作人员登记"
    )


class RequestWindowNotOpen(Conflict):
    code = "availability.not_open"
    template = "{start} 至 {end} 的值班意愿申请从 {opens} 起才能提交"


class RequestAlreadyDecided(Conflict):
    code = "availability.decided"
    template = "这条申请已处理（{state}），不能再次处理"


class BadWindow(InputError):
    code = "availability.bad_window"
    template = "申请时段：{problem}"


class RequestFieldError(FieldError):
    """A field of a request is wrong: `field` names it, the template words why."""

    code = "availability.field"
    template = "{label}：{problem}"

    def __init__(self, field: str, **params: str) -> None:
        super().__init__(field, self.template.format(**params))
        self.params = params
