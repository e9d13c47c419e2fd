"""The errors of rosters (versions, drafts, publishing, duty changes, proposals, swap requests), as data.

Messages name a duty by its day, office and kind and a lawyer by name and licence number, never by a
database id (scheduler.core.errors).
"""

from __future__ import annotations

from scheduler.core.errors import Conflict, InputError, Message, Named, NotFound, Outcome
from scheduler.models import Duty, Lawyer

# How messages name a duty: 2026年3月4日 望谟县信访局的律师接待窗口值班.
DutyName = Outcome("duty.name", "{day} {office}的{kind}")


def duty_name(duty: Duty) -> Message:
    """The message naming `duty`: its day, and its office and kind in the reader's language."""
    office, kind = duty.office, duty.duty_type
    return DutyName(day=duty.date, office=Named(office.name, office.name_en), kind=Named(kind.name_zh, kind.name_en))


def lawyer_name(lawyer: Lawyer) -> str:
    """王芳（15223201011000100）: a lawyer as messages name one."""
    return f"{lawyer.name}（{lawyer.licence_no}）"


class DutyNotFound(NotFound):
    code = "rosters.duty_not_found"
    template = "该值班不存在"


class SwapRequestNotFound(NotFound):
    code = "rosters.swap_request_not_found"
    template = "该换班申请不存在"


class ProposalNotFound(NotFound):
    code = "rosters.proposal_not_found"
    template = "该变更建议不存在"


class RosterNotFound(NotFound):
    code = "rosters.roster_not_found"
    template = "该排班表不存在"


class NoDraft(NotFound):
    code = "rosters.no_draft"
    template = "{start} 至 {end} 没有草稿"


class NoDraftToPublish(NotFound):
    code = "rosters.no_draft_to_publish"
    template = "{start} 至 {end} 没有可发布的草稿；请先求解"


class NoPublishedRoster(NotFound):
    code = "rosters.no_published_roster"
    template = "没有覆盖 {day} 的已发布排班表"


class NoSuchVersion(NotFound):
    code = "rosters.no_such_version"
    template = "{start} 至 {end} 的排班表没有第 {number} 版"


class ChangedMeanwhile(Conflict):
    code = "rosters.changed_meanwhile"
    template = "{start} 至 {end} 的排班表刚被他人同时修改，已有更新的版本；请刷新后重做。"


class ChangedMeanwhileFor(Conflict):
    code = "rosters.changed_meanwhile_for"
    template = "{duties}：{start} 至 {end} 的排班表刚被他人同时修改，已有更新的版本；请刷新后重做。"


class DraftOutdated(Conflict):
    code = "rosters.draft_outdated"
    template = (
        "草稿基于第 {base} 版，此后已发布的排班表有变动（当前为第 {current} 版）："
        "请重新求解草稿（以当前版本为基准）或放弃草稿。"
    )


class VersionMovedOn(Conflict):
    code = "rosters.version_moved_on"
    template = "{duties}：这期间排班表已有新版本，请在新版本上重做此变更。"


class ReasonMissing(InputError):
    code = "rosters.reason_required"
    template = "请填写原因"


class AlreadyCancelled(Conflict):
    code = "rosters.already_cancelled"
    template = "{duty} 已于 {day} 取消"


class CancelPast(InputError):
    code = "rosters.cancel_past"
    template = "{duty} 的日期已过，不能取消"


class CancelledCannotChange(Conflict):
    code = "rosters.cancelled_cannot_change"
    template = "{duty} 已取消，不能修改"


class PastCannotChange(InputError):
    code = "rosters.past_cannot_change"
    template = "{duty}：已过去的日期不能修改"


class NotLeaderDay(InputError):
    code = "rosters.not_leader_day"
    template = "{duty} 不是领导接待日；请改用“取消值班”"


DutyEndsBeforeStart = Outcome("rosters.duty_reversed", "结束时间 {end} 须晚于开始时间 {start}")
NotWorkingDay = Outcome("rosters.not_working_day", "{day} 不是工作日")
NotWorkingDayNamed = Outcome("rosters.not_working_day_named", "{day} 不是工作日（{name}）")
OutsidePeriod = Outcome(
    "rosters.outside_period", "{day} 不在已发布时段 {start} 至 {end} 内：请取消此值班并在另一时段添加"
)
SameDutyThen = Outcome("rosters.same_duty_then", "{office} 在 {day} {start} 已有同类值班")
LeaderDayAdded = Outcome("rosters.leader_day_added", "新增领导接待日：{duty} {start}–{end}")
NeededRange = Outcome("rosters.needed_range", "律师人数须为 1 到 10")


class LawyerNotOnDuty(InputError):
    code = "rosters.lawyer_not_on_duty"
    template = "{lawyer} 不在第 {version} 版排班的 {duty} 中"


class SwapNeedsTwo(InputError):
    code = "rosters.swap_needs_two"
    template = "换班需要两个不同的值班"


class DifferentPeriods(InputError):
    code = "rosters.different_periods"
    template = "{first} 和 {second} 属于不同的排班时段"


class NoOpenPlace(InputError):
    code = "rosters.no_open_place"
    template = "{duty} 没有空缺；请指明被替换的律师"


class AlreadyOnDuty(InputError):
    code = "rosters.already_on_duty"
    template = "{lawyer} 已在 {duty} 中"


class ProposalDecided(Conflict):
    code = "rosters.proposal_decided"
    template = "该变更建议已{state}"


class ProposalOutdated(Conflict):
    code = "rosters.proposal_outdated"
    template = (
        "该变更建议（{duties}）基于第 {base} 版，排班表此后已更新（当前为第 {current} 版）；请在新版本上重新提出。"
    )


class BreaksHardRules(Conflict):
    code = "rosters.breaks_hard_rules"
    template = "该变更建议违反硬性规则：{rules}"


class SwapWithSelf(InputError):
    code = "rosters.swap_with_self"
    template = "律师不能与自己换班"


class DutyPassed(InputError):
    code = "rosters.duty_passed"
    template = "{duty} 已过"


class SwapStateRefused(Conflict):
    code = "rosters.swap_state"
    template = "该换班申请的状态是“{state}”，不能变为“{wanted}”"


class SwapChangedMeanwhile(Conflict):
    code = "rosters.swap_changed_meanwhile"
    template = "该换班申请刚被他人修改；请刷新"


class OnlyAskedMayAnswer(Conflict):
    code = "rosters.only_asked_may_answer"
    template = "只有被邀请的律师可以答复该换班申请"


class OnlyMakerMayWithdraw(Conflict):
    code = "rosters.only_maker_may_withdraw"
    template = "只有提出换班申请的律师可以撤回"


class OnlyAcceptedDecided(Conflict):
    code = "rosters.only_accepted_decided"
    template = "该换班申请的状态是“{state}”；只有对方已同意的申请才能审批"


# Why a swap request's proposal was made (its reason, worded when shown).
SwapRequestReason = Outcome("repair.swap_request", "换班申请：{giver} 请 {taker} 接替")
SwapRequestReasonSaying = Outcome("repair.swap_request_saying", "换班申请：{giver} 请 {taker} 接替：{message}")

# The states of proposals and of swap requests, as messages name them.
PROPOSAL_STATE = {
    "open": Outcome("proposal_state.open", "待处理"),
    "accepted": Outcome("proposal_state.accepted", "已采纳"),
    "discarded": Outcome("proposal_state.discarded", "已放弃"),
}
SWAP_STATE = {
    "proposed": Outcome("swap_state.proposed", "等待对方答复"),
    "accepted": Outcome("swap_state.accepted", "对方已同意"),
    "declined": Outcome("swap_state.declined", "对方已拒绝"),
    "withdrawn": Outcome("swap_state.withdrawn", "已撤回"),
    "approved": Outcome("swap_state.approved", "已批准"),
    "rejected": Outcome("swap_state.rejected", "已驳回"),
    "expired": Outcome("swap_state.expired", "已过期"),
}


def state_word(states: dict[str, Outcome], state: str) -> object:
    """A state in words (a state the table does not know stays as stored)."""
    return states[state]() if state in states else state
