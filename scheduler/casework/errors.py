"""The casework area's refusals, as data: a code and a Chinese template worded with the parameters."""

from __future__ import annotations

from scheduler.core.errors import Conflict, FieldError, InputError, NotFound


class CaseNotFound(NotFound):
    code = "case.not_found"
    template = "没有这个委托案件（{case}）"


class OpinionNotFound(NotFound):
    code = "case.opinion_not_found"
    template = "没有这份法律意见书"


class CaseFieldError(FieldError):
    """A case's field is wrong: `field` names it, the template words why."""

    code = "case.field"
    template = "{label}：{problem}"

    def __init__(self, field: str, **params: str) -> None:
        super().__init__(field, self.template.format(**params))
        self.params = params


class UnknownCaseLawyer(InputError):
    code = "case.unknown_lawyer"
    template = "没有执业证号为 {licence} 的律师"


class LawyerNotServing(Conflict):
    code = "case.lawyer_not_serving"
    template = "律师 {name}（{licence}）已被暂停或取消资格，不能承办委托案件"


class CaseFinished(Conflict):
    code = "case.finished"
    template = "委托案件 {number} 已{status}，不能再修改"


class BadStatusChange(Conflict):
    code = "case.bad_status"
    template = "委托案件 {number} 不能从“{old}”改为“{new}”"


class NoOpinionYet(Conflict):
    code = "case.no_opinion"
    template = "委托案件 {number} 尚未上传法律意见书，不能标为“已出具意见”"


class NoLawyersYet(Conflict):
    code = "case.no_lawyers"
    template = "委托案件 {number} 尚未指派律师"


class BadOpinionFile(InputError):
    """An uploaded opinion that is not a PDF, DOCX or ODT document, or is too large or empty."""

    code = "case.bad_opinion_file"
    template = "法律意见书 {filename}：{problem}"
